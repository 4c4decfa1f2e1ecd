/**
 * The command a job script runs: tessera's worker CLI, in a fixed argument order (single
 * spaces; every value shell-quoted as one word, in which only `$VARS` expand on the node:
 * shell-words.ts):
 *
 *   <node> <checkout>/bin/tessera.js worker <scheduler> --name <name> --nthreads <n>
 *     --memory-limit <bytes> [--nworkers <processes>] [--death-timeout <s>]
 *     [--local-directory <dir>] <workerExtraArgs…> [--interface <iface>]
 *     [--credential-file <path>] [--lifetime <s> --lifetime-stagger <s>]
 *
 * Lifetime: unless switched off, workers retire gracefully before the batch system kills
 * the job at its walltime (the Dask recipe `--lifetime 55m --lifetime-stagger 4m` for a 1 h
 * job, made the default). Retirement happens within duration ± stagger, so
 *   margin  = 5 % of walltime, at least 60 s, at most 10 min   time to retire and move data away
 *   stagger = 5 % of walltime, at most 5 min                   so workers do not all leave at once
 *   duration = max(30 s, walltime − margin − stagger)
 * e.g. 30 min → 27 min ± 1.5 min; 1 h → 54 min ± 3 min; 2 h → 109 min ± 5 min;
 * 36 h → 35 h 45 min ± 5 min.
 */
import { fileURLToPath } from "node:url";
import type { CommonJobOptions, JobQueueOptions } from "../config/index.js";
import type { JobResources } from "./resources.js";
import { refuseLineBreaks, shellLiteral, shellWordKeepingVariables } from "./shell-words.js";

/** `<node executable> <absolute path of bin/tessera.js> worker` for this checkout. */
export function tesseraWorkerInvocation(): string {
  const entry = fileURLToPath(new URL("../../../bin/tessera.js", import.meta.url));
  return [process.execPath, entry, "worker"].map(shellLiteral).join(" ");
}

export interface LifetimeFlags {
  durationSeconds: number;
  staggerSeconds: number;
}

/** The default lifetime for a job of `walltimeSeconds` (see the module comment). */
export function lifetimeFromWalltime(walltimeSeconds: number): LifetimeFlags {
  const margin = Math.max(60, Math.min(600, 0.05 * walltimeSeconds));
  const staggerSeconds = Math.round(Math.min(300, 0.05 * walltimeSeconds));
  const durationSeconds = Math.max(30, Math.floor(walltimeSeconds - margin - staggerSeconds));
  return { durationSeconds, staggerSeconds };
}

/** The lifetime flags a job's workers get, or null for none. */
export function workerLifetime(options: CommonJobOptions, walltimeSeconds: number | null): LifetimeFlags | null {
  const lifetime = options.lifetime;
  if (lifetime.kind === "off") return null;
  if (lifetime.kind === "fixed") return { durationSeconds: lifetime.durationSeconds, staggerSeconds: lifetime.staggerSeconds };
  return walltimeSeconds === null ? null : lifetimeFromWalltime(walltimeSeconds);
}

/** The lifetime flags of a job's workers, from its own walltime (HTCondor jobs have none). */
export function jobWorkerLifetime(options: JobQueueOptions): LifetimeFlags | null {
  return workerLifetime(options, "walltimeSeconds" in options ? options.walltimeSeconds : null);
}

export interface WorkerCommandInput {
  /** Command prefix before the scheduler address. */
  invocation: string;
  schedulerAddress: string;
  workerName: string;
  resources: JobResources;
  options: CommonJobOptions;
  lifetime: LifetimeFlags | null;
  credentialFile?: string;
}

export function buildWorkerCommand(input: WorkerCommandInput): string {
  const { options, resources } = input;
  // Values from the user or a file: one quoted word each; $VARS may expand on the node where
  // dask-jobqueue lets them (directories, extra arguments).
  const literal = (what: string, value: string) => (refuseLineBreaks(what, value), shellLiteral(value));
  const expandable = (what: string, value: string) => (refuseLineBreaks(what, value), shellWordKeepingVariables(value));
  const words: Array<string | number> = [
    input.invocation, literal("scheduler address", input.schedulerAddress),
    "--name", literal("worker name", input.workerName),
    "--nthreads", resources.threadsPerWorker,
    "--memory-limit", resources.memoryPerWorkerBytes,
  ];
  if (resources.processes > 1) words.push("--nworkers", resources.processes);
  if (options.deathTimeoutSeconds !== null) words.push("--death-timeout", options.deathTimeoutSeconds);
  if (options.localDirectory !== null) words.push("--local-directory", expandable("localDirectory", options.localDirectory));
  words.push(...options.workerExtraArgs.map((argument, i) => expandable(`workerExtraArgs[${i}]`, argument)));
  if (options.interface !== null) words.push("--interface", literal("interface", options.interface));
  if (input.credentialFile !== undefined) words.push("--credential-file", expandable("the credential file path", input.credentialFile));
  if (input.lifetime) {
    words.push("--lifetime", `${input.lifetime.durationSeconds}s`, "--lifetime-stagger", `${input.lifetime.staggerSeconds}s`);
  }
  return words.join(" ");
}
