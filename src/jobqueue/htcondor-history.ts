/**
 * How an HTCondor job ended: a completed or removed job leaves `condor_q` (unless the pool
 * keeps it with leave_in_queue), and its last ClassAd goes to the history file, which
 * `condor_history <ids> -af:j JobStatus ExitCode HoldReason` reads in the same columns as
 * condor_q's. So ids condor_q no longer lists are looked up there, in one command.
 */
import type { CommandRunner } from "./command-runner.js";
import { parseCondorQ } from "./htcondor-status.js";
import type { JobStatus } from "./job-state.js";

export async function completeCondorStatuses(statuses: JobStatus[], runner: CommandRunner, signal?: AbortSignal): Promise<JobStatus[]> {
  const missing = statuses.filter((status) => status.state === "unknown").map((status) => status.id);
  if (missing.length === 0) return statuses;
  // -limit bounds the scan of a long history file to the records asked for.
  const result = await runner("condor_history", [...missing, "-limit", String(missing.length), "-af:j", "JobStatus", "ExitCode", "HoldReason"], { signal });
  if (result.exitCode !== 0) return statuses;
  const ended = new Map(parseCondorQ(result.stdout).map((status) => [status.id, status]));
  return statuses.map((status) => (status.state === "unknown" ? ended.get(status.id) ?? status : status));
}
