/**
 * The graphs a user writes after sums and means, over a persisted array of ≥ 10 blocks per axis,
 * against Dask 2022.12's optimised graph for the same expression and chunks (split_every 16,
 * tessera's default): no task of ours reads more inputs than Dask's largest fan-in, and the
 * rechunk planner's largest task stays the same size however long the array (its intermediate
 * is bounded by the chunks, not the data). Values and memory on a cluster:
 * any-graph-memory.test.ts.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { LazyArray } from "../../src/array/array.js";
import { PersistedExpr } from "../../src/array/sources.js";
import { lowerArrays } from "../../src/array/lower.js";
import { graphShape, type GraphShape } from "../../src/graph/graph-shape.js";

const script = fileURLToPath(new URL("../../../test/fixtures/array/persisted_graph_shape.py", import.meta.url));

/** An array as persist() returns it: its blocks are keys the cluster holds, no tasks. */
function persisted(shape: number[], chunks: number[]): ta.Array {
  const layout = ta.zeros(shape, { chunks });
  return new LazyArray(`held-${shape.join("x")}-${chunks.join("x")}`, layout.shape, layout.chunks, "float64", new PersistedExpr(() => undefined));
}

function lowered(array: ta.Array) {
  return lowerArrays([array], () => true, (node) => (node as ta.Array).blockKeys());
}

interface Case {
  label: string;
  shape: number[];
  chunks: number[];
  ours: (x: ta.Array) => ta.Array;
  dask: string;
}

const long = { shape: [15_000, 2000], chunks: [1000, 100] }; // 15 × 20 blocks
const bands = (x: ta.Array) => Array.from({ length: 15 }, (_, i) => x.get({ start: i * 1000, stop: (i + 1) * 1000 }));
const cases: Case[] = [
  { label: "rechunk (1000, 50) → (50, 1000)", shape: [20_000, 1000], chunks: [1000, 50], ours: (x) => x.rechunk([50, 1000]), dask: "x.rechunk((50, 1000))" },
  { label: "reshape merging the last two axes", shape: [150, 100, 200], chunks: [10, 10, 20], ours: (x) => x.reshape([150, 20_000]).sum({ axis: 0 }), dask: "x.reshape((150, 20000)).sum(axis=0)" },
  { label: "ravel then sum", ...long, ours: (x) => ta.ravel(x).sum(), dask: "x.ravel().sum()" },
  { label: "transpose then rechunk", ...long, ours: (x) => x.transpose().rechunk([100, 1000]), dask: "x.T.rechunk((100, 1000))" },
  { label: "stack of 15 bands then mean", ...long, ours: (x) => ta.stack(bands(x), 0).mean({ axis: 0 }), dask: "da.stack([x[i * 1000:(i + 1) * 1000] for i in range(15)]).mean(axis=0)" },
  { label: "concatenate of 15 bands then max", ...long, ours: (x) => ta.concatenate(bands(x), 1).max({ axis: 1 }), dask: "da.concatenate([x[i * 1000:(i + 1) * 1000] for i in range(15)], axis=1).max(axis=1)" },
  { label: "argmax along the long axis", ...long, ours: (x) => x.argmax({ axis: 0 }), dask: "x.argmax(axis=0)" },
  { label: "argmin along the short axis", ...long, ours: (x) => x.argmin({ axis: 1 }), dask: "x.argmin(axis=1)" },
  { label: "nanargmax", ...long, ours: (x) => ta.nanargmax(x, { axis: 0 }), dask: "da.nanargmax(x, axis=0)" },
  { label: "topk", ...long, ours: (x) => ta.topk(x, 5, { axis: 0 }), dask: "da.topk(x, 5, axis=0)" },
  { label: "argtopk", ...long, ours: (x) => ta.argtopk(x, -5, { axis: 1 }), dask: "da.argtopk(x, -5, axis=1)" },
  { label: "percentile of the raveled array", ...long, ours: (x) => ta.percentile(ta.ravel(x), [10, 50, 90]), dask: "da.percentile(x.ravel(), [10, 50, 90])" },
  { label: "median along the long axis", ...long, ours: (x) => ta.median(x, { axis: 0 }), dask: "da.median(x, axis=0)" },
  { label: "histogram", ...long, ours: (x) => ta.histogram(x, { bins: 20, range: [0, 1] })[0], dask: "da.histogram(x, bins=20, range=(0, 1))[0]" },
  { label: "unique of integers", ...long, ours: (x) => ta.unique(x.mul(1000).astype("int64")) as ta.Array, dask: "da.unique((x * 1000).astype('int64'))" },
  { label: "bincount", ...long, ours: (x) => ta.bincount(ta.ravel(x.mul(1000).astype("int64"))), dask: "da.bincount(da.ravel((x * 1000).astype('int64')))" },
  { label: "cumsum along the long axis", ...long, ours: (x) => ta.cumsum(x, { axis: 0 }), dask: "da.cumsum(x, axis=0)" },
  { label: "diff", ...long, ours: (x) => ta.diff(x, { axis: 0 }), dask: "da.diff(x, axis=0)" },
  { label: "gradient", ...long, ours: (x) => ta.gradient(x, { axis: 0 }) as ta.Array, dask: "da.gradient(x, axis=0)" },
  { label: "isin", ...long, ours: (x) => ta.isin(x.mul(1000).astype("int64"), [1, 5, 7]), dask: "da.isin((x * 1000).astype('int64'), [1, 5, 7])" },
  { label: "mapBlocks with dropAxis", ...long, ours: (x) => x.mapBlocks((b: nd.NDArray) => nd.sum(b, { axis: 0 }), { dropAxis: 0 }), dask: "x.map_blocks(lambda b: b.sum(axis=0), drop_axis=0)" },
  { label: "mapBlocks with newAxis", ...long, ours: (x) => x.mapBlocks((b: nd.NDArray) => nd.expandDims(b, 0), { newAxis: 0 }), dask: "x.map_blocks(lambda b: b[None], new_axis=0)" },
  { label: "blockwise with concatenate", ...long, ours: (x) => ta.blockwise((b: nd.NDArray) => nd.sum(b, { axis: 0 }), "j", [x, "ij"], { concatenate: true }), dask: "da.blockwise(lambda b: b.sum(axis=0), 'j', x, 'ij', concatenate=True, dtype=float)" },
  {
    label: "overlap (trim false) then trim",
    ...long,
    ours: (x) => x.mapOverlap((b: nd.NDArray) => b, { depth: 2, boundary: "none", trim: false }).mapBlocks((b: nd.NDArray) => b, {}),
    dask: "da.overlap.trim_internal(da.overlap.overlap(x, depth=2, boundary='none'), {0: 2, 1: 2}, boundary='none')",
  },
];

