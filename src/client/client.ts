/**
 * The Client: the user's connection to a cluster (Dask's Client). It submits tasks and
 * graphs to the scheduler, tracks their results as Futures, and moves data directly to and
 * from workers (gather and scatter never go through the scheduler). Connected, it becomes the
 * default executor of lazy collections, so `array.compute()` runs on the cluster.
 *
 * Nothing waits for ever on a lost scheduler: the connection is pinged when quiet (a
 * scheduler that is stopped or hung is given up after `schedulerTimeout`, Dask's
 * distributed.comm.timeouts.tcp). Once it is closed, the client tries to reconnect for
 * `reconnectTimeout` (reconnect.ts): futures of keys the scheduler still knows carry on,
 * the others fail naming the loss. If it does not come back, every pending future and
 * request fails with an error naming the scheduler, and every later call raises.
 * What the scheduler would refuse (a bad key, an unsendable argument) fails the one call.
 */
import { parseDuration } from "../core/units.js";
import { commTimeouts } from "../config/index.js";
import { createLogger, type Logger } from "../core/log.js";
import { ClosedError, InvalidOptionError, TimeoutError } from "../core/errors.js";
import { sleep } from "../core/clock.js";
import { hostOf } from "../comm/address.js";
import { connect } from "../comm/connect.js";
import type { Connection } from "../comm/connection.js";
import { watchLiveness } from "../comm/liveness.js";
import { ConnectionPool } from "../comm/connection-pool.js";
import { dashboardToken } from "../comm/dashboard-token.js";
import type { Security } from "../comm/security.js";
import { functionRefOf } from "../graph/function-travel.js";
import { setDefaultExecutor, getDefaultExecutor, type ComputeOptions, type GraphExecutor, type PersistedKeys } from "../graph/executor.js";
import type { TaskGraph, TaskSpec } from "../graph/task-graph.js";
import { keyProblem, type Message } from "../protocol/messages.js";
import { checkResources } from "../protocol/resources.js";
import { parseMessage } from "../protocol/fast-validation.js";
import { packPayload, unpackPayload } from "../protocol/payload.js";
import type { ProfileResult } from "../protocol/profile-tree.js";
import { resolveTarget, type ClientOptions, type ClientTarget, type ClusterLike, type ProfileHtmlWriter, type ProfileOptions, type SchedulerInfo } from "./client-types.js";
import { gatherValues, scatterValues, type ScatterOptions } from "./data-transfer.js";
import { Future, FutureState, mapFutures, type FutureOwner } from "./future.js";
import { TerminalProgress } from "./progress.js";
import { applyKeyReport, type CoordinationClient } from "./coordination/coordination-client.js";
import { getDataset, listDatasets, publishDataset, unpublishDataset } from "./coordination/datasets.js";
import * as futuresApi from "./futures-api.js";
import type { KeyReport } from "../protocol/messages.js";
import { makeSubmitTask, prepareFunction, toWireTasks, type SubmitOptions } from "./task-builder.js";
import { TopicSubscriptions, forwardLogging, getEvents, getSchedulerLogs, getWorkerLogs, logEvent, story, subscribeTopic, type StoryEntry, type TopicEvent, type TopicHandler } from "./client-logs.js";
import { registerSchedulerPlugin, registerWorkerPlugin, unregisterWorkerPlugin, uploadFile } from "./client-plugins.js";
import { FuturesLostError, reclaimKeys, reconnectScheduler, type ReconnectTarget } from "./reconnect.js";
import type { LogLevel, LogRecord } from "../core/log.js";
import type { UnrunnableGroup } from "./client-types.js";

export type { ClientOptions, ClientTarget, ClusterLike, ProfileHtmlWriter, ProfileOptions, SchedulerInfo, WorkerSummary } from "./client-types.js";

type OwnedCluster = ClusterLike & { close(): Promise<void> };

export class Client implements GraphExecutor, FutureOwner, CoordinationClient {
  /** Starts a LocalCluster when connect() is given no target (wired by the package entry). */
  static localClusterFactory: (() => Promise<OwnedCluster>) | null = null;
  /** Writes client.profile({ filename }) files (wired by the package entry to the dashboard's writer). */
  static profileHtmlWriter: ProfileHtmlWriter | null = null;

