/**
 * FargateCluster: a scheduler in this process and workers in AWS Fargate tasks, after
 * dask-cloudprovider's FargateCluster/ECSCluster. Each worker is one ECS task of the
 * cluster's worker task definition (docker/Dockerfile builds the image); the tasks reach the
 * scheduler by its private IP (this host's address in the VPC, or schedulerOptions.host /
 * interface), so the scheduler port is never opened to the internet. Run it from a machine
 * inside the VPC (an EC2 instance, a notebook service) whose security group lets the
 * workers' security groups reach that port.
 *
 * What it does, in order, undoing the earlier steps when a later one fails: validate every
 * option (fargate-options.ts); start the scheduler; create the ECS cluster (unless given)
 * and register the worker task definition, both tagged (ecs-resources.ts); then `scale(n)`
 * runs or stops tasks. The credential reaches the tasks without appearing in the task
 * definition (ecs-requests.ts). Task states are polled (DescribeTasks) like batch jobs:
 * `cluster.tasks` shows each with ECS's status and reason (CannotPullContainerError,
 * OutOfMemoryError, exit codes), a task that stops while still wanted is replaced, and after
 * `maxFailedStarts` tasks in a row stop before any worker connected, replacement pauses
 * until the next scale(). close() retires the workers (their results move), stops every
 * task, waits until ECS shows them STOPPED, deregisters the task definition and deletes the
 * cluster it created.
 */
import type { Task } from "@aws-sdk/client-ecs";
import { sleep, unixSeconds } from "../core/clock.js";
import { ClosedError, InvalidOptionError, TimeoutError, errorMessage } from "../core/errors.js";
import { randomHex } from "../core/ids.js";
import { createLogger } from "../core/log.js";
import { formatAddress } from "../comm/address.js";
import { interfaceAddress, primaryHostAddress } from "../comm/network-interface.js";
import { Cluster } from "../deploy/cluster.js";
import { attachDashboard } from "../deploy/dashboard-hook.js";
import { applyJobStatuses, isActive, jobInfo, newTrackedJob, workerBelongsTo, type JobInfo, type TrackedJob } from "../jobqueue/job-tracking.js";
import { unknownJob } from "../jobqueue/job-state.js";
import { JobEndedListeners } from "../jobqueue/job-ended-listeners.js";
import { chooseJobsToStop } from "../jobqueue/scaling.js";
import { waitForConnectedWorkers } from "../deploy/worker-wait.js";
import { SchedulerServer } from "../scheduler/server/scheduler-server.js";
import { EcsResources } from "./ecs-resources.js";
import { taskStatus } from "./ecs-task-state.js";
import { resolveFargateOptions, type FargateClusterOptions, type ResolvedFargateOptions } from "./fargate-options.js";

export type { FargateClusterOptions } from "./fargate-options.js";

/** Tasks started at once (RunTask is rate-limited per account). */
const runConcurrency = 5;
/** A task ECS has not shown yet gets this long before it is taken as lost. */
const unknownGraceSeconds = 60;
const stopPollMs = 500;

export class FargateCluster extends Cluster {
  /** The last error of background work (polling, replacing tasks), also logged. */
  lastError: Error | null = null;
  private readonly logger = createLogger("cloud");
  private readonly tracked: TrackedJob[] = [];
  private target = 0;
  private started = 0;
  private failedStarts = 0;
  /** Replacement paused after maxFailedStarts (until the next scale()). */
  private replacementPaused = false;
  private reconciling: Promise<void> = Promise.resolve();
  private polling: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: () => void = () => {};
  private readonly endedListeners = new JobEndedListeners();

  private constructor(scheduler: SchedulerServer, readonly options: ResolvedFargateOptions, private readonly ecs: EcsResources) {
    super(scheduler);
  }

