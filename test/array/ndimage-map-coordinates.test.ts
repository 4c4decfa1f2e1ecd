// mapCoordinates of a lazy array (issue 12 item 3) against scipy 1.10's map_coordinates of the
// whole volume, run at test time: every mode for orders 0 and 1 bit for bit, on several dtypes,
// irregular input chunks and output chunks, coordinates outside the array and NaN; the
// prefiltered orders within the stated approximation (exact for one chunk); each output block
// reading only the input blocks under its points.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { lowerArrays } from "../../src/array/lower.js";
import type { DType } from "../../src/ndarray/dtype.js";
import { assertSameArray, evaluatePython } from "./python-eval.js";

const shape = [19, 23, 17];
const modes = ["constant", "nearest", "reflect", "mirror", "wrap", "grid-constant", "grid-mirror", "grid-wrap"] as const;
const irregular = [[5, 9, 1, 4], [7, 7, 9], [3, 14]];

function volume(dtype: DType, seed: number): nd.NDArray {
  return nd.astype(nd.multiply(nd.random(shape, { seed }), dtype === "int16" ? 30000 : 1000), dtype);
}

/** Points spread over and beyond the volume, a few NaN. */
function scattered(seed: number): nd.NDArray {
  const points = nd.subtract(nd.multiply(nd.random([3, 12, 15], { seed }), 34), 8);
  const data = points.data as Float64Array;
  for (let i = 0; i < data.length; i += 37) data[i] = NaN;
  return points;
}

/** An oblique plane through the volume: nearby points sit in nearby blocks. */
function obliquePlane(n: number): nd.NDArray {
  const data = new Float64Array(3 * n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const p = i * n + j;
      data[p] = 2 + 0.4 * i + 0.1 * j;
      data[n * n + p] = 1.5 + 0.6 * j;
      data[2 * n * n + p] = 3 + 0.3 * i - 0.05 * j;
    }
  }
  return new nd.NDArray(data, [3, n, n]);
}

