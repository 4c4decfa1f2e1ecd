/**
 * Where a KubeCluster's scheduler runs, behind one interface, as Dask's classic KubeCluster
 * offers it (`deployMode`):
 *  - "local": in this process (LocalScheduler, here). Worker pods connect to this host's
 *    address, so this process must be reachable from the pods (it runs in the cluster, e.g.
 *    in a notebook pod, or the cluster's network reaches it);
 *  - "remote": in a pod of its own behind a Service (remote-scheduler.ts). This process
 *    reaches it through the Service, as workers do.
 * The cluster only needs to know which workers connected, ask for the adaptive target and
 * retire workers, wherever the scheduler is.
 */
import type { Security } from "../comm/security.js";
import type { SchedulerServer } from "../scheduler/server/scheduler-server.js";
import { adaptiveTarget } from "../scheduler/policy/adaptive-target.js";

export interface ConnectedWorker {
  name: string;
  address: string;
  storedBytes: number;
}

export interface SchedulerSide {
  /** The address worker pods connect to. */
  readonly workerAddress: string;
  /** The address clients in this process connect to. */
  readonly clientAddress: string;
  /** An in-process address of the same scheduler (local mode only). */
  readonly inprocAddress?: string;
  readonly credential: string;
  readonly security?: Security;
  /** The scheduler in this process (local mode), for adaptive scaling and the dashboard. */
  readonly server?: SchedulerServer;
  /** Workers connected now. */
  workers(): ConnectedWorker[];
  /** Called with a worker's name when it registers. */
  onWorkerAdded(listener: (name: string) => void): () => void;
  /** Workers the scheduler's load needs (Dask's adaptive target). */
  adaptiveTarget(targetDurationSeconds: number): Promise<number>;
  /** Graceful retirement: the workers hand their results to others, then close. */
  retireWorkers(names: readonly string[]): Promise<void>;
  /** Resolves when the scheduler stopped on its own (idle timeout, lost). */
  readonly finished: Promise<void>;
  close(): Promise<void>;
}

export class LocalScheduler implements SchedulerSide {
  constructor(readonly server: SchedulerServer) {}

  get workerAddress(): string {
    return this.server.address;
  }

  get clientAddress(): string {
    return this.server.address;
  }

  get inprocAddress(): string {
    return this.server.inprocAddress;
  }

  get credential(): string {
    return this.server.credential;
  }

  get security(): Security | undefined {
    return this.server.security;
  }

  get finished(): Promise<void> {
    return this.server.finished;
  }

  workers(): ConnectedWorker[] {
    return this.server.view.workers().map((worker) => ({ name: worker.name, address: worker.address, storedBytes: worker.storedBytes }));
  }

  onWorkerAdded(listener: (name: string) => void): () => void {
    return this.server.view.subscribe((record) => {
      if (record.kind === "worker-added") listener(record.name);
    });
  }

  adaptiveTarget(targetDurationSeconds: number): Promise<number> {
    const state = this.server.state;
    return Promise.resolve(adaptiveTarget(state.runningWorkers(), [...state.queued.values()], state.noWorker.size, state.settings, targetDurationSeconds));
  }

  retireWorkers(names: readonly string[]): Promise<void> {
    const wanted = new Set(names);
    return this.server.retireWorkers(this.workers().filter((worker) => wanted.has(worker.name)).map((worker) => worker.address));
  }

  close(): Promise<void> {
    return this.server.close();
  }
}

/** Retires the workers, waiting at most `seconds` for them to hand over their results. */
export async function retireWithin(side: SchedulerSide, names: readonly string[], seconds: number): Promise<void> {
  if (names.length === 0) return;
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<void>((resolve) => (timer = setTimeout(resolve, seconds * 1000)));
  try {
    await Promise.race([side.retireWorkers(names), bound]);
  } finally {
    clearTimeout(timer);
  }
}
