/**
 * What the Jobs page shows for clusters whose workers run as batch jobs. The job-queue
 * cluster hands the dashboard a provider; the dashboard never imports the job queue.
 */

export interface JobInfo {
  /** The batch system's job id. */
  id: string;
  /** pending, running, finished, failed, … as the cluster tracks it. */
  state: string;
  /** The batch system's reason for the state (e.g. "Priority", "NodeFail"), if any. */
  reason?: string;
  /** Names of the workers the job runs, or how many it runs. */
  workers: string[] | number;
}

export type JobsProvider = () => JobInfo[] | Promise<JobInfo[]>;
