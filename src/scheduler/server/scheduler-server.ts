/**
 * The scheduler's I/O shell around the pure SchedulerState: it listens for authenticated
 * peers, turns their messages, disconnections and a periodic tick into events, and carries
 * out the commands the state returns (messages to workers and clients, closing workers).
 * It owns the listener, every peer connection, the tick timer and the scheduler file
 * (own-scheduler-file.ts), and close() releases all of them.
 *
 * Other parts (dashboard, reports, cluster managers) attach through `view` (read-only) and
 * `addPlugin` (observed records); the scheduler imports none of them.
 */
import { hostname } from "node:os";
import { unixSeconds } from "../../core/clock.js";
import { LogRing, createLogger, keepingRecent, type Logger } from "../../core/log.js";
import { uuid } from "../../core/ids.js";
import type { Connection } from "../../comm/connection.js";
import { newCredential } from "../../comm/credential.js";
import { listen, type Listener } from "../../comm/listener.js";
import type { Security } from "../../comm/security.js";
import type { Message } from "../../protocol/messages.js";
import type { ObservedRecord, SchedulerCommand } from "../state/commands.js";
import { SchedulerState, defaultSchedulerSettings, heartbeatInterval, type SchedulerSettings } from "../state/scheduler-state.js";
import type { SchedulerEvent } from "../state/events.js";
import { handleSchedulerEvent } from "../state/scheduler-machine.js";
import { extensionOptionsFromConfig, settingsFromConfig } from "./configured-settings.js";
import { OwnSchedulerFile } from "./own-scheduler-file.js";
import { TaskStreamLog } from "./task-stream.js";
import { ProfileStore } from "./profile-store.js";
import { GraphAssembly } from "./graph-assembly.js";
import { handleSchedulerRequest, type RequestContext } from "./requests.js";
import { messageToEvent } from "./message-events.js";
import { createSchedulerView, type SchedulerView } from "./view.js";
import type { SchedulerPlugin } from "./server-context.js";
import { EventLog } from "./event-log.js";
import { PluginRegistry, type SchedulerPluginContext } from "./plugin-registry.js";
import { extensionOps, handleExtensionMessage, keyStory, workerLog, type ExtensionContext } from "./extension-requests.js";
import { runSchedulerPreloads } from "./scheduler-preload.js";
import { restartWorkers } from "./cluster-restart-request.js";
import { SchedulerExtensions, resolveExtensionOptions, type ExtensionOptions } from "./extensions/scheduler-extensions.js";
import { WorkerOutbox } from "./worker-outbox.js";
import { COMPUTE_SOON_DELAY_MS } from "../policy/dispatch-urgency.js";

export interface SchedulerServerOptions {
  /** Where to listen (default tcp://127.0.0.1:8786; port 0 picks a free one). */
  address?: string;
  /** The cluster credential; a fresh random one when omitted. */
  credential?: string;
  security?: Security;
  schedulerFile?: string;
  settings?: Partial<SchedulerSettings>;
  /** How often timeouts, stealing and retirements are checked (default 250 ms). */
  tickIntervalMs?: number;
  logger?: Logger;
  /** Modules whose tesseraSetup(scheduler) runs at start (`--preload`); tesseraTeardown at close. */
  preload?: string[];
  /** Coordination (lease timeouts) and replica management (the Active Memory Manager, rebalance). */
  extensions?: Partial<ExtensionOptions>;
}

export type { SchedulerPlugin } from "./server-context.js";

