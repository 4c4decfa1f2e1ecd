/**
 * A client's link to the scheduler: the connection (a new one after each reconnection), the
 * id and credential it registered with, the pool of connections to workers, the heartbeat,
 * the messages the scheduler pushes (applied to the client's futures here; the rest go to
 * listeners such as pub/sub), and what the scheduler last told of itself and its workers.
 *
 * Nothing waits for ever on a lost scheduler: once the connection is closed (liveness gives
 * up on a stopped or hung scheduler), the session tries to reconnect for `reconnectSeconds`
 * (reconnect.ts): futures of keys the scheduler still knows carry on, the others fail naming
 * the loss. If it does not come back, every pending future fails with an error naming the
 * scheduler, and every later call raises it (assertOpen).
 */
import { hostOf } from "../comm/address.js";
import { dashboardToken } from "../comm/dashboard-token.js";
import { ConnectionPool } from "../comm/connection-pool.js";
import type { Connection } from "../comm/connection.js";
import type { Security } from "../comm/security.js";
import { ClosedError } from "../core/errors.js";
import type { Logger } from "../core/log.js";
import type { Message } from "../protocol/messages.js";
import type { SchedulerInfo } from "./client-types.js";
import type { TopicSubscriptions } from "./client-logs.js";
import type { OpenedScheduler } from "./client-connect.js";
import type { FutureState } from "./future.js";
import { FuturesLostError, reclaimKeys, reconnectScheduler, type ReconnectTarget } from "./reconnect.js";
import { WorkerCount } from "./worker-count.js";

/** What the session updates of its client. */
export interface SessionOwner {
  readonly futures: Map<string, FutureState>;
  readonly topics: TopicSubscriptions;
}

export type SchedulerMessageListener = (message: Message, frames: Uint8Array[]) => void;

export class SchedulerSession {
  private connection: Connection;
  private clientId: string;
  private credential: string;
  /** Connections to workers (a new pool after a reconnection to a scheduler with a new credential). */
  private workerPool: ConnectionPool;
  private readonly heartbeat: NodeJS.Timeout;
  private isShut = false;
  /** Why the scheduler connection ended, once it has (every later call raises it). */
  private lost: ClosedError | null = null;
  /** While reconnecting: why the connection dropped. */
  private reconnecting: Error | null = null;
  private readonly reconnectTarget: ReconnectTarget;
  private readonly reconnectSeconds: number;
  private readonly address: string;
  private readonly security: Security | undefined;
  private readonly logger: Logger;
  /** Listeners for scheduler messages the client does not handle itself (pub/sub). */
  private readonly listeners = new Set<SchedulerMessageListener>();
  /** The scheduler's identity and workers, as last refreshed. */
  private schedulerInfo: SchedulerInfo;
  /**
   * Worker joins and leaves announced so far ("workers-changed"), and how many had been when
   * the info was last asked for: while they are equal, the workers the info lists are still the
   * workers there are (their threads and memory limits never change while connected).
   */
  private workerChanges = 0;
  private infoAsOfChanges = -1;
  private readonly workerCount: WorkerCount;

  constructor(opened: OpenedScheduler, private readonly owner: SessionOwner) {
    this.connection = opened.connection;
    this.clientId = opened.registration.clientId;
    this.credential = opened.credential;
    this.address = opened.address;
    this.security = opened.security;
    this.logger = opened.logger;
    this.reconnectTarget = opened.reconnectTarget;
    this.reconnectSeconds = opened.reconnectSeconds;
    this.workerCount = new WorkerCount(opened.registration.nWorkers);
    this.schedulerInfo = { type: "Scheduler", id: opened.registration.schedulerId, address: opened.address, services: {}, started: 0, workers: {} };
    this.workerPool = new ConnectionPool({ credential: opened.credential, security: opened.security, logger: opened.logger });
    this.heartbeat = setInterval(() => {
      if (!this.connection.isClosed) this.connection.send({ op: "heartbeat-client" });
    }, 5000);
    this.heartbeat.unref();
    this.attach(opened.connection);
  }

  get scheduler(): Connection {
    return this.connection;
  }

  get id(): string {
    return this.clientId;
  }

  get pool(): ConnectionPool {
    return this.workerPool;
  }

  /** Whether close() was called (a lost scheduler does not count). */
  get closed(): boolean {
    return this.isShut;
  }

  get isClosed(): boolean {
    return this.isShut || this.lost !== null;
  }

  get info(): SchedulerInfo {
    return this.schedulerInfo;
  }

  /** The scheduler's dashboard, when it serves one (its token made from the credential). */
  get dashboardLink(): string | undefined {
    const port = this.schedulerInfo.services.dashboard;
    return port ? `http://${hostOf(this.address)}:${port}/status?token=${dashboardToken(this.credential)}` : undefined;
  }

  async refreshInfo(): Promise<SchedulerInfo> {
    const changes = this.workerChanges;
    const connection = this.connection;
    const reply = await connection.request({ op: "scheduler-info" }, [], { timeoutMs: 30_000 });
    this.schedulerInfo = reply.result as SchedulerInfo;
    // Current only if no worker came or went while it was asked, on the same connection.
    this.infoAsOfChanges = connection === this.connection ? changes : -1;
    this.workerCount.value = Object.keys(this.schedulerInfo.workers).length;
    return this.schedulerInfo;
  }

  /**
   * The info, asked for again only if workers joined or left since it was last asked (plans
   * are checked against the workers' memory limits before every compute: one round trip to
   * the scheduler fewer each time).
   */
  async currentInfo(): Promise<SchedulerInfo> {
    return this.infoAsOfChanges === this.workerChanges ? this.schedulerInfo : this.refreshInfo();
  }

