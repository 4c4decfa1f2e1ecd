/**
 * What tessera reports about a pod, read from the pod object the API server sends (the same
 * words as a batch job's state, jobqueue/job-state.ts, so the dashboard's Jobs page and
 * `cluster.workers` read alike):
 *
 *  - phase Pending: "pending", with the reason Kubernetes gives — the scheduler's
 *    (PodScheduled=False, e.g. Unschedulable: "0/3 nodes are available: 3 Insufficient
 *    memory.") or the container's waiting reason (ContainerCreating, ErrImagePull,
 *    ImagePullBackOff, CreateContainerConfigError …);
 *  - phase Running: "running" while the worker container runs; "pending" while it waits to
 *    be restarted (CrashLoopBackOff, with the last exit: OOMKilled, exit code 137 …);
 *  - Succeeded: "finished"; Failed: "failed" with the pod's reason (Evicted …) or the
 *    worker container's (OOMKilled, Error) and exit code; Unknown: "unknown".
 *
 * `startFailure` marks waiting reasons after which the pod will not start by itself: the
 * image cannot be pulled (ImagePullBackOff: Kubernetes already retried once), the container
 * cannot be created, or it keeps crashing. ErrImagePull alone is not one (the kubelet
 * retries a pull that may have failed for a passing reason); Unschedulable is not one either
 * (a cluster autoscaler may add the node it needs). Pure: tested with tables of pod objects.
 */
import type { V1ContainerStatus, V1Pod } from "@kubernetes/client-node";
import type { JobState } from "../jobqueue/job-state.js";

export interface PodState {
  state: JobState;
  /** "Unschedulable: 0/1 nodes are available: …", "OOMKilled (exit code 137)", …; null when there is nothing to say. */
  reason: string | null;
  /** The pod phase as Kubernetes names it, or "Terminating" once deletion started. */
  rawState: string;
  /** The waiting reason after which the pod will not start by itself, else null. */
  startFailure: string | null;
  /** The worker container runs and is ready. */
  ready: boolean;
  restarts: number;
}

const startFailureReasons: ReadonlySet<string> = new Set([
  "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull", "CreateContainerConfigError", "CreateContainerError",
  "RunContainerError", "CrashLoopBackOff",
]);

/** `containerName`: the worker's container (the first one of the template). */
export function podState(pod: V1Pod, containerName: string): PodState {
  const status = pod.status ?? {};
  const phase = status.phase ?? "Pending";
  const container = (status.containerStatuses ?? []).find((c) => c.name === containerName);
  const restarts = container?.restartCount ?? 0;
  const terminating = pod.metadata?.deletionTimestamp !== undefined && pod.metadata?.deletionTimestamp !== null;
  const rawState = terminating ? "Terminating" : phase;
  const base = { rawState, restarts, startFailure: null, ready: false };
  switch (phase) {
    case "Pending": {
      const scheduled = (status.conditions ?? []).find((c) => c.type === "PodScheduled");
      if (scheduled?.status === "False") {
        return { ...base, state: "pending", reason: joined(scheduled.reason ?? "NotScheduled", scheduled.message) };
      }
      return waitingState(container, base);
    }
    case "Running": {
      if (container?.state?.running) return { ...base, state: "running", reason: null, ready: container.ready === true };
      return waitingState(container, base);
    }
    case "Succeeded":
      return { ...base, state: "finished", reason: terminatedReason(container) ?? status.reason ?? null };
    case "Failed":
      return { ...base, state: "failed", reason: joined(status.reason, status.message) ?? terminatedReason(container) ?? "Failed" };
    default:
      return { ...base, state: "unknown", reason: joined(status.reason, status.message) };
  }
}

function waitingState(container: V1ContainerStatus | undefined, base: Omit<PodState, "state" | "reason">): PodState {
  const waiting = container?.state?.waiting;
  if (!waiting?.reason) return { ...base, state: "pending", reason: container?.state?.terminated ? terminatedReason(container) : null };
  const last = container?.lastState?.terminated;
  const lastExit = last ? ` (last exit: ${last.reason ?? "Error"}, exit code ${last.exitCode}; ${container?.restartCount ?? 0} restarts)` : "";
  return {
    ...base, state: "pending",
    reason: `${joined(waiting.reason, waiting.message)}${lastExit}`,
    startFailure: startFailureReasons.has(waiting.reason) ? waiting.reason : null,
  };
}

function terminatedReason(container: V1ContainerStatus | undefined): string | null {
  const terminated = container?.state?.terminated ?? container?.lastState?.terminated;
  if (!terminated) return null;
  return `${terminated.reason ?? "Terminated"} (exit code ${terminated.exitCode}${terminated.message ? `: ${terminated.message.trim()}` : ""})`;
}

function joined(reason: string | undefined | null, message: string | undefined | null): string | null {
  if (!reason) return message ?? null;
  return message ? `${reason}: ${message}` : reason;
}
