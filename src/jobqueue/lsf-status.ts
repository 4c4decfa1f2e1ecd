/**
 * Reads `bjobs -a -noheader -o "jobid stat exit_code pend_reason delimiter='|'"`: one
 * "id|STAT|exit code|pending reason" line per job, "-" for an empty field. -a keeps
 * recently finished jobs (DONE, EXIT).
 */
import type { JobState, JobStatus } from "./job-state.js";

const lsfStates: Record<string, JobState> = {
  PEND: "pending", PSUSP: "pending", USUSP: "pending", SSUSP: "pending", WAIT: "pending",
  RUN: "running", PROV: "running",
  DONE: "finished",
  EXIT: "failed",
};

/** bjobs's message for an id it does not know ("Job <123> is not found"). */
export const bjobsUnknownJobs = /is not found/;

export function parseBjobs(stdout: string): JobStatus[] {
  const statuses: JobStatus[] = [];
  for (const line of stdout.split("\n")) {
    const fields = line.trim().split("|");
    if (fields.length < 4 || !/^\d+/.test(fields[0])) continue;
    const [id, rawState, exitCode, ...pendReason] = fields;
    const pending = pendReason.join("|").trim().replace(/;$/, "");
    const state = lsfStates[rawState] ?? "unknown";
    let reason: string | null = pending === "-" || pending === "" ? null : pending;
    if (state === "failed" && exitCode !== "-") reason = `exit code ${exitCode}`;
    if (/SUSP$/.test(rawState)) reason ??= "suspended";
    statuses.push({ id, state, reason, rawState });
  }
  return statuses;
}
