/**
 * Every public function of tessera/ndimage refuses arguments beyond its own and options keys it
 * does not read, naming them (src/ndimage/public-parameters.ts): JavaScript drops extra
 * arguments unseen, so before this scipy's `gaussian_filter(x, 1, mode="nearest")` written as
 * `gaussianFilter(x, { sigma: 1 }, { mode: "nearest" })` filtered with mode "reflect", and
 * `zoom(x, { zoom: 2 }, 7)`, `label(x, undefined, {})` or `mean(x, undefined, undefined, 7)` ran
 * with what they were given before the extra, without a word. The test walks every export: a
 * new function without a valid call below fails it.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ndimage from "../../src/ndimage/index.js";
import * as nd from "../../src/ndarray/index.js";
import { builtinNameOf } from "../../src/core/builtin.js";
import { comprehensionPartial } from "../../src/ndimage/comprehension-partials.js";
import { publicParameters } from "../../src/ndimage/public-parameters.js";
import { randomArray, seededRandom } from "./helpers.js";

const image = randomArray([6, 8], "float64", seededRandom(3));
const mask = nd.greater(image, 0.5);
const labels = nd.astype(nd.floor(nd.multiply(image, 3)), "int32");
const bytes = nd.astype(nd.multiply(image, 200), "uint8");
const coordinates = nd.astype(nd.multiply(randomArray([2, 5], "float64", seededRandom(4)), 5), "float64");
const comprehension = { index: [1, 2], shape: [6, 8], maxValues: 1000, outDtype: "float64" as const, defaultValue: 0, passPositions: false };
const identityMapping = (point: readonly number[]) => [...point];
const secondDerivative = (input: nd.NDArray, axis: number, output: nd.DType, mode: ndimage.Mode, cval: number) =>
  ndimage.correlate1d(input, [1, -2, 1], { axis, output, mode, cval });

/** A valid call of each export: its arguments. */
const validCalls: Record<string, () => unknown[]> = {
  gaussianFilter: () => [image, { sigma: 1 }],
  gaussianFilter1d: () => [image, { sigma: 1, axis: 0 }],
  uniformFilter: () => [image, { size: 3 }],
  uniformFilter1d: () => [image, { size: 3 }],
  gaussianLaplace: () => [image, { sigma: 1 }],
  gaussianGradientMagnitude: () => [image, { sigma: 1 }],
  sobel: () => [image, { axis: 0 }],
  prewitt: () => [image, { axis: 1 }],
  laplace: () => [image, {}],
  correlate1d: () => [image, [1, 2, 1], {}],
  convolve1d: () => [image, [1, 2, 1], {}],
  correlate: () => [image, [[1, 2], [3, 4]], {}],
  convolve: () => [image, [[1, 2], [3, 4]], {}],
  minimumFilter: () => [image, { size: 3 }],
  maximumFilter: () => [image, { size: 3 }],
  minimumFilter1d: () => [image, { size: 3 }],
  maximumFilter1d: () => [image, { size: 3 }],
  rankFilter: () => [image, { rank: 1, size: 3 }],
  medianFilter: () => [image, { size: 3 }],
  percentileFilter: () => [image, { percentile: 20, size: 3 }],
  genericFilter: () => [image, (values: Float64Array) => values[0], { size: 3 }],
  genericFilter1d: () => [image, (line: Float64Array, out: Float64Array) => out.set(line.subarray(0, out.length)), 3, {}],
  greyErosion: () => [image, { size: 3 }],
  greyDilation: () => [image, { size: 3 }],
  greyOpening: () => [image, { size: 3 }],
  greyClosing: () => [image, { size: 3 }],
  whiteTophat: () => [image, { size: 3 }],
  blackTophat: () => [image, { size: 3 }],
  morphologicalGradient: () => [image, { size: 3 }],
  morphologicalLaplace: () => [image, { size: 3 }],
  binaryErosion: () => [mask, {}],
  binaryDilation: () => [mask, {}],
  binaryOpening: () => [mask, {}],
  binaryClosing: () => [mask, {}],
  binaryFillHoles: () => [mask, {}],
  binaryHitOrMiss: () => [mask, {}],
  binaryPropagation: () => [mask, {}],
  generateBinaryStructure: () => [2, 1],
  iterateStructure: () => [[[0, 1, 0], [1, 1, 1], [0, 1, 0]], 2, undefined],
  distanceTransformEdt: () => [mask, {}],
  distanceTransformCdt: () => [mask, {}],
  distanceTransformBf: () => [mask, {}],
  label: () => [mask, {}],
  findObjects: () => [labels, {}],
  valueIndices: () => [labels, {}],
  watershedIft: () => [bytes, labels, {}],
  sumLabels: () => [image, labels, [1, 2]],
  sum: () => [image, labels, [1, 2]],
  mean: () => [image, labels, [1, 2]],
  variance: () => [image, labels, [1, 2]],
  standardDeviation: () => [image, labels, [1, 2]],
  centerOfMass: () => [image, labels, [1, 2]],
  area: () => [image, labels, [1, 2]],
  minimum: () => [image, labels, [1, 2]],
  maximum: () => [image, labels, [1, 2]],
  minimumPosition: () => [image, labels, [1, 2]],
  maximumPosition: () => [image, labels, [1, 2]],
  extrema: () => [image, labels, [1, 2]],
  median: () => [image, labels, [1, 2]],
  histogram: () => [image, 0, 1, 4, labels, [1, 2]],
  labeledComprehension: () => [image, labels, [1, 2], (values: Float64Array) => values.length, "float64", 0, false],
  comprehensionFinish: () => [comprehensionPartial(image, labels, comprehension, [0, 0]), (values: Float64Array) => values.length, comprehension],
  thresholdLocal: () => [image, 3, {}],
  zoom: () => [image, { zoom: 2 }],
  shift: () => [image, { shift: 1 }],
  affineTransform: () => [image, { matrix: [1, 1] }],
  mapCoordinates: () => [image, coordinates, {}],
  geometricTransform: () => [image, identityMapping, {}],
  rotate: () => [image, 30, {}],
  splineFilter: () => [image, {}],
  splineFilter1d: () => [image, {}],
  genericLaplace: () => [image, secondDerivative, {}],
  genericGradientMagnitude: () => [image, secondDerivative, {}],
  fourierGaussian: () => [image, { sigma: 1 }],
  fourierUniform: () => [image, { size: 3 }],
  fourierShift: () => [image, { shift: 1 }],
  fourierEllipsoid: () => [image, { size: 3 }],
  isRegionKernel: () => [ndimage.gaussianFilter],
  isWasmSimdAvailable: () => [],
};

