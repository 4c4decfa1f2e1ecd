/**
 * This thread's open HDF5 files, read-only, for reuse by the read tasks that follow: opening
 * a file parses its superblock and root group each time. Measured (one thread, a 320³ uint16
 * dataset read as 10×10×10 blocks of 32³, open/close per block against a reused handle):
 * 1.5× the blocks/s with shuffle + gzip (about 300 → 450), 2.6–4.2× uncompressed. A handle is keyed by the resolved path and used only while the file
 * still has the stamp it was opened under: a file rewritten, replaced or appended to since
 * is closed and opened again, so a handle never serves a stale version. At most
 * `maximumOpenFiles` stay open; the least recently used is closed first.
 */
import type { File } from "h5wasm/node";
import { hdf5Failure, loadH5wasm } from "./h5wasm-module.js";
import { Hdf5FormatError } from "./errors.js";
import { type FileStamp, checkSignature, sameStamp } from "./file-stamp.js";

const maximumOpenFiles = 8;

interface OpenFile {
  readonly file: File;
  readonly stamp: FileStamp;
}

const open = new Map<string, OpenFile>();

/** Whether reads reuse handles (the default); off, every read opens and closes the file (the measurement's baseline). */
let reuseHandles = true;

export function setHandleReuse(enabled: boolean): void {
  reuseHandles = enabled;
  if (!enabled) closeOpenFiles();
}

/** Closes every handle this thread holds (tests; a thread that ends closes nothing itself). */
export function closeOpenFiles(): void {
  for (const { file } of open.values()) file.close();
  open.clear();
}

/** Opens `path` read-only, without a cache. The caller closes the file. */
export async function openFile(path: string, stamp: FileStamp, what: string): Promise<File> {
  const { h5wasm } = await loadH5wasm();
  checkSignature(path, stamp.size, what);
  try {
    return new h5wasm.File(path, "r");
  } catch (error) {
    throw new Hdf5FormatError(`${what}: HDF5 cannot open ${path}: ${hdf5Failure(error)}`, { cause: error });
  }
}

/**
 * Runs `use` on `path` opened read-only, under the stamp the caller just read from the file:
 * a cached handle of that version, or a fresh one (cached when reuse is on).
 */
export async function withOpenFile<T>(path: string, stamp: FileStamp, what: string, use: (file: File) => T): Promise<T> {
  if (!reuseHandles) {
    const file = await openFile(path, stamp, what);
    try {
      return use(file);
    } finally {
      file.close();
    }
  }
  let entry = open.get(path);
  if (entry && !sameStamp(entry.stamp, stamp)) {
    open.delete(path);
    entry.file.close();
    entry = undefined;
  }
  if (entry) {
    open.delete(path);
  } else {
    entry = { file: await openFile(path, stamp, what), stamp };
    while (open.size >= maximumOpenFiles) {
      const [oldest, held] = open.entries().next().value as [string, OpenFile];
      open.delete(oldest);
      held.file.close();
    }
  }
  open.set(path, entry);
  return use(entry.file);
}
