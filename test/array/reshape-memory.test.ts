/**
 * Small workers holding more than their memory: a LocalCluster of 2 workers × 1 thread,
 * 192 MiB each, holds a persisted 240 MB random array (15 × 20 blocks of (1000, 100) float64;
 * it spills). A reshape that merges rows and a ravel, each then summed, should complete with
 * NumPy's sums, on both workers, with no worker restarted and resident memory under the limit.
 *
 * What was measured (2026-12-06). Until compute threads stopped keeping the inputs of a task
 * that first imported a module (worker/executor/compute-thread.ts), a worker with nothing
 * stored kept 38–54 MB of blocks and both ended in KilledWorker. Then the reshape passed on a
 * loaded machine and restarted a worker on a quieter one (186–191 MiB), and the ravel restarted
 * one (184–194 MiB; the nanny restarts at 182.4). A trace of each worker (RSS, heaps, the
 * store, the admission's reservations, every 10 ms) showed what the ~30 MB beyond the
 * admission's count were: transfers. A row merge (rechunk-merge: 20 blocks of 800 KB read back,
 * a 16 MB output) admitted at 124 MiB and counted 34 MiB while two 16 MB merged rows fetched
 * from the other worker and a 6–16 MB read-back to serve it landed beside it: 124 → 193.6 MiB.
 * Just after a merge (its output spilled, its garbage not yet collected: 172 MiB) a fetch and a
 * read-back for the peer came in together: 198.5 MiB. Since, fetches and read-backs for peers
 * take the admission's room too (worker/memory/task-admission.ts admitTransfer,
 * holdForServing), and a task that made room and then waited for a transfer makes room again
 * (one had started at 154.6 MiB and reached 185). Peaks came down but not far enough: over 17
 * runs (load average 1–19) the reshape restarted a worker once at 182.8 MiB (a read-back of a
 * 16 MB merged row for the peer just after a merge was stored, before its garbage was
 * collected: 170.6 + 16) and the ravel once at 186.9 MiB; other peaks 154–187 MiB. A worker
 * takes ~125 MiB after a collection and a merge ~34 more, so what lands beside a merge decides.
 * Since, a spilled value bigger than a piece is sent to the peer from its file, 1 MiB at a time
 * (worker/server/data-serving.ts, worker/memory/spill-stream.ts): serving a 16 MB row costs
 * 2 MiB instead of 16 (26 rows were served so in one run), and both cases run. Six runs of
 * this file alone (2026-12-06, load average 0.5–12.6 from the other sessions): the reshape
 * peaked at 159, 161, 160, 173, 168 and 158 MiB (23–69 s), the ravel at 172, 174, ≤161, ≤173,
 * ≤168 and 160 MiB (40–72 s; "≤": its peak was not above the reshape's before it), no worker
 * restarted. The 173 came at the lowest load (0.5).
 *
 * And the plan check against the room a worker leaves a task (its terminate line less its own
 * memory, as it reports them): a task that fits the whole limit but not that room is refused
 * before anything runs, naming the room; a plan that fits runs.
 */
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import { useMemoryLimitedCluster } from "../worker/memory/memory-limited-cluster.js";
import { evaluatePython } from "./python-eval.js";

const MiB = 2 ** 20;
const memoryLimit = 192 * MiB;
const [rows, cols] = [15_000, 2000];

describe(`a ${((rows * cols * 8) / 1e6).toFixed(0)} MB persisted array on 2 workers of ${memoryLimit / MiB} MiB`, () => {
  let x: ta.Array;
  let expectedSum: number;
  let expectedFitsSum: number;
  const fitting = () => ta.random([5000, 2000], { chunks: [1000, 2000], seed: 1 }); // 16 MB blocks
  const made = () => ta.random([rows, cols], { chunks: [1000, 100], seed: 11 });

  before(async () => {
    const results = evaluatePython({ x: await made().compute(), f: await fitting().compute() }, { sum: "np.asarray(x.sum())", fits: "np.asarray(f.sum())" });
    expectedSum = (results.sum.array ?? assert.fail(results.sum.error)).data[0] as number;
    expectedFitsSum = (results.fits.array ?? assert.fail(results.fits.error)).data[0] as number;
  });
  const { cluster, run } = useMemoryLimitedCluster(memoryLimit, "reshape-memory");
  before(async () => {
    x = await made().persist();
  });

  const sumOf = async (array: ta.Array, label: string, t: { diagnostic(message: string): void }): Promise<number> => (await run(label, t, () => array.sum().compute())).data[0] as number;

  const close = (actual: number, label: string) => assert.ok(Math.abs(actual - expectedSum) <= 1e-9 * Math.abs(expectedSum), `${label}: ${actual} vs NumPy's ${expectedSum}`);

  it("reshapes rows together, then sums", async (t) => {
    close(await sumOf(ta.reshape(x, [rows / 2, cols * 2]), "reshape", t), "reshape then sum");
  });
  it("ravels, then sums", async (t) => {
    close(await sumOf(ta.ravel(x), "ravel", t), "ravel then sum");
  });

  it("refuses a task that fits the limit but not the room a worker leaves it, and runs one that fits", async () => {
    const big = ta.random([5000, 2000], { chunks: [5000, 2000], seed: 1 }); // one 80 MB block
    const known = cluster().scheduler.state.tasks.size;
    await assert.rejects(big.sum().compute(), (error: Error) => {
      assert.equal(error.name, "PlanMemoryError");
      const match = /needs about ([\d.]+) MiB at its peak, more than the smallest worker's memory limit \(192\.00 MiB\) leaves a task \(([\d.]+) MiB: the 95% at which its nanny restarts it, less the ([\d.]+) MiB the worker itself takes\); nothing was run\./.exec(error.message);
      assert.ok(match, error.message);
      const [needs, room, own] = match.slice(1).map(Number);
      assert.ok(needs < memoryLimit / MiB && needs > room, `${needs} MiB fits the limit, not the room of ${room} MiB`);
      assert.ok(Math.abs(room + own - 0.95 * (memoryLimit / MiB)) < 0.02, "the room is the terminate line less the worker's own memory");
      return true;
    });
    assert.equal(cluster().scheduler.state.tasks.size, known, "no task reached the scheduler");
    const sum = (await fitting().sum().compute()).data[0] as number;
    assert.ok(Math.abs(sum - expectedFitsSum) <= 1e-9 * Math.abs(expectedFitsSum), `${sum} vs NumPy's ${expectedFitsSum}`);
  });
});
