// Runners: a whole cluster inside one launch of N processes (srun, mpirun); rank → role.
export { SLURMRunner } from "./slurm-runner.js";
export { MPIRunner } from "./mpi-runner.js";
export { Runner, type RunnerOptions } from "./runner.js";
export { slurmWorld, mpiWorld, roleOf, type RunnerRole, type RunnerWorld } from "./world.js";
