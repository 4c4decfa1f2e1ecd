/**
 * The Kubernetes objects of one cluster, built from the pod template (pure functions):
 *
 *  - a Secret `<cluster>-credential` holding the cluster credential (and the TLS files when
 *    TLS is on). It is created first and owns everything else (ownerReferences), so deleting
 *    it — by close(), by cleanupOrphans(), or by hand with kubectl — lets the garbage
 *    collector remove whatever is left. Its annotations say which client created the cluster
 *    and when it last said it was alive (orphans.ts reads them);
 *  - worker pods `<cluster>-worker-<n>` from the template: the worker gets the scheduler
 *    address in $TESSERA_SCHEDULER_ADDRESS, the credential from the Secret
 *    ($TESSERA_CREDENTIAL through secretKeyRef: never written into the pod spec), its pod
 *    name as worker name and its pod IP as the address it listens on;
 *  - in "remote" mode, a scheduler pod (`tessera scheduler`, credential file mounted from the
 *    Secret) and a Service `<cluster>-scheduler` in front of it (ports 8786 and 8787, as Dask's).
 *
 * Every object carries the cluster's labels (pod-conventions.ts). Tolerations and node
 * affinity follow Dask's clean_pod_template, with tessera's keys: pods tolerate the taint
 * `tessera.dev/dedicated=<worker|scheduler>:NoSchedule` and prefer (or require) nodes
 * labelled `tessera.dev/node-purpose=<worker|scheduler>`.
 */
import type { V1Container, V1EnvVar, V1OwnerReference, V1Pod, V1Secret, V1Service } from "@kubernetes/client-node";
import {
  credentialKey, credentialVariable, dashboardPort, labels, managedByValue, podIpVariable,
  podNameVariable, schedulerAddressVariable, schedulerContainerName, schedulerPort, schedulerPodName, schedulerServiceName,
  secretMountPath, secretName, type PodComponent,
} from "./pod-conventions.js";
import type { PodTemplate } from "./pod-template.js";

export type MatchNodePurpose = "prefer" | "require" | "ignore";

/** Who the cluster is, as its objects say it. */
export interface ClusterIdentity {
  name: string;
  namespace: string;
  user: string;
  /** The Secret that owns the other objects (known once it is created). */
  owner?: { name: string; uid: string };
}

export interface TlsFiles {
  ca: string;
  cert: string;
  key: string;
}

export interface PodOptions {
  /** Extra environment variables for the first container (the cluster's `env` option). */
  env: Record<string, string>;
  matchNodePurpose: MatchNodePurpose;
  /** With TLS: the files go into the Secret and are mounted. */
  tls: boolean;
}

export function clusterLabels(identity: ClusterIdentity, component: PodComponent | "credential"): Record<string, string> {
  return { [labels.managedBy]: managedByValue, [labels.instance]: identity.name, [labels.component]: component, [labels.user]: identity.user };
}

export function ownerReferences(identity: ClusterIdentity): V1OwnerReference[] {
  if (!identity.owner) throw new Error(`cluster ${identity.name}: its Secret must exist before the objects it owns`);
  return [{ apiVersion: "v1", kind: "Secret", name: identity.owner.name, uid: identity.owner.uid, blockOwnerDeletion: false }];
}

export function credentialSecret(identity: ClusterIdentity, credential: string, tls: TlsFiles | null, notes: Record<string, string>): V1Secret {
  const data: Record<string, string> = { [credentialKey]: Buffer.from(credential).toString("base64") };
  if (tls) {
    data["ca.pem"] = Buffer.from(tls.ca).toString("base64");
    data["cert.pem"] = Buffer.from(tls.cert).toString("base64");
    data["key.pem"] = Buffer.from(tls.key).toString("base64");
  }
  return {
    apiVersion: "v1", kind: "Secret", type: "Opaque",
    metadata: { name: secretName(identity.name), namespace: identity.namespace, labels: clusterLabels(identity, "credential"), annotations: notes },
    data,
  };
}

const secretVolumeName = "tessera-secret";

export function tlsFlags(tls: boolean): string[] {
  return tls ? ["--tls-ca-file", `${secretMountPath}/ca.pem`, "--tls-cert", `${secretMountPath}/cert.pem`, "--tls-key", `${secretMountPath}/key.pem`] : [];
}

export function workerPod(template: PodTemplate, identity: ClusterIdentity, podName: string, schedulerAddress: string, options: PodOptions): V1Pod {
  const pod = basePod(template, identity, podName, "worker", options);
  const container = firstContainer(pod);
  container.env = [
    ...clusterEnv(),
    { name: schedulerAddressVariable, value: schedulerAddress },
    { name: credentialVariable, valueFrom: { secretKeyRef: { name: secretName(identity.name), key: credentialKey } } },
    ...(container.env ?? []),
    ...Object.entries(options.env).map(([name, value]) => ({ name, value })),
  ];
  const words = [...(container.command ?? []), ...(container.args ?? [])];
  const bindsItself = words.some((word) => ["--host", "--interface"].includes(word.split("=")[0]));
  container.args = [
    ...(container.args ?? []), "--name", podName,
    ...(bindsItself ? [] : ["--host", `$(${podIpVariable})`]),
    ...tlsFlags(options.tls),
  ];
  if (options.tls) mountSecret(pod, container, identity);
  return pod;
}