describe("lazy mapCoordinates equals scipy's map_coordinates of the whole volume", () => {
  for (const [d, dtype] of (["float32", "uint16", "int16", "float64"] as DType[]).entries()) {
    it(`orders 0 and 1, every mode, bit for bit (${dtype}, irregular chunks, scattered points)`, async () => {
      const x = volume(dtype, 170 + d);
      const points = scattered(180 + d);
      const cases = modes.flatMap((mode) => [0, 1].map((order) => ({ mode, order, cval: 2.5 })));
      const reference = evaluatePython({ x, points }, Object.fromEntries(cases.map((o, i) => [`c${i}`, `ndi.map_coordinates(x, points, order=${o.order}, mode='${o.mode}', cval=2.5)`])));
      const lazy = ta.fromArray(x, { chunks: irregular });
      const results = await ta.compute(cases.map((o, i) => ta.mapCoordinates(lazy, points, { ...o, outputChunks: i % 2 === 0 ? [5, 4] : -1 })));
      cases.forEach((o, i) => assertSameArray(results[i], reference[`c${i}`].array as nd.NDArray, `order ${o.order} ${o.mode}`));
    });
  }

  it("reads cell 0 for a NaN coordinate with order 0 in nearest mode, as scipy does, in a block with no other point near it", async () => {
    // The first block (points 0 and 1) holds a NaN on axis 1 and only 20 besides: its
    // window left cell 0 out and the block failed ("inputWindow does not hold cell 0").
    const x = volume("float32", 177);
    const points = new nd.NDArray(new Float64Array([10, 12, 3, 15, Number.NaN, 20, 8, 9, 11, 5, 6, Number.NaN]), [3, 4]);
    const reference = evaluatePython({ x, points }, { r: "ndi.map_coordinates(x, points, order=0, mode='nearest')" });
    const lazy = ta.fromArray(x, { chunks: [5, 6, 4] });
    assertSameArray(await ta.mapCoordinates(lazy, points, { order: 0, mode: "nearest", outputChunks: [2] }).compute(), reference.r.array as nd.NDArray, "NaN, order 0, nearest");
  });

  it("orders 2–5 with the prefilter: within 1e-8 of the range of scipy; one chunk and prefilter: false exact", async () => {
    const x = volume("float64", 175);
    const plane = obliquePlane(20);
    const cases = [2, 3, 4, 5].flatMap((order) => (["reflect", "grid-wrap", "nearest"] as const).map((mode) => ({ order, mode })));
    const reference = evaluatePython({ x, plane }, {
      ...Object.fromEntries(cases.map((o, i) => [`c${i}`, `ndi.map_coordinates(x, plane, order=${o.order}, mode='${o.mode}')`])),
      raw: "ndi.map_coordinates(x, plane, order=3, mode='mirror', prefilter=False)",
    });
    const chunked = ta.fromArray(x, { chunks: [6, 8, 5] });
    const results = await ta.compute(cases.map((o) => ta.mapCoordinates(chunked, plane, { ...o, outputChunks: [7, 6] })));
    cases.forEach((o, i) => {
      const expected = reference[`c${i}`].array as nd.NDArray;
      const gap = Math.max(...Array.from(results[i].data as Float64Array, (v, k) => Math.abs(v - (expected.data as Float64Array)[k])));
      assert.ok(gap <= 1e-8 * 1000, `order ${o.order} ${o.mode}: worst gap ${gap}`);
    });
    assertSameArray(await ta.mapCoordinates(ta.fromArray(x, { chunks: -1 }), plane, { order: 3, mode: "reflect" }).compute(), reference.c3.array as nd.NDArray, "one chunk");
    assertSameArray(await ta.mapCoordinates(chunked, plane, { order: 3, mode: "mirror", prefilter: false }).compute(), reference.raw.array as nd.NDArray, "prefilter: false");
  });

  it("each output block reads only the input blocks under its points", () => {
    const x = ta.fromArray(volume("float32", 176), { chunks: [4, 4, 4] });
    const { graph } = lowerArrays([ta.mapCoordinates(x, obliquePlane(40), { order: 1, outputChunks: [5, 5] })], () => false, (node) => (node as ta.Array).blockKeys());
    let widest = 0;
    const read = new Set<string>();
    for (const task of graph.tasks.values()) {
      const inputs = task.deps.filter((dep) => dep.includes(x.name));
      inputs.forEach((dep) => read.add(dep));
      widest = Math.max(widest, inputs.length);
    }
    // A 5×5 patch of the plane spans ≤ 3 cells per axis plus a tap: at most 2 blocks of 4 per axis.
    assert.ok(widest > 0 && widest <= 8, `a task read ${widest} input blocks; a 5×5 patch of the plane needs at most 8`);
    assert.ok(read.size < 5 * 6 * 5, `the plane reads ${read.size} of the volume's 150 blocks, not all`);
  });

  it("maps zero points to an empty result and refuses what it cannot do, naming it", async () => {
    const x = ta.fromArray(volume("float32", 177), { chunks: 8 });
    const none = await ta.mapCoordinates(x, nd.zeros([3, 0]), { order: 1 }).compute();
    assert.deepEqual([...none.shape], [0]);
    const refuses = (run: () => unknown, pattern: RegExp) => assert.throws(run, (e: Error) => e.name === "InvalidOptionError" && pattern.test(e.message), String(pattern));
    refuses(() => ta.mapCoordinates(x, ta.zeros([3, 4]) as never), /the coordinates must be an NDArray .* compute them first/);
    refuses(() => ta.mapCoordinates(x, nd.zeros([2, 4])), /coordinates of shape \[2, 4\] do not fit a 3-D input/);
    refuses(() => ta.mapCoordinates(x, nd.full([3, 2], Infinity)), /infinite value/);
    refuses(() => ta.mapCoordinates(x, nd.zeros([3, 2]), { inputWindow: {} } as never), /takes no inputWindow/);
    refuses(() => ta.mapCoordinates(x, nd.zeros([3, 2]), { order: 1, prefilterDepth: 4 }), /prefilterDepth applies only with the prefilter/);
    refuses(() => ta.mapCoordinates(x, nd.zeros([3, 2]), { mode: "edge" as never }), /mode "edge"/);
    refuses(() => ta.mapCoordinates(nd.zeros([3]) as never, nd.zeros([1, 2])), /needs a tessera Array; for an NDArray use ndimage.mapCoordinates/);
  });
});
