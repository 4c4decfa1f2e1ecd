/**
 * The Client: the user's connection to a cluster (Dask's Client). It submits tasks and
 * graphs to the scheduler, tracks their results as Futures, and moves data directly to and
 * from workers (gather and scatter never go through the scheduler). Connected, it becomes the
 * default executor of lazy collections, so `array.compute()` runs on the cluster.
 *
 * Nothing waits for ever on a lost scheduler: a quiet connection is pinged (given up after
 * `schedulerTimeout`), then reconnected for `reconnectTimeout` (scheduler-session.ts); if it
 * does not come back, every pending future and later call fails naming the scheduler. What
 * the scheduler would refuse (a bad key, an unsendable argument) fails the one call.
 *
 * The class is the API; the work of each part lives in the files its sections name.
 */
import type { BlockLayer } from "../protocol/block-layer.js";
import type { Connection } from "../comm/connection.js";
import type { ConnectionPool } from "../comm/connection-pool.js";
import type { Security } from "../comm/security.js";
import type { LogLevel, LogRecord, Logger } from "../core/log.js";
import { setDefaultExecutor, getDefaultExecutor, type ComputeOptions, type GraphExecutor, type PersistedKeys } from "../graph/executor.js";
import type { TaskGraph, TaskSpec } from "../graph/task-graph.js";
import type { KeyReport } from "../protocol/messages.js";
import type { ProfileResult } from "../protocol/profile-tree.js";
import type { ClientOptions, ClientTarget, ProfileHtmlWriter, ProfileOptions, SchedulerInfo, UnrunnableGroup } from "./client-types.js";
import { openScheduler, type OpenedScheduler, type OwnedCluster } from "./client-connect.js";
import * as control from "./cluster-control.js";
import { gatherValues, recordPlacements, scatterValues, type ScatterOptions } from "./data-transfer.js";
import type { Future, FutureOwner, FutureState } from "./future.js";
import { FutureRegistry } from "./future-registry.js";
import { applyKeyReport, type CoordinationClient } from "./coordination/coordination-client.js";
import { getDataset, listDatasets, publishDataset, unpublishDataset, type GetDatasetOptions } from "./coordination/datasets.js";
import * as futuresApi from "./futures-api.js";
import { computeGraph, persistGraph, submitGraph } from "./graph-execution.js";
import { SchedulerSession, type SchedulerMessageListener } from "./scheduler-session.js";
import { mapTasks, submitTask, type MapOptions, type SubmitCall, type TaskFunction } from "./submission.js";
import { checkGraphPartTasks, sendGraph } from "./graph-parts.js";
import { TopicSubscriptions, forwardLogging, getEvents, getSchedulerLogs, getWorkerLogs, logEvent, story, subscribeLocal, subscribeTopic, type StoryEntry, type TopicEvent, type TopicHandler } from "./client-logs.js";
import { registerSchedulerPlugin, registerWorkerPlugin, unregisterWorkerPlugin, uploadFile } from "./client-plugins.js";
import { checkMethodArguments } from "../core/argument-count.js";
import { clientArgumentWording, clientMethodParameters } from "./method-parameters.js";

export type { ClientOptions, ClientTarget, ClusterLike, ProfileHtmlWriter, ProfileOptions, SchedulerInfo, WorkerSummary } from "./client-types.js";

export class Client implements GraphExecutor, FutureOwner, CoordinationClient {
  /** Starts a LocalCluster when connect() is given no target (wired by the package entry). */
  static localClusterFactory: (() => Promise<OwnedCluster>) | null = null;
  /** Writes client.profile({ filename }) files (wired by the package entry to the dashboard's writer). */
  static profileHtmlWriter: ProfileHtmlWriter | null = null;