  /** Validates the options, starts the scheduler, creates the ECS resources and starts `nWorkers` worker tasks. */
  static async start(options: FargateClusterOptions): Promise<FargateCluster> {
    const resolved = resolveFargateOptions(options, () => `tessera-${randomHex(5)}`);
    const host = resolved.schedulerInterface ? interfaceAddress(resolved.schedulerInterface) : resolved.schedulerHost ?? primaryHostAddress();
    const scheduler = await SchedulerServer.start({
      address: formatAddress({ scheme: "tcp", host, port: resolved.schedulerPort }),
      ...(resolved.credential ? { credential: resolved.credential } : {}),
    });
    const ecs = new EcsResources(resolved);
    const cluster = new FargateCluster(scheduler, resolved, ecs);
    try {
      await ecs.create(scheduler.address);
      if (resolved.dashboardAddress !== false) {
        const tasks = () => cluster.tasks.map((task) => ({ id: task.id, state: task.state, workers: task.workers, ...(task.reason ? { reason: task.reason } : {}) }));
        cluster.dashboardUrl = await attachDashboard(scheduler, resolved.dashboardAddress, host, { jobs: tasks });
      }
      cluster.begin();
      if (resolved.nWorkers > 0) await cluster.scale(resolved.nWorkers);
      return cluster;
    } catch (error) {
      await cluster.close().catch((closeError: unknown) => cluster.logger.warn(`undoing a failed start: ${errorMessage(closeError)}`));
      throw error;
    }
  }

  get name(): string {
    return this.options.name;
  }

  get clusterArn(): string | null {
    return this.ecs.clusterArn;
  }

  get taskDefinitionArn(): string | null {
    return this.ecs.taskDefinitionArn;
  }

  get requestedWorkers(): number {
    return this.target;
  }

  /** Every worker task not yet stopped, then recently stopped ones, with ECS's status and reason. */
  get tasks(): JobInfo[] {
    const workers = this.scheduler.view.workers();
    return this.tracked.map((task) => describeTask(task, workers));
  }

  /** Calls `listener` with each task found stopped by a poll. Returns the unsubscribe function. */
  onTaskEnded(listener: (task: JobInfo) => void): () => void {
    return this.endedListeners.add(listener);
  }

  /** `scale(n)`: n worker tasks. Resolves once they were started (RunTask) or, scaling down, have stopped. */
  async scale(n: number): Promise<void> {
    if (!Number.isInteger(n) || n < 0) throw new InvalidOptionError(`scale: ${JSON.stringify(n)} is not a whole number of workers ≥ 0`);
    if (this.closing) throw new ClosedError(`${this.name} is closed`);
    this.target = n;
    this.failedStarts = 0;
    this.replacementPaused = false;
    await this.reconcile("scale");
  }

  /** Polls ECS now and returns `tasks`. */
  async refreshTasks(): Promise<JobInfo[]> {
    if (this.polling) await this.polling;
    await this.poll();
    await this.reconciling;
    return this.tasks;
  }

  /**
   * Waits until `n` workers are connected; the timeout error shows each task's status. Fails
   * at once when no more can come: replacement paused after tasks kept failing to start.
   */
  async waitForWorkers(n: number, options: { timeout?: string | number } = {}): Promise<void> {
    await waitForConnectedWorkers(n, options.timeout, {
      connectedWorkers: () => this.scheduler.state.runningWorkers().length,
      isClosing: () => this.closing !== null,
      cannotCome: (wanted) => this.replacementPaused && this.scheduler.state.runningWorkers().length + this.tracked.filter(isActive).length < wanted
        ? `${this.failedStarts} tasks in a row stopped before their worker connected, so none is started until the next scale(); tasks: ${this.describeTasks(true)}`
        : null,
      describe: () => `tasks: ${this.describeTasks()}`,
    });
  }

