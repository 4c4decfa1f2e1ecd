// ta.ndimage.splineFilter / splineFilter1d (dask-image's ndinterp.spline_filter and
// spline_filter1d): bit for bit what dask-image computes — Dask's map_overlap of scipy 1.10's
// spline_filter with the same depth and boundary ("none", "periodic" for grid-wrap) — on seeded
// chunkings with many blocks per axis, orders 2–5, every mode dask-image takes and output dtypes
// (blocks at least the depth long, which Dask would otherwise rechunk first; Dask refuses a depth
// past the array's length, where tessera's halo stops: the Dask side gets the depth cut to it);
// close to scipy's whole-volume result (the halo's truncation, ~|pole|^depth), and exact with
// one block per filtered axis; a LocalCluster 2 × 1 sample; refusals named.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { type Rng, integer, pick, pyChunks, randomArray, rngOf } from "./differential-inputs.js";
import { assertSameArray, evaluatePython } from "./python-eval.js";
import { describeOnCluster } from "./cluster-sample.js";

const modes = ["mirror", "reflect", "nearest", "constant", "grid-constant", "grid-mirror", "grid-wrap"] as const;
const defaultDepth: Record<number, number> = { 0: 0, 1: 0, 2: 11, 3: 14, 4: 19, 5: 22 };

interface Case {
  label: string;
  lazy: () => ta.Array;
  /** What dask-image runs: Dask's map_overlap of scipy's filter. */
  dask: string;
}

/** Blocks of at least `reach` cells (or the whole axis): Dask rechunks smaller ones first, which would change its windows. */
function chunksAtLeast(rng: Rng, n: number, reach: number): number[] {
  if (n <= reach) return [n];
  const sizes: number[] = [];
  let left = n;
  while (left > 0) {
    const size = Math.min(left, integer(rng, Math.max(reach, 1), Math.max(reach, 1) + 6));
    sizes.push(size);
    left -= size;
  }
  if (sizes.length > 1 && sizes[sizes.length - 1] < reach) sizes[sizes.length - 2] += sizes.pop() as number;
  return sizes;
}

function drawCase(rng: Rng, inputs: Record<string, nd.NDArray>, index: number): Case {
  const ndim = integer(rng, 1, 3);
  const shape = Array.from({ length: ndim }, () => integer(rng, 3, [80, 50, 30][ndim - 1]));
  const name = `x${index}`;
  inputs[name] = randomArray(rng, pick(rng, ["float64", "float32", "uint16", "int32"] as const), shape);
  let mode: (typeof modes)[number] = pick(rng, modes);
  const output = pick(rng, ["float64", "float64", "float32"] as const);
  const depth = rng() < 0.5 ? integer(rng, 0, 8) : undefined;
  const oneAxis = rng() < 0.4;
  const order = oneAxis ? integer(rng, 0, 5) : integer(rng, 2, 5);
  const reach = depth ?? defaultDepth[order];
  const chunks = shape.map((n) => chunksAtLeast(rng, n, reach));
  // A periodic halo longer than the axis wraps more than once here; Dask refuses it.
  if (mode === "grid-wrap" && shape.some((n) => n < reach)) mode = "mirror";
  const boundary = mode === "grid-wrap" ? "'periodic'" : "'none'";
  const source = `da.from_array(${name}, chunks=${pyChunks(chunks)})`;
  if (oneAxis) {
    const axis = integer(rng, -shape.length, shape.length - 1);
    const depths = shape.map((n, a) => (a === (axis + shape.length) % shape.length ? Math.min(reach, n) : 0));
    return {
      label: `splineFilter1d ${inputs[name].dtype}[${shape}] chunks ${JSON.stringify(chunks)} order ${order} axis ${axis} ${mode} → ${output} depth ${depth}`,
      lazy: () => ta.ndimage.splineFilter1d(ta.fromArray(inputs[name], { chunks }), { order, axis, mode, output, ...(depth === undefined ? {} : { depth }) }),
      dask: `${source}.map_overlap(lambda b: ndi.spline_filter1d(b, order=${order}, axis=${axis}, mode='${mode}', output=np.${output}), depth=${pyTupleOf(depths)}, boundary=${boundary}, dtype=np.${output})`,
    };
  }
  return {
    label: `splineFilter ${inputs[name].dtype}[${shape}] chunks ${JSON.stringify(chunks)} order ${order} ${mode} → ${output} depth ${depth}`,
    lazy: () => ta.ndimage.splineFilter(ta.fromArray(inputs[name], { chunks }), { order, mode, output, ...(depth === undefined ? {} : { depth }) }),
    dask: `${source}.map_overlap(lambda b: ndi.spline_filter(b, order=${order}, mode='${mode}', output=np.${output}), depth=${pyTupleOf(shape.map((n) => Math.min(reach, n)))}, boundary=${boundary}, dtype=np.${output})`,
  };
}

