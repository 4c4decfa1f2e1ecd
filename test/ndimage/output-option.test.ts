// The `output` option of the filters and transforms, eager and chunked: scipy also takes an
// output array to write into (`output=np.empty_like(x)`), tessera a dtype name only. An array
// passed there is refused by name with a short message saying what to pass instead; it used to
// be printed whole as JSON (a 200 × 200 × 100 float32 array: a 47 MB message after seconds).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import * as ndimage from "../../src/ndimage/index.js";
import { InvalidOptionError } from "../../src/core/errors.js";

const input = nd.zeros([6, 5, 4], "float32");
const lazy = (): ta.Array => ta.fromArray(input, { chunks: [2, 5, 4] });
const derivative = (x: nd.NDArray, axis: number, dtype: nd.DType, mode: ndimage.Mode, cval: number): nd.NDArray =>
  ndimage.correlate1d(x, [-1, 0, 1], { axis, output: dtype, mode, cval });

/** Every call that takes `output`, given `output` as the value under test. */
const calls: Record<string, (output: unknown) => unknown> = {
  "ndimage.zoom": (output) => ndimage.zoom(input, { zoom: 1, output } as never),
  "ndimage.affineTransform": (output) => ndimage.affineTransform(input, { matrix: [1, 1, 1], output } as never),
  "ndimage.gaussianFilter": (output) => ndimage.gaussianFilter(input, { sigma: 1, output } as never),
  "ndimage.uniformFilter": (output) => ndimage.uniformFilter(input, { size: 3, output } as never),
  "ndimage.medianFilter": (output) => ndimage.medianFilter(input, { size: 3, output } as never),
  "ndimage.maximumFilter": (output) => ndimage.maximumFilter(input, { size: 3, output } as never),
  "ndimage.greyErosion": (output) => ndimage.greyErosion(input, { size: 3, output } as never),
  "ndimage.sobel": (output) => ndimage.sobel(input, { output } as never),
  "ndimage.genericGradientMagnitude": (output) => ndimage.genericGradientMagnitude(input, derivative, { output } as never),
  "ndimage.splineFilter": (output) => ndimage.splineFilter(input, { output } as never),
  "ta.ndimage.zoom": (output) => ta.ndimage.zoom(lazy(), { zoom: 0.5, output } as never),
  "ta.ndimage.gaussianFilter": (output) => ta.ndimage.gaussianFilter(lazy(), { sigma: 1, output } as never),
  "ta.ndimage.uniformFilter": (output) => ta.ndimage.uniformFilter(lazy(), { size: 3, output } as never),
  "ta.ndimage.maximumFilter": (output) => ta.ndimage.maximumFilter(lazy(), { size: 3, output } as never),
  "ta.ndimage.greyOpening": (output) => ta.ndimage.greyOpening(lazy(), { size: 3, output } as never),
  "ta.ndimage.genericFilter": (output) => ta.ndimage.genericFilter(lazy(), (v: Float64Array) => v[0], { size: 3, output } as never),
  "ta.ndimage.genericGradientMagnitude": (output) => ta.ndimage.genericGradientMagnitude(lazy(), derivative, { depth: 1, output } as never),
  "ta.ndimage.splineFilter": (output) => ta.ndimage.splineFilter(lazy(), { output } as never),
};

describe("the output option, given scipy's output array", () => {
  // 2²⁰ cells: as JSON, tens of MB; the message must not carry them.
  const outputArray = nd.zeros([128, 128, 64], "float32");
  for (const [name, call] of Object.entries(calls)) {
    it(`${name} refuses it briefly, naming output and what to pass`, () => {
      assert.throws(() => call(outputArray), (error: Error) => {
        assert.ok(error instanceof InvalidOptionError, `${name}: ${error.constructor.name}`);
        assert.ok(error.message.length < 400, `${name}: a message of ${error.message.length} characters`);
        assert.match(error.message, /output/);
        assert.match(error.message, /dtype/);
        assert.match(error.message, /"float32"/, `${name} names the array's dtype as what to pass: ${error.message}`);
        return true;
      });
    });
  }

  it("the dtype name itself still works (eager and chunked)", async () => {
    assert.equal(ndimage.zoom(input, { zoom: 1, output: "float64" }).dtype, "float64");
    assert.equal((await ta.ndimage.gaussianFilter(lazy(), { sigma: 1, output: "float64" }).compute()).dtype, "float64");
  });

  it("other values that are no dtype are refused with a short message", () => {
    for (const value of ["float128", "x".repeat(10_000), 3, { dtype: "float32" }, Float32Array.of(1, 2)]) {
      for (const [name, call] of Object.entries(calls)) {
        assert.throws(() => call(value), (error: Error) => error instanceof InvalidOptionError && /output/.test(error.message) && error.message.length < 600, `${name} with ${typeof value}`);
      }
    }
  });
});
