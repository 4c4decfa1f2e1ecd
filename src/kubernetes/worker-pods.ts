/**
 * The worker pods of one cluster, as the watch reports them: creating them (a few at a
 * time), deleting them, and noticing from each pod event when one ended or will never start.
 * It decides nothing about replacing pods: the cluster is told (`onEnded`) and decides.
 *
 * A pod counts as ended when its phase is Succeeded or Failed, when it disappears (someone
 * deleted it), or — if its worker never connected — when it shows a start failure
 * (ImagePullBackOff, CrashLoopBackOff, CreateContainerConfigError …, see pod-state.ts): such
 * a pod would wait forever, so it is deleted and its reason kept. Ended pods are deleted
 * (nothing is left behind) and kept in `tracked` (the last 100) with their last state, so
 * `cluster.workers` and the dashboard still say why they ended.
 */
import type { V1Pod } from "@kubernetes/client-node";
import { unixSeconds } from "../core/clock.js";
import { errorMessage } from "../core/errors.js";
import type { Logger } from "../core/log.js";
import type { KubeApi } from "./kube-api.js";
import { podState, type PodState } from "./pod-state.js";

export interface TrackedPod {
  readonly name: string;
  /** Creation order: higher is newer. */
  readonly order: number;
  readonly createdAt: number;
  state: PodState;
  podIP: string | null;
  /** A worker of this pod registered with the scheduler at least once. */
  everConnected: boolean;
  /** The cluster is stopping it (scale-down or close): its end is wanted. */
  stopping: boolean;
  /** Epoch seconds when it was found ended; null while active. */
  endedAt: number | null;
  /** The API server no longer has the pod. */
  gone: boolean;
  /** The last lines its container wrote, fetched when it failed to start ("" if it never ran). */
  lastLog: string;
  /** Its end was seen and is being recorded (its log fetched): later events change nothing. */
  ending: boolean;
}

export interface WorkerPodsContext {
  api: KubeApi;
  /** The worker container's name in the template. */
  containerName: string;
  /** The pod object for a new worker named `name`. */
  buildPod(name: string): V1Pod;
  logger: Logger;
  /** A pod the cluster did not stop ended; `failedStart`: before any of its workers connected. */
  onEnded(pod: TrackedPod, failedStart: boolean): void;
  /** Any change of a pod's state (for subscribers and the dashboard). */
  onChange(pod: TrackedPod): void;
}

const createConcurrency = 8;
const endedPodsKept = 100;

export class WorkerPods {
  tracked: TrackedPod[] = [];
  private created = 0;
  private goneWaiters: Array<() => void> = [];

  constructor(private readonly context: WorkerPodsContext, private readonly prefix: (index: number) => string) {}

  active(): TrackedPod[] {
    return this.tracked.filter((pod) => pod.endedAt === null);
  }

  byName(name: string): TrackedPod | undefined {
    return this.tracked.find((pod) => pod.name === name);
  }

  /** Creates `count` pods; throws the first refusal once all were tried (refused pods are not kept). */
  async create(count: number): Promise<void> {
    const failures: unknown[] = [];
    let next = 0;
    const lane = async () => {
      while (next < count) {
        next++;
        const pod = this.track(this.prefix(this.created++));
        try {
          await this.context.api.createPod(this.context.buildPod(pod.name));
        } catch (error) {
          this.tracked = this.tracked.filter((other) => other !== pod);
          failures.push(error);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(count, createConcurrency) }, lane));
    if (failures.length > 0) {
      if (failures.length < count) this.context.logger.error(`${failures.length} of ${count} worker pods were refused: ${errorMessage(failures[0])}`);
      throw failures[0];
    }
  }

  private track(name: string): TrackedPod {
    const pod: TrackedPod = {
      name, order: this.created, createdAt: unixSeconds(), podIP: null, everConnected: false, stopping: false, endedAt: null, gone: false, lastLog: "", ending: false,
      state: { state: "pending", reason: "created; not yet reported by the API server", rawState: "Pending", startFailure: null, ready: false, restarts: 0 },
    };
    this.tracked.push(pod);
    return pod;
  }

