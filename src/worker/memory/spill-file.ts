/**
 * One spilled value as one file, in the same two parts as a message on the wire: the value's
 * payload tree (packPayload: small, msgpack'd) and its binary frames (chunk data, raw or
 * zlib-compressed), then the frames' checksums:
 *
 *     "TSP2" | u32 LE header length | u32 LE CRC-32 of the header | msgpack header
 *            | frame bytes… | u32 LE CRC-32 of each frame's stored bytes
 *     header = { tree, frames: [{ bytes, stored, codec: "zlib" | null, shared }] }
 *
 * Checksums, checked on reading: a spill file is written once and read back minutes later,
 * and a flipped bit in between (a failing disk, bad memory in the page cache, another process
 * writing into it) must not become a silently wrong result. A file that is missing, truncated,
 * unreadable or fails a check is a `SpillFileError`: the data is gone, and the owner
 * (data-store.ts) treats the key as lost.
 *
 * Cost: CRC-32 (zlib's, in C) is one more pass over the bytes, about as long as copying them
 * into the page cache (bench/spill-checksum.ts). So it overlaps the I/O: the frames' CRCs
 * (hence the trailer, not the header) are computed on this thread while libuv's threads
 * write the frames, and on reading, each slice is checked while the next one is read. Slices
 * are small enough that the event loop is never held up for long.
 *
 * Reading puts every frame into a buffer of its own, of the kind it came from
 * (SharedArrayBuffer for NDArray blocks, so compute threads use them without a copy), with
 * uncompressed frames read from the file straight into it.
 */
import { open } from "node:fs/promises";
import { setImmediate as nextTurn } from "node:timers/promises";
import { promisify } from "node:util";
import { crc32, deflateRaw, inflateRaw } from "node:zlib";
import { Packr } from "msgpackr";
import { TesseraError, errorMessage } from "../../core/errors.js";
import { newSharedBuffer } from "../../ndarray/allocation-ledger.js";
import { packPayload, unpackPayload } from "../../protocol/payload.js";
import type { CompressionPolicy } from "./spill-compression.js";

const magic = 0x32505354; // "TSP2" read as u32 LE
const prefixBytes = 12;
const packr = new Packr({ useRecords: false, moreTypes: false });
const deflateAsync = promisify(deflateRaw);
const inflateAsync = promisify(inflateRaw);
/** Bytes checksummed, or read, in one step (a millisecond or two of CRC each). */
const sliceBytes = 4 * 2 ** 20;

/** A spill file that cannot give its value back: missing, truncated, unreadable or corrupt. */
export class SpillFileError extends TesseraError {
  override name = "SpillFileError";
}

export interface FrameEntry {
  bytes: number;
  stored: number;
  codec: "zlib" | null;
  shared: boolean;
}

export interface SpillWrite {
  /** Bytes the file takes on disk. */
  diskBytes: number;
  /** Seconds spent writing (compression excluded), for the disk-speed estimate. */
  writeSeconds: number;
  /** Seconds of CPU spent on checksums (mostly while the write was under way). */
  checksumSeconds: number;
}

/** CRC-32 of `bytes` and the seconds it took, letting the event loop run between slices. */
export async function checksumOf(bytes: Uint8Array): Promise<{ crc: number; seconds: number }> {
  let crc = 0;
  let seconds = 0;
  for (let start = 0; start < bytes.byteLength; start += sliceBytes) {
    if (start > 0) await nextTurn();
    const begin = performance.now();
    crc = crc32(bytes.subarray(start, start + sliceBytes), crc);
    seconds += (performance.now() - begin) / 1000;
  }
  return { crc, seconds };
}

