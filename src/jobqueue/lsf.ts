// IBM Spectrum LSF: `bsub` / `bkill` / `bjobs`. By default the script goes to bsub on stdin
// (`bsub < script`), which works where the submit host's /tmp is not visible to the nodes.
import type { ShellScriptSystem } from "./batch-system.js";
import { lsfMemory } from "./memory-requests.js";
import { lsfWalltime } from "./walltime-formats.js";

export const lsf: ShellScriptSystem<"lsf"> = {
  name: "lsf",
  layout: "shell-script",
  submitCommand: "bsub",
  cancelCommand: "bkill",
  directivePrefix: "#BSUB",
  jobIdPattern: /Job <(\d+)>/, // "Job <1234> is submitted to queue <normal>."
  headerLines(options, { workerName, resources, lsfUnits }) {
    const lines: string[] = [];
    if (options.jobName !== null) lines.push(`#BSUB -J ${options.jobName}`);
    if (options.logDirectory !== null) {
      const stem = `${options.logDirectory}/${workerName || "worker"}-%J`;
      lines.push(`#BSUB -e ${stem}.err`, `#BSUB -o ${stem}.out`);
    }
    if (options.queue !== null) lines.push(`#BSUB -q ${options.queue}`);
    if (options.project !== null) lines.push(`#BSUB -P "${options.project}"`);
    const ncpus = options.ncpus ?? resources.cores;
    lines.push(`#BSUB -n ${ncpus}`);
    if (ncpus > 1) lines.push('#BSUB -R "span[hosts=1]"'); // all cpus on one host
    lines.push(`#BSUB -M ${lsfMemory(options.memBytes ?? resources.memoryBytes, options.lsfUnits ?? lsfUnits)}`);
    if (options.walltimeSeconds !== null) lines.push(`#BSUB -W ${lsfWalltime(options.walltimeSeconds)}`);
    return lines;
  },
  statusCommand: (ids) => ({
    command: "bjobs",
    // -a keeps recently finished jobs; -o with a delimiter gives parseable columns.
    args: ["-a", "-noheader", "-o", "jobid stat exit_code pend_reason delimiter='|'", ...ids],
  }),
};
