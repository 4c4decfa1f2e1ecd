// Every ndimage entry point refuses an option key it does not read (a misspelt or foreign key
// used to be ignored, and the function ran with its default), naming the key and the keys it takes.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ndimage from "../../src/ndimage/index.js";
import { NDArray } from "../../src/ndarray/ndarray.js";
import { randomArray, seededRandom } from "./helpers.js";

const volume = randomArray([5, 6, 7], "float32", seededRandom(3));
const mask = new NDArray(new Uint8Array(5 * 6 * 7).map((_, i) => (i % 3 === 0 ? 1 : 0)), [5, 6, 7], { dtype: "bool" });
const labels = new NDArray(new Int32Array(5 * 6 * 7).map((_, i) => i % 4), [5, 6, 7]);
const uint8Volume = new NDArray(new Uint8Array(5 * 6 * 7).map((_, i) => i % 7), [5, 6, 7], { dtype: "uint8" });

function refusesKey(run: () => unknown, what: string, key: string, takes: string): void {
  assert.throws(run, (error: Error) => {
    assert.equal(error.name, "InvalidOptionError", `${what}: ${error.message}`);
    assert.match(error.message, new RegExp(`^${what}: unknown option "${key}".*; ${what} takes ${takes}`), what);
    return true;
  });
}

type Call = [string, (extra: Record<string, unknown>) => unknown, string];
const calls: Call[] = [
  ["gaussianFilter", (o) => ndimage.gaussianFilter(volume, { sigma: 1, ...o }), "sigma, order, mode, cval, truncate, radius, axes, output, outputRegion, backend"],
  ["gaussianFilter1d", (o) => ndimage.gaussianFilter1d(volume, { sigma: 1, ...o }), "sigma, axis, order, mode"],
  ["correlate1d", (o) => ndimage.correlate1d(volume, [1, 2, 1], o), "axis, mode, cval, origin, output, outputRegion, backend"],
  ["convolve1d", (o) => ndimage.convolve1d(volume, [1, 2, 1], o), "axis, mode, cval, origin"],
  ["uniformFilter", (o) => ndimage.uniformFilter(volume, { size: 3, ...o }), "size, mode, cval, origin"],
  ["uniformFilter1d", (o) => ndimage.uniformFilter1d(volume, { size: 3, ...o }), "size, axis, mode"],
  ["gaussianLaplace", (o) => ndimage.gaussianLaplace(volume, { sigma: 1, ...o }), "sigma, mode, cval, truncate, radius"],
  ["gaussianGradientMagnitude", (o) => ndimage.gaussianGradientMagnitude(volume, { sigma: 1, ...o }), "sigma, mode"],
  ["sobel", (o) => ndimage.sobel(volume, o), "axis, mode, cval"],
  ["prewitt", (o) => ndimage.prewitt(volume, o), "axis, mode, cval, output, outputRegion, backend"],
  ["laplace", (o) => ndimage.laplace(volume, o), "mode, cval, output, outputRegion, backend"],
  ["correlate", (o) => ndimage.correlate(volume, [[[1, 2]]], o), "mode, cval, origin, output, outputRegion, backend"],
  ["convolve", (o) => ndimage.convolve(volume, [[[1], [2]]], o), "mode, cval, origin, output, outputRegion, backend"],
  ["minimumFilter", (o) => ndimage.minimumFilter(volume, { size: 3, ...o }), "size, footprint, mode, cval, origin"],
  ["maximumFilter1d", (o) => ndimage.maximumFilter1d(volume, { size: 3, ...o }), "size, axis, mode"],
  ["medianFilter", (o) => ndimage.medianFilter(volume, { size: 3, ...o }), "size, footprint"],
  ["rankFilter", (o) => ndimage.rankFilter(volume, { size: 3, rank: 1, ...o }), "rank, size, footprint"],
  ["percentileFilter", (o) => ndimage.percentileFilter(volume, { size: 3, percentile: 50, ...o }), "percentile, size, footprint"],
  ["greyErosion", (o) => ndimage.greyErosion(volume, { size: 3, ...o }), "structure, size, footprint"],
  ["whiteTophat", (o) => ndimage.whiteTophat(volume, { size: 3, ...o }), "structure, size, footprint"],
  ["binaryErosion", (o) => ndimage.binaryErosion(mask, o), "structure, iterations, mask, borderValue, origin, outputRegion, backend"],
  ["binaryClosing", (o) => ndimage.binaryClosing(mask, o), "structure, iterations, mask"],
  ["binaryFillHoles", (o) => ndimage.binaryFillHoles(mask, o), "structure, origin, outputRegion, backend"],
  ["distanceTransformEdt", (o) => ndimage.distanceTransformEdt(mask, o), "sampling, returnDistances, returnIndices"],
  ["findObjects", (o) => ndimage.findObjects(labels, o), "maxLabel"],
  ["label", (o) => ndimage.label(mask, o), "structure"],
  ["zoom", (o) => ndimage.zoom(volume, { zoom: 2, ...o }), "zoom, gridMode, order, mode, cval, prefilter"],
  ["splineFilter", (o) => ndimage.splineFilter(volume, o), "order, output, mode"],
  ["watershedIft", (o) => ndimage.watershedIft(uint8Volume, labels, o), "structure, output"],
  ["distanceTransformCdt", (o) => ndimage.distanceTransformCdt(mask, o), "metric, returnDistances, returnIndices"],
  ["distanceTransformBf", (o) => ndimage.distanceTransformBf(mask, o), "metric, sampling, returnDistances, returnIndices"],
  ["binaryPropagation", (o) => ndimage.binaryPropagation(mask, o), "structure, mask, borderValue, origin, outputRegion, backend"],
  ["valueIndices", (o) => ndimage.valueIndices(labels, o), "ignoreValue"],
  ["genericLaplace", (o) => ndimage.genericLaplace(volume, (x) => x, o), "output, mode, cval, extraArguments, extraKeywords"],
  ["genericGradientMagnitude", (o) => ndimage.genericGradientMagnitude(volume, (x) => x, o), "output, mode, cval"],
  ["geometricTransform", (o) => ndimage.geometricTransform(volume, (c) => c, o), "outputShape, output, order, mode, cval, prefilter, extraArguments, extraKeywords"],
];

