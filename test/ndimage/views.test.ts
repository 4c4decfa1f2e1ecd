import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ndimage from "../../src/ndimage/index.js";
import { NDArray } from "../../src/ndarray/ndarray.js";
import { randomArray, sameBits, seededRandom, sliceRegion } from "./helpers.js";

/** Views over one buffer: a transpose, a step-2 slice with an offset, a reversed axis. */
function views(): Array<[string, NDArray]> {
  const base = randomArray([8, 10, 12], "float32", seededRandom(9));
  const data = base.data;
  return [
    ["transposed (strides 1, 12, 120)", new NDArray(data, [12, 10, 8], { strides: [1, 12, 120] })],
    ["every other cell from an offset", new NDArray(data, [4, 5, 6], { strides: [240, 24, 2], offset: 13 })],
    ["last axis reversed", new NDArray(data, [8, 10, 12], { strides: [120, 12, -1], offset: 11 })],
  ];
}

describe("non-contiguous input views", () => {
  for (const backend of ["wasm", "js"] as const) {
    for (const [name, view] of views()) {
      it(`${name}: same result as a contiguous copy (${backend})`, () => {
        const copy = sliceRegion(view, view.shape.map(() => 0), view.shape);
        const run = (x: NDArray): NDArray[] => [
          ndimage.gaussianFilter(x, { sigma: [1, 2, 0.7], mode: "reflect", backend }),
          ndimage.gaussianFilter(x, { sigma: 1.3, mode: "wrap", backend, outputRegion: { start: [1, 0, 2], stop: [3, 4, 5] } }),
          ndimage.uniformFilter1d(x, { size: 3, axis: 0, backend }),
          ndimage.sobel(x, { axis: 2, output: "int16", backend }),
          // Radius 12 along the last axis: mirrored runs longer than the gather's loop cut-off.
          ndimage.gaussianFilter1d(x, { sigma: 3, axis: -1, backend }),
        ];
        const fromView = run(view);
        const fromCopy = run(copy);
        fromView.forEach((result, i) => assert.ok(sameBits(result, fromCopy[i]), `result ${i}`));
      });
    }
  }
});
