/**
 * The WASM chain's memory layout (src/ndimage/wasm-pipeline.ts): only the first pass reads the
 * input box, so the second pass's box takes its place when it fits, and a three-pass chain
 * grows the thread's memory by the input and one pass box instead of three boxes. The results
 * stay those of the TypeScript loops (and so scipy's) bit for bit, including where the box
 * over the input is as large as the input (a pass whose source and target are the same size),
 * and where the input is copied in and filtered by the first pass one slab (1 MiB of input) of
 * its group axis at a time: the last two cases take 7 and 2 slabs, the last one a short one.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { NDArray, shapeSize } from "../../src/ndarray/ndarray.js";
import { gaussianAxes, gaussianPass } from "../../src/ndimage/gaussian.js";
import { planBoxes } from "../../src/ndimage/separable.js";
import { planWasmChain } from "../../src/ndimage/wasm-pipeline.js";
import * as ndimage from "../../src/ndimage/index.js";
import { boxShape } from "../../src/ndimage/pass-geometry.js";
import { sameBits } from "./helpers.js";

function passesOf(sigma: number, ndim: number, mode: "nearest" | "reflect" = "nearest") {
  return gaussianAxes({ sigma, mode }, ndim).map((axis) => gaussianPass(axis, 0));
}

describe("the WASM chain's memory", () => {
  it("puts the second pass's box over the input box: input plus one pass box, not three boxes", () => {
    const shape = [64, 256, 256];
    const input = new NDArray(new Uint16Array(shapeSize(shape)), shape);
    const passes = passesOf(10, 3);
    // A z half of the volume with the halo the filter reads (the grouped DoG's task at 64×256×256).
    const region = { start: [0, 0, 0], stop: [32, 256, 256] };
    const { boxes, inputBox } = planBoxes(shape, passes, region);
    const plan = planWasmChain(input, passes, boxes, inputBox, "uint16");
    assert.equal(plan.boxes[1].address, plan.input.address);
    const inputBytes = shapeSize(boxShape(inputBox)) * 2;
    const firstBox = shapeSize(boxShape(boxes[0])) * 2;
    assert.ok(plan.bytes < inputBytes + firstBox + 2 ** 20, `${plan.bytes} bytes for an input of ${inputBytes} and a first pass box of ${firstBox}`);
  });

  it("keeps a separate box when the second pass's box is larger than the input (a wider output dtype)", () => {
    const shape = [20, 30, 40];
    const input = new NDArray(new Uint8Array(shapeSize(shape)), shape);
    const passes = passesOf(2, 3);
    const region = { start: [0, 0, 0], stop: shape };
    const { boxes, inputBox } = planBoxes(shape, passes, region);
    const plan = planWasmChain(input, passes, boxes, inputBox, "float64");
    assert.notEqual(plan.boxes[1].address, plan.input.address);
    assert.ok(plan.boxes[1].address >= plan.boxes[0].address + plan.boxes[0].bytes);
  });

  for (const [label, dtype, output, shape] of [
    ["uint16 in, uint16 out, a box over the whole input", "uint16", undefined, [9, 14, 17, 6]],
    ["float32 in, float32 out", "float32", undefined, [7, 12, 19]],
    ["uint8 in, float64 out (boxes larger than the input)", "uint8", "float64", [8, 11, 13]],
    ["int16 in, float32 out", "int16", "float32", [6, 9, 10, 5]],
    ["float64, the first pass in slabs of 20 rows of axis 1", "float64", undefined, [40, 130, 160]],
    ["uint16, 4-d, the first pass in slabs of 73 rows of axis 2", "uint16", undefined, [3, 20, 100, 120]],
  ] as const) {
    it(`gives the TypeScript loops' result bit for bit: ${label}`, () => {
      const size = shapeSize(shape);
      const data = dtype === "uint16" ? Uint16Array.from({ length: size }, (_, i) => (i * 7919) % 65536)
        : dtype === "float32" ? Float32Array.from({ length: size }, (_, i) => Math.sin(i) * 1000)
          : dtype === "uint8" ? Uint8Array.from({ length: size }, (_, i) => (i * 31) % 256)
            : dtype === "float64" ? Float64Array.from({ length: size }, (_, i) => Math.cos(i * 0.37) * 500)
              : Int16Array.from({ length: size }, (_, i) => ((i * 7919) % 65536) - 32768);
      const input = new NDArray(data, [...shape]);
      for (const mode of ["nearest", "reflect"] as const) {
        for (const outputRegion of [undefined, { start: shape.map((n) => Math.floor(n / 3)), stop: shape.map((n) => n - 1) }]) {
          const options = { sigma: 1.7, mode, ...(output ? { output } : {}), ...(outputRegion ? { outputRegion } : {}) };
          const wasm = ndimage.gaussianFilter(input, { ...options, backend: "wasm" });
          const js = ndimage.gaussianFilter(input, { ...options, backend: "js" });
          assert.ok(sameBits(wasm, js), `${label}, mode ${mode}, region ${JSON.stringify(outputRegion)}`);
        }
      }
    });
  }
});
