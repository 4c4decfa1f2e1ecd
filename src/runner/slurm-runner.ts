// SLURMRunner: a cluster inside one SLURM job step (`srun -n 5 node script.js`): rank from SLURM_PROCID.
import { startRunner, type Runner, type RunnerOptions } from "./runner.js";
import { slurmWorld } from "./world.js";

export class SLURMRunner {
  /**
   * `await using runner = await SLURMRunner.start({ schedulerFile: "/shared/scheduler-{job_id}.json" })`:
   * task 0 runs the scheduler and tasks ≥ 2 the workers inside this call, which returns only on task 1.
   */
  static start(options: RunnerOptions): Promise<Runner> {
    return startRunner(slurmWorld(options.env ?? process.env), options);
  }
}
