/**
 * Where a runner process stands in its job: its rank among the processes the launcher
 * started (`srun -n 5`, `mpirun -np 5`), how many there are, the batch job id, and the role
 * that follows from the rank. Pure: the environment is passed in.
 *
 * Roles, as in dask-jobqueue's runners: rank 0 runs the scheduler, rank 1 the user's code
 * (the client), ranks 2 and up are workers named by their rank. So at least 3 processes.
 */
import { InvalidOptionError } from "../core/errors.js";

export type RunnerRole = "scheduler" | "client" | "worker";

export interface RunnerWorld {
  rank: number;
  size: number;
  /** The batch job id (fills `{job_id}` in the scheduler file path); null when there is none. */
  jobId: string | null;
  /** How the launcher's processes are called in messages: "Slurm tasks", "MPI ranks". */
  processNoun: string;
}

type Environment = Record<string, string | undefined>;

/** SLURM_PROCID, SLURM_NTASKS and SLURM_JOB_ID, as `srun` sets them for every task. */
export function slurmWorld(env: Environment = process.env): RunnerWorld {
  const missing = ["SLURM_PROCID", "SLURM_NTASKS", "SLURM_JOB_ID"].filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new InvalidOptionError(
      `SLURMRunner: ${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} not set; SLURM_PROCID, SLURM_NTASKS and ` +
      "SLURM_JOB_ID must be present in the environment: start the script with srun inside an allocation (srun -n 5 node script.js)",
    );
  }
  return {
    rank: wholeNumber(env.SLURM_PROCID as string, "SLURM_PROCID"),
    size: wholeNumber(env.SLURM_NTASKS as string, "SLURM_NTASKS"),
    jobId: env.SLURM_JOB_ID as string,
    processNoun: "Slurm tasks",
  };
}

/**
 * Rank and size from the MPI launcher's environment: Open MPI (OMPI_COMM_WORLD_RANK/SIZE),
 * MPICH, Intel MPI and other PMI launchers (PMI_RANK/PMI_SIZE), PMIx (PMIX_RANK with
 * OMPI_COMM_WORLD_SIZE or PMI_SIZE). The job id is the batch system's, else Open MPI's.
 */
export function mpiWorld(env: Environment = process.env): RunnerWorld {
  const rank = env.OMPI_COMM_WORLD_RANK ?? env.PMI_RANK ?? env.PMIX_RANK;
  const size = env.OMPI_COMM_WORLD_SIZE ?? env.PMI_SIZE;
  if (rank === undefined || size === undefined) {
    throw new InvalidOptionError(
      "MPIRunner: no MPI rank in the environment (OMPI_COMM_WORLD_RANK/OMPI_COMM_WORLD_SIZE or PMI_RANK/PMI_SIZE); " +
      "start the script with mpirun or mpiexec (mpirun -np 5 node script.js)",
    );
  }
  return {
    rank: wholeNumber(rank, "MPI rank"),
    size: wholeNumber(size, "MPI size"),
    // Outside a batch job, Open MPI's own job id (the same on every rank of one mpirun) still
    // gives each launch its own `{job_id}` scheduler file.
    jobId: env.SLURM_JOB_ID ?? env.PBS_JOBID ?? env.LSB_JOBID ?? env.JOB_ID ?? env.OMPI_MCA_ess_base_jobid ?? null,
    processNoun: "MPI ranks",
  };
}

/** Refuses a world too small for a scheduler, a client and a worker. */
export function checkWorldSize(world: RunnerWorld): void {
  if (world.size < 3) {
    throw new InvalidOptionError(
      `Not enough ${world.processNoun} to start cluster, found ${world.size}, needs at least 3, one each for the ` +
      "scheduler, client and a worker",
    );
  }
  if (world.rank >= world.size) {
    throw new InvalidOptionError(`rank ${world.rank} is outside the ${world.size} ${world.processNoun} of this job`);
  }
}

export function roleOf(rank: number): RunnerRole {
  return rank === 0 ? "scheduler" : rank === 1 ? "client" : "worker";
}

/** The scheduler file path with `{job_id}` filled in. */
export function schedulerFilePath(template: string, jobId: string | null): string {
  if (!template.includes("{job_id}")) return template;
  if (jobId === null) {
    throw new InvalidOptionError(`schedulerFile ${template} uses {job_id}, but this job has no batch job id; give a path without it`);
  }
  return template.replaceAll("{job_id}", jobId);
}

function wholeNumber(text: string, what: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value)) {
    throw new InvalidOptionError(`${what} is ${JSON.stringify(text)}, not a whole number`);
  }
  return value;
}
