/**
 * Reads PBS Pro / OpenPBS `qstat -x -f <ids>`: a block per job opening with "Job Id: <id>",
 * then indented "key = value" lines; a long value continues on lines starting with a tab.
 * With -x, finished jobs stay (state F) with their Exit_status.
 */
import type { JobState, JobStatus } from "./job-state.js";

const pbsStates: Record<string, JobState> = {
  Q: "pending", H: "pending", W: "pending", T: "pending", S: "pending", U: "pending", M: "pending",
  R: "running", E: "running", B: "running",
};

/** qstat's message for an id it does not know (it still prints the others). */
export const qstatUnknownJobs = /Unknown Job Id/i;

export function parseQstatFull(stdout: string): JobStatus[] {
  const statuses: JobStatus[] = [];
  for (const block of stdout.split(/^(?=Job Id:)/m)) {
    const idMatch = /^Job Id:\s*(\S+)/.exec(block);
    if (!idMatch) continue;
    const attributes = readAttributes(block);
    const rawState = attributes.job_state ?? null;
    const comment = attributes.comment ?? null;
    let state: JobState = rawState ? pbsStates[rawState] ?? "unknown" : "unknown";
    let reason = comment;
    if (rawState === "F" || rawState === "X" || rawState === "C") {
      const exitStatus = attributes.Exit_status;
      if (exitStatus === undefined) {
        state = "cancelled"; // ended without ever running: deleted while queued
      } else if (Number(exitStatus) === 0) {
        state = "finished";
      } else {
        state = "failed";
        reason = `Exit_status ${exitStatus}${comment ? `: ${comment}` : ""}`;
      }
    }
    statuses.push({ id: idMatch[1], state, reason, rawState });
  }
  return statuses;
}

function readAttributes(block: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  let last: string | undefined;
  for (const line of block.split("\n").slice(1)) {
    if (line.startsWith("\t") && last) {
      attributes[last] += line.slice(1);
      continue;
    }
    const match = /^\s+([A-Za-z_.]+)\s=\s?(.*)$/.exec(line);
    if (match) {
      last = match[1];
      attributes[last] = match[2];
    }
  }
  return attributes;
}
