/**
 * The course's SLURMRunner script, rewritten for tessera: the whole cluster lives inside one
 * SLURM allocation. Every task runs this script (see slurm-runner.sbatch); task 0 becomes
 * the scheduler and tasks 2, 3, … the workers inside SLURMRunner.start(), which returns only
 * on task 1, where the rest of the script runs. The scheduler file (with the cluster
 * credential, mode 0600) must be on a filesystem every node sees.
 *
 *   srun -n 6 npx tsx examples/slurm-runner.ts /shared/3d.zarr /shared/dog.zarr
 */
import { Client } from "tessera";
import * as ta from "tessera/array";
import * as ndimage from "tessera/ndimage";
import { SLURMRunner } from "tessera/jobqueue";

const input = process.argv[2] ?? "3d.zarr";
const output = process.argv[3] ?? "dog.zarr";

await using runner = await SLURMRunner.start({ schedulerFile: "scheduler-{job_id}.json" });
// Only task 1 gets here; the other tasks end when this scope does, with its exit status.
await using client = await Client.connect(runner);
await client.waitForWorkers(runner.nWorkers, { timeout: "120s" });
console.log(`${runner.nWorkers} workers in job ${runner.jobId}`);

const data = await ta.fromZarr(input, { component: "0/0" });
const vol = data.squeeze().rechunk([32, 64, 64]);
const hi = vol.mapOverlap(ndimage.gaussianFilter, { depth: 40, boundary: "nearest" }, { sigma: 3, order: 0, mode: "nearest" });
const lo = vol.mapOverlap(ndimage.gaussianFilter, { depth: 40, boundary: "nearest" }, { sigma: 10, order: 0, mode: "nearest" });
await ta.subtract(hi, lo).toZarr(output, { overwrite: true });
console.log(`wrote ${output}`);
