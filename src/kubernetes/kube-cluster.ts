/**
 * KubeCluster: tessera workers in Kubernetes pods, after Dask's classic KubeCluster
 * (dask_kubernetes/classic): a worker pod template (`fromYaml("worker-spec.yml")`,
 * `fromPodSpec(makePodSpec({ image, … }))`), the scheduler in this process ("local") or in a
 * pod with a Service ("remote", the default), `scale(n)` worker pods, `adapt()`, `close()`.
 * Launching (options, kubeconfig, leftovers, Secret, scheduler) is in kube-cluster-launch.ts.
 *
 * What this class decides:
 *  - `scale(n)` sets the target and reconciles, one reconcile at a time: missing pods are
 *    created; extra ones are stopped cheapest first (not started, then not connected, then
 *    holding the least data): their workers retire (results move to the workers that stay),
 *    then the pods are deleted and the call returns once the API server has them gone.
 *  - Pods are watched (pod-watch.ts), never polled: their phase and reason are in `workers`
 *    and on the dashboard's Jobs page as Kubernetes reports them. A pod that ends while
 *    wanted is replaced. One that ends — or shows a start failure (ImagePullBackOff,
 *    CrashLoopBackOff …) — before its worker connected is a failed start; after
 *    `maxFailedStarts` in a row the cluster stops replacing, says why (the pods' reason), and
 *    waitForWorkers fails at once with that reason instead of hanging. scale() tries again.
 *  - close() retires the workers, deletes the pods, the scheduler pod and Service, then the
 *    Secret that owns them all, and waits until the API server lists nothing of the cluster.
 */
import type { ClusterLike } from "../client/client.js";
import type { Security } from "../comm/security.js";
import { unixSeconds } from "../core/clock.js";
import { ClosedError, InvalidOptionError, TimeoutError, errorMessage } from "../core/errors.js";
import { createLogger } from "../core/log.js";
import { parseDuration } from "../core/units.js";
import { Adaptive, type AdaptOptions } from "../deploy/adaptive.js";
import { chooseJobsToStop } from "../jobqueue/scaling.js";
import type { SchedulerServer } from "../scheduler/server/scheduler-server.js";
import type { V1Pod } from "@kubernetes/client-node";
import type { JobInfo } from "../dashboard/server/jobs.js";
import type { KubeApi } from "./kube-api.js";
import { workerPod, type ClusterIdentity } from "./cluster-objects.js";
import { launchKubeCluster, type KubeClusterParts, type LaunchTarget, type PodTemplateInput } from "./kube-cluster-launch.js";
import type { KubeClusterOptions, ResolvedKubeOptions } from "./kube-cluster-options.js";
import { cleanupOrphanedClusters, listOrphanedClusters, waitUntilNothingLeft, type OrphanSearchOptions, type OrphanedKubeCluster } from "./orphans.js";
import { annotations, secretName, workerPodName } from "./pod-conventions.js";
import type { PodTemplate } from "./pod-template.js";
import type { PodWatch } from "./pod-watch.js";
import { retireWithin, type SchedulerSide } from "./scheduler-side.js";
import { belongsTo, lastLines, replacementStoppedMessage, workerInfo, WorkerStartError, type KubeWorkerInfo } from "./kube-worker-info.js";
import { WorkerPods, type TrackedPod } from "./worker-pods.js";

export class KubeCluster implements ClusterLike, AsyncDisposable, LaunchTarget {
  readonly name: string;
  readonly namespace: string;
  readonly deployMode: "local" | "remote";
  /** The worker pod template, as checked (the cluster adds its labels, env and flags to each pod). */
  readonly template: PodTemplate;
  /** The last error of background work (replacing pods, heartbeat), also logged. */
  lastError: Error | null = null;
  /** Why the cluster stopped replacing worker pods, or null. */
  replacementStopped: string | null = null;
  dashboardUrl: string | undefined;

  /** @internal set while launching */
  side: SchedulerSide | null = null;
  /** @internal set while launching */
  watch: PodWatch | null = null;
  readonly pods: WorkerPods;

  private readonly options: ResolvedKubeOptions;
  private readonly api: KubeApi;
  private readonly identity: ClusterIdentity;
  private readonly logger = createLogger("kubernetes");
  private adaptive: Adaptive | null = null;
  private closing: Promise<void> | null = null;
  private target = 0;
  private failedStarts = 0;
  private reconciling: Promise<void> = Promise.resolve();
  private lastErrorMessage = "";
  private heartbeat: NodeJS.Timeout | null = null;
  private unsubscribeWorkers: () => void = () => {};
  private readonly listeners = new Set<(worker: KubeWorkerInfo) => void>();
  private readonly waiters = new Set<() => void>();

