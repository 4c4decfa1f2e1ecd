/**
 * Every function of `ta.ndimage` refuses arguments beyond its own and options keys it does not
 * read, naming them (src/array/ndimage.ts): before, `gaussianFilter(x, { sigma: 1 }, "extra")`,
 * `uniformFilter(x, { size: 3 }, 1)`, `label(x, {}, 3)` or `zoom(x, { zoom: 2 }, 7)` built
 * their graphs with the extra argument dropped, without a word. The test walks every export: a
 * new function without a valid call below fails it. The filters still run on workers, where
 * the eager built-ins are called with the options a block adds (outputRegion): a LocalCluster
 * 2 × 1 computes a mapOverlap of the Gaussian.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import * as ndimage from "../../src/ndimage/index.js";
import { useCluster2x1 } from "./cluster-sample.js";
import { assertSameArray } from "./python-eval.js";

const image = nd.multiply(nd.reshape(nd.arange(12 * 10, { dtype: "float64" }), [12, 10]), 1 / 120);
// 12 × 10 in blocks of 4 × 3: uneven last blocks on the second axis.
const x = ta.fromArray(image, { chunks: [4, 3] });
const mask = x.gt(0.5);
const labels = ta.floor(x.mul(3)).astype("int32");
const coordinates = nd.multiply(nd.reshape(nd.arange(10, { dtype: "float64" }), [2, 5]), 1.1);
const firstValue = (values: Float64Array) => values[0];
const count = (values: Float64Array) => values.length;
const secondDerivative = (input: unknown, axis: number, output: unknown, mode: unknown, cval: number) =>
  ndimage.correlate1d(input as never, [1, -2, 1], { axis, output, mode, cval } as never);

/** A valid call of each function: its arguments, the options object last where it takes one. */
const validCalls: Record<string, () => unknown[]> = {
  minimumFilter: () => [x, { size: 3 }],
  maximumFilter: () => [x, { size: 3 }],
  minimumFilter1d: () => [x, { size: 3 }],
  maximumFilter1d: () => [x, { size: 3 }],
  medianFilter: () => [x, { size: 3 }],
  rankFilter: () => [x, { rank: 1, size: 3 }],
  percentileFilter: () => [x, { percentile: 20, size: 3 }],
  greyErosion: () => [x, { size: 3 }],
  greyDilation: () => [x, { size: 3 }],
  greyOpening: () => [x, { size: 3 }],
  greyClosing: () => [x, { size: 3 }],
  whiteTophat: () => [x, { size: 3 }],
  blackTophat: () => [x, { size: 3 }],
  binaryErosion: () => [mask, {}],
  binaryDilation: () => [mask, {}],
  binaryOpening: () => [mask, {}],
  binaryClosing: () => [mask, {}],
  morphologicalGradient: () => [x, { size: 3 }],
  morphologicalLaplace: () => [x, { size: 3 }],
  binaryHitOrMiss: () => [mask, {}],
  gaussianFilter: () => [x, { sigma: 1 }],
  gaussianFilter1d: () => [x, { sigma: 1, axis: 0 }],
  uniformFilter: () => [x, { size: 3 }],
  uniformFilter1d: () => [x, { size: 3 }],
  sobel: () => [x, { axis: 0 }],
  prewitt: () => [x, { axis: 1 }],
  laplace: () => [x, {}],
  gaussianLaplace: () => [x, { sigma: 1 }],
  gaussianGradientMagnitude: () => [x, { sigma: 1 }],
  correlate1d: () => [x, [1, 2, 1], {}],
  convolve1d: () => [x, [1, 2, 1], {}],
  correlate: () => [x, [[1, 2], [3, 4]], {}],
  convolve: () => [x, [[1, 2], [3, 4]], {}],
  genericFilter: () => [x, firstValue, { size: 3 }],
  genericLaplace: () => [x, secondDerivative, { depth: 1 }],
  genericGradientMagnitude: () => [x, secondDerivative, { depth: 1 }],
  thresholdLocal: () => [x, 3, {}],
  labeledComprehension: () => [x, labels, [1, 2], count, "float64", 0, {}],
  label: () => [mask, {}],
  binaryFillHoles: () => [mask, {}],
  distanceTransformEdt: () => [mask, {}],
  sumLabels: () => [x, labels, [1, 2], {}],
  sum: () => [x, labels, [1, 2], {}],
  mean: () => [x, labels, [1, 2], {}],
  minimum: () => [x, labels, [1, 2], {}],
  maximum: () => [x, labels, [1, 2], {}],
  centerOfMass: () => [x, labels, [1, 2], {}],
  findObjects: () => [labels, {}],
  variance: () => [x, labels, [1, 2], {}],
  standardDeviation: () => [x, labels, [1, 2], {}],
  area: () => [x, labels, [1, 2], {}],
  minimumPosition: () => [x, labels, [1, 2], {}],
  maximumPosition: () => [x, labels, [1, 2], {}],
  extrema: () => [x, labels, [1, 2], {}],
  median: () => [x, labels, [1, 2], {}],
  histogram: () => [x, 0, 1, 4, labels, [1, 2], {}],
  zoom: () => [x, { zoom: 2 }],
  shift: () => [x, { shift: 1 }],
  affineTransform: () => [x, { matrix: [1, 1] }],
  mapCoordinates: () => [x, coordinates, {}],
  rotate: () => [x, 30, {}],
  splineFilter: () => [x, {}],
  splineFilter1d: () => [x, {}],
  fourierGaussian: () => [x, { sigma: 1 }],
  fourierUniform: () => [x, { size: 3 }],
  fourierShift: () => [x, { shift: 1 }],
  fourierEllipsoid: () => [x, { size: 3 }],
};