export class SchedulerServer implements ExtensionContext {
  readonly id = `Scheduler-${uuid()}`;
  readonly started = unixSeconds();
  readonly state: SchedulerState;
  readonly taskStream = new TaskStreamLog();
  /** Stack samples from the workers' compute threads (profiles, reports). */
  readonly profiles = new ProfileStore();
  readonly view: SchedulerView;
  readonly services: Record<string, number> = {}; // ports of extra services (the dashboard registers "dashboard")
  readonly workerConnections = new Map<string, Connection>();
  readonly clientConnections = new Map<string, Connection>();
  /** Messages to workers, with released keys batched per worker (worker-outbox.ts). */
  readonly workerOutbox = new WorkerOutbox((address) => this.workerConnections.get(address));
  /** Parts attached through addPlugin (dashboard, reports, cluster managers), told of observed records. */
  private observers: SchedulerPlugin[] = [];
  /** Locks, semaphores, queues, variables, events, pub/sub, datasets, replicas (extensions/). */
  readonly extensions: SchedulerExtensions;
  private listener!: Listener;
  /** An in-process address too, so a client in this process skips serialisation entirely. */
  private inprocListener!: Listener;
  private tickTimer: NodeJS.Timeout | null = null;
  private closing: Promise<void> | null = null;
  private resolveClosed!: () => void;
  /** Resolves once the scheduler has closed (by close() or its idle timeout). */
  readonly finished = new Promise<void>((resolve) => (this.resolveClosed = resolve));
  readonly logger: Logger;
  /** Its recent log lines (client.getSchedulerLogs). */
  readonly logRing = new LogRing();
  /** Events by topic (client.logEvent / getEvents / subscribeTopic). */
  readonly events: EventLog;
  readonly graphs = new GraphAssembly((event) => this.apply(event)); // whole or in parts
  /** Worker plugins, uploads and log forwarding for joining workers; scheduler plugins. */
  readonly plugins: PluginRegistry;
  /** Transitions already handed to scheduler plugins (a TransitionLog position). */
  private transitionsSeen = 0;
  private preloadTeardowns: Array<() => Promise<void>> = [];
  /** Written at start (and as workers come and go), removed on close. */
  private readonly schedulerFile: OwnSchedulerFile | undefined;
  private readonly retirementWaiters = new Map<string, Array<() => void>>();
  private constructor(
    readonly credential: string,
    readonly security: Security | undefined,
    schedulerFilePath: string | undefined,
    settings: SchedulerSettings,
    logger: Logger,
    extensionOptions: ExtensionOptions,
  ) {
    this.schedulerFile = schedulerFilePath === undefined ? undefined : new OwnSchedulerFile(schedulerFilePath, this.id);
    this.state = new SchedulerState(settings);
    this.state.lastActivity = this.started;
    this.logger = keepingRecent(logger, "scheduler", this.logRing);
    this.view = createSchedulerView(this, { workerLog: (worker, n) => workerLog(this, worker, n), keyStory: (key) => keyStory(this, [key]) });
    this.events = new EventLog((clientId, topic, event) => this.clientConnections.get(clientId)?.send({ op: "topic-event", topic, time: event.time, msg: event.msg }));
    this.plugins = new PluginRegistry(this.logger);
    this.addPlugin({ onRecord: (record) => this.plugins.observe(record), close: () => this.plugins.close() });
    this.extensions = new SchedulerExtensions({
      state: this.state, logger: this.logger, dispatch: (event) => this.dispatch(event),
      sendToWorker: (address, message) => this.workerOutbox.send(address, message),
    }, extensionOptions);
  }

  static async start(options: SchedulerServerOptions = {}): Promise<SchedulerServer> {
    // Configuration (files, TESSERA_* variables, config.set) is read here, at start-up; explicit
    // settings (cluster options, command-line flags) win over it.
    const settings = { ...defaultSchedulerSettings, ...settingsFromConfig(), ...options.settings };
    const credential = options.credential ?? newCredential();
    const extensionOptions = resolveExtensionOptions({ ...extensionOptionsFromConfig(), ...options.extensions });
    const server = new SchedulerServer(credential, options.security, options.schedulerFile, settings, options.logger ?? createLogger("scheduler"), extensionOptions);
    server.listener = await listen(options.address ?? "tcp://127.0.0.1:8786", {
      credential,
      security: options.security,
      logger: server.logger,
      onConnection: (connection) => server.accept(connection),
    });
    server.inprocListener = await listen(`inproc://${server.id}`, {
      credential,
      logger: server.logger,
      onConnection: (connection) => server.accept(connection),
    });
    try {
      server.preloadTeardowns = await runSchedulerPreloads(options.preload ?? [], server.pluginContext());
    } catch (error) {
      await server.close();
      throw error;
    }
    if (options.schedulerFile) await server.writeFile();
    server.tickTimer = setInterval(() => server.dispatch({ type: "tick", now: unixSeconds() }), options.tickIntervalMs ?? 250);
    server.tickTimer.unref();
    server.logger.info(`scheduler at ${server.address}`);
    return server;
  }

  get address(): string {
    return this.listener.address;
  }

  /** The in-process address (usable only from this process). */
  get inprocAddress(): string {
    return this.inprocListener.address;
  }

  get host(): string {
    return hostname();
  }

  get heartbeatInterval(): number {
    return heartbeatInterval(this.state.workers.size);
  }

  addPlugin(plugin: SchedulerPlugin): void {
    this.observers.push(plugin);
  }

