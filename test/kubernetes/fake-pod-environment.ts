/**
 * What the FAKE kubelet (fake-kubelet.ts) prepares before it starts a container: its
 * environment and its secret volumes, resolved as a kubelet resolves them —
 *  - `env` in order: `value` (with `$(NAME)` of earlier variables expanded, `$$(` kept as a
 *    literal `$(`), `valueFrom.secretKeyRef` (a missing Secret or key is the kubelet's
 *    CreateContainerConfigError), `valueFrom.fieldRef` (metadata.name, metadata.namespace,
 *    metadata.uid, status.podIP, spec.nodeName, status.hostIP);
 *  - the service variables of the namespace's Services (`<NAME>_SERVICE_HOST`, `_PORT`) and
 *    KUBERNETES_SERVICE_HOST/PORT for the API server;
 *  - secret volumes: each key a file, mode `defaultMode` (or the item's mode).
 * There is no container filesystem: a volume mounted at /var/run/x is written to a directory
 * of the pod, and the mount path is rewritten to that directory in the command, args and
 * environment values. That is the one place the fake differs from a kubelet visibly.
 */
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { KubeObject } from "./fake-kube-store.js";

export interface ContainerSpec {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: Array<{ name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean }; fieldRef?: { fieldPath: string } } }>;
  resources?: { limits?: Record<string, string>; requests?: Record<string, string> };
  volumeMounts?: Array<{ name: string; mountPath: string; readOnly?: boolean }>;
  readinessProbe?: { tcpSocket?: { port: number | string }; httpGet?: { path?: string; port: number | string }; periodSeconds?: number; failureThreshold?: number };
  workingDir?: string;
}

export interface PodSpec {
  containers: ContainerSpec[];
  restartPolicy?: "Always" | "OnFailure" | "Never";
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  volumes?: Array<{ name: string; secret?: { secretName: string; defaultMode?: number; items?: Array<{ key: string; path: string; mode?: number }> } }>;
  terminationGracePeriodSeconds?: number;
}

/** A reason the kubelet cannot create the container (CreateContainerConfigError). */
export class ContainerConfigError extends Error {}

export interface PodContext {
  pod: KubeObject;
  podIP: string;
  hostIP: string;
  /** Secrets of the pod's namespace. */
  secret(name: string): KubeObject | undefined;
  services: KubeObject[];
  apiServer: { host: string; port: number };
  imageEnv: Record<string, string>;
  imagePath: string[];
}

/** `$(NAME)` → value of NAME when defined; `$$(NAME)` → `$(NAME)`; unknown names are left as written. */
export function expandReferences(text: string, env: Record<string, string>): string {
  return text.replace(/\$\$\(|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, name?: string) => {
    if (name === undefined) return "$(";
    return env[name] ?? whole;
  });
}

function secretValue(context: PodContext, name: string, keyName: string): string {
  const secret = context.secret(name);
  if (!secret) throw new ContainerConfigError(`secret "${name}" not found`);
  const data = (secret.data ?? {}) as Record<string, string>;
  if (!(keyName in data)) throw new ContainerConfigError(`couldn't find key ${keyName} in Secret ${secret.metadata.namespace}/${name}`);
  return Buffer.from(data[keyName], "base64").toString("utf8");
}

function fieldValue(context: PodContext, path: string): string {
  const { metadata } = context.pod;
  switch (path) {
    case "metadata.name": return metadata.name;
    case "metadata.namespace": return metadata.namespace;
    case "metadata.uid": return metadata.uid;
    case "status.podIP": return context.podIP;
    case "status.hostIP": return context.hostIP;
    case "spec.nodeName": return String((context.pod.spec as PodSpec).nodeName ?? "");
    default: throw new ContainerConfigError(`the fake kubelet does not support fieldRef ${path}`);
  }
}

