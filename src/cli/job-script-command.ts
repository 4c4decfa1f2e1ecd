/**
 * `tessera job-script slurm|pbs|sge|lsf|htcondor [--cores 24 --memory 128GB …]`: prints the
 * script a cluster with these options would submit (src/cli/job-script.ts resolves them
 * exactly as the cluster does). Every job option is a kebab-case flag; values are read as
 * YAML scalars ("24" is a number, "false" a boolean, "{interface: ib0}" a mapping); list
 * options repeat (`--job-extra-directives --exclusive --job-extra-directives=--gres=gpu:1`).
 */
import { Option, type Command } from "commander";
import { batchSystemNames, jobOptionNames, normaliseKey } from "../config/index.js";
import { exitCodeHelp, exitCodes } from "./exit-codes.js";
import { isListOption, jobScriptCommand } from "./job-script.js";

/** Every job option of every system, in a stable order. */
function allJobOptions(): string[] {
  const names: string[] = [];
  for (const system of batchSystemNames) {
    for (const name of jobOptionNames(system)) if (!names.includes(name)) names.push(name);
  }
  return names;
}

export function registerJobScriptCommand(program: Command, setExit: (code: number) => void): void {
  const command = program
    .command("job-script")
    .description("print the job script a cluster with these options would submit (options as in the constructors, kebab-case)")
    .argument("<system>", `batch system: ${batchSystemNames.join(", ")}`)
    .option("--config-name <section>", "read jobqueue.<section> of the configuration instead of the system's own");
  for (const name of allJobOptions()) {
    const flag = `--${normaliseKey(name)} <value>`;
    if (isListOption(name)) {
      command.addOption(new Option(flag, "repeat for several; write --flag=--value for values starting with -")
        .argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]));
    } else {
      command.addOption(new Option(flag));
    }
  }
  command
    .addHelpText("after", `${exitCodeHelp}\n\nExample: tessera job-script slurm --cores 24 --memory 128GB --queue normal --walltime 02:00:00`)
    .action((system: string, flags: Record<string, unknown>) => {
      const options = { ...flags };
      // HTCondor's extra directives are "key = value" attributes.
      if (system.toLowerCase() === "htcondor" && Array.isArray(options.jobExtraDirectives)) {
        options.jobExtraDirectives = Object.fromEntries((options.jobExtraDirectives as string[]).map((entry) => {
          const at = entry.indexOf("=");
          return at === -1 ? [entry.trim(), ""] : [entry.slice(0, at).trim(), entry.slice(at + 1).trim()];
        }));
      }
      process.stdout.write(jobScriptCommand(system, options));
      setExit(exitCodes.ok);
    });
}