  /** A pod event from the watch. */
  observe(kind: "add" | "update" | "delete", object: V1Pod): void {
    const pod = this.byName(object.metadata?.name ?? "");
    if (!pod) return;
    if (kind === "delete") {
      pod.gone = true;
      if (pod.endedAt === null && !pod.ending) this.end(pod, { ...pod.state, state: pod.stopping ? "cancelled" : "failed", reason: pod.stopping ? "deleted by the cluster" : `deleted from outside the cluster (last: ${pod.state.rawState}${pod.state.reason ? `, ${pod.state.reason}` : ""})` });
      for (const wake of this.goneWaiters.splice(0)) wake();
      this.context.onChange(pod);
      return;
    }
    if (pod.endedAt !== null || pod.ending) return;
    const state = podState(object, this.context.containerName);
    pod.podIP = object.status?.podIP ?? pod.podIP;
    const changed = state.rawState !== pod.state.rawState || state.reason !== pod.state.reason || state.state !== pod.state.state;
    pod.state = state;
    if (state.state === "finished" || state.state === "failed") this.end(pod, state);
    else if (state.startFailure && !pod.everConnected && !pod.stopping) this.end(pod, { ...state, state: "failed" });
    if (changed) this.context.onChange(pod);
  }

  /**
   * Records the pod's end, deletes it and tells the cluster. A failed start's log is fetched
   * first (before the pod is deleted); meanwhile the pod still counts as active, so the cluster
   * cannot replace it before it counted the failure.
   */
  private end(pod: TrackedPod, state: PodState): void {
    pod.state = state;
    const failedStart = !pod.everConnected && !pod.stopping;
    const finish = () => {
      pod.endedAt = unixSeconds();
      this.forgetOldPods();
      if (!pod.gone) this.deleteQuietly(pod);
      if (!pod.stopping) this.context.onEnded(pod, failedStart);
    };
    if (!failedStart || pod.gone) return finish();
    pod.ending = true;
    void this.context.api.podLog(pod.name, this.context.containerName, 5).catch(() => "").then((log) => {
      pod.lastLog = log.trim();
      finish();
    });
  }

  /** Deletes the pods (their workers get SIGTERM, then the pod's grace period); marks them stopping. */
  async stop(pods: readonly TrackedPod[]): Promise<void> {
    for (const pod of pods) pod.stopping = true;
    await Promise.all(pods.filter((pod) => !pod.gone).map((pod) => this.context.api.deletePod(pod.name)));
  }

  private deleteQuietly(pod: TrackedPod): void {
    this.context.api.deletePod(pod.name).catch((error: unknown) => this.context.logger.warn(`deleting ended pod ${pod.name} failed: ${errorMessage(error)}`));
  }

  /** Waits (for the watch's delete events) until the pods are gone, or `seconds` pass; returns those left. */
  async waitUntilGone(pods: readonly TrackedPod[], seconds: number): Promise<TrackedPod[]> {
    const deadline = Date.now() + seconds * 1000;
    while (pods.some((pod) => !pod.gone) && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
        this.goneWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return pods.filter((pod) => !pod.gone);
  }

  private forgetOldPods(): void {
    const ended = this.tracked.filter((pod) => pod.endedAt !== null && pod.gone);
    if (ended.length <= endedPodsKept) return;
    const dropped = new Set(ended.slice(0, ended.length - endedPodsKept));
    this.tracked = this.tracked.filter((pod) => !dropped.has(pod));
  }

  /** "tessera-x-worker-0 running, tessera-x-worker-1 pending (Unschedulable: …)", for messages. */
  describe(pods: readonly TrackedPod[] = this.active()): string {
    if (pods.length === 0) return "no worker pods";
    return pods.map((pod) => `${pod.name} ${pod.state.state}${pod.state.reason ? ` (${pod.state.reason})` : ""}`).join(", ");
  }
}
