/**
 * Reads `condor_q <ids> -af:j JobStatus ExitCode HoldReason`: "<cluster>.<proc> <status>
 * <exit code> <hold reason…>", "undefined" for unset attributes. JobStatus codes: 1 idle,
 * 2 running, 3 removed, 4 completed, 5 held, 6 transferring output, 7 suspended. Completed
 * jobs leave the queue soon after, so a missing job is "unknown".
 */
import type { JobState, JobStatus } from "./job-state.js";

const condorStates: Record<string, JobState> = {
  "1": "pending", "2": "running", "3": "cancelled", "4": "finished", "5": "pending", "6": "running", "7": "pending",
};

export function parseCondorQ(stdout: string): JobStatus[] {
  const statuses: JobStatus[] = [];
  for (const line of stdout.split("\n")) {
    const match = /^\s*(\d+\.\d+)\s+(\d+)\s+(\S+)\s*(.*)$/.exec(line);
    if (!match) continue;
    const [, id, rawState, exitCode, holdReason] = match;
    let state = condorStates[rawState] ?? "unknown";
    let reason: string | null = null;
    if (rawState === "5") reason = holdReason && holdReason !== "undefined" ? `held: ${holdReason.trim()}` : "held";
    if (rawState === "7") reason = "suspended";
    if (state === "finished" && exitCode !== "undefined" && Number(exitCode) !== 0) {
      state = "failed";
      reason = `exit code ${exitCode}`;
    }
    statuses.push({ id, state, reason, rawState });
  }
  return statuses;
}
