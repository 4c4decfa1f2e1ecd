// Golden job scripts: the full expected text per batch system, written from the layouts and
// header orders of shared/reference/jobqueue.md §4–§5, with tessera's worker command.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { resolveJobQueueOptions } from "../../src/config/jobqueue-options.js";
import type { BatchSystem } from "../../src/config/schema.js";
import { quoteCondorArguments, renderJobScript } from "../../src/jobqueue/job-script.js";
import { createConfigSandbox, type ConfigSandbox } from "../config/sandbox.js";

const invocation = "/usr/bin/node /opt/tessera/bin/tessera.js worker";
const context = { schedulerAddress: "tcp://10.0.0.5:37261", workerName: "dummy-name", workerInvocation: invocation };

describe("renderJobScript", () => {
  let box: ConfigSandbox;
  before(() => { box = createConfigSandbox(); });
  after(() => box.remove());
  const render = <S extends BatchSystem>(system: S, options: Record<string, unknown>, extra: Partial<typeof context> & { credentialFile?: string; lsfUnits?: string } = {}) =>
    renderJobScript(system, resolveJobQueueOptions(system, options, undefined, { store: box.store() }), { ...context, ...extra });

  it("SLURM: the worked example of jobqueue.md §5.3", () => {
    assert.equal(render("slurm", { cores: 24, memory: "128GB", queue: "normal", walltime: "02:00:00" }), [
      "#!/usr/bin/env bash",
      "",
      "#SBATCH -J dask-worker",
      "#SBATCH -p normal",
      "#SBATCH -n 1",
      "#SBATCH -N 1",
      "#SBATCH --cpus-per-task=24",
      "#SBATCH --mem=120G",
      "#SBATCH -t 02:00:00",
      "",
      `${invocation} tcp://10.0.0.5:37261 --name dummy-name --nthreads 4 --memory-limit 21333333333 --nworkers 6 ` +
        "--death-timeout 60 --lifetime 6540s --lifetime-stagger 300s",
      "",
      "",
    ].join("\n"));
  });

  it("SLURM: log files, account, job cpu/mem, skips (substrings) before extras, prologue and epilogue", () => {
    const script = render("slurm", {
      cores: 4, memory: "8GiB", processes: 1, logDirectory: "logs", account: "proj", jobCpu: 8, jobMem: "10G",
      walltime: "1-12:00:00", jobDirectivesSkip: ["-t", "-N 1"], jobExtraDirectives: ["--constraint=haswell", "-t 00:10:00"],
      jobScriptPrologue: ["module load node", "", "export A=1"], jobScriptEpilogue: ["echo done"],
      localDirectory: "$TMPDIR", interface: "ib0", workerExtraArgs: ["--resources", "GPU=1"], lifetime: false,
    }, { credentialFile: "/shared/.tessera/credential" });
    assert.equal(script, [
      "#!/usr/bin/env bash",
      "",
      "#SBATCH -J dask-worker",
      "#SBATCH -e logs/dask-worker-%J.err",
      "#SBATCH -o logs/dask-worker-%J.out",
      "#SBATCH -A proj",
      "#SBATCH -n 1",
      "#SBATCH --mem=10G",
      "#SBATCH --constraint=haswell",
      "#SBATCH -t 00:10:00",
      "module load node",
      "export A=1",
      `${invocation} tcp://10.0.0.5:37261 --name dummy-name --nthreads 4 --memory-limit 8589934592 --death-timeout 60 ` +
        "--local-directory \"$TMPDIR\" --resources GPU=1 --interface ib0 --credential-file /shared/.tessera/credential",
      "echo done",
      "",
    ].join("\n"), '"-t" also drops --cpus-per-task, as in dask-jobqueue');
  });

  it("PBS: name, queue, account, default select resource, walltime, log directory", () => {
    assert.equal(render("pbs", { cores: 24, memory: "28GB", queue: "regular", account: "acct", walltime: "36:00:00", logDirectory: "/scratch/logs", jobExtraDirectives: ["-m abe"] }), [
      "#!/usr/bin/env bash",
      "",
      "#PBS -N dask-worker",
      "#PBS -q regular",
      "#PBS -A acct",
      "#PBS -l select=1:ncpus=24:mem=27GB",
      "#PBS -l walltime=36:00:00",
      "#PBS -e /scratch/logs/",
      "#PBS -o /scratch/logs/",
      "#PBS -m abe",
      "",
      `${invocation} tcp://10.0.0.5:37261 --name dummy-name --nthreads 4 --memory-limit 4666666666 --nworkers 6 ` +
        "--death-timeout 60 --lifetime 128700s --lifetime-stagger 300s",
      "",
      "",
    ].join("\n"));
  });

  it("PBS: a resource spec replaces the default one", () => {
    const script = render("pbs", { cores: 2, memory: "4GB", resourceSpec: "nodes=1:ppn=2", walltime: null, lifetime: "20m" });
    assert.match(script, /\n#PBS -N dask-worker\n#PBS -l nodes=1:ppn=2\n\n/);
    assert.match(script, / --lifetime 1200s --lifetime-stagger 0s\n/);
  });

  it("SGE: requests memory with mem_free, then always -cwd and -j y", () => {
    assert.equal(render("sge", { cores: 8, memory: "16GiB", queue: "all.q", project: "p", walltime: "02:00:00", jobExtraDirectives: ["-pe smp 8"] }), [
      "#!/usr/bin/env bash",
      "",
      "#$ -N dask-worker",
      "#$ -q all.q",
      "#$ -P p",
      "#$ -l mem_free=16G",
      "#$ -l h_rt=02:00:00",
      "#$ -cwd",
      "#$ -j y",
      "#$ -pe smp 8",
      "",
      `${invocation} tcp://10.0.0.5:37261 --name dummy-name --nthreads 2 --memory-limit 4294967296 --nworkers 4 ` +
        "--death-timeout 60 --lifetime 6540s --lifetime-stagger 300s",
      "",
      "",
    ].join("\n"));
  });

  it("SGE: a resource spec replaces mem_free; skipping mem_free drops the request", () => {
    assert.match(render("sge", { cores: 1, memory: "2GB", resourceSpec: "h_vmem=4G" }), /\n#\$ -N dask-worker\n#\$ -l h_vmem=4G\n#\$ -l h_rt=00:30:00\n/);
    assert.doesNotMatch(render("sge", { cores: 1, memory: "2GB", jobDirectivesSkip: ["mem_free"] }), /mem_free/);
  });

  it("LSF: log files named after the worker, quoted project, span, -M in lsf units, -W hours:minutes", () => {
    assert.equal(render("lsf", { cores: 24, memory: "128GB", queue: "general", project: "DaskOnLSF", walltime: "04:00", logDirectory: "logs", lsfUnits: "mb" }), [
      "#!/usr/bin/env bash",
      "",
      "#BSUB -J dask-worker",
      "#BSUB -e logs/dummy-name-%J.err",
      "#BSUB -o logs/dummy-name-%J.out",
      "#BSUB -q general",
      '#BSUB -P "DaskOnLSF"',
      "#BSUB -n 24",
      '#BSUB -R "span[hosts=1]"',
      "#BSUB -M 128000",
      "#BSUB -W 04:00",
      "",
      `${invocation} tcp://10.0.0.5:37261 --name dummy-name --nthreads 4 --memory-limit 21333333333 --nworkers 6 ` +
        "--death-timeout 60 --lifetime 13500s --lifetime-stagger 300s",
      "",
      "",
    ].join("\n"));
  });

  it("LSF: one cpu needs no span; detected units apply when lsfUnits is unset; mem overrides memory", () => {
    const script = render("lsf", { cores: 1, memory: "2GB", mem: 3e9 }, { lsfUnits: "gb" });
    assert.match(script, /\n#BSUB -n 1\n#BSUB -M 3\n#BSUB -W 00:30\n/);
  });

  it("HTCondor: submit description with the worker command through /bin/sh -c", () => {
    const script = render("htcondor", {
      cores: 4, memory: "8GB", disk: "10GB", logDirectory: "logs",
      jobScriptPrologue: ["cd /work", "source 'my env'/activate"], jobScriptEpilogue: ['echo "done"'],
      jobDirectivesSkip: ["Stream_Error"], jobExtraDirectives: { RequestCpus: "2", "+ProjectName": '"abc"' },
    });
    assert.equal(script, [
      "#!/usr/bin/env condor_submit",
      "",
      'MY.DaskWorkerName = "htcondor--$F(MY.JobId)--"',
      "batch_name = dummy-name",
      "RequestCpus = 2",
      "RequestMemory = floor(MY.DaskWorkerMemory / 1048576)",
      "RequestDisk = floor(MY.DaskWorkerDisk / 1024)",
      'MY.JobId = "$(ClusterId).$(ProcId)"',
      "MY.DaskWorkerCores = 4",
      "MY.DaskWorkerMemory = 8000000000",
      "MY.DaskWorkerDisk = 10000000000",
      "LogDirectory = logs",
      "Output = $(LogDirectory)/worker-$F(MY.JobId).out",
      "Error = $(LogDirectory)/worker-$F(MY.JobId).err",
      "Log = $(LogDirectory)/worker-$(ClusterId).log",
      "Stream_Output = True",
      '+ProjectName = "abc"',
      "",
      `Arguments = "-c 'cd /work; source ''my env''/activate; ${invocation} tcp://10.0.0.5:37261 --name dummy-name ` +
        `--nthreads 1 --memory-limit 2000000000 --nworkers 4 --death-timeout 60; echo ""done""'"`,
      "Executable = /bin/sh",
      "",
      "Queue",
      "",
    ].join("\n"));
  });

  it("uses a configured worker command (a wrapper) instead of tessera's", () => {
    const script = render("slurm", { cores: 1, memory: "1GB", workerCommand: "srun --cpu-bind=none tessera worker" }, { workerInvocation: undefined });
    assert.match(script, /\nsrun --cpu-bind=none tessera worker tcp:\/\/10\.0\.0\.5:37261 --name dummy-name --nthreads 1 /);
  });

  it("runs this checkout's bin/tessera.js with this Node by default", () => {
    const script = render("slurm", { cores: 1, memory: "1GB" }, { workerInvocation: undefined });
    const entry = fileURLToPath(new URL("../../../bin/tessera.js", import.meta.url));
    assert.ok(script.includes(`\n${process.execPath} ${entry} worker tcp://10.0.0.5:37261 --name dummy-name`), script);
  });

  it("refuses options resolved for another system", () => {
    const options = resolveJobQueueOptions("pbs", { cores: 1, memory: "1GB" }, undefined, { store: box.store() });
    assert.throws(() => renderJobScript("slurm", options as never, context), /resolved for pbs, not slurm/);
  });
});

describe("quoteCondorArguments (HTCondor's new argument syntax)", () => {
  const table: Array<[string[], string]> = [
    [["3", "simple", "arguments"], "3 simple arguments"],
    [["one", "two with spaces", "three"], "one 'two with spaces' three"],
    [["one", '"two"', "spacey 'quoted' argument"], `one ""two"" 'spacey ''quoted'' argument'`],
  ];
  for (const [args, quoted] of table) {
    it(`${JSON.stringify(args)} → ${quoted}`, () => assert.equal(quoteCondorArguments(args), quoted));
  }
});
