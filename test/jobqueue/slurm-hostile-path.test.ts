// Issue 9 on the real local SLURM: a SLURMCluster whose localDirectory is a hostile path. The
// job script goes through sbatch and bash on a node; the worker must connect and use the path
// literally (its scratch directory lives inside it), and the injected command must never run.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { SLURMCluster } from "../../src/jobqueue/index.js";
import { ensureLocalSlurm, makeSlurmTestDirectory, slurmSkipReason, smallJobOptions, squeueJobs, uniqueJobName } from "./local-slurm-fixture.js";

if (slurmSkipReason) console.log(`# SLURM hostile-path test skipped: ${slurmSkipReason}`);

describe("a hostile localDirectory through the real SLURM", { skip: slurmSkipReason }, () => {
  let directory = "";
  before(async () => {
    await ensureLocalSlurm();
    directory = makeSlurmTestDirectory("hostile");
  });
  after(() => rmSync(directory, { recursive: true, force: true }));

  it("is one literal path to the worker; the injected command never runs", async () => {
    const marker = join(directory, "injected-marker");
    const hostile = join(directory, `my dir;echo INJECTED;touch ${marker};$(touch ${marker})`);
    const jobName = uniqueJobName("tessera-hostile");
    const cluster = await SLURMCluster.start({ ...smallJobOptions(directory), walltime: "00:05:00", jobName, localDirectory: hostile });
    try {
      await cluster.scale({ jobs: 1 });
      await cluster.waitForWorkers(1, { timeout: "60s" });
      const [worker] = cluster.scheduler.view.workers();
      assert.ok(worker.localDirectory.startsWith(`${hostile}/tessera-worker-`), `the worker's scratch is inside the literal path: ${worker.localDirectory}`);
      assert.ok(existsSync(worker.localDirectory));
    } finally {
      await cluster.close();
    }
    assert.deepEqual(squeueJobs(jobName), []);
    assert.ok(!existsSync(marker), "the injected touch did not run");
    const logs = readdirSync(join(directory, "logs")).filter((name) => name.endsWith(".out") || name.endsWith(".err"));
    assert.ok(logs.length > 0, "the job wrote its logs");
    for (const name of logs) assert.ok(!readFileSync(join(directory, "logs", name), "utf8").includes("INJECTED"), name);
  });
});
