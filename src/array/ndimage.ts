/**
 * `ndimage` of tessera/array: scipy.ndimage's rank filters, morphology, labelling, per-label
 * measurements and interpolation on chunked arrays (`ta.ndimage.medianFilter(volume, { size: 3 })`),
 * each equal to the eager function of tessera/ndimage applied to the whole array.
 *
 * Each refuses arguments beyond its own (argument-count.ts): before,
 * `gaussianFilter(x, { sigma: 1 }, { mode: "nearest" })` (scipy's `gaussian_filter(x, 1,
 * mode="nearest")`) filtered with mode "reflect" and `zoom(x, { zoom: 2 }, 3)` ignored the
 * order, without a word. The modules below define the functions; these are what users call.
 */
import { withArgumentCount } from "./argument-count.js";
import { label as labelOf } from "./label.js";
import { labeledComprehension as labeledComprehensionOf } from "./ndimage-comprehension.js";
import { distanceTransformEdt as distanceTransformEdtOf } from "./ndimage-distance.js";
import { binaryFillHoles as binaryFillHolesOf } from "./ndimage-fill-holes.js";
import * as filters from "./ndimage-filters.js";
import * as fourier from "./ndimage-fourier.js";
import * as derivatives from "./ndimage-generic-derivatives.js";
import { genericFilter as genericFilterOf } from "./ndimage-generic-filter.js";
import * as interpolation from "./ndimage-interpolation.js";
import * as labelStats from "./ndimage-label-stats.js";
import * as linear from "./ndimage-linear-filters.js";
import { mapCoordinates as mapCoordinatesOf } from "./ndimage-map-coordinates.js";
import * as measurements from "./ndimage-measurements.js";
import { rotate as rotateOf } from "./ndimage-rotate.js";
import * as splines from "./ndimage-spline-filter.js";
import { thresholdLocal as thresholdLocalOf } from "./ndimage-threshold-local.js";

const arrayOptions = ["array", "options"];
const weighted = ["array", "weights", "options"];
const perLabel = ["input", "labels", "index", "options"];

