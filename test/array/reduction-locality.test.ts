/**
 * Reductions where the data lives (issue 10, item 2), on real clusters of 2 workers × 1
 * thread: a persisted 16 × 16-block array lands in contiguous runs per worker (scheduler's
 * root-runs.ts), so most of the reduction's 4 × 4 first-level groups live on one worker, and
 * each such group's partials and combine run as one task there. The results equal the unfused
 * graph's bit for bit and NumPy's; groups split over the workers, and groups too large for
 * the memory bound, keep a task per block.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client, LocalCluster } from "../../src/index.js";
import * as ta from "../../src/array/index.js";
import { lowerArrays, localGatherFraction, type Locality } from "../../src/array/lower.js";
import { LocalExecutor } from "../../src/graph/local-executor.js";
import { keySplit } from "../../src/graph/keys.js";
import type { NDArray } from "../../src/ndarray/ndarray.js";
import { unixSeconds } from "../../src/core/clock.js";
import { python } from "./python.js";

interface StreamRecord { key: string; worker: string }

const side = 1600;
const chunk = 100;
const blockBytes = chunk * chunk * 8;
const local = new LocalExecutor();

/** Which of the 16 first-level 4 × 4 groups of a 16 × 16-block array one worker holds whole, by `holders`. */
function colocatedGroups(keys: readonly string[], holders: (key: string) => readonly string[]): boolean[] {
  const out: boolean[] = [];
  for (let gi = 0; gi < 4; gi++) {
    for (let gj = 0; gj < 4; gj++) {
      let common: readonly string[] | undefined;
      for (let i = 0; i < 4; i++) {
        for (let j = 0; j < 4; j++) {
          const here = holders(keys[(gi * 4 + i) * 16 + gj * 4 + j]);
          common = common === undefined ? [...here] : common.filter((w) => here.includes(w));
        }
      }
      out.push((common ?? []).length > 0);
    }
  }
  return out;
}

function lowered(array: ta.Array, client: Client, locality: Locality) {
  return lowerArrays([array], (key) => client.holds(key), (node) => (node as ta.Array).blockKeys(), undefined, locality);
}

/** Tasks whose keys are a first-level partial of their own (not run inside a group's combine). */
const perBlockPartials = (keys: Iterable<string>) => [...keys].filter((key) => key.includes("-partial-0-")).length;

