// Public entry point `tessera/kubernetes`: workers in Kubernetes pods (Dask's classic KubeCluster).
import { checkClusterMethods } from "../deploy/cluster.js";
import { KubeCluster } from "./kube-cluster.js";

// Its methods refuse arguments beyond their own, as every cluster's (deploy/cluster.ts).
checkClusterMethods(KubeCluster.prototype);
export { KubeCluster };
export { WorkerStartError, type KubeWorkerInfo } from "./kube-worker-info.js";
export type { PodTemplateInput } from "./kube-cluster-launch.js";
export type { KubeClusterOptions, DeployMode } from "./kube-cluster-options.js";
export { makePodSpec, type MakePodSpecOptions } from "./make-pod-spec.js";
export { KubernetesApiError } from "./kube-api.js";
export { SchedulerPodError } from "./remote-scheduler.js";
export type { OrphanedKubeCluster, OrphanSearchOptions } from "./orphans.js";
export type { MatchNodePurpose, SchedulerServiceType } from "./cluster-objects.js";
export type { JobState } from "../jobqueue/job-state.js";
