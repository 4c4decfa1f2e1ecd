// SLURM: `sbatch` / `scancel` / `squeue`. One job = one task with `cores` CPUs on one node.
import type { ShellScriptSystem } from "./batch-system.js";
import { slurmMemory } from "./memory-requests.js";
import { slurmWalltime } from "./walltime-formats.js";

export const slurm: ShellScriptSystem<"slurm"> = {
  name: "slurm",
  layout: "shell-script",
  submitCommand: "sbatch",
  cancelCommand: "scancel",
  directivePrefix: "#SBATCH",
  jobIdPattern: /(\d+)/, // "Submitted batch job 123", or "123;cluster" with --parsable
  headerLines(options, { resources }) {
    const lines: string[] = [];
    if (options.jobName !== null) lines.push(`#SBATCH -J ${options.jobName}`);
    if (options.logDirectory !== null) {
      const stem = `${options.logDirectory}/${options.jobName ?? "worker"}-%J`;
      lines.push(`#SBATCH -e ${stem}.err`, `#SBATCH -o ${stem}.out`);
    }
    if (options.queue !== null) lines.push(`#SBATCH -p ${options.queue}`);
    if (options.account !== null) lines.push(`#SBATCH -A ${options.account}`);
    lines.push("#SBATCH -n 1", "#SBATCH -N 1", `#SBATCH --cpus-per-task=${options.jobCpu ?? resources.cores}`);
    lines.push(`#SBATCH --mem=${options.jobMem ?? slurmMemory(resources.memoryBytes)}`);
    if (options.walltimeSeconds !== null) lines.push(`#SBATCH -t ${slurmWalltime(options.walltimeSeconds)}`);
    return lines;
  },
  statusCommand: (ids) => ({
    command: "squeue",
    // --states=all keeps finished jobs (until MinJobAge); an explicit format for parsing.
    args: ["--noheader", "--states=all", `--jobs=${ids.join(",")}`, "--format=%i|%T|%r"],
  }),
};
