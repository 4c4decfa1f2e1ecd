// SLURMCluster: worker jobs submitted with sbatch, polled with squeue, cancelled with scancel.
import type { CommonJobQueueOptions, ClusterLevelOptions } from "./cluster-options.js";
import { JobQueueCluster } from "./job-queue-cluster.js";

export interface SLURMClusterOptions extends CommonJobQueueOptions, ClusterLevelOptions {
  /** Partition (`-p`). */
  queue?: string | null;
  /** Account to charge (`-A`). */
  account?: string | null;
  /** Time limit: "02:00:00", "1-00:00:00", "90" (minutes) or "2h". */
  walltime?: string | number | null;
  /** `--cpus-per-task` when it must differ from cores. */
  jobCpu?: number | null;
  /** `--mem` written verbatim instead of the rounded memory. */
  jobMem?: string | null;
  /** Extra `#SBATCH` lines, e.g. ["--constraint=haswell"]. */
  jobExtraDirectives?: string[] | null;
  /** @deprecated renamed account */
  project?: string | null;
}

export class SLURMCluster extends JobQueueCluster {
  static start(options: SLURMClusterOptions = {}): Promise<SLURMCluster> {
    return JobQueueCluster.launch("slurm", options, (init) => new SLURMCluster(init));
  }
}