  readonly futures = new Map<string, FutureState>();
  /** Connections to workers (a new pool after a reconnection to a scheduler with a new credential). */
  private workerPool: ConnectionPool;
  private info: SchedulerInfo;
  private nWorkers: number;
  private closed = false;
  /** Why the scheduler connection ended, once it has (every later call raises it). */
  private lost: ClosedError | null = null;
  private heartbeat: NodeJS.Timeout;
  private ownedCluster: OwnedCluster | null = null;
  private workerWaiters: Array<() => void> = [];
  /** A handle garbage-collected without release() gives up its reference here (a dropped handle lets its key go). */
  private finalizer = new FinalizationRegistry<string>((key) => this.handleCollected(key));
  /** Listeners for scheduler messages the client does not handle itself (pub/sub). */
  private messageListeners = new Set<(message: Message, frames: Uint8Array[]) => void>();
  readonly logger: Logger;
  /** Handlers of the event topics this client subscribed to. */
  readonly topics = new TopicSubscriptions();
  /** How to reach the scheduler again after a drop, and for how long to try (0: never). */
  private reconnectTarget: ReconnectTarget | null = null;
  private reconnectSeconds = 0;
  /** While reconnecting: why the connection dropped. */
  private reconnecting: Error | null = null;

  private constructor(
    private connection: Connection,
    private clientId: string,
    readonly schedulerAddress: string,
    private credential: string,
    readonly security: Security | undefined,
    private readonly clusterDashboardLink: string | undefined,
    logger: Logger,
    registration: { schedulerId: string; nWorkers: number },
  ) {
    this.logger = logger;
    this.workerPool = new ConnectionPool({ credential, security, logger });
    this.nWorkers = registration.nWorkers;
    this.info = { type: "Scheduler", id: registration.schedulerId, address: schedulerAddress, services: {}, started: 0, workers: {} };
    this.heartbeat = setInterval(() => {
      if (!this.scheduler.isClosed) this.scheduler.send({ op: "heartbeat-client" });
    }, 5000);
    this.heartbeat.unref();
  }

  get pool(): ConnectionPool {
    return this.workerPool;
  }

  /** The scheduler connection now (a new one after a reconnection). */
  get scheduler(): Connection {
    return this.connection;
  }

  /** This client's id on the scheduler (a new one after a reconnection). */
  get id(): string {
    return this.clientId;
  }

  get isClosed(): boolean {
    return this.closed || this.lost !== null;
  }

  /** The default client (the most recently connected one that is still open), if any. */
  static current(): Client | undefined {
    const executor = getDefaultExecutor();
    return executor instanceof Client ? executor : undefined;
  }

  static async connect(target?: ClientTarget, options: ClientOptions = {}): Promise<Client> {
    let owned: OwnedCluster | null = null;
    if (target === undefined) {
      if (!Client.localClusterFactory) throw new InvalidOptionError("Client.connect() needs an address, a cluster or { schedulerFile }");
      owned = await Client.localClusterFactory();
      target = owned;
    }
    const timeout = parseDuration(options.timeout ?? commTimeouts().connectSeconds, "timeout");
    const schedulerTimeout = parseDuration(options.schedulerTimeout ?? commTimeouts().tcpSeconds, "schedulerTimeout");
    if (schedulerTimeout <= 0) throw new InvalidOptionError(`schedulerTimeout must be positive, got ${String(options.schedulerTimeout)}`);
    const { address, connectTo, credential, security, dashboardLink } = await resolveTarget(target, options, timeout);
    const logger = createLogger("client");
    const connection = await connect(connectTo, { credential, security, logger, timeout });
    watchLiveness(connection, { timeoutMs: schedulerTimeout * 1000, peerName: "the scheduler" });
    connection.start(() => {});
    const reply = await connection.request({ op: "register-client" }, [], { timeoutMs: timeout * 1000 });
    const registration = reply.result as { clientId: string; schedulerId: string; nWorkers: number };
    const client = new Client(connection, registration.clientId, address, credential, security, dashboardLink, logger, registration);
    client.ownedCluster = owned;
    client.reconnectSeconds = parseDuration(options.reconnectTimeout ?? timeout, "reconnectTimeout");
    client.reconnectTarget = {
      address: connectTo, credential, security, schedulerTimeoutSeconds: schedulerTimeout,
      ...(typeof target === "object" && "schedulerFile" in target ? { schedulerFile: target.schedulerFile } : {}),
    };
    client.attach(connection);
    await client.refreshSchedulerInfo().catch(() => {});
    if (options.setAsDefault ?? true) setDefaultExecutor(client);
    return client;
  }

