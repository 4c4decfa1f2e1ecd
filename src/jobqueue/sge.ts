// Grid Engine (SGE, SoGE, OGE): `qsub` / `qdel` / `qstat`.
//
// Memory: dask-jobqueue requests none on SGE (users had to add it through resource_spec,
// jobqueue#219). tessera requests it, as `-l mem_free=<memory>`: a placement request every
// Grid Engine knows ("a host with this much free memory"). Not `h_vmem`: that is a hard
// limit on *virtual* memory, and Node reserves far more address space than it uses (V8's
// heap cage, WebAssembly memories), so h_vmem would kill healthy workers. Sites whose
// memory complex is different (h_vmem, m_mem_free, a consumable) set `resourceSpec`, which
// replaces this line, or drop it with jobDirectivesSkip: ["mem_free"].
import type { ShellScriptSystem } from "./batch-system.js";
import { sgeMemory } from "./memory-requests.js";
import { clockWalltime } from "./walltime-formats.js";

export const sge: ShellScriptSystem<"sge"> = {
  name: "sge",
  layout: "shell-script",
  submitCommand: "qsub",
  cancelCommand: "qdel",
  directivePrefix: "#$",
  jobIdPattern: /Your job(?:-array)? (\d+)/, // 'Your job 1234 ("dask-worker") has been submitted'
  headerLines(options, { resources }) {
    const lines: string[] = [];
    if (options.jobName !== null) lines.push(`#$ -N ${options.jobName}`);
    if (options.queue !== null) lines.push(`#$ -q ${options.queue}`);
    if (options.project !== null) lines.push(`#$ -P ${options.project}`);
    lines.push(`#$ -l ${options.resourceSpec ?? `mem_free=${sgeMemory(resources.memoryBytes)}`}`);
    if (options.walltimeSeconds !== null) lines.push(`#$ -l h_rt=${clockWalltime(options.walltimeSeconds)}`);
    if (options.logDirectory !== null) lines.push(`#$ -e ${options.logDirectory}/`, `#$ -o ${options.logDirectory}/`);
    lines.push("#$ -cwd", "#$ -j y");
    return lines;
  },
  // Grid Engine's qstat lists the user's pending and running jobs; finished ones leave it.
  statusCommand: (_ids, user) => ({ command: "qstat", args: ["-u", user] }),
};
