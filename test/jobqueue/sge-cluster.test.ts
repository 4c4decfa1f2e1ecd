// SGECluster against the real Grid Engine of scripts/local-sge (Son of Grid Engine 8.1.9:
// sge_qmaster and sge_execd on this machine): worker jobs go through qsub, run on the exec
// host and connect back; qstat is asked what is left after closing. The poll timer is
// tested here as on SLURM: a job that fails before its worker connects is reported failed
// with Grid Engine's reason (from qacct, or qstat -j for a job in error state).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "../../src/client/client.js";
import * as nd from "../../src/ndarray/index.js";
import { SGECluster } from "../../src/jobqueue/index.js";
import { ensureLocalSge, qstatJobs, sgeSkipReason } from "./local-sge-fixture.js";
import { waitUntil } from "./local-slurm-fixture.js";
import { waitForPolledEnd } from "./polling-wait.js";

if (sgeSkipReason) console.log(`# SGECluster tests skipped: ${sgeSkipReason}`);

let directory = "";
const pollIntervalSeconds = 1;
/** qstat shows 10 characters of a name: short unique ones. */
const jobName = () => `sg${randomBytes(4).toString("hex")}`;
const options = (name: string) => ({
  cores: 1, memory: "1GiB", processes: 1, walltime: "00:10:00", queue: "all.q", jobName: name,
  logDirectory: join(directory, "logs"), stateDirectory: join(directory, "state"), pollInterval: `${pollIntervalSeconds}s`,
  schedulerOptions: { dashboardAddress: false as const },
});

/** Resolves once `qacct -j id` has the job's record: Grid Engine itself knows it ended. */
function accountingHas(id: string): Promise<void> {
  return waitUntil(() => {
    try {
      execFileSync("qacct", ["-j", id], { stdio: "ignore" });
      return true;
    } catch {
      return false;
    }
  }, 120, `qacct's record of job ${id}`);
}

describe("SGECluster on the local Grid Engine", { skip: sgeSkipReason }, () => {
  before(() => {
    ensureLocalSge();
    directory = mkdtempSync(join(tmpdir(), "tessera-sge-cluster-"));
  });
  after(() => rmSync(directory, { recursive: true, force: true }));

  it("scale({ jobs: 2 }) brings two workers that compute; close() leaves no job in qstat", async () => {
    const name = jobName();
    const cluster = await SGECluster.start(options(name));
    let client: Client | undefined;
    let closeSeconds = 0;
    try {
      const scaled = Date.now();
      await cluster.scale({ jobs: 2 });
      await cluster.waitForWorkers(2, { timeout: "120s" });
      const connectSeconds = (Date.now() - scaled) / 1000;
      const ids = cluster.jobs.map((job) => job.id);
      // A job whose worker already connected may still show "t" (transferring) until execd reports it running.
      const running = ids.map((id) => `${id} r`).sort();
      await waitUntil(() => qstatJobs(name).sort().join() === running.join(), 60, "qstat to show both jobs running");
      assert.deepEqual(qstatJobs(name).sort(), running);
      const workers = cluster.scheduler.view.workers();
      assert.deepEqual(workers.map((w) => w.jobId).sort(), [...ids].sort(), "workers report the Grid Engine job (JOB_ID) they run in");
      await cluster.refreshJobs();
      assert.deepEqual(cluster.jobs.map((job) => [job.state, job.rawState, job.workers.length]), [["running", "r", 1], ["running", "r", 1]]);

      client = await Client.connect(cluster);
      const arrays = Array.from({ length: 16 }, (_, k) => nd.full([128, 128], k + 1, "float64"));
      const sums = await client.gather(client.map((a: { data: Float64Array }) => a.data.reduce((s, v) => s + v, 0), await client.scatter(arrays)));
      assert.deepEqual(sums, arrays.map((_, k) => 128 * 128 * (k + 1)));
      let level = client.map((x: number) => x * x, Array.from({ length: 64 }, (_, i) => i));
      while (level.length > 1) {
        const next = [];
        for (let i = 0; i < level.length; i += 2) next.push(client.submit((a: number, b: number) => a + b, level[i], level[i + 1]));
        level = next;
      }
      assert.equal(await level[0].result(), Array.from({ length: 64 }, (_, i) => i * i).reduce((a, b) => a + b, 0));
      const stream = (await client.getTaskStream()) as Array<{ worker: string }>;
      assert.equal(new Set(stream.map((record) => record.worker)).size, 2, "both workers computed");
      await client.close();
      client = undefined;
      const closing = Date.now();
      await cluster.close();
      closeSeconds = (Date.now() - closing) / 1000;
      console.log(`# SGE figures: scale(2) → 2 workers connected ${connectSeconds.toFixed(1)} s; close() → no job left ${closeSeconds.toFixed(1)} s`);
    } finally {
      await client?.close();
      await cluster.close();
    }
    assert.deepEqual(qstatJobs(name), [], "close() leaves no job in qstat");
    assert.ok(!existsSync(cluster.stateFile), "nor a state file");
  });

  it("the poll timer reports a job that failed before its worker connected, with qacct's exit status", async () => {
    const name = jobName();
    const cluster = await SGECluster.start({ ...options(name), jobScriptPrologue: ["exit 7"], maxFailedStarts: 1 });
    try {
      await cluster.scale({ jobs: 1 });
      const [job] = cluster.jobs;
      const ended = await waitForPolledEnd(cluster, { pollIntervalSeconds, known: accountingHas(job.id), what: "sge exit 7", id: () => job.id });
      assert.deepEqual([ended.state, ended.reason, ended.workers], ["failed", "exit status 7", []]);
    } finally {
      await cluster.close();
    }
    assert.deepEqual(qstatJobs(name), []);
  });

  it("a job stuck in error state (Eqw) is reported with Grid Engine's reason and deleted", async () => {
    const name = jobName();
    const missing = join(directory, "no-such-directory");
    const cluster = await SGECluster.start({ ...options(name), jobExtraDirectives: [`-o ${missing}/`], maxFailedStarts: 1 });
    try {
      await cluster.scale({ jobs: 1 });
      const [job] = cluster.jobs;
      const inError = waitUntil(() => qstatJobs(name).some((line) => line === `${job.id} Eqw`), 60, "Grid Engine putting the job in Eqw");
      const ended = await waitForPolledEnd(cluster, { pollIntervalSeconds, known: inError, what: "sge Eqw", id: () => job.id });
      assert.deepEqual([ended.state, ended.rawState], ["failed", "Eqw"]);
      assert.match(ended.reason ?? "", new RegExp(`can't open output file "${missing}/"`));
      await waitUntil(() => qstatJobs(name).length === 0, 30, "the stuck job being deleted");
    } finally {
      await cluster.close();
    }
    assert.ok(!existsSync(missing));
  });
});
