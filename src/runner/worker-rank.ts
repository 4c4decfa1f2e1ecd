/**
 * Ranks 2 and up: one worker each, named by its rank (so `submit(fn, { workers: ["2"] })`
 * targets rank 2), joining the scheduler named in the scheduler file. The worker stops when
 * the scheduler does; the rank then exits with the client rank's exit status.
 */
import { availableParallelism } from "node:os";
import { createLogger } from "../core/log.js";
import { WorkerServer } from "../worker/server/worker-server.js";
import { parseMemoryLimit } from "../worker/memory/memory-limit.js";
import { exitStatusPath, markExitStatusRead, waitForExitStatus } from "./exit-status.js";
import type { ResolvedRunnerOptions } from "./runner-options.js";
import { waitForRunnerSchedulerFile } from "./scheduler-file-wait.js";
import type { RunnerWorld } from "./world.js";

export async function runWorkerRank(
  world: RunnerWorld,
  schedulerFile: string,
  options: ResolvedRunnerOptions,
  env: Record<string, string | undefined>,
): Promise<number> {
  const logger = createLogger("runner");
  const file = await waitForRunnerSchedulerFile(schedulerFile, options.timeoutSeconds);
  const nthreads = options.nthreads ?? (Number(env.SLURM_CPUS_PER_TASK) || availableParallelism());
  const worker = await WorkerServer.start({
    schedulerAddress: file.address, credential: file.credential, name: String(world.rank), nthreads,
    memoryLimit: parseMemoryLimit(options.memoryLimit, nthreads, (message) => logger.warn(message)),
    localDirectory: options.localDirectory, deathTimeout: options.timeoutSeconds,
    interface: options.workerInterface ?? undefined, jobId: world.jobId ?? undefined, logger,
  });
  const retire = () => worker.retire("received a termination signal");
  process.on("SIGTERM", retire);
  try {
    const reason = await worker.finished;
    const statusFile = exitStatusPath(schedulerFile);
    const status = await waitForExitStatus(statusFile, options.exitStatusWaitSeconds);
    if (status !== null) markExitStatusRead(statusFile, world.rank);
    return status ?? (reason.startsWith("lost") ? 1 : 0);
  } finally {
    process.off("SIGTERM", retire);
  }
}
