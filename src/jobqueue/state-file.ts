/**
 * The state file of a job-queue cluster: which batch jobs it has submitted and not yet seen
 * end, rewritten (atomically) on every change and deleted by a clean close(). If the client
 * process dies hard (kill -9, a login node reboot), its queued jobs would otherwise start
 * later and idle until their death timeout, and an unsatisfiable one would wait forever
 * (dask-jobqueue leaves them). The file lets anyone cancel them afterwards:
 *
 *   import { cancelOrphanedJobs } from "tessera/jobqueue";
 *   await cancelOrphanedJobs();           // clusters of this host whose process is gone
 *
 * or by hand: `scancel $(node -e 'console.log(require("<file>").jobs.map(j => j.id).join(" "))')`
 * (qdel, bkill or condor_rm for the other systems). Files live in ~/.tessera/jobqueue/ unless
 * a cluster was given `stateDirectory`.
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { homedir, hostname } from "node:os";
import { join } from "node:path";
import type { BatchSystem } from "../config/index.js";
import { isBatchSystem } from "../config/index.js";
import { batchSystems } from "./batch-systems.js";
import { execFileRunner, type CommandRunner } from "./command-runner.js";
import { pollJobs } from "./job-status.js";
import { cancelJobs } from "./submit.js";
import { processAlive } from "../core/process-alive.js";

export interface ClusterStateFile {
  system: BatchSystem;
  cluster: string;
  schedulerAddress: string;
  host: string;
  pid: number;
  createdAt: string;
  cancelCommandExtra: string[];
  /** Submitted jobs not yet seen ended. */
  jobs: Array<{ id: string; name: string }>;
}

export const defaultStateDirectory = (): string => join(homedir(), ".tessera", "jobqueue");

export async function writeStateFile(path: string, state: ClusterStateFile): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  await rename(temporary, path);
}

export async function createStateDirectory(directory: string): Promise<void> {
  await mkdir(directory, { recursive: true, mode: 0o700 });
}

export interface OrphanedCluster {
  file: string;
  system: BatchSystem;
  cluster: string;
  jobIds: string[];
  /** What cancelling said, when it failed for jobs that are still queued or running. */
  error?: string;
}

export interface CancelOrphanedOptions {
  directory?: string;
  runner?: CommandRunner;
  /** Also clusters whose process still runs (default false: only dead clients' jobs). */
  includeLive?: boolean;
}

/**
 * Cancels the jobs recorded by clusters of this host whose process is gone, and removes
 * their state files. Resolves with what was found; a cluster whose jobs could not be
 * cancelled keeps its file and reports the error.
 */
export async function cancelOrphanedJobs(options: CancelOrphanedOptions = {}): Promise<OrphanedCluster[]> {
  const directory = options.directory ?? defaultStateDirectory();
  const runner = options.runner ?? execFileRunner;
  let names: string[];
  try {
    names = (await readdir(directory)).filter((name) => name.endsWith(".json"));
  } catch {
    return [];
  }
  const found: OrphanedCluster[] = [];
  for (const name of names) {
    const file = join(directory, name);
    let state: ClusterStateFile;
    try {
      state = JSON.parse(await readFile(file, "utf8")) as ClusterStateFile;
    } catch {
      continue; // being written, or not ours
    }
    if (!isBatchSystem(state.system) || !Array.isArray(state.jobs)) continue;
    if (state.host !== hostname()) continue;
    if (!options.includeLive && processAlive(state.pid)) continue;
    const ids = state.jobs.map((job) => job.id);
    const orphan: OrphanedCluster = { file, system: state.system, cluster: state.cluster, jobIds: ids };
    try {
      await cancelJobs(state.system, ids, runner, { cancelCommandExtra: state.cancelCommandExtra });
    } catch (error) {
      // Jobs that already ended make the cancel command fail; only live ones matter.
      const statuses = await pollJobs(state.system, ids, runner).catch(() => null);
      const live = statuses?.filter((status) => status.state === "pending" || status.state === "running") ?? ids;
      if (live.length > 0) orphan.error = (error as Error).message;
    }
    if (!orphan.error) await rm(file, { force: true });
    found.push(orphan);
  }
  return found;
}

/** The cancel command line for a state file, for messages. */
export function cancelCommandFor(state: Pick<ClusterStateFile, "system" | "cancelCommandExtra" | "jobs">): string {
  return [batchSystems[state.system].cancelCommand, ...state.cancelCommandExtra, ...state.jobs.map((job) => job.id)].join(" ");
}
