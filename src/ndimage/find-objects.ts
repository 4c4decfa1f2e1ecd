/**
 * `findObjects`: scipy.ndimage.find_objects, the bounding box of every label 1…maxLabel as one
 * half-open range per axis (Python's slices), or null for a label that does not occur. Labels
 * below 1 or above maxLabel are ignored; maxLabel < 1 means the largest label present.
 */
import { InvalidOptionError } from "../core/errors.js";
import { formatBytes } from "../core/units.js";
import { refuseUnknownOptions } from "./option-names.js";
import { type NDArray } from "../ndarray/ndarray.js";
import { isIntegerDType } from "../ndarray/dtype.js";

export interface AxisRange {
  start: number;
  stop: number;
}

/**
 * The largest label findObjects takes. Its table holds 16 bytes per label and axis (in every
 * task of the chunked version) and its answer one entry per label, so a sparse label such as
 * 1e9 would need tens of GiB whatever the block size: it is refused before anything is allocated.
 */
export const findObjectsLabelLimit = 1 << 24;

/** Refuses a largest label over findObjectsLabelLimit, saying what it would cost and what to do. */
export function checkFindObjectsLabel(maxLabel: number, ndim: number, given: boolean): void {
  if (maxLabel <= findObjectsLabelLimit) return;
  const which = given ? `maxLabel ${maxLabel}` : `the largest label, ${maxLabel},`;
  throw new InvalidOptionError(
    `findObjects: ${which} needs a table of ${formatBytes(16 * maxLabel * ndim)} (16 bytes per label and axis, whatever the block size) ` +
      `and an answer of ${maxLabel} entries; it takes labels up to ${findObjectsLabelLimit}: relabel to consecutive labels 1…n first ` +
      "(as scipy users do with skimage.segmentation.relabel_sequential, or label the mask again), or pass a smaller maxLabel",
  );
}

export function findObjects(labels: NDArray, options: { maxLabel?: number } = {}): Array<AxisRange[] | null> {
  if (options === null || typeof options !== "object") throw new InvalidOptionError(`findObjects options must be an object, got ${JSON.stringify(options)}`);
  refuseUnknownOptions(options, ["maxLabel"], "findObjects", { max_label: "use maxLabel" });
  if (!isIntegerDType(labels.dtype)) {
    throw new InvalidOptionError(`findObjects needs an integer label array, got ${labels.dtype}`);
  }
  if (labels.ndim === 0) throw new InvalidOptionError("findObjects needs a label array with at least one dimension");
  const maxLabelOption = options.maxLabel ?? 0;
  if (!Number.isInteger(maxLabelOption)) throw new InvalidOptionError(`maxLabel ${JSON.stringify(maxLabelOption)} must be an integer`);
  checkFindObjectsLabel(maxLabelOption, labels.ndim, true);
  const flat = labels.toTypedArray();
  const values = typeof flat[0] === "bigint" ? Float64Array.from(flat as BigInt64Array, Number) : (flat as Float64Array);
  let maxLabel = maxLabelOption;
  if (maxLabel < 1) {
    maxLabel = 0;
    for (let i = 0; i < values.length; i++) if (values[i] > maxLabel) maxLabel = values[i];
    checkFindObjectsLabel(maxLabel, labels.ndim, false);
  }
  const ndim = labels.ndim;
  const low = new Float64Array(maxLabel * ndim).fill(Infinity);
  const high = new Float64Array(maxLabel * ndim).fill(-Infinity);
  const position = new Array<number>(ndim).fill(0);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value >= 1 && value <= maxLabel) {
      const at = (value - 1) * ndim;
      for (let a = 0; a < ndim; a++) {
        if (position[a] < low[at + a]) low[at + a] = position[a];
        if (position[a] > high[at + a]) high[at + a] = position[a];
      }
    }
    for (let a = ndim - 1; a >= 0; a--) {
      if (++position[a] < labels.shape[a]) break;
      position[a] = 0;
    }
  }
  const objects: Array<AxisRange[] | null> = [];
  for (let l = 0; l < maxLabel; l++) {
    if (low[l * ndim] === Infinity) {
      objects.push(null);
      continue;
    }
    objects.push(Array.from({ length: ndim }, (_, a) => ({ start: low[l * ndim + a], stop: high[l * ndim + a] + 1 })));
  }
  return objects;
}
