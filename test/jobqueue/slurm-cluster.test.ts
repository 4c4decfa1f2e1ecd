// SLURMCluster against the real SLURM of scripts/local-slurm: worker jobs go through sbatch,
// their workers run on the nodes n1–n3 (all on this machine) and connect back; squeue is
// asked what is left after scaling down and closing. The DoG check uses the array tests'
// Python anchor (test/array/python.ts: Debian's dask + scipy).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { existsSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "../../src/client/client.js";
import { config } from "../../src/config/store.js";
import { InvalidOptionError } from "../../src/core/errors.js";
import * as nd from "../../src/ndarray/index.js";
import { BatchCommandError, SLURMCluster, cancelOrphanedJobs } from "../../src/jobqueue/index.js";
import { runDogPipeline } from "../../src/cli/dog-pipeline.js";
import { writeSyntheticVolume } from "../../src/cli/synthetic-volume.js";
import { compareZarr, python } from "../array/python.js";
import { ensureLocalSlurm, makeSlurmTestDirectory, slurmSkipReason, smallJobOptions, squeueJobs, uniqueJobName, waitUntil } from "./local-slurm-fixture.js";

if (slurmSkipReason) console.log(`# SLURMCluster tests skipped: ${slurmSkipReason}`);

let directory = "";
const baseOptions = () => ({ ...smallJobOptions(directory), walltime: "00:10:00" });

/** Listening sockets of this process. */
const serverHandles = () => process.getActiveResourcesInfo().filter((name) => name === "TCPServerWrap").length;

