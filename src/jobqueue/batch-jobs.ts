/**
 * The batch jobs of one cluster, as the batch system sees them: submitting (a few at a time:
 * sites refuse bursts, jobqueue#190), cancelling, polling their states (`squeue` …) on a
 * timer and on demand, and keeping the state file in step. It decides nothing: the cluster
 * is told which jobs ended (`onEnded`) and decides whether to replace them.
 */
import { rm } from "node:fs/promises";
import { hostname } from "node:os";
import type { BatchSystem, JobQueueOptions } from "../config/index.js";
import { sleep, unixSeconds } from "../core/clock.js";
import { errorMessage } from "../core/errors.js";
import type { Logger } from "../core/log.js";
import type { CommandRunner } from "./command-runner.js";
import { pollJobs } from "./job-status.js";
import { applyJobStatuses, isActive, newTrackedJob, type TrackedJob } from "./job-tracking.js";
import { cancelCommandFor, writeStateFile, type ClusterStateFile } from "./state-file.js";
import { cancelJobs, submitJob } from "./submit.js";

const submitConcurrency = 8;
/** Ended jobs kept for `cluster.jobs`. */
const endedJobsKept = 100;
const statusPollMs = 250;

export interface BatchJobsContext {
  system: BatchSystem;
  jobOptions: JobQueueOptions;
  runner: CommandRunner;
  pollIntervalSeconds: number;
  stateFile: string;
  /** Who the state file says the jobs belong to. */
  owner: { cluster: string; schedulerAddress: string; startedAt: number };
  logger: Logger;
  /** Called with the jobs a poll found ended. */
  onEnded(jobs: TrackedJob[]): void;
  /** Background failures (polling, state file), logged and kept by the cluster. */
  onError(what: string, error: unknown): void;
}

export class BatchJobs {
  /** In submission order: the active jobs and up to `endedJobsKept` ended ones. */
  tracked: TrackedJob[] = [];
  private submittedCount = 0;
  private polling: Promise<void> | null = null;
  private stateWrite: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private readonly soonTimers = new Set<NodeJS.Timeout>();

  constructor(private readonly context: BatchJobsContext) {}

  /** Jobs given up for lost when the batch system never lists them (some register lazily). */
  private get unknownGraceSeconds(): number {
    return Math.max(60, 3 * this.context.pollIntervalSeconds);
  }

  active(): TrackedJob[] {
    return this.tracked.filter(isActive);
  }

  startPolling(): void {
    this.saveState();
    this.timer = setInterval(() => void this.poll(), this.context.pollIntervalSeconds * 1000);
    this.timer.unref();
  }

  stopPolling(): void {
    if (this.timer) clearInterval(this.timer);
    for (const timer of this.soonTimers) clearTimeout(timer);
    this.soonTimers.clear();
  }

  /** Submits `count` jobs named `<prefix>-<n>`; throws the first refusal once all have been tried. */
  async submit(count: number, prefix: string, render: (workerName: string) => string): Promise<void> {
    const failures: unknown[] = [];
    let next = 0;
    const lane = async () => {
      while (next < count) {
        next++;
        try {
          await this.submitOne(prefix, render);
        } catch (error) {
          failures.push(error);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(count, submitConcurrency) }, lane));
    await this.stateWrite;
    if (failures.length > 0) {
      this.context.logger.error(`${failures.length} of ${count} job submissions failed: ${errorMessage(failures[0])}`);
      throw failures[0];
    }
  }

  private async submitOne(prefix: string, render: (workerName: string) => string): Promise<void> {
    const order = this.submittedCount++;
    const name = `${prefix}-${order}`;
    const options = this.context.jobOptions;
    const id = await submitJob(this.context.system, render(name), this.context.runner, {
      useStdin: options.system === "lsf" ? options.useStdin : undefined,
      submitCommandExtra: options.system === "htcondor" ? options.submitCommandExtra : undefined,
    });
    // Kept in submission order, however the concurrent submissions return.
    const job = newTrackedJob(name, id, order, unixSeconds());
    const after = this.tracked.findIndex((other) => other.order > order);
    this.tracked.splice(after === -1 ? this.tracked.length : after, 0, job);
    this.context.logger.info(`submitted job ${id} (${name})`);
    this.saveState();
  }

  /** Runs the cancel command for the jobs still active; its failure is returned, not thrown. */
  async cancel(jobs: TrackedJob[]): Promise<Error | null> {
    const live = jobs.filter(isActive);
    if (live.length === 0) return null;
    for (const job of live) job.cancelled = true;
    try {
      const options = this.context.jobOptions;
      await cancelJobs(this.context.system, live.map((job) => job.id), this.context.runner, {
        cancelCommandExtra: options.system === "htcondor" ? options.cancelCommandExtra : undefined,
      });
      return null;
    } catch (error) {
      return error as Error;
    }
  }

