/**
 * JobQueueCluster: a scheduler in this process (usually on a login node) and workers in
 * batch jobs, one job running `processes` workers. Each batch system's class only names its
 * system; everything else is here and in the files this one uses:
 *
 *  - cluster-launch.ts validates every option, then starts the scheduler and writes the
 *    credential into a 0600 file in a shared directory (`--credential-file` in the script);
 *  - batch-jobs.ts submits, cancels and polls the jobs (`squeue` …) and keeps the state file
 *    of submitted ids (so a crashed client's jobs can be cancelled, state-file.ts).
 *
 * What this class decides:
 *  - `scale()` sets a target number of jobs and reconciles, one reconcile at a time: it
 *    submits the missing jobs (a refused submission is the caller's error, with the batch
 *    system's stderr) or stops the cheapest jobs, whole (scaling.ts): their workers retire,
 *    handing their results over, then the job ends by itself or is cancelled.
 *  - A job that ends while the target still wants it (failed, cancelled, node failure,
 *    walltime) is replaced, whatever its number of processes: workers are matched to jobs by
 *    the batch job id they report at registration. A job whose workers will retire at the end
 *    of their lifetime (before the walltime) is replaced ahead of time (`replacementLead`),
 *    so the new workers can take over the results of the retiring ones. Jobs that end before
 *    any worker connected count as failed starts; after `maxFailedStarts` in a row the
 *    cluster stops replacing them until the next scale().
 *  - close() retires the workers, cancels every job, waits (bounded) until the batch system
 *    no longer lists them as pending or running, closes the scheduler, removes its files.
 */
import { sleep, unixSeconds } from "../core/clock.js";
import { ClosedError, TimeoutError, errorMessage } from "../core/errors.js";
import { createLogger } from "../core/log.js";
import type { BatchSystem, JobQueueOptions } from "../config/index.js";
import type { WorkerInfo } from "../scheduler/server/view.js";
import { Adaptive, type AdaptOptions, type ScalableCluster } from "../deploy/adaptive.js";
import { Cluster } from "../deploy/cluster.js";
import { attachDashboard } from "../deploy/dashboard-hook.js";
import { BatchJobs } from "./batch-jobs.js";
import { JobEndedListeners } from "./job-ended-listeners.js";
import { prepareCluster, renderFor, type JobQueueClusterInit } from "./cluster-launch.js";
import type { ResolvedClusterOptions } from "./cluster-options.js";
import { execFileRunner } from "./command-runner.js";
import { isActive, jobInfo, retirementOf, workerBelongsTo, type JobInfo, type TrackedJob } from "./job-tracking.js";
import type { JobResources } from "./resources.js";
import {
  adaptBoundsInWorkers, chooseJobsToStop, dueForReplacement, jobsForRequest, replacementLeadFor, type ScaleRequest,
} from "./scaling.js";
import { removeSharedFiles, type SharedFiles } from "../deploy/shared-files.js";
import { jobWorkerLifetime } from "./worker-command.js";
import { waitForConnectedWorkers } from "../deploy/worker-wait.js";

export type { JobQueueClusterInit } from "./cluster-launch.js";

export interface JobQueueAdaptOptions extends AdaptOptions {
  /** Bounds in whole jobs (each of `processes` workers); combined with minimum/maximum. */
  minimumJobs?: number;
  maximumJobs?: number;
}

/** How long stopped jobs whose workers retired get to end by themselves before being cancelled. */
const selfEndSeconds = 5;

export abstract class JobQueueCluster extends Cluster {
  readonly system: BatchSystem;
  /** Cluster name: the prefix of job and worker names. */
  readonly name: string;
  /** The resolved options of every job (config and explicit options merged). */
  readonly jobOptions: JobQueueOptions;
  /** Cores, processes, threads and memory of each job and worker. */
  readonly resources: JobResources;
  /** The state file recording submitted job ids (see state-file.ts). */
  readonly stateFile: string;
  /** The last error of background work (polling, replacing jobs), also logged. */
  lastError: Error | null = null;