  private begin(): void {
    this.timer = setInterval(() => void this.poll(), this.options.pollIntervalSeconds * 1000);
    this.timer.unref();
    this.unsubscribe = this.scheduler.view.subscribe((record) => {
      if (record.kind !== "worker-added") return;
      const worker = this.scheduler.state.workers.get(record.worker);
      const task = worker && this.tracked.find((t) => isActive(t) && workerBelongsTo(t, worker.identity.name, undefined));
      if (task) {
        task.everConnected = true;
        this.failedStarts = 0;
      }
    });
  }

  // ---- polling ----

  private poll(): Promise<void> {
    this.polling ??= this.pollOnce().finally(() => (this.polling = null));
    return this.polling;
  }

  private async pollOnce(): Promise<void> {
    const active = this.tracked.filter(isActive);
    if (active.length === 0) return;
    let ended: TrackedJob[];
    try {
      ended = await this.describeAndApply(active);
    } catch (error) {
      this.noteError("polling ECS tasks failed", error);
      return;
    }
    if (ended.length > 0) this.tasksEnded(ended);
  }

  private async describeAndApply(tasks: TrackedJob[]): Promise<TrackedJob[]> {
    const described = new Map((await this.ecs.describe(tasks.map((task) => task.id))).map((task) => [task.taskArn, task]));
    const statuses = tasks.map((task) => {
      const found = described.get(task.id);
      return found ? taskStatus(found) : unknownJob(task.id, "not reported by ECS");
    });
    return applyJobStatuses(tasks, statuses, unixSeconds(), unknownGraceSeconds);
  }

  private tasksEnded(ended: TrackedJob[]): void {
    for (const task of ended) this.endedListeners.emit(describeTask(task, []), (error) => this.noteError("an onTaskEnded listener threw", error));
    const unwanted = ended.filter((task) => !task.stopping);
    for (const task of unwanted) {
      if (!task.everConnected) this.failedStarts++;
      this.logger.warn(`task ${task.id} (${task.name}) ${task.status.state}${task.status.reason ? ` (${task.status.reason})` : ""}` +
        `${task.everConnected ? "" : " before its worker connected"}`);
    }
    if (unwanted.length > 0 && !this.closing) this.reconcile("replace").catch((error: unknown) => this.noteError("replacing stopped tasks failed", error));
  }

  // ---- reconciling the tasks with the target ----

  private reconcile(reason: "scale" | "replace"): Promise<void> {
    const run = this.reconciling.then(() => this.reconcileOnce(reason));
    this.reconciling = run.catch(() => {});
    return run;
  }

  private async reconcileOnce(reason: "scale" | "replace"): Promise<void> {
    if (this.closing) return;
    const active = this.tracked.filter((task) => isActive(task) && !task.stopping);
    const missing = this.target - active.length;
    if (missing > 0) {
      if (reason === "replace" && this.failedStarts >= this.options.maxFailedStarts) {
        this.replacementPaused = true;
        this.logger.error(`${this.failedStarts} tasks in a row stopped before their worker connected; not replacing them until the next scale(). ` +
          `Tasks: ${this.describeTasks(true)}`);
        return;
      }
      await this.runTasks(missing);
    } else if (missing < 0) {
      const workers = this.scheduler.view.workers();
      const candidates = active.map((task) => {
        const mine = workers.filter((w) => workerBelongsTo(task, w.name, undefined));
        return { task, name: task.name, state: task.status.state, order: task.order, connectedWorkers: mine.length, storedBytes: mine.reduce((sum, w) => sum + w.storedBytes, 0) };
      });
      const left = await this.stopTasks(chooseJobsToStop(candidates, -missing).map((candidate) => candidate.task), "scaled down by tessera");
      if (left.length > 0) throw new TimeoutError(`tasks ${left.map((t) => t.id).join(", ")} were not STOPPED ${this.options.closeTimeoutSeconds} s after StopTask`);
    }
  }

