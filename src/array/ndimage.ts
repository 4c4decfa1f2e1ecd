/**
 * `ndimage` of tessera/array: scipy.ndimage's rank filters, morphology, labelling, per-label
 * measurements and interpolation on chunked arrays (`ta.ndimage.medianFilter(volume, { size: 3 })`),
 * each equal to the eager function of tessera/ndimage applied to the whole array.
 */
export {
  minimumFilter, maximumFilter, minimumFilter1d, maximumFilter1d, medianFilter, rankFilter, percentileFilter, greyErosion, greyDilation, greyOpening, greyClosing,
  whiteTophat, blackTophat, binaryErosion, binaryDilation, binaryOpening, binaryClosing, morphologicalGradient, morphologicalLaplace, binaryHitOrMiss,
} from "./ndimage-filters.js";
export {
  gaussianFilter, gaussianFilter1d, uniformFilter, uniformFilter1d, correlate1d, convolve1d, correlate, convolve, sobel, prewitt, laplace,
  gaussianLaplace, gaussianGradientMagnitude,
} from "./ndimage-linear-filters.js";
export { genericFilter } from "./ndimage-generic-filter.js";
export { genericLaplace, genericGradientMagnitude } from "./ndimage-generic-derivatives.js";
export type { LazyGenericDerivativeOptions } from "./ndimage-generic-derivatives.js";
export { thresholdLocal } from "./ndimage-threshold-local.js";
export { labeledComprehension } from "./ndimage-comprehension.js";
export type { ComprehensionCallOptions } from "./ndimage-comprehension.js";
export { label } from "./label.js";
export { binaryFillHoles } from "./ndimage-fill-holes.js";
export { distanceTransformEdt } from "./ndimage-distance.js";
export type { LazyDistanceTransformOptions } from "./ndimage-distance.js";
export type { LazyFillHolesOptions } from "./ndimage-fill-holes.js";
export { sumLabels, sum, mean, minimum, maximum, centerOfMass, findObjects } from "./ndimage-measurements.js";
export type { MeasureCallOptions, FindObjectsCallOptions } from "./ndimage-measurements.js";
export { variance, standardDeviation, area, minimumPosition, maximumPosition, extrema, median, histogram } from "./ndimage-label-stats.js";
export type { MedianCallOptions } from "./ndimage-label-stats.js";
export type { LazyLabelOptions } from "./label.js";
export { zoom, shift, affineTransform } from "./ndimage-interpolation.js";
export { mapCoordinates } from "./ndimage-map-coordinates.js";
export { rotate } from "./ndimage-rotate.js";
export { splineFilter, splineFilter1d } from "./ndimage-spline-filter.js";
export type { LazySplineFilterOptions } from "./ndimage-spline-filter.js";
export type { LazyMapCoordinatesOptions } from "./ndimage-map-coordinates.js";
export type { LazyInterpolationOptions } from "./ndimage-interpolation.js";
export { fourierGaussian, fourierUniform, fourierShift, fourierEllipsoid } from "./ndimage-fourier.js";
