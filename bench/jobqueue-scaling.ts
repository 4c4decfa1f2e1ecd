/**
 * Job-queue figures on the local SLURM (scripts/local-slurm, three nodes on this machine) and,
 * when it runs, the local Grid Engine (scripts/local-sge):
 *   scale-up:  <Cluster>.scale({ jobs: 2 }) until both workers are connected
 *   close:     cluster.close() until squeue / qstat lists none of its jobs
 * plus, for reference, how long the batch system itself takes to start a trivial job here.
 * The anchor would be dask-jobqueue's clusters; Debian 12 does not package dask-jobqueue
 * (python3-dask-jobqueue does not exist), so the figures are absolute.
 * usage (as root, SLURM running; SGE optional): node dist/bench/jobqueue-scaling.js [--rounds 5]
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SGECluster, SLURMCluster, type JobQueueCluster } from "../src/jobqueue/index.js";
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

/** One round on a started cluster: scale({ jobs: 2 }) until both workers connect, close() until `listed` shows none of its jobs. */
async function round(cluster: JobQueueCluster, listed: (ids: string[]) => string[]): Promise<{ up: number; submitted: number; close: number }> {
  const started = performance.now();
  await cluster.scale({ jobs: 2 });
  const submitted = (performance.now() - started) / 1000;
  await cluster.waitForWorkers(2, { timeout: "120s" });
  const up = (performance.now() - started) / 1000;
  const ids = cluster.jobs.map((job) => job.id);
  const closing = performance.now();
  await cluster.close();
  while (listed(ids).length > 0) await sleep(20);
  return { up, submitted, close: (performance.now() - closing) / 1000 };
}

const common = { cores: 1, memory: "1GiB", processes: 1, walltime: "00:10:00", pollInterval: "1s", schedulerOptions: { dashboardAddress: false as const } };
const slurmRound = async () => round(await SLURMCluster.start({
  ...common, jobName, logDirectory: join(directory, "logs"), stateDirectory: join(directory, "state"),
}), queued);

const results = [];
const references = [];
for (let r = 0; r < rounds; r++) {
  results.push(await slurmRound());
  references.push(await slurmStartSeconds());
}

const sgeRunning = (() => {
  try {
    execFileSync("qconf", ["-sh"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

function sgeQueued(ids: string[]): string[] {
  const out = execFileSync("qstat", ["-u", "*"], { encoding: "utf8" });
  return out.split("\n").map((line) => line.trim().split(/\s+/)[0]).filter((id) => ids.includes(id));
}

/** qsub of a trivial job until qstat shows it running: Grid Engine's own start-up here. */
async function sgeStartSeconds(): Promise<number> {
  const started = performance.now();
  const out = execFileSync("qsub", ["-b", "y", "-o", "/dev/null", "-j", "y", "-N", "tbref", "sleep", "5"], { encoding: "utf8" });
  const id = /Your job (\d+)/.exec(out)?.[1] ?? "";
  while (!execFileSync("qstat", ["-u", "*"], { encoding: "utf8" }).split("\n").some((line) => line.trim().startsWith(`${id} `) && / r /.test(line))) await sleep(20);
  const seconds = (performance.now() - started) / 1000;
  execFileSync("qdel", [id], { stdio: "ignore" });
  return seconds;
}

const sgeRound = async () => round(await SGECluster.start({
  ...common, queue: "all.q", jobName: "tbench", logDirectory: join(directory, "sge-logs"), stateDirectory: join(directory, "state"),
}), sgeQueued);

const sgeResults = [];
const sgeReferences = [];
if (sgeRunning) {
  for (let r = 0; r < rounds; r++) {
    sgeResults.push(await sgeRound());
    sgeReferences.push(await sgeStartSeconds());
  }
}
rmSync(directory, { recursive: true, force: true });

printTable(`SLURMCluster on the local SLURM (3 nodes on this machine), median of ${rounds} rounds, seconds`, [
  { measure: "scale({ jobs: 2 }) → 2 workers connected", tessera: fmt(median(results.map((r) => r.up)), 2), "dask-jobqueue": "not packaged in Debian 12" },
  { measure: "  of which sbatch ×2 (scale() resolved)", tessera: fmt(median(results.map((r) => r.submitted)), 3), "dask-jobqueue": "" },
  { measure: "close() → squeue lists none of the jobs", tessera: fmt(median(results.map((r) => r.close)), 2), "dask-jobqueue": "not packaged in Debian 12" },
  { measure: "reference: sbatch --wrap → RUNNING", tessera: fmt(median(references), 2), "dask-jobqueue": "" },
]);
process.stdout.write(`all rounds (up / close): ${results.map((r) => `${fmt(r.up, 2)}/${fmt(r.close, 2)}`).join("  ")}\n`);
if (sgeRunning) {
  printTable(`SGECluster on the local Grid Engine (SoGE 8.1.9, one exec host), median of ${rounds} rounds, seconds`, [
    { measure: "scale({ jobs: 2 }) → 2 workers connected", tessera: fmt(median(sgeResults.map((r) => r.up)), 2), "dask-jobqueue": "not packaged in Debian 12" },
    { measure: "  of which qsub ×2 (scale() resolved)", tessera: fmt(median(sgeResults.map((r) => r.submitted)), 3), "dask-jobqueue": "" },
    { measure: "close() → qstat lists none of the jobs", tessera: fmt(median(sgeResults.map((r) => r.close)), 2), "dask-jobqueue": "not packaged in Debian 12" },
    { measure: "reference: qsub -b y sleep → r", tessera: fmt(median(sgeReferences), 2), "dask-jobqueue": "" },
  ]);
} else {
  process.stdout.write("\nGrid Engine is not running here (bash scripts/local-sge/start.sh starts it): no SGE figures\n");
}