describe("SLURMCluster on the local SLURM", { skip: slurmSkipReason }, () => {
  before(async () => {
    await ensureLocalSlurm();
    directory = makeSlurmTestDirectory("cluster");
  });
  after(() => rmSync(directory, { recursive: true, force: true }));

  it("scale({ jobs: 2 }) brings two workers that compute; scale-down and close() leave no job in squeue", async () => {
    const jobName = uniqueJobName("tessera-scale");
    const cluster = await SLURMCluster.start({ ...baseOptions(), jobName });
    let client: Client | undefined;
    try {
      await cluster.scale({ jobs: 2 });
      await cluster.waitForWorkers(2, { timeout: "60s" });
      const ids = cluster.jobs.map((job) => job.id);
      assert.deepEqual(squeueJobs(jobName).sort(), ids.map((id) => `${id} RUNNING`).sort());
      const workers = cluster.scheduler.view.workers();
      assert.deepEqual(workers.map((w) => w.jobId).sort(), [...ids].sort(), "workers report the job they run in");
      assert.ok(workers.every((w) => w.nthreads === 1 && w.memoryLimit === 2 ** 30));
      await cluster.refreshJobs();
      assert.deepEqual(cluster.jobs.map((job) => [job.state, job.rawState, job.workers.length]), [["running", "RUNNING", 1], ["running", "RUNNING", 1]]);

      client = await Client.connect(cluster);
      // NDArrays scattered to the workers, reduced there.
      const arrays = Array.from({ length: 8 }, (_, k) => {
        const array = nd.empty([64, 64], "float64");
        for (let i = 0; i < array.data.length; i++) array.data[i] = (i % 13) * (k + 1);
        return array;
      });
      const scattered = await client.scatter(arrays);
      const sums = await client.gather(client.map((a: { data: Float64Array }) => a.data.reduce((s, v) => s + v, 0), scattered));
      assert.deepEqual(sums, arrays.map((a) => (a.data as Float64Array).reduce((s, v) => s + v, 0)));
      // A tree of dependent tasks: squares, then pairwise sums down to one.
      let level = client.map((x: number) => x * x, Array.from({ length: 32 }, (_, i) => i));
      while (level.length > 1) {
        const next = [];
        for (let i = 0; i < level.length; i += 2) next.push(client.submit((a: number, b: number) => a + b, level[i], level[i + 1]));
        level = next;
      }
      const total = level[0];
      assert.equal(await total.result(), Array.from({ length: 32 }, (_, i) => i * i).reduce((a, b) => a + b, 0));
      const stream = (await client.getTaskStream()) as Array<{ worker: string }>;
      assert.equal(new Set(stream.map((record) => record.worker)).size, 2, "both workers computed");

      // The course's pipeline on the two jobs, checked voxel for voxel against Dask + scipy.
      const input = join(directory, "volume.zarr");
      await writeSyntheticVolume(input, { shape: [48, 96, 96], seed: 11 });
      await runDogPipeline({ input, component: "0/0", output: join(directory, "dog.zarr"), executor: client });
      python("dask_dog.py", input, "0/0", join(directory, "dask-dog.zarr"), "synchronous");
      const comparison = compareZarr(join(directory, "dog.zarr"), join(directory, "dask-dog.zarr"));
      assert.deepEqual([comparison.shape, comparison.mismatches, comparison.equal], [[48, 96, 96], 0, true]);

      await cluster.scale({ jobs: 1 });
      assert.equal(squeueJobs(jobName).length, 1, "scale-down leaves one job in squeue");
      const stopped = cluster.jobs.find((job) => job.endedAt !== null);
      assert.deepEqual([stopped?.state, stopped?.rawState], ["finished", "COMPLETED"], "its worker retired and the job ended by itself");
      assert.equal(await total.result(), 10416, "results held by the retired worker were handed over");
    } finally {
      await client?.close();
      await cluster.close();
    }
    assert.deepEqual(squeueJobs(jobName), [], "close() leaves no job in squeue");
    assert.ok(!existsSync(cluster.stateFile), "nor a state file");
    assert.deepEqual(readdirSync(join(directory, "logs")).filter((name) => name.endsWith(".credential")), [], "nor a credential file");
  });

  it("shows sbatch's refusal to the caller and leaves nothing behind", async () => {
    const jobName = uniqueJobName("tessera-refused");
    const before = serverHandles();
    await assert.rejects(SLURMCluster.start({ ...baseOptions(), jobName, queue: "no-such-partition", nWorkers: 2 }), (error: Error) =>
      error instanceof BatchCommandError && error.message.includes("stderr: sbatch: error: invalid partition specified: no-such-partition"));
    assert.equal(serverHandles(), before, "the scheduler was closed");
    assert.deepEqual(squeueJobs(jobName), []);
    assert.deepEqual(readdirSync(join(directory, "state")).filter((name) => name.startsWith("SLURMCluster")), []);

    const cluster = await SLURMCluster.start({ ...baseOptions(), jobName, jobExtraDirectives: ["--constraint=no-such-feature"] });
    try {
      await assert.rejects(cluster.scale({ jobs: 1 }), /stderr: sbatch: error: Batch job submission failed: Invalid feature specification/);
    } finally {
      await cluster.close();
    }
  });

  it("refuses unparseable memory and walltime and unknown config keys, naming them, before starting anything", async () => {
    const before = serverHandles();
    await assert.rejects(SLURMCluster.start({ ...baseOptions(), memory: "12 gigs" }), (error: Error) =>
      error instanceof InvalidOptionError && /memory: "12 gigs" is not a byte size/.test(error.message));
    await assert.rejects(SLURMCluster.start({ ...baseOptions(), walltime: "half an hour" }), (error: Error) =>
      error instanceof InvalidOptionError && /walltime: "half an hour" is not a slurm walltime/.test(error.message));
    const file = join(directory, "bad.yaml");
    writeFileSync(file, "jobqueue:\n  slurm:\n    coress: 4\n");
    process.env.TESSERA_CONFIG = file;
    config.refresh();
    try {
      await assert.rejects(SLURMCluster.start(baseOptions()), (error: Error) =>
        error.message.includes(file) && error.message.includes("jobqueue.slurm.coress: unknown key") && error.message.includes('"cores"'));
    } finally {
      delete process.env.TESSERA_CONFIG;
      config.refresh();
    }
    assert.equal(serverHandles(), before);
  });

  it("records its jobs so those of a crashed client can be cancelled", async () => {
    const jobName = uniqueJobName("tessera-orphan");
    const script = fileURLToPath(new URL("./fixtures/crashing-client.js", import.meta.url));
    const stateDirectory = join(directory, "orphans");
    const child = spawn(process.execPath, [script, stateDirectory, jobName, join(directory, "logs")], { stdio: ["ignore", "pipe", "inherit"] });
    const line = await new Promise<string>((resolve, reject) => {
      child.stdout.once("data", (data: Buffer) => resolve(data.toString()));
      child.once("exit", (code) => reject(new Error(`the client exited early with ${code}`)));
    });
    const { ids, stateFile } = JSON.parse(line) as { ids: string[]; stateFile: string };
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    assert.deepEqual(squeueJobs(jobName).sort(), ids.map((id) => `${id} PENDING`).sort(), "the dead client's jobs are still queued");

    const found = await cancelOrphanedJobs({ directory: stateDirectory });
    assert.deepEqual(found.map((orphan) => [orphan.system, orphan.jobIds.sort(), orphan.error]), [["slurm", [...ids].sort(), undefined]]);
    await waitUntil(() => squeueJobs(jobName).length === 0, 20, "squeue forgetting the cancelled jobs");
    assert.ok(!existsSync(stateFile), "the state file is removed once its jobs are cancelled");
    const states = execFileSync("squeue", ["--noheader", "--states=all", `--jobs=${ids.join(",")}`, "--format=%T"], { encoding: "utf8" });
    assert.deepEqual(states.trim().split("\n"), ["CANCELLED", "CANCELLED"]);
  });
});
