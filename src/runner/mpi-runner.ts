// MPIRunner: the same roles inside an MPI launch (`mpirun -np 5 node script.js`): rank from
// OMPI_COMM_WORLD_RANK or PMI_RANK. The address travels through the scheduler file, not MPI.
import { startRunner, type Runner, type RunnerOptions } from "./runner.js";
import { mpiWorld } from "./world.js";

export class MPIRunner {
  static start(options: RunnerOptions): Promise<Runner> {
    return startRunner(mpiWorld(options.env ?? process.env), options);
  }
}
