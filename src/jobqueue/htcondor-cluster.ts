// HTCondorCluster: worker jobs submitted with condor_submit, polled with condor_q, removed with condor_rm.
import type { CommonJobQueueOptions, ClusterLevelOptions } from "./cluster-options.js";
import { JobQueueCluster } from "./job-queue-cluster.js";

export interface HTCondorClusterOptions extends CommonJobQueueOptions, ClusterLevelOptions {
  /** Disk per job (required), e.g. "10GB". */
  disk?: string | number | null;
  /** Extra submit-description attributes, key: value. */
  jobExtraDirectives?: Record<string, string> | null;
  /** Extra condor_submit arguments, e.g. ["-name", "sched1"]. */
  submitCommandExtra?: string[] | null;
  /** Extra condor_rm arguments. */
  cancelCommandExtra?: string[] | null;
}

export class HTCondorCluster extends JobQueueCluster {
  static start(options: HTCondorClusterOptions = {}): Promise<HTCondorCluster> {
    return JobQueueCluster.launch("htcondor", options, (init) => new HTCondorCluster(init));
  }
}