  private readonly options: ResolvedClusterOptions;
  private readonly shared: SharedFiles;
  private readonly lsfUnits: string;
  private readonly logger = createLogger("jobqueue");
  private readonly batch: BatchJobs;
  private targetJobs = 0;
  private failedStarts = 0;
  private replacementPausedWarned = false;
  private reconciling: Promise<void> = Promise.resolve();
  private lastErrorMessage = "";
  /** Seconds before retirement at which a job is replaced; null: only once it ended. */
  private readonly leadSeconds: number | null;
  private aheadTimer: NodeJS.Timeout | null = null;
  private unsubscribe: () => void = () => {};
  private readonly endedListeners = new JobEndedListeners();

  protected constructor(init: JobQueueClusterInit) {
    super(init.scheduler);
    this.system = init.system;
    this.name = init.name;
    this.jobOptions = init.jobOptions;
    this.resources = init.resources;
    this.options = init.clusterOptions;
    this.shared = init.shared;
    this.lsfUnits = init.lsfUnits;
    this.stateFile = init.stateFile;
    this.leadSeconds = replacementLeadFor(init.clusterOptions.replacementLead, jobWorkerLifetime(init.jobOptions)?.durationSeconds);
    this.batch = new BatchJobs({
      system: init.system, jobOptions: init.jobOptions, runner: init.clusterOptions.commandRunner ?? execFileRunner,
      pollIntervalSeconds: init.clusterOptions.pollIntervalSeconds, stateFile: init.stateFile, logger: this.logger,
      owner: { cluster: init.name, schedulerAddress: init.scheduler.address, startedAt: init.scheduler.started },
      onEnded: (jobs) => this.jobsEnded(jobs),
      onError: (what, error) => this.noteError(what, error),
    });
  }

  /**
   * Validates every option, starts the scheduler, writes the shared files and submits
   * `nWorkers` worker jobs. A failure at any step undoes the earlier ones and is thrown.
   */
  protected static async launch<C extends JobQueueCluster>(
    system: BatchSystem,
    options: object,
    create: (init: JobQueueClusterInit) => C,
  ): Promise<C> {
    const prepared = await prepareCluster(system, options);
    let cluster: C | undefined;
    try {
      cluster = create(prepared.init);
      if (prepared.dashboardAddress !== false) {
        const shown = cluster;
        // The dashboard's Jobs page: each job with its polled state, reason and workers.
        const jobs = () => shown.jobs.map((job) => ({ id: job.id, state: job.state, workers: job.workers, ...(job.reason ? { reason: job.reason } : {}) }));
        cluster.dashboardUrl = await attachDashboard(prepared.init.scheduler, prepared.dashboardAddress, prepared.schedulerHost, { jobs });
      }
      cluster.begin();
      if (prepared.init.clusterOptions.nWorkers > 0) await cluster.scale(prepared.init.clusterOptions.nWorkers);
      return cluster;
    } catch (error) {
      if (cluster) await cluster.close();
      else await prepared.undo();
      throw error;
    }
  }

  private begin(): void {
    this.batch.startPolling();
    if (this.leadSeconds !== null) {
      this.aheadTimer = setInterval(() => this.replaceRetiringJobs(), this.options.pollIntervalSeconds * 1000);
      this.aheadTimer.unref();
    }
    this.unsubscribe = this.scheduler.view.subscribe((record) => {
      if (record.kind === "worker-added") {
        const worker = this.scheduler.state.workers.get(record.worker);
        const job = worker && this.batch.active().find((j) => workerBelongsTo(j, worker.identity.name, worker.identity.jobId));
        if (job) {
          job.everConnected = true;
          this.failedStarts = 0;
        }
      } else if (record.kind === "worker-removed" && this.batch.active().length > 0) {
        // Its job may be ending: ask the batch system soon rather than at the next poll.
        this.batch.pollSoon(500);
        this.batch.pollSoon(2500);
      }
    });
    void this.scheduler.finished.then(() => {
      if (this.closing) return;
      this.logger.warn("the scheduler closed (idle timeout?): closing the cluster and cancelling its jobs");
      void this.close();
    });
  }

