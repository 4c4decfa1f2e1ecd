// Worker plugins and resources through a SLURMCluster on the local SLURM (issue 13, items 1
// and 2): workers started in batch jobs with `--resources` offer them to the scheduler, and a
// worker plugin registered while one job runs also runs in a job started by scale() later.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "../../src/client/client.js";
import { SLURMCluster } from "../../src/jobqueue/index.js";
import { ensureLocalSlurm, slurmSkipReason, smallJobOptions, uniqueJobName, waitUntil } from "./local-slurm-fixture.js";

let directory = "";

describe("SLURMCluster with worker plugins and resources", { skip: slurmSkipReason, timeout: 300_000 }, () => {
  before(async () => {
    await ensureLocalSlurm();
    directory = mkdtempSync(join(tmpdir(), "tessera-slurm-plugins-"));
  });
  after(() => rmSync(directory, { recursive: true, force: true }));

  it("a plugin registered after the first job also runs in a job scale() starts later; GPU tasks go to the GPU workers", async () => {
    const marks = join(directory, "marks");
    mkdirSync(marks);
    const cluster = await SLURMCluster.start({
      ...smallJobOptions(directory), walltime: "00:10:00", jobName: uniqueJobName("tessera-plugins"),
      workerExtraArgs: ["--resources", "GPU=1"],
    });
    let client: Client | undefined;
    try {
      await cluster.scale({ jobs: 1 });
      await cluster.waitForWorkers(1, { timeout: "60s" });
      client = await Client.connect(cluster, { setAsDefault: false });
      await client.registerWorkerPlugin({
        marks,
        async setup(worker: { name: string; resources: Record<string, number> }) {
          const fs = await import("node:fs");
          const p = await import("node:path");
          fs.writeFileSync(p.join((this as unknown as { marks: string }).marks, `setup-${worker.name}`), JSON.stringify(worker.resources));
        },
      }, { name: "marking" });
      assert.equal(readdirSync(marks).length, 1);

      await cluster.scale({ jobs: 2 });
      await cluster.waitForWorkers(2, { timeout: "120s" });
      const names = cluster.scheduler.view.workers().map((w) => w.name);
      await waitUntil(() => names.every((name) => existsSync(join(marks, `setup-${name}`))), 60, "the plugin's setup in the job started later");
      const workers = Object.values((await client.refreshSchedulerInfo()).workers);
      assert.ok(workers.every((w) => w.resources?.GPU === 1), JSON.stringify(workers.map((w) => w.resources)));
      const values = await client.gather(client.map((x: number) => x + 1, [1, 2, 3, 4], { resources: { GPU: 1 } }));
      assert.deepEqual(values, [2, 3, 4, 5]);
    } finally {
      await client?.close();
      await cluster.close();
    }
  });
});
