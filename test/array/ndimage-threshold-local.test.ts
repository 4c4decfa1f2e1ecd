// ta.ndimage.thresholdLocal (dask-image's threshold_local) against the scipy 1.10 composition on
// the whole array: seeded random 1–3-d images of integer and float dtypes cut into random chunks
// (many blocks per axis, blocks smaller than the neighbourhood), every method, block sizes, modes,
// cval, offsets and params, on the local executor — bit for bit, except "mean", whose uniform
// filter's running sum starts in each block's halo (see meanTolerance). Then a LocalCluster of
// 2 workers × 1 thread, where the "generic" function travels by its source, and the refusals.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as ndimage from "../../src/ndimage/index.js";
import type * as nd from "../../src/ndarray/index.js";
import type { DType } from "../../src/ndarray/dtype.js";
import { InvalidOptionError } from "../../src/core/errors.js";
import { FunctionTravelError } from "../../src/graph/function-travel.js";
import { randomArray, randomChunks } from "./differential-inputs.js";
import { describeOnCluster } from "./cluster-sample.js";
import { type FilterCase, differences, fuzzSeed, mismatch, pick, report, rngOf } from "../ndimage/filter-differential.js";
import { drawShape, drawThresholdCall, methods } from "../ndimage/threshold-local-cases.js";

const dtypes: readonly DType[] = ["uint8", "uint16", "float32", "float64"];

/**
 * "mean" is scipy's uniform_filter, a running sum from each line's start: a block's line starts in
 * its halo, so a float threshold may differ from the whole array's in the last bits (as
 * ta.ndimage.uniformFilter's and dask-image's do). Allowed: 1e-9 relative; NaN and ±inf are left
 * out of these inputs, since once in scipy's running sum they spoil the rest of the whole line.
 */
function meanTolerance(actual: nd.NDArray, expected: nd.NDArray): string | undefined {
  if (actual.dtype !== "float64" || actual.shape.join() !== expected.shape.join()) return mismatch(actual, expected);
  const a = actual.toTypedArray() as Float64Array;
  const b = expected.toTypedArray() as Float64Array;
  for (let i = 0; i < b.length; i++) {
    if (Object.is(a[i], b[i]) || Math.abs(a[i] - b[i]) <= 1e-9 * Math.max(1, Math.abs(b[i]))) continue;
    return `element ${i} is ${a[i]}, scipy ${b[i]} (beyond the running sum's rounding)`;
  }
  return undefined;
}

/** Blocks of 1–2 cells on every axis now and then: the most halos, each wider than its block. */
const drawChunks = (rng: () => number, shape: number[]): number[][] =>
  shape.map((n) => (rng() < 0.3 ? Array.from({ length: Math.ceil(n / 2) }, (_, i) => Math.min(2, n - 2 * i)) : randomChunks(rng, n)));

describe("ta.ndimage.thresholdLocal against the scipy composition on the whole array (seeded differential)", () => {
  for (const method of methods) {
    it(`method "${method}" on random chunkings`, async () => {
      const seed = fuzzSeed + 80 + methods.indexOf(method);
      const rng = rngOf(seed);
      const inputs: Record<string, nd.NDArray> = {};
      const cases: FilterCase[] = [];
      for (let i = 0; i < (method === "generic" ? 30 : 60); i++) {
        const name = `x${i}`;
        const ndim = pick(rng, [1, 2, 2, 3, 3]);
        const x = randomArray(rng, pick(rng, dtypes), drawShape(rng, ndim), { specials: method !== "mean" && rng() < 0.3 });
        inputs[name] = x;
        const chunks = drawChunks(rng, x.shape as number[]);
        const call = drawThresholdCall(rng, ndim, method);
        cases.push({
          label: `${i} ${x.dtype}[${x.shape}] chunks ${JSON.stringify(chunks)} ${call.label}`,
          run: () => ta.ndimage.thresholdLocal(ta.fromArray(x, { chunks }), call.blockSize, call.options).compute(),
          python: call.python(name),
          ...(method === "mean" ? { compare: meanTolerance } : {}),
        });
      }
      report(await differences(cases, inputs), `ta.ndimage.thresholdLocal ${method}`, seed);
    });
  }

  it("equals the eager thresholdLocal, and is float64 before it is computed", async () => {
    const x = randomArray(rngOf(fuzzSeed + 85), "uint16", [13, 11, 6]);
    const lazy = ta.ndimage.thresholdLocal(ta.fromArray(x, { chunks: [3, 4, 2] }), [5, 3, 1], { offset: 2.5, mode: "wrap" });
    assert.equal(lazy.dtype, "float64");
    assert.deepEqual((await lazy.compute()).toArray(), ndimage.thresholdLocal(x, [5, 3, 1], { offset: 2.5, mode: "wrap" }).toArray());
  });
});

const sample = randomArray(rngOf(fuzzSeed + 86), "float32", [15, 12], { specials: false });
const spread = (v: Float64Array): number => Math.max(...v) - Math.min(...v);
describeOnCluster("ta.ndimage.thresholdLocal", () => [
  ta.ndimage.thresholdLocal(ta.fromArray(sample, { chunks: [4, 5] }), 7, { offset: -1.5 }),
  ta.ndimage.thresholdLocal(ta.fromArray(sample, { chunks: [4, 5] }), [3, 5], { method: "median", mode: "constant", cval: 2 }),
  ta.ndimage.thresholdLocal(ta.fromArray(sample, { chunks: [4, 5] }), 3, { method: "generic", param: spread, mode: "wrap" }),
]);

describe("ta.ndimage.thresholdLocal refuses, naming the fault", () => {
  const x = ta.fromArray(randomArray(rngOf(9), "uint8", [6, 7]), { chunks: 3 });
  const refuses = (call: () => unknown, named: RegExp): void => {
    assert.throws(call, (error: unknown) => error instanceof InvalidOptionError && named.test(error.message));
  };
  it("an eager array", () => refuses(() => ta.ndimage.thresholdLocal(randomArray(rngOf(9), "uint8", [3]) as never, 3), /lazy array/));
  it("an even block size", () => refuses(() => ta.ndimage.thresholdLocal(x, [3, 4]), /odd/));
  it("an unknown option", () => refuses(() => ta.ndimage.thresholdLocal(x, 3, { truncate: 3 } as never), /truncate/));
  it("a param for median", () => refuses(() => ta.ndimage.thresholdLocal(x, 3, { method: "median", param: 1 }), /param/));
  it("a generic function that cannot travel (a closure)", () => {
    const level = 3;
    assert.throws(() => ta.ndimage.thresholdLocal(x, 3, { method: "generic", param: (v: Float64Array) => v[0] + level }),
      (error: unknown) => error instanceof FunctionTravelError && /level/.test(error.message));
  });
});