  // ---- what users see ----

  get requestedWorkers(): number {
    return this.targetJobs * this.resources.processes;
  }

  /** Jobs requested now (the target of the last scale or adapt step). */
  get requestedJobs(): number {
    return this.targetJobs;
  }

  /** Every job submitted and not yet ended, then recently ended ones, with polled states. */
  get jobs(): JobInfo[] {
    const workers = this.scheduler.view.workers();
    return this.batch.tracked.map((job) => this.describeJob(job, workers));
  }

  /**
   * Calls `listener` with each job the batch system is found to have ended (finished,
   * failed with its reason, cancelled, vanished), as the poll that saw it returns. Returns
   * the function that unsubscribes.
   */
  onJobEnded(listener: (job: JobInfo) => void): () => void {
    return this.endedListeners.add(listener);
  }

  private describeJob(job: TrackedJob, workers: WorkerInfo[] = this.scheduler.view.workers()): JobInfo {
    const mine = isActive(job) ? workers.filter((w) => workerBelongsTo(job, w.name, w.jobId)).map((w) => w.name) : [];
    return jobInfo(job, mine, isActive(job) ? retirementOf(job, this.scheduler.state.workers.values()) : null);
  }

  /** The script a job would be submitted with (worker name "dummy-name"). */
  jobScript(): string {
    return this.renderScript("dummy-name");
  }

  /**
   * Asks for workers: `scale(8)` workers (⌈8 / processes⌉ jobs), `scale({ jobs: 2 })`,
   * `scale({ cores: 96 })`, `scale({ memory: "1TB" })`. Resolves once the jobs are submitted
   * (a refused submission rejects with the batch system's message) or, when scaling down,
   * once the stopped jobs have ended. An explicit scale stops adaptive scaling.
   */
  async scale(request: ScaleRequest): Promise<void> {
    this.adaptive?.stop();
    this.adaptive = null;
    await this.scaleToJobs(jobsForRequest(request, this.resources));
  }

  /** Adaptive scaling between bounds in workers and/or whole jobs. */
  override adapt(options: JobQueueAdaptOptions = {}): Adaptive {
    const { minimumJobs, maximumJobs, ...rest } = options;
    const bounds = adaptBoundsInWorkers({ minimum: rest.minimum, maximum: rest.maximum, minimumJobs, maximumJobs }, this.resources.processes);
    this.adaptive?.stop();
    // Adaptive counts workers; whole jobs are started and stopped.
    const requested = () => this.requestedWorkers;
    const target: ScalableCluster = {
      scheduler: this.scheduler,
      get requestedWorkers() {
        return requested();
      },
      scale: (workers: number) => this.scaleToJobs(jobsForRequest(workers, this.resources)),
    };
    this.adaptive = new Adaptive(target, { ...rest, ...bounds });
    return this.adaptive;
  }

  /** Polls the batch system now (replacing ended jobs as the poll loop does) and returns `jobs`. */
  async refreshJobs(): Promise<JobInfo[]> {
    await this.batch.freshPoll();
    await this.reconciling;
    return this.jobs;
  }