  readonly logger: Logger;
  /** Handlers of the event topics this client subscribed to. */
  readonly topics = new TopicSubscriptions();
  readonly schedulerAddress: string;
  readonly security: Security | undefined;
  /** The scheduler connection, the registration, the worker pool; what happens when the connection drops. */
  private readonly session: SchedulerSession;
  private readonly clusterDashboardLink: string | undefined;
  private readonly ownedCluster: OwnedCluster | null;
  private readonly registry = new FutureRegistry(this);

  /** `graphPartTasks`: tasks per update-graph message; larger graphs travel in parts (graph-parts.ts). */
  private constructor(opened: OpenedScheduler, private readonly graphPartTasks: number) {
    this.logger = opened.logger;
    this.schedulerAddress = opened.address;
    this.security = opened.security;
    this.clusterDashboardLink = opened.dashboardLink;
    this.ownedCluster = opened.owned;
    this.session = new SchedulerSession(opened, { futures: this.futures, topics: this.topics });
  }

  /** This client's futures by key. */
  get futures(): Map<string, FutureState> {
    return this.registry.states;
  }

  get pool(): ConnectionPool {
    return this.session.pool;
  }

  /** The scheduler connection now (a new one after a reconnection). */
  get scheduler(): Connection {
    return this.session.scheduler;
  }

  /** This client's id on the scheduler (a new one after a reconnection). */
  get id(): string {
    return this.session.id;
  }

  get isClosed(): boolean {
    return this.session.isClosed;
  }

  /** The default client (the most recently connected one that is still open), if any. */
  static current(): Client | undefined {
    const executor = getDefaultExecutor();
    return executor instanceof Client ? executor : undefined;
  }

  static async connect(target?: ClientTarget, options: ClientOptions = {}): Promise<Client> {
    const partTasks = checkGraphPartTasks(options.graphPartTasks);
    const client = new Client(await openScheduler(target, options, Client.localClusterFactory), partTasks);
    await client.refreshSchedulerInfo().catch(() => {});
    if (options.setAsDefault ?? true) setDefaultExecutor(client);
    return client;
  }

  // ---- futures (future-registry.ts) ----

  /** @internal A handle released explicitly: its collection must not count it a second time. */
  handleReleased(future: Future): void {
    this.registry.released(future);
  }

  releaseKey(key: string): void {
    if (this.registry.forget(key) && !this.session.closed && !this.scheduler.isClosed) this.scheduler.send({ op: "release-keys", keys: [key] });
  }

  async cancelKeys(keys: string[], force: boolean): Promise<void> {
    this.session.assertOpen();
    this.scheduler.send({ op: "cancel-keys", keys, force });
  }

  /** Dask's cancel: futures, or collections returned by persist() (their results are let go at once). */
  async cancel(futures: futuresApi.Cancellable[] | futuresApi.Cancellable, options: { force?: boolean } = {}): Promise<void> {
    await this.cancelKeys(futuresApi.cancelledKeys(futures), futuresApi.cancelForce(options, "Client.cancel"));
  }

  fetchResult(state: FutureState): Promise<unknown> {
    return gatherValues(this, [state]).then((values) => values[0]);
  }

  // ---- submitting work (submission.ts, data-transfer.ts) ----

  /** Submits specs (their dependencies in the list or on the cluster); what the scheduler would refuse raises here (sendGraph). */
  submitSpecs(specs: TaskSpec[], wanted: string[], extra: { workers?: string[]; allowOtherWorkers?: boolean } = {}, layers: readonly BlockLayer[] = []): void {
    this.session.assertOpen();
    sendGraph(this.scheduler, this.futures, specs, wanted, extra, this.graphPartTasks, layers);
  }

  /**
   * Runs `fn(...args)` on a worker: `client.submit(fn, 1, 2)`. Options go in the object form:
   * `client.submit({ fn, args: [1, 2], retries: 2, key: "my-key" })`.
   */
  submit<T = unknown>(fnOrOptions: SubmitCall, ...args: unknown[]): Future<T> {
    const { spec, options } = submitTask(fnOrOptions, args);
    this.submitSpecs([spec], [spec.key], options);
    return this.registry.futureFor<T>(spec.key);
  }

