/**
 * The temporary files of atomic writes, and cleaning up the ones a killed writer left.
 *
 * The store writes every key to `.<name>~<host>~<pid>~<random>.partial` beside it and renames
 * it into place, so a writer killed mid-write (a memory kill, a walltime) leaves only such a
 * file, never a torn key. The name says who wrote it: the next write or resume of the array
 * deletes the ones whose writer is known to be dead (same host, process gone), and those of
 * other hosts once untouched for `abandonedAfterMs` (a chunk write that has not moved for an
 * hour is not in progress: the file's mtime advances with every write). No Zarr key starts
 * with "." and ends in ".partial", so none of them is ever mistaken for data.
 */
import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { currentWriter, writerLiveness } from "./writer-identity.js";

const partialSuffix = ".partial";
const ownedName = /^\.(.+)~([A-Za-z0-9._-]+)~(\d+)~([0-9a-f]{12})\.partial$/;
/** The names tessera wrote before they carried their host: `.<key>.<pid>.<random>.partial`. */
const unownedName = /^\.(.+)\.(\d+)\.([0-9a-f]{12})\.partial$/;

/** A partial file of another host is taken as abandoned once untouched this long. */
export const abandonedAfterMs = 60 * 60 * 1000;

/** True for the temporary files that atomic writes leave behind when their process is killed. */
export function isPartialWrite(fileName: string): boolean {
  return ownedName.test(fileName) || unownedName.test(fileName);
}

/** The temporary name a write of `target` goes through, owned by this process. */
export function partialNameFor(target: string): string {
  const writer = currentWriter();
  return path.join(path.dirname(target), `.${path.basename(target)}~${writer.host}~${writer.pid}~${randomBytes(6).toString("hex")}${partialSuffix}`);
}

async function isAbandoned(directory: string, name: string, now: number): Promise<boolean> {
  const owner = ownedName.exec(name);
  if (owner) {
    const liveness = writerLiveness({ host: owner[2], pid: Number(owner[3]) });
    if (liveness !== "unknown") return liveness === "dead";
  }
  // Another host's, or an unowned name (written before names carried their writer): by age.
  const stats = await fs.lstat(path.join(directory, name)).catch(() => undefined);
  return stats !== undefined && stats.isFile() && now - stats.mtimeMs > abandonedAfterMs;
}

/**
 * Deletes the abandoned partial files in `directory` and in the subdirectories (given by their
 * "/"-joined path under it) that `descendInto` accepts. Returns how many were deleted.
 */
export async function removeAbandonedPartials(
  directory: string,
  descendInto: (relative: string) => boolean,
  relative = "",
  now = Date.now(),
): Promise<number> {
  let removed = 0;
  const entries = await fs.readdir(directory, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const child = relative === "" ? entry.name : `${relative}/${entry.name}`;
    if (entry.isDirectory()) {
      if (descendInto(child)) removed += await removeAbandonedPartials(path.join(directory, entry.name), descendInto, child, now);
    } else if (entry.isFile() && isPartialWrite(entry.name) && (await isAbandoned(directory, entry.name, now))) {
      await fs.rm(path.join(directory, entry.name), { force: true });
      removed++;
    }
  }
  return removed;
}
