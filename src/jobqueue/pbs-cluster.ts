// PBSCluster: worker jobs submitted with qsub, polled with qstat -x -f, cancelled with qdel.
import type { CommonJobQueueOptions, ClusterLevelOptions } from "./cluster-options.js";
import { JobQueueCluster } from "./job-queue-cluster.js";

export interface PBSClusterOptions extends CommonJobQueueOptions, ClusterLevelOptions {
  /** Queue (`-q`). */
  queue?: string | null;
  /** Account (`-A`; default $PBS_ACCOUNT). */
  account?: string | null;
  /** `-l` resource request replacing `select=1:ncpus=<cores>:mem=<memory>`. */
  resourceSpec?: string | null;
  /** `-l walltime=`: "02:00:00", "2h" (a bare number means seconds). */
  walltime?: string | number | null;
  /** Extra `#PBS` lines. */
  jobExtraDirectives?: string[] | null;
  /** @deprecated renamed account */
  project?: string | null;
}

export class PBSCluster extends JobQueueCluster {
  static start(options: PBSClusterOptions = {}): Promise<PBSCluster> {
    return JobQueueCluster.launch("pbs", options, (init) => new PBSCluster(init));
  }
}
