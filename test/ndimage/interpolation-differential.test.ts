// Differential test of zoom, shift, affineTransform, mapCoordinates, splineFilter and
// splineFilter1d (eager, src/ndimage) against Debian's scipy.ndimage: seeded random cases over
// every order, mode, cval, prefilter, gridMode, outputShape and output dtype (TESSERA_FUZZ_SEED
// reruns another seed), one Python process per test. tessera claims scipy's bits here
// (interpolation-exactness.test.ts), so every value is compared bit for bit.
import { describe, it } from "node:test";
import * as nd from "../../src/ndarray/index.js";
import * as ndimage from "../../src/ndimage/index.js";
import { seededRandom } from "./helpers.js";
import { type DiffCase, differences, fuzzSeed, report } from "./differential-harness.js";
import { type InterpolationCase, drawInterpolationCase, runEager } from "./interpolation-cases.js";

const functions: ReadonlyArray<InterpolationCase["fn"]> = ["zoom", "shift", "affineTransform", "mapCoordinates", "splineFilter", "splineFilter1d"];

/** Hand-picked corners: dtypes tessera refuses (bool, int64), zero and tiny zooms, NaN cval, odd output shapes and ranks. */
function cornerCases(inputs: Record<string, nd.NDArray>): DiffCase[] {
  Object.assign(inputs, {
    b: nd.astype(nd.fromTypedArray(Float64Array.of(1, 0, 1, 1, 0, 0, 1), [7]), "bool"),
    i64: nd.fromTypedArray(BigInt64Array.of(1n, -7n, 2n ** 40n, 5n, 9n), [5]),
    u32: nd.fromTypedArray(Uint32Array.of(4000000000, 1, 77, 3000000000), [4]),
    f: nd.fromTypedArray(Float64Array.of(1.5, 2, -3, 4, 8, 0.25), [2, 3]),
    row: nd.fromTypedArray(Float64Array.of(1.5, 2, -3), [1, 3]),
    ci: nd.fromTypedArray(Int32Array.of(0, 1, 1, 0, 2, 1), [2, 3]),
    c0: nd.zeros([2, 0], "float64"),
  });
  const cases: DiffCase[] = [];
  // bool and int64 inputs are refused with the supported dtypes named (a documented difference: scipy interpolates them).
  const refused = /input dtype (bool|int64) is not supported/;
  const add = (label: string, python: string, run: () => nd.NDArray, refusalAllowed?: RegExp) => cases.push({ label, python, run, refusalAllowed, errorNames: /zoom|matrix|outputShape|order|output|coordinates/ });
  for (const order of [0, 1, 3]) {
    add(`zoom bool order ${order}`, `ndi.zoom(b, 2, order=${order})`, () => ndimage.zoom(inputs.b, { zoom: 2, order }), refused);
    add(`zoom int64 order ${order}`, `ndi.zoom(i64, 1.5, order=${order})`, () => ndimage.zoom(inputs.i64, { zoom: 1.5, order }), refused);
    add(`zoom uint32 order ${order}`, `ndi.zoom(u32, 1.7, order=${order})`, () => ndimage.zoom(inputs.u32, { zoom: 1.7, order }));
    add(`mapCoordinates with int32 coordinates, order ${order}`, `ndi.map_coordinates(f, ci, order=${order})`, () => ndimage.mapCoordinates(inputs.f, inputs.ci, { order }));
    add(`zoom of a size-1 axis, order ${order + 2}`, `ndi.zoom(row, [3, 1.5], order=${order + 2})`, () => ndimage.zoom(inputs.row, { zoom: [3, 1.5], order: order + 2 }));
  }
  add("zoom to zero size", "ndi.zoom(f, 0.1)", () => ndimage.zoom(inputs.f, { zoom: 0.1 }));
  add("zoom factor 0", "ndi.zoom(f, 0)", () => ndimage.zoom(inputs.f, { zoom: 0 }), /zoom 0 must be > 0/);
  add("shift with cval NaN", "ndi.shift(f, 1.5, cval=np.nan)", () => ndimage.shift(inputs.f, { shift: 1.5, cval: NaN }));
  add("affineTransform to an empty output", "ndi.affine_transform(f, [1, 1], output_shape=(0, 3))", () => ndimage.affineTransform(inputs.f, { matrix: [1, 1], outputShape: [0, 3] }));
  add("affineTransform to a 1-d output", "ndi.affine_transform(f, [[1], [0.5]], output_shape=(4,))", () => ndimage.affineTransform(inputs.f, { matrix: [[1], [0.5]], outputShape: [4] }));
  add("affineTransform, homogeneous matrix and a 3-d output", "ndi.affine_transform(f, [[1, 0, 0.5], [0, 1, 0]], output_shape=(2, 3, 2))", () => ndimage.affineTransform(inputs.f, { matrix: [[1, 0, 0.5], [0, 1, 0]], outputShape: [2, 3, 2] }));
  add("mapCoordinates with no points", "ndi.map_coordinates(f, c0)", () => ndimage.mapCoordinates(inputs.f, inputs.c0));
  add("splineFilter to int32", "ndi.spline_filter(f, output=np.int32)", () => ndimage.splineFilter(inputs.f, { output: "int32" }));
  add("zoom of uint32 into uint8 (clipped)", "ndi.zoom(u32, 2, order=1, output=np.uint8)", () => ndimage.zoom(inputs.u32, { zoom: 2, order: 1, output: "uint8" }));
  for (const mode of ["constant", "wrap", "nearest", "reflect"]) {
    add(`zoom gridMode with mode ${mode}`, `ndi.zoom(f, 2, grid_mode=True, mode=${JSON.stringify(mode)}, order=1)`, () => ndimage.zoom(inputs.f, { zoom: 2, gridMode: true, mode: mode as never, order: 1 }));
  }
  return cases;
}

describe("interpolation against scipy.ndimage (seeded differential)", () => {
  it("hand-picked corners", async () => {
    const inputs: Record<string, nd.NDArray> = {};
    report(await differences(cornerCases(inputs), inputs), "interpolation corners", 0);
  });

  functions.forEach((fn, f) => {
    it(`${fn}: random orders, modes, cval, prefilter and output dtypes give scipy's bits`, async () => {
      const rng = seededRandom(fuzzSeed + f);
      const inputs: Record<string, nd.NDArray> = {};
      const cases: DiffCase[] = Array.from({ length: fn.startsWith("spline") ? 60 : 120 }, (_, i) => {
        const kase = drawInterpolationCase(rng, inputs, `x${i}`, fn);
        return { label: kase.label, python: kase.python, run: () => runEager(kase, inputs), errorNames: /order|mode|matrix|offset|output|zoom|shift|coordinates/ };
      });
      report(await differences(cases, inputs), fn, fuzzSeed + f);
    });
  });
});