  /** One task per element: `client.map(fn, [1, 2, 3])`; several iterables zip like Dask's; `key`: a key per task or their prefix. */
  map<T = unknown>(fn: TaskFunction, ...iterables: Array<Iterable<unknown> | MapOptions>): Array<Future<T>> {
    const { specs, options } = mapTasks(fn, iterables);
    this.submitSpecs(specs, specs.map((s) => s.key), options);
    return specs.map((spec) => this.registry.futureFor<T>(spec.key));
  }

  /**
   * Values of futures (nested arrays and objects keep their shape), fetched from workers.
   * With `errors: "skip"`, failed futures are left out (of a top-level list; undefined deeper).
   */
  async gather<T = unknown>(futures: Future<T>[], options?: { errors?: "raise" | "skip" }): Promise<T[]>;
  async gather(futures: unknown, options?: { errors?: "raise" | "skip" }): Promise<unknown>;
  async gather(futures: unknown, options: { errors?: "raise" | "skip" } = {}): Promise<unknown> {
    if (futuresApi.checkGatherOptions(options) === "skip") return futuresApi.gatherSkippingErrors(this, futures);
    return futuresApi.gatherRaisingErrors(this, futures);
  }

  /** Puts data on workers (round robin, or on every worker with `broadcast`). */
  async scatter<T>(data: T[], options: ScatterOptions = {}): Promise<Array<Future<T>>> {
    this.session.assertOpen();
    const { keys, placed } = await scatterValues(this, data, options);
    const futures = keys.map((key) => this.registry.futureFor<T>(key));
    recordPlacements(this.futures, placed);
    return futures;
  }

  // ---- GraphExecutor: lazy collections (graph-execution.ts) ----

  holds(key: string): boolean {
    return this.futures.get(key)?.status === "finished";
  }

  holders(key: string): readonly string[] {
    const state = this.futures.get(key);
    return state?.status === "finished" ? state.whoHas : [];
  }

  /** @internal The info, asked again only if workers came or went (gathers size requests by each worker's memory limit). */
  currentSchedulerInfo(): Promise<SchedulerInfo> {
    return this.session.currentInfo();
  }

  /** The memory limit of each connected worker (plans are checked against the smallest). */
  async workerMemoryLimits(): Promise<number[]> {
    return Object.values((await this.session.currentInfo()).workers).map((worker) => worker.memoryLimit);
  }

  async compute(graph: TaskGraph, keys: readonly string[], options: ComputeOptions = {}): Promise<unknown[]> {
    return computeGraph(submitGraph(this, this.registry, graph, keys, options, "compute"), (futures) => this.gather(futures));
  }

  async persist(graph: TaskGraph, keys: readonly string[], options: ComputeOptions = {}): Promise<PersistedKeys> {
    return persistGraph(submitGraph(this, this.registry, graph, keys, options, "persist"), keys);
  }

  // ---- cluster information and control (cluster-control.ts) ----

  /** Waits until at least `n` workers are connected. */
  async waitForWorkers(n: number, options: { timeout?: number | string } = {}): Promise<void> {
    await this.session.waitForWorkers(n, options);
  }

  async refreshSchedulerInfo(): Promise<SchedulerInfo> {
    return this.session.refreshInfo();
  }

  /** The scheduler's identity and workers, as last refreshed (refreshSchedulerInfo() to update). */
  schedulerInfo(): SchedulerInfo {
    return this.session.info;
  }

  get dashboardLink(): string | undefined {
    return this.clusterDashboardLink || this.session.dashboardLink;
  }

  /** Runs `fn(...args)` on every worker (or those listed) outside the task system. */
  async run<T = unknown>(fn: TaskFunction, ...args: unknown[]): Promise<Record<string, T>> {
    return this.runWith<T>({ fn, args });
  }

