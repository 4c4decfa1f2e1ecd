// `tessera job-script`'s implementation (src/cli/job-script.ts): options resolved as a
// cluster resolves them, rendered with the placeholder scheduler address.
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { jobScriptCommand, placeholderSchedulerAddress } from "../../src/cli/job-script.js";
import { config } from "../../src/config/store.js";
import { resolveJobQueueOptions } from "../../src/config/jobqueue-options.js";
import { renderJobScript } from "../../src/jobqueue/job-script.js";

describe("jobScriptCommand", () => {
  after(() => {
    delete process.env.TESSERA_JOBQUEUE__SLURM__QUEUE;
    config.refresh();
  });

  it("prints what the cluster would submit, with a placeholder address and name", () => {
    const text = jobScriptCommand("slurm", { cores: 24, memory: "128GB", walltime: "02:00:00" });
    const expected = renderJobScript("slurm", resolveJobQueueOptions("slurm", { cores: 24, memory: "128GB", walltime: "02:00:00" }),
      { schedulerAddress: placeholderSchedulerAddress, workerName: "dummy-name" });
    assert.equal(text, expected);
    assert.match(text, / worker 'tcp:\/\/<scheduler-address>:8786' --name dummy-name --nthreads 4 --memory-limit 21333333333 --nworkers 6 /);
  });

  it("reads command-line strings as YAML values and a single list value as a list", () => {
    const text = jobScriptCommand("SLURM", { cores: "4", memory: "8GiB", walltime: "01:00:00", "job-extra-directives": "--exclusive", processes: "1" });
    assert.match(text, /#SBATCH --cpus-per-task=4\n#SBATCH --mem=8G\n#SBATCH -t 01:00:00\n#SBATCH --exclusive\n/);
    assert.match(text, /--nthreads 4 --memory-limit 8589934592 --death-timeout 60/);
  });

  it("follows configuration from the environment, below explicit options", () => {
    process.env.TESSERA_JOBQUEUE__SLURM__QUEUE = "from-env";
    config.refresh();
    assert.match(jobScriptCommand("slurm", { cores: 1, memory: "1GB" }), /\n#SBATCH -p from-env\n/);
    assert.match(jobScriptCommand("slurm", { cores: 1, memory: "1GB", queue: "gpu" }), /\n#SBATCH -p gpu\n/);
  });

  it("renders every system", () => {
    assert.match(jobScriptCommand("pbs", { cores: 2, memory: "4GB" }), /^#!\/usr\/bin\/env bash\n\n#PBS -N dask-worker\n/);
    assert.match(jobScriptCommand("sge", { cores: 2, memory: "4GB" }), /#\$ -l mem_free=4G\n/);
    assert.match(jobScriptCommand("lsf", { cores: 2, memory: "4GB", lsfUnits: "mb" }), /#BSUB -M 4000\n/);
    assert.match(jobScriptCommand("htcondor", { cores: 2, memory: "4GB", disk: "1GB" }), /\nQueue\n$/);
  });

  it("names the systems when given an unknown one, and passes option errors through", () => {
    assert.throws(() => jobScriptCommand("torque", {}), /unknown batch system "torque"; use one of slurm, pbs, sge, lsf, htcondor/);
    assert.throws(() => jobScriptCommand("slurm", { cores: "lots", memory: "1GB" }), /options: cores: "lots" is not a number/);
  });
});
