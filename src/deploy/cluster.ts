/**
 * The Cluster base shared by LocalCluster and the job-queue clusters: it runs the scheduler
 * in this process, knows how to reach it (address, credential, security, dashboard), and
 * offers scale/adapt/close. Subclasses decide how workers come and go.
 */
import type { ClusterLike } from "../client/client.js";
import type { Security } from "../comm/security.js";
import type { SchedulerServer } from "../scheduler/server/scheduler-server.js";
import { Adaptive, type AdaptOptions } from "./adaptive.js";

export abstract class Cluster implements ClusterLike {
  protected adaptive: Adaptive | null = null;
  protected closing: Promise<void> | null = null;
  dashboardUrl: string | undefined;

  protected constructor(readonly scheduler: SchedulerServer) {}

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
