/**
 * Issue 13 item 7: the rest of Dask's futures API on a LocalCluster with process workers:
 * gather({ errors: "skip" }), fireAndForget (surviving a garbage-collected handle), retry,
 * addDoneCallback, asCompleted batches, whoHas/hasWhat/replicate/rebalance, and the replica
 * reduction (Dask's ReduceReplicas) dropping copies no task needs any more.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import v8 from "node:v8";
import vm from "node:vm";
import { Client, Event, Future, LocalCluster, Queue, Variable, asCompleted, fireAndForget, wait } from "../../src/index.js";
import { failUntilAllowed, putOnQueue, sumAfterEvent, waitForEvent } from "./coordination-tasks.js";
import { waitFor } from "../engine/cluster-processes.js";

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;

const makeBlock = (n: number, fill: number) => new Float64Array(n).fill(fill);

describe("the futures API", () => {
  let cluster: LocalCluster;
  let client: Client;
  let workers: string[];
  before(async () => {
    cluster = await LocalCluster.start({
      nWorkers: 2, threadsPerWorker: 2, dashboardAddress: false, memoryLimit: "400MB",
      // Thresholds low enough that a few MB count as imbalance; replica reduction every 0.2 s.
      schedulerExtensions: { rebalance: { senderMin: 0, recipientMax: 0.6, senderRecipientGap: 0.01 }, activeMemoryManagerInterval: 0.2 },
    });
    client = await Client.connect(cluster, { setAsDefault: false });
    workers = Object.keys(await client.run(() => process.pid)).sort();
  });
  after(async () => {
    await client?.close();
    await cluster?.close();
  });

  /** The next `n` runs of the replica reduction. */
  const reductions = (n: number) => new Promise<void>((resolve) => {
    let seen = 0;
    const stop = cluster.scheduler.extensions.replicas.onReduction(() => {
      if (++seen < n) return;
      stop();
      resolve();
    });
  });

  it("gathers what succeeded and leaves out what failed with errors: skip", async () => {
    const [a, b] = client.map((x: number) => x * 2, [1, 3]);
    const bad = client.submit(function explode() { throw new RangeError("no good"); });
    assert.deepEqual(await client.gather([a, bad, b], { errors: "skip" }), [2, 6]);
    assert.deepEqual(await client.gather({ a, bad, nested: [b] }, { errors: "skip" }), { a: 2, bad: undefined, nested: [6] });
    await assert.rejects(client.gather([a, bad, b]), /no good/);
    await assert.rejects(client.gather([a], { errors: "ignore" as "skip" }), /gather: errors must be "raise" or "skip", got "ignore"/);
  });

  it("runs a fire-and-forget task to the end after its handle is garbage collected", async () => {
    const keys = ((): { gate: string; write: string; dropped: string } => {
      const gate = client.submit({ fn: waitForEvent, args: ["ff-gate", 7], pure: false });
      const write = client.submit({ fn: putOnQueue, args: ["ff-written", gate], pure: false });
      const dropped = client.submit({ fn: putOnQueue, args: ["ff-dropped", gate], pure: false });
      fireAndForget(write);
      return { gate: gate.key, write: write.key, dropped: dropped.key };
    })();
    const held = () => cluster.scheduler.extensions.fireAndForget.pending().includes(keys.write);
    await waitFor(held, "the scheduler to hold the fire-and-forget key");
    const wanted = () => [...(cluster.scheduler.state.clients.get(client.id)?.wants ?? [])].map((task) => task.key);
    await waitFor(() => {
      gc();
      return !wanted().includes(keys.write);
    }, "the dropped futures to be collected and released");
    assert.ok(cluster.scheduler.state.tasks.has(keys.write), "the scheduler still has the fire-and-forget task");
    await waitFor(() => {
      gc();
      return !cluster.scheduler.state.tasks.has(keys.dropped);
    }, "the task whose handle was dropped without fireAndForget to be forgotten");
    await new Event("ff-gate", { client }).set();
    assert.equal(await new Queue<number>("ff-written", { client }).get({ timeout: 60 }), 7, "it ran after its input");
    await waitFor(() => !cluster.scheduler.state.tasks.has(keys.write), "the finished fire-and-forget key to be forgotten");
  });

  it("retries an erred future and the erred inputs it depends on", async () => {
    const flaky = client.submit({ fn: failUntilAllowed, args: ["retry-allowed", 20], pure: false });
    const plusOne = client.submit((x: number) => x + 1, flaky);
    await assert.rejects(plusOne.result(), /not allowed yet: retry-allowed is not set/);
    assert.equal(flaky.status, "error");
    await new Variable("retry-allowed", { client }).set(true);
    await plusOne.retry();
    assert.equal(await plusOne.result(60), 21);
    assert.equal(await flaky.result(), 20, "the erred input ran again too");
  });

  it("calls done-callbacks for results and errors, and at once for a future already done", async () => {
    const seen: string[] = [];
    const good = client.submit((x: number) => x, 5);
    const bad = client.submit(function fails() { throw new Error("bad"); });
    for (const future of [good, bad]) future.addDoneCallback((done) => seen.push(`${done === good ? "good" : "bad"}:${done.status}`));
    await wait([good, bad]);
    // The callbacks run in the microtasks after the futures are done: all of them before this.
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(seen.sort(), ["bad:error", "good:finished"]);
    const late = await new Promise<Future>((resolve) => good.addDoneCallback(resolve));
    assert.equal(late, good);
  });

  it("hands out everything already finished as one batch", async () => {
    const futures = client.map((x: number) => x * x, Array.from({ length: 20 }, (_, i) => i));
    await wait(futures);
    const batches: Future[][] = [];
    for await (const batch of asCompleted(futures).batches()) batches.push(batch as Future[]);
    assert.equal(batches.length, 1);
    assert.deepEqual(new Set(batches[0]), new Set(futures));
    const pairs: Array<[Future, unknown]> = [];
    const fresh = client.map((x: number) => x + 100, [1, 2, 3, 4]);
    for await (const batch of asCompleted(fresh, { withResults: true }).batches()) {
      assert.ok(batch.length >= 1);
      pairs.push(...(batch as Array<[Future, unknown]>));
    }
    assert.deepEqual(pairs.map(([, value]) => value).sort(), [101, 102, 103, 104]);
  });

  it("says where results live, copies them to every worker, and back to one", async () => {
    const block = client.submit({ fn: makeBlock, args: [100_000, 1], workers: [workers[0]], pure: false });
    await block.result();
    assert.deepEqual(await client.whoHas([block]), { [block.key]: [workers[0]] });
    assert.ok((await client.hasWhat())[workers[0]].includes(block.key));
    assert.ok(!(await client.hasWhat([workers[1]]))[workers[1]].includes(block.key));
    assert.deepEqual(await client.replicate([block]), { [block.key]: 2 });
    assert.deepEqual((await client.whoHas([block]))[block.key].sort(), workers);
    await reductions(2);
    assert.equal((await client.whoHas([block]))[block.key].length, 2, "the replica reduction keeps the copies asked for");
    assert.deepEqual(await client.replicate([block], { n: 1 }), { [block.key]: 1 });
    await assert.rejects(client.hasWhat(["no-such-worker"]), /no worker is called "no-such-worker"/);
    await assert.rejects(client.replicate([block], { n: 0 }), /replicate: n must be a positive integer, got 0/);
  });

  it("rebalances results piled on one worker", async () => {
    const blocks = Array.from({ length: 8 }, (_, i) => client.submit({ fn: makeBlock, args: [250_000, i], workers: [workers[0]], pure: false }));
    await wait(blocks);
    const before = await client.hasWhat();
    assert.ok(blocks.every((b) => before[workers[0]].includes(b.key) && !before[workers[1]].includes(b.key)));
    const { moved } = await client.rebalance(blocks);
    assert.ok(moved >= 3, `moved ${moved}`);
    const after = await client.whoHas(blocks);
    const onSecond = blocks.filter((b) => after[b.key].includes(workers[1])).length;
    assert.ok(onSecond >= 3 && onSecond <= 5, `${onSecond} of 8 on the second worker`);
    assert.ok(blocks.every((b) => after[b.key].length === 1), "a move leaves one copy");
    const values = await client.gather(blocks) as Float64Array[];
    assert.deepEqual(values.map((v) => v[0]), [0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it("drops the extra copy of a result once no task needs it any more (ReduceReplicas)", async () => {
    const drops: Array<{ key: string; worker: string }> = [];
    const stop = cluster.scheduler.extensions.replicas.onReduction((dropped) => drops.push(...dropped));
    const source = client.submit({ fn: makeBlock, args: [100_000, 3], workers: [workers[0]], pure: false });
    // A task on each worker that needs the source and holds on until the gate opens.
    const users = workers.map((worker) => client.submit({ fn: sumAfterEvent, args: ["rr-started", "rr-gate", source], workers: [worker], pure: false }));
    const started = new Queue<number>("rr-started", { client });
    for (const _ of users) await started.get({ timeout: 60 });
    // A second copy the scheduler knows of, as a retiring worker's results get (acquire-replicas).
    const holders = async () => (await client.whoHas([source]))[source.key].sort();
    assert.deepEqual(await holders(), [workers[0]], "an input fetched to run a task is not a copy the scheduler keeps (halos)");
    const task = cluster.scheduler.state.tasks.get(source.key);
    assert.ok(task);
    cluster.scheduler.workerConnections.get(workers[1])?.send({ op: "acquire-replicas", deps: [{ key: source.key, whoHas: [workers[0]], nbytes: task.nbytes }] });
    await waitFor(async () => (await holders()).length === 2, "the second copy to be recorded");
    await reductions(3);
    assert.deepEqual(await holders(), workers, "both copies stay while a task on each worker needs them");

    await new Event("rr-gate", { client }).set();
    assert.deepEqual(await client.gather(users), [300_000, 300_000]);
    await reductions(2);
    stop();
    assert.equal((await holders()).length, 1, "one copy left once no task needs the source");
    assert.equal(drops.filter((drop) => drop.key === source.key).length, 1);
    assert.equal((await source.result() as Float64Array)[0], 3, "and the result is still there");
  });
});
