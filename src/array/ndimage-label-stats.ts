/**
 * More of scipy.ndimage's per-label measurements on chunked arrays (dask-image's ndmeasure twins),
 * folded block by block like the others (ndimage-measurements.ts): nothing is gathered to the
 * client, and each takes labels and index in scipy's and dask-image's forms (label-index-forms.ts).
 *
 * - `variance`, `standardDeviation` → float64 [n]: each block's squared deviations about its own
 *   mean, merged pairwise (measure-partials.ts); NaN for a label without cells. scipy makes two
 *   passes over the whole array; the results agree to rounding, not bit for bit.
 * - `area` (dask-image's) → int64 [n]: the cells of each label.
 * - `minimumPosition`, `maximumPosition` → int64 [n, ndim]: the first position in C order of the
 *   extreme (position-partials.ts); zeros for a label without cells.
 * - `extrema` → [minimum, maximum, minimumPosition, maximumPosition], four lazy arrays (four
 *   folds over the same blocks; compute them together).
 * - `median` → [n], float32 for float32 data, else float64: exact, by gathering the values of
 *   the labels measured (median-partials.ts), at most `maxValues` of them (default 2²⁶), which
 *   the plan's memory check sees as the root's size.
 * - `histogram(input, min, max, bins, labels, index)` → int64 [n, bins]: NumPy's counts against
 *   linspace(min, max, bins + 1); a label without cells gives a row of zeros (scipy: None).
 */
import { InvalidOptionError } from "../core/errors.js";
import { tokenize } from "../core/ids.js";
import { dtypeInfo } from "../ndarray/dtype.js";
import { checkIndexFitsLabels } from "../ndimage/extrema.js";
import { checkHistogramRange } from "../ndimage/label-histogram.js";
import { medianDtype } from "../ndimage/label-median.js";
import { type HistogramOptions, histogramCombine, histogramFinish, histogramPartial } from "../ndimage/histogram-partials.js";
import { type MedianOptions, medianCombine, medianFinish, medianPartial } from "../ndimage/median-partials.js";
import { type PositionOptions, positionCombine, positionFinish, positionPartial } from "../ndimage/position-partials.js";
import { LazyArray } from "./array.js";
import { BlockFoldExpr, type FoldSteps } from "./block-fold.js";
import { type Labels, type MeasureCallOptions, checkLabels, checkSplitEvery, indexList, maximum, measure, minimum } from "./ndimage-measurements.js";
import { type LabelForm, type LabelIndex as Index, labelForm, singleLabel } from "./label-index-forms.js";

export interface MedianCallOptions extends MeasureCallOptions {
  /** The most values the labels measured may hold together (default 2²⁶); more throws. */
  maxValues?: number;
}

const defaultMaxValues = 2 ** 26;

/** A fold of values and labels into one result block. */
function fold(what: string, input: LazyArray, labels: LazyArray, steps: FoldSteps, options: object, splitEvery: number, shape: number[], dtype: LazyArray["dtype"]): LazyArray {
  return LazyArray.of({
    name: `${what}-${tokenize(input.name, labels.name, options, splitEvery)}`,
    shape, chunks: shape.map((n) => [n]), dtype,
    expr: new BlockFoldExpr(input, steps, options, splitEvery, [labels]),
  });
}

/** The input, and the labels and index in the form the folds take (label-index-forms.ts). */
function checkInput(input: unknown, labels: Labels, index: Index, what: string): { input: LazyArray; labels: LazyArray; list: number[]; form: LabelForm } {
  if (!(input instanceof LazyArray)) throw new InvalidOptionError(`${what} needs a tessera array; for an NDArray use ndimage.${what}`);
  const form = labelForm(input, labels, index, what);
  return { input, labels: checkLabels(form.labels, input.shape, what), list: indexList(form.index, what), form };
}

/** Variance of the values of each label (scipy.ndimage.variance), float64 [n]; NaN for a label without cells. */
export const variance = (input: LazyArray, labels?: Labels, index?: Index, options?: MeasureCallOptions): LazyArray =>
  measure("variance", input, labels, index, options, "variance");
/** Standard deviation of each label (scipy.ndimage.standard_deviation), float64 [n]. */
export const standardDeviation = (input: LazyArray, labels?: Labels, index?: Index, options?: MeasureCallOptions): LazyArray =>
  measure("standardDeviation", input, labels, index, options, "standardDeviation");
