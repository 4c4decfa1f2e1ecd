// What tessera reports for a pod object, as the API server sends it (src/kubernetes/pod-state.ts).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { V1Pod } from "@kubernetes/client-node";
import { podState } from "../../src/kubernetes/pod-state.js";

const container = "tessera-worker";
const pod = (status: object, metadata: object = {}): V1Pod => ({ metadata: { name: "p", ...metadata }, status } as V1Pod);
const waiting = (reason: string, message?: string, extra: object = {}) => ({ name: container, image: "i", imageID: "", ready: false, restartCount: 0, state: { waiting: { reason, ...(message ? { message } : {}) } }, ...extra });

describe("podState", () => {
  const cases: Array<[string, V1Pod, { state: string; reason: string | null; rawState: string; startFailure: string | null; ready?: boolean }]> = [
    ["just created", pod({ phase: "Pending" }), { state: "pending", reason: null, rawState: "Pending", startFailure: null }],
    ["not schedulable", pod({ phase: "Pending", conditions: [{ type: "PodScheduled", status: "False", reason: "Unschedulable", message: "0/3 nodes are available: 3 Insufficient memory." }] }),
      { state: "pending", reason: "Unschedulable: 0/3 nodes are available: 3 Insufficient memory.", rawState: "Pending", startFailure: null }],
    ["creating the container", pod({ phase: "Pending", containerStatuses: [waiting("ContainerCreating")] }), { state: "pending", reason: "ContainerCreating", rawState: "Pending", startFailure: null }],
    ["a failed pull (retried by the kubelet)", pod({ phase: "Pending", containerStatuses: [waiting("ErrImagePull", "not found")] }), { state: "pending", reason: "ErrImagePull: not found", rawState: "Pending", startFailure: null }],
    ["backing off a pull", pod({ phase: "Pending", containerStatuses: [waiting("ImagePullBackOff", 'Back-off pulling image "x"')] }),
      { state: "pending", reason: 'ImagePullBackOff: Back-off pulling image "x"', rawState: "Pending", startFailure: "ImagePullBackOff" }],
    ["a malformed image name", pod({ phase: "Pending", containerStatuses: [waiting("InvalidImageName")] }), { state: "pending", reason: "InvalidImageName", rawState: "Pending", startFailure: "InvalidImageName" }],
    ["a missing Secret", pod({ phase: "Pending", containerStatuses: [waiting("CreateContainerConfigError", 'secret "s" not found')] }),
      { state: "pending", reason: 'CreateContainerConfigError: secret "s" not found', rawState: "Pending", startFailure: "CreateContainerConfigError" }],
    ["running, not ready yet", pod({ phase: "Running", containerStatuses: [{ name: container, image: "i", imageID: "", ready: false, restartCount: 0, state: { running: {} } }] }),
      { state: "running", reason: null, rawState: "Running", startFailure: null, ready: false }],
    ["running and ready", pod({ phase: "Running", containerStatuses: [{ name: container, image: "i", imageID: "", ready: true, restartCount: 0, state: { running: {} } }] }),
      { state: "running", reason: null, rawState: "Running", startFailure: null, ready: true }],
    ["crash looping after an OOM kill", pod({ phase: "Running", containerStatuses: [waiting("CrashLoopBackOff", "back-off 10s", { restartCount: 3, lastState: { terminated: { exitCode: 137, reason: "OOMKilled" } } })] }),
      { state: "pending", reason: "CrashLoopBackOff: back-off 10s (last exit: OOMKilled, exit code 137; 3 restarts)", rawState: "Running", startFailure: "CrashLoopBackOff" }],
    ["OOM-killed, restartPolicy Never", pod({ phase: "Failed", containerStatuses: [{ name: container, image: "i", imageID: "", ready: false, restartCount: 0, state: { terminated: { exitCode: 137, reason: "OOMKilled" } } }] }),
      { state: "failed", reason: "OOMKilled (exit code 137)", rawState: "Failed", startFailure: null }],
    ["evicted", pod({ phase: "Failed", reason: "Evicted", message: "The node was low on resource: memory." }),
      { state: "failed", reason: "Evicted: The node was low on resource: memory.", rawState: "Failed", startFailure: null }],
    ["a worker that retired", pod({ phase: "Succeeded", containerStatuses: [{ name: container, image: "i", imageID: "", ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: "Completed" } } }] }),
      { state: "finished", reason: "Completed (exit code 0)", rawState: "Succeeded", startFailure: null }],
    ["being deleted", pod({ phase: "Running", containerStatuses: [{ name: container, image: "i", imageID: "", ready: true, restartCount: 0, state: { running: {} } }] }, { deletionTimestamp: "2030-01-01T00:00:00Z" }),
      { state: "running", reason: null, rawState: "Terminating", startFailure: null, ready: true }],
    ["the node stopped reporting", pod({ phase: "Unknown", reason: "NodeLost" }), { state: "unknown", reason: "NodeLost", rawState: "Unknown", startFailure: null }],
  ];
  for (const [what, object, expected] of cases) {
    it(what, () => {
      const state = podState(object, container);
      assert.deepEqual({ state: state.state, reason: state.reason, rawState: state.rawState, startFailure: state.startFailure, ...(expected.ready !== undefined ? { ready: state.ready } : {}) }, expected);
    });
  }

  it("reads the worker's container, not a sidecar's", () => {
    const state = podState(pod({ phase: "Running", containerStatuses: [
      { name: "sidecar", image: "s", imageID: "", ready: true, restartCount: 0, state: { running: {} } },
      waiting("CrashLoopBackOff", undefined, { restartCount: 2, lastState: { terminated: { exitCode: 2, reason: "Error" } } }),
    ] }), container);
    assert.equal(state.startFailure, "CrashLoopBackOff");
    assert.equal(state.restarts, 2);
  });
});
