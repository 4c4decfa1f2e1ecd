/**
 * ta.ndimage's Fourier filters (dask_image.ndfourier) against scipy.ndimage 1.10 on the whole
 * spectrum: many blocks, uneven last chunks, complex and half-axis (rfftn) spectra, complex64;
 * values within 1e-15 of the largest magnitude (1e-7 for complex64), Dask's chunks kept;
 * and a LocalCluster 2 × 1 sample.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";
import * as ta from "../../src/array/index.js";
import { evaluatePython } from "./python-eval.js";
import { describeOnCluster } from "./cluster-sample.js";
import { assertCloseArray, randomComplex, randomReal } from "../ndarray/complex-compare.js";

describe("chunked Fourier filters (dask_image.ndfourier) against scipy on the whole spectrum", () => {
  it("many blocks, uneven last chunks, complex and half-axis spectra give scipy's values and Dask's chunks", async () => {
    const z = randomComplex([23, 17, 6], "complex128", 8);
    const x = randomReal([19, 14], "float64", 9);
    const h = nd.fft.rfftn(x);
    const c = randomComplex([15, 11], "complex64", 10);
    const lazyZ = ta.fromArray(z, { chunks: [5, 4, 6] });
    const lazyH = ta.fromArray(h, { chunks: [4, 3] });
    const lazyC = ta.fromArray(c, { chunks: [4, 4] });
    const cases: Record<string, [string, ta.Array, number?]> = {
      gauss: ["ndi.fourier_gaussian(z, [1.5, 0.5, 2])", ta.ndimage.fourierGaussian(lazyZ, { sigma: [1.5, 0.5, 2] })],
      uniform: ["ndi.fourier_uniform(z, 3)", ta.ndimage.fourierUniform(lazyZ, { size: 3 })],
      shift: ["ndi.fourier_shift(z, [2.5, -1, 0.5])", ta.ndimage.fourierShift(lazyZ, { shift: [2.5, -1, 0.5] })],
      gaussHalf: ["ndi.fourier_gaussian(h, 2, n=14, axis=1)", ta.ndimage.fourierGaussian(lazyH, { sigma: 2, n: 14, axis: 1 })],
      shiftHalf: ["ndi.fourier_shift(h, [1, 3], n=14)", ta.ndimage.fourierShift(lazyH, { shift: [1, 3], n: 14 })],
      gaussC64: ["ndi.fourier_gaussian(c, 1)", ta.ndimage.fourierGaussian(lazyC, { sigma: 1 }), 1e-7],
    };
    const expected = evaluatePython({ z, h, c }, Object.fromEntries(Object.entries(cases).map(([label, [python]]) => [label, python])));
    for (const [label, [, lazy, tolerance]] of Object.entries(cases)) {
      assert.ok(expected[label].array, `${label}: scipy raised ${expected[label].error}`);
      assertCloseArray(await lazy.compute(), expected[label].array as nd.NDArray, label, tolerance ?? 1e-15);
    }
    assert.deepEqual(cases.gauss[1].chunks, [[5, 5, 5, 5, 3], [4, 4, 4, 4, 1], [6]]);
    assert.throws(() => ta.ndimage.fourierEllipsoid(lazyZ, { size: 1, output: "float32" }), /complex128 input needs a complex output/);
    assert.throws(() => ta.ndimage.fourierEllipsoid(ta.fromArray(nd.ones([2, 2, 2, 2], "float64")), { size: 1 }), /only inputs of 1, 2 or 3 axes/);
    assert.throws(() => ta.ndimage.fourierShift(lazyZ, { shift: [1, 2] }), /shift has 2 entries, the input has 3 axes/);
    assert.throws(() => ta.ndimage.fourierGaussian(lazyZ, { sigma: 1, output: null } as never), /unknown option "output"/);
  });

  it("fourierEllipsoid in 1-d, 2-d and 3-d with many blocks per axis gives scipy's values on the whole spectrum", async () => {
    const z1 = randomComplex([53], "complex128", 20);
    const z2 = randomComplex([31, 22], "complex128", 21);
    const z3 = randomComplex([23, 17, 6], "complex128", 22);
    const h = nd.fft.rfftn(randomReal([19, 14], "float64", 23));
    const f = randomReal([25, 12], "float32", 24);
    const c = randomComplex([15, 11], "complex64", 25);
    const cases: Record<string, [string, ta.Array, number?]> = {
      oneD: ["ndi.fourier_ellipsoid(z1, 4.5)", ta.ndimage.fourierEllipsoid(ta.fromArray(z1, { chunks: [4] }), { size: 4.5 })],
      twoD: ["ndi.fourier_ellipsoid(z2, [3, 6])", ta.ndimage.fourierEllipsoid(ta.fromArray(z2, { chunks: [3, 5] }), { size: [3, 6] })],
      threeD: ["ndi.fourier_ellipsoid(z3, [2.5, 4, 1])", ta.ndimage.fourierEllipsoid(ta.fromArray(z3, { chunks: [2, 4, 5] }), { size: [2.5, 4, 1] })],
      half: ["ndi.fourier_ellipsoid(h, 3, n=19, axis=0)", ta.ndimage.fourierEllipsoid(ta.fromArray(h, { chunks: [2, 3] }), { size: 3, n: 19, axis: 0 })],
      float32: ["ndi.fourier_ellipsoid(f, 5)", ta.ndimage.fourierEllipsoid(ta.fromArray(f, { chunks: [2, 5] }), { size: 5 }), 1e-7],
      toComplex128: ["ndi.fourier_ellipsoid(c, 2, output=np.complex128)", ta.ndimage.fourierEllipsoid(ta.fromArray(c, { chunks: [4, 3] }), { size: 2, output: "complex128" })],
    };
    const expected = evaluatePython({ z1, z2, z3, h, f, c }, Object.fromEntries(Object.entries(cases).map(([label, [python]]) => [label, python])));
    for (const [label, [, lazy, tolerance]] of Object.entries(cases)) {
      assert.ok(expected[label].array, `${label}: scipy raised ${expected[label].error}`);
      assertCloseArray(await lazy.compute(), expected[label].array as nd.NDArray, label, tolerance ?? 1e-15);
    }
    assert.equal(cases.oneD[1].chunks[0].length, 14);
    assert.equal(cases.twoD[1].chunks[0].length, 11);
  });
});

describeOnCluster("chunked Fourier filters", () => {
  const lazy = ta.fromArray(randomComplex([23, 17], "complex128", 11), { chunks: [5, 4] });
  return [ta.ndimage.fourierGaussian(lazy, { sigma: 2 }), ta.ndimage.fourierShift(lazy, { shift: [1.5, 2] }), ta.ndimage.fourierEllipsoid(lazy, { size: [3, 4] })];
});
