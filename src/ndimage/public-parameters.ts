/**
 * The parameters of every public function of tessera/ndimage, as its signature names them, and
 * the check that refuses arguments beyond them (src/core/argument-count.ts): before,
 * `gaussianFilter(x, { sigma: 1 }, { mode: "nearest" })` (scipy's `gaussian_filter(x, 1,
 * mode="nearest")`) ran with mode "reflect", `zoom(x, { zoom: 2 }, 3)` ignored the order, and
 * `mean(x, labels, index, 7)` the 7, each without a word.
 *
 * A built-in (region kernels, defineBuiltin) checks inside the very function its name resolves
 * to, the one workers run: the graphs call it with exactly these parameters (the options object
 * carries what a block adds: outputRegion, inputWindow). Functions that are not built-ins are
 * checked where index.ts exports them (public-functions.ts). test/ndimage/argument-count walks
 * every export against this table.
 */
import { namespaceArgumentChecks } from "../core/namespace-arguments.js";

const withOptions = (...names: string[]) => Object.fromEntries(names.map((name) => [name, ["input", "options"]]));
const perLabel = (...names: string[]) => Object.fromEntries(names.map((name) => [name, ["input", "labels", "index"]]));

export const publicParameters: Readonly<Record<string, readonly string[]>> = {
  ...withOptions(
    "gaussianFilter", "gaussianFilter1d", "uniformFilter", "uniformFilter1d", "gaussianLaplace", "gaussianGradientMagnitude", "sobel", "prewitt",
    "laplace", "minimumFilter", "maximumFilter", "minimumFilter1d", "maximumFilter1d", "rankFilter", "medianFilter", "percentileFilter",
    "greyErosion", "greyDilation", "greyOpening", "greyClosing", "whiteTophat", "blackTophat", "binaryErosion", "binaryDilation", "binaryOpening",
    "binaryClosing", "binaryFillHoles", "binaryPropagation", "morphologicalGradient", "morphologicalLaplace", "binaryHitOrMiss", "zoom", "shift",
    "affineTransform", "splineFilter", "splineFilter1d", "fourierGaussian", "fourierUniform", "fourierShift", "fourierEllipsoid",
    "distanceTransformEdt", "distanceTransformCdt", "distanceTransformBf", "label", "valueIndices",
  ),
  ...Object.fromEntries(["correlate", "convolve", "correlate1d", "convolve1d"].map((name) => [name, ["input", "weights", "options"]])),
  ...perLabel("sumLabels", "sum", "mean", "variance", "standardDeviation", "centerOfMass", "area", "minimum", "maximum", "minimumPosition",
    "maximumPosition", "extrema", "median"),
  genericFilter: ["input", "function", "options"],
  genericFilter1d: ["input", "function", "filterSize", "options"],
  genericLaplace: ["input", "derivative2", "options"],
  genericGradientMagnitude: ["input", "derivative", "options"],
  geometricTransform: ["input", "mapping", "options"],
  mapCoordinates: ["input", "coordinates", "options"],
  rotate: ["input", "angle", "options"],
  watershedIft: ["input", "markers", "options"],
  thresholdLocal: ["image", "blockSize", "options"],
  findObjects: ["labels", "options"],
  histogram: ["input", "min", "max", "bins", "labels", "index"],
  labeledComprehension: ["input", "labels", "index", "fn", "outDtype", "defaultValue", "passPositions"],
  comprehensionFinish: ["partial", "fn", "options"],
  generateBinaryStructure: ["rank", "connectivity"],
  iterateStructure: ["structure", "iterations", "origin"],
  isRegionKernel: ["value"],
  isWasmSimdAvailable: [],
};

export const { parametersOf, withPublicParameters, definePublicBuiltin } = namespaceArgumentChecks({ label: "ndimage", builtin: "ndimage" }, publicParameters, "scipy's");