  // ---- messages from the scheduler ----

  private receive(message: Message, frames: Uint8Array[]): void {
    switch (message.op) {
      case "key-in-memory":
        this.futures.get(message.key)?.finish(message.whoHas, message.nbytes, message.type);
        return;
      case "key-erred":
        this.futures.get(message.key)?.fail(message.error);
        return;
      case "key-cancelled":
        this.futures.get(message.key)?.cancel(message.reason);
        return;
      case "workers-changed":
        this.nWorkers = message.nWorkers;
        for (const wake of this.workerWaiters.splice(0)) wake();
        void this.refreshSchedulerInfo().catch(() => {});
        return;
      case "topic-event":
        this.topics.deliver(message.topic, { time: message.time, msg: message.msg });
        return;
      case "cluster-restarted":
        // As in Dask: every future of this client ends, cancelled, whatever it was.
        for (const state of this.futures.values()) state.cancelledBy(message.reason);
        return;
      default:
        for (const listener of this.messageListeners) listener(message, frames);
        return;
    }
  }

  /** Takes `connection` as the scheduler connection (at connect and after a reconnection). */
  private attach(connection: Connection): void {
    this.connection = connection;
    connection.start((message, frames) => this.receive(message, frames));
    connection.onClose((reason) => {
      if (this.connection === connection) this.schedulerLost(reason);
    });
  }

  private schedulerLost(reason?: Error): void {
    if (this.closed) {
      clearInterval(this.heartbeat);
      return;
    }
    if (this.reconnectSeconds > 0 && this.reconnectTarget && !this.reconnecting) {
      void this.reconnect(reason);
      return;
    }
    this.giveUp(reason);
  }

  /** Tries the scheduler again for reconnectTimeout (reconnect.ts); gives up when it does not come back. */
  private async reconnect(reason?: Error): Promise<void> {
    this.reconnecting = reason ?? new Error("the connection closed");
    const target = this.reconnectTarget as ReconnectTarget;
    this.logger.warn(`the connection to the scheduler at ${this.schedulerAddress} was lost${reason ? ` (${reason.message})` : ""}; reconnecting for up to ${this.reconnectSeconds} s`);
    const reconnected = await reconnectScheduler(target, this.reconnectSeconds, this.logger, () => this.closed).catch(() => null);
    if (!reconnected || this.closed) {
      reconnected?.connection.close();
      this.reconnecting = null;
      this.giveUp(reason, ` and did not come back within ${this.reconnectSeconds} s`);
      return;
    }
    this.clientId = reconnected.clientId;
    if (reconnected.credential !== this.credential) {
      // A scheduler started again with a new credential (in its scheduler file): its workers take only that one.
      this.credential = reconnected.credential;
      target.credential = reconnected.credential;
      const old = this.workerPool;
      this.workerPool = new ConnectionPool({ credential: reconnected.credential, security: this.security, logger: this.logger });
      void old.close();
    }
    this.nWorkers = reconnected.nWorkers;
    this.attach(reconnected.connection);
    let lost: string[];
    try {
      for (const topic of this.topics.topics) reconnected.connection.send({ op: "subscribe-topic", topic });
      lost = await reclaimKeys(reconnected.connection, [...this.futures.keys()]);
    } catch (error) {
      // The new connection dropped at once: its own close starts the next attempt.
      this.reconnecting = null;
      this.logger.warn(`reconnected to ${this.schedulerAddress}, but the connection dropped again: ${(error as Error).message}`);
      return;
    }
    this.reconnecting = null;
    for (const key of lost) {
      this.futures.get(key)?.failWith(new FuturesLostError(
        `${key} was lost: the connection to the scheduler at ${this.schedulerAddress} dropped (${reason?.message ?? "closed"}) and the ` +
          "scheduler the client reconnected to does not know this key (it restarted, or forgot it while this client was away); submit it again",
      ));
    }
    if (lost.length > 0) this.logger.warn(`reconnected to the scheduler at ${this.schedulerAddress}; ${lost.length} futures were lost: ${lost.slice(0, 20).join(", ")}${lost.length > 20 ? ", …" : ""}`);
    else this.logger.info(`reconnected to the scheduler at ${this.schedulerAddress}; no future was lost`);
    this.topics.deliver("client-reconnected", { time: Date.now() / 1000, msg: { scheduler: this.schedulerAddress, lostKeys: lost } });
    for (const wake of this.workerWaiters.splice(0)) wake();
    void this.refreshSchedulerInfo().catch(() => {});
  }