  /** Waits until at least `n` workers are connected (raising once the client is closed or lost). */
  async waitForWorkers(n: number, options: { timeout?: number | string }): Promise<void> {
    await this.workerCount.waitFor(n, options, () => this.assertOpen());
    await this.refreshInfo();
  }

  /** Raises why no call can go to the scheduler now: closed, lost, or reconnecting. */
  assertOpen(): void {
    if (this.isShut) throw new ClosedError("this client is closed");
    if (this.lost) throw this.lost;
    if (this.reconnecting) {
      throw new ClosedError(`the connection to the scheduler at ${this.address} was lost (${this.reconnecting.message}); the client is reconnecting (for up to ${this.reconnectSeconds} s): try again then`);
    }
  }

  onMessage(listener: SchedulerMessageListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.isShut = true;
    clearInterval(this.heartbeat);
    if (!this.connection.isClosed) {
      this.connection.send({ op: "close-client" });
      this.connection.close();
    }
    await this.workerPool.close();
  }

  private receive(message: Message, frames: Uint8Array[]): void {
    const { futures, topics } = this.owner;
    switch (message.op) {
      case "key-in-memory":
        futures.get(message.key)?.finish(message.whoHas, message.nbytes, message.type);
        return;
      case "key-erred":
        futures.get(message.key)?.fail(message.error);
        return;
      case "key-cancelled":
        futures.get(message.key)?.cancel(message.reason);
        return;
      case "workers-changed":
        this.workerChanges++;
        this.workerCount.value = message.nWorkers;
        this.workerCount.wake();
        void this.refreshInfo().catch(() => {});
        return;
      case "topic-event":
        topics.deliver(message.topic, { time: message.time, msg: message.msg });
        return;
      case "cluster-restarted":
        // As in Dask: every future of this client ends, cancelled, whatever it was, and the
        // client forgets them (the scheduler did): handles kept from before stay cancelled,
        // and a key submitted again gets a new state (future-registry.ts).
        for (const state of futures.values()) state.cancelledBy(message.reason);
        futures.clear();
        return;
      default:
        for (const listener of this.listeners) listener(message, frames);
        return;
    }
  }

  /** Takes `connection` as the scheduler connection (at connect and after a reconnection). */
  private attach(connection: Connection): void {
    this.connection = connection;
    this.infoAsOfChanges = -1; // another scheduler, perhaps: ask again
    connection.start((message, frames) => this.receive(message, frames));
    connection.onClose((reason) => {
      if (this.connection === connection) this.schedulerLost(reason);
    });
  }

  private schedulerLost(reason?: Error): void {
    if (this.isShut) {
      clearInterval(this.heartbeat);
      return;
    }
    if (this.reconnectSeconds > 0 && !this.reconnecting) {
      void this.reconnect(reason);
      return;
    }
    this.giveUp(reason);
  }

  /** Tries the scheduler again for reconnectSeconds (reconnect.ts); gives up when it does not come back. */
  private async reconnect(reason?: Error): Promise<void> {
    this.reconnecting = reason ?? new Error("the connection closed");
    const target = this.reconnectTarget;
    this.logger.warn(`the connection to the scheduler at ${this.address} was lost${reason ? ` (${reason.message})` : ""}; reconnecting for up to ${this.reconnectSeconds} s`);
    const reconnected = await reconnectScheduler(target, this.reconnectSeconds, this.logger, () => this.isShut).catch(() => null);
    if (!reconnected || this.isShut) {
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
    this.workerCount.value = reconnected.nWorkers;
    this.attach(reconnected.connection);
    let lost: string[];
    try {
      for (const topic of this.owner.topics.topics) reconnected.connection.send({ op: "subscribe-topic", topic });
      lost = await reclaimKeys(reconnected.connection, [...this.owner.futures.keys()]);
    } catch (error) {
      // The new connection dropped at once: its own close starts the next attempt.
      this.reconnecting = null;
      this.logger.warn(`reconnected to ${this.address}, but the connection dropped again: ${(error as Error).message}`);
      return;
    }
    this.reconnecting = null;
    this.reportLostKeys(lost, reason);
    this.workerCount.wake();
    void this.refreshInfo().catch(() => {});
  }

  /** Fails the futures of the keys the reconnected scheduler does not know, and tells the log and the "client-reconnected" topic. */
  private reportLostKeys(lost: string[], reason: Error | undefined): void {
    for (const key of lost) {
      this.owner.futures.get(key)?.failWith(new FuturesLostError(
        `${key} was lost: the connection to the scheduler at ${this.address} dropped (${reason?.message ?? "closed"}) and the ` +
          "scheduler the client reconnected to does not know this key (it restarted, or forgot it while this client was away); submit it again",
      ));
    }
    if (lost.length > 0) this.logger.warn(`reconnected to the scheduler at ${this.address}; ${lost.length} futures were lost: ${lost.slice(0, 20).join(", ")}${lost.length > 20 ? ", …" : ""}`);
    else this.logger.info(`reconnected to the scheduler at ${this.address}; no future was lost`);
    this.owner.topics.deliver("client-reconnected", { time: Date.now() / 1000, msg: { scheduler: this.address, lostKeys: lost } });
  }

  private giveUp(reason?: Error, detail = ""): void {
    clearInterval(this.heartbeat);
    this.lost = new ClosedError(
      `the connection to the scheduler at ${this.address} was lost${reason ? ` (${reason.message})` : ""}${detail}; ` +
        "this client cannot reach the cluster any more: connect a new one once the scheduler runs again",
      { cause: reason },
    );
    for (const state of this.owner.futures.values()) {
      if (!state.done) state.lose(this.lost);
    }
  }
}