  async writeFile(): Promise<void> {
    if (!this.schedulerFile || this.closing) return;
    await this.schedulerFile.write({
      type: "Scheduler", id: this.id, address: this.address, services: this.services, started: this.started,
      n_workers: this.state.workers.size, total_threads: this.state.totalThreads,
      total_memory: [...this.state.workers.values()].reduce((sum, w) => sum + w.identity.memoryLimit, 0),
      workers: {}, credential: this.credential,
    });
  }

  /** Applies one event and carries out the commands. */
  dispatch(event: SchedulerEvent): void {
    this.apply(event);
  }

  /** dispatch(), returning the error when the state machine failed on the event (it is logged too). */
  private apply(event: SchedulerEvent): Error | undefined {
    let commands: SchedulerCommand[];
    try {
      commands = handleSchedulerEvent(this.state, event);
    } catch (error) {
      this.logger.error(`scheduler state failed on ${event.type}`, error);
      return error instanceof Error ? error : new Error(String(error));
    }
    for (const command of commands) this.execute(command);
    if (this.plugins.hasSchedulerPlugins && this.state.transitions.total > this.transitionsSeen) {
      this.plugins.transitions(this.state.transitions.since(this.transitionsSeen));
    }
    this.transitionsSeen = this.state.transitions.total;
    this.extensions.afterEvent(event);
    return undefined;
  }

  /** What scheduler plugins and preload modules see of this scheduler. */
  pluginContext(): SchedulerPluginContext {
    return {
      id: this.id,
      address: this.address,
      workers: () => this.view.workers(),
      addPlugin: async (plugin, name) => {
        const record = plugin as Record<string, unknown>;
        await this.plugins.addSchedulerPlugin(name ?? (typeof record.name === "string" ? record.name : `plugin-${uuid()}`), record, this.pluginContext());
      },
      log: (message) => this.logger.info(message),
      logEvent: (topic, msg) => this.events.add(topic, msg, unixSeconds()),
    };
  }

  restartCluster(timeoutSeconds: number): Promise<void> {
    return restartWorkers(this, timeoutSeconds);
  }

  private execute(command: SchedulerCommand): void {
    switch (command.type) {
      case "to-worker":
        if (command.message.op === "free-keys") this.workerOutbox.freeKeys(command.address, command.message.keys);
        else this.workerOutbox.send(command.address, command.message, command.frames, command.soon ? COMPUTE_SOON_DELAY_MS : undefined);
        return;
      case "to-client": {
        const connection = this.clientConnections.get(command.clientId);
        if (connection) connection.send(command.message);
        else this.extensions.deliverToHolder(command.clientId, command.message);
        return;
      }
      case "to-all-clients":
        for (const connection of this.clientConnections.values()) connection.send(command.message);
        return;
      case "close-worker":
        this.workerOutbox.send(command.address, { op: "close-worker", reason: command.reason, graceful: command.graceful });
        this.workerConnections.get(command.address)?.flush();
        return;
      case "retirement-done":
        for (const address of command.addresses) this.retirementEnded(address);
        return;
      case "idle-timeout":
        this.logger.warn(`no work for ${Math.round(command.idleSeconds)} s (idle timeout): closing the scheduler`);
        void this.close();
        return;
      case "observe":
        this.observe(command.record);
        return;
    }
  }

  /** Records what happened and tells the plugins (dashboard, reports). */
  observe(record: ObservedRecord): void {
    this.taskStream.add(record);
    for (const plugin of this.observers) {
      try {
        plugin.onRecord?.(record);
      } catch (error) {
        this.logger.error("scheduler plugin failed", error);
      }
    }
  }

  private accept(connection: Connection): void {
    connection.start((message, frames, conn) => this.receive(message, frames, conn));
    connection.onClose(() => this.disconnected(connection));
  }

