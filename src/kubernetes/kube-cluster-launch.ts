/**
 * Starting a KubeCluster, in the order that makes bad input fail before anything exists:
 * options, the pod template(s), the kubeconfig, then the first API call (looking for
 * leftovers of earlier sessions: a 403 or an unreachable server fails here, with nothing
 * created). Then the Secret that owns everything else, the pod watch, the scheduler (in this
 * process, or its pod and Service) and the dashboard. A failure after the Secret exists
 * closes the cluster, which deletes whatever was created; the error is rethrown.
 */
import { hostname } from "node:os";
import type { V1Pod } from "@kubernetes/client-node";
import { formatAddress } from "../comm/address.js";
import { newCredential } from "../comm/credential.js";
import { interfaceAddress, isWildcardHost, primaryHostAddress } from "../comm/network-interface.js";
import { InvalidOptionError } from "../core/errors.js";
import { createLogger } from "../core/log.js";
import { attachDashboard } from "../deploy/dashboard-hook.js";
import type { JobInfo } from "../dashboard/server/jobs.js";
import { SchedulerServer } from "../scheduler/server/scheduler-server.js";
import { credentialSecret, type ClusterIdentity } from "./cluster-objects.js";
import { KubeApi } from "./kube-api.js";
import { resolveKubeOptions, type KubeClusterOptions, type ResolvedKubeOptions } from "./kube-cluster-options.js";
import { loadKubeConfig } from "./kube-config.js";
import { deleteClusters, findOrphans } from "./orphans.js";
import { annotations, clusterSelector, labels } from "./pod-conventions.js";
import { checkPodTemplate, readPodTemplateFile, type PodTemplate, type TemplateRole } from "./pod-template.js";
import { PodWatch } from "./pod-watch.js";
import { RemoteScheduler } from "./remote-scheduler.js";
import { LocalScheduler, type SchedulerSide } from "./scheduler-side.js";

/** A pod template as the user gives it: a YAML file path, or a Pod / PodSpec object (e.g. from makePodSpec). */
export type PodTemplateInput = string | object;

/** Everything a KubeCluster is made of. */
export interface KubeClusterParts {
  options: ResolvedKubeOptions;
  api: KubeApi;
  identity: ClusterIdentity;
  template: PodTemplate;
}

/** What launching needs of the cluster object. */
export interface LaunchTarget {
  side: SchedulerSide | null;
  watch: PodWatch | null;
  dashboardUrl: string | undefined;
  /** A worker pod event from the watch. */
  observeWorkerPod(kind: "add" | "update" | "delete", pod: V1Pod): void;
  /** The pods for the dashboard's Jobs page. */
  jobsForDashboard(): JobInfo[];
  begin(): void;
  scale(n: number): Promise<void>;
  close(): Promise<void>;
}

export async function readTemplate(input: PodTemplateInput, what: string, role: TemplateRole = "worker"): Promise<PodTemplate> {
  if (typeof input === "string") return readPodTemplateFile(input, role);
  return checkPodTemplate(input, what, role);
}

