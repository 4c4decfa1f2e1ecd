// The polling tests' one wait: for the cluster's own poll timer (never refreshJobs(), which
// polls on demand) to report a job ended. The deadline is derived from the configured poll
// interval: once the batch system knows the job ended (`known` resolves), the next timed poll
// must see it within two intervals (one may have just started) plus the time one status
// command takes on a busy machine. So a poller that stopped, or an interval 1000 times longer
// than configured, fails the test, and a slow machine does not.
import type { JobInfo, JobQueueCluster } from "../../src/jobqueue/index.js";

/**
 * Time for the status commands of one poll on a loaded test machine (not a speed claim):
 * generous, since a 2-core machine at load 20 may take seconds per command, and still far
 * below the 1000-fold interval this wait must catch (200 s at the shortest, 0.2 s, interval).
 */
export const statusCommandSlackSeconds = 30;

export function waitForPolledEnd(
  cluster: JobQueueCluster,
  options: { pollIntervalSeconds: number; known: Promise<unknown>; what: string; id?: () => string | undefined },
): Promise<JobInfo> {
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const unsubscribe = cluster.onJobEnded((job) => {
      const id = options.id?.();
      if (id !== undefined && job.id !== id) return;
      unsubscribe();
      clearTimeout(timer);
      resolve(job);
    });
    options.known.then(() => {
      const seconds = 2 * options.pollIntervalSeconds + statusCommandSlackSeconds;
      timer = setTimeout(() => {
        unsubscribe();
        reject(new Error(`${options.what}: the batch system knew the job ended, yet the cluster's poll (every ` +
          `${options.pollIntervalSeconds} s) did not report it within ${seconds} s; jobs: ${JSON.stringify(cluster.jobs)}`));
      }, seconds * 1000);
    }, (error: unknown) => {
      unsubscribe();
      reject(error as Error);
    });
  });
}
