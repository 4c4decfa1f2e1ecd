// LSFCluster: worker jobs submitted with bsub (script on stdin), polled with bjobs, cancelled with bkill.
import type { CommonJobQueueOptions, ClusterLevelOptions } from "./cluster-options.js";
import { JobQueueCluster } from "./job-queue-cluster.js";

export interface LSFClusterOptions extends CommonJobQueueOptions, ClusterLevelOptions {
  /** Queue (`-q`). */
  queue?: string | null;
  /** Project (`-P`). */
  project?: string | null;
  /** `-W` hours:minutes: "02:00", "2h" (a bare number means minutes). */
  walltime?: string | number | null;
  /** `-n` when it must differ from cores. */
  ncpus?: number | null;
  /** `-M` memory when it must differ from memory. */
  mem?: string | number | null;
  /** Unit of `-M` (kb, mb, gb…); default LSF_UNIT_FOR_LIMITS from lsf.conf, else kb. */
  lsfUnits?: string | null;
  /** Submit as `bsub < script` (default) rather than `bsub script`. */
  useStdin?: boolean;
  /** Extra `#BSUB` lines. */
  jobExtraDirectives?: string[] | null;
}

export class LSFCluster extends JobQueueCluster {
  static start(options: LSFClusterOptions = {}): Promise<LSFCluster> {
    return JobQueueCluster.launch("lsf", options, (init) => new LSFCluster(init));
  }
}