  async runWith<T = unknown>(options: { fn: TaskFunction; args?: unknown[]; workers?: string[] }): Promise<Record<string, T>> {
    return (await control.runOnWorkers(this.scheduler, options)) as Record<string, T>;
  }

  /** Runs `fn(...args)` on the scheduler. */
  async runOnScheduler<T = unknown>(fn: TaskFunction, ...args: unknown[]): Promise<T> {
    return (await control.runFunction(this.scheduler, "run-on-scheduler", fn, args)) as T;
  }

  async retireWorkers(options: { workers?: string[]; n?: number } = {}): Promise<string[]> {
    return control.retireWorkers(this.scheduler, options);
  }

  /** Task records (key, worker, thread, start/stop per action) since `since` (epoch seconds). */
  async getTaskStream(options: { since?: number; count?: number } = {}): Promise<unknown[]> {
    return control.schedulerRecords(this.scheduler, "get-task-stream", options);
  }

  /** Transfers between workers (receiver, sender, keys, bytes, start, stop) since `since`. */
  async getTransferLog(options: { since?: number; count?: number } = {}): Promise<unknown[]> {
    return control.schedulerRecords(this.scheduler, "get-transfer-log", options);
  }

  /** Why tasks wait for a worker that may run them (no worker offers their resources, …), grouped by reason. */
  async unrunnable(): Promise<UnrunnableGroup[]> {
    this.session.assertOpen();
    return control.unrunnable(this.scheduler);
  }

  /**
   * Stacks sampled in the workers' compute threads, merged (all workers and per worker),
   * optionally of one task prefix and since a time. With `filename`, also writes them as a
   * flame graph in one self-contained HTML file.
   */
  async profile(options: ProfileOptions = {}): Promise<ProfileResult> {
    return control.profile(this.scheduler, options, Client.profileHtmlWriter, this.session.info);
  }

  // ---- coordination and the rest of the futures API (coordination/, futures-api.ts) ----

  /** @internal A future for a key the scheduler has just made this client want. */
  adoptFuture(report: KeyReport): Future {
    const future = this.registry.futureFor(report.key);
    applyKeyReport(future.state, report);
    return future;
  }

  /** @internal */
  onSchedulerMessage(listener: SchedulerMessageListener): () => void {
    return this.session.onMessage(listener);
  }

  /** Keeps the futures' keys (anywhere in `futures`) computing to the end, even once every handle is gone. */
  fireAndForget(futures: unknown): void {
    this.session.assertOpen();
    futuresApi.sendFireAndForget(this.scheduler, futuresApi.futuresIn(futures));
  }

  /** Runs erred futures (and their erred inputs) again. */
  async retry(futures: Future | Future[]): Promise<void> {
    await futuresApi.retryFutures(this.scheduler, Array.isArray(futures) ? futures : [futures]);
  }

  whoHas(futures?: futuresApi.Cancellable | futuresApi.Cancellable[]): Promise<Record<string, string[]>> {
    return futuresApi.whoHas(this.scheduler, futures);
  }

  hasWhat(workers?: string[]): Promise<Record<string, string[]>> {
    return futuresApi.hasWhat(this.scheduler, workers);
  }

  replicate(futures: futuresApi.Cancellable | futuresApi.Cancellable[], options: futuresApi.ReplicateOptions = {}): Promise<Record<string, number>> { return futuresApi.replicate(this.scheduler, futures, options); }
  rebalance(futures?: futuresApi.Cancellable | futuresApi.Cancellable[], options: { workers?: string[] } = {}): Promise<{ moved: number; planned: number }> { return futuresApi.rebalance(this.scheduler, futures, options); }

