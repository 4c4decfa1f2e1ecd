/**
 * tessera/ndimage's Fourier filters against scipy.ndimage 1.10 (fourier_gaussian,
 * fourier_uniform, fourier_shift, fourier_ellipsoid): spectra of complex transforms (n = -1) and of real
 * transforms (n = the signal length, along `axis`), 1-d to 3-d, odd and even lengths, axes of
 * length 1, real and complex inputs of every precision (output dtypes exactly scipy's).
 * Values agree within 1e-15 of the largest magnitude (libm's exp/sin/cos against V8's).
 * The chunked forms are tested in test/array/ndimage-fourier-differential.test.ts.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";
import * as ndimage from "../../src/ndimage/index.js";
import { evaluatePython } from "../array/python-eval.js";
import { assertCloseArray, randomComplex, randomReal } from "../ndarray/complex-compare.js";

function compare(inputs: Record<string, nd.NDArray>, cases: Record<string, [string, () => nd.NDArray, number?]>): void {
  const expected = evaluatePython(inputs, Object.fromEntries(Object.entries(cases).map(([label, [python]]) => [label, python])));
  for (const [label, [, run, tolerance]] of Object.entries(cases)) {
    const reference = expected[label];
    assert.ok(reference.array, `${label}: scipy raised ${reference.error}`);
    assertCloseArray(run(), reference.array, label, tolerance ?? 1e-15);
  }
}

describe("ndimage Fourier filters against scipy.ndimage", () => {
  it("fourierGaussian, fourierUniform, fourierShift of complex spectra (n = -1)", () => {
    const z = randomComplex([9, 8, 1, 5], "complex128", 3);
    const c = randomComplex([7, 12], "complex64", 4);
    compare({ z, c }, {
      gauss: ["ndi.fourier_gaussian(z, 1.5)", () => ndimage.fourierGaussian(z, { sigma: 1.5 })],
      gaussPerAxis: ["ndi.fourier_gaussian(c, [0.5, 3])", () => ndimage.fourierGaussian(c, { sigma: [0.5, 3] }), 1e-7],
      gaussWide: ["ndi.fourier_gaussian(z, 4)", () => ndimage.fourierGaussian(z, { sigma: 4 })],
      uniform: ["ndi.fourier_uniform(z, 3)", () => ndimage.fourierUniform(z, { size: 3 })],
      uniformPerAxis: ["ndi.fourier_uniform(c, [2, 0])", () => ndimage.fourierUniform(c, { size: [2, 0] }), 1e-7],
      shift: ["ndi.fourier_shift(z, [1.5, -2, 0, 0.25])", () => ndimage.fourierShift(z, { shift: [1.5, -2, 0, 0.25] })],
      shiftC64: ["ndi.fourier_shift(c, 2.5)", () => ndimage.fourierShift(c, { shift: 2.5 }), 1e-7],
      roundTrip: ["np.fft.ifftn(ndi.fourier_shift(np.fft.fftn(c), [1, 2])).real", () => nd.real(nd.fft.ifftn(ndimage.fourierShift(nd.fft.fftn(c), { shift: [1, 2] }))), 1e-12],
    });
  });

  it("half axes of real transforms (n ≥ 0, axis) and real inputs of each dtype", () => {
    const x = randomReal([10, 13], "float64", 5);
    const f = randomReal([6, 7, 4], "float32", 6);
    const i = randomReal([5, 6], "int16", 7, 100);
    const h = nd.fft.rfftn(x);
    compare({ x, f, i, h }, {
      gaussHalf: ["ndi.fourier_gaussian(h, 2, n=13, axis=-1)", () => ndimage.fourierGaussian(h, { sigma: 2, n: 13, axis: -1 })],
      uniformHalf: ["ndi.fourier_uniform(h, [1, 4], n=13)", () => ndimage.fourierUniform(h, { size: [1, 4], n: 13 })],
      shiftHalf: ["ndi.fourier_shift(h, [3, 1.5], n=13, axis=1)", () => ndimage.fourierShift(h, { shift: [3, 1.5], n: 13, axis: 1 })],
      axis0: ["ndi.fourier_gaussian(x, 1, n=19, axis=0)", () => ndimage.fourierGaussian(x, { sigma: 1, n: 19, axis: 0 })],
      float32: ["ndi.fourier_gaussian(f, 1)", () => ndimage.fourierGaussian(f, { sigma: 1 }), 1e-7],
      int16: ["ndi.fourier_uniform(i, 2)", () => ndimage.fourierUniform(i, { size: 2 })],
      shiftReal: ["ndi.fourier_shift(f, [1, 2, 3])", () => ndimage.fourierShift(f, { shift: [1, 2, 3] })],
      shiftInt: ["ndi.fourier_shift(i, 0.5)", () => ndimage.fourierShift(i, { shift: 0.5 })],
    });
  });

  it("fourierEllipsoid in 1-d, 2-d and 3-d: complex and half-axis spectra, real inputs, output dtypes", () => {
    const z1 = randomComplex([11], "complex128", 12);
    const z2 = randomComplex([9, 14], "complex128", 13);
    const z3 = randomComplex([6, 7, 5], "complex128", 14);
    const c = randomComplex([8, 5, 7], "complex64", 15);
    const f = randomReal([10, 9], "float32", 16);
    const i = randomReal([7, 6], "int32", 17, 100);
    const h = nd.fft.rfftn(randomReal([12, 15], "float64", 18));
    const u = randomComplex([1, 6], "complex128", 19);
    compare({ z1, z2, z3, c, f, i, h, u }, {
      oneD: ["ndi.fourier_ellipsoid(z1, 3.5)", () => ndimage.fourierEllipsoid(z1, { size: 3.5 })],
      oneDHalf: ["ndi.fourier_ellipsoid(z1, 2, n=20)", () => ndimage.fourierEllipsoid(z1, { size: 2, n: 20 })],
      twoD: ["ndi.fourier_ellipsoid(z2, [3, 7.5])", () => ndimage.fourierEllipsoid(z2, { size: [3, 7.5] })],
      twoDNegative: ["ndi.fourier_ellipsoid(z2, -4)", () => ndimage.fourierEllipsoid(z2, { size: -4 })],
      twoDHalf: ["ndi.fourier_ellipsoid(h, [2, 5], n=15)", () => ndimage.fourierEllipsoid(h, { size: [2, 5], n: 15 })],
      twoDHalfAxis0: ["ndi.fourier_ellipsoid(z2, 3, n=17, axis=0)", () => ndimage.fourierEllipsoid(z2, { size: 3, n: 17, axis: 0 })],
      threeD: ["ndi.fourier_ellipsoid(z3, [2, 3, 4])", () => ndimage.fourierEllipsoid(z3, { size: [2, 3, 4] })],
      threeDHalf: ["ndi.fourier_ellipsoid(c, 2.5, n=12, axis=1)", () => ndimage.fourierEllipsoid(c, { size: 2.5, n: 12, axis: 1 }), 1e-7],
      complex64: ["ndi.fourier_ellipsoid(c, [1, 2, 3])", () => ndimage.fourierEllipsoid(c, { size: [1, 2, 3] }), 1e-7],
      float32: ["ndi.fourier_ellipsoid(f, 4)", () => ndimage.fourierEllipsoid(f, { size: 4 }), 1e-7],
      int32: ["ndi.fourier_ellipsoid(i, [2, 3])", () => ndimage.fourierEllipsoid(i, { size: [2, 3] })],
      toComplex64: ["ndi.fourier_ellipsoid(f, 3, output=np.complex64)", () => ndimage.fourierEllipsoid(f, { size: 3, output: "complex64" }), 1e-7],
      toFloat32: ["ndi.fourier_ellipsoid(i, 3, output=np.float32)", () => ndimage.fourierEllipsoid(i, { size: 3, output: "float32" }), 1e-7],
      toComplex128: ["ndi.fourier_ellipsoid(c, 3, output=np.complex128)", () => ndimage.fourierEllipsoid(c, { size: 3, output: "complex128" })],
      unitAxis: ["ndi.fourier_ellipsoid(u, [5, 2])", () => ndimage.fourierEllipsoid(u, { size: [5, 2] })],
      sizeZero: ["ndi.fourier_ellipsoid(u, 0)", () => ndimage.fourierEllipsoid(u, { size: 0 })],
    });
  });

  it("fourierEllipsoid's 2-d profile 2·J1(r)/r matches scipy's element by element, near J1's zeros and past r = 5", () => {
    // A spectrum of ones returns the profile itself; sizes put r from 0 to ≈ 60, both J1 branches.
    const ones = nd.ones([64, 50], "float64");
    const { profile } = evaluatePython({ ones }, { profile: "ndi.fourier_ellipsoid(ones, [23.3, 17.9])" });
    const expected = (profile.array as nd.NDArray).data as Float64Array;
    const actual = ndimage.fourierEllipsoid(ones, { size: [23.3, 17.9] }).data as Float64Array;
    let worst = 0;
    for (let k = 0; k < expected.length; k++) {
      // Relative error, with an absolute floor where the profile crosses zero.
      worst = Math.max(worst, Math.abs(actual[k] - expected[k]) / Math.max(Math.abs(expected[k]), 1e-3));
    }
    assert.ok(worst <= 1e-14, `worst relative difference ${worst}`);
  });

  it("refuses what scipy refuses and options it does not take", () => {
    const z = randomComplex([4, 4], "complex128", 1);
    assert.throws(() => ndimage.fourierGaussian(z, { sigma: [1, 2, 3] }), /sigma has 3 entries, the input has 2 axes/);
    assert.throws(() => ndimage.fourierShift(z, { shift: 1, output: null } as never), /unknown option "output"/);
    assert.throws(() => ndimage.fourierUniform(z, { size: 1, axis: 2 }), /axis 2 is out of bounds/);
    assert.throws(() => ndimage.fourierGaussian(z, undefined as never), /needs an options object with sigma/);
    assert.throws(() => ndimage.fourierEllipsoid(nd.ones([2, 2, 2, 2], "float64"), { size: 1 }), /only inputs of 1, 2 or 3 axes/);
    assert.throws(() => ndimage.fourierEllipsoid(nd.ones([], "float64"), { size: 1 }), /only inputs of 1, 2 or 3 axes/);
    assert.throws(() => ndimage.fourierEllipsoid(z, { size: 1, output: "float64" }), /complex128 input needs a complex output/);
    assert.throws(() => ndimage.fourierEllipsoid(z, { size: 1, output: "int32" }), /output type "int32" not supported/);
    assert.throws(() => ndimage.fourierEllipsoid(z, { size: 1, mode: "x" } as never), /unknown option "mode"/);
  });
});
