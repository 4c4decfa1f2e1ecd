// SGECluster (Grid Engine): worker jobs submitted with qsub, polled with qstat -u, cancelled with qdel.
import type { CommonJobQueueOptions, ClusterLevelOptions } from "./cluster-options.js";
import { JobQueueCluster } from "./job-queue-cluster.js";

export interface SGEClusterOptions extends CommonJobQueueOptions, ClusterLevelOptions {
  /** Queue (`-q`). */
  queue?: string | null;
  /** Project (`-P`). */
  project?: string | null;
  /** `-l` resource request replacing `mem_free=<memory>`. */
  resourceSpec?: string | null;
  /** `-l h_rt=`: "02:00:00", "2h" (a bare number means seconds). */
  walltime?: string | number | null;
  /** Extra `#$` lines, e.g. ["-pe smp 24"]. */
  jobExtraDirectives?: string[] | null;
}

export class SGECluster extends JobQueueCluster {
  static start(options: SGEClusterOptions = {}): Promise<SGECluster> {
    return JobQueueCluster.launch("sge", options, (init) => new SGECluster(init));
  }
}
