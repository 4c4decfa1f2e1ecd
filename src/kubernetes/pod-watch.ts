/**
 * The pods of one cluster as the API server reports them, kept current by the watch API:
 * one list, then a watch from its resourceVersion (the client's informer), so a pod that
 * becomes Unschedulable, fails its image pull or is OOM-killed is known when Kubernetes
 * knows it, without polling. When the server ends a watch (they time out after minutes)
 * the informer resumes from the last resourceVersion; when that is too old (410 Gone) it
 * lists again. Any other watch failure (server unreachable, 5xx) is retried with a backoff
 * of 1 s doubling to 30 s, and logged once per distinct message.
 */
import { makeInformer, type Informer, type ObjectCache, type V1Pod } from "@kubernetes/client-node";
import { errorMessage } from "../core/errors.js";
import type { Logger } from "../core/log.js";
import type { KubeApi } from "./kube-api.js";

export type PodEventKind = "add" | "update" | "delete";

export class PodWatch {
  private informer: Informer<V1Pod> & ObjectCache<V1Pod>;
  private stopped = false;
  private retryMs = 1000;
  private retryTimer: NodeJS.Timeout | null = null;
  private lastError = "";

  private constructor(
    private readonly api: KubeApi,
    selector: string,
    private readonly onEvent: (kind: PodEventKind, pod: V1Pod) => void,
    private readonly logger: Logger,
  ) {
    const path = `/api/v1/namespaces/${api.namespace}/pods`;
    this.informer = makeInformer(api.kube.config, path, () => api.listPods(selector), selector);
    this.informer.on("add", (pod) => this.onEvent("add", pod));
    this.informer.on("update", (pod) => this.onEvent("update", pod));
    this.informer.on("delete", (pod) => this.onEvent("delete", pod));
    this.informer.on("connect", () => (this.retryMs = 1000));
  }

  /** Lists the pods (each reported as "add") and starts watching; a refused list is thrown. */
  static async start(api: KubeApi, selector: string, onEvent: (kind: PodEventKind, pod: V1Pod) => void, logger: Logger): Promise<PodWatch> {
    const watch = new PodWatch(api, selector, onEvent, logger);
    let failure: unknown = null;
    const noteFailure = (error: unknown) => (failure ??= error);
    watch.informer.on("error", noteFailure);
    await watch.informer.start();
    watch.informer.off("error", noteFailure);
    if (failure) {
      await watch.stop();
      throw failure;
    }
    watch.informer.on("error", (error) => watch.retryLater(error));
    return watch;
  }

  /** The pod as last reported, if it exists. */
  get(name: string): V1Pod | undefined {
    return this.informer.get(name, this.api.namespace);
  }

  list(): readonly V1Pod[] {
    return this.informer.list(this.api.namespace);
  }

  private retryLater(error: unknown): void {
    if (this.stopped) return;
    const message = errorMessage(error);
    if (message !== this.lastError) this.logger.warn(`watching pods failed (${message}); watching again in ${this.retryMs / 1000} s`);
    this.lastError = message;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.stopped) void this.informer.start();
    }, this.retryMs);
    this.retryTimer.unref();
    this.retryMs = Math.min(30_000, this.retryMs * 2);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.informer.stop();
  }
}
