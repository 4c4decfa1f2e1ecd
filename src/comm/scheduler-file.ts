/**
 * The scheduler file: Dask's fields (type, id, address, services, started, n_workers,
 * total_threads, total_memory, workers) plus the cluster credential, so whoever can read the
 * file can join the cluster and nobody else can. Readable by the user only (mode 0600);
 * deleted when the scheduler closes.
 *
 * Written atomically through a temporary file in the same directory whose name nobody can
 * guess (random), created with O_CREAT|O_EXCL|O_NOFOLLOW: a link planted in a shared
 * directory can neither redirect the write (the create fails on any existing name) nor be
 * followed by the rename (rename replaces a name, it does not write through it). What is at
 * the target is replaced only when it is a scheduler file (a stale one, as Dask replaces it);
 * a link or any other file there is refused and left as it was.
 */
import { constants, readFileSync } from "node:fs";
import { lstat, open, readFile, rename, rm } from "node:fs/promises";
import { randomBytes } from "node:crypto";
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

/** A scheduler file is small; a larger file at the path is something else. */
const maxSchedulerFileBytes = 1024 * 1024;

function isSchedulerFileText(text: string): boolean {
  try {
    const parsed = JSON.parse(text) as Partial<SchedulerFileContents> | null;
    return parsed !== null && typeof parsed === "object" && parsed.type === "Scheduler" && typeof parsed.address === "string";
  } catch {
    return false;
  }
}

/** Refuses to replace what is at `path` unless it is a (stale or our own) scheduler file. */
async function checkReplaceable(path: string): Promise<void> {
  const stats = await lstat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined;
    throw new InvalidOptionError(`cannot write the scheduler file ${path}: ${error.message}`, { cause: error });
  });
  if (!stats) return;
  const refuse = (what: string) =>
    new InvalidOptionError(`cannot write the scheduler file ${path}: ${what}, which tessera does not replace; remove it or choose another path`);
  if (stats.isSymbolicLink()) throw refuse("a symbolic link is there");
  if (!stats.isFile()) throw refuse("something that is not a regular file is there");
  if (stats.size > maxSchedulerFileBytes || !isSchedulerFileText(await readFile(path, "utf8").catch(() => ""))) {
    throw refuse("a file that is not a tessera scheduler file is there");
  }
}

export async function writeSchedulerFile(path: string, contents: SchedulerFileContents): Promise<void> {
  await checkReplaceable(path);
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(12).toString("hex")}.tmp`);
  let created = false;
  try {
    const handle = await open(temporary, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | constants.O_NOFOLLOW, 0o600);
    created = true;
    try {
      await handle.writeFile(JSON.stringify(contents, null, 2));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    // Only a file this call created is removed: a name that already existed made open fail.
    if (created) await rm(temporary, { force: true });
    throw new InvalidOptionError(`cannot write the scheduler file ${path}: ${(error as Error).message}`, { cause: error });
  }
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
