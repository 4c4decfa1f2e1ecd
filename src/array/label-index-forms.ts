/**
 * The label and index forms of scipy.ndimage's measurements, on chunked arrays as dask-image
 * reads them (dask_image.ndmeasure._utils._norm_input_labels_index):
 *
 * - no labels (undefined or null): the whole array is one region;
 * - labels but no index: every cell with a label above 0 is one region (scipy's `labels > 0`);
 * - a single label (a number, or a 0-d index array): the result drops the label axis, as
 *   scipy's and dask-image's scalar results do (a 0-d array; [ndim] for a position or centre);
 * - a list or 1-d index array: one result per label, as before.
 *
 * The first two measure a region of label 1 in a uint8 label array made from the input's or the
 * labels' chunks, so the values are scipy's; the dtype is the list form's (dask-image's too):
 * float64 sums where scipy's unlabelled sum of integers keeps int64.
 */
import { InvalidOptionError } from "../core/errors.js";
import { isNDArray, type NDArray } from "../ndarray/ndarray.js";
import { LazyArray } from "./array.js";
import { filledLike } from "./like.js";

/** What the measurements take as `index`: a list or index array of labels, one label, or nothing. */
export type LabelIndex = readonly number[] | NDArray | number | null | undefined;

export interface LabelForm {
  labels: unknown;
  index: unknown;
  /** One label: the result's first axis (the labels') is dropped. */
  single: boolean;
}

/** dask-image's labels and index for `input`; the labels' checks stay with the measurement. */
export function labelForm(input: unknown, labels: unknown, index: unknown, what: string): LabelForm {
  if (labels === undefined || labels === null) {
    if (index !== undefined && index !== null) throw new InvalidOptionError(`${what}: an index needs labels; give the label array, or leave both out to measure the whole array`);
    if (!(input instanceof LazyArray)) return { labels, index, single: false };
    return { labels: LazyArray.of(filledLike(`${what} labels`, input, 1, { dtype: "uint8" })), index: [1], single: true };
  }
  if (index === undefined || index === null) {
    if (!(labels instanceof LazyArray)) return { labels, index, single: false };
    return { labels: labels.gt(0).astype("uint8"), index: [1], single: true };
  }
  if (typeof index === "number") return { labels, index: [index], single: true };
  if (isNDArray(index) && index.ndim === 0) return { labels, index: [Number(index.item())], single: true };
  return { labels, index, single: false };
}

/** The result for one label: its label axis dropped. */
export function singleLabel(result: LazyArray, form: LabelForm): LazyArray {
  return form.single ? result.reshape(result.shape.slice(1)) : result;
}
