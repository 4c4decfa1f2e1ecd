/**
 * Leftovers of sessions that ended without close() (the client crashed, was killed, lost its
 * node): their pods, Service and Secret stay in the namespace. Each cluster's Secret records
 * its client (host, pid) and when the client last said it was alive (the heartbeat annotation,
 * renewed every `heartbeatInterval`). A cluster of this user is a leftover when
 *  - its client ran on this host and that process no longer exists, or
 *  - its heartbeat is older than three intervals, or
 *  - its Secret is gone but pods or Services remain (a cleanup that stopped half way).
 * A cluster whose client is alive elsewhere is never touched.
 *
 * Cleaning up deletes its pods and Services, then its Secret (which owns them, so the
 * garbage collector takes whatever was missed), and waits until the API server lists none.
 */
import { hostname } from "node:os";
import type { V1ObjectMeta } from "@kubernetes/client-node";
import { sleep } from "../core/clock.js";
import { TimeoutError } from "../core/errors.js";
import { parseDuration } from "../core/units.js";
import { KubeApi } from "./kube-api.js";
import { loadKubeConfig, type KubeConfigOptions } from "./kube-config.js";
import { annotations, clusterSelector, currentUser, labels, userSelector } from "./pod-conventions.js";
import { processAlive } from "../core/process-alive.js";

export interface OrphanSearchOptions extends KubeConfigOptions {
  /** Default: the kubeconfig context's namespace, else "default". */
  namespace?: string;
  /** Whose clusters (default: this user, as the clusters label them). */
  user?: string;
  /** Bound on waiting for the deleted objects to be gone (default "60s"). */
  timeout?: string | number;
}

function apiFor(options: OrphanSearchOptions): KubeApi {
  const kube = loadKubeConfig(options);
  return new KubeApi(kube, options.namespace ?? kube.namespace);
}

/** This user's leftover clusters in the namespace. */
export function listOrphanedClusters(options: OrphanSearchOptions = {}): Promise<OrphanedKubeCluster[]> {
  return findOrphans(apiFor(options), options.user ?? currentUser());
}

/** Deletes this user's leftover clusters in the namespace; throws when some objects are still listed after the timeout. */
export async function cleanupOrphanedClusters(options: OrphanSearchOptions = {}): Promise<OrphanedKubeCluster[]> {
  const api = apiFor(options);
  const orphans = await findOrphans(api, options.user ?? currentUser());
  const seconds = parseDuration(options.timeout ?? "60s", "timeout");
  const left = await deleteClusters(api, orphans, seconds);
  if (left.length > 0) throw new TimeoutError(`${left.join(", ")} are still listed ${seconds} s after deleting them`);
  return orphans;
}

export interface OrphanedKubeCluster {
  /** The cluster name. */
  name: string;
  namespace: string;
  pods: string[];
  services: string[];
  secrets: string[];
  /** Why it is taken for a leftover, e.g. "its client (pid 4242 on this host) is gone". */
  why: string;
}

/** Whether process `pid` exists on this host. */
export async function findOrphans(api: KubeApi, user: string, now = Date.now(), alive = processAlive): Promise<OrphanedKubeCluster[]> {
  const selector = userSelector(user);
  const [pods, services, secrets] = await Promise.all([api.listPods(selector).then((list) => list.items), api.listServices(selector), api.listSecrets(selector)]);
  const clusters = new Map<string, OrphanedKubeCluster & { secretMeta?: V1ObjectMeta }>();
  const entry = (metadata: V1ObjectMeta | undefined) => {
    const name = metadata?.labels?.[labels.instance] ?? "";
    let cluster = clusters.get(name);
    if (!cluster) {
      cluster = { name, namespace: api.namespace, pods: [], services: [], secrets: [], why: "" };
      clusters.set(name, cluster);
    }
    return cluster;
  };
  for (const pod of pods) entry(pod.metadata).pods.push(pod.metadata?.name ?? "");
  for (const service of services) entry(service.metadata).services.push(service.metadata?.name ?? "");
  for (const secret of secrets) {
    const cluster = entry(secret.metadata);
    cluster.secrets.push(secret.metadata?.name ?? "");
    cluster.secretMeta = secret.metadata;
  }
  const orphans: OrphanedKubeCluster[] = [];
  for (const { secretMeta, ...cluster } of clusters.values()) {
    const why = leftoverReason(secretMeta, now, alive);
    if (why) orphans.push({ ...cluster, why });
  }
  return orphans;
}

function leftoverReason(secret: V1ObjectMeta | undefined, now: number, alive: (pid: number) => boolean): string | null {
  if (!secret) return "its Secret is gone but objects remain";
  const notes = secret.annotations ?? {};
  const pid = Number(notes[annotations.clientPid]);
  const host = notes[annotations.clientHost];
  if (host === hostname() && Number.isInteger(pid) && pid > 0 && !alive(pid)) return `its client (pid ${pid} on this host) is gone`;
  const interval = Number(notes[annotations.heartbeatInterval]);
  const last = Date.parse(notes[annotations.heartbeat] ?? "");
  if (Number.isFinite(interval) && Number.isFinite(last) && now - last > 3 * interval * 1000) {
    return `its client (pid ${pid} on ${host}) sent no heartbeat for ${Math.round((now - last) / 1000)} s`;
  }
  return null;
}

/** Deletes the clusters' objects and waits (up to `timeoutSeconds`) until none is listed; returns the names still there. */
export async function deleteClusters(api: KubeApi, clusters: readonly OrphanedKubeCluster[], timeoutSeconds: number): Promise<string[]> {
  for (const cluster of clusters) {
    await Promise.all([...cluster.pods.map((name) => api.deletePod(name)), ...cluster.services.map((name) => api.deleteService(name))]);
    await Promise.all(cluster.secrets.map((name) => api.deleteSecret(name)));
  }
  return waitUntilNothingLeft(api, clusters.map((cluster) => cluster.name), timeoutSeconds);
}

/** Lists the clusters' objects until there are none or `timeoutSeconds` pass; returns what is left. */
export async function waitUntilNothingLeft(api: KubeApi, clusterNames: readonly string[], timeoutSeconds: number): Promise<string[]> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  while (true) {
    const left: string[] = [];
    for (const name of clusterNames) {
      const selector = clusterSelector(name);
      const [pods, services, secrets] = await Promise.all([api.listPods(selector).then((list) => list.items), api.listServices(selector), api.listSecrets(selector)]);
      left.push(...pods.map((p) => `pod/${p.metadata?.name}`), ...services.map((s) => `service/${s.metadata?.name}`), ...secrets.map((s) => `secret/${s.metadata?.name}`));
    }
    if (left.length === 0 || Date.now() > deadline) return left;
    await sleep(250);
  }
}