  private giveUp(reason?: Error, detail = ""): void {
    clearInterval(this.heartbeat);
    this.lost = new ClosedError(
      `the connection to the scheduler at ${this.schedulerAddress} was lost${reason ? ` (${reason.message})` : ""}${detail}; ` +
        "this client cannot reach the cluster any more: connect a new one once the scheduler runs again",
      { cause: reason },
    );
    for (const state of this.futures.values()) {
      if (!state.done) state.lose(this.lost);
    }
  }

  // ---- futures ----

  private futureFor<T>(key: string): Future<T> {
    let state = this.futures.get(key);
    if (!state) {
      state = new FutureState(key);
      this.futures.set(key, state);
    }
    const future = new Future<T>(key, state, this);
    this.finalizer.register(future, key, future);
    return future;
  }

  private handleCollected(key: string): void {
    const state = this.futures.get(key);
    if (!state) return;
    state.refCount--;
    this.releaseKey(key);
  }

  /** @internal A handle released explicitly: its collection must not count it a second time. */
  handleReleased(future: Future): void {
    this.finalizer.unregister(future);
  }

  releaseKey(key: string): void {
    const state = this.futures.get(key);
    if (!state || state.refCount > 0) return;
    this.futures.delete(key);
    if (!this.closed && !this.scheduler.isClosed) this.scheduler.send({ op: "release-keys", keys: [key] });
  }

  async cancelKeys(keys: string[], force: boolean): Promise<void> {
    this.assertOpen();
    this.scheduler.send({ op: "cancel-keys", keys, force });
  }

  async cancel(futures: Future[] | Future, options: { force?: boolean } = {}): Promise<void> {
    const list = Array.isArray(futures) ? futures : [futures];
    await this.cancelKeys(list.map((f) => f.key), options.force ?? false);
  }

  fetchResult(state: FutureState): Promise<unknown> {
    return gatherValues(this, [state]).then((values) => values[0]);
  }

  // ---- submitting work ----

  private assertOpen(): void {
    if (this.closed) throw new ClosedError("this client is closed");
    if (this.lost) throw this.lost;
    if (this.reconnecting) {
      throw new ClosedError(`the connection to the scheduler at ${this.schedulerAddress} was lost (${this.reconnecting.message}); the client is reconnecting (for up to ${this.reconnectSeconds} s): try again then`);
    }
  }

  /**
   * Submits specs (their dependencies must be in the list or on the cluster). What the
   * scheduler would refuse raises here, and nothing is sent; should the scheduler refuse the
   * graph all the same, the futures of this graph fail with its reason, and only they.
   */
  submitSpecs(specs: TaskSpec[], wanted: string[], extra: { workers?: string[]; allowOtherWorkers?: boolean } = {}): void {
    this.assertOpen();
    for (const spec of specs) {
      assertKey(spec.key, "task key");
      for (const dep of spec.deps) assertKey(dep, `dependency of task ${spec.key}`);
    }
    for (const key of wanted) assertKey(key, "key");
    const { tasks, frames } = toWireTasks(specs, extra);
    const message = { op: "update-graph" as const, tasks, wanted };
    const checked = parseMessage({ ...message, reqId: 0 }); // as it will travel: request() adds the id
    if ("problem" in checked) throw new InvalidOptionError(`the scheduler would refuse this graph: ${checked.problem}`);
    this.scheduler.request(message, frames).catch((error: Error) => {
      for (const key of new Set([...wanted, ...specs.map((spec) => spec.key)])) {
        const state = this.futures.get(key);
        if (state && !state.done) state.failWith(error);
      }
    });
  }

