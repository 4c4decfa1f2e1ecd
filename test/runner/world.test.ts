// Rank, size and role from the launcher's environment, and the checks made before anything starts.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { InvalidOptionError } from "../../src/core/errors.js";
import { checkWorldSize, mpiWorld, roleOf, schedulerFilePath, slurmWorld } from "../../src/runner/world.js";

describe("runner worlds", () => {
  it("reads SLURM's task variables", () => {
    assert.deepEqual(slurmWorld({ SLURM_PROCID: "3", SLURM_NTASKS: "6", SLURM_JOB_ID: "4242" }),
      { rank: 3, size: 6, jobId: "4242", processNoun: "Slurm tasks" });
  });

  it("names the missing SLURM variables", () => {
    assert.throws(() => slurmWorld({ SLURM_PROCID: "0" }), (error: Error) =>
      error instanceof InvalidOptionError && /SLURM_NTASKS, SLURM_JOB_ID are not set/.test(error.message) && /srun/.test(error.message));
  });

  it("reads Open MPI and PMI ranks, with the batch job id when there is one", () => {
    assert.deepEqual(mpiWorld({ OMPI_COMM_WORLD_RANK: "1", OMPI_COMM_WORLD_SIZE: "4" }), { rank: 1, size: 4, jobId: null, processNoun: "MPI ranks" });
    assert.deepEqual(mpiWorld({ PMI_RANK: "2", PMI_SIZE: "3", PBS_JOBID: "77.server" }), { rank: 2, size: 3, jobId: "77.server", processNoun: "MPI ranks" });
    assert.deepEqual(mpiWorld({ OMPI_COMM_WORLD_RANK: "0", OMPI_COMM_WORLD_SIZE: "4", OMPI_MCA_ess_base_jobid: "1401094145" }).jobId, "1401094145",
      "outside a batch job, Open MPI's job id");
    assert.equal(mpiWorld({ OMPI_COMM_WORLD_RANK: "0", OMPI_COMM_WORLD_SIZE: "4", OMPI_MCA_ess_base_jobid: "1", SLURM_JOB_ID: "77" }).jobId, "77");
    assert.throws(() => mpiWorld({}), /no MPI rank in the environment/);
    assert.throws(() => mpiWorld({ PMI_RANK: "one", PMI_SIZE: "3" }), /MPI rank is "one", not a whole number/);
  });

  it("needs a scheduler, a client and a worker", () => {
    assert.throws(() => checkWorldSize({ rank: 0, size: 2, jobId: "1", processNoun: "Slurm tasks" }),
      /^InvalidOptionError: Not enough Slurm tasks to start cluster, found 2, needs at least 3, one each for the scheduler, client and a worker$/);
    assert.throws(() => checkWorldSize({ rank: 0, size: 1, jobId: null, processNoun: "MPI ranks" }), /Not enough MPI ranks to start cluster, found 1/);
    assert.doesNotThrow(() => checkWorldSize({ rank: 2, size: 3, jobId: "1", processNoun: "Slurm tasks" }));
  });

  it("gives rank 0 the scheduler, rank 1 the client and the rest workers", () => {
    assert.deepEqual([0, 1, 2, 7].map(roleOf), ["scheduler", "client", "worker", "worker"]);
  });

  it("fills {job_id} in the scheduler file path", () => {
    assert.equal(schedulerFilePath("/shared/scheduler-{job_id}.json", "99"), "/shared/scheduler-99.json");
    assert.equal(schedulerFilePath("/shared/fixed.json", null), "/shared/fixed.json");
    assert.throws(() => schedulerFilePath("/shared/s-{job_id}.json", null), /uses \{job_id\}, but this job has no batch job id/);
  });
});
