/**
 * The results a worker holds: in memory, or spilled to files in its node-local directory
 * (Dask's SpillBuffer, in a form where reading is asynchronous and the data paths await it).
 *
 * Policy:
 * - In-memory values are kept in least-recently-used order (every read or write touches); past
 *   the target (which the monitor lowers by the process's baseline, setTargetBytes) the least
 *   recently used go to disk; a value bigger than the target goes to disk at once.
 * - The memory monitor evicts more (`evictOne`) when the process as a whole is too big.
 * - Values never change under a key, so a file stays valid once written: a value read back
 *   keeps its file and can be evicted again for free. Files go when their key is deleted.
 * - `pin` keeps a value in memory while a task computes with it (`hold`: where it is, before
 *   the task is admitted). A value that cannot be written (not serialisable) stays in memory,
 *   with one log line; past `maxSpillBytes` nothing more is spilled until space is freed. A failure of the directory itself (full
 *   disk: spill-disk-failure.ts) stops all writing, once reported through `onSpillStopped`.
 * - A spill file that cannot give its value back (missing, truncated, failing its checksum)
 *   means the value is lost: the key is dropped, `onLost` tells the worker (which tells the
 *   scheduler, which recomputes it), and the reader gets a LostDataError. Never a wrong value.
 */
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { formatBytes } from "../../core/units.js";
import type { Logger } from "../../core/log.js";
import { CompressionPolicy, type SpillCompression } from "./spill-compression.js";
import { describeSpillDiskFailure, freeBytesIn, isSpillDiskFailure, spillStoppedMessage } from "./spill-disk-failure.js";
import { SpillFileError, readSpillFile, writeSpillFile } from "./spill-file.js";
import { LostDataError } from "./lost-data-error.js";
import { type SpillStatistics, noSpillStatistics } from "./spill-statistics.js";
import { sizeOf } from "./value-size.js";
import type { StoreEntry as Entry } from "./store-entry.js";
import { type MemoryPolicy, spillsAtAll, thresholdBytes } from "./memory-policy.js";

export interface DataStoreOptions {
  /** Managed bytes above which values are spilled; Infinity: only the monitor spills. */
  targetBytes?: number;
  /** Directory for spill files; without one nothing is ever spilled. */
  spillDirectory?: string;
  /** Most bytes of spill files; false: no limit. */
  maxSpillBytes?: number | false;
  compression?: SpillCompression;
  logger?: Logger;
}

export class DataStore {
  private readonly entries = new Map<string, Entry>();
  /** The entries in memory, least recently used first. */
  private readonly fast = new Map<string, Entry>();
  private readonly configuredTargetBytes: number;
  private targetBytes: number;
  private readonly compression: CompressionPolicy;
  private evictingBytes = 0;
  private reservedDiskBytes = 0;
  private fileCounter = 0;
  private capacityLogged = false;
  private closed = false;
  private readonly pendingWrites = new Set<Promise<void>>();
  /** Bytes of the values in memory; of those only on disk (as they would take in memory); of the spill files. */
  managedBytes = 0;
  spilledBytes = 0;
  diskBytes = 0;
  /** Called after each insert and read-back from disk (the memory monitor checks whether to pause before the next task starts); `outsideBytes`: growth outside the store the inserter reports (what a task allocated). */
  afterInsert: ((value: unknown, nbytes: number, outsideBytes: number) => void) | null = null;
  /** Called when a key is dropped because its spill file could not be read back. */
  onLost: ((key: string, reason: string) => void) | null = null;
  /** Called once when the spill directory fails (full, quota, I/O error), with the full message. */
  onSpillStopped: ((message: string) => void) | null = null;
  /** Why spilling stopped ("spill directory /x is full (…)"), or null while it works. */
  spillStopped: string | null = null;
  readonly statistics: SpillStatistics = noSpillStatistics();

  constructor(private readonly options: DataStoreOptions = {}) {
    this.configuredTargetBytes = options.targetBytes ?? Infinity;
    this.targetBytes = this.configuredTargetBytes;
    this.compression = new CompressionPolicy(options.compression ?? "auto", options.maxSpillBytes !== undefined && options.maxSpillBytes !== false);
  }

  get canSpill(): boolean {
    return this.options.spillDirectory !== undefined && !this.closed;
  }

