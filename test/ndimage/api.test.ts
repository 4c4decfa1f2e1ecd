import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ndimage from "../../src/ndimage/index.js";
import { builtinNameOf } from "../../src/core/builtin.js";
import { NDArray } from "../../src/ndarray/ndarray.js";
import { assertInvalidOption, randomArray, seededRandom } from "./helpers.js";

const volume = randomArray([5, 6, 7], "float32", seededRandom(1));

describe("tessera/ndimage exports", () => {
  it("names exactly the public functions", () => {
    assert.deepEqual(Object.keys(ndimage).sort(), [
      "affineTransform", "binaryClosing", "binaryDilation", "binaryErosion", "binaryFillHoles", "binaryOpening",
      "blackTophat", "centerOfMass", "convolve", "convolve1d", "correlate", "correlate1d", "distanceTransformEdt", "findObjects",
      "gaussianFilter", "gaussianFilter1d", "gaussianGradientMagnitude", "gaussianLaplace", "generateBinaryStructure",
      "greyClosing", "greyDilation", "greyErosion", "greyOpening", "isRegionKernel", "isWasmSimdAvailable",
      "iterateStructure", "label", "labeledComprehension", "laplace", "mapCoordinates", "maximum", "maximumFilter",
      "maximumFilter1d", "mean", "medianFilter", "minimum", "minimumFilter", "minimumFilter1d", "percentileFilter",
      "prewitt", "rankFilter", "shift", "sobel", "splineFilter", "splineFilter1d", "standardDeviation", "sum", "sumLabels",
      "uniformFilter", "uniformFilter1d", "variance", "whiteTophat", "zoom",
      "area", "extrema", "histogram", "maximumPosition", "median", "minimumPosition",
      "FilterFunctionError", "genericFilter", "genericFilter1d", "comprehensionFinish", "thresholdLocal", "rotate",
      "morphologicalGradient", "morphologicalLaplace", "binaryHitOrMiss",
      "watershedIft", "distanceTransformCdt", "distanceTransformBf", "binaryPropagation", "valueIndices", "genericLaplace", "genericGradientMagnitude", "geometricTransform",
      "fourierGaussian", "fourierUniform", "fourierShift", "fourierEllipsoid",
    ].sort());
  });

  const filters = {
    gaussianFilter: ndimage.gaussianFilter, gaussianFilter1d: ndimage.gaussianFilter1d, correlate1d: ndimage.correlate1d,
    convolve1d: ndimage.convolve1d, uniformFilter: ndimage.uniformFilter, uniformFilter1d: ndimage.uniformFilter1d,
    gaussianLaplace: ndimage.gaussianLaplace, gaussianGradientMagnitude: ndimage.gaussianGradientMagnitude, sobel: ndimage.sobel,
    correlate: ndimage.correlate, convolve: ndimage.convolve, prewitt: ndimage.prewitt, laplace: ndimage.laplace,
  };
  for (const [name, fn] of Object.entries(filters)) {
    it(`${name} travels as builtin "ndimage.${name}" and publishes kernelRadius`, () => {
      assert.equal(builtinNameOf(fn), `ndimage.${name}`);
      assert.ok(ndimage.isRegionKernel(fn));
    });
  }
  it("isRegionKernel is false for plain functions", () => {
    assert.equal(ndimage.isRegionKernel(() => 1), false);
    assert.equal(ndimage.isRegionKernel({ kernelRadius: () => [] }), false);
  });
});

describe("kernelRadius: neighbour cells read on each side, per axis", () => {
  it("gaussianFilter: int(truncate·σ + 0.5), radius, skipped axes and axes", () => {
    assert.deepEqual(ndimage.gaussianFilter.kernelRadius({ sigma: 3 }, 3), [12, 12, 12]);
    assert.deepEqual(ndimage.gaussianFilter.kernelRadius({ sigma: [0, 2, 10] }, 3), [0, 8, 40]);
    assert.deepEqual(ndimage.gaussianFilter.kernelRadius({ sigma: 2, truncate: 2.3 }, 2), [5, 5]);
    assert.deepEqual(ndimage.gaussianFilter.kernelRadius({ sigma: 2, radius: [1, 7] }, 2), [1, 7]);
    assert.deepEqual(ndimage.gaussianFilter.kernelRadius({ sigma: 1.5, axes: [-1] }, 3), [0, 0, 6]);
    assert.deepEqual(ndimage.gaussianFilter1d.kernelRadius({ sigma: 10, axis: 0 }, 2), [40, 0]);
  });
  it("correlate1d and convolve1d take the weights as a third argument", () => {
    assert.deepEqual(ndimage.correlate1d.kernelRadius({ axis: 0 }, 2, [1, 2, 3, 4, 5]), [2, 0]);
    assert.deepEqual(ndimage.correlate1d.kernelRadius({ axis: 0, origin: 1 }, 2, [1, 2, 3, 4, 5]), [3, 0]);
    assert.deepEqual(ndimage.convolve1d.kernelRadius(undefined, 2, [1, 2, 3, 4]), [0, 2]);
  });
  it("uniform filters, derivatives and sobel", () => {
    assert.deepEqual(ndimage.uniformFilter.kernelRadius({ size: [3, 1, 4] }, 3), [1, 0, 2]);
    assert.deepEqual(ndimage.uniformFilter1d.kernelRadius({ size: 5, axis: 1, origin: -2 }, 2), [0, 4]);
    assert.deepEqual(ndimage.gaussianLaplace.kernelRadius({ sigma: [1, 2] }, 2), [4, 8]);
    assert.deepEqual(ndimage.gaussianGradientMagnitude.kernelRadius({ sigma: 3, radius: 5 }, 3), [5, 5, 5]);
    assert.deepEqual(ndimage.sobel.kernelRadius({ axis: 0 }, 3), [1, 1, 1]);
  });
});

