/**
 * The options of a KubeCluster, checked and defaulted once, before anything is created: an
 * unknown key, a value of the wrong kind, a name that is not a DNS label are refused by name.
 * Defaults are Dask's classic KubeCluster's where it has one (deployMode "remote", Service
 * type ClusterIP, cluster name "tessera-{user}-{uuid}", node purpose "prefer").
 */
import type { KubeConfig } from "@kubernetes/client-node";
import { Security } from "../comm/security.js";
import { InvalidOptionError } from "../core/errors.js";
import { uuid } from "../core/ids.js";
import { parseDuration } from "../core/units.js";
import type { MatchNodePurpose, SchedulerServiceType } from "./cluster-objects.js";
import { currentUser, dnsLabel } from "./pod-conventions.js";

export type DeployMode = "local" | "remote";

export interface KubeClusterOptions {
  /** Cluster name, prefix of its pods' names: "{user}" and "{uuid}" are filled in (default "tessera-{user}-{uuid}"). */
  name?: string;
  /** Namespace of every object (default: the kubeconfig context's, else "default"). */
  namespace?: string;
  /** A kubeconfig file or a loaded KubeConfig (default: $KUBECONFIG, ~/.kube/config, the in-cluster service account). */
  kubeconfig?: string | KubeConfig;
  /** A kubeconfig context other than its current one. */
  context?: string;
  /** Worker pods started at once (default 0). */
  nWorkers?: number;
  /** Where the scheduler runs: "remote" (a pod and a Service, default, as Dask) or "local" (this process). */
  deployMode?: DeployMode;
  /** Environment variables added to the pods' first container. */
  env?: Record<string, string>;
  /** Local mode: the scheduler binds this address (default: this host's main address; pods must reach it). */
  host?: string;
  /** Local mode: the scheduler's port (default 0: any free one). */
  port?: number;
  /** Local mode: bind the scheduler to this network interface's address. */
  interface?: string;
  /** Local mode: the dashboard's address (":8787" default, false for none); its Jobs page lists the pods. */
  dashboardAddress?: string | false;
  /** The scheduler closes (and the cluster with it) after this long without work. */
  idleTimeout?: string | number | null;
  /** TLS between scheduler, workers and clients: true for temporary certificates, or your own. */
  security?: Security | boolean;
  /** Remote mode: the scheduler pod's template (a YAML path or an object); default the worker template. */
  schedulerPodTemplate?: string | object;
  /** Remote mode: "ClusterIP" (default; this process runs in the cluster) or "LoadBalancer". */
  schedulerServiceType?: SchedulerServiceType;
  /** Remote mode: how long to wait for the scheduler pod and its Service (default "120s"). */
  schedulerServiceWaitTimeout?: string | number;
  /** Dask's match_node_purpose: "prefer" (default), "require" or "ignore". */
  matchNodePurpose?: MatchNodePurpose;
  /** Worker pods that may end in a row before their worker connected before the cluster stops replacing them (default 3). */
  maxFailedStarts?: number;
  /** scale(n) never asks for more than this many workers (Dask's kubernetes.count.max). */
  maximumWorkers?: number;
  /** Bound on waiting for workers to hand over their results when scaling down or closing (default "30s"). */
  retireTimeout?: string | number;
  /** Bound on waiting for the API server to report the pods gone after deleting them (default "60s"). */
  closeTimeout?: string | number;
  /** How often the cluster tells the API server it is alive, so a later session can tell leftovers (default "30s"). */
  heartbeatInterval?: string | number;
  /** Delete leftovers of this user's crashed sessions in the namespace at start (default false: warn about them). */
  cleanupOrphans?: boolean;
}

export interface ResolvedKubeOptions {
  name: string;
  namespace: string | null;
  nWorkers: number;
  deployMode: DeployMode;
  env: Record<string, string>;
  host: string | null;
  port: number;
  interface: string | null;
  dashboardAddress: string | false;
  idleTimeoutSeconds: number | null;
  security: Security | undefined;
  schedulerPodTemplate: string | object | null;
  schedulerServiceType: SchedulerServiceType;
  schedulerServiceWaitSeconds: number;
  matchNodePurpose: MatchNodePurpose;
  maxFailedStarts: number;
  maximumWorkers: number;
  retireTimeoutSeconds: number;
  closeTimeoutSeconds: number;
  heartbeatIntervalSeconds: number;
  cleanupOrphans: boolean;
  user: string;
}

const optionNames: ReadonlySet<string> = new Set([
  "name", "namespace", "kubeconfig", "context", "nWorkers", "deployMode", "env", "host", "port", "interface", "dashboardAddress",
  "idleTimeout", "security", "schedulerPodTemplate", "schedulerServiceType", "schedulerServiceWaitTimeout", "matchNodePurpose",
  "maxFailedStarts", "maximumWorkers", "retireTimeout", "closeTimeout", "heartbeatInterval", "cleanupOrphans",
]);

