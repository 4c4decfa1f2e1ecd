// Public entry point `tessera/jobqueue`: worker jobs on batch systems, and runners inside one.
export { JobQueueCluster, type JobQueueAdaptOptions } from "./job-queue-cluster.js";
export { SLURMCluster, type SLURMClusterOptions } from "./slurm-cluster.js";
export { PBSCluster, type PBSClusterOptions } from "./pbs-cluster.js";
export { SGECluster, type SGEClusterOptions } from "./sge-cluster.js";
export { LSFCluster, type LSFClusterOptions } from "./lsf-cluster.js";
export { HTCondorCluster, type HTCondorClusterOptions } from "./htcondor-cluster.js";
export type { ClusterLevelOptions, CommonJobQueueOptions, JobQueueClusterOptions, SchedulerOptionsInput } from "./cluster-options.js";
export type { JobInfo } from "./job-tracking.js";
export type { JobState, JobStatus } from "./job-state.js";
export type { ScaleRequest } from "./scaling.js";
export { cancelOrphanedJobs, type OrphanedCluster, type CancelOrphanedOptions } from "./state-file.js";
export { renderJobScript, type JobScriptContext } from "./job-script.js";
export { submitJob, cancelJobs, parseJobId } from "./submit.js";
export { pollJobs } from "./job-status.js";
export { BatchCommandError, execFileRunner, type CommandRunner, type CommandResult } from "./command-runner.js";
export { SLURMRunner, MPIRunner, Runner, type RunnerOptions } from "../runner/index.js";