/** The container's environment, in the kubelet's order of precedence. */
export function containerEnvironment(container: ContainerSpec, context: PodContext): Record<string, string> {
  const env: Record<string, string> = {
    PATH: [...context.imagePath, "/usr/local/bin", "/usr/bin", "/bin"].join(":"),
    HOSTNAME: context.pod.metadata.name,
    HOME: process.env.HOME ?? "/",
    ...context.imageEnv,
    KUBERNETES_SERVICE_HOST: context.apiServer.host,
    KUBERNETES_SERVICE_PORT: String(context.apiServer.port),
  };
  for (const service of context.services) {
    const spec = service.spec as { clusterIP?: string; ports?: Array<{ port: number }> };
    if (!spec.clusterIP || spec.clusterIP === "None") continue;
    const prefix = service.metadata.name.toUpperCase().replace(/-/g, "_");
    env[`${prefix}_SERVICE_HOST`] = spec.clusterIP;
    if (spec.ports?.[0]) env[`${prefix}_SERVICE_PORT`] = String(spec.ports[0].port);
  }
  for (const variable of container.env ?? []) {
    if (variable.value !== undefined) env[variable.name] = expandReferences(variable.value, env);
    else if (variable.valueFrom?.secretKeyRef) {
      const ref = variable.valueFrom.secretKeyRef;
      try {
        env[variable.name] = secretValue(context, ref.name, ref.key);
      } catch (error) {
        if (!ref.optional) throw error;
      }
    } else if (variable.valueFrom?.fieldRef) env[variable.name] = fieldValue(context, variable.valueFrom.fieldRef.fieldPath);
    else env[variable.name] = "";
  }
  return env;
}

/** Writes the secret volumes under `podDirectory`; returns mount path → directory. */
export function mountVolumes(container: ContainerSpec, spec: PodSpec, context: PodContext, podDirectory: string): Map<string, string> {
  const mounts = new Map<string, string>();
  for (const mount of container.volumeMounts ?? []) {
    const volume = (spec.volumes ?? []).find((v) => v.name === mount.name);
    if (!volume) throw new ContainerConfigError(`volume "${mount.name}" is mounted but not defined`);
    if (!volume.secret) throw new ContainerConfigError(`the fake kubelet mounts secret volumes only (volume "${mount.name}")`);
    const directory = join(podDirectory, "volumes", volume.name);
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    const secret = context.secret(volume.secret.secretName);
    if (!secret) throw new ContainerConfigError(`secret "${volume.secret.secretName}" not found`);
    const data = (secret.data ?? {}) as Record<string, string>;
    const items = volume.secret.items ?? Object.keys(data).map((key) => ({ key, path: key, mode: undefined as number | undefined }));
    for (const item of items) {
      if (!(item.key in data)) throw new ContainerConfigError(`couldn't find key ${item.key} in Secret ${secret.metadata.namespace}/${secret.metadata.name}`);
      const file = join(directory, item.path);
      writeFileSync(file, Buffer.from(data[item.key], "base64"));
      chmodSync(file, item.mode ?? volume.secret.defaultMode ?? 0o644);
    }
    mounts.set(mount.mountPath.replace(/\/+$/, ""), directory);
  }
  return mounts;
}

/** The mount paths rewritten to their directories (the fake has no container filesystem). */
export function rewriteMountPaths(text: string, mounts: Map<string, string>): string {
  let result = text;
  for (const [mountPath, directory] of mounts) result = result.split(mountPath).join(directory);
  return result;
}

export interface PreparedContainer {
  /** The command line: command (or the image's entrypoint) and args (or its cmd), references expanded. */
  words: string[];
  env: Record<string, string>;
  cwd: string;
}

/** Volumes written, environment resolved, command line expanded; a ContainerConfigError when the kubelet could not. */
export function prepareContainer(container: ContainerSpec, context: PodContext, image: { entrypoint?: string[]; cmd?: string[] }, podDirectory: string): PreparedContainer {
  const mounts = mountVolumes(container, context.pod.spec as PodSpec, context, podDirectory);
  const env = containerEnvironment(container, context);
  for (const [name, value] of Object.entries(env)) env[name] = rewriteMountPaths(value, mounts);
  const words = [...(container.command ?? image.entrypoint ?? []), ...(container.args ?? (container.command ? [] : image.cmd ?? []))]
    .map((word) => rewriteMountPaths(expandReferences(word, env), mounts));
  return { words, env, cwd: container.workingDir ? rewriteMountPaths(container.workingDir, mounts) : podDirectory };
}