/** Writes `value` to `path` (which must not exist yet). */
export async function writeSpillFile(path: string, value: unknown, compression: CompressionPolicy): Promise<SpillWrite> {
  const frames: Uint8Array[] = [];
  const tree = packPayload(value, frames);
  const stored: Uint8Array[] = [];
  const entries: FrameEntry[] = [];
  for (const frame of frames) {
    const codec = compression.choose(frame);
    let bytes = frame;
    if (codec === "zlib") {
      const compressed = await deflateAsync(frame, { level: 1 });
      if (compressed.byteLength < frame.byteLength) bytes = compressed;
    }
    stored.push(bytes);
    entries.push({ bytes: frame.byteLength, stored: bytes.byteLength, codec: bytes === frame ? null : "zlib", shared: frame.buffer instanceof SharedArrayBuffer });
  }
  const header = packr.pack({ tree, frames: entries });
  const prefix = new Uint8Array(prefixBytes);
  const view = new DataView(prefix.buffer);
  view.setUint32(0, magic, true);
  view.setUint32(4, header.byteLength, true);
  view.setUint32(8, crc32(header), true);
  const parts = [prefix, header, ...stored];
  const start = performance.now();
  const handle = await open(path, "wx");
  let writeSeconds = 0;
  let checksumSeconds = 0;
  const trailer = new Uint8Array(4 * stored.length);
  try {
    // The frames go to the file while their checksums are computed here; the trailer follows.
    const writing = writeAll(handle, parts, path).then(() => (writeSeconds = (performance.now() - start) / 1000));
    const checksumming = (async () => {
      const trailerView = new DataView(trailer.buffer);
      for (const [index, bytes] of stored.entries()) {
        const { crc, seconds } = await checksumOf(bytes);
        trailerView.setUint32(4 * index, crc, true);
        checksumSeconds += seconds;
      }
    })();
    await Promise.all([writing, checksumming]);
    await writeAll(handle, [trailer], path);
  } finally {
    await handle.close();
  }
  const diskBytes = [...parts, trailer].reduce((sum, part) => sum + part.byteLength, 0);
  return { diskBytes, writeSeconds, checksumSeconds };
}

/** Writes every byte of `parts` at the file's current position (writev may write less than asked). */
async function writeAll(handle: FileHandle, parts: Uint8Array[], path: string): Promise<void> {
  const total = parts.reduce((sum, part) => sum + part.byteLength, 0);
  let written = 0;
  while (written < total) {
    const result = await handle.writev(remainingParts(parts, written));
    if (result.bytesWritten === 0) throw new SpillFileError(`could not write ${path}: no progress`);
    written += result.bytesWritten;
  }
}

function remainingParts(parts: Uint8Array[], skip: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const part of parts) {
    if (skip >= part.byteLength) {
      skip -= part.byteLength;
      continue;
    }
    out.push(skip > 0 ? part.subarray(skip) : part);
    skip = 0;
  }
  return out;
}

export type FileHandle = Awaited<ReturnType<typeof open>>;

/**
 * Reads a value written by writeSpillFile. Throws SpillFileError when the file cannot give
 * it back intact; other errors (no memory for the buffers) are not about the file.
 */
export async function readSpillFile(path: string): Promise<unknown> {
  const handle = await openSpillFile(path);
  try {
    const { tree, entries, checksums, framesStart } = await readSpillLayout(handle, path);
    let position = framesStart;
    const frames: Uint8Array[] = [];
    for (const [index, entry] of entries.entries()) {
      const target = new Uint8Array(entry.shared ? newSharedBuffer(entry.bytes) : new ArrayBuffer(entry.bytes));
      const stored = entry.codec === null ? target : new Uint8Array(entry.stored);
      if ((await readChecked(handle, stored, position, path)) !== checksums[index]) throw frameDamaged(path, index);
      if (entry.codec !== null) target.set(await inflate(stored, entry.bytes, path));
      position += entry.stored;
      frames.push(target);
    }
    try {
      return unpackPayload(tree, frames);
    } catch (error) {
      throw new SpillFileError(`${path}: the value cannot be rebuilt (${errorMessage(error)})`, { cause: error });
    }
  } finally {
    await handle.close().catch(() => {});
  }
}

export function frameDamaged(path: string, index: number): SpillFileError {
  return new SpillFileError(`${path}: frame ${index} fails its checksum: the file is damaged`);
}

/** Opens a spill file for reading; a SpillFileError when it cannot be. */
export async function openSpillFile(path: string): Promise<FileHandle> {
  try {
    return await open(path, "r");
  } catch (error) {
    throw new SpillFileError(`${path} cannot be opened (${codeOf(error)})`, { cause: error });
  }
}

/** A spill file's parts, its header checked: the payload tree, the frames' entries and CRCs, and where the frames start. */
export interface SpillLayout {
  tree: unknown;
  entries: FrameEntry[];
  checksums: number[];
  framesStart: number;
}

