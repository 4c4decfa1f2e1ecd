/**
 * An ECS task as tessera reports a worker job: the task's lastStatus walks PROVISIONING →
 * PENDING → ACTIVATING → RUNNING → DEACTIVATING → STOPPING → DEPROVISIONING → STOPPED, and
 * a stopped task says why in stopCode (UserInitiated, TaskFailedToStart,
 * EssentialContainerExited, SpotInterruption…), stoppedReason ("CannotPullContainerError:
 * …", "Essential container in task exited") and its container's exitCode and reason
 * ("OutOfMemoryError: Container killed due to memory usage"). Pure.
 */
import type { Task } from "@aws-sdk/client-ecs";
import type { JobStatus } from "../jobqueue/job-state.js";

export function taskStatus(task: Task): JobStatus {
  const id = task.taskArn ?? "";
  const rawState = task.lastStatus ?? null;
  const container = task.containers?.[0];
  // ECS often repeats the container's reason as the task's stoppedReason: each once.
  const details = [...new Set([task.stoppedReason, container?.reason].filter((text): text is string => !!text && text.trim() !== ""))];
  if (rawState === "STOPPED") {
    const exitCode = container?.exitCode;
    if (task.stopCode === "UserInitiated") return { id, state: "cancelled", reason: details.join("; ") || "stopped by a user", rawState };
    if (task.stopCode === "EssentialContainerExited" && exitCode === 0) return { id, state: "finished", reason: null, rawState };
    const code = exitCode === undefined || exitCode === null ? [] : [`exit code ${exitCode}`];
    return { id, state: "failed", reason: [task.stopCode ?? "", ...details, ...code].filter(Boolean).join("; ") || "stopped", rawState };
  }
  if (task.desiredStatus === "STOPPED" && rawState !== null && !["PROVISIONING", "PENDING", "ACTIVATING", "RUNNING"].includes(rawState)) {
    // On its way out (DEACTIVATING … DEPROVISIONING): still holding resources.
    return { id, state: task.startedAt ? "running" : "pending", reason: `stopping${details.length ? `: ${details.join("; ")}` : ""}`, rawState };
  }
  if (rawState === "RUNNING") return { id, state: "running", reason: null, rawState };
  if (rawState === "PROVISIONING" || rawState === "PENDING" || rawState === "ACTIVATING") return { id, state: "pending", reason: null, rawState };
  return { id, state: "unknown", reason: rawState ? `unknown ECS status ${rawState}` : null, rawState };
}
