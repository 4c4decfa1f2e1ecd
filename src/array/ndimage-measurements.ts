/**
 * scipy.ndimage's per-label measurements on chunked arrays, as dask-image's ndmeasure: the
 * values and labels are read block by block where they live, each block gives a small partial
 * per label (ndimage/measure-partials.ts), and the partials are folded `splitEvery` at a time
 * into one result (block-fold.ts): nothing is gathered to the client.
 *
 * - `sumLabels` / `sum`, `mean`, `minimum`, `maximum` (index list → [n]) and `centerOfMass`
 *   (→ [n, ndim]) are lazy arrays with scipy's dtypes for an index list (float64; minimum and
 *   maximum keep the input's dtype; a label without cells gives 0, or NaN for mean and centre).
 *   Integer values give scipy's numbers exactly; float sums are accumulated per block in float64,
 *   so they may differ from scipy's single C-order pass in the last bits.
 * - `findObjects(labels)` computes (it returns a Promise, as scipy's list of slices has no lazy
 *   form here): the bounding box of every label 1…maxLabel, or null where a label is absent.
 *
 * These take labels and index in every form scipy and dask-image take (label-index-forms.ts):
 * none, labels only, one label, a list. Options the eager functions take and these do not are refused.
 */
import { InvalidOptionError } from "../core/errors.js";
import { tokenize } from "../core/ids.js";
import { type DType, isIntegerDType } from "../ndarray/dtype.js";
import { isNDArray } from "../ndarray/ndarray.js";
import type { AxisRange } from "../ndimage/index.js";
import { checkFindObjectsLabel } from "../ndimage/find-objects.js";
import {
  type MeasureKind, type MeasureOptions, type MeasureResult, measureCombine, measureFinish, measurePartial, objectBoundsCombine, objectBoundsFinish, objectBoundsPartial,
} from "../ndimage/measure-partials.js";
import { LazyArray, type ExecuteOptions } from "./array.js";
import { largestOf } from "./chunks.js";
import { BlockFoldExpr } from "./block-fold.js";
import { type LabelIndex, labelForm, singleLabel } from "./label-index-forms.js";

/** The label array, or none (undefined or null: the whole array is one region). */
export type Labels = LazyArray | null | undefined;

export interface MeasureCallOptions {
  /** Partials combined per task (default 16). */
  splitEvery?: number;
}

type Result = MeasureResult;
const kinds: Record<Result, MeasureKind> = {
  sum: "sums", mean: "sums", count: "sums", variance: "spread", standardDeviation: "spread", center: "centers", minimum: "extrema", maximum: "extrema",
};

export function checkSplitEvery(what: string, options: MeasureCallOptions | undefined): number {
  if (options === undefined) return 16;
  if (options === null || typeof options !== "object") throw new InvalidOptionError(`${what}: options must be an object, got ${JSON.stringify(options)}`);
  for (const key of Object.keys(options)) if (key !== "splitEvery") throw new InvalidOptionError(`${what}: unknown option "${key}"; ${what} takes splitEvery`);
  const splitEvery = options.splitEvery ?? 16;
  if (!Number.isInteger(splitEvery) || splitEvery < 2) throw new InvalidOptionError(`${what}: splitEvery must be an integer ≥ 2, got ${JSON.stringify(splitEvery)}`);
  return splitEvery;
}

export function indexList(index: unknown, what: string): number[] {
  // scipy shapes the results like an index array; the lazy results are [n] (or [n, …]), so only a 1-d index is read.
  if (isNDArray(index) && index.ndim !== 1) {
    throw new InvalidOptionError(`${what}: an index array must be 1-d, got shape [${index.shape.join(", ")}]; pass its labels flattened and reshape the result`);
  }
  const list = isNDArray(index) ? Array.from(index.toTypedArray() as ArrayLike<number | bigint>, Number) : index;
  if (!Array.isArray(list)) {
    throw new InvalidOptionError(`${what}: index must be a label, a list of labels or a 1-d index array; got ${JSON.stringify(index)}`);
  }
  for (const label of list) {
    if (typeof label !== "number" || !Number.isInteger(label)) throw new InvalidOptionError(`${what}: index ${JSON.stringify(label)} must hold integer labels`);
  }
  return [...(list as number[])];
}

export function checkLabels(labels: unknown, shape: readonly number[], what: string): LazyArray {
  if (!(labels instanceof LazyArray)) throw new InvalidOptionError(`${what}: labels must be a tessera array (wrap an NDArray with ta.fromArray)`);
  if (labels.shape.join() !== shape.join()) {
    throw new InvalidOptionError(`${what}: labels shape [${labels.shape.join(", ")}] differs from the input shape [${shape.join(", ")}]`);
  }
  if (!isIntegerDType(labels.dtype) && labels.dtype !== "bool") throw new InvalidOptionError(`${what}: labels must hold integers, got ${labels.dtype}`);
  return labels;
}

export function measure(result: Result, input: LazyArray, labelsGiven: Labels, index: LabelIndex, options: MeasureCallOptions | undefined, what: string): LazyArray {
  if (!(input instanceof LazyArray)) throw new InvalidOptionError(`${what} needs a tessera array; for an NDArray use ndimage.${what}`);
  const form = labelForm(input, labelsGiven, index, what);
  const labels = checkLabels(form.labels, input.shape, what);
  const splitEvery = checkSplitEvery(what, options);
  const list = indexList(form.index, what);
  const extrema = result === "minimum" || result === "maximum";
  // One group's minimum is NumPy's (NaN when any value is), not the index list's (measure-partials.ts).
  const foldOptions: MeasureOptions & { result: Result } = { index: list, kind: kinds[result], dtype: input.dtype, ndim: input.ndim, result, ...(extrema && form.single ? { single: true } : {}) };
  const dtype: DType = extrema ? input.dtype : result === "count" ? "int64" : "float64";
  const shape = result === "center" ? [list.length, input.ndim] : [list.length];
  const partialBytes = 8 * list.length * (3 + input.ndim) + 64;
  const steps = { partial: measurePartial, combine: measureCombine, finish: measureFinish, partialBytes, withOrigin: true };
  return singleLabel(LazyArray.of({
    name: `${what}-${tokenize(input.name, labels.name, foldOptions, splitEvery)}`,
    shape, chunks: shape.map((n) => [n]), dtype,
    expr: new BlockFoldExpr(input, steps, foldOptions, splitEvery, [labels]),
  }), form);
}

