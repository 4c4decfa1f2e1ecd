/**
 * A runner turns the N processes of one launch (`srun -n N node script.js`, `mpirun -np N …`)
 * into a cluster: every process calls `start()`, rank 0 serves as the scheduler and ranks ≥ 2
 * as workers inside it and exit the process when the cluster stops; only rank 1 returns,
 * with a Runner the user's code connects a Client to. When the user's code is done
 * (`await using runner`, or `runner.close()`) the cluster stops, and every rank exits with
 * the client rank's exit status, so a failure of the user's code fails the whole step.
 * If the client rank dies without closing, the scheduler rank notices its connection go and
 * stops the cluster; a scheduler file that never appears is a timeout naming the path.
 * Rank 1 keeps a connection to the scheduler until the runner is closed, so a script that
 * neither uses `await using` nor calls close() does not exit.
 */
import { errorMessage } from "../core/errors.js";
import { Client, type ClusterLike } from "../client/client.js";
import { exitStatusPath, writeExitStatus } from "./exit-status.js";
import { announceClientRank, requestTermination } from "./runner-control.js";
import { resolveRunnerOptions, type RunnerOptions } from "./runner-options.js";
import { runSchedulerRank } from "./scheduler-rank.js";
import { waitForRunnerSchedulerFile } from "./scheduler-file-wait.js";
import { runWorkerRank } from "./worker-rank.js";
import { checkWorldSize, roleOf, schedulerFilePath, type RunnerWorld } from "./world.js";

export type { RunnerOptions } from "./runner-options.js";

/** What rank 1 gets back: where the cluster is, for `Client.connect(runner)`. */
export class Runner implements ClusterLike, AsyncDisposable {
  private closed = false;

  constructor(
    readonly schedulerAddress: string,
    readonly credential: string,
    /** Workers in this job: the number of processes minus the scheduler and the client. */
    readonly nWorkers: number,
    readonly rank: number,
    readonly jobId: string | null,
    readonly schedulerFile: string,
    private readonly control: Client,
  ) {}

  /** Stops the cluster: the scheduler and worker ranks end. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.control.runOnScheduler(requestTermination);
    } catch {
      // The scheduler is already gone: nothing left to stop.
    }
    await this.control.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/**
 * Starts this process's part of the cluster. Resolves only on rank 1; the other ranks run
 * their role and then end the process (options.exit) with the client's exit status.
 */
export async function startRunner(world: RunnerWorld, runnerOptions: RunnerOptions): Promise<Runner> {
  const options = resolveRunnerOptions(runnerOptions);
  checkWorldSize(world);
  const schedulerFile = schedulerFilePath(options.schedulerFileTemplate, world.jobId);
  const exit = runnerOptions.exit ?? ((code: number) => process.exit(code));
  const role = roleOf(world.rank);
  if (role === "client") return startClientRank(world, schedulerFile, options.timeoutSeconds);
  let code: number;
  try {
    code = role === "scheduler"
      ? await runSchedulerRank(schedulerFile, world.size, options)
      : await runWorkerRank(world, schedulerFile, options, runnerOptions.env ?? process.env);
  } catch (error) {
    process.stderr.write(`tessera runner, rank ${world.rank} (${role}): ${errorMessage(error)}\n`);
    code = 1;
  }
  exit(code);
  // Only a test's exit returns; a real rank never gets here.
  return new Promise<Runner>(() => {});
}

async function startClientRank(world: RunnerWorld, schedulerFile: string, timeoutSeconds: number): Promise<Runner> {
  // Written as the process exits, however it exits (a thrown error included): the other
  // ranks end with the same status.
  const statusFile = exitStatusPath(schedulerFile);
  process.once("exit", (code) => writeExitStatus(statusFile, code));
  const file = await waitForRunnerSchedulerFile(schedulerFile, timeoutSeconds);
  const control = await Client.connect(file.address, { credential: file.credential, setAsDefault: false, timeout: timeoutSeconds });
  await control.runOnScheduler(announceClientRank);
  return new Runner(file.address, file.credential, world.size - 2, world.rank, world.jobId, schedulerFile, control);
}

