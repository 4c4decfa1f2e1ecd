/**
 * Submitting and cancelling worker jobs. A script is written to a private temporary file
 * (mode 0600: it may name a credential file) and handed to the submit command; LSF reads it
 * on stdin by default. The job id is parsed from the command's stdout with the system's
 * pattern. Failures raise BatchCommandError carrying the command's stderr, so the user sees
 * the batch system's own reason (dask-jobqueue only logged it, jobqueue#632).
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BatchSystem } from "../config/index.js";
import { batchSystems } from "./batch-systems.js";
import { BatchCommandError, execFileRunner, type CommandRunner } from "./command-runner.js";

export interface SubmitOptions {
  /** LSF: feed the script on stdin (`bsub < script`, the default) rather than as an argument. */
  useStdin?: boolean;
  /** Extra arguments before the script (HTCondor's submitCommandExtra). */
  submitCommandExtra?: readonly string[];
  signal?: AbortSignal;
  /** Where the temporary script goes (default: the OS temp directory). */
  temporaryDirectory?: string;
}

/** The job id in a submit command's output, or null. */
export function parseJobId(system: BatchSystem, stdout: string): string | null {
  const spec = batchSystems[system];
  const match = spec.jobIdPattern.exec(stdout);
  if (!match) return null;
  return spec.formatJobId ? spec.formatJobId(match[1]) : match[1];
}

/** Submit one job script; resolves with the batch system's job id. */
export async function submitJob(
  system: BatchSystem,
  scriptText: string,
  runner: CommandRunner = execFileRunner,
  options: SubmitOptions = {},
): Promise<string> {
  const spec = batchSystems[system];
  const extra = [...(options.submitCommandExtra ?? [])];
  const viaStdin = system === "lsf" && (options.useStdin ?? true);
  let args: string[];
  let directory: string | undefined;
  if (viaStdin) {
    args = extra;
  } else {
    directory = await mkdtemp(join(options.temporaryDirectory ?? tmpdir(), "tessera-job-"));
    const file = join(directory, system === "htcondor" ? "job.sub" : "job.sh");
    await writeFile(file, scriptText, { mode: 0o600 });
    args = [...extra, file];
  }
  try {
    const result = await runner(spec.submitCommand, args, { input: viaStdin ? scriptText : undefined, signal: options.signal });
    if (result.exitCode !== 0) {
      throw new BatchCommandError(`submitting a ${system} job failed`, spec.submitCommand, args, result,
        "the batch system refused the job; its message is below");
    }
    const id = parseJobId(system, result.stdout);
    if (id === null) {
      throw new BatchCommandError(`submitting a ${system} job`, spec.submitCommand, args, result,
        `could not find a job id in the output (looked for ${spec.jobIdPattern}); the job may have been submitted, check your queue`);
    }
    return id;
  } finally {
    if (directory) await rm(directory, { recursive: true, force: true });
  }
}

export interface CancelOptions {
  /** Extra arguments before the ids (HTCondor's cancelCommandExtra). */
  cancelCommandExtra?: readonly string[];
  signal?: AbortSignal;
}

/**
 * Cancel jobs with one command (`scancel 12 13`). A non-zero exit raises BatchCommandError;
 * callers that cancel jobs which may already have ended decide whether to ignore it.
 */
export async function cancelJobs(
  system: BatchSystem,
  ids: readonly string[],
  runner: CommandRunner = execFileRunner,
  options: CancelOptions = {},
): Promise<void> {
  if (ids.length === 0) return;
  const spec = batchSystems[system];
  const args = [...(options.cancelCommandExtra ?? []), ...ids];
  const result = await runner(spec.cancelCommand, args, { signal: options.signal });
  if (result.exitCode !== 0) {
    throw new BatchCommandError(`cancelling ${system} jobs ${ids.join(", ")} failed`, spec.cancelCommand, args, result,
      "the jobs may already have ended; the batch system's message is below");
  }
}
