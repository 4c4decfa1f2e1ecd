/**
 * Reductions where the data lives (issue 10, item 2), on real clusters of 2 workers × 1
 * thread: a persisted 16 × 16-block array lands in contiguous runs per worker (scheduler's
 * root-runs.ts), so most of the reduction's 4 × 4 first-level groups live on one worker, and
 * each such group's partials and combine run as one task there; a group split over the
 * workers runs each worker's part of its partials as one task there, and only those lists
 * of partials move. The results equal the unfused graph's bit for bit and NumPy's; groups
 * too large for the memory bound keep a task per block.
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
import { splitGroupPriority } from "../../src/array/reduction.js";
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

/**
 * For each of the 16 first-level groups split over workers (by each block's first holder):
 * the workers holding 2 or more of its blocks (each runs its part as one task) and the blocks
 * alone on a worker (each a task of its own).
 */
function splitGroupShares(keys: readonly string[], holders: (key: string) => readonly string[]): Array<{ parts: number; singles: number }> {
  const out: Array<{ parts: number; singles: number }> = [];
  for (let gi = 0; gi < 4; gi++) {
    for (let gj = 0; gj < 4; gj++) {
      const perWorker = new Map<string, number>();
      for (let i = 0; i < 4; i++) {
        for (let j = 0; j < 4; j++) {
          const worker = holders(keys[(gi * 4 + i) * 16 + gj * 4 + j])[0];
          perWorker.set(worker, (perWorker.get(worker) ?? 0) + 1);
        }
      }
      if (perWorker.size < 2) continue;
      const counts = [...perWorker.values()];
      out.push({ parts: counts.filter((n) => n > 1).length, singles: counts.filter((n) => n === 1).length });
    }
  }
  return out;
}

function lowered(array: ta.Array, client: Client, locality: Locality) {
  return lowerArrays([array], (key) => client.holds(key), (node) => (node as ta.Array).blockKeys(), undefined, locality);
}

