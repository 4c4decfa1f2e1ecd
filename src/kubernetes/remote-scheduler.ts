/**
 * Dask's "remote" deploy mode: the scheduler runs in a pod of its own (`tessera scheduler`,
 * listening on its pod IP, the credential file mounted from the cluster's Secret) behind a
 * Service `<cluster>-scheduler` (ports 8786 and 8787).
 *
 * Start: create the pod and the Service, wait — on the watched pod events, not by polling —
 * until the pod is Ready (its readiness probe connects to port 8786), or fail at once with
 * the pod's reason when it will not start (image, crash, config); then take the Service's
 * address: its ClusterIP (reachable from pods, and from this process when it runs in the
 * cluster) or, for type LoadBalancer, the ingress address once the cloud assigned one.
 * Workers connect to tcp://<ClusterIP>:8786; this process connects through the Service too.
 * Dask parsed the address out of the scheduler's log and used the Service's DNS name; the
 * ClusterIP works without cluster DNS and is fixed for the Service's life.
 */
import type { V1Pod } from "@kubernetes/client-node";
import { formatAddress } from "../comm/address.js";
import { dashboardToken } from "../comm/dashboard-token.js";
import type { Security } from "../comm/security.js";
import { sleep } from "../core/clock.js";
import { TimeoutError, TesseraError } from "../core/errors.js";
import type { Logger } from "../core/log.js";
import { schedulerPod, schedulerService, type ClusterIdentity, type SchedulerPodOptions, type SchedulerServiceType } from "./cluster-objects.js";
import type { KubeApi } from "./kube-api.js";
import { dashboardPort, schedulerContainerName, schedulerPodName, schedulerPort, schedulerServiceName } from "./pod-conventions.js";
import { podState, type PodState } from "./pod-state.js";
import type { PodTemplate } from "./pod-template.js";
import { SchedulerLink } from "./scheduler-link.js";
import type { ConnectedWorker, SchedulerSide } from "./scheduler-side.js";

export interface RemoteSchedulerInit {
  api: KubeApi;
  identity: ClusterIdentity;
  template: PodTemplate;
  podOptions: SchedulerPodOptions;
  serviceType: SchedulerServiceType;
  /** Seconds to wait for the pod to be ready and the Service to have its address. */
  waitSeconds: number;
  credential: string;
  security: Security | undefined;
  logger: Logger;
}

/** The scheduler pod will not start, or did not in time. */
export class SchedulerPodError extends TesseraError {
  override name = "SchedulerPodError";
}

export class RemoteScheduler implements SchedulerSide {
  private link: SchedulerLink | null = null;
  private address = "";
  private externalHost = "";
  private state: PodState | null = null;
  private gone = false;
  private readonly waiters = new Set<() => void>();
  private resolveFinished: () => void = () => {};
  readonly finished = new Promise<void>((resolve) => (this.resolveFinished = resolve));
  readonly podName: string;
  readonly serviceName: string;

  constructor(private readonly init: RemoteSchedulerInit) {
    this.podName = schedulerPodName(init.identity.name);
    this.serviceName = schedulerServiceName(init.identity.name);
  }

  get workerAddress(): string {
    return this.address;
  }

  get clientAddress(): string {
    return formatAddress({ scheme: this.init.security?.hasTls ? "tls" : "tcp", host: this.externalHost, port: schedulerPort });
  }

  get credential(): string {
    return this.init.credential;
  }

  get security(): Security | undefined {
    return this.init.security;
  }

  get dashboardLink(): string {
    return `http://${this.externalHost}:${dashboardPort}/status?token=${dashboardToken(this.init.credential)}`;
  }

  /** The scheduler pod's state, as last watched. */
  get podState(): PodState | null {
    return this.state;
  }

  /** Pod events of the scheduler pod, from the cluster's watch. */
  observe(kind: "add" | "update" | "delete", pod: V1Pod): void {
    if (kind === "delete") this.gone = true;
    else this.state = podState(pod, schedulerContainerName);
    if (this.gone || this.state?.state === "finished" || this.state?.state === "failed") this.resolveFinished();
    for (const wake of [...this.waiters]) wake();
  }

