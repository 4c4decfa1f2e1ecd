// `tessera job-script <system> [--kebab-case flags]` (src/cli/job-script-command.ts), parsed by
// commander as the CLI parses it, compared with what the resolver and renderer produce.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Command, CommanderError } from "commander";
import { registerJobScriptCommand } from "../../src/cli/job-script-command.js";
import { jobScriptCommand } from "../../src/cli/job-script.js";
import { InvalidOptionError } from "../../src/core/errors.js";

async function run(...args: string[]): Promise<{ printed: string; exit: number | undefined }> {
  const program = new Command("tessera").exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  let exit: number | undefined;
  registerJobScriptCommand(program, (code) => (exit = code));
  let printed = "";
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string) => {
    printed += chunk;
    return true;
  }) as typeof process.stdout.write;
  try {
    await program.parseAsync(["node", "tessera", "job-script", ...args]);
  } finally {
    process.stdout.write = write;
  }
  return { printed, exit };
}

describe("tessera job-script", () => {
  it("prints the script for kebab-case flags, values read as the config reads them", async () => {
    const { printed, exit } = await run("slurm", "--cores", "24", "--memory", "128GB", "--queue", "normal", "--walltime", "02:00:00",
      "--job-name", "nanocourse", "--processes", "6", "--job-extra-directives=--constraint=haswell", "--job-extra-directives", "--exclusive");
    assert.equal(exit, 0);
    assert.equal(printed, jobScriptCommand("slurm", {
      cores: 24, memory: "128GB", queue: "normal", walltime: "02:00:00", jobName: "nanocourse", processes: 6,
      jobExtraDirectives: ["--constraint=haswell", "--exclusive"],
    }));
    assert.match(printed, /#SBATCH -J nanocourse\n#SBATCH -p normal\n[^]*#SBATCH --mem=120G\n#SBATCH -t 02:00:00\n#SBATCH --constraint=haswell\n#SBATCH --exclusive\n/);
    assert.match(printed, / --nthreads 4 --memory-limit 21333333333 --nworkers 6 /);
  });

  it("has a flag for the options of every system", async () => {
    assert.match((await run("pbs", "--cores", "2", "--memory", "4GB", "--resource-spec", "select=1:ncpus=2", "--account", "proj1")).printed,
      /#PBS -A proj1\n#PBS -l select=1:ncpus=2\n/);
    assert.match((await run("sge", "--cores", "2", "--memory", "4GB", "--project", "p9", "--job-extra-directives=-pe smp 2")).printed,
      /#\$ -P p9\n[^]*#\$ -pe smp 2\n/);
    assert.match((await run("lsf", "--cores", "2", "--memory", "4GB", "--lsf-units", "mb", "--ncpus", "4", "--use-stdin", "false")).printed,
      /#BSUB -n 4\n[^]*#BSUB -M 4000\n/);
    const condor = (await run("htcondor", "--cores", "2", "--memory", "4GB", "--disk", "1GB", "--job-extra-directives", "+Experiment = \"tessera\"")).printed;
    assert.match(condor, /\n\+Experiment = "tessera"\n/);
    assert.match((await run("slurm", "--cores", "1", "--memory", "1GB", "--lifetime", "false", "--worker-extra-args=--local-directory=/scratch")).printed,
      /--death-timeout 60 --local-directory=\/scratch\n/);
  });

  it("refuses an unknown system, an unknown flag and a bad value, each with its own message", async () => {
    await assert.rejects(run("torque", "--cores", "1"), (error: Error) =>
      error instanceof InvalidOptionError && /unknown batch system "torque"; use one of slurm, pbs, sge, lsf, htcondor/.test(error.message));
    await assert.rejects(run("slurm", "--corse", "1"), (error: Error) => error instanceof CommanderError && error.code === "commander.unknownOption");
    await assert.rejects(run("slurm", "--cores", "1", "--memory", "plenty"), /memory: cannot parse "plenty" as a byte size|memory[^]*is not a byte size/);
  });
});
