/**
 * Reads `squeue --noheader --states=all --format=%i|%T|%r`: one "id|STATE|reason" line per
 * job. Finished jobs stay listed until SLURM's MinJobAge passes (300 s by default).
 */
import type { JobState, JobStatus } from "./job-state.js";

const slurmStates: Record<string, JobState> = {
  PENDING: "pending", CONFIGURING: "pending", REQUEUED: "pending", REQUEUE_HOLD: "pending", REQUEUE_FED: "pending",
  RESV_DEL_HOLD: "pending", SUSPENDED: "pending", STOPPED: "pending",
  RUNNING: "running", COMPLETING: "running", RESIZING: "running", SIGNALING: "running", STAGE_OUT: "running",
  COMPLETED: "finished",
  FAILED: "failed", TIMEOUT: "failed", NODE_FAIL: "failed", OUT_OF_MEMORY: "failed", BOOT_FAIL: "failed",
  DEADLINE: "failed", PREEMPTED: "failed", SPECIAL_EXIT: "failed",
  CANCELLED: "cancelled", REVOKED: "cancelled",
};

/** squeue's answer when none of the requested ids exists any more (exit code 1). */
export const squeueUnknownJobs = /Invalid job id specified/;

export function parseSqueue(stdout: string): JobStatus[] {
  const statuses: JobStatus[] = [];
  for (const line of stdout.split("\n")) {
    const fields = line.trim().split("|");
    if (fields.length < 3 || fields[0] === "") continue;
    const [id, rawState, ...reasonParts] = fields;
    // "CANCELLED by 0" in some versions' %T; the first word is the state.
    const state = rawState.split(/\s+/)[0];
    const reason = reasonParts.join("|").trim();
    statuses.push({
      id,
      state: slurmStates[state] ?? "unknown",
      reason: reason === "" || reason === "None" ? null : reason,
      rawState: state,
    });
  }
  return statuses;
}
