/**
 * `ndimage` of tessera/array: scipy.ndimage's rank filters, morphology, labelling and
 * interpolation on chunked arrays (`ta.ndimage.medianFilter(volume, { size: 3 })`), each equal to the eager function of
 * tessera/ndimage applied to the whole array.
 */
export {
  minimumFilter, maximumFilter, medianFilter, rankFilter, percentileFilter, greyErosion, greyDilation, greyOpening, greyClosing,
  whiteTophat, blackTophat, binaryErosion, binaryDilation, binaryOpening, binaryClosing,
} from "./ndimage-filters.js";
export { label } from "./label.js";
export type { LazyLabelOptions } from "./label.js";
export { zoom, shift, affineTransform } from "./ndimage-interpolation.js";
export type { LazyInterpolationOptions } from "./ndimage-interpolation.js";
