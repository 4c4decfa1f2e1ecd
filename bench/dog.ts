/**
 * The DoG pipeline end to end (issue 3): synthetic uint16 volumes stored like the course's
 * data, the course's chunking (32, 64, 64), depth 40, on a LocalCluster of 2 workers × 1 thread,
 * against Dask + scipy on Dask's LocalCluster of the same shape and against whole-volume
 * single-thread scipy ÷ cores, all measured in this run. Also peak memory per worker (VmHWM).
 * usage: node dist/bench/dog.js [--shapes 64x256x256,128x512x512] [--rounds 3]
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { Client, LocalCluster } from "../src/index.js";
import { writeSyntheticVolume } from "../src/cli/synthetic-volume.js";
import { runDogPipeline } from "../src/cli/dog-pipeline.js";
import { fmt, median, printTable, runAnchor } from "./bench-support.js";

const arg = (name: string, fallback: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback);
const shapes = arg("--shapes", "64x256x256,128x512x512").split(",").map((s) => s.split("x").map(Number) as [number, number, number]);
const rounds = Number(arg("--rounds", "3"));
const cores = 2;

function peakRss(pid: number | undefined): number {
  if (!pid) return NaN;
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const match = /VmHWM:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) * 1024 : NaN;
}

const dir = mkdtempSync(join(tmpdir(), "tessera-bench-dog-"));
const rows: Array<Record<string, string | number>> = [];
try {
  for (const shape of shapes) {
    const input = join(dir, `in-${shape.join("x")}.zarr`);
    await writeSyntheticVolume(input, { shape, seed: 11 });
    const times: number[] = [];
    let peak = 0;
    for (let r = 0; r < rounds; r++) {
      const cluster = await LocalCluster.start({ nWorkers: 2, threadsPerWorker: 1, dashboardAddress: false });
      const client = await Client.connect(cluster, { setAsDefault: true });
      try {
        const started = performance.now();
        await runDogPipeline({ input, output: join(dir, "out.zarr") });
        times.push((performance.now() - started) / 1000);
        peak = Math.max(peak, ...cluster.workerProcesses.map((p) => peakRss(p.pid)));
      } finally {
        await client.close();
        await cluster.close();
      }
    }
    const dask = runAnchor("dask-dog.py", [input, "0/0", join(dir, "dask.zarr"), "distributed"]);
    const scipy = runAnchor("scipy-dog.py", [input, "0/0"]);
    const ours = median(times);
    const voxels = shape.reduce((a, b) => a * b, 1);
    rows.push({
      volume: shape.join("×"), "tessera s": fmt(ours, 2), "Mvox/s": fmt(voxels / ours / 1e6, 1),
      "dask s": fmt(dask?.seconds, 2), "vs dask": dask ? `${fmt(dask.seconds / ours)}× faster` : "n/a",
      "scipy 1 thread ÷ 2": fmt(scipy ? scipy.seconds / cores : NaN, 2), "vs scipy÷cores": scipy ? `${fmt(ours / (scipy.seconds / cores), 2)}×` : "n/a",
      "peak RSS/worker MiB": fmt(peak / 2 ** 20, 0),
    });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
printTable(`DoG pipeline, LocalCluster 2 workers × 1 thread (median of ${rounds}); goals: ≥ 3× faster than Dask (aim 5×), within 1.5× of scipy ÷ cores`, rows);
