/**
 * The scheduler file: Dask's fields (type, id, address, services, started, n_workers,
 * total_threads, total_memory, workers) plus the cluster credential, so whoever can read the
 * file can join the cluster and nobody else can. Written atomically (temporary file + rename)
 * and readable by the user only (mode 0600); deleted when the scheduler closes.
 */
import { chmod, open, rename, rm } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { dirname, basename, join } from "node:path";
import { InvalidOptionError, TimeoutError } from "../core/errors.js";
import { sleep } from "../core/clock.js";

export interface SchedulerFileContents {
  type: "Scheduler";
  id: string;
  address: string;
  services: Record<string, number>;
  started: number;
  n_workers: number;
  total_threads: number;
  total_memory: number;
  workers: Record<string, unknown>;
  credential: string;
}

export async function writeSchedulerFile(path: string, contents: SchedulerFileContents): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  let handle;
  try {
    handle = await open(temporary, "w", 0o600);
    await handle.writeFile(JSON.stringify(contents, null, 2));
    await handle.sync();
  } catch (error) {
    throw new InvalidOptionError(`cannot write the scheduler file ${path}: ${(error as Error).message}`, { cause: error });
  } finally {
    await handle?.close();
  }
  await chmod(temporary, 0o600);
  await rename(temporary, path);
}

export async function removeSchedulerFile(path: string): Promise<void> {
  await rm(path, { force: true });
}

/** Reads a scheduler file; undefined while it does not exist (yet). */
export function readSchedulerFile(path: string): SchedulerFileContents | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new InvalidOptionError(`cannot read the scheduler file ${path}: ${(error as Error).message}`, { cause: error });
  }
  let parsed: Partial<SchedulerFileContents>;
  try {
    parsed = JSON.parse(text) as Partial<SchedulerFileContents>;
  } catch (error) {
    throw new InvalidOptionError(`scheduler file ${path} is not valid JSON; is it a tessera scheduler file?`, { cause: error });
  }
  if (typeof parsed.address !== "string") throw new InvalidOptionError(`scheduler file ${path} has no address`);
  return parsed as SchedulerFileContents;
}

/**
 * Waits for a scheduler file to appear (a scheduler starting on another node of a shared
 * filesystem), polling every 200 ms, up to `timeoutSeconds` (Infinity waits forever).
 */
export async function waitForSchedulerFile(path: string, timeoutSeconds: number, signal?: AbortSignal): Promise<SchedulerFileContents> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  while (true) {
    const contents = readSchedulerFile(path);
    if (contents) return contents;
    if (Date.now() > deadline) {
      throw new TimeoutError(`scheduler file ${path} did not appear within ${timeoutSeconds} s; is the scheduler running and is the path on a filesystem both sides share?`);
    }
    await sleep(200, signal);
  }
}
