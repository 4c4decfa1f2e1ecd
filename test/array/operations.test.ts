import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { ZarrNotFoundError } from "../../src/zarr/index.js";
import { lowerArrays } from "../../src/array/lower.js";

function close(actual: nd.NDArray, expected: nd.NDArray, tolerance = 0): void {
  assert.deepEqual([...actual.shape], [...expected.shape]);
  const a = nd.ascontiguousarray(actual).data;
  const b = nd.ascontiguousarray(nd.astype(expected, actual.dtype)).data;
  for (let i = 0; i < a.length; i++) {
    const diff = Math.abs(Number(a[i]) - Number(b[i]));
    if (diff > tolerance * Math.max(1, Math.abs(Number(b[i])))) assert.fail(`element ${i}: ${a[i]} vs ${b[i]}`);
  }
}

const base = nd.random([30, 40], { seed: 2 });
const x = ta.fromArray(base, { chunks: [7, 9] });

describe("lazy arrays", () => {
  it("compute returns the data, whatever the chunking", async () => {
    close(await x.compute(), base);
    close(await x.rechunk([30, 5]).compute(), base);
    close(await x.rechunk("auto").compute(), base);
  });

  it("does elementwise arithmetic with broadcasting and NumPy dtypes", async () => {
    const row = ta.fromArray(nd.arange(0, 40, 1, "float64"), { chunks: [13] });
    close(await x.add(row).mul(2).sub(1).compute(), nd.subtract(nd.multiply(nd.add(base, nd.arange(0, 40, 1, "float64")), 2), 1), 1e-15);
    const u = ta.fromArray(nd.full([10], 3, "uint16"), { chunks: [4] });
    const v = ta.fromArray(nd.full([10], 5, "uint16"), { chunks: [3] });
    const wrapped = await ta.subtract(u, v).compute();
    assert.equal(wrapped.dtype, "uint16");
    assert.equal(wrapped.item(0), 65534, "uint16 − uint16 wraps as in NumPy");
    assert.equal((await x.gt(0.5).compute()).dtype, "bool");
  });

  it("refuses operands that cannot broadcast, naming the shapes", () => {
    const other = ta.zeros([7, 3], { chunks: [7, 3] });
    assert.throws(() => x.add(other), /could not be broadcast together with shapes \[30, 40\] \[7, 3\]/);
  });

  it("reduces along axes as a tree, like NumPy", async () => {
    close(await x.sum().compute(), nd.sum(base), 1e-12);
    close(await x.sum({ axis: 0 }).compute(), nd.sum(base, { axis: 0 }), 1e-12);
    close(await x.mean({ axis: 1, keepdims: true }).compute(), nd.mean(base, { axis: 1, keepdims: true }), 1e-12);
    close(await x.min().compute(), nd.min(base));
    close(await x.max({ axis: [0, 1] }).compute(), nd.max(base));
    close(await x.std().compute(), nd.std(base), 1e-12);
    close(await x.var({ axis: 0, ddof: 1 }).compute(), nd.variance(base, { axis: 0, ddof: 1 }), 1e-12);
    const ones = ta.ones([2000, 2000], { chunks: [250, 250], dtype: "float64" });
    assert.equal((await ones.sum().compute()).item(), 4_000_000);
  });

  it("slices, squeezes and transposes", async () => {
    close(await x.get(3, { start: 2, stop: 30, step: 4 }).compute(), nd.slice(base, 3, { start: 2, stop: 30, step: 4 }));
    close(await x.get({ start: -5 }, { step: -3 }).compute(), nd.slice(base, { start: -5 }, { step: -3 }));
    close(await x.transpose().compute(), nd.transpose(base));
    const cube = ta.fromArray(nd.random([1, 5, 1, 4], { seed: 1 }), { chunks: [1, 2, 1, 3] });
    assert.deepEqual((await cube.squeeze().compute()).shape, [5, 4]);
    assert.throws(() => cube.squeeze(1), /cannot squeeze axis 1 with size 5/);
  });

  it("maps blocks with block info, new and dropped axes", async () => {
    const offsets = x.mapBlocks((block: nd.NDArray, options: { blockInfo: { output: { "array-location": number[][] } } }) =>
      nd.full(block.shape as number[], options.blockInfo.output["array-location"][0][0], "float64"), { blockInfo: true, dtype: "float64" }, {});
    const computed = await offsets.compute();
    assert.equal(computed.item(8, 0), 7, "row 8 lies in the block starting at row 7");
    const rowSums = x.mapBlocks((block: nd.NDArray) => nd.sum(block, { axis: 1 }), { dropAxis: 1, dtype: "float64" });
    close(await rowSums.compute(), nd.sum(base, { axis: 1 }), 1e-12);
    const expanded = x.mapBlocks((block: nd.NDArray) => nd.expandDims(block, 0), { newAxis: 0 });
    assert.deepEqual(expanded.shape, [1, 30, 40]);
  });

  it("infers dtypes by running the function on a tiny block", () => {
    assert.equal(x.mapBlocks((block: nd.NDArray) => nd.astype(block, "int16")).dtype, "int16");
    assert.throws(() => x.mapBlocks(() => 42), /returned number, not an NDArray/);
  });

  it("persists and reuses results", async () => {
    const kept = await x.mul(3).persist();
    close(await kept.add(1).compute(), nd.add(nd.multiply(base, 3), 1), 1e-15);
  });

  it("writes Zarr and reads it back; refuses to overwrite unless asked; names a missing path", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tessera-ops-"));
    try {
      await x.toZarr(join(dir, "x.zarr"));
      close(await (await ta.fromZarr(join(dir, "x.zarr"))).compute(), base);
      await assert.rejects(x.toZarr(join(dir, "x.zarr")), /overwrite/);
      await x.add(1).toZarr(join(dir, "x.zarr"), { overwrite: true });
      close(await (await ta.fromZarr(join(dir, "x.zarr"))).compute(), nd.add(base, 1), 1e-15);
      await assert.rejects(ta.fromZarr(join(dir, "missing.zarr")), (error: Error) => error instanceof ZarrNotFoundError && error.message.includes("missing.zarr"));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("makes zeros, ones, full and seeded random arrays", async () => {
    assert.equal((await ta.full([5, 5], 7, { chunks: 2, dtype: "int32" }).sum().compute()).item(), 175n);
    const r1 = await ta.random([20, 20], { chunks: 6, seed: 9 }).compute();
    const r2 = await ta.random([20, 20], { chunks: 6, seed: 9 }).compute();
    close(r1, r2);
    assert.ok(Number(nd.max(r1).item()) < 1 && Number(nd.min(r1).item()) >= 0);
  });
});

describe("rechunk plans", () => {
  it("turns a transposition-like rechunk into two cheap steps instead of an all-to-all graph", async () => {
    const data = nd.random([200, 200], { seed: 4 });
    const rows = ta.fromArray(data, { chunks: [1, 200] });
    const columns = rows.rechunk([200, 1]);
    const { graph } = lowerArrays([columns], () => false, (node) => (node as ta.Array).blockKeys());
    let edges = 0;
    for (const task of graph.tasks.values()) edges += task.deps.length;
    assert.ok(edges < 1000, `${edges} dependencies (a direct rechunk needs 40,000)`);
    close(await columns.compute(), data);
  });

  it("keeps a rechunk between similar chunkings a view (no tasks of its own)", () => {
    const x = ta.fromArray(nd.zeros([64, 64]), { chunks: [16, 16] });
    const y = x.rechunk([32, 32]).add(1);
    const { graph } = lowerArrays([y], () => false, (node) => (node as ta.Array).blockKeys());
    assert.equal(graph.size, 4, "each output block is one task: its 4 source blocks, the assembly and the add, fused");
  });
});
