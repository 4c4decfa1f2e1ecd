// The poll timer on the real local SLURM: a worker job that fails before its worker connects
// (its script exits 7 before the worker command) is reported failed, with SLURM's reason, by
// the cluster's timed poll within a deadline derived from the configured interval, counted
// from when squeue itself shows the job FAILED (polling-wait.ts). No refreshJobs() here.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { SLURMCluster } from "../../src/jobqueue/index.js";
import { ensureLocalSlurm, makeSlurmTestDirectory, slurmSkipReason, smallJobOptions, squeueJobs, uniqueJobName, waitUntil } from "./local-slurm-fixture.js";
import { waitForPolledEnd } from "./polling-wait.js";

if (slurmSkipReason) console.log(`# SLURM polling test skipped: ${slurmSkipReason}`);

const pollIntervalSeconds = 1;

/** Resolves once squeue --states=all shows job `id` in `state`. */
function squeueShows(id: string, state: string): Promise<void> {
  return waitUntil(() => execFileSync("squeue", ["--noheader", "--states=all", `--jobs=${id}`, "--format=%T"], { encoding: "utf8" }).trim() === state,
    120, `squeue showing job ${id} ${state}`);
}

describe("SLURMCluster's poll timer on the local SLURM", { skip: slurmSkipReason }, () => {
  let directory = "";
  before(async () => {
    await ensureLocalSlurm();
    directory = makeSlurmTestDirectory("polling");
  });
  after(() => rmSync(directory, { recursive: true, force: true }));

  it("reports a job that failed before its worker connected as failed (NonZeroExitCode) within the interval's bound", async () => {
    const jobName = uniqueJobName("tessera-poll");
    const cluster = await SLURMCluster.start({
      ...smallJobOptions(directory), pollInterval: `${pollIntervalSeconds}s`, walltime: "00:05:00", jobName,
      jobScriptPrologue: ["exit 7"], maxFailedStarts: 1,
    });
    try {
      await cluster.scale({ jobs: 1 });
      const [job] = cluster.jobs;
      const ended = await waitForPolledEnd(cluster, { pollIntervalSeconds, known: squeueShows(job.id, "FAILED"), what: "slurm exit 7", id: () => job.id });
      assert.deepEqual([ended.state, ended.rawState, ended.reason, ended.workers], ["failed", "FAILED", "NonZeroExitCode", []]);
      assert.equal(cluster.scheduler.view.workers().length, 0);
    } finally {
      await cluster.close();
    }
    assert.deepEqual(squeueJobs(jobName), []);
  });
});