/** Reads and checks a spill file's prefix, header, size and trailer (everything but the frames). */
export async function readSpillLayout(handle: FileHandle, path: string): Promise<SpillLayout> {
  const prefix = await readExactly(handle, new Uint8Array(prefixBytes), 0, path);
  const view = new DataView(prefix.buffer);
  if (view.getUint32(0, true) !== magic) throw new SpillFileError(`${path} is not a tessera spill file (or its first bytes are damaged)`);
  const headerBytes = view.getUint32(4, true);
  const fileBytes = await sizeOf(handle, path);
  if (prefixBytes + headerBytes > fileBytes) throw truncated(path, fileBytes, prefixBytes + headerBytes);
  const header = await readExactly(handle, new Uint8Array(headerBytes), prefixBytes, path);
  if (crc32(header) !== view.getUint32(8, true)) throw new SpillFileError(`${path}: the header fails its checksum: the file is damaged`);
  const { tree, frames: entries } = decodeHeader(header, path);
  const framesBytes = entries.reduce((sum, entry) => sum + entry.stored, 0);
  const expectedBytes = prefixBytes + headerBytes + framesBytes + 4 * entries.length;
  if (fileBytes < expectedBytes) throw truncated(path, fileBytes, expectedBytes);
  const trailer = await readExactly(handle, new Uint8Array(4 * entries.length), prefixBytes + headerBytes + framesBytes, path);
  const trailerView = new DataView(trailer.buffer);
  return { tree, entries, checksums: entries.map((_, index) => trailerView.getUint32(4 * index, true)), framesStart: prefixBytes + headerBytes };
}

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? errorMessage(error);
}

function truncated(path: string, fileBytes: number, expectedBytes: number): SpillFileError {
  return new SpillFileError(`${path} is truncated: ${fileBytes} bytes of ${expectedBytes}`);
}

async function sizeOf(handle: FileHandle, path: string): Promise<number> {
  try {
    return (await handle.stat()).size;
  } catch (error) {
    throw new SpillFileError(`${path} cannot be read (${codeOf(error)})`, { cause: error });
  }
}

/** The header passed its checksum, so a shape other than ours means a writer bug: still the file's fault. */
function decodeHeader(header: Uint8Array, path: string): { tree: unknown; frames: FrameEntry[] } {
  let decoded: { tree: unknown; frames: FrameEntry[] };
  try {
    decoded = packr.unpack(header) as { tree: unknown; frames: FrameEntry[] };
  } catch (error) {
    throw new SpillFileError(`${path}: the header cannot be decoded (${errorMessage(error)})`, { cause: error });
  }
  if (!Array.isArray(decoded?.frames)) throw new SpillFileError(`${path}: the header lists no frames`);
  return decoded;
}

async function inflate(stored: Uint8Array, bytes: number, path: string): Promise<Uint8Array> {
  let inflated: Uint8Array;
  try {
    inflated = await inflateAsync(stored);
  } catch (error) {
    throw new SpillFileError(`${path}: a frame cannot be decompressed (${errorMessage(error)})`, { cause: error });
  }
  if (inflated.byteLength !== bytes) throw new SpillFileError(`${path}: a frame inflated to ${inflated.byteLength} bytes, expected ${bytes}`);
  return inflated;
}

/** Reads `target` from `position` slice by slice, checksumming each slice while the next one is read; returns the CRC-32. */
async function readChecked(handle: FileHandle, target: Uint8Array, position: number, path: string): Promise<number> {
  let crc = 0;
  let reading: Promise<unknown> = readExactly(handle, target.subarray(0, sliceBytes), position, path);
  for (let start = 0; start < target.byteLength; start += sliceBytes) {
    await reading;
    const next = start + sliceBytes;
    if (next < target.byteLength) reading = readExactly(handle, target.subarray(next, next + sliceBytes), position + next, path);
    crc = crc32(target.subarray(start, next), crc);
  }
  await reading; // a failed read of a slice never checked must still surface
  return crc;
}

export async function readExactly(handle: FileHandle, target: Uint8Array, position: number, path: string): Promise<Uint8Array> {
  let done = 0;
  while (done < target.byteLength) {
    let bytesRead: number;
    try {
      ({ bytesRead } = await handle.read(target, done, target.byteLength - done, position + done));
    } catch (error) {
      throw new SpillFileError(`${path} cannot be read (${codeOf(error)})`, { cause: error });
    }
    if (bytesRead === 0) throw new SpillFileError(`${path} ends early: the spill file is truncated`);
    done += bytesRead;
  }
  return target;
}
