/**
 * Status pieces the FAKE kubelet writes as a kubelet writes them: the pod conditions
 * (PodScheduled, Initialized, ContainersReady, Ready) and core/v1 Events about a pod
 * (Scheduled, Pulled, Started, Failed, BackOff, Killing, OOMKilling, FailedScheduling).
 */
import { randomBytes } from "node:crypto";
import type { FakeKubeStore, KubeObject } from "./fake-kube-store.js";

const now = () => new Date().toISOString().replace(/\.\d+Z$/, "Z");

export function conditions(ready: boolean): Array<Record<string, string>> {
  const time = now();
  const flag = ready ? "True" : "False";
  return [
    { type: "PodScheduled", status: "True", lastTransitionTime: time },
    { type: "Initialized", status: "True", lastTransitionTime: time },
    { type: "ContainersReady", status: flag, lastTransitionTime: time },
    { type: "Ready", status: flag, lastTransitionTime: time },
  ];
}

export interface EventNote {
  type: "Normal" | "Warning";
  reason: string;
  message: string;
  /** "kubelet", "default-scheduler", "kernel-monitor". */
  component: string;
  node: string;
}

export function recordEvent(store: FakeKubeStore, pod: KubeObject, note: EventNote): void {
  const time = now();
  store.create("events", {
    apiVersion: "v1", kind: "Event",
    metadata: { name: `${pod.metadata.name}.${randomBytes(8).toString("hex")}`, namespace: pod.metadata.namespace } as KubeObject["metadata"],
    involvedObject: { apiVersion: "v1", kind: "Pod", name: pod.metadata.name, namespace: pod.metadata.namespace, uid: pod.metadata.uid },
    reason: note.reason, message: note.message, type: note.type, count: 1, firstTimestamp: time, lastTimestamp: time,
    source: { component: note.component, ...(note.component === "kubelet" ? { host: note.node } : {}) },
    reportingComponent: note.component, reportingInstance: note.node,
  });
}