  // ---- named datasets (coordination/datasets.ts) ----
  publishDataset(name: string, value: unknown, options: { override?: boolean } = {}): Promise<void> { return publishDataset(this, name, value, options); }
  getDataset<T = unknown>(name: string, options?: GetDatasetOptions): Promise<T> { return getDataset<T>(this, name, options); }
  listDatasets(): Promise<string[]> { return listDatasets(this); }
  unpublishDataset(name: string): Promise<void> { return unpublishDataset(this, name); }

  // ---- plugins, uploads, logs, events, stories, restart (client-plugins.ts, client-logs.ts) ----
  /** Runs `plugin` (setup/teardown/transition hooks) on every worker, now and joining later; resolves with its name. */
  async registerWorkerPlugin(plugin: object, options: { name?: string } = {}): Promise<string> {
    this.session.assertOpen();
    return registerWorkerPlugin(this, plugin, options);
  }

  async unregisterWorkerPlugin(name: string): Promise<void> {
    this.session.assertOpen();
    await unregisterWorkerPlugin(this, name);
  }

  /** Runs `plugin` (start/close/addWorker/removeWorker/transition hooks) on the scheduler. */
  async registerSchedulerPlugin(plugin: object, options: { name?: string } = {}): Promise<string> {
    this.session.assertOpen();
    return registerSchedulerPlugin(this, plugin, options);
  }

  /** Sends a module to every worker, now and later (no shared filesystem needed). */
  async uploadFile(path: string): Promise<void> {
    this.session.assertOpen();
    await uploadFile(this, path);
  }

  /** The last `n` log lines of every worker (or those named), by address. */
  async getWorkerLogs(options: { n?: number; workers?: string[] } = {}): Promise<Record<string, LogRecord[]>> {
    this.session.assertOpen();
    return getWorkerLogs(this, options);
  }

  async getSchedulerLogs(options: { n?: number } = {}): Promise<LogRecord[]> {
    this.session.assertOpen();
    return getSchedulerLogs(this, options);
  }

  /** Workers' log records (at `level` and above) appear in this process's log; resolves with the function that stops it. */
  async forwardLogging(options: { level?: LogLevel } = {}): Promise<() => Promise<void>> {
    this.session.assertOpen();
    return forwardLogging(this, options);
  }

  logEvent(topic: string, msg: unknown): void {
    this.session.assertOpen();
    logEvent(this, topic, msg);
  }

  async getEvents(topic: string): Promise<TopicEvent[]>;
  async getEvents(): Promise<Record<string, TopicEvent[]>>;
  async getEvents(topic?: string): Promise<TopicEvent[] | Record<string, TopicEvent[]>> {
    this.session.assertOpen();
    return getEvents(this, topic);
  }

  /** Calls `handler` with each event logged under `topic` from now on; returns the unsubscription. */
  subscribeTopic(topic: string, handler: TopicHandler): () => void {
    if (topic !== "client-reconnected") this.session.assertOpen();
    return topic === "client-reconnected" ? subscribeLocal(this.topics, topic, handler) : subscribeTopic(this, topic, handler);
  }

  /** Every transition of these keys (or futures' keys), on the scheduler and on the workers, by time. */
  async story(...keys: Array<string | Future>): Promise<StoryEntry[]> {
    this.session.assertOpen();
    return story(this, keys.map((k) => (typeof k === "string" ? k : k.key)));
  }

  /**
   * Restarts every worker through its nanny (Dask's restart): every future of every client
   * ends, cancelled; resolves once all workers are back (batch jobs keep running: the nanny
   * in each job starts a fresh worker). Refused when a worker has no nanny.
   */
  async restart(options: { timeout?: number | string } = {}): Promise<void> {
    this.session.assertOpen();
    await control.restart(this.scheduler, options);
  }

  async close(): Promise<void> {
    if (this.session.closed) return;
    if (getDefaultExecutor() === this) setDefaultExecutor(null);
    await this.session.close();
    if (this.ownedCluster) await this.ownedCluster.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
checkMethodArguments(Client.prototype, "client", clientMethodParameters, clientArgumentWording);