/** Sum of the values of each label in `index` (scipy.ndimage.sum_labels), float64 [n]. */
export const sumLabels = (input: LazyArray, labels?: Labels, index?: LabelIndex, options?: MeasureCallOptions): LazyArray =>
  measure("sum", input, labels, index, options, "sumLabels");
/** scipy.ndimage.sum is sum_labels. */
export const sum = sumLabels;
/** Mean of the values of each label (scipy.ndimage.mean), float64 [n]; NaN for a label without cells. */
export const mean = (input: LazyArray, labels?: Labels, index?: LabelIndex, options?: MeasureCallOptions): LazyArray =>
  measure("mean", input, labels, index, options, "mean");
/** Smallest value of each label (scipy.ndimage.minimum) in the input's dtype; 0 for a label without cells. */
export const minimum = (input: LazyArray, labels?: Labels, index?: LabelIndex, options?: MeasureCallOptions): LazyArray =>
  measure("minimum", input, labels, index, options, "minimum");
/** Largest value of each label (scipy.ndimage.maximum) in the input's dtype; 0 for a label without cells. */
export const maximum = (input: LazyArray, labels?: Labels, index?: LabelIndex, options?: MeasureCallOptions): LazyArray =>
  measure("maximum", input, labels, index, options, "maximum");
/** Centre of mass of each label (scipy.ndimage.center_of_mass), float64 [n, ndim]. */
export const centerOfMass = (input: LazyArray, labels?: Labels, index?: LabelIndex, options?: MeasureCallOptions): LazyArray =>
  measure("center", input, labels, index, options, "centerOfMass");

export interface FindObjectsCallOptions extends MeasureCallOptions, ExecuteOptions {
  /** The largest label looked for (scipy's max_label); below 1 or absent: the largest label present. */
  maxLabel?: number;
}

/**
 * Bounding boxes of labels 1…maxLabel (scipy.ndimage.find_objects) as half-open ranges per axis,
 * null for a label that does not occur; computed on the executor (a first pass finds the
 * largest label when maxLabel is not given).
 */
export async function findObjects(labels: LazyArray, options: FindObjectsCallOptions = {}): Promise<Array<AxisRange[] | null>> {
  if (!(labels instanceof LazyArray)) throw new InvalidOptionError("findObjects needs a tessera array; for an NDArray use ndimage.findObjects");
  const { maxLabel: maxLabelOption, splitEvery: split, ...execute } = options;
  const splitEvery = checkSplitEvery("findObjects", split === undefined ? undefined : { splitEvery: split });
  for (const key of Object.keys(execute)) {
    if (!["executor", "label", "priority", "resources", "retries", "signal"].includes(key)) throw new InvalidOptionError(`findObjects: unknown option "${key}"`);
  }
  if (!isIntegerDType(labels.dtype)) throw new InvalidOptionError(`findObjects needs an integer label array, got ${labels.dtype}`);
  if (labels.ndim === 0) throw new InvalidOptionError("findObjects needs a label array with at least one dimension");
  if (maxLabelOption !== undefined && !Number.isInteger(maxLabelOption)) throw new InvalidOptionError(`findObjects: maxLabel ${JSON.stringify(maxLabelOption)} must be an integer`);
  checkFindObjectsLabel(maxLabelOption ?? 0, labels.ndim, true);
  let maxLabel = maxLabelOption ?? 0;
  if (maxLabel < 1) {
    maxLabel = labels.size === 0 ? 0 : Math.max(0, Number((await labels.max().compute(execute)).item()));
    checkFindObjectsLabel(maxLabel, labels.ndim, false);
  }
  if (maxLabel === 0) return [];
  const foldOptions = { maxLabel, ndim: labels.ndim };
  // A partial holds a row per label its blocks hold (measure-partials.ts): at most maxLabel, at most their cells.
  const blockCells = labels.chunks.reduce((cells, sizes) => cells * Math.max(1, largestOf(sizes)), 1);
  const partialBytes = 8 * (1 + 2 * labels.ndim) * Math.min(maxLabel, blockCells * splitEvery) + 64;
  const steps = { partial: objectBoundsPartial, combine: objectBoundsCombine, finish: objectBoundsFinish, partialBytes, withOrigin: true };
  const shape = [maxLabel, labels.ndim, 2];
  const bounds = await LazyArray.of({
    name: `findObjects-${tokenize(labels.name, foldOptions, splitEvery)}`,
    shape, chunks: shape.map((n) => [n]), dtype: "float64",
    expr: new BlockFoldExpr(labels, steps, foldOptions, splitEvery),
  }).compute(execute);
  const data = bounds.data as Float64Array;
  return Array.from({ length: maxLabel }, (_, l) => {
    const at = l * labels.ndim * 2;
    if (data[at] === Infinity) return null;
    return Array.from({ length: labels.ndim }, (_, axis) => ({ start: data[at + 2 * axis], stop: data[at + 2 * axis + 1] + 1 }));
  });
}