/** A task key without its array's name, and a split group's part key without its members' token. */
const shortKey = (key: string, name: string) => key.slice(name.length).replace(/-[0-9a-f]{32}$/, "");

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
    const limit = Math.min(...(await client.workerMemoryLimits()));
    const locality: Locality = { holders: (key) => client.holders(key), nthreads: (worker) => client.schedulerInfo().workers[worker]?.nthreads ?? 0, smallestMemoryLimit: limit };
    const { graph } = lowered(x.mean(), client, locality);
    // A co-located group: one task; a split one: a task per worker's part (a block alone on
    // a worker: its partial) + its combine; then the last combine with the finish.
    const shares = splitGroupShares(keys, (key) => client.holders(key));
    assert.equal(shares.length, split);
    const singles = shares.reduce((n, share) => n + share.singles, 0);
    assert.equal(graph.size, (16 - split) + shares.reduce((n, share) => n + share.parts + share.singles + 1, 0) + 1);
    assert.equal(perBlockPartials(graph.tasks.keys()), singles);

    const since = unixSeconds();
    const [mean, sum, max] = await ta.compute([x.mean(), x.sum(), x.max()], { executor: client });
    const stream = (await client.getTaskStream({ since: since - 1 })) as StreamRecord[];
    const meanTasks = stream.filter((record) => record.key.startsWith(x.mean().name));
    assert.equal(perBlockPartials(meanTasks.map((record) => record.key)), singles, "per-block partial tasks that ran for the mean");

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

  it("runs each worker's part of a group split over the workers as one task, with the same result", async () => {
    const blockKeys = x.blockKeys();
    const keys = new Set(blockKeys);
    const workers = Object.keys((await client.schedulerInfo()).workers);
    // A stand-in for the client's report of where results live: every block of the array on
    // the first worker, but the first two rows of group (0, 0) (8 blocks: the second worker's
    // part) and one block of group (0, 1) (alone there: a task of its own), on the second.
    const second = new Set([...[0, 1].flatMap((row) => [0, 1, 2, 3].map((col) => blockKeys[row * 16 + col])), blockKeys[16 + 5]]);
    const holders = (key: string) => (second.has(key) ? [workers[1]] : keys.has(key) ? [workers[0]] : []);
    const { graph } = lowered(x.mean(), client, { holders, nthreads: () => 1, smallestMemoryLimit: 0 });
    const parts = [...graph.tasks.keys()].filter((key) => key.includes("-part-1-"));
    assert.deepEqual(parts.map((key) => shortKey(key, x.mean().name)).sort(), ["-part-1-0.0", "-part-1-0.0", "-part-1-0.1"]);
    assert.equal(graph.size, 14 + (2 + 1) + (1 + 1 + 1) + 1, "14 whole groups; (0, 0): 2 parts + combine; (0, 1): a part, a lone partial and the combine; the last combine");
    assert.equal(perBlockPartials(graph.tasks.keys()), 1);
    // The split groups' parts, lone partial and combines run before the whole groups: their
    // combines wait on a transfer between workers, which then overlaps the groups' work.
    const early = [...graph.tasks.values()].filter((task) => task.priority === splitGroupPriority).map((task) => shortKey(task.key, x.mean().name)).sort();
    assert.deepEqual(early, ["-part-1-0.0", "-part-1-0.0", "-part-1-0.1", "-partial-0-1.5", "-partial-1-0.0", "-partial-1-0.1"]);
    // Run that graph as it is: stale or split locality costs transfers, never a wrong answer.
    // The combines take the same partials in the same order: bit for bit the unfused result.
    const fresh = ta.random([side, side], { chunks: [chunk, chunk], seed: 11 });
    for (const [reduction, reference] of [[x.mean(), fresh.mean()], [x.sum(), fresh.sum()], [x.std(), fresh.std()]] as const) {
      const [value] = await client.compute(lowered(reduction, client, { holders, nthreads: () => 1, smallestMemoryLimit: 0 }).graph, reduction.blockKeys());
      assert.equal((value as NDArray).item(), (await reference.compute({ executor: local })).item());
    }
  });

  it("names a split group's part by its members: two lowerings on different placements give one key the same members", () => {
    const blockKeys = x.blockKeys();
    const keys = new Set(blockKeys);
    const workers = ["tcp://a:1", "tcp://b:1"];
    // Group (0, 0)'s first `rows` rows of blocks on the second worker, the rest on the first:
    // two parts, the first (block (0, 0)'s) of 4 × rows blocks.
    const partsOf = (rows: number, order: readonly string[]) => {
      const second = new Set([...Array(rows).keys()].flatMap((row) => [0, 1, 2, 3].map((col) => blockKeys[row * 16 + col])));
      const holders = (key: string) => (second.has(key) ? [order[1]] : keys.has(key) ? [order[0]] : []);
      const { graph } = lowered(x.mean(), client, { holders, nthreads: () => 1, smallestMemoryLimit: 0 });
      const out = new Map<string, string[]>();
      for (const [key, task] of graph.tasks) if (key.includes("-part-1-")) out.set(key, [...task.deps]);
      return out;
    };
    const twoRows = partsOf(2, workers);
    const threeRows = partsOf(3, workers);
    assert.equal(twoRows.size, 2);
    assert.equal(threeRows.size, 2);
    // Was `-part-1-0.0-0` in both, of 8 blocks in one and 12 in the other: the scheduler,
    // holding the first lowering's task, would have given the second's combine other partials.
    for (const [key, members] of threeRows) {
      const other = twoRows.get(key);
      if (other) assert.deepEqual(members, other, `${key}: one key, other members`);
    }
    assert.equal([...threeRows.keys()].filter((key) => twoRows.has(key)).length, 0, "no part has the same members");
    // The same members on other workers: the same keys.
    assert.deepEqual([...partsOf(2, [...workers].reverse())].sort(), [...twoRows].sort());
  });

  it("keeps a group whole on a worker holding all of it though some blocks have copies elsewhere; gives no priority to blocks the graph computes", () => {
    const blockKeys = x.blockKeys();
    const keys = new Set(blockKeys);
    // Every block on both workers, but block (0, 0) only on B: B holds every group whole.
    const holders = (key: string) => (key === blockKeys[0] ? ["B"] : keys.has(key) ? ["A", "B"] : []);
    const { graph } = lowered(x.mean(), client, { holders, nthreads: () => 1, smallestMemoryLimit: 0 });
    assert.equal([...graph.tasks.keys()].filter((key) => key.includes("-part-1-")).length, 0, "no group split by its copies");
    assert.equal(graph.size, 17);
    // A group of persisted blocks and blocks this graph computes: the computed ones are roots and keep priority 0.
    const half = ta.concatenate([x.get({ stop: 2 * chunk }), ta.random([2 * chunk, side], { chunks: [chunk, chunk], seed: 5 })], 0);
    const mixed = lowered(half.mean(), client, { holders: (key) => (keys.has(key) ? ["A"] : []), nthreads: () => 1, smallestMemoryLimit: 0 }).graph;
    const early = [...mixed.tasks.values()].filter((task) => task.priority === splitGroupPriority && task.deps.length === 0);
    assert.deepEqual(early.map((task) => task.key), [], "no computed root jumps ahead with the split groups' priority");
  });

  it("bounds a co-located group by the smallest worker's memory limit, and the plan counts its blocks", () => {
    const keys = new Set(x.blockKeys());
    const holders = (key: string) => (keys.has(key) ? ["one-worker"] : []);
    const groupBytes = 16 * blockBytes;
    // Just fits: every group is one task, estimated at its 16 blocks held at once.
    const fits = lowered(x.mean(), client, { holders, nthreads: () => 1, smallestMemoryLimit: groupBytes / localGatherFraction });
    assert.equal(fits.graph.size, 17);
    const fused = [...fits.graph.tasks.keys()].find((key) => key.includes("-partial-1-")) as string;
    const estimate = fits.memory.byPrefix.get(keySplit(fused)) as number;
    assert.ok(estimate >= groupBytes && estimate < groupBytes + blockBytes, `estimate ${estimate} for 16 blocks of ${blockBytes}`);
    // One byte less of memory: no group fits, one task per block as before.
    const tight = lowered(x.mean(), client, { holders, nthreads: () => 1, smallestMemoryLimit: groupBytes / localGatherFraction - 8 });
    assert.equal(tight.graph.size, 256 + 16 + 1);
    assert.ok((tight.memory.byPrefix.get(keySplit(fused)) as number) < 2 * blockBytes);
    // A holder of 4 threads runs 4 groups at once: the same limit fits no group there, 4 times as much does.
    const fourThreads = lowered(x.mean(), client, { holders, nthreads: () => 4, smallestMemoryLimit: groupBytes / localGatherFraction });
    assert.equal(fourThreads.graph.size, 256 + 16 + 1);
    const fourThreadsRoomy = lowered(x.mean(), client, { holders, nthreads: () => 4, smallestMemoryLimit: (4 * groupBytes) / localGatherFraction });
    assert.equal(fourThreadsRoomy.graph.size, 17);
  });

  it("keeps a task per block on a holder with fewer groups than threads", () => {
    const keys = x.blockKeys();
    // The first 48 blocks (rows 0-2: no whole group) on "small", the rest on "big".
    const holders = (key: string) => { const at = keys.indexOf(key); return at < 0 ? [] : at < 64 ? ["small"] : ["big"]; };
    // "small" holds 4 groups and has 8 threads, "big" holds 12 and has 8: only big's groups are fused.
    const { graph } = lowered(x.mean(), client, { holders, nthreads: () => 8, smallestMemoryLimit: 0 });
    assert.equal(perBlockPartials(graph.tasks.keys()), 4 * 16);
    assert.equal(graph.size, 4 * 17 + 12 + 1);
    const oneThread = lowered(x.mean(), client, { holders, nthreads: () => 1, smallestMemoryLimit: 0 });
    assert.equal(perBlockPartials(oneThread.graph.tasks.keys()), 0);
  });

  it("equals the unfused graph bit for bit and NumPy on data whose sums depend on the order", async () => {
    const order = (b: ta.Array) => b.sub(0.5).mul(b.pow(3)).mul(1e9);
    const withNaN = (b: ta.Array) => ta.where(b.lt(0.01), Number.NaN, order(b));
    const [y, z] = await ta.persist([withNaN(x), order(x)], { executor: client });
    const split = (array: ta.Array) => colocatedGroups(array.blockKeys(), (key) => client.holders(key)).filter((whole) => !whole).length;
    const [splitY, splitZ] = [split(y), split(z)];
    assert.ok(splitY <= 8 && splitZ <= 8, `${splitY} and ${splitZ} of 16 groups split over the workers`);
    // Blocks alone on a worker in their group: the only partials that run as tasks of their own.
    const singles = (array: ta.Array) => splitGroupShares(array.blockKeys(), (key) => client.holders(key)).reduce((n, share) => n + share.singles, 0);
    const [singlesY, singlesZ] = [singles(y), singles(z)];
    const since = unixSeconds();
    const reductions = [ta.nansum(y), ta.nanmean(y), z.sum(), z.mean()];
    const results = await ta.compute(reductions, { executor: client });
    const stream = (await client.getTaskStream({ since: since - 1 })) as StreamRecord[];
    reductions.forEach((reduction, i) => {
      const ran = perBlockPartials(stream.filter((record) => record.key.startsWith(reduction.name)).map((record) => record.key));
      assert.equal(ran, i < 2 ? singlesY : singlesZ, `per-block partial tasks that ran for reduction ${i}: the whole groups and the workers' parts ran fused`);
    });
    const fresh = ta.random([side, side], { chunks: [chunk, chunk], seed: 11 });
    const freshY = withNaN(fresh);
    const freshZ = order(fresh);
    const reference = await ta.compute([ta.nansum(freshY), ta.nanmean(freshY), freshZ.sum(), freshZ.mean()], { executor: local });
    results.forEach((value, i) => assert.equal(value.item(), reference[i].item(), `reduction ${i}: ${value.item()} vs unfused ${reference[i].item()}`));

    const [yData, zData] = (await ta.compute([y, z], { executor: client })) as NDArray[];
    const numpy = (data: NDArray, ops: string[]) => {
      const file = join(dir, "values.bin");
      writeFileSync(file, new Uint8Array((data.data as Float64Array).buffer));
      return (JSON.parse(python("numpy_reductions.py", file, "float64", `${side},${side}`, JSON.stringify(ops.map((op) => ({ op }))))) as Array<{ values: number[] }>).map((r) => r.values[0]);
    };
    const expected = [...numpy(yData, ["nansum", "nanmean"]), ...numpy(zData, ["sum", "mean"])];
    results.forEach((value, i) => assert.ok(Math.abs((value.item() as number) - expected[i]) <= 1e-9 * Math.abs(expected[i]), `reduction ${i}: ${value.item()} vs NumPy ${expected[i]}`));
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

  it("runs each worker's part of every split group as one task and still equals the unfused result", async () => {
    const x = await ta.random([side, side], { chunks: [chunk, chunk], seed: 12 }).persist({ executor: client });
    const split = colocatedGroups(x.blockKeys(), (key) => client.holders(key)).filter((t) => !t).length;
    assert.ok(split >= 8, `only ${split} of 16 groups split: the blocks did not interleave`);
    const shares = splitGroupShares(x.blockKeys(), (key) => client.holders(key));
    const since = unixSeconds();
    const [mean, max] = await ta.compute([x.mean(), x.max()], { executor: client });
    const stream = (await client.getTaskStream({ since: since - 1 })) as StreamRecord[];
    const meanKeys = stream.filter((record) => record.key.startsWith(x.mean().name)).map((record) => record.key);
    assert.equal(perBlockPartials(meanKeys), shares.reduce((n, share) => n + share.singles, 0));
    assert.equal(meanKeys.filter((key) => key.includes("-part-1-")).length, shares.reduce((n, share) => n + share.parts, 0));
    const fresh = ta.random([side, side], { chunks: [chunk, chunk], seed: 12 });
    const [meanRef, maxRef] = await ta.compute([fresh.mean(), fresh.max()], { executor: local });
    assert.equal(mean.item(), meanRef.item());
    assert.equal(max.item(), maxRef.item());
  });
});

