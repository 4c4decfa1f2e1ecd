/**
 * How the user's exit status reaches every rank. Rank 1 (the client) writes its process's
 * exit code next to the scheduler file as it exits (synchronously, so a crash writes it
 * too); when the cluster stops, the scheduler rank and the worker ranks wait a little for
 * that file and exit with the same code. A client rank that vanishes without writing it
 * (killed) is recorded as 1 by the scheduler rank before it stops the workers.
 *
 * `<scheduler file>.exit-status` holds the code as text; the scheduler rank removes a stale
 * one at start and its own a moment after the run, once the workers have read it.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { sleep } from "../core/clock.js";

export const exitStatusPath = (schedulerFile: string): string => `${schedulerFile}.exit-status`;

function readExitStatus(path: string): number | null {
  try {
    const value = Number(readFileSync(path, "utf8").trim());
    return Number.isInteger(value) ? value : null;
  } catch {
    return null;
  }
}

/** Synchronous: it runs in process.on("exit"). */
export function writeExitStatus(path: string, code: number): void {
  try {
    writeFileSync(path, `${code}\n`, { mode: 0o600 });
  } catch {
    // The other ranks then fall back to their own judgement.
  }
}

/** The code once the file appears, or null after `seconds`. */
export async function waitForExitStatus(path: string, seconds: number): Promise<number | null> {
  const deadline = Date.now() + seconds * 1000;
  while (true) {
    const code = readExitStatus(path);
    if (code !== null || Date.now() > deadline) return code;
    await sleep(100);
  }
}

export async function removeExitStatus(path: string): Promise<void> {
  await rm(path, { force: true });
}
