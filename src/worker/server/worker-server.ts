/**
 * The worker process's I/O shell around the pure WorkerState: it registers with the
 * scheduler, listens for peers (data requests, scattered data), runs tasks on its thread
 * pool, fetches dependencies directly from the workers that hold them, and heartbeats.
 * It owns the scheduler connection, the peer listener and pool, the threads, the timers and
 * its scratch directory; close() releases all of them.
 *
 * Lifetimes: `lifetime` (± `lifetimeStagger`) and SIGTERM retire the worker gracefully (the
 * scheduler copies its unique results elsewhere, then closes it); losing the scheduler ends
 * it at once, as in Dask; `deathTimeout` bounds how long it tries to reach the scheduler, at
 * start and later: a scheduler that stays silent that long when pinged (stopped, hung, cut
 * off) counts as lost (comm/liveness.ts).
 */
import { rm } from "node:fs/promises";
import { hostname } from "node:os";
import { unixSeconds } from "../../core/clock.js";
import { commTimeouts } from "../../config/index.js";
import { LogRing, createLogger, keepingRecent, type Logger } from "../../core/log.js";
import { connect } from "../../comm/connect.js";
import type { Connection, OutgoingMessage } from "../../comm/connection.js";
import { watchLiveness } from "../../comm/liveness.js";
import { ConnectionPool } from "../../comm/connection-pool.js";
import { listen, type Listener } from "../../comm/listener.js";
import { interfaceAddress } from "../../comm/network-interface.js";
import { parseAddress, formatAddress } from "../../comm/address.js";
import type { Security } from "../../comm/security.js";
import type { Message } from "../../protocol/messages.js";
import type { Resources } from "../../protocol/resources.js";
import { ThreadPool } from "../executor/thread-pool.js";
import { type DataStore, dataStoreFor } from "../memory/data-store.js";
import { defaultLocalDirectory, prepareLocalDirectory } from "../memory/local-directory.js";
import { MemoryMonitor } from "../memory/memory-monitor.js";
import { type TaskAdmission, admissionFor } from "../memory/task-admission.js";
import { taskRoomMetrics } from "../memory/task-room.js";
import { type MemoryPolicy, type WorkerMemoryOptions, resolveMemoryPolicy } from "../memory/memory-policy.js";
import { collectGarbageEverywhere, enableGarbageCollection } from "../memory/process-memory.js";
import { WorkerState, type WorkerCommand, type WorkerEvent } from "../state/worker-state.js";
import { MetricsSampler } from "./worker-metrics.js";
import type { WorkerContext } from "./worker-context.js";
import { runOnMainThread, executeTask, fetchFromPeer, servePeer } from "./worker-tasks.js";
import { WorkerExtensions, type ExtensionHost, type JoinExtras } from "./worker-extensions.js";
import { lifetimeEnd } from "./worker-lifetime.js";
import { profilerOptionsFor } from "../executor/thread-profiler.js";
import { TaskReports } from "./task-reports.js";
import { rssChecks } from "./rss-readings.js";
import { isWarmUpProfile, warmUpTaskPath } from "./task-path-warm-up.js";

/** Memory: `memoryLimit` in bytes (0: none) and Dask's fractions, spill cap and monitor interval. */
export interface WorkerServerOptions extends WorkerMemoryOptions {
  schedulerAddress: string;
  credential: string;
  security?: Security;
  nthreads?: number;
  name?: string;
  memoryLimit?: number;
  /** Parent of the worker's scratch directory (node-local storage on HPC). */
  localDirectory?: string;
  /** Seconds to keep trying to reach the scheduler at start, and that it may stay silent later (default: 60). */
  deathTimeout?: number;
  /** Seconds after which the worker retires gracefully (default: distributed.worker.lifetime.duration). */
  lifetime?: number;
  /** ± seconds of random spread of the lifetime (default: distributed.worker.lifetime.stagger). */
  lifetimeStagger?: number;
  /** Seconds to keep trying to reach a peer worker (default: distributed.comm.timeouts.connect). */
  connectTimeout?: number;
  /** Bind to this network interface's address (e.g. "ib0"). */
  interface?: string;
  host?: string;
  /** The batch job this worker runs in, shown on the dashboard. */
  jobId?: string;
  logger?: Logger;
  /** Node options for compute threads (e.g. a TypeScript loader). */
  threadExecArgv?: string[];
  /**
   * Seconds between stack samples of the compute threads (Dask's profile interval); 0 turns
   * profiling off. Default: TESSERA_PROFILE_INTERVAL (e.g. "10ms"), else 10 ms.
   */
  profileInterval?: number;
  /** Abstract resources it offers (`--resources "GPU=2,MEM=64e9"`, checked by resources.ts). */
  resources?: Resources;
  /** Modules whose tesseraSetup(worker) runs before the worker joins (`--preload`). */
  preload?: string[];
  /** Its supervisor (a nanny restarts it for client.restart()), described for the scheduler. */
  nanny?: string;
}