describe("results", () => {
  it("are new arrays in shared memory with the output dtype; the input is unchanged", () => {
    const before = Float32Array.from(volume.data as Float32Array);
    const result = ndimage.gaussianFilter(volume, { sigma: 1, output: "uint16" });
    assert.equal(result.dtype, "uint16");
    assert.deepEqual(result.shape, [5, 6, 7]);
    assert.ok(result.data.buffer instanceof SharedArrayBuffer);
    assert.notEqual(result.data.buffer, volume.data.buffer);
    assert.deepEqual(volume.data, before);
  });
  it("correlate1d takes weights as numbers, a TypedArray or a 1-D NDArray", () => {
    const expected = ndimage.correlate1d(volume, [1, -2, 0.5], { axis: 1 });
    const strided = new NDArray(Float64Array.of(1, 9, -2, 9, 0.5), [3], { strides: [2] });
    for (const weights of [Float64Array.of(1, -2, 0.5), strided]) {
      assert.deepEqual(ndimage.correlate1d(volume, weights, { axis: 1 }).data, expected.data);
    }
  });
  it("with no axis to filter (σ = 0) copy the input, cast as scipy's output[...] = input[...] casts", () => {
    const input = new NDArray(Float64Array.of(Number.NaN, 1e10, -1.5, 300.7), [4]);
    assert.deepEqual(ndimage.gaussianFilter(input, { sigma: 0, output: "int32" }).toArray(), [-(2 ** 31), -(2 ** 31), -1, 300]);
    assert.deepEqual(ndimage.gaussianFilter(input, { sigma: 0, output: "uint8" }).toArray(), [0, 0, 255, 44]);
  });
  it("an empty array or an empty region gives an empty result", () => {
    const empty = new NDArray(new Float32Array(0), [0, 4]);
    assert.deepEqual(ndimage.gaussianFilter(empty, { sigma: 2 }).shape, [0, 4]);
    assert.deepEqual(ndimage.sobel(volume, { outputRegion: { start: [1, 2, 3], stop: [1, 5, 6] } }).shape, [0, 3, 3]);
  });
});

describe("bad options are InvalidOptionErrors that name the value", () => {
  const cases: Array<[string, () => unknown, string]> = [
    ["unknown mode", () => ndimage.gaussianFilter(volume, { sigma: 1, mode: "edge" as never }), '"edge"'],
    ["unknown mode in a list", () => ndimage.uniformFilter(volume, { mode: ["wrap", "reflect", "periodic" as never] }), '"periodic"'],
    ["negative sigma", () => ndimage.gaussianFilter(volume, { sigma: -0.5 }), "-0.5"],
    ["sigma 0 in gaussianFilter1d", () => ndimage.gaussianFilter1d(volume, { sigma: 0 }), "sigma 0"],
    ["non-integer radius", () => ndimage.gaussianFilter(volume, { sigma: 1, radius: 2.5 }), "2.5"],
    ["negative radius", () => ndimage.gaussianFilter1d(volume, { sigma: 1, radius: -1 }), "-1"],
    ["order 4", () => ndimage.gaussianFilter(volume, { sigma: 1, order: 4 }), "4"],
    ["order −1 in a list", () => ndimage.gaussianFilter(volume, { sigma: 1, order: [0, -1, 0] }), "-1"],
    ["axis out of range", () => ndimage.sobel(volume, { axis: 3 }), "axis 3"],
    ["negative axis out of range", () => ndimage.gaussianFilter1d(volume, { sigma: 1, axis: -4 }), "axis -4"],
    ["sigma list of the wrong length", () => ndimage.gaussianFilter(volume, { sigma: [1, 2] }), "[1,2]"],
    ["duplicate axes", () => ndimage.gaussianFilter(volume, { sigma: 1, axes: [0, -3] }), "[0,-3]"],
    ["output that is not a dtype", () => ndimage.gaussianFilter(volume, { sigma: 1, output: "float16" as never }), '"float16"'],
    ["output that is no dtype", () => ndimage.sobel(volume, { output: "float16" as never }), "float16"],
    // The linear filters take int64/uint64/bool (wide-linear-differential.test.ts); the rank filters store only into the input's own dtype then.
    ["int64 output of a rank filter", () => ndimage.medianFilter(volume, { size: 3, output: "int64" }), "int64"],
    ["empty weights", () => ndimage.correlate1d(volume, []), "[]"],
    ["origin out of range", () => ndimage.correlate1d(volume, [1, 2, 3], { origin: 2 }), "origin 2"],
    ["uniform size 0", () => ndimage.uniformFilter(volume, { size: 0 }), "size 0"],
    ["uniform origin out of range", () => ndimage.uniformFilter1d(volume, { size: 3, origin: 2 }), "origin 2"],
    ["non-finite truncate", () => ndimage.gaussianFilter(volume, { sigma: 1, truncate: Number.NaN }), "truncate"],
    ["region outside the array", () => ndimage.gaussianFilter(volume, { sigma: 1, outputRegion: { start: [0, 0, 0], stop: [5, 6, 8] } }), "[5,6,8]"],
    ["region with start > stop", () => ndimage.sobel(volume, { outputRegion: { start: [2, 0, 0], stop: [1, 6, 7] } }), "outputRegion"],
    ["unknown backend", () => ndimage.gaussianFilter(volume, { sigma: 1, backend: "gpu" as never }), '"gpu"'],
  ];
  for (const [what, call, named] of cases) it(what, () => assertInvalidOption(call, named));
});
