/**
 * The one node of the FAKE Kubernetes cluster, and the scheduler's decision for it: a pod
 * fits when its resource requests (each container's requests, or its limits where it gives
 * only limits, as Kubernetes defaults them) fit in what the running pods leave of the node's
 * allocatable CPU, memory and pod count, and its nodeSelector and required node affinity
 * match the node's labels. Otherwise the pod stays Pending with the real scheduler's words:
 * "0/1 nodes are available: 1 Insufficient memory."
 */
import { cpuCores, memoryBytes } from "../../src/kubernetes/quantity.js";
import type { KubeObject } from "./fake-kube-store.js";
import type { PodSpec } from "./fake-pod-environment.js";

export interface FakeNodeShape {
  name: string;
  /** Cores. */
  cpu: number;
  /** Bytes. */
  memory: number;
  pods: number;
  labels: Record<string, string>;
}

export const defaultNode: FakeNodeShape = {
  name: "fake-node-1", cpu: 16, memory: 64 * 2 ** 30, pods: 110,
  labels: { "kubernetes.io/hostname": "fake-node-1", "kubernetes.io/os": "linux" },
};

export interface Requests {
  cpu: number;
  memory: number;
}

export function podRequests(spec: PodSpec): Requests {
  let cpu = 0;
  let memory = 0;
  for (const container of spec.containers) {
    const requests = container.resources?.requests ?? {};
    const limits = container.resources?.limits ?? {};
    const cpuText = requests.cpu ?? limits.cpu;
    const memoryText = requests.memory ?? limits.memory;
    if (cpuText !== undefined) cpu += cpuCores(String(cpuText));
    if (memoryText !== undefined) memory += memoryBytes(String(memoryText), "memory");
  }
  return { cpu, memory };
}

/** What the node's pods that have not ended request (pods gone meanwhile are undefined). */
export function nodeUsage(pods: ReadonlyArray<KubeObject | undefined>): Requests & { pods: number } {
  const used = { cpu: 0, memory: 0, pods: 0 };
  for (const pod of pods) {
    const phase = (pod?.status as { phase?: string } | undefined)?.phase;
    if (!pod || phase === "Succeeded" || phase === "Failed") continue;
    const requests = podRequests(pod.spec as PodSpec);
    used.cpu += requests.cpu;
    used.memory += requests.memory;
    used.pods++;
  }
  return used;
}

interface NodeSelectorTerm {
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

function termMatches(term: NodeSelectorTerm, labels: Record<string, string>): boolean {
  return (term.matchExpressions ?? []).every((expression) => {
    const value = labels[expression.key];
    switch (expression.operator) {
      case "In": return value !== undefined && (expression.values ?? []).includes(value);
      case "NotIn": return value === undefined || !(expression.values ?? []).includes(value);
      case "Exists": return value !== undefined;
      case "DoesNotExist": return value === undefined;
      default: return false;
    }
  });
}

/** Null when the pod fits; else the scheduler's message. `used`: requests of the pods bound now. */
export function unschedulableReason(spec: PodSpec & { affinity?: { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms: NodeSelectorTerm[] } } } }, node: FakeNodeShape, used: Requests & { pods: number }): string | null {
  const problems: string[] = [];
  const selectorMismatch = Object.entries(spec.nodeSelector ?? {}).some(([key, value]) => node.labels[key] !== value);
  const required = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (selectorMismatch || (required && !required.some((term) => termMatches(term, node.labels)))) {
    problems.push("1 node(s) didn't match Pod's node affinity/selector");
  } else {
    const wanted = podRequests(spec);
    if (used.cpu + wanted.cpu > node.cpu + 1e-9) problems.push("1 Insufficient cpu");
    if (used.memory + wanted.memory > node.memory) problems.push("1 Insufficient memory");
    if (used.pods + 1 > node.pods) problems.push("1 Too many pods");
  }
  if (problems.length === 0) return null;
  return `0/1 nodes are available: ${problems.join(", ")}. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.`;
}