/** Longest cluster name: pods are named <cluster>-worker-<n>, the Secret <cluster>-credential. */
const maxNameLength = 40;

function oneOf<T extends string>(value: unknown, allowed: readonly T[], what: string, fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== "string" || !allowed.includes(value as T)) throw new InvalidOptionError(`${what} must be one of ${allowed.map((a) => `"${a}"`).join(", ")}, got ${JSON.stringify(value)}`);
  return value as T;
}

function count(value: unknown, what: string, fallback: number, minimum = 0): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < minimum) throw new InvalidOptionError(`${what} must be an integer ≥ ${minimum}, got ${JSON.stringify(value)}`);
  return value;
}

function text(value: unknown, what: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string" || value.trim() === "") throw new InvalidOptionError(`${what} must be a non-empty string, got ${JSON.stringify(value)}`);
  return value;
}

export function resolveKubeOptions(options: KubeClusterOptions): ResolvedKubeOptions {
  for (const key of Object.keys(options)) {
    if (!optionNames.has(key)) throw new InvalidOptionError(`KubeCluster: unknown option "${key}"; known: ${[...optionNames].join(", ")}`);
  }
  const user = currentUser();
  const name = clusterName(options.name ?? "tessera-{user}-{uuid}", user);
  const namespace = text(options.namespace, "namespace");
  if (namespace !== null && dnsLabel(namespace) !== namespace) throw new InvalidOptionError(`namespace "${namespace}" is not a valid Kubernetes namespace name (lowercase letters, digits and '-')`);
  const env = options.env ?? {};
  if (typeof env !== "object" || Array.isArray(env)) throw new InvalidOptionError("env must be a mapping of variable names to strings");
  for (const [key, value] of Object.entries(env)) {
    if (typeof value !== "string") throw new InvalidOptionError(`env.${key} must be a string, got ${JSON.stringify(value)}`);
  }
  const security = options.security === true ? Security.temporary() : options.security === false || options.security === undefined ? undefined : options.security;
  if (security !== undefined && !(security instanceof Security)) throw new InvalidOptionError("security must be true, false or a Security");
  const dashboardAddress = options.dashboardAddress === false ? false : text(options.dashboardAddress, "dashboardAddress") ?? ":8787";
  const idle = options.idleTimeout;
  return {
    name, namespace, user, env, security, dashboardAddress,
    nWorkers: count(options.nWorkers, "nWorkers", 0),
    deployMode: oneOf(options.deployMode, ["local", "remote"] as const, "deployMode", "remote"),
    host: text(options.host, "host"),
    port: count(options.port, "port", 0),
    interface: text(options.interface, "interface"),
    idleTimeoutSeconds: idle === undefined || idle === null ? null : parseDuration(idle, "idleTimeout"),
    schedulerPodTemplate: options.schedulerPodTemplate ?? null,
    schedulerServiceType: oneOf(options.schedulerServiceType, ["ClusterIP", "LoadBalancer"] as const, "schedulerServiceType", "ClusterIP"),
    schedulerServiceWaitSeconds: parseDuration(options.schedulerServiceWaitTimeout ?? "120s", "schedulerServiceWaitTimeout"),
    matchNodePurpose: oneOf(options.matchNodePurpose, ["prefer", "require", "ignore"] as const, "matchNodePurpose", "prefer"),
    maxFailedStarts: count(options.maxFailedStarts, "maxFailedStarts", 3, 1),
    maximumWorkers: count(options.maximumWorkers, "maximumWorkers", Number.MAX_SAFE_INTEGER),
    retireTimeoutSeconds: parseDuration(options.retireTimeout ?? "30s", "retireTimeout"),
    closeTimeoutSeconds: parseDuration(options.closeTimeout ?? "60s", "closeTimeout"),
    heartbeatIntervalSeconds: parseDuration(options.heartbeatInterval ?? "30s", "heartbeatInterval"),
    cleanupOrphans: options.cleanupOrphans ?? false,
  };
}

function clusterName(template: string, user: string): string {
  if (typeof template !== "string") throw new InvalidOptionError(`name must be a string, got ${JSON.stringify(template)}`);
  const filled = template.replace(/\{user\}/g, user).replace(/\{uuid\}/g, uuid().replace(/-/g, "").slice(0, 10));
  if (/[{}]/.test(filled)) throw new InvalidOptionError(`name "${template}": only {user} and {uuid} can be filled in`);
  if (dnsLabel(filled, maxNameLength) !== filled) {
    throw new InvalidOptionError(`name "${filled}" cannot name Kubernetes objects: use at most ${maxNameLength} lowercase letters, digits and '-', starting and ending with a letter or digit`);
  }
  return filled;
}