  /**
   * Waits until `n` workers are connected; the timeout error shows each job's state. Fails at
   * once when they cannot come: jobs kept ending before their workers connected, so none is
   * submitted until the next scale() (the error names their states and reasons).
   */
  async waitForWorkers(n: number, options: { timeout?: string | number } = {}): Promise<void> {
    const logs = this.jobOptions.logDirectory ? `; job logs are in ${this.jobOptions.logDirectory}` : "";
    await waitForConnectedWorkers(n, options.timeout, {
      connectedWorkers: () => this.scheduler.state.runningWorkers().length,
      isClosing: () => this.closing !== null,
      cannotCome: (wanted) => {
        const coming = this.batch.active().filter((job) => !job.stopping).length * this.resources.processes;
        if (!this.replacementPausedWarned || this.scheduler.state.runningWorkers().length + coming >= wanted) return null;
        const ended = this.batch.tracked.filter((job) => !isActive(job)).slice(-this.failedStarts)
          .map((job) => `${job.id} ${job.status.state}${job.status.reason ? ` (${job.status.reason})` : ""}`).join(", ");
        return `${this.failedStarts} jobs in a row ended before their workers connected (${ended}), so none is submitted until the next scale()${logs}`;
      },
      describe: () => `jobs: ${this.batch.describe()}${logs}`,
    });
  }

  // ---- reconciling the jobs with the target ----

  private async scaleToJobs(jobs: number): Promise<void> {
    if (this.closing) throw new ClosedError(`${this.name} is closed`);
    this.targetJobs = jobs;
    this.failedStarts = 0; // an explicit request tries again
    this.replacementPausedWarned = false;
    await this.reconcile("scale");
  }

  private reconcile(reason: "scale" | "replace"): Promise<void> {
    const run = this.reconciling.then(() => this.reconcileOnce(reason));
    this.reconciling = run.catch(() => {});
    return run;
  }

  private async reconcileOnce(reason: "scale" | "replace"): Promise<void> {
    if (this.closing) return;
    const active = this.batch.active().filter((job) => !job.stopping && !job.superseded);
    const missing = this.targetJobs - active.length;
    if (missing > 0) {
      if (reason === "replace" && this.failedStarts >= this.options.maxFailedStarts) {
        if (!this.replacementPausedWarned) {
          this.replacementPausedWarned = true;
          this.logger.error(`${this.failedStarts} jobs in a row ended before any of their workers connected; not replacing them ` +
            `until the next scale(). Jobs: ${this.batch.describe()}${this.jobOptions.logDirectory ? `; logs in ${this.jobOptions.logDirectory}` : ""}`);
        }
        return;
      }
      try {
        await this.batch.submit(missing, this.name, (name) => this.renderScript(name));
      } catch (error) {
        this.lastError = error as Error;
        throw error;
      }
    } else if (missing < 0) {
      const workers = this.scheduler.view.workers();
      const candidates = active.map((job) => {
        const mine = workers.filter((w) => workerBelongsTo(job, w.name, w.jobId));
        return { job, name: job.name, state: job.status.state, order: job.order, connectedWorkers: mine.length, storedBytes: mine.reduce((sum, w) => sum + w.storedBytes, 0) };
      });
      const chosen = chooseJobsToStop(candidates, -missing).map((candidate) => candidate.job);
      const { left, error } = await this.stopJobs(chosen, this.options.retireTimeoutSeconds);
      if (left.length > 0) {
        throw error ?? new TimeoutError(`jobs ${left.map((j) => `${j.id} (${j.status.state})`).join(", ")} are still listed ` +
          `${this.options.closeTimeoutSeconds} s after cancelling them; check the batch system's queue`);
      }
    }
  }

  /** Jobs the batch system found ended: replaced when the target still wants them. */
  private jobsEnded(ended: TrackedJob[]): void {
    for (const job of ended) this.endedListeners.emit(this.describeJob(job), (error) => this.noteError("an onJobEnded listener threw", error));
    const unwanted = ended.filter((job) => !job.stopping && !job.superseded);
    for (const job of unwanted) {
      const { state, reason } = job.status;
      if (!job.everConnected) this.failedStarts++;
      const how = `job ${job.id} (${job.name}) ${state}${reason ? ` (${reason})` : ""}`;
      if (state === "finished" && job.everConnected) this.logger.info(`${how}: its workers retired`);
      else this.logger.warn(`${how}${job.everConnected ? "" : " before any of its workers connected"}`);
    }
    if (unwanted.length > 0 && !this.closing) {
      this.reconcile("replace").catch((error: unknown) => this.noteError("replacing ended jobs failed", error));
    }
  }