function daskShapes(): GraphShape[] {
  const out = execFileSync("/usr/bin/python3", ["-B", script, JSON.stringify(cases.map(({ shape, chunks, dask }) => ({ shape, chunks, expr: dask })))], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  return JSON.parse(out.trim().split("\n").pop() as string) as GraphShape[];
}

describe("graphs beyond sums over a persisted array of ≥ 10 blocks per axis, against Dask 2022.12's", () => {
  it("no task reads more inputs than Dask's largest fan-in for the same expression and chunks", (t) => {
    const dask = daskShapes();
    const rows: string[] = [];
    const wider: string[] = [];
    cases.forEach((c, i) => {
      const ours = graphShape(lowered(c.ours(persisted(c.shape, c.chunks))).graph);
      rows.push(`${c.label}: ours ${ours.tasks} tasks, fan-in ${ours.maxFanIn}; Dask ${dask[i].tasks} tasks, fan-in ${dask[i].maxFanIn}`);
      if (ours.maxFanIn > dask[i].maxFanIn) wider.push(rows[rows.length - 1]);
    });
    for (const row of rows) t.diagnostic(row);
    assert.deepEqual(wider, [], "fan-ins wider than Dask's");
  });

  it("cumsum's carries stay tasks of their own: the last block does not pull the block before it in", () => {
    const { graph } = lowered(ta.cumsum(persisted(long.shape, long.chunks), { axis: 0 }));
    const last = graph.tasks.get(`('${ta.cumsum(persisted(long.shape, long.chunks), { axis: 0 }).name}', 14, 3)`);
    assert.ok(last, "the last block along the axis is a task");
    assert.equal(last.deps.length, 2, `its inputs: ${last.deps.join(", ")}`);
  });

  it("the rechunk planner's largest task is bounded by the chunks, not by the array's length", () => {
    const largest = (rows: number) => lowered(persisted([rows, 1000], [1000, 50]).rechunk([50, 1000])).memory.largest?.bytes ?? Infinity;
    const short = largest(20_000);
    // 20 000 rows (160 MB) and 200 000 rows (1.6 GB): the same steps, each on one band of 1000 rows.
    assert.equal(largest(200_000), short);
    // One 1000 × 1000 intermediate band (8 MB) with its 20 source blocks and a target block.
    assert.ok(short <= 3 * 8e6, `largest task ${(short / 2 ** 20).toFixed(1)} MiB`);
  });
});
