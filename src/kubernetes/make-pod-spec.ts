/**
 * makePodSpec: a worker pod template from a few options, as dask-kubernetes' make_pod_spec
 * builds one. The pod runs `tessera worker $(TESSERA_SCHEDULER_ADDRESS)` with the thread
 * count, death timeout and memory limit as flags; the memory limit is also the container's
 * Kubernetes limit (in bytes on both sides, see quantity.ts); restartPolicy is Never, so a
 * worker that dies is replaced by the cluster, not restarted in place.
 *
 * `extraContainerConfig` / `extraPodConfig` are merged as Dask merges them: a key must be a
 * field of the container (pod spec), mappings merge deeply, lists are appended, other
 * values replace. The result is checked against the client's OpenAPI shapes.
 */
import type { V1Pod } from "@kubernetes/client-node";
import { InvalidOptionError } from "../core/errors.js";
import { parseDuration } from "../core/units.js";
import { modelFieldNames, shapeProblems } from "./object-shape.js";
import { cpuQuantity, memoryBytes, memoryQuantity } from "./quantity.js";
import { schedulerAddressVariable, workerContainerName } from "./pod-conventions.js";

export interface MakePodSpecOptions {
  /** The worker image (one with `tessera` on its PATH; docs/kubernetes.md has a Dockerfile). */
  image: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** Compute threads per worker (`--nthreads`, default 1). */
  threadsPerWorker?: number;
  /** Environment variables of the worker container. */
  env?: Record<string, string>;
  /** Container memory limit and the worker's `--memory-limit`: "4Gi", "4GiB", "4G", bytes. */
  memoryLimit?: string | number;
  memoryRequest?: string | number;
  /** Cores: 2, 0.5, "500m". */
  cpuLimit?: string | number;
  cpuRequest?: string | number;
  /** `nvidia.com/gpu` limit. */
  gpuLimit?: number;
  /** Seconds (or "60s") a worker waits for an unreachable scheduler before exiting (default 60). */
  deathTimeout?: string | number;
  /** More `tessera worker` flags, e.g. ["--lifetime", "1h", "--lifetime-stagger", "5m"]. */
  workerExtraArgs?: string[];
  /** Merged into the container (Dask's extra_container_config). */
  extraContainerConfig?: Record<string, unknown>;
  /** Merged into the pod spec (Dask's extra_pod_config). */
  extraPodConfig?: Record<string, unknown>;
}

const optionNames: ReadonlySet<string> = new Set([
  "image", "labels", "annotations", "threadsPerWorker", "env", "memoryLimit", "memoryRequest", "cpuLimit", "cpuRequest",
  "gpuLimit", "deathTimeout", "workerExtraArgs", "extraContainerConfig", "extraPodConfig",
]);

export function makePodSpec(options: MakePodSpecOptions): V1Pod {
  for (const key of Object.keys(options)) {
    if (!optionNames.has(key)) throw new InvalidOptionError(`makePodSpec: unknown option "${key}"; known: ${[...optionNames].join(", ")}`);
  }
  if (typeof options.image !== "string" || options.image.trim() === "") {
    throw new InvalidOptionError("makePodSpec: image is missing: give the worker image, e.g. { image: \"registry.example.org/tessera-worker:0.1\" }");
  }
  const threads = options.threadsPerWorker ?? 1;
  if (!Number.isInteger(threads) || threads < 1) throw new InvalidOptionError(`makePodSpec: threadsPerWorker must be a positive integer, got ${threads}`);
  const deathTimeout = parseDuration(options.deathTimeout ?? 60, "makePodSpec: deathTimeout");
  const args = [`$(${schedulerAddressVariable})`, "--nthreads", String(threads), "--death-timeout", String(deathTimeout)];
  const limits: Record<string, string> = {};
  const requests: Record<string, string> = {};
  if (options.memoryLimit !== undefined) {
    const bytes = memoryBytes(options.memoryLimit, "makePodSpec: memoryLimit");
    limits.memory = memoryQuantity(bytes);
    args.push("--memory-limit", String(bytes));
  }
  if (options.memoryRequest !== undefined) requests.memory = memoryQuantity(memoryBytes(options.memoryRequest, "makePodSpec: memoryRequest"));
  if (options.cpuLimit !== undefined) limits.cpu = cpuQuantity(options.cpuLimit, "makePodSpec: cpuLimit");
  if (options.cpuRequest !== undefined) requests.cpu = cpuQuantity(options.cpuRequest, "makePodSpec: cpuRequest");
  if (options.gpuLimit !== undefined) {
    if (!Number.isInteger(options.gpuLimit) || options.gpuLimit < 1) throw new InvalidOptionError(`makePodSpec: gpuLimit must be a positive integer, got ${options.gpuLimit}`);
    limits["nvidia.com/gpu"] = String(options.gpuLimit);
  }
  args.push(...(options.workerExtraArgs ?? []));
  const container: Record<string, unknown> = {
    name: workerContainerName,
    image: options.image,
    command: ["tessera", "worker"],
    args,
    env: Object.entries(options.env ?? {}).map(([name, value]) => ({ name, value })),
    resources: { limits, requests },
  };
  const spec: Record<string, unknown> = { restartPolicy: "Never", containers: [container] };
  mergeFields(container, options.extraContainerConfig ?? {}, "V1Container", "extraContainerConfig");
  mergeFields(spec, options.extraPodConfig ?? {}, "V1PodSpec", "extraPodConfig");
  const pod = {
    apiVersion: "v1", kind: "Pod",
    metadata: { labels: { ...(options.labels ?? {}) }, annotations: { ...(options.annotations ?? {}) } },
    spec,
  };
  const problems = shapeProblems(pod, "V1Pod");
  if (problems.length > 0) {
    throw new InvalidOptionError(`makePodSpec: ${problems.map((p) => `${p.path} ${p.problem}`).join("; ")}`);
  }
  return pod as unknown as V1Pod;
}

/** Dask's _set_k8s_attribute: known fields only; mappings merge deeply, lists append, the rest replaces. */
function mergeFields(target: Record<string, unknown>, extra: Record<string, unknown>, typeName: "V1Container" | "V1PodSpec", option: string): void {
  const known = new Set(modelFieldNames(typeName));
  for (const [key, value] of Object.entries(extra)) {
    if (!known.has(key)) throw new InvalidOptionError(`makePodSpec: ${option}.${key} is not a field of ${typeName.slice(2)}; fields: ${[...known].join(", ")}`);
    const current = target[key];
    if (Array.isArray(current) && Array.isArray(value)) target[key] = [...current, ...value];
    else if (isMapping(current) && isMapping(value)) target[key] = deepMerge(current, value);
    else target[key] = value;
  }
}

const isMapping = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const current = merged[key];
    merged[key] = isMapping(current) && isMapping(value) ? deepMerge(current, value) : value;
  }
  return merged;
}