describe("ndimage entry points refuse option keys they do not read", () => {
  for (const [what, call, takes] of calls) {
    it(`${what} names the unknown key and the keys it takes`, () => {
      refusesKey(() => call({ brute_force: true }), what, "brute_force", takes);
    });
  }

  it("suggests the close name for a misspelt key, and scipy's names get advice", () => {
    assert.throws(() => ndimage.gaussianFilter(volume, { sigma: 1, truncat: 3 } as never), /gaussianFilter: unknown option "truncat" \(did you mean truncate\?\)/);
    assert.throws(() => ndimage.medianFilter(volume, { size: 3, modes: "nearest" } as never), /medianFilter: unknown option "modes" \(did you mean mode\?\)/);
    assert.throws(() => ndimage.findObjects(labels, { max_label: 2 } as never), /findObjects: unknown option "max_label" \(use maxLabel\)/);
    assert.throws(() => ndimage.distanceTransformEdt(mask, { indices: true } as never), /distanceTransformEdt: unknown option "indices" \(scipy's output array: pass returnIndices: true\)/);
  });

  it("kernelRadius refuses the key too, so mapOverlap refuses it before building a graph", () => {
    assert.throws(() => ndimage.gaussianFilter.kernelRadius({ sigma: 1, sigma_y: 2 } as never, 3), /gaussianFilter: unknown option "sigma_y"/);
    assert.throws(() => ndimage.correlate1d.kernelRadius({ axis: 0, orign: 1 } as never, 3, [1, 2, 1]), /correlate1d: unknown option "orign" \(did you mean origin\?\)/);
  });

  it("keys set to undefined carry nothing and pass", () => {
    assert.equal(ndimage.gaussianFilter(volume, { sigma: 1, ...({ unused: undefined } as Record<string, unknown>) }).dtype, "float32");
  });
});