/** Functions without an options object: only the count is checked. comprehensionFinish's third argument is the plan its graph hands it, not a user's options. */
const withoutOptionsObject = new Set(["generateBinaryStructure", "iterateStructure", "histogram", "labeledComprehension", "comprehensionFinish", "isRegionKernel", "isWasmSimdAvailable",
  "sumLabels", "sum", "mean", "variance", "standardDeviation", "centerOfMass", "area", "minimum", "maximum", "minimumPosition", "maximumPosition", "extrema", "median"]);

const functions = Object.entries(ndimage).filter(([name, value]) => typeof value === "function" && name !== "FilterFunctionError") as Array<[string, (...args: unknown[]) => unknown]>;

/** Asserts `call` throws an InvalidOptionError whose message matches `pattern`. */
function refused(call: () => unknown, pattern: RegExp, what: string): void {
  assert.throws(call, (error: Error) => {
    assert.equal(error.name, "InvalidOptionError", `${what}: ${error.message}`);
    assert.match(error.message, pattern, what);
    return true;
  }, `${what} was not refused`);
}

describe("tessera/ndimage functions refuse arguments beyond their own", () => {
  it("every export has a valid call here and parameters in the table", () => {
    assert.ok(functions.length >= 79, `${functions.length} functions`);
    assert.deepEqual(functions.map(([name]) => name).filter((name) => !(name in validCalls)), [], "exports without a valid call in this test");
    assert.deepEqual(functions.map(([name]) => name).filter((name) => !(name in publicParameters)), [], "exports without parameters in public-parameters.ts");
  });

  for (const [name, fn] of functions) {
    it(`${name}: runs with its arguments, and refuses one more, naming it`, () => {
      const args = validCalls[name]();
      assert.equal(args.length, publicParameters[name].length, `${name}: the valid call gives every parameter`);
      fn(...args);
      fn(...args, undefined);
      const params = publicParameters[name].join(", ");
      const escaped = `ndimage.${name}(${params})`.replace(/[()]/g, "\\$&");
      refused(() => fn(...args, { mode: "nearest" }), new RegExp(`^${escaped} takes (at most ${args.length} arguments?|no arguments); got also an object with \\["mode"\\], which it would ignore`), name);
      refused(() => fn(...args, 7, undefined), new RegExp(`^${escaped} .*got also 7,`), name);
    });
  }

  it("names an extra array by its shape", () => {
    refused(() => (ndimage.correlate as (...args: unknown[]) => unknown)(image, [[1]], {}, image), /got also an array of shape \[6, 8\]/, "correlate");
  });

  it("the built-ins check inside the function their name resolves to, and still travel and publish their traits", () => {
    assert.equal(builtinNameOf(ndimage.gaussianFilter), "ndimage.gaussianFilter");
    assert.equal(builtinNameOf(ndimage.zoom), "ndimage.zoom");
    assert.ok(ndimage.isRegionKernel(ndimage.uniformFilter));
    assert.deepEqual(ndimage.gaussianFilter.kernelRadius({ sigma: 1 }, 2), [4, 4]);
    const region = { start: [1, 2], stop: [5, 6] };
    assert.deepEqual(ndimage.gaussianFilter(image, { sigma: 1, outputRegion: region }).shape, [4, 4]);
  });
});

describe("tessera/ndimage functions refuse options keys they do not read", () => {
  for (const [name, fn] of functions.filter(([name]) => !withoutOptionsObject.has(name))) {
    it(`${name}: refuses { mdoe }, naming it`, () => {
      const args = validCalls[name]();
      const at = publicParameters[name].indexOf("options");
      assert.ok(at >= 0, `${name} has an options parameter`);
      args[at] = { ...(args[at] as object), mdoe: "nearest" };
      refused(() => fn(...args), /mdoe/, name);
    });
  }
});