export class WorkerServer implements WorkerContext, ExtensionHost {
  readonly state: WorkerState;
  data!: DataStore;
  readonly memoryPolicy: MemoryPolicy;
  private memoryMonitor: MemoryMonitor | null = null;
  admission: TaskAdmission | null = null;
  readonly pool: ConnectionPool;
  threads!: ThreadPool;
  scheduler!: Connection;
  private listener!: Listener;
  localDirectory = "";
  name = "";
  private timers: NodeJS.Timeout[] = [];
  private metrics = new MetricsSampler();
  private readonly reports = new TaskReports({
    connection: () => this.scheduler,
    pendingWork: () => this.state.executing + this.state.readyCount,
    stillRunning: (key) => this.state.tasks.get(key)?.status === "executing" && this.threads.isRunning(key),
  });
  private closing: Promise<void> | null = null;
  private resolveFinished!: (reason: string) => void;
  /** Resolves with the reason once the worker has closed. */
  readonly finished = new Promise<string>((resolve) => (this.resolveFinished = resolve));
  readonly logger: Logger;
  /** Its recent log lines (client.getWorkerLogs). */
  readonly logRing = new LogRing();
  status: "running" | "paused" | "closing-gracefully" | "closed" = "running";
  extensions!: WorkerExtensions;
  /** Set when the scheduler asked for a restart: the nanny starts a fresh worker. */
  restartRequested = false;
  /** The event being handled (the stimulus of the transitions it causes). */
  private stimulus = "";
  /** Scheduler messages that arrived while plugins were being set up at joining. */
  private heldMessages: Array<[Message, Uint8Array[]]> | null = [];

  private constructor(readonly options: WorkerServerOptions) {
    this.logger = keepingRecent(options.logger ?? createLogger("worker"), "worker", this.logRing);
    this.memoryPolicy = resolveMemoryPolicy(options.memoryLimit ?? 0, options);
    this.state = new WorkerState({
      nthreads: this.nthreads, maxIncomingPeers: 10, maxBytesPerRequest: 50e6,
      maxInFlightBytes: this.memoryPolicy.limitBytes > 0 ? 0.1 * this.memoryPolicy.limitBytes : Infinity,
      ...(options.resources ? { resources: options.resources } : {}),
    });
    // Configuration is read here, at start-up; explicit options (flags) win over it.
    const timeout = options.connectTimeout ?? commTimeouts().connectSeconds;
    this.pool = new ConnectionPool({ credential: options.credential, security: options.security, logger: this.logger, timeout });
  }

  get address(): string {
    return this.listener.address;
  }

  get nthreads(): number {
    return this.options.nthreads ?? 1;
  }

  static async start(options: WorkerServerOptions): Promise<WorkerServer> {
    const worker = new WorkerServer(options);
    try {
      await worker.startUp();
    } catch (error) {
      await worker.close("start-up failed");
      throw error;
    }
    return worker;
  }

