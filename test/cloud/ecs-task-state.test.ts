// ECS task descriptions → the job states tessera reports, as a table (the shapes ECS documents).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Task } from "@aws-sdk/client-ecs";
import { taskStatus } from "../../src/cloud/ecs-task-state.js";

const arn = "arn:aws:ecs:us-east-1:000000000000:task/c/abc";

describe("taskStatus", () => {
  const table: Array<[string, Partial<Task>, string, string | null]> = [
    ["provisioning", { lastStatus: "PROVISIONING", desiredStatus: "RUNNING" }, "pending", null],
    ["pending", { lastStatus: "PENDING", desiredStatus: "RUNNING" }, "pending", null],
    ["running", { lastStatus: "RUNNING", desiredStatus: "RUNNING", startedAt: new Date() }, "running", null],
    ["stopping after a start", { lastStatus: "DEACTIVATING", desiredStatus: "STOPPED", startedAt: new Date(), stoppedReason: "Scaling down" }, "running", "stopping: Scaling down"],
    ["stopping before a start", { lastStatus: "DEPROVISIONING", desiredStatus: "STOPPED" }, "pending", "stopping"],
    ["stopped by a user", { lastStatus: "STOPPED", stopCode: "UserInitiated", stoppedReason: "cluster closed by tessera" }, "cancelled", "cluster closed by tessera"],
    ["exited 0", { lastStatus: "STOPPED", stopCode: "EssentialContainerExited", stoppedReason: "Essential container in task exited", containers: [{ exitCode: 0 }] }, "finished", null],
    ["out of memory", {
      lastStatus: "STOPPED", stopCode: "EssentialContainerExited", stoppedReason: "Essential container in task exited",
      containers: [{ exitCode: 137, reason: "OutOfMemoryError: Container killed due to memory usage" }],
    }, "failed", "EssentialContainerExited; Essential container in task exited; OutOfMemoryError: Container killed due to memory usage; exit code 137"],
    ["image pull", {
      lastStatus: "STOPPED", stopCode: "TaskFailedToStart", stoppedReason: "CannotPullContainerError: not found",
      containers: [{ reason: "CannotPullContainerError: not found" }],
    }, "failed", "TaskFailedToStart; CannotPullContainerError: not found"],
    ["spot interruption", { lastStatus: "STOPPED", stopCode: "SpotInterruption", stoppedReason: "Your Spot Task was interrupted." }, "failed", "SpotInterruption; Your Spot Task was interrupted."],
    ["a new status", { lastStatus: "HIBERNATING", desiredStatus: "RUNNING" }, "unknown", "unknown ECS status HIBERNATING"],
  ];
  for (const [what, task, state, reason] of table) {
    it(`${what} → ${state}`, () => {
      const status = taskStatus({ taskArn: arn, ...task } as Task);
      assert.deepEqual([status.id, status.state, status.reason, status.rawState], [arn, state, reason, task.lastStatus]);
    });
  }
});
