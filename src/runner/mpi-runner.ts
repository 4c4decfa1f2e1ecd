// MPIRunner: the same roles inside an MPI launch (`mpirun -n 5 node script.js`): rank and size
// from Open MPI's OMPI_COMM_WORLD_RANK/SIZE (checked under Open MPI 4.1's mpirun), or PMI_RANK/
// PMI_SIZE (MPICH's mpiexec.mpich, Intel MPI). The address travels through the scheduler file,
// not MPI; `{job_id}` in its path is the batch job's id, else Open MPI's own.
import { startRunner, type Runner, type RunnerOptions } from "./runner.js";
import { mpiWorld } from "./world.js";

export class MPIRunner {
  static start(options: RunnerOptions): Promise<Runner> {
    return startRunner(mpiWorld(options.env ?? process.env), options);
  }
}