const pyTupleOf = (values: readonly number[]): string => `{${values.map((v, a) => `${a}: ${v}`).join(", ")}}`;

describe("ta.ndimage.splineFilter and splineFilter1d", () => {
  it("equal dask-image's computation (Dask's map_overlap of scipy's prefilter) bit for bit", async () => {
    const rng = rngOf(20261205);
    const inputs: Record<string, nd.NDArray> = {};
    const cases = Array.from({ length: 60 }, (_, i) => drawCase(rng, inputs, i));
    const reference = evaluatePython(inputs, Object.fromEntries(cases.map((c, i) => [`c${i}`, c.dask])));
    for (const [i, c] of cases.entries()) {
      const expected = reference[`c${i}`];
      assert.equal(expected.error, undefined, `${c.label}: Dask raised ${expected.error}`);
      const lazy = c.lazy();
      assert.deepEqual(lazy.chunks.map((a) => [...a]), expected.chunks, `${c.label}: chunks`);
      assertSameArray(await lazy.compute(), expected.array as nd.NDArray, c.label);
    }
  });

  it("are scipy's whole-volume result within the halo's truncation, and exactly it with one block per filtered axis", async () => {
    const rng = rngOf(7);
    const x = randomArray(rng, "float64", [40, 36, 30]);
    const python = evaluatePython({ x }, {
      whole3: "ndi.spline_filter(x, order=3, mode='mirror')",
      whole5: "ndi.spline_filter(x, order=5, mode='nearest')",
      axis1: "ndi.spline_filter1d(x, order=4, axis=1, mode='reflect')",
    });
    const range = Math.max(...(x.data as Float64Array)) - Math.min(...(x.data as Float64Array));
    const chunked = await ta.ndimage.splineFilter(ta.fromArray(x, { chunks: [7, 9, 6] }), { order: 3 }).compute();
    const worst = maxDifference(chunked, python.whole3.array as nd.NDArray);
    assert.ok(worst > 0 && worst < 1e-7 * range, `order 3: largest difference ${worst} (range ${range})`);
    const deeper = await ta.ndimage.splineFilter(ta.fromArray(x, { chunks: [7, 9, 6] }), { order: 5, mode: "nearest", depth: 40 }).compute();
    assert.ok(maxDifference(deeper, python.whole5.array as nd.NDArray) < 1e-12 * range, "order 5 with depth 40");
    // One block along axis 1 (the filtered one), many along the others: no truncation.
    const exact = await ta.ndimage.splineFilter1d(ta.fromArray(x, { chunks: [5, 36, 4] }), { order: 4, axis: 1, mode: "reflect" }).compute();
    assertSameArray(exact, python.axis1.array as nd.NDArray, "splineFilter1d with the filtered axis whole");
  });

  it("refuse what they cannot do, naming it", () => {
    const x = ta.fromArray(nd.zeros([8, 8], "float64"), { chunks: [4, 4] });
    assert.throws(() => ta.ndimage.splineFilter(x, { mode: "wrap" }), /splineFilter: mode "wrap" is not supported on chunked arrays .* use "grid-wrap"/);
    assert.throws(() => ta.ndimage.splineFilter1d(x, { mode: "wrap" }), /splineFilter1d: mode "wrap"/);
    assert.throws(() => ta.ndimage.splineFilter(x, { order: 1 }), /order 1 is not a supported spline order: use an integer from 2 to 5/);
    assert.throws(() => ta.ndimage.splineFilter(x, { depth: -1 }), /splineFilter: depth must be a non-negative integer/);
    assert.throws(() => ta.ndimage.splineFilter(x, { sigma: 2 } as never), /sigma/);
    assert.throws(() => ta.ndimage.splineFilter1d(x, { axis: 2 }), /axis 2/);
    assert.throws(() => ta.ndimage.splineFilter(nd.zeros([3], "float64") as never), /need a tessera array/);
  });
});

function maxDifference(a: nd.NDArray, b: nd.NDArray): number {
  const x = a.toTypedArray() as Float64Array;
  const y = b.toTypedArray() as Float64Array;
  let worst = 0;
  for (let i = 0; i < y.length; i++) worst = Math.max(worst, Math.abs(x[i] - y[i]));
  return worst;
}

describeOnCluster("ta.ndimage.splineFilter", () => {
  const x = randomArray(rngOf(11), "float32", [24, 20, 18]);
  return [ta.ndimage.splineFilter(ta.fromArray(x, { chunks: [6, 5, 6] }), { order: 3, mode: "grid-wrap" })];
});