  private receive(message: Message, frames: Uint8Array[], connection: Connection): void {
    const role = connection.peerInfo.role as "worker" | "client" | undefined;
    if (message.op === "register-worker") {
      if (role) throw new Error("a connection registers once");
      const duplicate = [...this.state.workers.values()].find((w) => w.identity.name === message.name);
      if (duplicate) {
        connection.replyError(message.reqId, new Error(`a worker named "${message.name}" is already registered (${duplicate.address}); names must be unique`));
        return;
      }
      connection.peerInfo = { role: "worker", address: message.address };
      this.workerConnections.set(message.address, connection);
      const now = unixSeconds();
      this.dispatch({
        type: "worker-added", now,
        identity: {
          address: message.address, name: message.name, nthreads: message.nthreads, memoryLimit: message.memoryLimit,
          localDirectory: message.localDirectory, pid: message.pid, host: message.host,
          ...(message.jobId ? { jobId: message.jobId } : {}), ...(message.lifetimeEnd ? { lifetimeEnd: message.lifetimeEnd } : {}),
          ...(message.resources ? { resources: message.resources } : {}), ...(message.nanny ? { nanny: message.nanny } : {}),
        },
      });
      const { extras, frames: extraFrames } = this.plugins.joinExtras();
      connection.reply(message.reqId, { schedulerId: this.id, heartbeatInterval: this.heartbeatInterval, time: now, ...extras }, extraFrames);
      return;
    }
    if (message.op === "register-client") {
      if (role) throw new Error("a connection registers once");
      const clientId = `Client-${uuid()}`;
      connection.peerInfo = { role: "client", clientId };
      this.clientConnections.set(clientId, connection);
      this.dispatch({ type: "client-added", clientId, now: unixSeconds() });
      connection.reply(message.reqId, { clientId, schedulerId: this.id, address: this.address, nWorkers: this.state.workers.size, totalThreads: this.state.totalThreads });
      return;
    }
    if (!role) throw new Error(`"${message.op}" before registering as a worker or client`);
    if (extensionOps[role].has(message.op)) {
      handleExtensionMessage(message, frames, { server: this, connection, role, peer: (role === "worker" ? connection.peerInfo.address : connection.peerInfo.clientId) as string });
      return;
    }
    const context: RequestContext = { server: this, connection, role, peer: (role === "worker" ? connection.peerInfo.address : connection.peerInfo.clientId) as string };
    if (this.extensions.handles(message.op)) {
      this.extensions.handle(message, frames, context);
      return;
    }
    if (role === "client" && (message.op === "update-graph" || message.op === "abandon-graph")) {
      this.graphs.receive(message, frames, context.peer, connection, unixSeconds());
      return;
    }
    const event = messageToEvent(message, frames, context, unixSeconds());
    if (event?.type === "keys-released" || event?.type === "keys-cancelled") this.graphs.unwant(event.clientId, event.keys);
    if (event) this.apply(event);
    else handleSchedulerRequest(message, frames, context);
  }

  private disconnected(connection: Connection): void {
    const { role } = connection.peerInfo;
    const now = unixSeconds();
    if (role === "worker") {
      const address = connection.peerInfo.address as string;
      if (this.workerConnections.get(address) !== connection) return;
      this.workerConnections.delete(address);
      this.workerOutbox.drop(address);
      const worker = this.state.workers.get(address);
      const graceful = worker?.status === "closing-gracefully";
      const lastWords = connection.peerInfo.lastWords as string | undefined;
      this.dispatch({ type: "worker-removed", address, reason: graceful ? "retired" : lastWords ?? "connection lost", graceful, now });
      this.retirementEnded(address);
      this.extensions.peerGone(address);
    } else if (role === "client") {
      const clientId = connection.peerInfo.clientId as string;
      this.clientConnections.delete(clientId);
      this.events.dropClient(clientId);
      this.graphs.dropClient(clientId);
      this.dispatch({ type: "client-removed", clientId, now });
      this.extensions.peerGone(clientId);
    }
  }

  /** Answers the retire-workers requests waiting for this worker (retired, or gone anyway). */
  private retirementEnded(address: string): void {
    for (const resolve of this.retirementWaiters.get(address) ?? []) resolve();
    this.retirementWaiters.delete(address);
  }

  /**
   * Retires workers gracefully (their unique results move to the others first); resolves
   * when every one of them has closed (or left).
   */
  retireWorkers(addresses: readonly string[]): Promise<void> {
    const retired = addresses.map((address) => new Promise<void>((resolve) => {
      const waiters = this.retirementWaiters.get(address) ?? [];
      waiters.push(resolve);
      this.retirementWaiters.set(address, waiters);
    }));
    if (addresses.length > 0) this.dispatch({ type: "retire-workers", addresses: [...addresses], now: unixSeconds() });
    return Promise.all(retired).then(() => {});
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    if (this.tickTimer) clearInterval(this.tickTimer);
    this.extensions.close();
    this.workerOutbox.close();
    for (const connection of this.workerConnections.values()) {
      connection.send({ op: "close-worker", reason: "scheduler closing", graceful: false });
      connection.close();
    }
    for (const connection of this.clientConnections.values()) connection.close();
    await this.listener.close();
    await this.inprocListener.close();
    for (const plugin of this.observers) {
      try {
        await plugin.close?.();
      } catch (error) {
        this.logger.error("scheduler plugin failed to close", error);
      }
    }
    for (const teardown of this.preloadTeardowns.reverse()) await teardown();
    await this.schedulerFile?.remove();
    this.resolveClosed();
  }
}