  /**
   * Runs `fn(...args)` on a worker: `client.submit(fn, 1, 2)`. Options go in the object form:
   * `client.submit({ fn, args: [1, 2], retries: 2, key: "my-key" })`.
   */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  submit<T = unknown>(fnOrOptions: Function | (SubmitOptions & { fn: Function; args?: unknown[] }), ...args: unknown[]): Future<T> {
    if (typeof fnOrOptions !== "function" && args.length > 0) {
      // Never dropped in silence: the options form takes its arguments in `args`.
      throw new InvalidOptionError("submit({ fn, ... }) takes the function's arguments in its `args` option, not after the options object");
    }
    const options = typeof fnOrOptions === "function" ? { fn: fnOrOptions, args } : fnOrOptions;
    const spec = makeSubmitTask(prepareFunction(options.fn), options.args ?? [], options);
    this.submitSpecs([spec], [spec.key], options);
    return this.futureFor<T>(spec.key);
  }

  /** One task per element: `client.map(fn, [1, 2, 3])`; several iterables zip like Dask's. */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  map<T = unknown>(fn: Function, ...iterables: Array<Iterable<unknown> | SubmitOptions>): Array<Future<T>> {
    const lists = iterables.filter((it): it is Iterable<unknown> => typeof (it as Iterable<unknown>)?.[Symbol.iterator] === "function").map((it) => [...it]);
    const options = (iterables.find((it) => typeof (it as Iterable<unknown>)?.[Symbol.iterator] !== "function") ?? {}) as SubmitOptions;
    if (lists.length === 0) throw new InvalidOptionError("map needs at least one iterable of arguments");
    const length = Math.min(...lists.map((l) => l.length));
    const prepared = prepareFunction(fn); // refuses a function that cannot travel, once
    const specs: TaskSpec[] = [];
    for (let i = 0; i < length; i++) {
      specs.push(makeSubmitTask(prepared, lists.map((l) => l[i]), { ...options, key: undefined }));
    }
    this.submitSpecs(specs, specs.map((s) => s.key), options);
    return specs.map((spec) => this.futureFor<T>(spec.key));
  }

  /**
   * Values of futures (nested arrays and objects keep their shape), fetched from workers.
   * With `errors: "skip"`, failed futures are left out (of a top-level list; undefined deeper).
   */
  async gather<T = unknown>(futures: Future<T>[], options?: { errors?: "raise" | "skip" }): Promise<T[]>;
  async gather(futures: unknown, options?: { errors?: "raise" | "skip" }): Promise<unknown>;
  async gather(futures: unknown, options: { errors?: "raise" | "skip" } = {}): Promise<unknown> {
    if (futuresApi.checkGatherErrors(options.errors) === "skip") return futuresApi.gatherSkippingErrors(this, futures);
    const found: Future[] = [];
    mapFutures(futures, (future) => found.push(future));
    await waitForAll(found);
    const values = await gatherValues(this, found.map((f) => f.state));
    const byKey = new Map(found.map((f, i) => [f.key, values[i]]));
    return mapFutures(futures, (future) => byKey.get(future.key));
  }

  /** Puts data on workers (round robin, or on every worker with `broadcast`). */
  async scatter<T>(data: T[], options: ScatterOptions = {}): Promise<Array<Future<T>>> {
    this.assertOpen();
    const { keys, placed } = await scatterValues(this, data, options);
    const futures = keys.map((key) => this.futureFor<T>(key));
    // The scheduler announced these keys while they had no future here: finish them from what we placed.
    for (const { key, worker, nbytes, type } of placed) {
      const state = this.futures.get(key);
      if (state && !state.done) state.finish([worker], nbytes, type);
      else if (state?.status === "finished" && !state.whoHas.includes(worker)) state.whoHas.push(worker);
    }
    return futures;
  }

  // ---- GraphExecutor (lazy collections) ----

  holds(key: string): boolean {
    const state = this.futures.get(key);
    return state !== undefined && state.status === "finished";
  }

  /** The memory limit of each connected worker (plans are checked against the smallest). */
  async workerMemoryLimits(): Promise<number[]> {
    return Object.values((await this.refreshSchedulerInfo()).workers).map((worker) => worker.memoryLimit);
  }

  async compute(graph: TaskGraph, keys: readonly string[], options: ComputeOptions = {}): Promise<unknown[]> {
    const { futures, progress } = this.submitGraphWithProgress(graph, keys, options, "compute");
    let completed = false;
    try {
      const values = await this.gather(futures);
      completed = true;
      return values;
    } finally {
      await progress?.stop(completed);
      for (const future of futures) future.release();
    }
  }