/** Cells of each label (dask-image's ndmeasure.area), int64 [n]. */
export const area = (input: LazyArray, labels?: Labels, index?: Index, options?: MeasureCallOptions): LazyArray =>
  measure("count", input, labels, index, options, "area");

function position(result: PositionOptions["result"], inputGiven: LazyArray, labelsGiven: Labels, index: Index, options: MeasureCallOptions | undefined): LazyArray {
  const { input, labels, list, form } = checkInput(inputGiven, labelsGiven, index, result);
  const splitEvery = checkSplitEvery(result, options);
  const foldOptions: PositionOptions = { index: list, dtype: input.dtype, shape: [...input.shape], result };
  const steps = { partial: positionPartial, combine: positionCombine, finish: positionFinish, partialBytes: 40 * list.length + 64, withOrigin: true };
  return singleLabel(fold(result, input, labels, steps, foldOptions, splitEvery, [list.length, input.ndim], "int64"), form);
}

/** First position in C order of each label's smallest value (scipy.ndimage.minimum_position), int64 [n, ndim]. */
export const minimumPosition = (input: LazyArray, labels?: Labels, index?: Index, options?: MeasureCallOptions): LazyArray =>
  position("minimumPosition", input, labels, index, options);
/** First position in C order of each label's largest value (scipy.ndimage.maximum_position), int64 [n, ndim]. */
export const maximumPosition = (input: LazyArray, labels?: Labels, index?: Index, options?: MeasureCallOptions): LazyArray =>
  position("maximumPosition", input, labels, index, options);

/** scipy.ndimage.extrema: [minimum, maximum, minimumPosition, maximumPosition] of each label. */
export function extrema(input: LazyArray, labels?: Labels, index?: Index, options?: MeasureCallOptions): [LazyArray, LazyArray, LazyArray, LazyArray] {
  return [minimum(input, labels, index, options), maximum(input, labels, index, options), minimumPosition(input, labels, index, options), maximumPosition(input, labels, index, options)];
}

/** Median of the values of each label (scipy.ndimage.median), exact; see the module note for its memory. */
export function median(inputGiven: LazyArray, labelsGiven?: Labels, index?: Index, options?: MedianCallOptions): LazyArray {
  const { input, labels, list, form } = checkInput(inputGiven, labelsGiven, index, "median");
  if (options !== undefined && (options === null || typeof options !== "object")) throw new InvalidOptionError(`median: options must be an object, got ${JSON.stringify(options)}`);
  for (const key of Object.keys(options ?? {})) if (key !== "splitEvery" && key !== "maxValues") throw new InvalidOptionError(`median: unknown option "${key}"; median takes splitEvery and maxValues`);
  const { maxValues = defaultMaxValues, ...rest } = options ?? {};
  if (!Number.isSafeInteger(maxValues) || maxValues < 0) throw new InvalidOptionError(`median: maxValues must be a non-negative integer, got ${JSON.stringify(maxValues)}`);
  const splitEvery = checkSplitEvery("median", options === undefined ? undefined : rest);
  // One label (a scalar index, labels only, or none) is np.median of one group, not the index list's rule.
  const foldOptions: MedianOptions = { index: list, dtype: input.dtype, maxValues, ...(form.single ? { single: true } : {}) };
  // The root may hold every value of the labels measured: at most the array, at most maxValues.
  const partialBytes = Math.min(input.size, maxValues) * dtypeInfo(input.dtype).itemsize + 16 * list.length + 64;
  const steps = { partial: medianPartial, combine: medianCombine, finish: medianFinish, partialBytes };
  return singleLabel(fold("median", input, labels, steps, foldOptions, splitEvery, [list.length], medianDtype(input.dtype)), form);
}

/** Histogram of the values of each label (scipy.ndimage.histogram), int64 [n, bins]. */
export function histogram(inputGiven: LazyArray, min: number, max: number, bins: number, labelsGiven?: Labels, index?: Index, options?: MeasureCallOptions): LazyArray {
  const { input, labels, list, form } = checkInput(inputGiven, labelsGiven, index, "histogram");
  const range = checkHistogramRange(min, max, bins, "histogram");
  const splitEvery = checkSplitEvery("histogram", options);
  checkIndexFitsLabels(list, labels.dtype, "histogram");
  const foldOptions: HistogramOptions = { ...range, index: list };
  const steps = { partial: histogramPartial, combine: histogramCombine, finish: histogramFinish, partialBytes: 8 * list.length * (range.bins + 2) + 64 };
  return singleLabel(fold("histogram", input, labels, steps, foldOptions, splitEvery, [list.length, range.bins], "int64"), form);
}
