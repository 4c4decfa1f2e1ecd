/**
 * How the user's exit status reaches every rank. Rank 1 (the client) writes its process's
 * exit code next to the scheduler file as it exits (synchronously, so a crash writes it
 * too); when the cluster stops, the scheduler rank and the worker ranks wait a little for
 * that file and exit with the same code. A client rank that vanishes without writing it
 * (killed) is recorded as 1 by the scheduler rank before it stops the workers.
 *
 * `<scheduler file>.exit-status` holds the code as text and a newline, written whole and
 * renamed into place: a rank polling for it must never read a file caught between its
 * creation and its write (an empty file once read as exit status 0). Each worker rank that
 * has read it says so with `<status file>.read-by-<rank>`; the scheduler rank removes the
 * status and those marks once every worker rank has read it (or after the exit-status wait),
 * and removes stale ones — a killed client's `.partial-<pid>` too — at start.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { readdir, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { sleep } from "../core/clock.js";

export const exitStatusPath = (schedulerFile: string): string => `${schedulerFile}.exit-status`;

const readMarkPath = (statusFile: string, rank: number): string => `${statusFile}.read-by-${rank}`;

/** How often a rank looks for a file another rank writes. */
const pollMs = 100;

/** The code, or null while the file is missing or not yet a whole "<integer>\n" record. */
function readExitStatus(path: string): number | null {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return null;
  }
  const match = /^(-?\d+)\n$/.exec(text);
  return match ? Number(match[1]) : null;
}

/** Synchronous: it runs in process.on("exit"). */
export function writeExitStatus(path: string, code: number): void {
  const partial = `${path}.partial-${process.pid}`;
  try {
    writeFileSync(partial, `${code}\n`, { mode: 0o600 });
    renameSync(partial, path);
  } catch {
    // The other ranks then fall back to their own judgement.
    rmSync(partial, { force: true });
  }
}

/** The code once the file appears, or null after `seconds`. */
export async function waitForExitStatus(path: string, seconds: number): Promise<number | null> {
  const deadline = Date.now() + seconds * 1000;
  while (true) {
    const code = readExitStatus(path);
    if (code !== null || Date.now() > deadline) return code;
    await sleep(pollMs);
  }
}

/** A worker rank's mark that it has read the status (so the scheduler rank may remove it). */
export function markExitStatusRead(path: string, rank: number): void {
  try {
    writeFileSync(readMarkPath(path, rank), "", { mode: 0o600 });
  } catch {
    // The scheduler rank then removes the status after its wait.
  }
}

/** Resolves once every rank in `ranks` has marked the status read, or after `seconds`. */
export async function waitForExitStatusReads(path: string, ranks: readonly number[], seconds: number): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  const unread = (): number[] => ranks.filter((rank) => !existsSync(readMarkPath(path, rank)));
  while (unread().length > 0 && Date.now() <= deadline) await sleep(pollMs);
}

/**
 * Removes the status, the read marks of `ranks` and any `.partial-<pid>` a client left when it
 * was killed between writing its status and renaming it into place.
 */
export async function removeExitStatus(path: string, ranks: readonly number[]): Promise<void> {
  const partialPrefix = `${basename(path)}.partial-`;
  const partials = (await readdir(dirname(path)).catch(() => [] as string[]))
    .filter((name) => name.startsWith(partialPrefix))
    .map((name) => join(dirname(path), name));
  await Promise.all([path, ...ranks.map((rank) => readMarkPath(path, rank)), ...partials].map((file) => rm(file, { force: true })));
}
