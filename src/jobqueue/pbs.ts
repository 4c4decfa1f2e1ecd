// PBS Pro / OpenPBS: `qsub` / `qdel` / `qstat`. The default resource request is one chunk
// with the job's cores and memory.
import type { ShellScriptSystem } from "./batch-system.js";
import { pbsMemory } from "./memory-requests.js";
import { clockWalltime } from "./walltime-formats.js";

export const pbs: ShellScriptSystem<"pbs"> = {
  name: "pbs",
  layout: "shell-script",
  submitCommand: "qsub",
  cancelCommand: "qdel",
  directivePrefix: "#PBS",
  // The whole id ("1234.pbs-server"): qstat and qdel on a site with several servers need it.
  jobIdPattern: /(\d+(?:\[\d*\])?(?:\.[A-Za-z0-9_-]+)*)/,
  headerLines(options, { resources }) {
    const lines: string[] = [];
    if (options.jobName !== null) lines.push(`#PBS -N ${options.jobName}`);
    if (options.queue !== null) lines.push(`#PBS -q ${options.queue}`);
    if (options.account !== null) lines.push(`#PBS -A ${options.account}`);
    const resourceSpec = options.resourceSpec ?? `select=1:ncpus=${resources.cores}:mem=${pbsMemory(resources.memoryBytes)}`;
    lines.push(`#PBS -l ${resourceSpec}`);
    if (options.walltimeSeconds !== null) lines.push(`#PBS -l walltime=${clockWalltime(options.walltimeSeconds)}`);
    if (options.logDirectory !== null) lines.push(`#PBS -e ${options.logDirectory}/`, `#PBS -o ${options.logDirectory}/`);
    return lines;
  },
  // -x includes finished jobs (job history), -f gives job_state, comment and Exit_status.
  statusCommand: (ids) => ({ command: "qstat", args: ["-x", "-f", ...ids] }),
};