  async persist(graph: TaskGraph, keys: readonly string[], options: ComputeOptions = {}): Promise<PersistedKeys> {
    const { futures, progress } = this.submitGraphWithProgress(graph, keys, options, "persist");
    let completed = false;
    try {
      await waitForAll(futures);
      completed = true;
    } finally {
      await progress?.stop(completed);
    }
    return { keys, release: () => futures.forEach((f) => f.release()) };
  }

  /**
   * Submits what the cluster does not hold already of a graph and, when stdout is a terminal,
   * shows the progress of the submitted tasks there.
   */
  private submitGraphWithProgress(graph: TaskGraph, keys: readonly string[], options: ComputeOptions, what: string): { futures: Future[]; progress: TerminalProgress | null } {
    const held = new Set([...this.futures.keys()].filter((key) => this.holds(key)));
    const culled = graph.cull(keys, held);
    const resources = options.resources !== undefined ? checkResources(options.resources, `${what} resources`) : undefined;
    const specs = [...culled.tasks.values()].map((spec) => ({
      ...spec,
      ...(options.retries !== undefined && spec.retries === undefined ? { retries: options.retries } : {}),
      ...(options.priority !== undefined ? { priority: options.priority } : {}),
      ...(resources ? { resources: { ...resources, ...spec.resources } } : {}),
    }));
    this.submitSpecs(specs, [...keys]);
    const futures = keys.map((key) => this.futureFor(key));
    const progress = TerminalProgress.start(this, specs.map((spec) => spec.key), { label: options.label ?? what });
    return { futures, progress };
  }

  // ---- cluster information and control ----

  /** Waits until at least `n` workers are connected. */
  async waitForWorkers(n: number, options: { timeout?: number | string } = {}): Promise<void> {
    if (!Number.isInteger(n) || n < 1) throw new InvalidOptionError(`waitForWorkers: n must be a positive integer, got ${n}`);
    const seconds = options.timeout !== undefined ? parseDuration(options.timeout, "timeout") : Infinity;
    const deadline = Date.now() + seconds * 1000;
    while (this.nWorkers < n) {
      this.assertOpen();
      const left = deadline - Date.now();
      if (left <= 0) throw new TimeoutError(`only ${this.nWorkers} of ${n} workers arrived within ${seconds} s`);
      await Promise.race([new Promise<void>((resolve) => this.workerWaiters.push(resolve)), sleep(Math.min(left, 1000))]);
    }
    await this.refreshSchedulerInfo();
  }

  async refreshSchedulerInfo(): Promise<SchedulerInfo> {
    const reply = await this.scheduler.request({ op: "scheduler-info" }, [], { timeoutMs: 30_000 });
    this.info = reply.result as SchedulerInfo;
    this.nWorkers = Object.keys(this.info.workers).length;
    return this.info;
  }

  /** The scheduler's identity and workers, as last refreshed (refreshSchedulerInfo() to update). */
  schedulerInfo(): SchedulerInfo {
    return this.info;
  }

  get dashboardLink(): string | undefined {
    if (this.clusterDashboardLink) return this.clusterDashboardLink;
    const port = this.info.services.dashboard;
    return port ? `http://${hostOf(this.schedulerAddress)}:${port}/status?token=${dashboardToken(this.credential)}` : undefined;
  }

  /** Runs `fn(...args)` on every worker (or those listed) outside the task system. */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  async run<T = unknown>(fn: Function, ...args: unknown[]): Promise<Record<string, T>> {
    return this.runWith<T>({ fn, args });
  }

  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  async runWith<T = unknown>(options: { fn: Function; args?: unknown[]; workers?: string[] }): Promise<Record<string, T>> {
    return (await this.runFunction("run-on-workers", options.fn, options.args ?? [], options.workers)) as Record<string, T>;
  }

  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  async runOnScheduler<T = unknown>(fn: Function, ...args: unknown[]): Promise<T> {
    return (await this.runFunction("run-on-scheduler", fn, args)) as T;
  }

  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  private async runFunction(op: "run-on-workers" | "run-on-scheduler", fn: Function, args: unknown[], workers?: string[]): Promise<unknown> {
    const frames: Uint8Array[] = [];
    const message = { op, fn: functionRefOf(fn), args: packPayload(args, frames), ...(workers ? { workers } : {}) } as const;
    const reply = await this.scheduler.request(message, frames);
    return unpackPayload(reply.result, reply.frames);
  }

  // ---- coordination and the rest of the futures API (coordination/, futures-api.ts) ----