/** The function, refusing arguments beyond `params`; the refusal calls it `ta.ndimage.<name>`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const checked = <F extends (...args: any[]) => any>(name: string, params: readonly string[], fn: F): F => withArgumentCount(`ta.ndimage.${name}`, params, fn, "scipy's and dask-image's");

export const minimumFilter = checked("minimumFilter", arrayOptions, filters.minimumFilter);
export const maximumFilter = checked("maximumFilter", arrayOptions, filters.maximumFilter);
export const minimumFilter1d = checked("minimumFilter1d", arrayOptions, filters.minimumFilter1d);
export const maximumFilter1d = checked("maximumFilter1d", arrayOptions, filters.maximumFilter1d);
export const medianFilter = checked("medianFilter", arrayOptions, filters.medianFilter);
export const rankFilter = checked("rankFilter", arrayOptions, filters.rankFilter);
export const percentileFilter = checked("percentileFilter", arrayOptions, filters.percentileFilter);
export const greyErosion = checked("greyErosion", arrayOptions, filters.greyErosion);
export const greyDilation = checked("greyDilation", arrayOptions, filters.greyDilation);
export const greyOpening = checked("greyOpening", arrayOptions, filters.greyOpening);
export const greyClosing = checked("greyClosing", arrayOptions, filters.greyClosing);
export const whiteTophat = checked("whiteTophat", arrayOptions, filters.whiteTophat);
export const blackTophat = checked("blackTophat", arrayOptions, filters.blackTophat);
export const binaryErosion = checked("binaryErosion", arrayOptions, filters.binaryErosion);
export const binaryDilation = checked("binaryDilation", arrayOptions, filters.binaryDilation);
export const binaryOpening = checked("binaryOpening", arrayOptions, filters.binaryOpening);
export const binaryClosing = checked("binaryClosing", arrayOptions, filters.binaryClosing);
export const morphologicalGradient = checked("morphologicalGradient", arrayOptions, filters.morphologicalGradient);
export const morphologicalLaplace = checked("morphologicalLaplace", arrayOptions, filters.morphologicalLaplace);
export const binaryHitOrMiss = checked("binaryHitOrMiss", arrayOptions, filters.binaryHitOrMiss);

export const gaussianFilter = checked("gaussianFilter", arrayOptions, linear.gaussianFilter);
export const gaussianFilter1d = checked("gaussianFilter1d", arrayOptions, linear.gaussianFilter1d);
export const uniformFilter = checked("uniformFilter", arrayOptions, linear.uniformFilter);
export const uniformFilter1d = checked("uniformFilter1d", arrayOptions, linear.uniformFilter1d);
export const sobel = checked("sobel", arrayOptions, linear.sobel);
export const prewitt = checked("prewitt", arrayOptions, linear.prewitt);
export const laplace = checked("laplace", arrayOptions, linear.laplace);
export const gaussianLaplace = checked("gaussianLaplace", arrayOptions, linear.gaussianLaplace);
export const gaussianGradientMagnitude = checked("gaussianGradientMagnitude", arrayOptions, linear.gaussianGradientMagnitude);
export const correlate1d = checked("correlate1d", weighted, linear.correlate1d);
export const convolve1d = checked("convolve1d", weighted, linear.convolve1d);
export const correlate = checked("correlate", weighted, linear.correlate);
export const convolve = checked("convolve", weighted, linear.convolve);

export const genericFilter = checked("genericFilter", ["array", "fn", "options"], genericFilterOf);
export const genericLaplace = checked("genericLaplace", ["array", "derivative2", "options"], derivatives.genericLaplace);
export const genericGradientMagnitude = checked("genericGradientMagnitude", ["array", "derivative", "options"], derivatives.genericGradientMagnitude);
export const thresholdLocal = checked("thresholdLocal", ["image", "blockSize", "options"], thresholdLocalOf);
export const labeledComprehension = checked("labeledComprehension", ["input", "labels", "index", "fn", "outDtype", "defaultValue", "options"], labeledComprehensionOf);
export const label = checked("label", arrayOptions, labelOf);
export const binaryFillHoles = checked("binaryFillHoles", ["mask", "options"], binaryFillHolesOf);
export const distanceTransformEdt = checked("distanceTransformEdt", arrayOptions, distanceTransformEdtOf);

export const sumLabels = checked("sumLabels", perLabel, measurements.sumLabels);
export const sum = checked("sum", perLabel, measurements.sum);
export const mean = checked("mean", perLabel, measurements.mean);
export const minimum = checked("minimum", perLabel, measurements.minimum);
export const maximum = checked("maximum", perLabel, measurements.maximum);
export const centerOfMass = checked("centerOfMass", perLabel, measurements.centerOfMass);
export const findObjects = checked("findObjects", ["labels", "options"], measurements.findObjects);
export const variance = checked("variance", perLabel, labelStats.variance);
export const standardDeviation = checked("standardDeviation", perLabel, labelStats.standardDeviation);
export const area = checked("area", perLabel, labelStats.area);
export const minimumPosition = checked("minimumPosition", perLabel, labelStats.minimumPosition);
export const maximumPosition = checked("maximumPosition", perLabel, labelStats.maximumPosition);
export const extrema = checked("extrema", perLabel, labelStats.extrema);
export const median = checked("median", perLabel, labelStats.median);
export const histogram = checked("histogram", ["input", "min", "max", "bins", "labels", "index", "options"], labelStats.histogram);

export const zoom = checked("zoom", arrayOptions, interpolation.zoom);
export const shift = checked("shift", arrayOptions, interpolation.shift);
export const affineTransform = checked("affineTransform", arrayOptions, interpolation.affineTransform);
export const mapCoordinates = checked("mapCoordinates", ["array", "coordinates", "options"], mapCoordinatesOf);
export const rotate = checked("rotate", ["array", "angle", "options"], rotateOf);
export const splineFilter = checked("splineFilter", arrayOptions, splines.splineFilter);
export const splineFilter1d = checked("splineFilter1d", arrayOptions, splines.splineFilter1d);
export const fourierGaussian = checked("fourierGaussian", arrayOptions, fourier.fourierGaussian);
export const fourierUniform = checked("fourierUniform", arrayOptions, fourier.fourierUniform);
export const fourierShift = checked("fourierShift", arrayOptions, fourier.fourierShift);
export const fourierEllipsoid = checked("fourierEllipsoid", arrayOptions, fourier.fourierEllipsoid);

export type { LazyGenericDerivativeOptions } from "./ndimage-generic-derivatives.js";
export type { ComprehensionCallOptions } from "./ndimage-comprehension.js";
export type { LazyDistanceTransformOptions } from "./ndimage-distance.js";
export type { LazyFillHolesOptions } from "./ndimage-fill-holes.js";
export type { MeasureCallOptions, FindObjectsCallOptions } from "./ndimage-measurements.js";
export type { MedianCallOptions } from "./ndimage-label-stats.js";
export type { LazyLabelOptions } from "./label.js";
export type { LazySplineFilterOptions } from "./ndimage-spline-filter.js";
export type { LazyMapCoordinatesOptions } from "./ndimage-map-coordinates.js";
export type { LazyInterpolationOptions } from "./ndimage-interpolation.js";
