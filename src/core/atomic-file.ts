/**
 * A file written whole or not at all: the bytes go to a temporary name beside the target and
 * are renamed over it (atomic on one file system), so a reader never sees a half-written file
 * and a failed write leaves the old one, and nothing else, in place.
 */
import { renameSync, rmSync, writeFileSync } from "node:fs";

export function writeFileAtomic(path: string, data: Uint8Array | string): void {
  const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    writeFileSync(temporary, data);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