  /** Stores a value; spilling that it triggers goes on in the background. Returns its size. */
  set(key: string, value: unknown, nbytes = sizeOf(value), outsideBytes = 0): number {
    this.delete(key);
    const entry: Entry = {
      key, nbytes, value, inMemory: true, file: null, diskBytes: 0, pins: 0, writing: null, loading: null, deleted: false, unspillable: false,
    };
    this.entries.set(key, entry);
    this.fast.set(key, entry);
    this.managedBytes += nbytes;
    this.evictAboveTarget(entry);
    this.afterInsert?.(value, nbytes, outsideBytes);
    return nbytes;
  }

  /** Stores a value and waits for the spilling it triggers (backpressure: the caller feels the disk); `diskWrite`: the span waited. */
  async put(key: string, value: unknown, outsideBytes = 0): Promise<{ nbytes: number; diskWrite: { start: number; stop: number } | null }> {
    const writesBefore = new Set(this.pendingWrites);
    const nbytes = this.set(key, value, sizeOf(value), outsideBytes);
    const started = [...this.pendingWrites].filter((write) => !writesBefore.has(write));
    if (started.length === 0) return { nbytes, diskWrite: null };
    const start = Date.now() / 1000;
    await Promise.all(started);
    return { nbytes, diskWrite: { start, stop: Date.now() / 1000 } };
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** Whether reading the key now needs no disk. */
  isInMemory(key: string): boolean {
    return this.entries.get(key)?.inMemory ?? false;
  }

  /** The value, read back from disk when it was spilled; `keep` false (to send it away): not back into memory, its file stays. */
  async get(key: string, keep = true): Promise<unknown> {
    const entry = this.entries.get(key);
    if (!entry) throw new Error(`${key} is not held by this worker`);
    if (entry.inMemory) {
      this.touch(entry);
      return entry.value;
    }
    return this.unspill(entry, keep);
  }

  /** The key's spill file once written (valid while the key is held: sent from there without reading it back, spill-stream.ts). */
  fileOf(key: string): string | null {
    return this.entries.get(key)?.file ?? null;
  }

  /** The key's spill file `file` failed while its value was sent from it: the key is lost, as when reading it back fails. */
  loseUnreadable(key: string, file: string, error: SpillFileError): void {
    const entry = this.entries.get(key);
    if (entry?.file === file) this.lose(entry, error);
  }

  /** Keeps values where they are (never spilled) while a task waits to use them; undo with unpin, once per hold. */
  hold(keys: readonly string[]): void {
    for (const entry of this.entriesOf(keys)) entry.pins++;
  }

  /** Keeps values in memory (and loads them) while a task uses them; undo with unpin. */
  async pin(keys: readonly string[]): Promise<Map<string, unknown>> {
    this.hold(keys);
    const values = new Map<string, unknown>();
    for (const key of keys) values.set(key, await this.get(key)); // one at a time: a failed read leaves the rest on disk
    return values;
  }

  /** Bytes of the distinct values of `keys` held here, and of those on disk now (to read back). */
  bytesOf(keys: readonly string[]): { bytes: number; onDisk: number } {
    let [bytes, onDisk] = [0, 0];
    for (const entry of new Set(this.entriesOf(keys))) [bytes, onDisk] = [bytes + entry.nbytes, onDisk + (entry.inMemory ? 0 : entry.nbytes)];
    return { bytes, onDisk };
  }

  private entriesOf(keys: readonly string[]): Entry[] {
    return keys.map((key) => this.entries.get(key)).filter((entry): entry is Entry => entry !== undefined);
  }

  unpin(keys: readonly string[]): void {
    for (const key of keys) {
      const entry = this.entries.get(key);
      if (entry && entry.pins > 0) entry.pins--;
    }
    this.evictAboveTarget();
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    entry.deleted = true;
    if (entry.inMemory) {
      this.fast.delete(key);
      this.managedBytes -= entry.nbytes;
    } else {
      this.spilledBytes -= entry.nbytes;
    }
    entry.value = undefined;
    entry.inMemory = false;
    if (entry.file) this.removeFile(entry);
  }

  /** The managed bytes to keep in memory (at most the configured target); spills down to it. */
  setTargetBytes(bytes: number): void {
    this.targetBytes = Math.min(this.configuredTargetBytes, Math.max(0, bytes));
    this.evictAboveTarget();
  }

  /** Bytes the monitor could still move to disk now (within maxSpill). */
  get evictableBytes(): number {
    if (!this.canSpill) return 0;
    let total = 0;
    let room = this.diskRoom();
    for (const entry of this.fast.values()) {
      if (!this.isEvictable(entry)) continue;
      if (entry.file) total += entry.nbytes;
      else if (entry.nbytes <= room) {
        total += entry.nbytes;
        room -= entry.nbytes;
      }
    }
    return total;
  }

  /** Bytes that may still be written under maxSpill. */
  private diskRoom(): number {
    if (this.spillStopped !== null) return 0;
    const limit = this.options.maxSpillBytes ?? false;
    return limit === false ? Infinity : Math.max(0, limit - this.diskBytes - this.reservedDiskBytes);
  }

  /** Spills the least recently used value that can go (the monitor's step); resolves with the bytes freed (0: none could go). */
  async evictOne(): Promise<number> {
    const entry = this.oldestEvictable();
    if (!entry) return 0;
    await this.spill(entry);
    return entry.inMemory ? 0 : entry.nbytes;
  }

  /** Waits for writes in progress (for a clean close and for tests). */
  async settle(): Promise<void> {
    while (this.pendingWrites.size > 0) await Promise.all([...this.pendingWrites]);
  }

  close(): void {
    this.closed = true;
  }

  private touch(entry: Entry): void {
    this.fast.delete(entry.key);
    this.fast.set(entry.key, entry);
  }

  private isEvictable(entry: Entry): boolean {
    return entry.inMemory && entry.pins === 0 && entry.writing === null && !entry.unspillable;
  }

  /** The least recently used value that can go now: one with a file, or one that fits under maxSpill. */
  private oldestEvictable(): Entry | undefined {
    if (!this.canSpill) return undefined;
    const room = this.diskRoom();
    for (const entry of this.fast.values()) if (this.isEvictable(entry) && (entry.file || entry.nbytes <= room)) return entry;
    return undefined;
  }

  private evictAboveTarget(newest?: Entry): void {
    if (!this.canSpill || this.targetBytes === Infinity) return;
    if (newest && newest.nbytes > this.configuredTargetBytes && this.isEvictable(newest)) void this.spill(newest);
    while (this.managedBytes - this.evictingBytes > this.targetBytes) {
      const entry = this.oldestEvictable();
      if (!entry || !this.startSpill(entry)) return;
    }
  }

  private spill(entry: Entry): Promise<void> {
    if (!entry.writing && !this.startSpill(entry)) return Promise.resolve();
    return entry.writing ?? Promise.resolve();
  }

  /** Starts writing (or, with a file already there, drops the memory copy). False: cannot. */
  private startSpill(entry: Entry): boolean {
    if (entry.file) {
      this.dropFromMemory(entry);
      return true;
    }
    if (this.spillStopped !== null) return false;
    if (entry.nbytes > this.diskRoom()) {
      if (!this.capacityLogged) {
        this.options.logger?.warn(`Spill file on disk reached capacity (maxSpill ${formatBytes(this.options.maxSpillBytes as number)}); keeping data in memory`);
        this.capacityLogged = true;
      }
      return false;
    }
    const path = join(this.options.spillDirectory as string, `${++this.fileCounter}.spill`);
    this.evictingBytes += entry.nbytes;
    this.reservedDiskBytes += entry.nbytes;
    const write = this.writeEntry(entry, path).finally(() => {
      this.evictingBytes -= entry.nbytes;
      this.reservedDiskBytes -= entry.nbytes;
      entry.writing = null;
      this.pendingWrites.delete(write);
    });
    entry.writing = write;
    this.pendingWrites.add(write);
    return true;
  }

  private async writeEntry(entry: Entry, path: string): Promise<void> {
    const start = performance.now();
    let diskBytes: number;
    try {
      const written = await writeSpillFile(path, entry.value, this.compression);
      this.compression.recordWrite(written.diskBytes, written.writeSeconds);
      diskBytes = written.diskBytes;
      this.statistics.checksumSeconds += written.checksumSeconds;
    } catch (error) {
      await rm(path, { force: true }).catch(() => {});
      if (isSpillDiskFailure(error)) await this.stopSpilling(error as NodeJS.ErrnoException);
      else {
        entry.unspillable = true;
        if (!this.closed) this.options.logger?.warn(`could not spill ${entry.key} (${formatBytes(entry.nbytes)}); keeping it in memory: ${(error as Error).message}`);
      }
      return;
    }
    this.statistics.spills++;
    this.statistics.spilledBytesWritten += entry.nbytes;
    this.statistics.diskBytesWritten += diskBytes;
    this.statistics.spillSeconds += (performance.now() - start) / 1000;
    entry.file = path;
    entry.diskBytes = diskBytes;
    this.diskBytes += diskBytes;
    if (entry.deleted) {
      this.removeFile(entry);
      return;
    }
    this.capacityLogged = false;
    // A task may have started using it meanwhile: it stays in memory, and the file is ready.
    if (entry.pins === 0) this.dropFromMemory(entry);
  }

  /** The directory itself failed: no more writes there (the first failure reports; writes under way may fail too). */
  private async stopSpilling(error: NodeJS.ErrnoException): Promise<void> {
    if (this.spillStopped !== null) return;
    const directory = this.options.spillDirectory as string;
    // Set before waiting for statfs, so that writes failing meanwhile do not report again.
    this.spillStopped = describeSpillDiskFailure(directory, error, undefined);
    const freeBytes = await freeBytesIn(directory);
    this.spillStopped = describeSpillDiskFailure(directory, error, freeBytes);
    if (this.closed) return;
    const message = spillStoppedMessage(this.spillStopped);
    this.options.logger?.error(message);
    this.onSpillStopped?.(message);
  }

  private dropFromMemory(entry: Entry): void {
    if (!entry.inMemory) return;
    this.fast.delete(entry.key);
    entry.inMemory = false;
    entry.value = undefined;
    this.managedBytes -= entry.nbytes;
    this.spilledBytes += entry.nbytes;
  }

  private unspill(entry: Entry, keep = true): Promise<unknown> {
    entry.loading ??= (async () => {
      const start = performance.now();
      let value: unknown;
      try {
        value = await readSpillFile(entry.file as string);
      } catch (error) {
        throw error instanceof SpillFileError ? this.lose(entry, error) : error;
      }
      this.statistics.unspills++;
      this.statistics.unspilledBytes += entry.nbytes;
      this.statistics.unspillSeconds += (performance.now() - start) / 1000;
      this.afterInsert?.(value, entry.nbytes, 0); // in memory now, whether kept or only handed out
      if (!entry.deleted && !entry.inMemory && ((keep && entry.nbytes <= this.configuredTargetBytes) || entry.pins > 0)) {
        entry.value = value;
        entry.inMemory = true;
        this.fast.set(entry.key, entry);
        this.managedBytes += entry.nbytes;
        this.spilledBytes -= entry.nbytes;
        this.evictAboveTarget(entry);
      }
      return value;
    })().finally(() => {
      entry.loading = null;
    });
    return entry.loading;
  }

  /** The value's only copy is unreadable: drop the key (and the bad file) and say so. */
  private lose(entry: Entry, error: SpillFileError): LostDataError {
    const reason = `its spill file could not be read back: ${error.message}`;
    if (this.entries.get(entry.key) === entry) {
      this.delete(entry.key);
      this.options.logger?.warn(`lost ${entry.key} (${formatBytes(entry.nbytes)}): ${reason}; it will be recomputed`);
      this.onLost?.(entry.key, reason);
    }
    return new LostDataError(entry.key, `${entry.key} was lost on this worker: ${reason}`, { cause: error });
  }

  private removeFile(entry: Entry): void {
    const file = entry.file as string;
    entry.file = null;
    this.diskBytes -= entry.diskBytes;
    entry.diskBytes = 0;
    void rm(file, { force: true }).catch(() => {});
  }
}

/** The store a worker with this policy keeps, spilling into `spillDirectory` when the policy spills at all. */
export function dataStoreFor(policy: MemoryPolicy, spillDirectory: string, logger?: Logger): DataStore {
  return new DataStore({
    targetBytes: thresholdBytes(policy, "target"), spillDirectory: spillsAtAll(policy) ? spillDirectory : undefined,
    maxSpillBytes: policy.maxSpillBytes, compression: policy.spillCompression, logger,
  });
}