describe("reductions where a persisted array lives, 2 workers × 1 thread", () => {
  let dir: string;
  let cluster: LocalCluster;
  let client: Client;
  let x: ta.Array;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "tessera-reduction-locality-"));
    cluster = await LocalCluster.start({ nWorkers: 2, threadsPerWorker: 1, dashboardAddress: false });
    client = await Client.connect(cluster);
    x = await ta.random([side, side], { chunks: [chunk, chunk], seed: 11 }).persist({ executor: client });
  });
  after(async () => {
    await client?.close();
    await cluster?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("persists the blocks in contiguous runs: most 4 × 4 groups on one worker, both workers used", () => {
    const keys = x.blockKeys();
    const holders = new Set(keys.map((key) => client.holders(key)[0]));
    assert.equal(holders.size, 2, "the blocks live on both workers");
    const together = colocatedGroups(keys, (key) => client.holders(key)).filter(Boolean).length;
    // Two halves of 128 blocks: every group whole, but for the ones a worker done first took back from the other's end.
    assert.ok(together >= 12, `${together} of 16 groups on one worker`);
  });

  it("runs each co-located group's partials and combine as one task, and equals the unfused graph and NumPy", async () => {
    const keys = x.blockKeys();
    const together = colocatedGroups(keys, (key) => client.holders(key));
    const split = together.filter((t) => !t).length;
    const locality: Locality = { holders: (key) => client.holders(key), smallestMemoryLimit: Math.min(...(await client.workerMemoryLimits())) };
    const { graph } = lowered(x.mean(), client, locality);
    // A co-located group: one task; a split one: 16 partials + its combine; then the last combine with the finish.
    assert.equal(graph.size, (16 - split) + 17 * split + 1);
    assert.equal(perBlockPartials(graph.tasks.keys()), 16 * split);

    const since = unixSeconds();
    const [mean, sum, max] = await ta.compute([x.mean(), x.sum(), x.max()], { executor: client });
    const stream = (await client.getTaskStream({ since: since - 1 })) as StreamRecord[];
    const meanTasks = stream.filter((record) => record.key.startsWith(x.mean().name));
    assert.equal(perBlockPartials(meanTasks.map((record) => record.key)), 16 * split, "per-block partial tasks that ran for the mean");

    // The same expressions over the same values, lowered without locality (one task per block): bit for bit.
    const fresh = ta.random([side, side], { chunks: [chunk, chunk], seed: 11 });
    const [meanRef, sumRef, maxRef] = await ta.compute([fresh.mean(), fresh.sum(), fresh.max()], { executor: local });
    assert.equal(mean.item(), meanRef.item());
    assert.equal(sum.item(), sumRef.item());
    assert.equal(max.item(), maxRef.item());

    const data = (await x.compute({ executor: client })) as NDArray;
    const file = join(dir, "x.bin");
    writeFileSync(file, new Uint8Array((data.data as Float64Array).buffer));
    const expected = JSON.parse(python("numpy_reductions.py", file, "float64", `${side},${side}`, JSON.stringify([{ op: "mean" }, { op: "sum" }, { op: "max" }]))) as Array<{ values: number[] }>;
    assert.ok(Math.abs((mean.item() as number) - expected[0].values[0]) < 1e-12, `mean ${mean.item()} vs NumPy ${expected[0].values[0]}`);
    assert.ok(Math.abs((sum.item() as number) - expected[1].values[0]) < 1e-12 * expected[1].values[0], `sum ${sum.item()} vs NumPy ${expected[1].values[0]}`);
    assert.equal(max.item(), expected[2].values[0]);
  });

  it("keeps a task per block for a group split over the workers, with the same result", async () => {
    const keys = new Set(x.blockKeys());
    const workers = Object.keys((await client.schedulerInfo()).workers);
    // A stand-in for the client's report of where results live: every block of the array
    // reported on the first worker but one block of group (0, 0), reported on the second.
    const holders = (key: string) => (key === x.blockKeys()[17] ? [workers[1]] : keys.has(key) ? [workers[0]] : []);
    const { graph } = lowered(x.mean(), client, { holders, smallestMemoryLimit: 0 });
    assert.equal(graph.size, 15 + 17 + 1, "group (0, 0) falls back to 16 partials + a combine");
    assert.equal(perBlockPartials(graph.tasks.keys()), 16);
    // Run that graph as it is: stale or split locality costs transfers, never a wrong answer.
    const [value] = await client.compute(graph, x.mean().blockKeys());
    const fresh = ta.random([side, side], { chunks: [chunk, chunk], seed: 11 });
    assert.equal((value as NDArray).item(), (await fresh.mean().compute({ executor: local })).item());
  });

  it("bounds a co-located group by the smallest worker's memory limit, and the plan counts its blocks", () => {
    const keys = new Set(x.blockKeys());
    const holders = (key: string) => (keys.has(key) ? ["one-worker"] : []);
    const groupBytes = 16 * blockBytes;
    // Just fits: every group is one task, estimated at its 16 blocks held at once.
    const fits = lowered(x.mean(), client, { holders, smallestMemoryLimit: groupBytes / localGatherFraction });
    assert.equal(fits.graph.size, 17);
    const fused = [...fits.graph.tasks.keys()].find((key) => key.includes("-partial-1-")) as string;
    const estimate = fits.memory.byPrefix.get(keySplit(fused)) as number;
    assert.ok(estimate >= groupBytes && estimate < groupBytes + blockBytes, `estimate ${estimate} for 16 blocks of ${blockBytes}`);
    // One byte less of memory: no group fits, one task per block as before.
    const tight = lowered(x.mean(), client, { holders, smallestMemoryLimit: groupBytes / localGatherFraction - 8 });
    assert.equal(tight.graph.size, 256 + 16 + 1);
    assert.ok((tight.memory.byPrefix.get(keySplit(fused)) as number) < 2 * blockBytes);
  });
});

describe("reductions over a persisted array interleaved over 2 workers (root-task queuing off)", () => {
  let cluster: LocalCluster;
  let client: Client;
  before(async () => {
    cluster = await LocalCluster.start({ nWorkers: 2, threadsPerWorker: 1, dashboardAddress: false, schedulerOptions: { workerSaturation: Number.POSITIVE_INFINITY, workStealing: false } });
    client = await Client.connect(cluster);
  });
  after(async () => {
    await client?.close();
    await cluster?.close();
  });

  it("falls back to a task per block for every split group and still equals the unfused result", async () => {
    const x = await ta.random([side, side], { chunks: [chunk, chunk], seed: 12 }).persist({ executor: client });
    const split = colocatedGroups(x.blockKeys(), (key) => client.holders(key)).filter((t) => !t).length;
    assert.ok(split >= 8, `only ${split} of 16 groups split: the blocks did not interleave`);
    const since = unixSeconds();
    const [mean, max] = await ta.compute([x.mean(), x.max()], { executor: client });
    const stream = (await client.getTaskStream({ since: since - 1 })) as StreamRecord[];
    assert.equal(perBlockPartials(stream.filter((record) => record.key.startsWith(x.mean().name)).map((record) => record.key)), 16 * split);
    const fresh = ta.random([side, side], { chunks: [chunk, chunk], seed: 12 });
    const [meanRef, maxRef] = await ta.compute([fresh.mean(), fresh.max()], { executor: local });
    assert.equal(mean.item(), meanRef.item());
    assert.equal(max.item(), maxRef.item());
  });
});
