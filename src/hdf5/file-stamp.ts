/**
 * What identifies one version of an HDF5 file: its size, modification time and inode. The
 * array's name is made from it (a rewritten file gives new names), each read task carries
 * it (a file changed since the array was made is refused, never mixed into one result), and
 * a thread's open handle is reused only while the file still has it.
 */
import { closeSync, openSync, readSync, statSync } from "node:fs";
import { Hdf5FormatError, Hdf5NotFoundError } from "./errors.js";

export interface FileStamp {
  readonly size: number;
  readonly mtimeMs: number;
  readonly ino: number;
}

export function sameStamp(a: FileStamp, b: FileStamp): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino;
}

/** The stamp of the file at `path`, or an error naming what is there instead of a file. */
export function stampOf(path: string, what: string): FileStamp {
  let stats;
  try {
    stats = statSync(path);
  } catch (error) {
    throw new Hdf5NotFoundError(`${what}: no file at ${path}${error instanceof Error && "code" in error && error.code !== "ENOENT" ? ` (${String(error.code)})` : ""}; on a cluster the file must be on a file system every worker sees`, { cause: error });
  }
  if (!stats.isFile()) throw new Hdf5NotFoundError(`${what}: ${path} is ${stats.isDirectory() ? "a directory" : "not a regular file"}, not an HDF5 file`);
  return { size: stats.size, mtimeMs: stats.mtimeMs, ino: stats.ino };
}

const signature = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Refuses a file without HDF5's signature, which the format places at offset 0, 512, 1024,
 * 2048, … (a user block may come first). Checked before h5wasm opens it: h5wasm's open of a
 * foreign file fails deep in the library with a message about superblocks.
 */
export function checkSignature(path: string, size: number, what: string): void {
  const fd = openSync(path, "r");
  try {
    const bytes = Buffer.alloc(signature.length);
    for (let offset = 0; offset + signature.length <= size; offset = offset === 0 ? 512 : offset * 2) {
      if (readSync(fd, bytes, 0, bytes.length, offset) === bytes.length && bytes.equals(signature)) return;
    }
  } finally {
    closeSync(fd);
  }
  throw new Hdf5FormatError(`${what}: ${path} is not an HDF5 file (no HDF5 signature); for .npy stacks use fromNpyStack, for Zarr fromZarr`);
}
