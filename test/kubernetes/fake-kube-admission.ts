/**
 * What the FAKE API server accepts (its admission): names and label values by Kubernetes'
 * rules, objects by their schema — an unknown field is a 400 "strict decoding error", any
 * other schema violation a 422 Invalid — and the defaults the real server fills in on pods.
 */
import type { KubeObject, Resource } from "./fake-kube-store.js";
import { failure } from "./fake-kube-status.js";
import { kindOf, objectProblems } from "./fake-kube-schema.js";

const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const dns1035Label = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const labelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** The refusal (status and Status object) of an object a client sent, or null when it is acceptable. */
export function admissionRefusal(resource: Resource, object: KubeObject): [number, unknown] | null {
  const { name, labels } = object.metadata;
  const invalid = (message: string) => [422, failure(422, "Invalid", `${kindOf(resource)} "${name ?? ""}" is invalid: ${message}`, { name, kind: resource })] as [number, unknown];
  if (!name) return invalid("metadata.name: Required value: name or generateName is required");
  const nameRule = resource === "services" ? dns1035Label : dns1123Subdomain;
  if (!nameRule.test(name) || name.length > (resource === "services" ? 63 : 253)) return invalid(`metadata.name: Invalid value: "${name}": a lowercase RFC 1123 name is required`);
  for (const [key, value] of Object.entries(labels ?? {})) {
    if (value.length > 63 || !labelValue.test(value)) return invalid(`metadata.labels: Invalid value: "${value}" (label ${key}): must be 63 characters or less, alphanumeric, '-', '_' or '.'`);
  }
  const unknown = objectProblems(resource, object);
  const strict = unknown.filter((problem) => problem.includes("is not a field of"));
  if (strict.length > 0) return [400, failure(400, "BadRequest", `strict decoding error: unknown field "${strict.map((p) => p.split(":")[0]).join('", "')}"`)];
  if (unknown.length > 0) return invalid(unknown.join("; "));
  if (resource === "pods") {
    const containers = (object.spec as { containers: unknown[] }).containers;
    if (containers.length !== 1) return invalid("spec.containers: the FAKE kubelet runs pods of exactly one container");
  }
  return null;
}

export function defaultPod(pod: KubeObject): void {
  const spec = pod.spec as { restartPolicy?: string; terminationGracePeriodSeconds?: number; dnsPolicy?: string; schedulerName?: string };
  spec.restartPolicy ??= "Always";
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= "ClusterFirst";
  spec.schedulerName ??= "default-scheduler";
  pod.status = { phase: "Pending", qosClass: "Burstable" };
}