  private async startUp(): Promise<void> {
    const options = this.options;
    // A scratch directory that cannot be written fails the start, not the first spill.
    const scratch = await prepareLocalDirectory(options.localDirectory ?? defaultLocalDirectory(), (message) => this.logger.warn(message));
    this.localDirectory = scratch.directory;
    this.data = dataStoreFor(this.memoryPolicy, scratch.spillDirectory, this.logger);
    this.data.onLost = (key, reason) => this.dispatch({ type: "data-lost", keys: [key], reason });
    this.data.onSpillStopped = (message) => this.scheduler?.send({ op: "worker-warning", message });
    const deathTimeout = options.deathTimeout ?? 60;
    this.scheduler = await connect(options.schedulerAddress, {
      credential: options.credential, security: options.security, logger: this.logger, timeout: deathTimeout,
    });
    watchLiveness(this.scheduler, { timeoutMs: deathTimeout * 1000, peerName: "the scheduler" });
    const scheme = parseAddress(options.schedulerAddress).scheme;
    const host = options.interface ? interfaceAddress(options.interface) : options.host ?? localHostFor(this.scheduler);
    this.listener = await listen(scheme === "inproc" ? `inproc://worker-${process.pid}-${Math.random().toString(36).slice(2)}` : formatAddress({ scheme, host, port: 0 }), {
      credential: options.credential, security: options.security, logger: this.logger,
      onConnection: (connection) => connection.start((message, frames, conn) => servePeer(this, message, frames, conn)),
    });
    this.name = options.name ?? this.address;
    this.extensions = new WorkerExtensions(this, this.logRing, {
      address: this.address, name: this.name, nthreads: this.nthreads, localDirectory: this.localDirectory,
      resources: { ...options.resources }, schedulerAddress: options.schedulerAddress, log: (message) => this.logger.info(message),
    });
    this.state.onTransition = (key, from, to) => this.extensions.transition(key, from, to, this.stimulus, unixSeconds());
    // A preload that fails fails the start: the worker never joins.
    await this.extensions.plugins.preload(options.preload ?? []);
    enableGarbageCollection(); // before the threads start, so that they can collect too
    const security = options.security;
    this.threads = new ThreadPool(this.nthreads, options.threadExecArgv, profilerOptionsFor(options.profileInterval), {
      address: this.address, name: this.name, schedulerAddress: options.schedulerAddress, credential: options.credential,
      ...(security ? { security: { ca: security.ca, cert: security.cert, key: security.key, requireEncryption: security.requireEncryption } } : {}),
    }, options.memoryLimit ?? 0);
    this.threads.onStart = (key) => this.reports.started(key);
    this.threads.onSecede = (key) => (this.admission?.finish(key), this.dispatch({ type: "secede", key })); // waiting, it needs no room
    this.threads.onRejoin = (key) => this.dispatch({ type: "rejoin", key });
    this.scheduler.start((message, frames) => this.fromScheduler(message, frames));
    // close() closes this connection itself: only an unexpected loss counts as "lost".
    this.scheduler.onClose((reason) => {
      if (this.status !== "closed") void this.close(`lost the scheduler connection${reason ? ` (${reason.message})` : ""}`);
    });
    await this.threads.ready(); // joined, the worker runs its first task without loading modules first
    await warmUpTaskPath({ threads: this.threads, data: this.data, settings: this.state.settings }); // its main thread's side too
    const retiresAt = lifetimeEnd(options);
    const reply = await this.scheduler.request({
      op: "register-worker", address: this.address, name: this.name, nthreads: this.nthreads,
      memoryLimit: options.memoryLimit ?? 0, localDirectory: this.localDirectory, pid: process.pid, host: hostname(),
      ...(options.jobId ? { jobId: options.jobId } : {}), ...(retiresAt ? { lifetimeEnd: retiresAt } : {}),
      ...(options.resources ? { resources: options.resources } : {}), ...(options.nanny ? { nanny: options.nanny } : {}),
    }, [], { timeoutMs: deathTimeout * 1000 });
    const joined = reply.result as { heartbeatInterval: number } & JoinExtras;
    await this.extensions.joined(joined, reply.frames);
    this.releaseHeldMessages();
    const heartbeat = joined.heartbeatInterval;
    this.timers.push(setInterval(() => this.heartbeat(), heartbeat * 1000));
    if (retiresAt !== undefined) {
      this.timers.push(setTimeout(() => this.retire("lifetime reached"), (retiresAt - unixSeconds()) * 1000));
    }
    for (const timer of this.timers) timer.unref();
    this.startMemoryMonitor();
    this.heartbeat(); // at once, not an interval later: the room it leaves a task (task-room.ts) is what clients check plans against
    this.logger.info(`worker ${this.name} at ${this.address}, ${this.nthreads} threads`);
  }
  recordTaskPeak(bytes: number): void { this.memoryMonitor?.recordTaskPeak(bytes); } // prettier-ignore

