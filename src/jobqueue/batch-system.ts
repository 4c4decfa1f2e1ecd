/**
 * What a batch system is to tessera: its commands and the header of its job scripts. Each
 * system's file only declares these; rendering (job-script.ts), submission (submit.ts) and
 * polling (job-status.ts) are shared.
 */
import type { BatchSystem, JobQueueOptionsFor } from "../config/index.js";
import type { JobResources } from "./resources.js";

/** What a header needs besides the options. */
export interface HeaderContext {
  workerName: string;
  resources: JobResources;
  /** LSF only: the unit of `-M` (kb, mb…), already detected. */
  lsfUnits: string;
}

export interface CommandLine {
  command: string;
  args: string[];
}

interface SystemCommands {
  name: BatchSystem;
  submitCommand: string;
  cancelCommand: string;
  /** Finds the job id in the submit command's stdout; group 1 is the id. */
  jobIdPattern: RegExp;
  /** The id as the other commands want it (HTCondor: cluster N → "N.0"). */
  formatJobId?: (matched: string) => string;
  /** The command that reports the state of `ids` (`user`: the submitting user). */
  statusCommand(ids: readonly string[], user: string): CommandLine;
}

/** A system whose job is a shell script with `<prefix> <flag>` directive lines. */
export interface ShellScriptSystem<S extends BatchSystem> extends SystemCommands {
  name: S;
  layout: "shell-script";
  /** "#SBATCH", "#PBS", "#$", "#BSUB". */
  directivePrefix: string;
  /** Generated directive lines in order, before skip filtering and extra directives. */
  headerLines(options: JobQueueOptionsFor<S>, context: HeaderContext): string[];
}

/** HTCondor: a submit description of `key = value` lines that runs the worker via /bin/sh. */
export interface SubmitDescriptionSystem extends SystemCommands {
  name: "htcondor";
  layout: "submit-description";
  headerEntries(options: JobQueueOptionsFor<"htcondor">, context: HeaderContext): Array<[string, string]>;
}

export type BatchSystemSpec = ShellScriptSystem<"slurm"> | ShellScriptSystem<"pbs"> | ShellScriptSystem<"sge">
  | ShellScriptSystem<"lsf"> | SubmitDescriptionSystem;
