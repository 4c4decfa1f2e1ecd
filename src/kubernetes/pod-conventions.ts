/**
 * The names a KubeCluster puts on what it creates, in one place: labels (how its objects are
 * found again, also after a crash), annotations (who created them, and whether that client
 * is still alive), environment variables and paths inside the pods.
 *
 * Labels follow Kubernetes' recommended app.kubernetes.io keys; label values are limited to
 * 63 characters of [a-z0-9A-Z._-], names of pods and services to DNS labels.
 */
import { userInfo } from "node:os";

export const labels = {
  managedBy: "app.kubernetes.io/managed-by",
  /** The cluster name. */
  instance: "app.kubernetes.io/instance",
  /** "worker", "scheduler" or "credential". */
  component: "app.kubernetes.io/component",
  /** The user who started the cluster (escaped). */
  user: "tessera.dev/user",
} as const;

export const managedByValue = "tessera";

export const annotations = {
  clientHost: "tessera.dev/client-host",
  clientPid: "tessera.dev/client-pid",
  /** ISO time the client last said it is alive (renewed every heartbeat interval). */
  heartbeat: "tessera.dev/heartbeat",
  heartbeatInterval: "tessera.dev/heartbeat-interval-seconds",
  deployMode: "tessera.dev/deploy-mode",
} as const;

export type PodComponent = "worker" | "scheduler";

/** Environment variables the cluster sets in its pods. */
export const schedulerAddressVariable = "TESSERA_SCHEDULER_ADDRESS";
export const credentialVariable = "TESSERA_CREDENTIAL";
export const podIpVariable = "TESSERA_POD_IP";
export const podNameVariable = "TESSERA_POD_NAME";

export const workerContainerName = "tessera-worker";
export const schedulerContainerName = "tessera-scheduler";

/** Where the cluster's Secret is mounted in the pods (credential file, TLS files). */
export const secretMountPath = "/var/run/tessera";
export const credentialKey = "credential";

export const schedulerPort = 8786;
export const dashboardPort = 8787;

/** Label selector of one cluster's objects. */
export function clusterSelector(clusterName: string): string {
  return `${labels.managedBy}=${managedByValue},${labels.instance}=${clusterName}`;
}

/** Label selector of every tessera object of a user (for leftovers of earlier sessions). */
export function userSelector(user: string): string {
  return `${labels.managedBy}=${managedByValue},${labels.user}=${user}`;
}

/** A DNS-1123 label: lowercase letters, digits and '-', starting and ending alphanumeric. */
export function dnsLabel(text: string, maxLength = 63): string {
  const cleaned = text.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+/, "").slice(0, maxLength).replace(/-+$/, "");
  return cleaned || "x";
}

export function currentUser(): string {
  try {
    return dnsLabel(userInfo().username, 40);
  } catch {
    return dnsLabel(process.env.USER ?? "user", 40);
  }
}

export const secretName = (cluster: string) => `${cluster}-credential`;
export const schedulerPodName = (cluster: string) => `${cluster}-scheduler`;
export const schedulerServiceName = (cluster: string) => `${cluster}-scheduler`;
export const workerPodName = (cluster: string, index: number) => `${cluster}-worker-${index}`;
