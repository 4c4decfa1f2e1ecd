/**
 * Job-queue figures on the local SLURM (scripts/local-slurm, three nodes on this machine):
 *   scale-up:  SLURMCluster.scale({ jobs: 2 }) until both workers are connected
 *   close:     cluster.close() until squeue lists none of its jobs as pending or running
 * plus, for reference, how long SLURM itself takes to start an `sbatch --wrap true` job here.
 * The anchor would be dask-jobqueue's SLURMCluster; Debian 12 does not package it
 * (python3-dask-jobqueue does not exist), so the figures are absolute.
 * usage (as root, the SLURM running): node dist/bench/jobqueue-scaling.js [--rounds 5]
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SLURMCluster } from "../src/jobqueue/index.js";
import { fmt, median, printTable } from "./bench-support.js";

const rounds = Number(process.argv[process.argv.indexOf("--rounds") + 1] || 5) || 5;
const directory = mkdtempSync(join(tmpdir(), "tessera-bench-jobqueue-"));
const jobName = `tessera-bench-${process.pid}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function queued(ids: string[]): string[] {
  if (ids.length === 0) return [];
  const out = execFileSync("squeue", ["--noheader", `--jobs=${ids.join(",")}`, "--format=%i %T"], { encoding: "utf8" });
  return out.split("\n").filter((line) => /PENDING|RUNNING|COMPLETING|CONFIGURING/.test(line));
}

/** sbatch of a trivial job until squeue shows it running: SLURM's own start-up here. */
async function slurmStartSeconds(): Promise<number> {
  const started = performance.now();
  const id = execFileSync("sbatch", ["--parsable", "--output=/dev/null", `--job-name=${jobName}-ref`, "--wrap", "sleep 5"], { encoding: "utf8" }).trim();
  while (!queued([id]).some((line) => line.endsWith("RUNNING"))) await sleep(20);
  const seconds = (performance.now() - started) / 1000;
  execFileSync("scancel", [id]);
  return seconds;
}

async function round(): Promise<{ up: number; submitted: number; close: number }> {
  const cluster = await SLURMCluster.start({
    cores: 1, memory: "1GiB", processes: 1, walltime: "00:10:00", jobName, pollInterval: "1s",
    logDirectory: join(directory, "logs"), stateDirectory: join(directory, "state"), schedulerOptions: { dashboardAddress: false },
  });
  const started = performance.now();
  await cluster.scale({ jobs: 2 });
  const submitted = (performance.now() - started) / 1000;
  await cluster.waitForWorkers(2, { timeout: "120s" });
  const up = (performance.now() - started) / 1000;
  const ids = cluster.jobs.map((job) => job.id);
  const closing = performance.now();
  await cluster.close();
  while (queued(ids).length > 0) await sleep(20);
  const close = (performance.now() - closing) / 1000;
  return { up, submitted, close };
}

const results = [];
const references = [];
for (let r = 0; r < rounds; r++) {
  results.push(await round());
  references.push(await slurmStartSeconds());
}
rmSync(directory, { recursive: true, force: true });

printTable(`SLURMCluster on the local SLURM (3 nodes on this machine), median of ${rounds} rounds, seconds`, [
  { measure: "scale({ jobs: 2 }) → 2 workers connected", tessera: fmt(median(results.map((r) => r.up)), 2), "dask-jobqueue": "not packaged in Debian 12" },
  { measure: "  of which sbatch ×2 (scale() resolved)", tessera: fmt(median(results.map((r) => r.submitted)), 3), "dask-jobqueue": "" },
  { measure: "close() → squeue lists none of the jobs", tessera: fmt(median(results.map((r) => r.close)), 2), "dask-jobqueue": "not packaged in Debian 12" },
  { measure: "reference: sbatch --wrap → RUNNING", tessera: fmt(median(references), 2), "dask-jobqueue": "" },
]);
process.stdout.write(`all rounds (up / close): ${results.map((r) => `${fmt(r.up, 2)}/${fmt(r.close, 2)}`).join("  ")}\n`);