  /** Spill, pause and resume by process memory (see memory-monitor.ts). */
  private startMemoryMonitor(): void {
    const checks = rssChecks(this.memoryPolicy, () => process.memoryUsage.rss());
    this.admission = admissionFor(this.memoryPolicy, { readRss: checks.readRss, evictOne: () => this.data.evictOne(), collectEverywhere: () => collectGarbageEverywhere(this.threads) }, this.logger);
    this.memoryMonitor = new MemoryMonitor(this.memoryPolicy, {
      readRss: checks.readRss,
      managedBytes: () => this.data.managedBytes,
      setManagedTarget: (bytes) => this.data.setTargetBytes(bytes),
      evictableBytes: () => this.data.evictableBytes,
      evictOne: () => this.data.evictOne(),
      collectGarbage: () => collectGarbageEverywhere(this.threads),
      busy: () => this.state.executing > 0 || this.state.inFlightCount > 0,
      spillStopped: () => this.data.spillStopped,
      setPaused: (paused) => {
        if (this.status !== "running" && this.status !== "paused") return;
        this.status = paused ? "paused" : "running";
        this.tell({ op: "worker-status", status: this.status });
        this.dispatch({ type: paused ? "pause" : "resume" });
      },
      pauseStuck: (message) => {
        // Fail fast rather than hang: waiting tasks, and those the scheduler sends next, err with this.
        this.logger.error(message);
        this.dispatch({ type: "memory-exhausted", error: { name: "WorkerMemoryError", message: `${this.name}: ${message}`, stack: "" } });
        if (this.status === "paused") {
          this.status = "running";
          this.tell({ op: "worker-status", status: "running" });
        }
      },
    }, this.logger);
    const monitor = this.memoryMonitor;
    this.data.afterInsert = (value, nbytes, outsideBytes) => {
      if (checks.insertDue(value, nbytes, outsideBytes)) monitor.checkPause();
    };
    monitor.start();
  }

  /** After joining: the messages held while plugins were set up (tasks only if the worker is in the pool). */
  private releaseHeldMessages(): void {
    const held = this.heldMessages ?? [];
    this.heldMessages = null;
    for (const [message, frames] of held) this.fromScheduler(message, frames);
  }

  private fromScheduler(message: Message, frames: Uint8Array[]): void {
    if (this.heldMessages) {
      this.heldMessages.push([message, frames]);
      return;
    }
    if (this.extensions.handle(message, frames, this.scheduler)) return;
    switch (message.op) {
      case "compute-task":
        // Out of the pool (a plugin failed at setup): the scheduler sends it elsewhere.
        if (this.extensions.outOfPool) return;
        this.dispatch({
          type: "compute-task", key: message.key, runId: message.runId, priority: message.priority, fn: message.fn, args: message.args, frames,
          deps: message.deps, prefix: message.prefix, ...(message.resources ? { resources: message.resources } : {}),
        });
        return;
      case "free-keys": // as a steal-request: calls queued on a thread, not started, are taken back first
        this.dispatch({ type: "free-keys", keys: message.keys, withdrawn: message.keys.filter((key) => this.state.needsWithdrawal(key) && this.threads.withdraw(key)), ...(message.seq !== undefined ? { seq: message.seq } : {}) });
        return;
      case "steal-request": // a call queued on a thread, not started, is taken back first (it then never runs)
        this.dispatch({ type: "steal-request", key: message.key, withdrawn: this.state.needsWithdrawal(message.key) && this.threads.withdraw(message.key) });
        return;
      case "acquire-replicas":
        this.dispatch({ type: "acquire-replicas", deps: message.deps });
        return;
      case "close-worker":
        void this.close(message.reason);
        return;
      case "run-function":
        runOnMainThread(message, frames, this.scheduler);
        return;
      default:
        throw new Error(`unexpected "${message.op}" from the scheduler`);
    }
  }

