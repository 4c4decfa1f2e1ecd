/**
 * A worker's memory once everything it ran is released: a LocalCluster of 2 workers × 1
 * thread, 256 MiB each, holds a persisted 96 MB random array (6 × 20 blocks of (1000, 100)
 * float64), runs graphs on it that merge its rows into 16 MB blocks and cross its chunking, and
 * then releases it. With nothing stored and garbage
 * collected in every thread, each worker's resident memory comes back near what it took by
 * itself once started (its own memory, as it reports it to the scheduler: task-room.ts).
 *
 * What it guards: a compute thread kept the input blocks of every task that first imported a
 * module (the module's promises kept the task's AsyncLocalStorage store, which reached the
 * call: compute-thread.ts runningTask). Then, on 256 MiB workers after a rechunk and a ravel,
 * each stayed 31–40 MiB above its start-up memory with nothing stored; and this test's graphs
 * made a worker pause at 80% of its limit with nothing left to spill (the test failed there).
 * Since, 6–10 MiB above (the 4 MiB read buffer of its connection to its peer among it). On
 * workers of 192 MiB the ravel itself restarted a worker once in the full suite (the row
 * merges of reshape-memory.test.ts): this test is about what stays after, so its workers have
 * room for the graphs.
 */
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../../src/array/index.js";
import { PersistedExpr } from "../../../src/array/sources.js";
import { useMemoryLimitedCluster } from "./memory-limited-cluster.js";

const MiB = 2 ** 20;
const memoryLimit = 256 * MiB;
/** How far above its own memory a worker with nothing stored may stay: less than one 16 MB merged row more than measured. */
const slackBytes = 24 * MiB;

const moduleUrl = (path: string) => new URL(path, import.meta.url).href;
const threadMemoryUrl = moduleUrl("../../../src/worker/executor/thread-memory.js");
const processMemoryUrl = moduleUrl("../../../src/worker/memory/process-memory.js");

/** Runs in a worker's compute thread: drops what it keeps for later tasks and collects (as the worker asks it to when memory is short). */
async function releaseInThread(url: string): Promise<null> {
  (await import(url)).releaseRetained();
  return null;
}

/**
 * Runs on a worker's main thread (client.run): the resident memory after two full collections
 * with a turn of the event loop between (finalizers run there). V8 sweeps and frees what a
 * collection found dead on helper threads; the next full collection first finishes that work,
 * so the memory read after it no longer counts what the first one freed.
 */
async function residentAfterCollecting(url: string): Promise<number> {
  const memory = await import(url);
  memory.collectGarbage();
  await new Promise((resolve) => setImmediate(resolve));
  memory.collectGarbage();
  return process.memoryUsage.rss();
}

describe(`a worker of ${memoryLimit / MiB} MiB after graphs on a persisted 96 MB array are released`, () => {
  const { cluster, client, run } = useMemoryLimitedCluster(memoryLimit, "memory-after-release");
  let x: ta.Array | undefined;
  before(async () => {
    x = await ta.random([6000, 2000], { chunks: [1000, 100], seed: 3 }).persist();
  });

  it("comes back near its own memory, with nothing stored and garbage collected in every thread", async (t) => {
    const persisted = x ?? assert.fail("not persisted");
    const ravelled = (await run("ravel", t, () => ta.ravel(persisted).max().compute())).data[0] as number;
    assert.ok(ravelled > 0.99 && ravelled < 1, `the maximum of 12·10⁶ uniform values: ${ravelled}`);
    const crossed = await run("rechunk", t, () => persisted.rechunk([50, 1000]).max({ axis: 1 }).compute());
    assert.deepEqual(crossed.shape, [6000]);

    const scheduler = cluster().scheduler;
    assert.ok(persisted.expr instanceof PersistedExpr);
    persisted.expr.release();
    x = undefined;
    // The scheduler forgets the blocks once the client let them go, and tells each worker to
    // free them, on the connection the requests below take after it.
    while (scheduler.state.tasks.size > 0) await new Promise((resolve) => setImmediate(resolve));

    for (const worker of scheduler.state.workers.values()) {
      const ownBytes = (worker.metrics as unknown as Record<string, unknown>).ownBytes;
      assert.equal(typeof ownBytes, "number", "the worker reports its own memory");
      const released = client().submit({ fn: releaseInThread, args: [threadMemoryUrl], workers: [worker.address], pure: false });
      await released.result();
      released.release();
      const rss = (await client().runWith<number>({ fn: residentAfterCollecting, args: [processMemoryUrl], workers: [worker.address] }))[worker.address];
      t.diagnostic(`${worker.address}: ${(rss / MiB).toFixed(0)} MiB with nothing stored, its own ${((ownBytes as number) / MiB).toFixed(0)} MiB`);
      assert.ok(rss - (ownBytes as number) < slackBytes, `${worker.address} stays ${((rss - (ownBytes as number)) / MiB).toFixed(0)} MiB above its own ${((ownBytes as number) / MiB).toFixed(0)} MiB with nothing stored`);
    }
  });
});
