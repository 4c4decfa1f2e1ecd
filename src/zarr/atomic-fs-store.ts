/**
 * A filesystem store for zarrita whose writes are atomic and whose paths stay inside it.
 *
 * `set` writes the value to a temporary file in the same directory and renames it over the
 * key. rename(2) within one directory replaces the name in one step, so a reader sees either
 * the old file or the complete new one, and a writer killed mid-write leaves at most a
 * temporary file that no chunk key ever names (zarr-python's directory store does the same).
 * The temporary name records its writer (partial-files.ts), so a later write can remove it.
 *
 * Every key is checked here, in the one place that turns keys into paths, whoever built it
 * (metadata, a chunk key encoding, a caller's component): a key is "/"-separated names, none
 * of them empty, "." or "..", none holding a NUL byte, so the path it names is inside the
 * root. A crafted separator or component is refused before any file is touched.
 *
 * The store holds no open handles between calls: it is only a root path and a memo of the
 * directories it has already created, so it is safe to keep per process and per thread.
 */
import { promises as fs, readFileSync, statSync, writeFile as writeFileWithCallback } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import type { AbsolutePath, AsyncMutable, GetOptions, RangeQuery } from "@zarrita/storage";
import { ZarrInvalidKeyError } from "./errors.js";
import { partialNameFor } from "./partial-files.js";

/**
 * The callback form of writeFile: fs.promises.writeFile opens a FileHandle (an object with
 * its own close bookkeeping) per file, which measured ~40% more CPU per chunk file
 * (256 files of 100 kB: ~55 ms against ~43 ms, rename included).
 */
const writeWholeFile = promisify(writeFileWithCallback);

export function isErrno(error: unknown, ...codes: string[]): boolean {
  return typeof error === "object" && error !== null && "code" in error && codes.includes(String(error.code));
}

export class AtomicFileSystemStore implements AsyncMutable {
  readonly root: string;
  readonly #knownDirectories = new Set<string>();

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  /**
   * The filesystem path of a store key ("/0/0/.zarray" → "<root>/0/0/.zarray"); "/" or ""
   * is the root. Throws ZarrInvalidKeyError for a key that would leave the store.
   */
  pathOf(key: AbsolutePath | string): string {
    const relative = key.replace(/^\/+/, "");
    if (relative === "") return this.root;
    const names = relative.split("/");
    const bad = names.find((name) => name === "" || name === "." || name === ".." || name.includes("\u0000"));
    if (bad !== undefined) {
      throw new ZarrInvalidKeyError(
        `the store key ${JSON.stringify(key)} of ${this.root} is not a path inside the store ` +
          `(${bad === "" ? "an empty name" : `the name ${JSON.stringify(bad)}`}); check the component and the array's chunk key encoding`,
      );
    }
    const target = path.join(this.root, ...names);
    const inside = path.relative(this.root, target);
    if (inside === "" || inside.startsWith("..") || path.isAbsolute(inside)) {
      throw new ZarrInvalidKeyError(`the store key ${JSON.stringify(key)} names ${target}, outside the store ${this.root}`);
    }
    return target;
  }

  async get(key: AbsolutePath, options: GetOptions = {}): Promise<Uint8Array | undefined> {
    options.signal?.throwIfAborted();
    try {
      const buffer = await fs.readFile(this.pathOf(key), { signal: options.signal });
      return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    } catch (error) {
      // ENOTDIR: a parent of the key is a file, so the key cannot exist either.
      if (isErrno(error, "ENOENT", "ENOTDIR")) return undefined;
      throw error;
    }
  }

  async getRange(key: AbsolutePath, range: RangeQuery, options: GetOptions = {}): Promise<Uint8Array | undefined> {
    options.signal?.throwIfAborted();
    let handle: fs.FileHandle | undefined;
    try {
      handle = await fs.open(this.pathOf(key), "r");
      let offset: number;
      let length: number;
      if ("suffixLength" in range) {
        const { size } = await handle.stat();
        length = Math.min(range.suffixLength, size);
        offset = size - length;
      } else {
        ({ offset, length } = range);
      }
      const bytes = new Uint8Array(length);
      const { bytesRead } = await handle.read(bytes, 0, length, offset);
      return bytesRead === length ? bytes : bytes.subarray(0, bytesRead);
    } catch (error) {
      if (isErrno(error, "ENOENT", "ENOTDIR")) return undefined;
      throw error;
    } finally {
      await handle?.close();
    }
  }

  /**
   * get and has for the small metadata files read before a write's or a graph's first task
   * (an array's kind, its resume token, its data generation), synchronously as the write
   * leases' calls are (write-lease.ts says why): through libuv's pool each read was a few
   * hand-offs to a pool thread and back, each a wake-up of both on a loaded machine.
   */
  getSync(key: AbsolutePath): Uint8Array | undefined {
    try {
      const buffer = readFileSync(this.pathOf(key));
      return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    } catch (error) {
      if (isErrno(error, "ENOENT", "ENOTDIR")) return undefined;
      throw error;
    }
  }

  hasSync(key: AbsolutePath): boolean {
    try {
      return statSync(this.pathOf(key)).isFile();
    } catch (error) {
      if (isErrno(error, "ENOENT", "ENOTDIR")) return false;
      throw error;
    }
  }

  async has(key: AbsolutePath): Promise<boolean> {
    try {
      return (await fs.stat(this.pathOf(key))).isFile();
    } catch (error) {
      if (isErrno(error, "ENOENT", "ENOTDIR")) return false;
      throw error;
    }
  }

  async set(key: AbsolutePath, value: Uint8Array): Promise<void> {
    const target = this.pathOf(key);
    const directory = path.dirname(target);
    await this.#ensureDirectory(directory);
    const temporary = partialNameFor(target);
    try {
      try {
        await writeWholeFile(temporary, value);
      } catch (error) {
        // Another process removed the directory since we made it (an overwrite): make it again.
        if (!isErrno(error, "ENOENT")) throw error;
        this.#knownDirectories.delete(directory);
        await this.#ensureDirectory(directory);
        await writeWholeFile(temporary, value);
      }
      await fs.rename(temporary, target);
    } catch (error) {
      await fs.rm(temporary, { force: true });
      throw error;
    }
  }

  async delete(key: AbsolutePath): Promise<boolean> {
    try {
      await fs.unlink(this.pathOf(key));
      return true;
    } catch (error) {
      if (isErrno(error, "ENOENT", "ENOTDIR")) return false;
      throw error;
    }
  }

  async #ensureDirectory(directory: string): Promise<void> {
    if (this.#knownDirectories.has(directory)) return;
    await fs.mkdir(directory, { recursive: true });
    this.#knownDirectories.add(directory);
  }
}
