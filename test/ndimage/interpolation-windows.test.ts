// An output box computed from just the input cells it reads (outputRegion + inputWindow, the
// window from transform-plan.ts) equals the same box of the whole-array result, bit for bit:
// the contract the lazy zoom/shift/affineTransform rely on.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";
import * as ndimage from "../../src/ndimage/index.js";
import { affinePlan, shiftPlan, zoomPlan, type TransformPlan } from "../../src/ndimage/transform-plan.js";
import type { DType } from "../../src/ndarray/dtype.js";
import type { NDArray } from "../../src/ndarray/ndarray.js";
import { randomArray, randomRegion, sameBits, seededRandom, sliceRegion } from "./helpers.js";

type Mode = "constant" | "nearest" | "reflect" | "mirror" | "wrap" | "grid-constant" | "grid-mirror" | "grid-wrap";
const modes: Mode[] = ["constant", "nearest", "reflect", "mirror", "wrap", "grid-constant", "grid-mirror", "grid-wrap"];

interface Transform {
  name: string;
  run: (input: NDArray, extra: Record<string, unknown>) => NDArray;
  plan: (shape: readonly number[]) => TransformPlan;
}

function transforms(order: number, mode: Mode, prefilter: boolean): Transform[] {
  const common = { order, mode, prefilter, cval: 2.5 };
  const zoomOptions = { ...common, zoom: [1.7, 0.6, 1.25] };
  const gridZoom = { ...common, zoom: [0.45, 2.3, 1], gridMode: true };
  const shiftOptions = { ...common, shift: [2.6, -4.25, 0.5] };
  // A hair across the edge: grid-wrap maps −1e-17 to n itself (rounding), so the taps' cells and
  // their unwrapped positions differ by a period.
  const hairOptions = { ...common, shift: [1e-17, -1e-17, 3] };
  const affineOptions = { ...common, matrix: [[0.9, 0.3, -0.1], [-0.25, 1.1, 0.2], [0.05, -0.15, 0.8]], offset: [1.5, -3.2, 2.1], outputShape: [13, 15, 9] };
  const diagonal = { ...common, matrix: [1.3, 0.7, -1], offset: [0.5, 2.5, 10] };
  return [
    { name: "zoom", run: (x, e) => ndimage.zoom(x, { ...zoomOptions, ...e }), plan: (s) => zoomPlan(zoomOptions, s) },
    { name: "zoom gridMode", run: (x, e) => ndimage.zoom(x, { ...gridZoom, ...e }), plan: (s) => zoomPlan(gridZoom, s) },
    { name: "shift", run: (x, e) => ndimage.shift(x, { ...shiftOptions, ...e }), plan: (s) => shiftPlan(shiftOptions, s) },
    { name: "shift by a hair", run: (x, e) => ndimage.shift(x, { ...hairOptions, ...e }), plan: (s) => shiftPlan(hairOptions, s) },
    { name: "affine", run: (x, e) => ndimage.affineTransform(x, { ...affineOptions, ...e }), plan: (s) => affinePlan(affineOptions, s) },
    { name: "affine diagonal", run: (x, e) => ndimage.affineTransform(x, { ...diagonal, ...e }), plan: (s) => affinePlan(diagonal, s) },
  ];
}

/** The box [start, stop) of the array's periodic extension (start may be negative). */
function periodicRegion(array: NDArray, start: readonly number[], stop: readonly number[]): NDArray {
  const shape = start.map((s, axis) => stop[axis] - s);
  const out = nd.zeros(shape, array.dtype);
  const data = out.data as Float64Array;
  const strides = shape.map((_, axis) => shape.slice(axis + 1).reduce((a, b) => a * b, 1));
  for (let i = 0; i < data.length; i++) {
    const index = shape.map((n, axis) => {
      const cell = start[axis] + (Math.floor(i / strides[axis]) % n);
      return ((cell % array.shape[axis]) + array.shape[axis]) % array.shape[axis];
    });
    data[i] = array.get(...index) as number;
  }
  return out;
}

function checkWindows(dtype: DType, order: number, mode: Mode, prefilter: boolean, seed: number): string[] {
  const random = seededRandom(seed);
  const input = randomArray([11, 14, 10], dtype, random);
  const failures: string[] = [];
  for (const transform of transforms(order, mode, prefilter)) {
    const whole = transform.run(input, {});
    const plan = transform.plan(input.shape);
    assert.deepEqual([...whole.shape], [...plan.outputShape], `${transform.name}: planned output shape`);
    for (let trial = 0; trial < 5; trial++) {
      // Always one corner box (the edges are where windows are subtle), then random boxes.
      const region = trial === 0 ? { start: whole.shape.map(() => 0), stop: whole.shape.map((n) => Math.min(n, 3)) } : randomRegion(whole.shape, random);
      const cells = plan.footprint(region);
      const window = cells.periodic ? periodicRegion(input, cells.start, cells.stop) : sliceRegion(input, cells.start, cells.stop);
      const part = transform.run(window, { outputRegion: region, inputWindow: { origin: cells.start, arrayShape: input.shape, periodic: cells.periodic } });
      if (!sameBits(part, sliceRegion(whole, region.start, region.stop))) {
        failures.push(`${transform.name} order ${order} ${mode} prefilter ${prefilter} ${dtype}: region ${JSON.stringify(region)} window ${JSON.stringify(cells)}`);
      }
    }
  }
  return failures;
}

describe("interpolation on a window of the input equals the whole-array result", () => {
  for (const order of [0, 1, 2, 3, 4, 5]) {
    it(`order ${order}, no prefilter, every mode: each output box from its footprint alone`, () => {
      const failures = modes.flatMap((mode, i) => checkWindows(i % 2 ? "uint16" : "float32", order, mode, false, 100 * order + i));
      assert.deepEqual(failures, []);
    });
  }

  it("an output region alone (whole input) equals slicing, with the prefilter on", () => {
    const random = seededRandom(7);
    const input = randomArray([9, 12, 8], "float64", random);
    for (const mode of modes) {
      for (const transform of transforms(3, mode, true)) {
        const whole = transform.run(input, {});
        const region = randomRegion(whole.shape, random);
        assert.ok(sameBits(transform.run(input, { outputRegion: region }), sliceRegion(whole, region.start, region.stop)), `${transform.name} ${mode}`);
      }
    }
  });

  it("a window missing a cell the output reads is refused, naming inputWindow", () => {
    const input = randomArray([10, 10, 10], "float32", seededRandom(3));
    const window = sliceRegion(input, [0, 0, 0], [5, 10, 10]);
    assert.throws(
      () => ndimage.zoom(window, { zoom: 2, order: 1, inputWindow: { origin: [0, 0, 0], arrayShape: [10, 10, 10] } }),
      (error: Error) => error.name === "InvalidOptionError" && /inputWindow does not hold cell/.test(error.message),
    );
  });
});
