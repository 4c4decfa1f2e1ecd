// What happens to a SLURMCluster's computation when its jobs end under it, on the real local
// SLURM: a job cancelled with scancel (gracefully, then with SIGKILL) and jobs reaching a
// one-minute walltime. The cluster must notice through squeue, submit replacements, and the
// computation must finish with the right result.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { Client } from "../../src/client/client.js";
import { SLURMCluster } from "../../src/jobqueue/index.js";
import type { JobQueueCluster } from "../../src/jobqueue/index.js";
import { ensureLocalSlurm, makeSlurmTestDirectory, slurmSkipReason, smallJobOptions, squeueJobs, uniqueJobName, waitUntil } from "./local-slurm-fixture.js";

if (slurmSkipReason) console.log(`# SLURM resilience tests skipped: ${slurmSkipReason}`);

let directory = "";

const options = (jobName: string, walltime: string) => ({ ...smallJobOptions(directory), walltime, jobName });

/** A task that takes `ms` milliseconds of wall time on a worker thread. */
const slowSquare = async (i: number, ms: number) => {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return i * i;
};
const add = (...values: number[]) => values.reduce((a, b) => a + b, 0);

const activeJobs = (cluster: JobQueueCluster) => cluster.jobs.filter((job) => job.endedAt === null);

/** Closes the client, then the cluster whatever the client did: the cluster's close() cancels the test's jobs. */
async function closeBoth(client: Client | undefined, cluster: JobQueueCluster): Promise<void> {
  try {
    await client?.close();
  } finally {
    await cluster.close();
  }
}

