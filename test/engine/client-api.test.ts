import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { Client, LocalCluster, Security, SchedulerServer, WorkerServer, wait, asCompleted, TimeoutError, InvalidOptionError } from "../../src/index.js";
import * as nd from "../../src/ndarray/index.js";

describe("client API on an in-process cluster", () => {
  let cluster: LocalCluster;
  let client: Client;
  before(async () => {
    cluster = await LocalCluster.start({ nWorkers: 2, threadsPerWorker: 2, processes: false, dashboardAddress: false });
    client = await Client.connect(cluster);
  });
  after(async () => {
    await client?.close();
    await cluster?.close();
  });

  it("scatters with broadcast to every worker", async () => {
    const [data] = await client.scatter([nd.ones([100], "float64")], { broadcast: true });
    const info = client.schedulerInfo();
    assert.equal(Object.keys(info.workers).length, 2);
    const whoHas = await client.scheduler.request({ op: "who-has", keys: [data.key] });
    assert.equal((whoHas.result as Record<string, string[]>)[data.key].length, 2);
    assert.equal(await client.submit((a: nd.NDArray) => a.size, data).result(), 100);
  });

  it("waits and iterates as futures complete", async () => {
    const futures = client.map((ms: number) => { const end = Date.now() + ms; while (Date.now() < end) { /* spin */ } return ms; }, [60, 1, 30]);
    const { done, notDone } = await wait(futures);
    assert.equal(done.length, 3);
    assert.equal(notDone.length, 0);
    const order: number[] = [];
    for await (const [, value] of asCompleted(client.map((x: number) => x * 2, [1, 2, 3]), { withResults: true }) as AsyncIterable<[unknown, number]>) order.push(value);
    assert.deepEqual(order.sort(), [2, 4, 6]);
  });

  it("times out waiting for workers that never come", async () => {
    await assert.rejects(client.waitForWorkers(5, { timeout: 0.3 }), (error: Error) => error instanceof TimeoutError && /2 of 5 workers/.test(error.message));
    await assert.rejects(client.waitForWorkers(0), InvalidOptionError);
  });

  it("cancels futures", async () => {
    const slow = client.submit({ fn: () => { const end = Date.now() + 300; while (Date.now() < end) { /* spin */ } return 1; }, pure: false });
    await slow.cancel();
    await assert.rejects(slow.result(), /cancelled/);
    assert.equal(slow.status, "cancelled");
  });

  it("runs a function on the scheduler", async () => {
    assert.equal(await client.runOnScheduler((a: number) => a + 1, 1), 2);
  });

  it("gathers nested structures", async () => {
    const a = client.submit((x: number) => x, 1);
    const b = client.submit((x: number) => x, 2);
    assert.deepEqual(await client.gather({ first: a, rest: [b, 3] }), { first: 1, rest: [2, 3] });
  });
});

describe("deployment options", () => {
  it("works over TLS with temporary certificates", async () => {
    const cluster = await LocalCluster.start({ nWorkers: 1, processes: false, security: true, dashboardAddress: false });
    try {
      assert.match(cluster.schedulerAddress, /^tls:\/\//);
      const client = await Client.connect(cluster, { setAsDefault: false });
      assert.equal(await client.submit((a: number) => a * 3, 5).result(), 15);
      await client.close();
      await assert.rejects(Client.connect(cluster.schedulerAddress, { credential: cluster.credential, security: new Security(), timeout: 2, setAsDefault: false }));
    } finally {
      await cluster.close();
    }
  });

  it("runs process workers over TLS, their certificate files private and removed on close", async () => {
    const cluster = await LocalCluster.start({ nWorkers: 2, security: true, dashboardAddress: false });
    try {
      const client = await Client.connect(cluster, { setAsDefault: false });
      const pids = await client.run(() => process.pid);
      assert.equal(Object.keys(pids).length, 2);
      assert.ok(Object.keys(pids).every((address) => address.startsWith("tls://")), "workers listen with TLS too");
      assert.equal(await client.submit((a: number) => a * 3, 7).result(), 21);
      await client.close();
    } finally {
      await cluster.close();
    }
    const left = readdirSync(tmpdir()).filter((name) => name.startsWith("tessera-tls-"));
    assert.deepEqual(left, []);
  });

  it("connects through a scheduler file that is private to the user", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tessera-file-"));
    const schedulerFile = join(dir, "scheduler.json");
    const scheduler = await SchedulerServer.start({ address: "tcp://127.0.0.1:0", schedulerFile });
    try {
      assert.equal(statSync(schedulerFile).mode & 0o777, 0o600);
      const worker = await WorkerServer.start({ schedulerAddress: scheduler.address, credential: scheduler.credential });
      const client = await Client.connect({ schedulerFile }, { setAsDefault: false });
      assert.equal(await client.submit((a: number) => a - 1, 1).result(), 0);
      await client.close();
      await worker.close();
    } finally {
      await scheduler.close();
      rmSync(dir, { recursive: true, force: true });
    }
    assert.throws(() => statSync(schedulerFile), /ENOENT/, "the file is removed when the scheduler closes");
  });

  it("closes an idle scheduler after its idle timeout", async () => {
    const started = Date.now();
    const scheduler = await SchedulerServer.start({ address: "tcp://127.0.0.1:0", settings: { idleTimeout: 0.5 }, tickIntervalMs: 50 });
    const closed = await Promise.race([scheduler.finished.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 3000))]);
    assert.ok(closed, "the scheduler closed itself");
    assert.ok(Date.now() - started >= 500, "not before the timeout");
  });

  it("scales adaptively with the load", async () => {
    const cluster = await LocalCluster.start({ nWorkers: 0, processes: false, dashboardAddress: false });
    const client = await Client.connect(cluster, { setAsDefault: false });
    try {
      cluster.adapt({ minimum: 0, maximum: 2, interval: "100ms", waitCount: 2 });
      const futures = client.map((x: number) => { const end = Date.now() + 200; while (Date.now() < end) { /* spin */ } return x; }, Array.from({ length: 30 }, (_, i) => i));
      assert.equal((await client.gather(futures)).length, 30);
      assert.ok(cluster.requestedWorkers >= 1, "workers were started for the work");
      for (const f of futures) f.release();
      const deadline = Date.now() + 10_000;
      while (cluster.requestedWorkers > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      assert.equal(cluster.requestedWorkers, 0, "idle workers were retired");
    } finally {
      await client.close();
      await cluster.close();
    }
  });

  it("retires workers gracefully at the end of their lifetime, handing over results", async () => {
    const cluster = await LocalCluster.start({ nWorkers: 2, dashboardAddress: false, workerExtraArgs: ["--lifetime", "3s", "--lifetime-stagger", "0.5s"] });
    const client = await Client.connect(cluster, { setAsDefault: false });
    try {
      const kept = client.map((x: number) => x + 100, [1, 2, 3, 4]);
      await wait(kept);
      await new Promise((r) => setTimeout(r, 5000));
      assert.deepEqual(await client.gather(kept), [101, 102, 103, 104], "results survived the retirements");
    } finally {
      await client.close();
      await cluster.close();
    }
  });
});
