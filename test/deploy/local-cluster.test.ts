import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";
import { useLocalCluster2x1 } from "./cluster-2x1.js";
import { LocalCluster } from "../../src/index.js";
import { InvalidOptionError } from "../../src/core/errors.js";

describe("LocalCluster with process workers", () => {
  const { cluster, client } = useLocalCluster2x1();

  it("runs submitted functions and returns their results", async () => {
    const future = client().submit((a: number, b: number) => a + b, 1, 2);
    assert.equal(await future.result(), 3);
  });

  it("maps over many inputs and gathers in order", async () => {
    const futures = client().map((x: number) => x * x, Array.from({ length: 200 }, (_, i) => i));
    const values = await client().gather(futures);
    assert.deepEqual(values, Array.from({ length: 200 }, (_, i) => i * i));
  });

  it("chains futures as dependencies", async () => {
    const a = client().submit((x: number) => x + 1, 10);
    const b = client().submit((x: number, y: number) => x * y, a, 3);
    assert.equal(await b.result(), 33);
  });

  it("moves NDArrays between workers and back", async () => {
    const [big] = await client().scatter([nd.empty([256, 256], "float32")]);
    const filled = client().submit((a: { data: Float32Array }) => {
      for (let i = 0; i < a.data.length; i++) a.data[i] = i % 7;
      return a;
    }, big);
    const sum = client().submit((a: { data: Float32Array }) => a.data.reduce((s, v) => s + v, 0), filled);
    const expected = Array.from({ length: 256 * 256 }, (_, i) => i % 7).reduce((s, v) => s + v, 0);
    assert.equal(await sum.result(), expected);
    const back = (await filled.result()) as nd.NDArray;
    assert.deepEqual(back.shape, [256, 256]);
    assert.equal(back.data[8], 1);
  });

  it("raises a task's error with the remote stack and the task key", async () => {
    const bad = client().submit(function explode() { throw new RangeError("no good"); });
    const dependent = client().submit((x: unknown) => x, bad);
    await assert.rejects(bad.result(), (error: Error & { taskKey?: string }) => {
      assert.equal(error.name, "RangeError");
      assert.equal(error.message, "no good");
      assert.match(error.stack ?? "", /remote traceback/);
      assert.equal(error.taskKey, bad.key);
      return true;
    });
    await assert.rejects(dependent.result(), /no good/);
  });

  it("refuses a function that captures variables, naming them", () => {
    const factor = 3;
    assert.throws(() => client().submit((x: number) => x * factor, 2), /uses "factor" from its surroundings/);
  });

  it("runs a function on every worker", async () => {
    const pids = await client().run(() => process.pid);
    assert.equal(Object.keys(pids).length, 2);
    const children = cluster().workerProcesses.map((p) => p.pid);
    for (const pid of Object.values(pids)) assert.ok(children.includes(pid as number));
  });

  it("retries a flaky task", async () => {
    const flaky = client().submit({ fn: () => { if (Math.random() < 2) throw new Error("always"); }, retries: 2, pure: false });
    await assert.rejects(flaky.result(), /always/);
  });

  it("reports its workers", async () => {
    const info = await client().refreshSchedulerInfo();
    const workers = Object.values(info.workers);
    assert.equal(workers.length, 2);
    assert.deepEqual(workers.map((w) => w.name).sort(), ["0", "1"]);
    assert.ok(workers.every((w) => w.nthreads === 1 && w.memoryLimit > 0));
  });
});

