/**
 * ta.fft (dask.array.fft) against Dask 2022.12 on the same chunks (the `norm` option, which
 * Dask 2022.12 lacks, against NumPy's values on Dask's chunks): values (within 1e-12 of the
 * largest magnitude: NumPy's pocketfft and tessera's FFT round differently), dtypes and output
 * chunks exactly; many chunks on the axes that are not transformed, uneven last chunks, prime
 * and odd lengths; refusals of transformed axes split in several chunks, with Dask's advice;
 * and a LocalCluster 2 × 1 sample (blocks of complex128 travel between processes).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { evaluatePython } from "./python-eval.js";
import { describeOnCluster } from "./cluster-sample.js";
import { assertCloseArray, randomComplex, randomReal } from "../ndarray/complex-compare.js";

const tolerance = 1e-12;

async function compare(inputs: Record<string, nd.NDArray>, cases: Record<string, [string, () => ta.Array]>): Promise<void> {
  const expected = evaluatePython(inputs, Object.fromEntries(Object.entries(cases).map(([label, [python]]) => [label, python])));
  for (const [label, [, build]] of Object.entries(cases)) {
    const reference = expected[label];
    assert.ok(reference.array, `${label}: Dask raised ${reference.error}`);
    const lazy = build();
    assert.deepEqual(lazy.chunks, reference.chunks, `${label}: chunks`);
    assertCloseArray(await lazy.compute(), reference.array, label, tolerance);
  }
}

const z = randomComplex([23, 13, 7], "complex128", 41);
const r = randomReal([23, 13, 7], "float32", 42);
const c64 = randomComplex([11, 97], "complex64", 43);

describe("ta.fft against dask.array.fft", () => {
  it("transforms along single-chunk axes keep the other axes' chunks; n and s set the chunk", async () => {
    const x = ta.fromArray(z, { chunks: [4, 13, 7] });
    const y = ta.fromArray(r, { chunks: [5, 3, 7] });
    const w = ta.fromArray(c64, { chunks: [2, 97] });
    const dz = "da.from_array(z, chunks=(4, 13, 7))";
    const dr = "da.from_array(r, chunks=(5, 3, 7))";
    const dw = "da.from_array(c64, chunks=(2, 97))";
    await compare({ z, r, c64 }, {
      fft: [`da.fft.fft(${dz})`, () => ta.fft.fft(x)],
      fftN: [`da.fft.fft(${dz}, n=5, axis=1)`, () => ta.fft.fft(x, { n: 5, axis: 1 })],
      ifftPrime: [`da.fft.ifft(${dw})`, () => ta.fft.ifft(w)],
      // Dask 2022.12 has no norm: NumPy's values on Dask's chunks.
      ifftOrtho: [`da.from_array(np.fft.ifft(c64, norm="ortho"), chunks=da.fft.ifft(${dw}).chunks)`, () => ta.fft.ifft(w, { norm: "ortho" })],
      rfft: [`da.fft.rfft(${dr})`, () => ta.fft.rfft(y)],
      rfftN: [`da.fft.rfft(${dr}, n=10)`, () => ta.fft.rfft(y, { n: 10 })],
      irfft: [`da.fft.irfft(${dz}, axis=1)`, () => ta.fft.irfft(x, { axis: 1 })],
      irfftN: [`da.fft.irfft(${dz}, n=11)`, () => ta.fft.irfft(x, { n: 11 })],
      hfft: [`da.fft.hfft(${dz})`, () => ta.fft.hfft(x)],
      ihfft: [`da.fft.ihfft(${dr})`, () => ta.fft.ihfft(y)],
      ihfftN: [`da.fft.ihfft(${dr}, n=9)`, () => ta.fft.ihfft(y, { n: 9 })],
      fft2: [`da.fft.fft2(${dz})`, () => ta.fft.fft2(x)],
      ifft2S: [`da.fft.ifft2(${dz}, s=(6, 4))`, () => ta.fft.ifft2(x, { s: [6, 4] })],
      fftnAxes: [`da.fft.fftn(${dz}, axes=(1, 2))`, () => ta.fft.fftn(x, { axes: [1, 2] })],
      fftnForward: [`da.from_array(np.fft.fftn(z, axes=(1, 2), norm="forward"), chunks=(4, 13, 7))`, () => ta.fft.fftn(x, { axes: [1, 2], norm: "forward" })],
      ifftnAxes: [`da.fft.ifftn(${dz}, s=(9, 5), axes=(2, 1))`, () => ta.fft.ifftn(x, { s: [9, 5], axes: [2, 1] })],
      rfft2: [`da.fft.rfft2(${dz}.real)`, () => ta.fft.rfft2(ta.real(x))],
      irfft2: [`da.fft.irfft2(${dz})`, () => ta.fft.irfft2(x)],
      rfftnS: [`da.fft.rfftn(${dr}.rechunk((23, 13, 3)), s=(20, 6))`, () => ta.fft.rfftn(y.rechunk([23, 13, 3]), { s: [20, 6] })],
      irfftnAxes: [`da.fft.irfftn(${dz}, axes=(1, 2))`, () => ta.fft.irfftn(x, { axes: [1, 2] })],
    });
  });

  it("fftfreq, rfftfreq (chunked), fftshift and ifftshift over many chunks", async () => {
    const x = ta.fromArray(z, { chunks: [4, 5, 7] });
    const dz = "da.from_array(z, chunks=(4, 5, 7))";
    await compare({ z }, {
      freq: ["da.fft.fftfreq(23, 0.3, chunks=4)", () => ta.fft.fftfreq(23, 0.3, { chunks: 4 })],
      freqEven: ["da.fft.fftfreq(10, chunks=3)", () => ta.fft.fftfreq(10, 1, { chunks: 3 })],
      rfreq: ["da.fft.rfftfreq(23, 0.3, chunks=5)", () => ta.fft.rfftfreq(23, 0.3, { chunks: 5 })],
      shift: [`da.fft.fftshift(${dz})`, () => ta.fft.fftshift(x)],
      shiftAxes: [`da.fft.fftshift(${dz}, axes=(0, 2))`, () => ta.fft.fftshift(x, [0, 2])],
      ishift: [`da.fft.ifftshift(${dz}, axes=1)`, () => ta.fft.ifftshift(x, 1)],
    });
  });

  it("fftshift / ifftshift refuse axes that are not an axis or a list of axes, as the eager ones", () => {
    const x = ta.fromArray(nd.zeros([6, 4], "float64"), { chunks: [2, 2] });
    assert.throws(() => ta.fft.fftshift(x, { axes: [0] } as never), /fftshift: axes must be an axis or a list of axes.*got \{"axes":\[0\]\}/);
    assert.throws(() => ta.fft.ifftshift(x, "1" as never), /ifftshift: axes must be an axis or a list of axes.*got "1"/);
  });

  it("refuses a transformed axis in several chunks, naming it and the rechunk to do", () => {
    const x = ta.fromArray(z, { chunks: [4, 5, 7] });
    assert.throws(() => ta.fft.fft(x, { axis: 1 }), /fft: Dask array only supports taking an FFT along an axis that has a single chunk.*axis 1 which has chunks \[5, 5, 3\].*rechunk/);
    assert.throws(() => ta.fft.fftn(x), /axis 0 which has chunks \[4, 4, 4, 4, 4, 3\]/);
    assert.throws(() => ta.fft.fft(x, { norm: "unit" as never }), /Invalid norm value/);
    assert.throws(() => ta.fft.fftn(x, { axes: [2, 2] }), /Duplicate axes/);
    assert.throws(() => ta.fft.rfft(x), /rfft: input is complex128/);
    assert.throws(() => ta.fft.fft(x, { nn: 3 } as never), /unknown option "nn"/);
  });
});

describeOnCluster("ta.fft", () => {
  const x = ta.fromArray(z, { chunks: [4, 13, 7] });
  return [ta.fft.fftn(x, { axes: [1, 2] }), ta.fft.irfft(x), ta.fft.fftshift(ta.fromArray(z, { chunks: [5, 4, 3] })), ta.fft.fft(ta.fromArray(c64, { chunks: [3, 97] })).mul(2)];
});
