/**
 * `ta.ndimage.labeledComprehension`: dask-image's ndmeasure.labeled_comprehension, the user's
 * function of each label's values on a chunked array. A fold (block-fold.ts) gathers each
 * label's values with their positions block by block, where the blocks live
 * (ndimage/comprehension-partials.ts); its last step puts them in C order and calls the user's
 * function, which travels by its source (user-function-source.ts). Equal to the eager
 * labeledComprehension on the whole array: the function sees the same values in the same order.
 *
 * Labels and index take scipy's and dask-image's forms (label-index-forms.ts). The fold's root
 * holds every value of the labels measured: at most `maxValues` (default 2²⁶, 16 bytes each),
 * which the plan's memory check sees as the root's size; more fails naming the option.
 */
import { InvalidOptionError } from "../core/errors.js";
import { tokenize } from "../core/ids.js";
import { dtypes, type DType } from "../ndarray/dtype.js";
import { type ComprehensionOptions, comprehensionCombine, comprehensionPartial } from "../ndimage/comprehension-partials.js";
import { checkIndexFitsLabels } from "../ndimage/extrema.js";
import { LazyArray } from "./array.js";
import { BlockFoldExpr } from "./block-fold.js";
import { type LabelIndex, labelForm, singleLabel } from "./label-index-forms.js";
import { type Labels, type MeasureCallOptions, checkLabels, checkSplitEvery, indexList } from "./ndimage-measurements.js";
import { ndimageCallWithUserFunction, userFunctionSource } from "./user-function-source.js";

export interface ComprehensionCallOptions extends MeasureCallOptions {
  /** The most values the labels measured may hold together (default 2²⁶); more throws. */
  maxValues?: number;
  /** Call `fn(values, positions)`, the positions in the flattened array (dask-image's pass_positions). */
  passPositions?: boolean;
}

const defaultMaxValues = 2 ** 26;

/**
 * `fn(values)` of each label in `index` (dask-image's labeled_comprehension), or
 * `fn(values, positions)` with `passPositions`, stored in `outDtype`; `defaultValue` where a label
 * has no cells.
 */
export function labeledComprehension(
  input: LazyArray, labels: Labels, index: LabelIndex, fn: (values: Float64Array, positions: Float64Array) => number, outDtype: DType, defaultValue: number,
  options: ComprehensionCallOptions = {},
): LazyArray {
  const what = "labeledComprehension";
  if (!(input instanceof LazyArray)) throw new InvalidOptionError(`${what} needs a tessera array; for an NDArray use ndimage.${what}`);
  const source = userFunctionSource(fn, what, "fn");
  if (!dtypes.includes(outDtype)) throw new InvalidOptionError(`${what}: outDtype ${JSON.stringify(outDtype)} is not a dtype`);
  if (typeof defaultValue !== "number") throw new InvalidOptionError(`${what}: defaultValue must be a number, got ${JSON.stringify(defaultValue)}`);
  if (options === null || typeof options !== "object") throw new InvalidOptionError(`${what}: options must be an object, got ${JSON.stringify(options)}`);
  const known = ["splitEvery", "maxValues", "passPositions"];
  for (const key of Object.keys(options)) if (!known.includes(key)) throw new InvalidOptionError(`${what}: unknown option "${key}"; ${what} takes ${known.join(", ")}`);
  const { maxValues = defaultMaxValues, passPositions = false, ...rest } = options;
  if (typeof passPositions !== "boolean") throw new InvalidOptionError(`${what}: passPositions must be true or false, got ${JSON.stringify(passPositions)}`);
  if (!Number.isSafeInteger(maxValues) || maxValues < 0) throw new InvalidOptionError(`${what}: maxValues must be a non-negative integer, got ${JSON.stringify(maxValues)}`);
  const splitEvery = checkSplitEvery(what, rest);
  const form = labelForm(input, labels, index, what);
  const labelArray = checkLabels(form.labels, input.shape, what);
  const list = indexList(form.index, what);
  checkIndexFitsLabels(list, labelArray.dtype, what);
  const foldOptions: ComprehensionOptions = { index: list, shape: [...input.shape], maxValues, outDtype, defaultValue, passPositions };
  const finish = ndimageCallWithUserFunction("labeledComprehensionFinish", "comprehensionFinish", source);
  // The root may hold every value of the labels measured with its position: at most the array, at most maxValues.
  const partialBytes = 16 * Math.min(input.size, maxValues) + 8 * list.length + 64;
  const steps = { partial: comprehensionPartial, combine: comprehensionCombine, finish, partialBytes, withOrigin: true };
  const shape = [list.length];
  return singleLabel(LazyArray.of({
    name: `${what}-${tokenize(input.name, labelArray.name, foldOptions, source, splitEvery)}`,
    shape, chunks: [shape], dtype: outDtype,
    expr: new BlockFoldExpr(input, steps, foldOptions, splitEvery, [labelArray]),
  }), form);
}
