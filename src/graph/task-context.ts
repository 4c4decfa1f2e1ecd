/**
 * What a running task can know about where it runs: its key, how to secede from and rejoin
 * its worker's thread pool (Dask's secede/rejoin), and how to reach the scheduler as its
 * worker does (for getClient() inside a task). The worker's compute thread sets these; the
 * client layer reads them. Per task through AsyncLocalStorage, because several tasks may be
 * under way on one thread once some have seceded.
 */
import { AsyncLocalStorage } from "node:async_hooks";

export interface RunningTask {
  readonly key: string;
  /** Gives the task's thread slot back: it waits on other tasks. */
  secede(): void;
  /** Waits for a free thread slot and takes it again. */
  rejoin(): Promise<void>;
  /** Whether it has seceded (and not rejoined). */
  readonly seceded: boolean;
}

/** How a task reaches the scheduler: its worker's address and credential (and TLS, as PEM text). */
export interface WorkerConnectionInfo {
  address: string;
  name: string;
  schedulerAddress: string;
  credential: string;
  security?: { ca?: string; cert?: string; key?: string; requireEncryption: boolean };
}

const running = new AsyncLocalStorage<RunningTask>();
let connection: WorkerConnectionInfo | null = null;

/** Set once by the compute thread when it starts. */
export function setWorkerConnectionInfo(info: WorkerConnectionInfo | null): void {
  connection = info;
}

export function workerConnectionInfo(): WorkerConnectionInfo | null {
  return connection;
}

/** The task this code runs for, when it runs inside one on a worker. */
export function currentTask(): RunningTask | undefined {
  return running.getStore();
}

export function runAsTask<T>(task: RunningTask, fn: () => T): T {
  return running.run(task, fn);
}
