/**
 * The client and worker ranks wait for the scheduler rank's file, bounded (dask-jobqueue's
 * runner waits forever): a scheduler rank that never starts ends the job with an error
 * naming the path. A file older than this process by more than a minute is left from an
 * earlier run at the same path (the scheduler rank removes it as it starts) and is ignored.
 */
import { sleep } from "../core/clock.js";
import { TimeoutError } from "../core/errors.js";
import { readSchedulerFile, type SchedulerFileContents } from "../comm/scheduler-file.js";

const staleSlackSeconds = 60;

export async function waitForRunnerSchedulerFile(path: string, timeoutSeconds: number): Promise<SchedulerFileContents> {
  const processStarted = Date.now() / 1000 - process.uptime();
  const deadline = Date.now() + timeoutSeconds * 1000;
  while (true) {
    const contents = readSchedulerFile(path);
    if (contents && contents.started >= processStarted - staleSlackSeconds) return contents;
    if (Date.now() > deadline) {
      throw new TimeoutError(
        `the scheduler file ${path} did not appear within ${timeoutSeconds} s; did rank 0 (the scheduler) fail to start ` +
        "(see its output), and is the path on a filesystem every rank shares?",
      );
    }
    await sleep(200);
  }
}