  /** Polls `jobs` until none is pending or running, or `seconds` pass; returns those still active. */
  async waitForEnd(jobs: TrackedJob[], seconds: number): Promise<TrackedJob[]> {
    const deadline = Date.now() + seconds * 1000;
    while (true) {
      const active = jobs.filter(isActive);
      if (active.length === 0) break;
      await this.pollAndApply(active);
      if (!jobs.some(isActive) || Date.now() > deadline) break;
      await sleep(statusPollMs);
    }
    this.saveState();
    await this.stateWrite;
    return jobs.filter(isActive);
  }

  /** One poll at a time; a caller that needs fresh states waits for the one in flight first. */
  poll(): Promise<void> {
    this.polling ??= this.pollActive().finally(() => (this.polling = null));
    return this.polling;
  }

  async freshPoll(): Promise<void> {
    if (this.polling) await this.polling;
    await this.poll();
  }

  /** Another poll in `delayMs` (a worker left: its job may be ending). */
  pollSoon(delayMs: number): void {
    const timer = setTimeout(() => {
      this.soonTimers.delete(timer);
      void this.poll();
    }, delayMs);
    timer.unref();
    this.soonTimers.add(timer);
  }

  private async pollActive(): Promise<void> {
    const active = this.active();
    if (active.length === 0) return;
    const ended = await this.pollAndApply(active);
    if (ended.length === 0) return;
    // Failed but still queued (Grid Engine's Eqw): deleted, or it would sit in the queue for ever.
    const stuck = ended.filter((job) => job.status.stillQueued);
    if (stuck.length > 0) {
      for (const job of stuck) job.cancelled = true;
      await cancelJobs(this.context.system, stuck.map((job) => job.id), this.context.runner)
        .catch((error: unknown) => this.context.onError("deleting failed jobs still in the queue failed", error));
    }
    this.forgetOldJobs();
    this.saveState();
    this.context.onEnded(ended);
  }

  /** Asks the batch system about `jobs` and updates them; returns those found ended (none when the poll failed). */
  private async pollAndApply(jobs: TrackedJob[]): Promise<TrackedJob[]> {
    try {
      const statuses = await pollJobs(this.context.system, jobs.map((job) => job.id), this.context.runner);
      return applyJobStatuses(jobs, statuses, unixSeconds(), this.unknownGraceSeconds);
    } catch (error) {
      this.context.onError("polling the batch system failed", error);
      return [];
    }
  }

  private forgetOldJobs(): void {
    const ended = this.tracked.filter((job) => !isActive(job));
    if (ended.length <= endedJobsKept) return;
    const dropped = new Set(ended.slice(0, ended.length - endedJobsKept));
    this.tracked = this.tracked.filter((job) => !dropped.has(job));
  }

  /** "12 running, 13 pending (Resources)", for messages. */
  describe(): string {
    const active = this.active();
    if (active.length === 0) return "none submitted";
    return active.map((job) => `${job.id} ${job.status.state}${job.status.reason ? ` (${job.status.reason})` : ""}`).join(", ");
  }

  // ---- the state file ----

  stateContents(): ClusterStateFile {
    const { owner, jobOptions } = this.context;
    return {
      system: this.context.system, cluster: owner.cluster, schedulerAddress: owner.schedulerAddress, host: hostname(), pid: process.pid,
      createdAt: new Date(owner.startedAt * 1000).toISOString(),
      cancelCommandExtra: jobOptions.system === "htcondor" ? jobOptions.cancelCommandExtra : [],
      jobs: this.active().map((job) => ({ id: job.id, name: job.name })),
    };
  }

  /** Writes are queued, so the file always ends with the latest contents. */
  saveState(): void {
    const contents = this.stateContents();
    this.stateWrite = this.stateWrite
      .then(() => writeStateFile(this.context.stateFile, contents))
      .catch((error: unknown) => this.context.onError(`cannot write the state file ${this.context.stateFile}`, error));
  }

  /** After close: removes the state file when no job is left, else says how to cancel them. */
  async finishStateFile(closeTimeoutSeconds: number): Promise<void> {
    await this.stateWrite;
    const left = this.active();
    if (left.length === 0) {
      await rm(this.context.stateFile, { force: true });
      return;
    }
    this.context.logger.warn(`jobs ${left.map((job) => `${job.id} (${job.status.state})`).join(", ")} were still listed ` +
      `${closeTimeoutSeconds} s after cancelling them; they are recorded in ${this.context.stateFile}: cancel them with ` +
      `\`${cancelCommandFor(this.stateContents())}\` or cancelOrphanedJobs()`);
  }
}