describe("LocalCluster options", () => {
  it("refuses a misspelt option, scheduler setting or extension option by name before starting anything", async () => {
    // Each started a cluster with the default in its place before.
    const cases: Array<[object, RegExp]> = [
      [{ nWorker: 3 }, /^LocalCluster: unknown option "nWorker"; LocalCluster takes nWorkers, threadsPerWorker, .*memoryTargetFraction/],
      [{ memorySpilFraction: 0.5 }, /LocalCluster: unknown option "memorySpilFraction"/],
      [{ schedulerOptions: { allowedFailure: 7 } }, /^LocalCluster schedulerOptions: unknown option "allowedFailure"; LocalCluster schedulerOptions takes allowedFailures, workerTtl/],
      [{ schedulerExtensions: { leaseTimout: 5 } }, /^schedulerExtensions: unknown option "leaseTimout"/],
      [{ schedulerExtensions: { rebalance: { senderMax: 0.2 } } }, /^schedulerExtensions\.rebalance: unknown option "senderMax"; schedulerExtensions\.rebalance takes senderMin, recipientMax, senderRecipientGap/],
    ];
    for (const [options, message] of cases) {
      const started = await LocalCluster.start({ nWorkers: 1, dashboardAddress: false, ...options } as never).catch((error: Error) => error);
      // A cluster that did start is closed, so that the failure reports instead of holding the test open.
      if (started instanceof LocalCluster) await started.close();
      assert.ok(started instanceof InvalidOptionError && message.test(started.message), `${JSON.stringify(options)}: ${started instanceof Error ? started.message : "started"}`);
    }
  });
});

describe("LocalCluster.waitForWorkers", () => {
  it("takes { timeout } as the other clusters do, and fails at the timeout naming how many connected instead of waiting for ever", { timeout: 60_000 }, async (t) => {
    // Before, its second argument was a bare number of seconds: `{ timeout: "60s" }`, as a
    // SLURMCluster takes it, or no argument at all, made the deadline NaN and the wait endless.
    const cluster = await LocalCluster.start({ nWorkers: 1, threadsPerWorker: 1, dashboardAddress: false, processes: false, timeout: 0.5 });
    // A guard only: an endless wait fails the test at its deadline (and the cluster still closes).
    const settled = <T>(wait: Promise<T>) => Promise.race([wait, new Promise<never>((_, reject) => t.signal.addEventListener("abort", () => reject(new Error("the wait did not end")), { once: true }))]);
    try {
      await cluster.waitForWorkers(1, { timeout: "30s" });
      await assert.rejects(cluster.waitForWorkers(2, { timeout: 0.2 }), /^TimeoutError: only 1 of 2 workers connected within 0\.2 s/);
      // No timeout given: the cluster's start-up timeout (0.5 s here, 60 s by default) bounds it.
      await assert.rejects(settled(cluster.waitForWorkers(3)), /only 1 of 3 workers connected within 0\.5 s/);
      await assert.rejects(cluster.waitForWorkers(2, { timout: 5 } as never), /LocalCluster\.waitForWorkers: unknown option "timout"/);
      await assert.rejects(cluster.waitForWorkers(2, 120 as never), /LocalCluster\.waitForWorkers/);
      await cluster.scale(2);
      await cluster.waitForWorkers(2, { timeout: "30s" });
    } finally {
      await cluster.close();
    }
  });
});

describe("cluster methods refuse arguments they would ignore", () => {
  it("refuses Dask's keywords written as an extra options object, naming them, and still scales and closes", async () => {
    const cluster = await LocalCluster.start({ nWorkers: 1, threadsPerWorker: 1, dashboardAddress: false, processes: false });
    const asJavaScript = (name: string, ...args: unknown[]) => async () => Reflect.apply((cluster as unknown as Record<string, (...a: unknown[]) => unknown>)[name], cluster, args);
    try {
      await assert.rejects(asJavaScript("scale", 2, { memory: "8GB" }), /^InvalidOptionError: cluster\.scale\(n\) takes at most 1 argument; got also an object with \["memory"\]/);
      await assert.rejects(asJavaScript("close", { timeout: 10 }), /cluster\.close\(\) takes no arguments; got also an object with \["timeout"\]/);
      await assert.rejects(asJavaScript("adapt", { maximum: 2 }, { interval: "1s" }), /cluster\.adapt\(options\) takes at most 1 argument/);
      await assert.rejects(asJavaScript("waitForWorkers", 1, {}, 5), /cluster\.waitForWorkers\(n, options\) takes at most 2 arguments; got also 5/);
      assert.equal(cluster.requestedWorkers, 1, "the refused scale did nothing");
      await cluster.scale(2);
      await cluster.waitForWorkers(2, { timeout: "30s" });
    } finally {
      await cluster.close();
    }
  });
});
