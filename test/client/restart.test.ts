/**
 * client.restart() through the nannies (Dask's Client.restart): every worker process is
 * replaced by a fresh one under the same name, every future ends cancelled, and the cluster
 * works on; refused (nothing restarted) when a worker has no nanny. Real process workers.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Client, LocalCluster } from "../../src/index.js";

describe("client.restart() through the nannies", { timeout: 180_000 }, () => {
  let cluster: LocalCluster;
  let client: Client;
  before(async () => {
    cluster = await LocalCluster.start({ nWorkers: 2, threadsPerWorker: 1, dashboardAddress: false });
    client = await Client.connect(cluster, { setAsDefault: false });
  });
  after(async () => {
    await client?.close();
    await cluster?.close();
  });

  it("replaces every worker process, cancels every future, and runs new work afterwards (worker plugins set up again)", async () => {
    const marks = mkdtempSync(path.join(tmpdir(), "tessera-restart-"));
    // A worker plugin leaves setup-<pid> for each worker process it is set up in.
    await client.registerWorkerPlugin({
      marks,
      async setup() {
        const fs = await import("node:fs");
        const p = await import("node:path");
        fs.writeFileSync(p.join((this as unknown as { marks: string }).marks, `setup-${process.pid}`), "");
      },
    }, { name: "pid-marks" });
    const before = await client.run(() => process.pid) as Record<string, number>;
    const names = Object.values((await client.refreshSchedulerInfo()).workers).map((w) => w.name).sort();
    const done = client.submit((x: number) => x + 1, 1);
    assert.equal(await done.result(), 2);
    // A task that would run for ever: the restart ends it.
    const stuck = client.submit({ fn: () => new Promise(() => {}), pure: false });

    await client.restart({ timeout: 120 });

    assert.equal(done.status, "cancelled");
    await assert.rejects(stuck.result(), /cancelled: the cluster restarted/);
    const after = await client.run(() => process.pid) as Record<string, number>;
    assert.equal(Object.keys(after).length, 2);
    for (const pid of Object.values(after)) assert.ok(!Object.values(before).includes(pid), `worker pid ${pid} survived the restart`);
    const namesAfter = Object.values((await client.refreshSchedulerInfo()).workers).map((w) => w.name).sort();
    assert.deepEqual(namesAfter, names, "the nannies start the fresh workers under the same names");
    assert.deepEqual(await client.gather(client.map((x: number) => x * 3, [1, 2, 3])), [3, 6, 9]);
    // The same deterministic key submitted again is new work (as in Dask), not the cancelled future.
    const again = client.submit((x: number) => x + 1, 1);
    assert.equal(again.key, done.key);
    assert.equal(await again.result(), 2);
    assert.equal(done.status, "cancelled", "the handle from before the restart stays cancelled");
    const setUpIn = readdirSync(marks).map((name) => Number(name.slice("setup-".length)));
    for (const pid of [...Object.values(before), ...Object.values(after)]) assert.ok(setUpIn.includes(pid), `the plugin was not set up in worker process ${pid}`);
    rmSync(marks, { recursive: true, force: true });
  });
});

describe("client.restart() without nannies", () => {
  it("is refused, naming the workers, and restarts nothing", async () => {
    const cluster = await LocalCluster.start({ nWorkers: 1, threadsPerWorker: 1, processes: false, dashboardAddress: false });
    const client = await Client.connect(cluster, { setAsDefault: false });
    try {
      const kept = client.submit((x: number) => x + 1, 1);
      assert.equal(await kept.result(), 2);
      await assert.rejects(client.restart(), /restart needs every worker to run under a nanny.*Nothing was restarted/s);
      assert.equal(await kept.result(), 2, "the futures live on");
    } finally {
      await client.close();
      await cluster.close();
    }
  });
});