  async start(): Promise<void> {
    const { api, identity, template, podOptions, serviceType } = this.init;
    await api.createPod(schedulerPod(template, identity, podOptions));
    await api.createService(schedulerService(identity, serviceType));
    const deadline = Date.now() + this.init.waitSeconds * 1000;
    await this.waitForReadyPod(deadline);
    const service = await api.readService(this.serviceName);
    const clusterIp = service.spec?.clusterIP;
    if (!clusterIp || clusterIp === "None") throw new SchedulerPodError(`Service ${this.serviceName} has no ClusterIP; the scheduler needs one`);
    const scheme = this.init.security?.hasTls ? "tls" : "tcp";
    this.address = formatAddress({ scheme, host: clusterIp, port: schedulerPort });
    this.externalHost = serviceType === "LoadBalancer" ? await this.loadBalancerHost(deadline) : clusterIp;
    const left = Math.max(5, (deadline - Date.now()) / 1000);
    this.link = await SchedulerLink.open(this.clientAddress, this.init.credential, this.init.security, left, this.init.logger);
    void this.link.closed.then(() => this.resolveFinished());
  }

  private async waitForReadyPod(deadline: number): Promise<void> {
    while (!this.state?.ready) {
      const state = this.state;
      if (this.gone) throw new SchedulerPodError(`the scheduler pod ${this.podName} was deleted while starting`);
      if (state && (state.startFailure || state.state === "failed" || state.state === "finished")) {
        const idle = this.init.podOptions.idleTimeoutSeconds;
        const hint = state.state === "finished" && idle !== null ? `; it stopped by itself: its idleTimeout (${idle} s) passed before the cluster was ready` : "";
        throw new SchedulerPodError(`the scheduler pod ${this.podName} will not start: ${state.reason ?? state.rawState}${hint}`);
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new TimeoutError(`the scheduler pod ${this.podName} was not ready within ${this.init.waitSeconds} s: ` +
          `${state ? `${state.rawState}${state.reason ? ` (${state.reason})` : ""}` : "never reported by the API server"} (option schedulerServiceWaitTimeout)`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, left);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.waiters.add(done);
      }).finally(() => this.waiters.clear());
    }
  }

  /** A LoadBalancer's address appears in its status once the cloud made it (Dask polls it too). */
  private async loadBalancerHost(deadline: number): Promise<string> {
    while (true) {
      const ingress = (await this.init.api.readService(this.serviceName)).status?.loadBalancer?.ingress?.[0];
      const host = ingress?.ip ?? ingress?.hostname;
      if (host) return host;
      if (Date.now() > deadline) throw new TimeoutError(`Service ${this.serviceName} (LoadBalancer) got no external address within ${this.init.waitSeconds} s`);
      await sleep(500);
    }
  }

  workers(): ConnectedWorker[] {
    return this.link?.workers() ?? [];
  }

  onWorkerAdded(listener: (name: string) => void): () => void {
    if (!this.link) throw new Error("the scheduler link is not open yet");
    return this.link.onWorkerAdded(listener);
  }

  adaptiveTarget(targetDurationSeconds: number): Promise<number> {
    if (!this.link) return Promise.resolve(0);
    return this.link.adaptiveTarget(targetDurationSeconds);
  }

  async retireWorkers(names: readonly string[]): Promise<void> {
    await this.link?.retireWorkers(names);
  }

  /** Closes the link, deletes the Service and the scheduler pod (whose scheduler gets SIGTERM and stops). */
  async close(): Promise<void> {
    this.link?.close();
    await this.init.api.deleteService(this.serviceName);
    await this.init.api.deletePod(this.podName);
  }

  /** Whether the scheduler pod is gone (for close's check that nothing is left). */
  get podGone(): boolean {
    return this.gone;
  }
}