  /** Starts `count` worker tasks, a few at a time; throws the first refusal once all were tried. */
  private async runTasks(count: number): Promise<void> {
    const failures: unknown[] = [];
    let next = 0;
    const lane = async () => {
      while (next < count) {
        next++;
        const order = this.started++;
        const name = `${this.name}-${order}`;
        try {
          const task: Task = await this.ecs.runWorker(name, this.scheduler.address, this.credential);
          const tracked = newTrackedJob(name, task.taskArn as string, order, unixSeconds());
          tracked.status = taskStatus(task);
          this.tracked.push(tracked);
          this.tracked.sort((a, b) => a.order - b.order);
          this.logger.info(`started task ${tracked.id} (${name})`);
        } catch (error) {
          failures.push(error);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(count, runConcurrency) }, lane));
    if (failures.length > 0) {
      this.lastError = failures[0] as Error;
      throw failures[0];
    }
  }

  /**
   * Retires the tasks' workers (their results move to other workers), stops the tasks, and
   * waits until ECS shows them STOPPED; returns those still not stopped after closeTimeout.
   */
  private async stopTasks(tasks: TrackedJob[], reason: string): Promise<TrackedJob[]> {
    if (tasks.length === 0) return [];
    for (const task of tasks) task.stopping = true;
    const addresses = this.scheduler.view.workers().filter((w) => tasks.some((t) => workerBelongsTo(t, w.name, undefined))).map((w) => w.address);
    if (addresses.length > 0) {
      const timeout = new AbortController();
      await Promise.race([this.scheduler.retireWorkers(addresses), sleep(30_000, timeout.signal).catch(() => {})]);
      timeout.abort();
    }
    const errors: unknown[] = [];
    await Promise.all(tasks.filter(isActive).map(async (task) => {
      task.cancelled = true;
      await this.ecs.stop(task.id, reason).catch((error: unknown) => errors.push(error));
    }));
    const deadline = Date.now() + this.options.closeTimeoutSeconds * 1000;
    while (tasks.some(isActive) && Date.now() < deadline) {
      await this.describeAndApply(tasks.filter(isActive)).catch((error: unknown) => this.noteError("polling stopped tasks failed", error));
      if (tasks.some(isActive)) await sleep(stopPollMs);
    }
    if (errors.length > 0 && tasks.some(isActive)) throw errors[0];
    return tasks.filter(isActive);
  }

  private describeTasks(all = false): string {
    const active = this.tracked.filter(isActive);
    const shown = all || active.length === 0 ? this.tracked.slice(-10) : active;
    if (shown.length === 0) return "none started";
    return shown.map((task) => `${task.name} ${task.status.rawState ?? task.status.state}${task.status.reason ? ` (${task.status.reason})` : ""}`).join(", ");
  }

  private noteError(what: string, error: unknown): void {
    this.logger.warn(`${what}: ${errorMessage(error)}`);
    this.lastError = error instanceof Error ? error : new Error(String(error));
  }

  // ---- closing ----

  protected async shutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.unsubscribe();
    this.target = 0;
    await this.reconciling;
    let left: TrackedJob[] = [];
    try {
      left = await this.stopTasks(this.tracked.filter(isActive), "cluster closed by tessera");
    } catch (error) {
      this.noteError("stopping the worker tasks failed", error);
      left = this.tracked.filter(isActive);
    } finally {
      await this.scheduler.close();
    }
    if (left.length > 0) {
      this.logger.warn(`tasks ${left.map((t) => t.id).join(", ")} were not STOPPED ${this.options.closeTimeoutSeconds} s after StopTask; ` +
        `the task definition and cluster are left for them (tag tessera:cluster=${this.name})`);
      this.ecs.client.destroy();
      return;
    }
    await this.ecs.release();
  }
}

function describeTask(task: TrackedJob, workers: ReturnType<SchedulerServer["view"]["workers"]>): JobInfo {
  return jobInfo(task, workers.filter((w) => workerBelongsTo(task, w.name, undefined)).map((w) => w.name), null);
}