  private constructor(parts: KubeClusterParts) {
    this.options = parts.options;
    this.api = parts.api;
    this.identity = parts.identity;
    this.name = parts.identity.name;
    this.namespace = parts.identity.namespace;
    this.deployMode = parts.options.deployMode;
    this.template = parts.template;
    this.pods = new WorkerPods({
      api: parts.api, containerName: parts.template.pod.spec!.containers[0].name, logger: this.logger,
      buildPod: (name) => workerPod(this.template, this.identity, name, this.schedulerSide.workerAddress, {
        env: this.options.env, matchNodePurpose: this.options.matchNodePurpose, tls: this.options.security?.hasTls === true,
      }),
      onEnded: (pod, failedStart) => this.podEnded(pod, failedStart),
      onChange: (pod) => this.podChanged(pod),
    }, (index) => workerPodName(this.name, index));
  }

  /**
   * Starts a cluster whose workers run `podTemplate`: a YAML file path, or a Pod (or PodSpec)
   * object such as makePodSpec() returns. Nothing is left behind when it fails.
   */
  static start(podTemplate: PodTemplateInput, options: KubeClusterOptions = {}): Promise<KubeCluster> {
    return launchKubeCluster(podTemplate, options, (parts) => new KubeCluster(parts));
  }

  /** Dask's `KubeCluster.from_yaml("worker-spec.yml")`. */
  static fromYaml(path: string, options: KubeClusterOptions = {}): Promise<KubeCluster> {
    if (typeof path !== "string") throw new InvalidOptionError("fromYaml: give the path of a YAML pod spec");
    return KubeCluster.start(path, options);
  }

  /** Dask's `KubeCluster(make_pod_spec(…))` / `from_dict`: a Pod or PodSpec object. */
  static fromPodSpec(spec: object, options: KubeClusterOptions = {}): Promise<KubeCluster> {
    if (typeof spec !== "object" || spec === null) throw new InvalidOptionError("fromPodSpec: give a Pod object, e.g. makePodSpec({ image })");
    return KubeCluster.start(spec, options);
  }

  /** Leftovers of this user's sessions that ended without close(), in the namespace (see orphans.ts). */
  static findOrphans(options: OrphanSearchOptions = {}): Promise<OrphanedKubeCluster[]> {
    return listOrphanedClusters(options);
  }

  /** Deletes those leftovers and waits until they are gone; returns what was deleted. */
  static cleanupOrphans(options: OrphanSearchOptions = {}): Promise<OrphanedKubeCluster[]> {
    return cleanupOrphanedClusters(options);
  }

  // ---- where the scheduler is ----

  private get schedulerSide(): SchedulerSide {
    if (!this.side) throw new ClosedError(`${this.name}: the scheduler is not running`);
    return this.side;
  }

  get schedulerAddress(): string {
    return this.schedulerSide.clientAddress;
  }

  /** The address worker pods connect to (differs from schedulerAddress for a LoadBalancer). */
  get workerSchedulerAddress(): string {
    return this.schedulerSide.workerAddress;
  }

  get inprocAddress(): string | undefined {
    return this.side?.inprocAddress;
  }

  get credential(): string {
    return this.schedulerSide.credential;
  }

  get security(): Security | undefined {
    return this.side?.security;
  }

  get dashboardLink(): string | undefined {
    return this.dashboardUrl;
  }

  /** The scheduler in this process ("local" mode); undefined in "remote" mode. */
  get scheduler(): SchedulerServer | undefined {
    return this.side?.server;
  }

  // ---- what users see ----

  get requestedWorkers(): number {
    return this.target;
  }

  /** Worker pods: the active ones, then recently ended ones, with their watched states. */
  get workers(): KubeWorkerInfo[] {
    return this.pods.tracked.map((pod) => this.info(pod));
  }

  private info(pod: TrackedPod): KubeWorkerInfo {
    return workerInfo(pod, this.side?.workers() ?? []);
  }

  /** @internal the watch's worker pod events (kube-cluster-launch.ts routes them here) */
  observeWorkerPod(kind: "add" | "update" | "delete", pod: V1Pod): void {
    this.pods.observe(kind, pod);
  }

  /** @internal the dashboard's Jobs page: each pod with its state, reason and workers */
  jobsForDashboard(): JobInfo[] {
    return this.workers.map((worker) => ({ id: worker.name, state: worker.state, workers: worker.workers, ...(worker.reason ? { reason: worker.reason } : {}) }));
  }