  /** @internal A future for a key the scheduler has just made this client want. */
  adoptFuture(report: KeyReport): Future {
    const future = this.futureFor(report.key);
    applyKeyReport(future.state, report);
    return future;
  }

  /** @internal */
  onSchedulerMessage(listener: (message: Message, frames: Uint8Array[]) => void): () => void {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }

  /** Keeps the futures' keys (anywhere in `futures`) computing to the end, even once every handle is gone. */
  fireAndForget(futures: unknown): void {
    this.assertOpen();
    futuresApi.sendFireAndForget(this.scheduler, futuresApi.futuresIn(futures));
  }

  /** Runs erred futures (and their erred inputs) again. */
  async retry(futures: Future | Future[]): Promise<void> {
    await futuresApi.retryFutures(this.scheduler, Array.isArray(futures) ? futures : [futures]);
  }

  whoHas(futures?: Future[]): Promise<Record<string, string[]>> {
    return futuresApi.whoHas(this.scheduler, futures);
  }

  hasWhat(workers?: string[]): Promise<Record<string, string[]>> {
    return futuresApi.hasWhat(this.scheduler, workers);
  }

  replicate(futures: Future[], options: futuresApi.ReplicateOptions = {}): Promise<Record<string, number>> {
    return futuresApi.replicate(this.scheduler, futures, options);
  }

  rebalance(futures?: Future[], options: { workers?: string[] } = {}): Promise<{ moved: number; planned: number }> {
    return futuresApi.rebalance(this.scheduler, futures, options.workers);
  }

  publishDataset(name: string, value: unknown, options: { override?: boolean } = {}): Promise<void> {
    return publishDataset(this, name, value, options);
  }

  getDataset<T = unknown>(name: string): Promise<T> {
    return getDataset<T>(this, name);
  }

  listDatasets(): Promise<string[]> {
    return listDatasets(this);
  }

  unpublishDataset(name: string): Promise<void> {
    return unpublishDataset(this, name);
  }

  async retireWorkers(options: { workers?: string[]; n?: number } = {}): Promise<string[]> {
    const reply = await this.scheduler.request({ op: "retire-workers", ...options });
    return (reply.result as { retired: string[] }).retired;
  }

  /** Task records (key, worker, thread, start/stop per action) since `since` (epoch seconds). */
  async getTaskStream(options: { since?: number; count?: number } = {}): Promise<unknown[]> {
    const reply = await this.scheduler.request({ op: "get-task-stream", ...options });
    return reply.result as unknown[];
  }

  /** Transfers between workers (receiver, sender, keys, bytes, start, stop) since `since`. */
  async getTransferLog(options: { since?: number; count?: number } = {}): Promise<unknown[]> {
    const reply = await this.scheduler.request({ op: "get-transfer-log", ...options });
    return reply.result as unknown[];
  }

  /**
   * Stacks sampled in the workers' compute threads, merged (all workers and per worker),
   * optionally of one task prefix and since a time. With `filename`, also writes them as a
   * flame graph in one self-contained HTML file.
   */
  async profile(options: ProfileOptions = {}): Promise<ProfileResult> {
    const reply = await this.scheduler.request({
      op: "get-profile", ...(options.since !== undefined ? { since: options.since } : {}), ...(options.prefix !== undefined ? { prefix: options.prefix } : {}),
    });
    const result = reply.result as ProfileResult;
    if (options.filename) {
      if (!Client.profileHtmlWriter) throw new InvalidOptionError("writing profile HTML needs the dashboard: import Client from the package entry (\"tessera\")");
      const workerNames = Object.fromEntries(Object.values(this.info.workers).map((w) => [w.address, w.name]));
      await Client.profileHtmlWriter(options.filename, result, { ...(options.prefix ? { prefix: options.prefix } : {}), workerNames });
    }
    return result;
  }

  // ---- plugins, uploads, logs, events, stories, restart (client-plugins.ts, client-logs.ts) ----

  /** Runs `plugin` (setup/teardown/transition hooks) on every worker, now and joining later; resolves with its name. */
  async registerWorkerPlugin(plugin: object, options: { name?: string } = {}): Promise<string> {
    this.assertOpen();
    return registerWorkerPlugin(this, plugin, options);
  }

  async unregisterWorkerPlugin(name: string): Promise<void> {
    this.assertOpen();
    await unregisterWorkerPlugin(this, name);
  }

