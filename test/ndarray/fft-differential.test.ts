/**
 * nd.fft against numpy.fft (NumPy 1.24, pocketfft): every function, each norm, n / s
 * truncating and padding, axes, lengths that are powers of two, odd, prime (Bluestein) and 1,
 * real and complex inputs of each precision. Output dtypes must be NumPy's exactly
 * (complex128 / float64 whatever the input precision); values agree within 1e-12 of the
 * largest magnitude of NumPy's result (two different FFT algorithms round differently).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";
import { evaluatePython } from "../array/python-eval.js";
import { assertCloseArray, randomComplex, randomReal } from "./complex-compare.js";

const tolerance = 1e-12;

function compare(inputs: Record<string, nd.NDArray>, cases: Record<string, [string, () => nd.NDArray]>): void {
  const expected = evaluatePython(inputs, Object.fromEntries(Object.entries(cases).map(([label, [python]]) => [label, python])));
  for (const [label, [, run]] of Object.entries(cases)) {
    const reference = expected[label];
    assert.ok(reference.array, `${label}: NumPy raised ${reference.error}`);
    assertCloseArray(run(), reference.array, label, tolerance);
  }
}

describe("nd.fft against numpy.fft", () => {
  it("1-d transforms of many lengths, each norm", () => {
    const inputs: Record<string, nd.NDArray> = {};
    const cases: Record<string, [string, () => nd.NDArray]> = {};
    for (const n of [1, 2, 3, 4, 5, 6, 7, 8, 12, 13, 15, 16, 30, 64, 97, 100, 125, 127, 243, 250, 320, 1000, 1021, 3125]) {
      const z = randomComplex([n], "complex128", n);
      const x = randomReal([n], "float64", n + 1000);
      inputs[`z${n}`] = z;
      inputs[`x${n}`] = x;
      for (const norm of ["backward", "ortho", "forward"] as const) {
        cases[`fft${n}${norm}`] = [`np.fft.fft(z${n}, norm="${norm}")`, () => nd.fft.fft(z, { norm })];
        cases[`ifft${n}${norm}`] = [`np.fft.ifft(z${n}, norm="${norm}")`, () => nd.fft.ifft(z, { norm })];
        cases[`rfft${n}${norm}`] = [`np.fft.rfft(x${n}, norm="${norm}")`, () => nd.fft.rfft(x, { norm })];
        if (n > 1) cases[`irfft${n}${norm}`] = [`np.fft.irfft(z${n}, norm="${norm}")`, () => nd.fft.irfft(z, { norm })];
        if (n > 1) cases[`hfft${n}${norm}`] = [`np.fft.hfft(z${n}, norm="${norm}")`, () => nd.fft.hfft(z, { norm })];
        cases[`ihfft${n}${norm}`] = [`np.fft.ihfft(x${n}, norm="${norm}")`, () => nd.fft.ihfft(x, { norm })];
      }
      cases[`irfftOdd${n}`] = [`np.fft.irfft(z${n}, n=${2 * n + 1})`, () => nd.fft.irfft(z, { n: 2 * n + 1 })];
    }
    compare(inputs, cases);
  });

  it("n pads and truncates; axis; float32 / complex64 / integer input give complex128", () => {
    const z = randomComplex([6, 10, 7], "complex64", 5);
    const x = randomReal([6, 10, 7], "float32", 6);
    const i = randomReal([5, 9], "int16", 7, 100);
    compare({ z, x, i }, {
      pad: ["np.fft.fft(z, n=13, axis=1)", () => nd.fft.fft(z, { n: 13, axis: 1 })],
      truncate: ["np.fft.fft(z, n=4, axis=0)", () => nd.fft.fft(z, { n: 4, axis: 0 })],
      ifftAxis: ["np.fft.ifft(z, axis=-2, norm='ortho')", () => nd.fft.ifft(z, { axis: -2, norm: "ortho" })],
      rfftF32: ["np.fft.rfft(x, axis=1)", () => nd.fft.rfft(x, { axis: 1 })],
      rfftPad: ["np.fft.rfft(x, n=11, axis=0)", () => nd.fft.rfft(x, { n: 11, axis: 0 })],
      irfftN: ["np.fft.irfft(z, n=9, axis=1)", () => nd.fft.irfft(z, { n: 9, axis: 1 })],
      intInput: ["np.fft.fft(i)", () => nd.fft.fft(i)],
      realToFft: ["np.fft.fft(x)", () => nd.fft.fft(x)],
    });
  });

  it("n-d transforms: fftn, ifftn, fft2, ifft2, rfftn, irfftn, rfft2, irfft2 with s and axes", () => {
    const z = randomComplex([5, 6, 7], "complex128", 9);
    const x = randomReal([5, 6, 7], "float64", 10);
    compare({ z, x }, {
      fftn: ["np.fft.fftn(z)", () => nd.fft.fftn(z)],
      fftnS: ["np.fft.fftn(z, s=(4, 9), axes=(0, 2))", () => nd.fft.fftn(z, { s: [4, 9], axes: [0, 2] })],
      fftnSOnly: ["np.fft.fftn(z, s=(3, 8))", () => nd.fft.fftn(z, { s: [3, 8] })],
      ifftn: ["np.fft.ifftn(z, norm='forward')", () => nd.fft.ifftn(z, { norm: "forward" })],
      fft2: ["np.fft.fft2(z)", () => nd.fft.fft2(z)],
      ifft2: ["np.fft.ifft2(z, axes=(0, 1))", () => nd.fft.ifft2(z, { axes: [0, 1] })],
      rfftn: ["np.fft.rfftn(x)", () => nd.fft.rfftn(x)],
      rfftnAxes: ["np.fft.rfftn(x, axes=(2, 0), norm='ortho')", () => nd.fft.rfftn(x, { axes: [2, 0], norm: "ortho" })],
      irfftn: ["np.fft.irfftn(z)", () => nd.fft.irfftn(z)],
      irfftnS: ["np.fft.irfftn(z, s=(6, 11), axes=(0, 2))", () => nd.fft.irfftn(z, { s: [6, 11], axes: [0, 2] })],
      rfft2: ["np.fft.rfft2(x)", () => nd.fft.rfft2(x)],
      irfft2: ["np.fft.irfft2(z)", () => nd.fft.irfft2(z)],
      roundTrip: ["np.fft.irfftn(np.fft.rfftn(x), s=x.shape)", () => nd.fft.irfftn(nd.fft.rfftn(x), { s: x.shape })],
    });
  });

  it("n-d transforms of long inner axes (several line batches, a partial one), strided views and float32, inputs left unchanged", () => {
    const z = randomComplex([20, 18, 10], "complex128", 30);
    const x = randomReal([12, 40, 10], "float64", 31);
    const f = randomReal([9, 25, 5], "float32", 32);
    const zBefore = Array.from(z.toStorage() as Float64Array);
    const xBefore = Array.from(x.data as Float64Array);
    compare({ z, x, f }, {
      fftn: ["np.fft.fftn(z)", () => nd.fft.fftn(z)],
      ifftnS: ["np.fft.ifftn(z, s=(25, 7), axes=(0, 1))", () => nd.fft.ifftn(z, { s: [25, 7], axes: [0, 1] })],
      fftnView: ["np.fft.fftn(z.T, axes=(1, 2))", () => nd.fft.fftn(nd.transpose(z), { axes: [1, 2] })],
      fftAxis0: ["np.fft.fft(z[::2], axis=0)", () => nd.fft.fft(nd.slice(z, { step: 2 }, ":", ":"), { axis: 0 })],
      rfftn: ["np.fft.rfftn(x)", () => nd.fft.rfftn(x)],
      rfftnAxes: ["np.fft.rfftn(x, axes=(1, 0))", () => nd.fft.rfftn(x, { axes: [1, 0] })],
      irfftn: ["np.fft.irfftn(np.fft.rfftn(x))", () => nd.fft.irfftn(nd.fft.rfftn(x))],
      irfftnZ: ["np.fft.irfftn(z, s=(20, 9, 18))", () => nd.fft.irfftn(z, { s: [20, 9, 18] })],
      irfftPad: ["np.fft.irfft(z, n=30)", () => nd.fft.irfft(z, { n: 30 })],
      irfftTruncate: ["np.fft.irfft(z, n=8, axis=0)", () => nd.fft.irfft(z, { n: 8, axis: 0 })],
      float32: ["np.fft.fftn(f)", () => nd.fft.fftn(f)],
      rfftnF32: ["np.fft.rfftn(f, s=(9, 25, 6))", () => nd.fft.rfftn(f, { s: [9, 25, 6] })],
    });
    assert.deepEqual(Array.from(z.toStorage() as Float64Array), zBefore, "z unchanged");
    assert.deepEqual(Array.from(x.data as Float64Array), xBefore, "x unchanged");
  });

  it("fftfreq, rfftfreq, fftshift, ifftshift (any dtype, complex too)", () => {
    const z = randomComplex([5, 6], "complex64", 12);
    const i = randomReal([7, 4], "int32", 13);
    const cases: Record<string, [string, () => nd.NDArray]> = {
      shiftAll: ["np.fft.fftshift(z)", () => nd.fft.fftshift(z)],
      shiftAxis: ["np.fft.fftshift(i, axes=0)", () => nd.fft.fftshift(i, 0)],
      ishift: ["np.fft.ifftshift(i)", () => nd.fft.ifftshift(i)],
      ishiftAxes: ["np.fft.ifftshift(z, axes=(1,))", () => nd.fft.ifftshift(z, [1])],
    };
    for (const n of [1, 2, 7, 8]) {
      cases[`freq${n}`] = [`np.fft.fftfreq(${n}, d=0.25)`, () => nd.fft.fftfreq(n, 0.25)];
      cases[`rfreq${n}`] = [`np.fft.rfftfreq(${n})`, () => nd.fft.rfftfreq(n)];
    }
    compare({ z, i }, cases);
  });

  it("refuses what NumPy refuses, and complex input to real-input transforms", () => {
    const z = randomComplex([4], "complex128", 1);
    assert.throws(() => nd.fft.fft(z, { n: 0 }), /Invalid number of FFT data points \(0\)/);
    assert.throws(() => nd.fft.fft(z, { norm: "unitary" as never }), /Invalid norm value/);
    assert.throws(() => nd.fft.fft(z, { axis: 1 }), /axis/);
    assert.throws(() => nd.fft.fftn(z, { s: [2, 2], axes: [0] }), /Shape and axes have different lengths/);
    assert.throws(() => nd.fft.rfft(z), /rfft: input is complex128/);
    assert.throws(() => nd.fft.ihfft(z), /ihfft: input is complex128/);
    assert.throws(() => nd.fft.fft(z, { nn: 3 } as never), /unknown option "nn"/);
    assert.throws(() => nd.fft.fftfreq(2.5), /positive integer/);
  });

  it("fftshift / ifftshift refuse axes that are not an axis or a list of axes, naming what was given", () => {
    const x = randomComplex([3, 4], "complex128", 2);
    // An options object, as the transforms take: it failed as "axes is not iterable".
    assert.throws(() => nd.fft.fftshift(x, { axes: [0] } as never), /fftshift: axes must be an axis or a list of axes.*got \{"axes":\[0\]\}/);
    // A string: its characters were read as axes ("0" then out of bounds as axis 0).
    assert.throws(() => nd.fft.ifftshift(x, "1" as never), /ifftshift: axes must be an axis or a list of axes.*got "1"/);
    assert.throws(() => nd.fft.fftshift(x, [0, "1"] as never), /axes must be an axis or a list of axes/);
  });
});