  /** Called with a worker pod each time its state or reason changes; returns the unsubscribe function. */
  subscribe(listener: (worker: KubeWorkerInfo) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Asks for `n` worker pods (at most `maximumWorkers`). Resolves once the pods are created
   * (a refusal of the API server rejects, naming namespace and reason) or, when scaling
   * down, once the stopped pods are gone. An explicit scale stops adaptive scaling and
   * resumes replacing pods that failed to start.
   */
  async scale(n: number): Promise<void> {
    if (!Number.isInteger(n) || n < 0) throw new InvalidOptionError(`scale: n must be a non-negative integer, got ${n}`);
    this.adaptive?.stop();
    this.adaptive = null;
    await this.scaleTo(n);
  }

  private async scaleTo(n: number): Promise<void> {
    if (this.closing) throw new ClosedError(`${this.name} is closed`);
    if (n > this.options.maximumWorkers) this.logger.info(`scale(${n}) is above maximumWorkers: asking for ${this.options.maximumWorkers}`);
    this.target = Math.min(n, this.options.maximumWorkers);
    this.failedStarts = 0;
    this.replacementStopped = null;
    await this.reconcile("scale");
  }

  /** Adaptive scaling between `minimum` and `maximum` workers following the scheduler's load. */
  adapt(options: AdaptOptions = {}): Adaptive {
    this.adaptive?.stop();
    const side = this.schedulerSide;
    const requested = () => this.target;
    this.adaptive = new Adaptive({
      ...(side.server ? { scheduler: side.server } : { adaptiveTarget: (seconds: number) => side.adaptiveTarget(seconds) }),
      get requestedWorkers() {
        return requested();
      },
      scale: (n: number) => this.scaleTo(n),
    }, options);
    return this.adaptive;
  }

  /**
   * Waits until `n` workers are connected. Fails at once when the cluster stopped replacing
   * pods that fail to start (with their reason); on timeout, the error lists each pod's state.
   */
  async waitForWorkers(n: number, options: { timeout?: string | number } = {}): Promise<void> {
    const seconds = options.timeout === undefined ? Infinity : parseDuration(options.timeout, "timeout");
    const deadline = Date.now() + seconds * 1000;
    while (this.schedulerSide.workers().length < n) {
      if (this.closing) throw new ClosedError(`${this.name} closed while waiting for workers`);
      if (this.replacementStopped) throw new WorkerStartError(this.replacementStopped);
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new TimeoutError(`only ${this.schedulerSide.workers().length} of ${n} workers connected within ${seconds} s; pods: ${this.pods.describe()}`);
      }
      await this.nextChange(Math.min(left, 2 ** 31 - 1));
    }
  }