describe("SLURMCluster when jobs end under a computation", { skip: slurmSkipReason }, () => {
  before(async () => {
    await ensureLocalSlurm();
    directory = makeSlurmTestDirectory("resilience");
  });
  after(() => rmSync(directory, { recursive: true, force: true }));

  it("replaces a job killed with scancel in the middle of a computation; the result is still right", async () => {
    const jobName = uniqueJobName("tessera-scancel");
    const cluster = await SLURMCluster.start(options(jobName, "00:10:00"));
    let client: Client | undefined;
    try {
      await cluster.scale({ jobs: 2 });
      await cluster.waitForWorkers(2, { timeout: "180s" });
      const [first, second] = cluster.jobs.map((job) => job.id);
      client = await Client.connect(cluster);
      const inputs = Array.from({ length: 40 }, (_, i) => i);
      const squares = client.map(slowSquare, inputs, inputs.map(() => 300));
      const total = client.submit(add, ...squares);
      // In the middle of the computation: some results are in, most are not (each takes 0.3 s).
      await waitUntil(() => squares.filter((square) => square.status === "finished").length >= 4, 120, "the first results");

      execFileSync("scancel", [first]); // SIGTERM: its worker retires, handing its results over
      await waitUntil(() => activeJobs(cluster).length === 2 && !activeJobs(cluster).some((job) => job.id === first), 30, "a replacement for the cancelled job");
      await cluster.waitForWorkers(2, { timeout: "180s" });
      execFileSync("scancel", ["--full", "--signal=KILL", second]); // SIGKILL: its results are lost and recomputed

      assert.equal(await total.result(), inputs.reduce((sum, i) => sum + i * i, 0));
      assert.deepEqual(await client.gather(squares), inputs.map((i) => i * i));
      await waitUntil(() => cluster.jobs.filter((job) => job.endedAt !== null).length >= 2, 20, "both killed jobs seen ended");
      const killed = cluster.jobs.filter((job) => job.id === first || job.id === second);
      assert.deepEqual(killed.map((job) => [job.state, job.rawState]), [["cancelled", "CANCELLED"], ["cancelled", "CANCELLED"]]);
      await waitUntil(() => activeJobs(cluster).length === 2, 30, "replacements for both");
      assert.ok(cluster.jobs.length >= 4, `replacement jobs were submitted (${cluster.jobs.map((job) => job.id).join(", ")})`);
    } finally {
      await closeBoth(client, cluster);
    }
    assert.deepEqual(squeueJobs(jobName), []);
  });

  it("replaces a dead job of two worker processes (dask-jobqueue does not, jobqueue#611)", async () => {
    const jobName = uniqueJobName("tessera-grouped");
    const cluster = await SLURMCluster.start({ ...options(jobName, "00:10:00"), cores: 2, processes: 2, memory: "2GiB" });
    try {
      await cluster.scale(2); // two workers: one job
      await cluster.waitForWorkers(2, { timeout: "180s" });
      const [job] = cluster.jobs;
      assert.deepEqual(cluster.scheduler.view.workers().map((w) => [w.name, w.jobId, w.nthreads]).sort(),
        [[`${job.name}-0`, job.id, 1], [`${job.name}-1`, job.id, 1]]);
      execFileSync("scancel", ["--full", "--signal=KILL", job.id]);
      await waitUntil(() => activeJobs(cluster).length === 1 && activeJobs(cluster)[0].id !== job.id, 30, "a replacement job");
      await cluster.waitForWorkers(2, { timeout: "180s" });
      const [replacement] = activeJobs(cluster);
      assert.deepEqual(cluster.scheduler.view.workers().map((w) => w.jobId), [replacement.id, replacement.id]);
      assert.equal(cluster.jobs.find((j) => j.id === job.id)?.state, "cancelled");
    } finally {
      await cluster.close();
    }
    assert.deepEqual(squeueJobs(jobName), []);
  });

  it("with a one-minute walltime, workers retire before it and are replaced; no task is lost", async () => {
    const jobName = uniqueJobName("tessera-walltime");
    const cluster = await SLURMCluster.start(options(jobName, "00:01:00"));
    // 60 s walltime: workers retire after 30 s ± 3 s (worker-command.ts), well before SLURM's limit.
    assert.match(cluster.jobScript(), /#SBATCH -t 00:01:00\n[^]* --lifetime 30s --lifetime-stagger 3s\n/);
    const departures: Array<{ name: string; address: string; reason?: string }> = [];
    const handedOver: string[] = [];
    const unsubscribe = cluster.scheduler.view.subscribe((record) => {
      if (record.kind === "worker-removed") departures.push({ name: record.name, address: record.worker, reason: record.reason });
      if (record.kind === "transfer") handedOver.push(record.from);
    });
    let client: Client | undefined;
    try {
      await cluster.scale({ jobs: 2 });
      await cluster.waitForWorkers(2, { timeout: "180s" });
      const original = cluster.jobs.map((job) => job.id);
      client = await Client.connect(cluster);
      // 112 s of work: with replacements joining ahead of time (up to four workers) it still
      // runs when the first workers retire (after 27–33 s).
      const inputs = Array.from({ length: 160 }, (_, i) => i);
      const squares = client.map(slowSquare, inputs, inputs.map(() => 700));
      const total = client.submit(add, ...squares);

      assert.equal(await total.result(), inputs.reduce((sum, i) => sum + i * i, 0));
      assert.deepEqual(await client.gather(squares), inputs.map((i) => i * i));
      const retired = departures.filter((departure) => departure.reason === "retired");
      assert.ok(retired.length >= 1, `workers retired during the computation (${JSON.stringify(departures)})`);
      await waitUntil(() => cluster.jobs.filter((job) => original.includes(job.id) && job.endedAt !== null).length === 2, 20, "the first jobs ending");
      const first = cluster.jobs.filter((job) => original.includes(job.id));
      assert.deepEqual(first.map((job) => job.rawState), ["COMPLETED", "COMPLETED"], "the jobs ended by themselves, not by SLURM's time limit");
      const stream = (await client.getTaskStream()) as Array<{ key: string; worker: string }>;
      const workersByName = new Set(departures.map((departure) => departure.name));
      const replacementWorkers = cluster.scheduler.view.workers().filter((worker) => !workersByName.has(worker.name));
      assert.ok(replacementWorkers.length >= 1, "replacement workers are connected");
      assert.ok(stream.some((record) => replacementWorkers.some((worker) => worker.address === record.worker)), "and computed part of the work");
      const counts = cluster.scheduler.view.counts();
      assert.equal(counts.erred, 0);
      // Replacements were submitted ahead of the retirements, so results were handed over, not recomputed.
      assert.ok(retired.some((departure) => handedOver.includes(departure.address)), "retiring workers handed results over");
      const squareKeys = new Set(squares.map((future) => future.key));
      const runs = stream.filter((record) => squareKeys.has(record.key)).length;
      assert.equal(runs, inputs.length, "each task ran exactly once");
      assert.ok(cluster.jobs.some((job) => job.replaced), "jobs were replaced before their workers retired");
    } finally {
      unsubscribe();
      await closeBoth(client, cluster);
    }
    assert.deepEqual(squeueJobs(jobName), []);
  });
});
