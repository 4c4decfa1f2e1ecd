/**
 * The course's SLURMCluster script, rewritten for tessera: the scheduler runs here (on the
 * login node), workers run in SLURM jobs, and the difference of Gaussians of a 3-D Zarr
 * volume is computed on them.
 *
 *   npx tsx examples/slurm-cluster.ts /data/3d.zarr /data/dog.zarr [--jobs 4]
 *
 * Site settings (queue, cores, memory, walltime, interface) are the course's; change them
 * below or on the command line (--queue, --cores, --memory, --walltime, --interface). Without
 * an input path a synthetic volume is written first. The job script the cluster submits is
 * printed by `tessera job-script slurm --cores 24 --memory 128GB …`, or cluster.jobScript().
 */
import { parseArgs } from "node:util";
import { Client } from "tessera";
import * as ta from "tessera/array";
import * as ndimage from "tessera/ndimage";
import { SLURMCluster } from "tessera/jobqueue";
import { writeSyntheticVolume } from "../src/cli/synthetic-volume.js";

const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    jobs: { type: "string", default: "2" },
    queue: { type: "string", default: "normal" },
    cores: { type: "string", default: "24" },
    memory: { type: "string", default: "128GB" },
    walltime: { type: "string", default: "02:00:00" },
    interface: { type: "string" },
  },
});
const input = positionals[0] ?? "/tmp/tessera-example/3d.zarr";
const output = positionals[1] ?? "/tmp/tessera-example/dog.zarr";
if (!positionals[0]) await writeSyntheticVolume(input, { shape: [64, 256, 256] });

await using cluster = await SLURMCluster.start({
  queue: flags.queue, cores: Number(flags.cores), memory: flags.memory, walltime: flags.walltime, processes: 1,
  jobName: "nanocourse", localDirectory: "/tmp", deathTimeout: "600s", // node-local scratch: $TMPDIR, /local/scratch…
  logDirectory: "tessera-logs", // job output, and the credential file the workers read (a shared directory)
  ...(flags.interface ? { interface: flags.interface } : {}),
  schedulerOptions: { dashboardAddress: ":9000", idleTimeout: "3600s", allowedFailures: 10 },
});
console.log(cluster.jobScript());
await cluster.scale({ jobs: Number(flags.jobs) });
await using client = await Client.connect(cluster);
console.log("dashboard:", client.dashboardLink, "— waiting for workers; jobs:", cluster.jobs.map((job) => `${job.id} ${job.state}`).join(", "));
await cluster.waitForWorkers(Number(flags.jobs), { timeout: "30 minutes" });

const data = await ta.fromZarr(input, { component: "0/0" });
const vol = data.squeeze().rechunk([32, 64, 64]);
const hi = vol.mapOverlap(ndimage.gaussianFilter, { depth: 40, boundary: "nearest" }, { sigma: 3, order: 0, mode: "nearest" });
const lo = vol.mapOverlap(ndimage.gaussianFilter, { depth: 40, boundary: "nearest" }, { sigma: 10, order: 0, mode: "nearest" });
const dog = ta.subtract(hi, lo);
const started = performance.now();
await dog.toZarr(output, { overwrite: true });
console.log(`wrote ${output} (${dog.shape.join("×")}, ${dog.dtype}) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
console.log("jobs:", (await cluster.refreshJobs()).map((job) => `${job.id} ${job.state}${job.reason ? ` (${job.reason})` : ""}`).join(", "));
// Leaving the scope closes the client, then the cluster: workers retire, jobs are cancelled.
