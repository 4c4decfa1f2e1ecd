/**
 * A KubeCluster's line to a scheduler running in a pod ("remote" mode): an authenticated
 * client connection over which it learns which workers connected (the scheduler announces
 * every change with "workers-changed"; the list itself comes from "scheduler-info"), asks
 * for the adaptive target and retires workers. It is the same protocol a Client speaks, kept
 * to these four requests.
 */
import { connect } from "../comm/connect.js";
import type { Connection } from "../comm/connection.js";
import type { Security } from "../comm/security.js";
import { errorMessage } from "../core/errors.js";
import type { Logger } from "../core/log.js";
import type { ConnectedWorker } from "./scheduler-side.js";

const requestTimeoutMs = 30_000;
const heartbeatMs = 5000;

interface WorkerSummary {
  name: string;
  address: string;
  storedBytes: number;
}

export class SchedulerLink {
  private known: ConnectedWorker[] = [];
  private readonly addedListeners = new Set<(name: string) => void>();
  private readonly heartbeat: NodeJS.Timeout;
  private refreshing: Promise<void> = Promise.resolve();
  readonly closed: Promise<void>;

  private constructor(private readonly connection: Connection, private readonly logger: Logger) {
    this.closed = new Promise((resolve) => connection.onClose(() => resolve()));
    this.heartbeat = setInterval(() => connection.send({ op: "heartbeat-client" }), heartbeatMs);
    this.heartbeat.unref();
  }

  static async open(address: string, credential: string, security: Security | undefined, timeoutSeconds: number, logger: Logger): Promise<SchedulerLink> {
    const connection = await connect(address, { credential, security, logger, timeout: timeoutSeconds });
    connection.start(() => {});
    await connection.request({ op: "register-client", name: "KubeCluster" }, [], { timeoutMs: requestTimeoutMs });
    const link = new SchedulerLink(connection, logger);
    connection.start((message) => {
      if (message.op === "workers-changed") link.refresh();
    });
    link.refresh();
    await link.refreshing;
    return link;
  }

  workers(): ConnectedWorker[] {
    return this.known;
  }

  onWorkerAdded(listener: (name: string) => void): () => void {
    this.addedListeners.add(listener);
    return () => this.addedListeners.delete(listener);
  }

  private refresh(): void {
    this.refreshing = this.refreshing.then(async () => {
      try {
        const reply = await this.connection.request({ op: "scheduler-info" }, [], { timeoutMs: requestTimeoutMs });
        const workers = Object.values((reply.result as { workers: Record<string, WorkerSummary> }).workers);
        const before = new Set(this.known.map((worker) => worker.name));
        this.known = workers.map((worker) => ({ name: worker.name, address: worker.address, storedBytes: worker.storedBytes }));
        for (const worker of this.known) if (!before.has(worker.name)) this.addedListeners.forEach((listener) => listener(worker.name));
      } catch (error) {
        this.logger.debug(`asking the scheduler for its workers failed: ${errorMessage(error)}`);
      }
    });
  }

  async adaptiveTarget(targetDurationSeconds: number): Promise<number> {
    const reply = await this.connection.request({ op: "adaptive-target", targetDuration: targetDurationSeconds }, [], { timeoutMs: requestTimeoutMs });
    return (reply.result as { target: number }).target;
  }

  async retireWorkers(names: readonly string[]): Promise<void> {
    if (names.length === 0) return;
    await this.connection.request({ op: "retire-workers", workers: [...names] }, [], { timeoutMs: requestTimeoutMs });
  }

  close(): void {
    clearInterval(this.heartbeat);
    try {
      this.connection.send({ op: "close-client" });
    } catch {
      // already closed
    }
    this.connection.close();
  }
}
