/**
 * Failures of the spill directory itself, as opposed to one value that cannot be written: a
 * full disk (ENOSPC), an exhausted quota (EDQUOT), a failing device (EIO), a filesystem
 * remounted read-only (EROFS). After one of these every further write there fails too, and
 * trying again and again only delays the real news: so the data store stops spilling at
 * once and says, in words a user can act on, which directory is the problem and how much
 * room it has left. The memory policy then works as with spilling off (pause, then fail
 * waiting tasks after the pause timeout), with this message as the cause.
 */
import { statfs } from "node:fs/promises";
import { formatBytes } from "../../core/units.js";

const failures: Record<string, string> = {
  ENOSPC: "is full",
  EDQUOT: "is over its disk quota",
  EIO: "has an I/O error",
  EROFS: "is on a read-only filesystem",
};

/** Whether `error` (from writing a spill file) means the directory can take no more files. */
export function isSpillDiskFailure(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === "string" && code in failures;
}

/** Bytes an unprivileged writer may still put in `directory`, or undefined when unknown. */
export async function freeBytesIn(directory: string): Promise<number | undefined> {
  try {
    const stats = await statfs(directory);
    return stats.bavail * stats.bsize;
  } catch {
    return undefined;
  }
}

/** "spill directory /x is full (1.2 MiB free)": the cause, short enough for other messages. */
export function describeSpillDiskFailure(directory: string, error: NodeJS.ErrnoException, freeBytes: number | undefined): string {
  const code = error.code as string;
  const room = freeBytes === undefined ? "" : `${formatBytes(freeBytes)} free, `;
  return `spill directory ${directory} ${failures[code]} (${room}${code} writing a spill file)`;
}

/** The full log line and event: what happened, what the worker does now, what to do. */
export function spillStoppedMessage(cause: string): string {
  return `${cause}: this worker writes no more spill files and keeps its results in memory (pausing when memory runs short). ` +
    "Free space there and restart the worker, or give the workers a larger node-local directory (localDirectory, --local-directory)";
}
