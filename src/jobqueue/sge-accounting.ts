/**
 * Why a Grid Engine job ended or stalls, which `qstat -u` does not say: a finished job leaves
 * the table (its end is only in the accounting file, `qacct -j <id>`), and a job in error
 * state (Eqw: an unwritable output directory, a missing script) shows just "E" there, its
 * reason being in `qstat -j <id>` ("error reason 1: … can't open output file …").
 *
 * qacct's record (one "key value" line each; values may carry a note after the number):
 *
 *   jobnumber    3
 *   failed       100 : assumedly after job
 *   exit_status  137                  (Killed)
 *
 * failed 0 with exit_status 0: finished. Anything else: failed, with both in the reason.
 * A job gone from qstat without a record yet is marked `settling` (job-tracking.ts asks again).
 */
import type { CommandRunner } from "./command-runner.js";
import type { JobStatus } from "./job-state.js";

/** The end of job `id` from `qacct -j <id>` output, or null when it has no record (yet). */
export function parseQacct(id: string, stdout: string): JobStatus | null {
  const fields = new Map<string, string>();
  // qacct prints one record per run of the id (a re-run job has several): the last one counts.
  for (const line of stdout.split("\n")) {
    const match = /^(\w+)\s+(.*?)\s*$/.exec(line);
    if (match) fields.set(match[1], match[2]);
  }
  const failed = fields.get("failed");
  const exitStatus = fields.get("exit_status");
  if (failed === undefined || exitStatus === undefined) return null;
  const failedCode = Number(/^\d+/.exec(failed)?.[0] ?? NaN);
  const exitCode = Number(/^\d+/.exec(exitStatus)?.[0] ?? NaN);
  if (failedCode === 0 && exitCode === 0) return { id, state: "finished", reason: null, rawState: "qacct" };
  const parts: string[] = [];
  if (failedCode !== 0) parts.push(`failed ${failed.replace(/\s*:\s*/, ": ")}`);
  parts.push(`exit status ${exitStatus.replace(/\s+/, " ")}`);
  return { id, state: "failed", reason: parts.join("; "), rawState: "qacct" };
}

/** The first "error reason" of `qstat -j <id>` output, without its date and host prefix, or null. */
export function parseQstatErrorReason(stdout: string): string | null {
  const line = /^error reason\s+\d+:\s*(.*)$/m.exec(stdout)?.[1];
  if (!line) return null;
  // "12/02/2026 16:12:18 [0:29163]: error: can't open output file …"
  return line.replace(/^\d+\/\d+\/\d+ \d+:\d+:\d+ \[[^\]]*\]:\s*/, "").trim();
}

/** Fills in the reasons qstat -u lacks: qacct for jobs it no longer lists, qstat -j for jobs in error. */
export async function completeSgeStatuses(statuses: JobStatus[], runner: CommandRunner, signal?: AbortSignal): Promise<JobStatus[]> {
  return Promise.all(statuses.map(async (status) => {
    if (status.state === "unknown") {
      const result = await runner("qacct", ["-j", status.id], { signal });
      // No record yet: Grid Engine writes the accounting file every flush_time (15 s by default).
      return (result.exitCode === 0 ? parseQacct(status.id, result.stdout) : null) ?? { ...status, settling: true };
    }
    if (status.state === "failed" && status.rawState?.includes("E")) {
      const result = await runner("qstat", ["-j", status.id], { signal });
      const reason = result.exitCode === 0 ? parseQstatErrorReason(result.stdout) : null;
      return reason ? { ...status, reason } : status;
    }
    return status;
  }));
}
