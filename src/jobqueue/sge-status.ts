/**
 * Reads Grid Engine's `qstat -u <user>` table:
 *
 *   job-ID  prior   name       user   state submit/start at     queue        slots ja-task-ID
 *   ---------------------------------------------------------------------------------------
 *       101 0.55500 dask-worke alice  r     06/05/2024 10:00:03 all.q@node1      1
 *
 * The state is letters: q/w queued, h held, r running, t transferring, s/S/T suspended,
 * d being deleted, E error. Finished jobs leave the table, so a job missing from it is
 * reported "unknown" (it ended; `qacct` would say how).
 */
import type { JobState, JobStatus } from "./job-state.js";

function sgeState(letters: string): { state: JobState; reason: string | null; stillQueued?: boolean } {
  // An error state never clears by itself; the job stays queued until deleted.
  if (letters.includes("E")) return { state: "failed", reason: "error state; `qstat -j <id>` shows why", stillQueued: true };
  if (letters.includes("d")) return { state: "cancelled", reason: "being deleted" };
  if (/[sST]/.test(letters)) return { state: "pending", reason: "suspended" };
  if (letters.includes("h")) return { state: "pending", reason: "held" };
  if (/[rtR]/.test(letters)) return { state: "running", reason: null };
  if (/[qw]/.test(letters)) return { state: "pending", reason: null };
  return { state: "unknown", reason: null };
}

export function parseSgeQstat(stdout: string): JobStatus[] {
  const statuses: JobStatus[] = [];
  for (const line of stdout.split("\n")) {
    const fields = line.trim().split(/\s+/);
    // Data rows start with a numeric job id; the header and the dashes do not.
    if (fields.length < 5 || !/^\d+$/.test(fields[0])) continue;
    const rawState = fields[4];
    statuses.push({ id: fields[0], ...sgeState(rawState), rawState });
  }
  return statuses;
}