export interface SchedulerPodOptions extends PodOptions {
  idleTimeoutSeconds: number | null;
}

/** Dask's remote scheduler: the template's first container runs `tessera scheduler` instead. */
export function schedulerPod(template: PodTemplate, identity: ClusterIdentity, options: SchedulerPodOptions): V1Pod {
  const pod = basePod(template, identity, schedulerPodName(identity.name), "scheduler", options);
  const container = firstContainer(pod);
  container.name = schedulerContainerName;
  container.command = ["tessera", "scheduler"];
  container.args = [
    "--host", `$(${podIpVariable})`, "--port", String(schedulerPort), "--dashboard-address", `$(${podIpVariable}):${dashboardPort}`,
    "--credential-file", `${secretMountPath}/${credentialKey}`,
    ...(options.idleTimeoutSeconds !== null ? ["--idle-timeout", `${options.idleTimeoutSeconds}s`] : []),
    ...tlsFlags(options.tls),
  ];
  container.env = [...clusterEnv(), ...(container.env ?? []), ...Object.entries(options.env).map(([name, value]) => ({ name, value }))];
  container.ports = [
    { name: "tcp-comm", containerPort: schedulerPort, protocol: "TCP" },
    { name: "http-dashboard", containerPort: dashboardPort, protocol: "TCP" },
  ];
  // Ready once its dashboard answers /health (it starts after the scheduler listens): the
  // Service sends nothing to the pod before. Not a tcpSocket probe: the scheduler would log
  // every probe's connection as a refused handshake.
  container.readinessProbe = { httpGet: { path: "/health", port: dashboardPort }, periodSeconds: 2, failureThreshold: 3 };
  mountSecret(pod, container, identity);
  return pod;
}

export type SchedulerServiceType = "ClusterIP" | "LoadBalancer";

export function schedulerService(identity: ClusterIdentity, type: SchedulerServiceType): V1Service {
  return {
    apiVersion: "v1", kind: "Service",
    metadata: {
      name: schedulerServiceName(identity.name), namespace: identity.namespace, labels: clusterLabels(identity, "scheduler"),
      ownerReferences: ownerReferences(identity),
    },
    spec: {
      type,
      selector: { [labels.managedBy]: managedByValue, [labels.instance]: identity.name, [labels.component]: "scheduler" },
      ports: [
        { name: "tcp-comm", port: schedulerPort, targetPort: schedulerPort, protocol: "TCP" },
        { name: "http-dashboard", port: dashboardPort, targetPort: dashboardPort, protocol: "TCP" },
      ],
    },
  };
}

function basePod(template: PodTemplate, identity: ClusterIdentity, name: string, component: PodComponent, options: PodOptions): V1Pod {
  const pod = structuredClone(template.pod) as V1Pod;
  const metadata = pod.metadata ?? {};
  pod.metadata = {
    ...metadata, name, namespace: identity.namespace,
    labels: { ...(metadata.labels ?? {}), ...clusterLabels(identity, component) },
    ownerReferences: ownerReferences(identity),
  };
  const spec = pod.spec!;
  spec.tolerations = [
    ...(spec.tolerations ?? []),
    { key: "tessera.dev/dedicated", operator: "Equal", value: component, effect: "NoSchedule" },
  ];
  if (options.matchNodePurpose !== "ignore") {
    const term = { matchExpressions: [{ key: "tessera.dev/node-purpose", operator: "In", values: [component] }] };
    const affinity = spec.affinity ?? {};
    const nodeAffinity = affinity.nodeAffinity ?? {};
    if (options.matchNodePurpose === "require") {
      const required = nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution ?? { nodeSelectorTerms: [] };
      required.nodeSelectorTerms = [...required.nodeSelectorTerms, term];
      nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = required;
    } else {
      nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution = [
        ...(nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution ?? []), { weight: 100, preference: term },
      ];
    }
    spec.affinity = { ...affinity, nodeAffinity };
  }
  return pod;
}

function firstContainer(pod: V1Pod): V1Container {
  return pod.spec!.containers[0];
}

/** Defined first, so the template's own env and args can refer to them as $(NAME). */
function clusterEnv(): V1EnvVar[] {
  return [
    { name: podIpVariable, valueFrom: { fieldRef: { fieldPath: "status.podIP" } } },
    { name: podNameVariable, valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
  ];
}

function mountSecret(pod: V1Pod, container: V1Container, identity: ClusterIdentity): void {
  const spec = pod.spec!;
  // 0400: the credential file must be readable by its owner only (comm/credential.ts refuses it otherwise).
  spec.volumes = [...(spec.volumes ?? []), { name: secretVolumeName, secret: { secretName: secretName(identity.name), defaultMode: 0o400 } }];
  container.volumeMounts = [...(container.volumeMounts ?? []), { name: secretVolumeName, mountPath: secretMountPath, readOnly: true }];
}