  dispatch(event: WorkerEvent): void {
    if (this.status === "closed") return;
    this.stimulus = event.type;
    for (const command of this.state.handle(event)) this.execute(command);
  }

  private execute(command: WorkerCommand): void {
    switch (command.type) {
      case "send":
        if (command.message.op === "task-finished") this.reports.tell(command.message);
        else this.tell(command.message);
        return;
      case "forget-data":
        for (const key of command.keys) this.data.delete(key);
        return;
      case "execute":
        void executeTask(this, command);
        return;
      case "fetch":
        void fetchFromPeer(this, command.peer, command.keys, command.nbytes);
        return;
      case "rejoined":
        this.threads.rejoined(command.key);
        return;
    }
  }

  setModuleLocation(from: string, to: string): void { this.threads?.setModuleLocation(from, to); } // prettier-ignore

  /** client.restart(): close now; the nanny (told why over IPC) starts a fresh worker. */
  restart(reason: string): void {
    this.restartRequested = true;
    this.logger.info(`worker ${this.name} restarting: ${reason}`);
    void this.close(`restarting: ${reason}`);
  }

  private heartbeat(): void {
    // `executing`: calls running on a thread, not those queued behind them (thread-pool.ts).
    this.tell({
      op: "heartbeat", now: unixSeconds(),
      metrics: {
        cpu: this.metrics.cpuPercent(), memory: process.memoryUsage.rss(), managedBytes: this.data.managedBytes,
        spilledBytes: this.data.spilledBytes, spilledDiskBytes: this.data.diskBytes, executing: this.threads.runningCount, ready: this.state.readyCount, inFlight: this.state.inFlightCount,
        eventLoopDelay: this.metrics.eventLoopDelay(), status: this.status, ...(this.admission ? taskRoomMetrics(this.memoryPolicy, this.admission.ownBytes) : {}),
      },
    });
    const entries = this.threads.takeProfile().filter((entry) => !isWarmUpProfile(entry));
    if (entries.length > 0) {
      this.tell({ op: "profile-samples", samples: { intervalMs: this.threads.profileIntervalMs, entries } });
    }
  }

  /**
   * Sends to the scheduler. Once it is gone the worker is closing (its onClose does that), so
   * what it would still say (a late result, a status) has nobody to go to and is dropped.
   */
  tell(message: OutgoingMessage): void {
    if (this.scheduler && !this.scheduler.isClosed) this.scheduler.send(message);
  }

  sayGoodbye(reason: string): void {
    this.tell({ op: "goodbye", reason });
    this.scheduler?.flush();
  }

  /** Graceful retirement: the scheduler moves our unique results, then closes us. */
  retire(reason: string): void {
    if (this.status === "closing-gracefully" || this.status === "closed") return;
    this.logger.info(`worker ${this.name} retiring: ${reason}`);
    this.status = "closing-gracefully";
    this.tell({ op: "worker-status", status: "closing-gracefully" });
    // If the scheduler never answers (it died), leave anyway.
    const fallback = setTimeout(() => void this.close(`${reason} (scheduler did not confirm)`), 120_000);
    fallback.unref();
    this.timers.push(fallback);
  }

  close(reason = "closed"): Promise<void> {
    this.closing ??= this.shutdown(reason);
    return this.closing;
  }

  private async shutdown(reason: string): Promise<void> {
    this.status = "closed";
    for (const timer of this.timers) clearTimeout(timer);
    this.metrics.stop();
    this.memoryMonitor?.stop();
    await this.extensions?.close().catch((error: unknown) => this.logger.error("worker extensions failed to close", error));
    this.data?.close();
    this.scheduler?.close();
    await this.pool.close();
    await this.listener?.close();
    await this.threads?.close();
    if (this.localDirectory) await rm(this.localDirectory, { recursive: true, force: true });
    this.logger.info(`worker ${this.name} closed: ${reason}`);
    this.resolveFinished(reason);
  }
}

/** The local IP address this host uses to reach the scheduler: peers can reach it too. */
function localHostFor(connection: Connection): string {
  const parsed = parseAddress(connection.channel.localAddress);
  return parsed.scheme === "inproc" ? "127.0.0.1" : parsed.host;
}
