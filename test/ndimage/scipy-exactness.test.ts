import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ndimage from "../../src/ndimage/index.js";
import { gaussianKernel1d } from "../../src/ndimage/gaussian-kernel.js";
import type { NDArray } from "../../src/ndarray/ndarray.js";
import { type Fixtures, differences, generateFixtures } from "./scipy-fixtures.js";

type Filter = (input: NDArray, options: Record<string, unknown>, weights?: number[]) => NDArray;

const filters: Record<string, Filter> = {
  gaussianFilter: (x, o) => ndimage.gaussianFilter(x, o as unknown as ndimage.GaussianFilterOptions),
  gaussianFilter1d: (x, o) => ndimage.gaussianFilter1d(x, o as unknown as ndimage.GaussianFilter1dOptions),
  correlate1d: (x, o, w) => ndimage.correlate1d(x, w ?? [], o),
  convolve1d: (x, o, w) => ndimage.convolve1d(x, w ?? [], o),
  uniformFilter: (x, o) => ndimage.uniformFilter(x, o),
  uniformFilter1d: (x, o) => ndimage.uniformFilter1d(x, o as unknown as ndimage.UniformFilter1dOptions),
  gaussianLaplace: (x, o) => ndimage.gaussianLaplace(x, o as unknown as ndimage.GaussianDerivativeOptions),
  gaussianGradientMagnitude: (x, o) => ndimage.gaussianGradientMagnitude(x, o as unknown as ndimage.GaussianDerivativeOptions),
  sobel: (x, o) => ndimage.sobel(x, o),
};

let fixtures: Fixtures;

before(() => {
  fixtures = generateFixtures();
});

after(() => fixtures?.close());

describe("Gaussian weights equal scipy's _gaussian_kernel1d", () => {
  it("for every σ, order and radius the tests use (NumPy's exp as it runs on this machine, pairwise sum, OpenBLAS polynomial)", () => {
    const differing: string[] = [];
    for (const k of fixtures.kernels) {
      const ours = gaussianKernel1d(k.sigma, k.order, k.radius);
      const theirs = fixtures.load(k).data as Float64Array;
      const cut = (theirs.length - ours.length) / 2;
      const tailsZero = theirs.every((w, i) => (i >= cut && i < cut + ours.length) || w === 0);
      if (!tailsZero || ours.some((w, i) => !Object.is(w, theirs[cut + i]))) differing.push(`σ ${k.sigma} order ${k.order} radius ${k.radius}`);
    }
    assert.deepEqual(differing, [], `Gaussian kernels differ from scipy's on this machine (NumPy ${fixtures.numpy.numpy}, AVX-512 ${fixtures.numpy.avx512})`);
  });
});

function checkCases(fn: string, backend: "wasm" | "js"): void {
  const failures: string[] = [];
  const cases = fixtures.cases.filter((c) => c.fn === fn);
  assert.ok(cases.length > 0, `no fixture cases for ${fn}`);
  for (const c of cases) {
    const input = fixtures.load(fixtures.inputs[c.input]);
    const expected = fixtures.load(c.expected);
    const actual = filters[fn](input, { ...c.options, backend }, c.weights);
    if (actual.dtype !== expected.dtype || actual.shape.join() !== expected.shape.join()) {
      failures.push(`${c.id}: got ${actual.dtype}[${actual.shape}] expected ${expected.dtype}[${expected.shape}]`);
      continue;
    }
    const diff = differences(actual, expected);
    if (diff.length === 0) continue;
    const a = actual.data as Float64Array;
    const e = expected.data as Float64Array;
    failures.push(`${c.id}: first differences at ${diff.map((i) => `${i} (${a[i]} vs ${e[i]})`).join(", ")}`);
  }
  assert.deepEqual(failures, [], `${failures.length} of ${cases.length} ${fn} cases differ from scipy`);
}

for (const backend of ["wasm", "js"] as const) {
  describe(`bit-identical to scipy 1.10 (${backend} loops)`, () => {
    for (const fn of Object.keys(filters)) {
      it(`${fn}: every fixture case`, () => checkCases(fn, backend));
    }
  });
}