const functions = Object.entries(ta.ndimage).filter(([, value]) => typeof value === "function") as Array<[string, (...args: unknown[]) => unknown]>;

/** Asserts `call` throws or rejects an InvalidOptionError whose message matches `pattern`. */
async function refused(call: () => unknown, pattern: RegExp, what: string): Promise<void> {
  await assert.rejects(async () => call(), (error: Error) => {
    assert.equal(error.name, "InvalidOptionError", `${what}: ${error.message}`);
    assert.match(error.message, pattern, what);
    return true;
  }, `${what} was not refused`);
}

describe("ta.ndimage functions refuse arguments beyond their own", () => {
  it("every function has a valid call here", () => {
    assert.ok(functions.length >= 66, `${functions.length} functions`);
    assert.deepEqual(functions.map(([name]) => name).filter((name) => !(name in validCalls)), [], "functions without a valid call in this test");
  });

  for (const [name, fn] of functions) {
    it(`${name}: builds with its arguments, and refuses one more, naming it`, async () => {
      const args = validCalls[name]();
      await fn(...args);
      await fn(...args, undefined);
      const escaped = `ta.ndimage.${name}(`.replace(/[.(]/g, "\\$&");
      await refused(() => fn(...args, { mode: "nearest" }), new RegExp(`^${escaped}[a-zA-Z0-9, ]*\\) takes at most ${args.length} arguments?; got also an object with \\["mode"\\], which it would ignore`), name);
      await refused(() => fn(...args, 7), new RegExp(`^${escaped}.*got also 7,`), name);
    });
  }

  it("the interpolations exported at the top of ta are the checked ones", async () => {
    const loose = ta as unknown as Record<string, (...args: unknown[]) => unknown>;
    await refused(() => loose.zoom(x, { zoom: 2 }, 7), /^ta\.ndimage\.zoom\(array, options\) takes at most 2 arguments; got also 7/, "ta.zoom");
    await refused(() => loose.mapCoordinates(x, coordinates, {}, { order: 1 }), /^ta\.ndimage\.mapCoordinates\(array, coordinates, options\)/, "ta.mapCoordinates");
  });

  it("the checked functions still give the eager result", async () => {
    const loose = ta.ndimage as unknown as Record<string, (...args: unknown[]) => ta.Array>;
    assertSameArray(await loose.gaussianFilter(x, { sigma: 1 }, undefined).compute(), ndimage.gaussianFilter(image, { sigma: 1 }), "gaussianFilter");
    assertSameArray(await ta.ndimage.medianFilter(x, { size: 3, mode: "nearest" }).compute(), ndimage.medianFilter(image, { size: 3, mode: "nearest" }), "medianFilter");
    assertSameArray(await ta.ndimage.zoom(x, { zoom: 2 }).compute(), ndimage.zoom(image, { zoom: 2 }), "zoom");
  });
});

describe("ta.ndimage functions refuse options keys they do not read", () => {
  for (const [name, fn] of functions) {
    it(`${name}: refuses { mdoe }, naming it, before computing`, async () => {
      const args = validCalls[name]();
      const at = args.length - 1;
      assert.ok(typeof args[at] === "object" && args[at] !== null && !Array.isArray(args[at]), `${name}'s last argument is its options`);
      args[at] = { ...(args[at] as object), mdoe: "nearest" };
      await refused(() => fn(...args), /mdoe/, name);
    });
  }
});

describe("a Gaussian mapOverlap on a LocalCluster of 2 workers × 1 thread", () => {
  useCluster2x1();

  it("runs the checked built-in on the workers with the options each block adds", async () => {
    // 12 blocks along the first axis, uneven last blocks on the second.
    const tall = ta.fromArray(nd.reshape(nd.arange(48 * 10, { dtype: "float64" }), [48, 10]), { chunks: [4, 4] });
    const eager = ndimage.gaussianFilter(await tall.compute(), { sigma: 1.5, mode: "nearest" });
    const overlapped = tall.mapOverlap(ndimage.gaussianFilter, { depth: 6, boundary: "nearest" }, { sigma: 1.5, mode: "nearest" });
    assertSameArray(await overlapped.compute(), eager, "mapOverlap(gaussianFilter)");
    assertSameArray(await ta.ndimage.gaussianFilter(tall, { sigma: 1.5, mode: "nearest" }).compute(), eager, "ta.ndimage.gaussianFilter");
  });
});