export async function launchKubeCluster<C extends LaunchTarget>(
  podTemplate: PodTemplateInput,
  userOptions: KubeClusterOptions,
  create: (parts: KubeClusterParts) => C,
): Promise<C> {
  const logger = createLogger("kubernetes");
  const options = resolveKubeOptions(userOptions);
  const template = await readTemplate(podTemplate, "the worker pod spec");
  const schedulerTemplate = options.schedulerPodTemplate === null ? template : await readTemplate(options.schedulerPodTemplate, "schedulerPodTemplate", "scheduler");
  const kube = loadKubeConfig({ kubeconfig: userOptions.kubeconfig, context: userOptions.context });
  const namespace = chooseNamespace(options.namespace, template, kube.namespace);
  const schedulerHost = options.deployMode === "local" ? localSchedulerHost(options) : "";
  const api = new KubeApi(kube, namespace);

  const orphans = await findOrphans(api, options.user);
  if (orphans.length > 0) {
    const listing = orphans.map((o) => `${o.name} (${o.pods.length} pods, ${o.services.length} services; ${o.why})`).join("; ");
    if (options.cleanupOrphans) {
      logger.info(`deleting leftovers of earlier sessions in namespace "${namespace}": ${listing}`);
      await deleteClusters(api, orphans, options.closeTimeoutSeconds);
    } else {
      logger.warn(`found leftovers of ${orphans.length} earlier session(s) that ended without close() in namespace "${namespace}": ${listing}. ` +
        `Delete them with KubeCluster.cleanupOrphans({ namespace: "${namespace}" }) or start with cleanupOrphans: true`);
    }
  }

  const identity: ClusterIdentity = { name: options.name, namespace, user: options.user };
  const credential = newCredential();
  const security = options.security;
  const tls = security?.hasTls ? { ca: security.ca ?? "", cert: security.cert ?? "", key: security.key ?? "" } : null;
  const secret = await api.createSecret(credentialSecret(identity, credential, tls, {
    [annotations.clientHost]: hostname(), [annotations.clientPid]: String(process.pid), [annotations.deployMode]: options.deployMode,
    [annotations.heartbeat]: new Date().toISOString(), [annotations.heartbeatInterval]: String(options.heartbeatIntervalSeconds),
  }));
  identity.owner = { name: secret.metadata?.name ?? "", uid: secret.metadata?.uid ?? "" };
  const cluster = create({ options, api, identity, template });
  try {
    let remote: RemoteScheduler | null = null;
    cluster.watch = await PodWatch.start(api, clusterSelector(identity.name), (kind, pod) => {
      if (pod.metadata?.labels?.[labels.component] === "scheduler") remote?.observe(kind, pod);
      else cluster.observeWorkerPod(kind, pod);
    }, logger);
    if (options.deployMode === "local") {
      const server = await SchedulerServer.start({
        address: formatAddress({ scheme: security?.hasTls ? "tls" : "tcp", host: schedulerHost, port: options.port }),
        credential, security, settings: { idleTimeout: options.idleTimeoutSeconds },
      });
      cluster.side = new LocalScheduler(server);
      if (options.dashboardAddress !== false) {
        cluster.dashboardUrl = await attachDashboard(server, options.dashboardAddress, schedulerHost, { jobs: () => cluster.jobsForDashboard() });
      }
    } else {
      remote = new RemoteScheduler({
        api, identity, template: schedulerTemplate, serviceType: options.schedulerServiceType, waitSeconds: options.schedulerServiceWaitSeconds,
        credential, security, logger,
        podOptions: { env: options.env, matchNodePurpose: options.matchNodePurpose, tls: tls !== null, idleTimeoutSeconds: options.idleTimeoutSeconds },
      });
      cluster.side = remote;
      await remote.start();
      cluster.dashboardUrl = remote.dashboardLink;
    }
    cluster.begin();
    if (options.nWorkers > 0) await cluster.scale(options.nWorkers);
    return cluster;
  } catch (error) {
    await cluster.close();
    throw error;
  }
}

function chooseNamespace(fromOptions: string | null, template: PodTemplate, fromContext: string): string {
  const inTemplate = template.pod.metadata?.namespace;
  if (fromOptions !== null && inTemplate !== undefined && inTemplate !== fromOptions) {
    throw new InvalidOptionError(`${template.source}: metadata.namespace is "${inTemplate}" but the option namespace is "${fromOptions}"; keep one`);
  }
  return fromOptions ?? inTemplate ?? fromContext;
}

/** Local mode: the address pods reach this process's scheduler at. */
function localSchedulerHost(options: ResolvedKubeOptions): string {
  if (options.interface) return interfaceAddress(options.interface);
  if (options.host && isWildcardHost(options.host)) {
    throw new InvalidOptionError(`host "${options.host}" cannot be handed to worker pods as the scheduler's address; give this host's address that the pods reach`);
  }
  return options.host ?? primaryHostAddress();
}