  /** Submits replacements for jobs whose workers retire within the lead time. */
  private replaceRetiringJobs(): void {
    if (this.closing || this.leadSeconds === null) return;
    const now = unixSeconds();
    let due = 0;
    for (const job of this.batch.active()) {
      if (job.stopping || job.superseded) continue;
      const retiresAt = retirementOf(job, this.scheduler.state.workers.values());
      if (retiresAt === null || !dueForReplacement(retiresAt, now, this.leadSeconds)) continue;
      job.superseded = true;
      due++;
      this.logger.info(`job ${job.id} (${job.name}): its workers retire in ${Math.round(retiresAt - now)} s; submitting its replacement`);
    }
    if (due === 0) return;
    this.reconcile("replace").catch((error: unknown) => this.noteError("replacing retiring jobs failed", error));
  }

  /**
   * Stops jobs: their workers retire (results move to other workers), a job whose workers
   * all left usually ends by itself (COMPLETED, not CANCELLED: jobqueue#640), the rest are
   * cancelled; then waits until the batch system shows them ended. Returns the jobs still
   * pending or running after `closeTimeout`, with the cancel command's error if it failed.
   */
  private async stopJobs(jobs: TrackedJob[], retireSeconds: number): Promise<{ left: TrackedJob[]; error: Error | null }> {
    if (jobs.length === 0) return { left: [], error: null };
    for (const job of jobs) job.stopping = true;
    const addresses = this.scheduler.view.workers().filter((w) => jobs.some((job) => workerBelongsTo(job, w.name, w.jobId))).map((w) => w.address);
    if (addresses.length > 0) {
      await this.retireWorkers(addresses, retireSeconds);
      await this.batch.waitForEnd(jobs.filter((job) => job.everConnected), selfEndSeconds);
    }
    const error = await this.batch.cancel(jobs);
    const left = await this.batch.waitForEnd(jobs, this.options.closeTimeoutSeconds);
    return { left, error };
  }

  /** Graceful retirement on the scheduler, bounded by `seconds`. */
  private async retireWorkers(addresses: string[], seconds: number): Promise<void> {
    const retired = this.scheduler.retireWorkers(addresses);
    const timeout = new AbortController();
    await Promise.race([retired, sleep(seconds * 1000, timeout.signal).catch(() => {})]);
    timeout.abort();
  }

  private renderScript(workerName: string): string {
    const options = { ...this.jobOptions, workerExtraArgs: [...this.jobOptions.workerExtraArgs, ...this.shared.workerFlags] };
    return renderFor(options, { schedulerAddress: this.schedulerAddress, workerName, credentialFile: this.shared.credentialFile, lsfUnits: this.lsfUnits });
  }

  /** Background failures: kept in lastError; logged once until the message changes (a poll repeats every few seconds). */
  private noteError(what: string, error: unknown): void {
    const message = `${what}: ${errorMessage(error)}`;
    if (message !== this.lastErrorMessage) this.logger.warn(message);
    this.lastErrorMessage = message;
    this.lastError = error instanceof Error ? error : new Error(String(error));
  }

  // ---- closing ----

  protected async shutdown(): Promise<void> {
    this.batch.stopPolling();
    if (this.aheadTimer) clearInterval(this.aheadTimer);
    this.unsubscribe();
    this.targetJobs = 0;
    await this.reconciling;
    try {
      const { left, error } = await this.stopJobs(this.batch.active(), Math.min(10, this.options.retireTimeoutSeconds));
      if (error && left.length > 0) this.logger.warn(errorMessage(error));
    } finally {
      await this.scheduler.close();
      await removeSharedFiles(this.shared);
      await this.batch.finishStateFile(this.options.closeTimeoutSeconds);
    }
  }
}
