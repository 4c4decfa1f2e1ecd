/**
 * What `cluster.workers` says about each worker pod, and the words the cluster uses when it
 * gives up on pods that fail to start.
 */
import { TesseraError } from "../core/errors.js";
import type { JobState } from "../jobqueue/job-state.js";
import type { ConnectedWorker } from "./scheduler-side.js";
import type { TrackedPod } from "./worker-pods.js";

/** A worker pod as `cluster.workers` shows it. */
export interface KubeWorkerInfo {
  /** The pod's name (also its worker's name). */
  name: string;
  state: JobState;
  /** Kubernetes' reason: "Unschedulable: 0/3 nodes are available: …", "ImagePullBackOff: …", "OOMKilled (exit code 137)" …; null if none. */
  reason: string | null;
  /** The pod phase ("Pending", "Running", "Failed" …) or "Terminating". */
  rawState: string;
  podIP: string | null;
  restarts: number;
  createdAt: number;
  endedAt: number | null;
  stopping: boolean;
  /** Names of its workers connected to the scheduler now. */
  workers: string[];
}

/** The cluster stopped replacing worker pods that fail to start. */
export class WorkerStartError extends TesseraError {
  override name = "WorkerStartError";
}

/** Worker `workerName` runs in pod `podName` (its name, or "<pod>-<k>" with --nworkers). */
export function belongsTo(workerName: string, podName: string): boolean {
  return workerName === podName || workerName.startsWith(`${podName}-`);
}

export function workerInfo(pod: TrackedPod, connected: readonly ConnectedWorker[]): KubeWorkerInfo {
  return {
    name: pod.name, state: pod.state.state, reason: pod.state.reason, rawState: pod.state.rawState, podIP: pod.podIP,
    restarts: pod.state.restarts, createdAt: pod.createdAt, endedAt: pod.endedAt, stopping: pod.stopping,
    workers: pod.endedAt === null ? connected.filter((w) => belongsTo(w.name, pod.name)).map((w) => w.name) : [],
  };
}

/** Why replacing stopped: how many pods failed in a row, and each one's reason, the last first. */
export function replacementStoppedMessage(clusterName: string, failedStarts: number, failed: readonly TrackedPod[]): string {
  const [last, ...before] = [...failed].reverse();
  const describe = (pod: TrackedPod) => `${pod.name} ${pod.state.reason ?? pod.state.rawState}${pod.lastLog ? ` — its log ends: ${lastLines(pod.lastLog)}` : ""}`;
  return `${failedStarts} worker pods in a row ended before their worker connected, so ${clusterName} stopped replacing them ` +
    `(scale() tries again). Last: pod ${last ? describe(last) : "?"}${before.length > 0 ? `; before it: ${before.reverse().map(describe).join("; ")}` : ""}`;
}

/** The last two lines of a log, on one line. */
export function lastLines(log: string): string {
  return log.trim().split("\n").slice(-2).map((line) => line.trim()).join(" | ");
}
