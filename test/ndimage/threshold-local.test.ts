// thresholdLocal (skimage's threshold_local as dask-image computes it) against the scipy 1.10
// composition, bit for bit: seeded random 1–3-d images of integer and float dtypes (NaN, ±inf and
// −0 now and then), every method, scalar and per-axis odd block sizes (some longer than the
// image), every mode, cval, offsets and params. Then the refusals, each naming what is wrong.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ndimage from "../../src/ndimage/index.js";
import type * as nd from "../../src/ndarray/index.js";
import type { DType } from "../../src/ndarray/dtype.js";
import { randomArray } from "../array/differential-inputs.js";
import { type FilterCase, differences, fuzzSeed, pick, report, rngOf } from "./filter-differential.js";
import { assertInvalidOption } from "./helpers.js";
import { drawShape, drawThresholdCall, methods } from "./threshold-local-cases.js";

const dtypes: readonly DType[] = ["uint8", "uint16", "int16", "float32", "float64"];

describe("thresholdLocal against skimage's composition of scipy 1.10 filters (seeded differential, bit for bit)", () => {
  for (const method of methods) {
    it(`method "${method}": 2-d and 3-d (and 1-d) images, block sizes, modes, cval, offsets, params`, async () => {
      const seed = fuzzSeed + 70 + methods.indexOf(method);
      const rng = rngOf(seed);
      const inputs: Record<string, nd.NDArray> = {};
      const cases: FilterCase[] = [];
      for (let i = 0; i < (method === "generic" ? 50 : 90); i++) {
        const name = `x${i}`;
        const ndim = pick(rng, [1, 2, 2, 3, 3]);
        const x = randomArray(rng, pick(rng, dtypes), drawShape(rng, ndim), { specials: rng() < 0.3 });
        inputs[name] = x;
        const call = drawThresholdCall(rng, ndim, method);
        cases.push({
          label: `${i} ${x.dtype}[${x.shape}] ${call.label}`,
          run: () => ndimage.thresholdLocal(x, call.blockSize, call.options),
          python: call.python(name),
        });
      }
      report(await differences(cases, inputs), `thresholdLocal ${method}`, seed);
    });
  }

  it("returns a new float64 array and leaves the image alone", () => {
    const rng = rngOf(fuzzSeed + 79);
    const x = randomArray(rng, "uint8", [5, 6]);
    const before = x.toArray();
    const t = ndimage.thresholdLocal(x, 3, { method: "median", offset: 1 });
    assert.equal(t.dtype, "float64");
    assert.deepEqual(t.shape, [5, 6]);
    assert.deepEqual(x.toArray(), before);
  });
});

describe("thresholdLocal refuses, naming the fault", () => {
  const x = randomArray(rngOf(5), "float32", [6, 7]);
  const mean = (v: Float64Array): number => v.reduce((a, b) => a + b, 0) / v.length;
  const cases: Array<[string, () => unknown, string]> = [
    ["an even block size (skimage refuses it)", () => ndimage.thresholdLocal(x, 4), "odd"],
    ["an even block size on one axis", () => ndimage.thresholdLocal(x, [3, 2]), "even"],
    ["a block size of 0", () => ndimage.thresholdLocal(x, 0), "blockSize"],
    ["a fractional block size", () => ndimage.thresholdLocal(x, 2.5), "blockSize"],
    ["a block size per axis of the wrong length", () => ndimage.thresholdLocal(x, [3, 3, 3]), "blockSize"],
    ["a block size that is not a number", () => ndimage.thresholdLocal(x, "3" as never), "blockSize"],
    ["an unknown method", () => ndimage.thresholdLocal(x, 3, { method: "otsu" as never }), "method"],
    ["an unknown option", () => ndimage.thresholdLocal(x, 3, { sigma: 2 } as never), "sigma"],
    ["skimage's block_size as an option", () => ndimage.thresholdLocal(x, 3, { block_size: 3 } as never), "block_size"],
    ["a function as the Gaussian's param", () => ndimage.thresholdLocal(x, 3, { param: mean }), "param"],
    ["a negative sigma", () => ndimage.thresholdLocal(x, 3, { param: -1 }), "param"],
    ["sigmas of the wrong length", () => ndimage.thresholdLocal(x, 3, { param: [1, 2, 3] }), "param"],
    ["a string as sigma", () => ndimage.thresholdLocal(x, 3, { param: "2" as never }), "param"],
    ["method generic without a function", () => ndimage.thresholdLocal(x, 3, { method: "generic" }), "param"],
    ["method generic with a number", () => ndimage.thresholdLocal(x, 3, { method: "generic", param: 2 }), "param"],
    ["a param for mean (skimage ignores it)", () => ndimage.thresholdLocal(x, 3, { method: "mean", param: 2 }), "param"],
    ["a param for median", () => ndimage.thresholdLocal(x, 3, { method: "median", param: mean }), "param"],
    ["a list of modes", () => ndimage.thresholdLocal(x, 3, { mode: ["reflect", "wrap"] as never }), "mode"],
    ["an unknown mode", () => ndimage.thresholdLocal(x, 3, { method: "median", mode: "edge" as never }), "mode"],
    ["an offset that is not a number", () => ndimage.thresholdLocal(x, 3, { offset: "1" as never }), "offset"],
    ["a cval that is not a number", () => ndimage.thresholdLocal(x, 3, { cval: null as never }), "cval"],
    ["a null method (never read as the default)", () => ndimage.thresholdLocal(x, 3, { method: null as never }), "method"],
    ["a null offset", () => ndimage.thresholdLocal(x, 3, { offset: null as never }), "offset"],
    ["options that are not an object", () => ndimage.thresholdLocal(x, 3, 5 as never), "options"],
    ["an image that is not an NDArray", () => ndimage.thresholdLocal([[1, 2]] as never, 3), "image"],
  ];
  for (const [what, call, named] of cases) it(what, () => assertInvalidOption(call, named));
});
