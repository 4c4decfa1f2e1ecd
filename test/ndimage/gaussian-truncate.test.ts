// A large `truncate` (issue 9 item 9): weights beyond about 38.6σ are exactly 0, so the kernel
// is cut there; the outputs stay bit-identical to scipy's full-length kernel (checked against
// scipy at test time, on cases where the cut changes the normalising sum's rounding), and
// truncate 1e9 no longer allocates gigabytes. Sizes that cannot be filtered are refused.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";
import * as ndimage from "../../src/ndimage/index.js";
import { InvalidOptionError } from "../../src/core/errors.js";
import { evaluatePython } from "../array/python-eval.js";
import { difference } from "../ndarray/numpy-anchor.js";
import { gaussianKernel1d } from "../../src/ndimage/gaussian-kernel.js";

const f64 = nd.subtract(nd.multiply(nd.random([30, 40], { seed: 41 }), 200), 100);
const f32 = nd.astype(f64, "float32");

// [sigma, truncate, order, mode]: radii 200 and 16384 (the nonzero weights straddle NumPy's
// 8192-element summation blocks), and three where summing only the nonzero weights would round
// the normalising sum differently (scipy's full kernel has 151, 30001 and 4001 weights).
const cases: Array<[number, number, number, ndimage.GaussianFilterOptions["mode"]]> = [
  [1, 200, 0, "reflect"],
  [1, 8192, 0, "wrap"],
  [2.5, 60, 0, "nearest"],
  [5, 3000, 1, "reflect"],
  [2, 1000, 2, "constant"],
];

describe("gaussianFilter with a large truncate", () => {
  it("is bit-identical to scipy, whose kernel keeps every zero weight", () => {
    const expressions: Record<string, string> = {};
    cases.forEach(([sigma, truncate, order, mode], i) => {
      for (const input of ["f64", "f32"]) expressions[`${input}_${i}`] = `ndi.gaussian_filter(${input}, ${sigma}, order=${order}, truncate=${truncate}, mode='${mode}')`;
    });
    const reference = evaluatePython({ f64, f32 }, expressions);
    cases.forEach(([sigma, truncate, order, mode], i) => {
      for (const [name, input] of [["f64", f64], ["f32", f32]] as const) {
        const expected = reference[`${name}_${i}`];
        assert.equal(expected.error, undefined, String(expected.error));
        const actual = ndimage.gaussianFilter(input, { sigma, truncate, order, mode });
        const problem = difference(actual, expected.array as nd.NDArray);
        assert.equal(problem, undefined, `${name} sigma ${sigma} truncate ${truncate} order ${order} ${mode}: ${problem}`);
      }
    });
  });

  it("cuts only weights that are zero in scipy's kernel", () => {
    const reference = evaluatePython({}, Object.fromEntries(cases.map(([sigma, truncate, order], i) =>
      [`k${i}`, `ndi._filters._gaussian_kernel1d(${sigma}, ${order}, int(${truncate} * ${sigma} + 0.5))`])));
    cases.forEach(([sigma, truncate, order], i) => {
      const theirs = (reference[`k${i}`].array as nd.NDArray).data as Float64Array;
      const ours = gaussianKernel1d(sigma, order, Math.trunc(truncate * sigma + 0.5));
      const cut = (theirs.length - ours.length) / 2;
      const label = `sigma ${sigma} truncate ${truncate} order ${order}`;
      assert.ok(cut > 0, `${label}: the kernel is cut`);
      assert.ok(theirs.every((w, j) => (j >= cut && j < cut + ours.length) || w === 0), `${label}: everything cut is zero`);
      // The unnormalised weight just past the cut underflows; the last kept one does not
      // (dividing by the sum may still turn the last few kept weights into zeros, as in scipy).
      const first = Math.exp(-0.5 / (sigma * sigma) * ((ours.length + 1) / 2) ** 2);
      assert.equal(first, 0, `${label}: nothing nonzero is cut`);
    });
  });

  it("filters with truncate 1e9 without a kernel of 2e9 weights (the issue's call)", () => {
    const before = process.memoryUsage().rss;
    const result = ndimage.gaussianFilter(f64, { sigma: 1, truncate: 1e9 });
    const grown = process.memoryUsage().rss - before;
    assert.ok(grown < 256 * 2 ** 20, `memory grew by ${grown} bytes; a full kernel alone would be 16 GB`);
    // Same nonzero weights as truncate 200; the sums may round apart by an ulp.
    assert.equal(difference(result, ndimage.gaussianFilter(f64, { sigma: 1, truncate: 200 }), { ulps: 2 }), undefined);
    assert.deepEqual(ndimage.gaussianFilter.kernelRadius({ sigma: 1, truncate: 1e9 }, 2), [1e9, 1e9], "the nominal radius is scipy's");
  });

  it("refuses radii and windows that cannot be filtered, naming them", () => {
    const refusals: Array<[() => unknown, RegExp]> = [
      [() => ndimage.gaussianFilter(f64, { sigma: 10, truncate: 1e9 }), /truncate 1000000000 with sigma 10 gives a radius of 10000000000, larger than 3037000499/],
      [() => ndimage.gaussianFilter(f64, { sigma: 1, radius: 1e12 }), /radius 1000000000000 is larger than 3037000499/],
      [() => ndimage.gaussianFilter1d(f64, { sigma: 1e7 }), /a Gaussian kernel of sigma 10000000 \(radius 40000000, nonzero weights up to 40000000\) spans 80000001 cells along an axis; a filter window may span at most 33554432/],
      [() => ndimage.uniformFilter(f64, { size: 1e9 }), /uniform filter size 1000000000 spans 1000000000 cells/],
      [() => ndimage.uniformFilter1d(f64, { size: 2 ** 25 + 1 }), /uniform filter size 33554433/],
    ];
    for (const [call, pattern] of refusals) {
      assert.throws(call, (error: Error) => error instanceof InvalidOptionError && pattern.test(error.message), pattern.source);
    }
  });
});