  private nextChange(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiters.add(done);
    });
  }

  private wake(): void {
    for (const wake of [...this.waiters]) wake();
  }

  // ---- started by kube-cluster-launch.ts once the scheduler runs ----

  /** @internal */
  begin(): void {
    const side = this.schedulerSide;
    this.unsubscribeWorkers = side.onWorkerAdded((workerName) => {
      const pod = this.pods.active().find((p) => belongsTo(workerName, p.name));
      if (pod) {
        pod.everConnected = true;
        this.failedStarts = 0;
      }
      this.wake();
    });
    this.heartbeat = setInterval(() => {
      this.api.annotateSecret(secretName(this.name), { [annotations.heartbeat]: new Date().toISOString() })
        .catch((error: unknown) => this.noteError("renewing the heartbeat on the cluster's Secret failed", error));
    }, this.options.heartbeatIntervalSeconds * 1000);
    this.heartbeat.unref();
    void side.finished.then(() => {
      if (this.closing) return;
      this.logger.warn(`${this.name}: the scheduler stopped (idle timeout?): closing the cluster and deleting its pods`);
      void this.close();
    });
  }

  // ---- reconciling the pods with the target ----

  private reconcile(reason: "scale" | "replace"): Promise<void> {
    const run = this.reconciling.then(() => this.reconcileOnce(reason));
    this.reconciling = run.catch(() => {});
    return run;
  }

  private async reconcileOnce(reason: "scale" | "replace"): Promise<void> {
    if (this.closing) return;
    const active = this.pods.active().filter((pod) => !pod.stopping);
    const missing = this.target - active.length;
    if (missing > 0) {
      if (reason === "replace" && this.failedStarts >= this.options.maxFailedStarts) return this.stopReplacing();
      await this.pods.create(missing);
    } else if (missing < 0) {
      const workers = this.schedulerSide.workers();
      const candidates = active.map((pod) => {
        const mine = workers.filter((w) => belongsTo(w.name, pod.name));
        return { pod, name: pod.name, state: pod.state.state, order: pod.order, connectedWorkers: mine.length, storedBytes: mine.reduce((sum, w) => sum + w.storedBytes, 0) };
      });
      const left = await this.stopPods(chooseJobsToStop(candidates, -missing).map((c) => c.pod), this.options.retireTimeoutSeconds);
      if (left.length > 0) throw new TimeoutError(`pods ${left.map((p) => p.name).join(", ")} are still there ${this.options.closeTimeoutSeconds} s after deleting them`);
    }
  }

  private stopReplacing(): void {
    if (this.replacementStopped) return;
    const failed = this.pods.tracked.filter((pod) => pod.endedAt !== null && !pod.everConnected && !pod.stopping).slice(-this.failedStarts);
    this.replacementStopped = replacementStoppedMessage(this.name, this.failedStarts, failed);
    this.logger.error(this.replacementStopped);
    this.wake();
  }

  private podEnded(pod: TrackedPod, failedStart: boolean): void {
    if (failedStart) this.failedStarts++;
    const how = `worker pod ${pod.name} ${pod.state.state}${pod.state.reason ? ` (${pod.state.reason})` : ""}`;
    if (failedStart) this.logger.warn(`${how} before its worker connected${pod.lastLog ? `; its log ends: ${lastLines(pod.lastLog)}` : ""}`);
    else this.logger.info(how);
    if (!this.closing) this.reconcile("replace").catch((error: unknown) => this.noteError("replacing ended worker pods failed", error));
    this.wake();
  }

  private podChanged(pod: TrackedPod): void {
    const info = this.info(pod);
    for (const listener of this.listeners) listener(info);
    this.wake();
  }

  /** Retires the pods' workers (bounded by `retireSeconds`), deletes the pods, waits until they are gone; returns those left. */
  private async stopPods(pods: TrackedPod[], retireSeconds: number): Promise<TrackedPod[]> {
    if (pods.length === 0) return [];
    for (const pod of pods) pod.stopping = true;
    const names = this.schedulerSide.workers().filter((w) => pods.some((pod) => belongsTo(w.name, pod.name))).map((w) => w.name);
    await retireWithin(this.schedulerSide, names, retireSeconds).catch((error: unknown) => this.noteError("retiring workers failed", error));
    await this.pods.stop(pods);
    return this.pods.waitUntilGone(pods, this.options.closeTimeoutSeconds);
  }

  /** Background failures: kept in lastError, logged once until the message changes. */
  private noteError(what: string, error: unknown): void {
    const message = `${what}: ${errorMessage(error)}`;
    if (message !== this.lastErrorMessage) this.logger.warn(message);
    this.lastErrorMessage = message;
    this.lastError = error instanceof Error ? error : new Error(String(error));
  }

  // ---- closing ----

  /** Deletes every object of the cluster and stops the scheduler; resolves once the API server lists none of them. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.adaptive?.stop();
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.unsubscribeWorkers();
    this.target = 0;
    this.wake();
    await this.reconciling;
    try {
      if (this.side) {
        const left = await this.stopPods(this.pods.active(), Math.min(10, this.options.retireTimeoutSeconds));
        if (left.length > 0) this.logger.warn(`pods ${left.map((p) => p.name).join(", ")} were still there ${this.options.closeTimeoutSeconds} s after deleting them`);
      } else {
        await this.pods.stop(this.pods.active());
      }
    } finally {
      await this.side?.close().catch((error: unknown) => this.noteError("stopping the scheduler failed", error));
      // The Secret owns whatever is left: deleting it lets the garbage collector remove the rest.
      await this.api.deleteSecret(secretName(this.name)).catch((error: unknown) => this.noteError("deleting the cluster's Secret failed", error));
      const left = await waitUntilNothingLeft(this.api, [this.name], this.options.closeTimeoutSeconds).catch((error: unknown) => {
        this.noteError("checking that nothing of the cluster is left failed", error);
        return [] as string[];
      });
      await this.watch?.stop();
      if (left.length > 0) {
        this.logger.warn(`${left.join(", ")} of ${this.name} are still listed ${this.options.closeTimeoutSeconds} s after close(); ` +
          `remove them with \`kubectl delete -n ${this.namespace} ${left.join(" ")}\` or KubeCluster.cleanupOrphans()`);
      }
      this.logger.info(`${this.name} closed at ${unixSeconds()}`);
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
