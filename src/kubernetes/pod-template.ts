/**
 * Reading a worker pod template (a YAML file, or an object from makePodSpec or the user's
 * code) into a checked plain object, refusing everything that would otherwise go wrong
 * later and far away: a file that is not a pod, fields the Kubernetes API does not have
 * (the client would drop them silently), values of the wrong kind, a missing image, a
 * Dask template (`dask-worker`, `$(DASK_SCHEDULER_ADDRESS)`), and the fields the cluster
 * sets itself (pod name, the worker's --name). Every message names the source and the field.
 *
 * Accepted: a Pod (`kind: Pod` may be left out, as Dask allows) or a bare PodSpec (an object
 * with `containers`). The first container is the worker (others are sidecars). Without a
 * command and args it runs `tessera worker $(TESSERA_SCHEDULER_ADDRESS)`; without a
 * restartPolicy it gets Never (a dead worker is replaced by the cluster, not restarted in
 * place). In a scheduler pod template ("remote" mode) the first container's command and args
 * are the cluster's (`tessera scheduler …`), as Dask replaces them with dask-scheduler. Unlike Dask, `$VARS` of this machine are not expanded into the template: the pod
 * runs elsewhere.
 */
import { readFile } from "node:fs/promises";
import type { V1Container, V1Pod } from "@kubernetes/client-node";
import { parseYamlFile } from "../config/index.js";
import { InvalidOptionError, errorMessage } from "../core/errors.js";
import { shapeProblems } from "./object-shape.js";
import { schedulerAddressVariable, workerContainerName } from "./pod-conventions.js";

/** A checked worker pod template and where it came from (for messages). */
export interface PodTemplate {
  pod: V1Pod;
  source: string;
}

/** "worker": the first container runs `tessera worker`; "scheduler": its command and args are the cluster's (`tessera scheduler …`). */
export type TemplateRole = "worker" | "scheduler";

export async function readPodTemplateFile(path: string, role: TemplateRole = "worker"): Promise<PodTemplate> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new InvalidOptionError(`cannot read the pod template ${path}: ${errorMessage(error)}`, { cause: error });
  }
  return checkPodTemplate(parseYamlFile(text, path), path, role);
}

const isMapping = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** Fields of an object read back from a cluster, which a template must not carry. */
const readBackFields = ["uid", "resourceVersion", "creationTimestamp", "selfLink", "managedFields", "ownerReferences"];

export function checkPodTemplate(input: unknown, source: string, role: TemplateRole = "worker"): PodTemplate {
  const notPod = (why: string) => new InvalidOptionError(
    `${source} is not a pod spec: ${why}. KubeCluster takes a Pod (kind: Pod, with spec.containers[0] running \`tessera worker\`), as KubeCluster.fromYaml("worker-spec.yml") reads it`,
  );
  if (!isMapping(input)) throw notPod(input === null || input === undefined ? "it is empty" : `it is ${Array.isArray(input) ? "a list" : `a ${typeof input}`}`);
  const wrapped = "containers" in input && !("spec" in input) ? { spec: input } : input;
  const pod = withoutNulls(wrapped) as Record<string, unknown>;
  if (pod.kind !== undefined && pod.kind !== "Pod") {
    const hint = pod.kind === "List" || pod.kind === "PodTemplate" || pod.kind === "Deployment" ? " (take the pod template out of it)" : "";
    throw notPod(`kind is ${JSON.stringify(pod.kind)}${hint}`);
  }
  if (pod.apiVersion !== undefined && pod.apiVersion !== "v1") throw notPod(`apiVersion is ${JSON.stringify(pod.apiVersion)}, a Pod's is "v1"`);
  if (!isMapping(pod.spec)) throw notPod("it has no spec (spec.containers lists the worker container)");
  if (!Array.isArray(pod.spec.containers) || pod.spec.containers.length === 0) throw notPod("spec.containers is missing or empty");
  if ("status" in pod) throw new InvalidOptionError(`${source}: status is set: this looks like a pod read back from a cluster; remove status (and metadata.uid, resourceVersion…)`);
  quantitiesAsStrings(pod.spec.containers);
  const problems = shapeProblems(pod, "V1Pod");
  if (problems.length > 0) {
    throw new InvalidOptionError(`${source}: ${problems.map((p) => `${p.path} ${p.problem}`).join("; ")}`);
  }
  const metadata = isMapping(pod.metadata) ? pod.metadata : {};
  for (const field of ["name", "generateName"]) {
    if (metadata[field] !== undefined) throw new InvalidOptionError(`${source}: metadata.${field} is set; the cluster names each pod itself (<cluster>-worker-<n>): remove it`);
  }
  for (const field of readBackFields) {
    if (metadata[field] !== undefined) throw new InvalidOptionError(`${source}: metadata.${field} is set: this looks like an object read back from a cluster; remove it`);
  }
  const container = pod.spec.containers[0] as V1Container;
  if (typeof container.image !== "string" || container.image.trim() === "") {
    throw new InvalidOptionError(`${source}: spec.containers[0].image is missing: set the worker image (one with \`tessera\` on its PATH; docs/kubernetes.md shows how to build it)`);
  }
  container.name ??= workerContainerName;
  if (role === "worker") checkWorkerCommand(container, source);
  (pod.spec as { restartPolicy?: string }).restartPolicy ??= "Never";
  return { pod: { apiVersion: "v1", kind: "Pod", ...pod, metadata: { ...metadata } } as V1Pod, source };
}

function checkWorkerCommand(container: V1Container, source: string): void {
  if (container.command === undefined && container.args === undefined) {
    container.command = ["tessera", "worker"];
    container.args = [`$(${schedulerAddressVariable})`];
    return;
  }
  const words = [...(container.command ?? []), ...(container.args ?? [])];
  const line = words.join(" ");
  if (/dask-worker|dask worker|DASK_SCHEDULER_ADDRESS/.test(line)) {
    throw new InvalidOptionError(`${source}: spec.containers[0] runs a Dask worker (${line}); a tessera cluster's pods run \`tessera worker $(${schedulerAddressVariable}) …\``);
  }
  if (!line.includes(`$(${schedulerAddressVariable})`)) {
    throw new InvalidOptionError(`${source}: spec.containers[0] command/args never pass $(${schedulerAddressVariable}), so the worker cannot find its scheduler; ` +
      `write args: [tessera, worker, $(${schedulerAddressVariable}), --nthreads, "1", …]`);
  }
  for (const flag of ["--name", "--scheduler-file", "--credential-file"]) {
    if (words.some((word) => word === flag || word.startsWith(`${flag}=`))) {
      throw new InvalidOptionError(`${source}: spec.containers[0] args set ${flag}; the cluster sets the worker's name and credential itself: remove it`);
    }
  }
}

/** Kubernetes accepts `cpu: 1` and `memory: 1073741824` as numbers; the client's models want strings. */
function quantitiesAsStrings(containers: unknown[]): void {
  for (const container of containers) {
    if (!isMapping(container) || !isMapping(container.resources)) continue;
    for (const kind of ["limits", "requests"]) {
      const quantities = container.resources[kind];
      if (!isMapping(quantities)) continue;
      for (const [name, value] of Object.entries(quantities)) if (typeof value === "number") quantities[name] = String(value);
    }
  }
}

/** JSON null means "not set" to the API server; YAML writes it for an empty value. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!isMapping(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
}