describe("reductions where a persisted array lives, 1 worker × 4 threads", () => {
  let cluster: LocalCluster;
  let client: Client;
  before(async () => {
    cluster = await LocalCluster.start({ nWorkers: 1, threadsPerWorker: 4, dashboardAddress: false });
    client = await Client.connect(cluster);
  });
  after(async () => {
    await client?.close();
    await cluster?.close();
  });

  const partialsThatRan = async (reduction: ta.Array): Promise<number> => {
    const since = unixSeconds();
    await reduction.compute({ executor: client });
    const stream = (await client.getTaskStream({ since: since - 1 })) as StreamRecord[];
    return perBlockPartials(stream.filter((record) => record.key.startsWith(reduction.name)).map((record) => record.key));
  };

  it("keeps 16 blocks (one group) a task per block, so that the 4 threads share them", async () => {
    const x = await ta.random([400, 400], { chunks: [chunk, chunk], seed: 13 }).persist({ executor: client });
    assert.equal(await partialsThatRan(x.sum()), 16);
  });

  it("fuses the 16 groups of 256 blocks: at least a group per thread", async () => {
    const x = await ta.random([side, side], { chunks: [chunk, chunk], seed: 14 }).persist({ executor: client });
    assert.equal(await partialsThatRan(x.sum()), 0);
  });
});

