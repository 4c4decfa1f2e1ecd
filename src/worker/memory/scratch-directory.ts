/**
 * A worker's scratch directory, `<localDirectory>/tessera-worker-XXXXXX`, and the clean-up of
 * those whose worker died without removing its own (a memory kill, the kernel's OOM killer, a
 * batch system's SIGKILL of the whole job): spill files are as big as the memory they relieved,
 * and a node-local disk that fills with dead workers' files fails the next job.
 *
 * Rule: remove only what tessera made, and only when its owner is certainly dead. A directory
 * is removed when all of these hold:
 * - its name is `tessera-worker-` and six characters (mkdtemp's), it is a real directory (not
 *   a link), and it belongs to this user;
 * - it holds the marker file `tessera-worker.json`, written by the worker right after it
 *   created the directory, naming this host and the worker's process (pid, start time, boot);
 * - that process is gone: no such pid (or only its zombie), a pid now used by a process
 *   started at another time, or the machine has rebooted since.
 * Anything else in localDirectory (a user's files, a directory without a marker, one of a
 * live worker or of another host sharing the folder) is never touched.
 */
import { hostname } from "node:os";
import { lstat, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { processAlive } from "../../core/process-alive.js";

export const scratchPrefix = "tessera-worker-";
export const scratchMarker = "tessera-worker.json";
const scratchName = /^tessera-worker-[A-Za-z0-9]{6}$/;
const markerTag = "tessera worker scratch directory";

/** Who made a scratch directory, as its marker says. */
export interface ScratchOwner {
  tag: string;
  host: string;
  pid: number;
  /** The process's start time in clock ticks since boot (/proc/<pid>/stat field 22); null where unknown. */
  processStart: number | null;
  /** /proc/sys/kernel/random/boot_id at creation; null where unknown. */
  bootId: string | null;
}

/** How to look at processes: the real /proc, or a test's stand-in. */
export interface ProcessTable {
  hostname(): string;
  bootId(): string | null;
  /** The start time of `pid`, null where it cannot be read, undefined when there is no such process (or only its zombie). */
  processStart(pid: number): number | null | undefined;
}

export const systemProcessTable: ProcessTable = {
  hostname: () => hostname(),
  bootId: () => {
    try {
      return readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
    } catch {
      return null;
    }
  },
  processStart: (pid) => {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      return processAlive(pid) ? null : undefined;
    }
    // The command name (field 2) is in parentheses and may hold spaces: count from after it.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (fields[0] === "Z" || fields[0] === "X") return undefined; // exited, not yet reaped
    const start = Number(fields[19]);
    return Number.isFinite(start) ? start : null;
  },
};

/** Where /proc is missing: signal 0 says whether the pid exists (EPERM: it does, another user's). */
/** The marker this process writes into the directory it creates. */
export function ownerOfThisProcess(table: ProcessTable = systemProcessTable): ScratchOwner {
  return { tag: markerTag, host: table.hostname(), pid: process.pid, processStart: table.processStart(process.pid) ?? null, bootId: table.bootId() };
}

/** Whether the process that wrote `owner` is certainly gone (false whenever in doubt). */
export function ownerIsDead(owner: ScratchOwner, table: ProcessTable = systemProcessTable): boolean {
  if (owner.tag !== markerTag || owner.host !== table.hostname() || !Number.isInteger(owner.pid) || owner.pid <= 0) return false;
  const bootId = table.bootId();
  if (owner.bootId && bootId && owner.bootId !== bootId) return true;
  const start = table.processStart(owner.pid);
  if (start === undefined) return true;
  return start !== null && owner.processStart !== null && start !== owner.processStart;
}

/** Creates `<parent>/tessera-worker-XXXXXX` with its marker and a `storage` folder for spill files. */
export async function createScratchDirectory(parent: string, table: ProcessTable = systemProcessTable): Promise<{ directory: string; spillDirectory: string }> {
  const directory = await mkdtemp(join(parent, scratchPrefix));
  await writeFile(join(directory, scratchMarker), JSON.stringify(ownerOfThisProcess(table)), { flag: "wx", mode: 0o600 });
  const spillDirectory = join(directory, "storage");
  await mkdir(spillDirectory);
  return { directory, spillDirectory };
}

/** The owner named by a directory's marker, or null when it is not a scratch directory of ours. */
async function readOwner(directory: string): Promise<ScratchOwner | null> {
  try {
    const stats = await lstat(directory);
    if (!stats.isDirectory() || (process.getuid && stats.uid !== process.getuid())) return null;
    const marker = join(directory, scratchMarker);
    if (!(await lstat(marker)).isFile()) return null;
    const owner = JSON.parse(await readFile(marker, "utf8")) as ScratchOwner;
    return owner && typeof owner === "object" ? owner : null;
  } catch {
    return null; // no marker (yet), unreadable, not JSON: not ours to judge
  }
}

/**
 * Removes the scratch directories in `parent` whose workers are dead (see the rule above).
 * Returns the directories removed; failures to remove are reported, not thrown.
 */
export async function removeDeadScratchDirectories(parent: string, onWarning: (message: string) => void = () => {}, table: ProcessTable = systemProcessTable): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(parent);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!scratchName.test(name)) continue;
    const directory = join(parent, name);
    const owner = await readOwner(directory);
    if (!owner || !ownerIsDead(owner, table)) continue;
    try {
      await rm(directory, { recursive: true, force: true });
      removed.push(directory);
    } catch (error) {
      onWarning(`could not remove ${directory}, left by a dead worker (pid ${owner.pid}): ${(error as Error).message}`);
    }
  }
  return removed;
}