  /** Runs `plugin` (start/close/addWorker/removeWorker/transition hooks) on the scheduler. */
  async registerSchedulerPlugin(plugin: object, options: { name?: string } = {}): Promise<string> {
    this.assertOpen();
    return registerSchedulerPlugin(this, plugin, options);
  }

  /** Sends a module to every worker, now and later (no shared filesystem needed). */
  async uploadFile(path: string): Promise<void> {
    this.assertOpen();
    await uploadFile(this, path);
  }

  /** The last `n` log lines of every worker (or those named), by address. */
  async getWorkerLogs(options: { n?: number; workers?: string[] } = {}): Promise<Record<string, LogRecord[]>> {
    this.assertOpen();
    return getWorkerLogs(this, options);
  }

  /** Why tasks wait for a worker that may run them (no worker offers their resources, …), grouped by reason. */
  async unrunnable(): Promise<UnrunnableGroup[]> {
    this.assertOpen();
    const reply = await this.scheduler.request({ op: "get-unrunnable" });
    return reply.result as UnrunnableGroup[];
  }

  async getSchedulerLogs(options: { n?: number } = {}): Promise<LogRecord[]> {
    this.assertOpen();
    return getSchedulerLogs(this, options);
  }

  /** Workers' log records (at `level` and above) appear in this process's log; resolves with the function that stops it. */
  async forwardLogging(options: { level?: LogLevel } = {}): Promise<() => Promise<void>> {
    this.assertOpen();
    return forwardLogging(this, options);
  }

  logEvent(topic: string, msg: unknown): void {
    this.assertOpen();
    logEvent(this, topic, msg);
  }

  async getEvents(topic: string): Promise<TopicEvent[]>;
  async getEvents(): Promise<Record<string, TopicEvent[]>>;
  async getEvents(topic?: string): Promise<TopicEvent[] | Record<string, TopicEvent[]>> {
    this.assertOpen();
    return getEvents(this, topic);
  }

  /** Calls `handler` with each event logged under `topic` from now on; returns the unsubscription. */
  subscribeTopic(topic: string, handler: TopicHandler): () => void {
    if (topic !== "client-reconnected") this.assertOpen();
    return topic === "client-reconnected" ? subscribeLocal(this.topics, topic, handler) : subscribeTopic(this, topic, handler);
  }

  /** Every transition of these keys (or futures' keys), on the scheduler and on the workers, by time. */
  async story(...keys: Array<string | Future>): Promise<StoryEntry[]> {
    this.assertOpen();
    return story(this, keys.map((k) => (typeof k === "string" ? k : k.key)));
  }

  /**
   * Restarts every worker through its nanny (Dask's restart): every future of every client
   * ends, cancelled; resolves once all workers are back (batch jobs keep running: the nanny
   * in each job starts a fresh worker). Refused when a worker has no nanny.
   */
  async restart(options: { timeout?: number | string } = {}): Promise<void> {
    this.assertOpen();
    const timeout = parseDuration(options.timeout ?? 120, "timeout");
    await this.scheduler.request({ op: "restart", timeout }, [], { timeoutMs: (timeout + 30) * 1000 });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    if (getDefaultExecutor() === this) setDefaultExecutor(null);
    if (!this.scheduler.isClosed) {
      this.scheduler.send({ op: "close-client" });
      this.scheduler.close();
    }
    await this.pool.close();
    if (this.ownedCluster) await this.ownedCluster.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/** A topic only this client raises (no scheduler subscription). */
function subscribeLocal(topics: TopicSubscriptions, topic: string, handler: TopicHandler): () => void {
  topics.add(topic, handler);
  return () => topics.remove(topic, handler);
}

/** Raises a clear error for a key the protocol would refuse (the scheduler would drop the whole graph). */
function assertKey(key: unknown, what: string): void {
  const problem = keyProblem(key);
  if (!problem) return;
  const shown = typeof key === "string" ? JSON.stringify(key.length > 60 ? `${key.slice(0, 60)}…` : key) : String(key);
  throw new InvalidOptionError(`${what} ${shown} cannot be used: ${problem}`);
}

/** Waits until each future is done, in order; raises the error of the first that failed. */
async function waitForAll(futures: readonly Future[]): Promise<void> {
  for (const future of futures) {
    await future.state.wait();
    if (future.state.error) throw future.state.error;
  }
}
