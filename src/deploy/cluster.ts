/**
 * The Cluster base shared by LocalCluster and the job-queue clusters: it runs the scheduler
 * in this process, knows how to reach it (address, credential, security, dashboard), and
 * offers scale/adapt/close. Subclasses decide how workers come and go.
 */
import type { ClusterLike } from "../client/client.js";
import type { Security } from "../comm/security.js";
import type { SchedulerServer } from "../scheduler/server/scheduler-server.js";
import { checkMethodArguments } from "../core/argument-count.js";
import { Adaptive, type AdaptOptions } from "./adaptive.js";

/**
 * The parameters of the clusters' methods: each refuses arguments beyond these. Dask's
 * keywords written as an options object ran with the defaults: `cluster.scale(4, { memory:
 * "8GB" })`, `cluster.close({ timeout: 10 })`. Checked on each subclass's own prototype, once.
 */
const clusterMethodParameters: Readonly<Record<string, readonly string[]>> = {
  scale: ["n"], adapt: ["options"], close: [], waitForWorkers: ["n", "options"], jobScript: [], refreshJobs: [], refreshTasks: [],
};
const checkedPrototypes = new WeakSet<object>();

/** Checks `prototype`'s own cluster methods and its parents' (KubeCluster, which has no Cluster base, calls it itself). */
export function checkClusterMethods(prototype: object): void {
  if (checkedPrototypes.has(prototype) || prototype === Object.prototype) return;
  checkedPrototypes.add(prototype);
  const own = Object.fromEntries(Object.entries(clusterMethodParameters).filter(([name]) => typeof Object.getOwnPropertyDescriptor(prototype, name)?.value === "function"));
  checkMethodArguments(prototype, "cluster", own, { keywordsOf: "Dask's and dask-jobqueue's" });
  const parent = Object.getPrototypeOf(prototype) as object | null;
  if (parent) checkClusterMethods(parent);
}

export abstract class Cluster implements ClusterLike {
  protected adaptive: Adaptive | null = null;
  protected closing: Promise<void> | null = null;
  dashboardUrl: string | undefined;

  protected constructor(readonly scheduler: SchedulerServer) {
    checkClusterMethods(Object.getPrototypeOf(this) as object);
  }

  get schedulerAddress(): string {
    return this.scheduler.address;
  }

  /** The scheduler's in-process address: clients in this process use it (no serialisation). */
  get inprocAddress(): string {
    return this.scheduler.inprocAddress;
  }

  get credential(): string {
    return this.scheduler.credential;
  }

  get security(): Security | undefined {
    return this.scheduler.security;
  }

  get dashboardLink(): string | undefined {
    return this.dashboardUrl;
  }

  /** Target number of workers. */
  abstract scale(n: number): Promise<void>;

  /** Number of workers requested (started or starting). */
  abstract get requestedWorkers(): number;

  /** Scales between `minimum` and `maximum` workers following the scheduler's load. */
  adapt(options: AdaptOptions = {}): Adaptive {
    this.adaptive?.stop();
    this.adaptive = new Adaptive(this, options);
    return this.adaptive;
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.adaptive?.stop();
      await this.shutdown();
    })();
    return this.closing;
  }

  protected abstract shutdown(): Promise<void>;

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
