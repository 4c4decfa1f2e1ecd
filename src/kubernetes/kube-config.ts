/**
 * Which Kubernetes API server, as whom, in which namespace: a kubeconfig read the way
 * `@kubernetes/client-node` (and kubectl) reads it — the file given, else $KUBECONFIG, else
 * ~/.kube/config, else the pod's service account when running inside the cluster — with
 * the mistakes named before any request is made: no configuration at all (the library would
 * quietly fall back to http://localhost:8080), no current context, a context, cluster or
 * user that the file does not define.
 */
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { InvalidOptionError, errorMessage } from "../core/errors.js";

export interface KubeConfigOptions {
  /** A kubeconfig file, or a KubeConfig already loaded (e.g. `loadFromCluster()`); default as kubectl finds it. */
  kubeconfig?: string | KubeConfig;
  /** A context of the kubeconfig instead of its current-context. */
  context?: string;
}

export interface LoadedKubeConfig {
  config: KubeConfig;
  /** Where it came from, for messages: a file path, "the in-cluster service account", … */
  source: string;
  context: string;
  /** The API server's URL. */
  server: string;
  /** The context's namespace, or "default". */
  namespace: string;
}

const serviceAccountToken = "/var/run/secrets/kubernetes.io/serviceaccount/token";

export function loadKubeConfig(options: KubeConfigOptions = {}): LoadedKubeConfig {
  const { config, source } = readConfig(options.kubeconfig);
  if (options.context !== undefined) {
    if (!config.getContextObject(options.context)) {
      throw new InvalidOptionError(`context "${options.context}" is not in ${source}; its contexts: ${contextNames(config)}`);
    }
    config.setCurrentContext(options.context);
  }
  const contextName = config.getCurrentContext();
  if (!contextName) {
    throw new InvalidOptionError(`${source} has no current context (current-context is not set): choose one with ` +
      `\`kubectl config use-context <name>\` or the option context; its contexts: ${contextNames(config)}`);
  }
  const context = config.getContextObject(contextName);
  if (!context) throw new InvalidOptionError(`${source}: current-context "${contextName}" is not among its contexts (${contextNames(config)})`);
  const cluster = config.getCluster(context.cluster);
  if (!cluster) throw new InvalidOptionError(`${source}: context "${contextName}" names cluster "${context.cluster}", which the file does not define`);
  if (context.user && !config.getUser(context.user)) {
    throw new InvalidOptionError(`${source}: context "${contextName}" names user "${context.user}", which the file does not define`);
  }
  return { config, source, context: contextName, server: cluster.server, namespace: context.namespace || "default" };
}

function readConfig(given: string | KubeConfig | undefined): { config: KubeConfig; source: string } {
  if (given instanceof KubeConfig) return { config: given, source: "the KubeConfig given" };
  if (typeof given === "string") return { config: fromFile(given), source: `kubeconfig ${given}` };
  if (given !== undefined) throw new InvalidOptionError(`kubeconfig must be a file path or a KubeConfig, got ${typeof given}`);
  const fromEnvironment = (process.env.KUBECONFIG ?? "").split(delimiter).filter(Boolean);
  if (fromEnvironment.length > 0) {
    for (const file of fromEnvironment) if (!existsSync(file)) throw new InvalidOptionError(`$KUBECONFIG names ${file}, which does not exist`);
    const config = new KubeConfig();
    config.loadFromDefault();
    return { config, source: `kubeconfig ${fromEnvironment.join(delimiter)} (from $KUBECONFIG)` };
  }
  const home = join(homedir(), ".kube", "config");
  if (existsSync(home)) return { config: fromFile(home), source: `kubeconfig ${home}` };
  if (existsSync(serviceAccountToken)) {
    const config = new KubeConfig();
    config.loadFromCluster();
    return { config, source: "the in-cluster service account" };
  }
  throw new InvalidOptionError("no Kubernetes configuration found: $KUBECONFIG is not set, ~/.kube/config does not exist and this is " +
    "not a pod with a service account; pass kubeconfig: \"/path/to/kubeconfig\" or set $KUBECONFIG");
}

function fromFile(path: string): KubeConfig {
  if (!existsSync(path)) throw new InvalidOptionError(`kubeconfig ${path} does not exist`);
  const config = new KubeConfig();
  try {
    config.loadFromFile(path);
  } catch (error) {
    throw new InvalidOptionError(`kubeconfig ${path} cannot be read: ${errorMessage(error)}`, { cause: error });
  }
  return config;
}

function contextNames(config: KubeConfig): string {
  const names = config.getContexts().map((context) => context.name);
  return names.length > 0 ? names.join(", ") : "none";
}
