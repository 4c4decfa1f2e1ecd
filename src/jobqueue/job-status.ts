/**
 * Polling the batch system for the state of submitted jobs (dask-jobqueue never does, so a
 * cluster could not tell a queued job from a running one, jobqueue#11). One status command
 * per poll for all ids; the answer is one JobStatus per requested id, in order, "unknown"
 * for ids the system no longer reports. Where the status command forgets ended jobs or
 * hides reasons (Grid Engine, HTCondor), a second command fills them in for the jobs that
 * need it (qacct / qstat -j, condor_history), so a job that failed shows as failed, with
 * the batch system's reason.
 */
import { userInfo } from "node:os";
import type { BatchSystem } from "../config/index.js";
import { batchSystems } from "./batch-systems.js";
import { BatchCommandError, execFileRunner, type CommandRunner } from "./command-runner.js";
import { completeCondorStatuses } from "./htcondor-history.js";
import { parseCondorQ } from "./htcondor-status.js";
import { sameJobId, unknownJob, type JobStatus } from "./job-state.js";
import { bjobsUnknownJobs, parseBjobs } from "./lsf-status.js";
import { parseQstatFull, qstatUnknownJobs } from "./pbs-status.js";
import { completeSgeStatuses } from "./sge-accounting.js";
import { parseSgeQstat } from "./sge-status.js";
import { parseSqueue, squeueUnknownJobs } from "./slurm-status.js";

export type { JobState, JobStatus } from "./job-state.js";

interface StatusReader {
  parse: (stdout: string) => JobStatus[];
  /** stderr of a status command that exited non-zero only because some ids are gone. */
  unknownIds?: RegExp;
  /** Fills in what the status command left out (ended jobs, error reasons). */
  complete?: (statuses: JobStatus[], runner: CommandRunner, signal?: AbortSignal) => Promise<JobStatus[]>;
}

const readers: Record<BatchSystem, StatusReader> = {
  slurm: { parse: parseSqueue, unknownIds: squeueUnknownJobs },
  pbs: { parse: parseQstatFull, unknownIds: qstatUnknownJobs },
  sge: { parse: parseSgeQstat, complete: completeSgeStatuses },
  lsf: { parse: parseBjobs, unknownIds: bjobsUnknownJobs },
  htcondor: { parse: parseCondorQ, complete: completeCondorStatuses },
};

export interface PollOptions {
  /** The submitting user (Grid Engine lists jobs per user); default: this process's user. */
  user?: string;
  signal?: AbortSignal;
}

export async function pollJobs(
  system: BatchSystem,
  ids: readonly string[],
  runner: CommandRunner = execFileRunner,
  options: PollOptions = {},
): Promise<JobStatus[]> {
  if (ids.length === 0) return [];
  const { command, args } = batchSystems[system].statusCommand(ids, options.user ?? userInfo().username);
  const result = await runner(command, args, { signal: options.signal });
  const reader = readers[system];
  // Status commands exit non-zero when some ids are gone; that is an answer, not a failure.
  if (result.exitCode !== 0 && !(reader.unknownIds?.test(result.stderr))) {
    throw new BatchCommandError(`polling ${system} jobs failed`, command, args, result, "the batch system did not answer; retry later");
  }
  const reported = new Map(reader.parse(result.stdout).map((status) => [status.id, status]));
  const statuses = ids.map((id) =>
    reported.get(id) ?? (system === "pbs" ? findByNumber(reported, id) : undefined) ?? unknownJob(id, "not reported by the batch system"));
  return reader.complete ? reader.complete(statuses, runner, options.signal) : statuses;
}

/** PBS may report "1234.server" for a job submitted as "1234" (and the reverse). */
function findByNumber(reported: Map<string, JobStatus>, id: string): JobStatus | undefined {
  for (const [reportedId, status] of reported) {
    if (sameJobId(reportedId, id)) return { ...status, id };
  }
  return undefined;
}
