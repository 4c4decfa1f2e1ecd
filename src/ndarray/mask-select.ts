/**
 * Boolean-mask indexing, NumPy's `a[..., mask, ...]`: a mask of k axes selects, in C order over
 * those axes, the positions where it is true; the result has those k axes replaced by one axis
 * of length (number of trues). The mask's shape must equal the shape of the axes it covers.
 */
import { InvalidOptionError } from "../core/errors.js";
import { definePublicBuiltin } from "./public-parameters.js";
import { normalizeAxis } from "./axes.js";
import { requireArray } from "./copy.js";
import { refuseUnknownObjectKeys } from "./option-keys.js";
import type { NDArray } from "./ndarray.js";
import { gatherRows } from "./take.js";

export interface MaskSelectOptions {
  /** The first axis the mask covers (default 0). */
  axis?: number;
}

const axisKey = ["axis"];

export const maskSelect = definePublicBuiltin("maskSelect", function maskSelect(a: NDArray, mask: NDArray, options: MaskSelectOptions = {}): NDArray {
  requireArray(a, "maskSelect");
  refuseUnknownObjectKeys(options, axisKey, "maskSelect");
  requireArray(mask, "maskSelect: mask");
  if (mask.dtype !== "bool") throw new InvalidOptionError(`maskSelect: the mask must have dtype bool, got ${mask.dtype}`);
  if (mask.ndim === 0) throw new InvalidOptionError("maskSelect: the mask must have at least one axis");
  const axis = normalizeAxis(options.axis ?? 0, a.ndim, "maskSelect");
  const k = mask.ndim;
  if (axis + k > a.ndim) {
    throw new InvalidOptionError(`maskSelect: a mask of ${k} axes starting at axis ${axis} does not fit an array of ${a.ndim} axes`);
  }
  mask.shape.forEach((n, i) => {
    if (n !== a.shape[axis + i]) {
      throw new InvalidOptionError(
        `maskSelect: boolean index did not match indexed array along axis ${axis + i}; the axis has ${a.shape[axis + i]} elements but the mask ${n}`,
      );
    }
  });
  const flags = mask.toTypedArray();
  // Offsets of the true positions, walking the mask in C order.
  const strides = a.strides.slice(axis, axis + k);
  const counter = new Array<number>(k).fill(0);
  const rows: number[] = [];
  let offset = 0;
  for (let i = 0; i < flags.length; i++) {
    if (flags[i] !== 0) rows.push(offset);
    for (let d = k - 1; d >= 0; d--) {
      offset += strides[d];
      if (++counter[d] < mask.shape[d]) break;
      offset -= strides[d] * mask.shape[d];
      counter[d] = 0;
    }
  }
  return gatherRows(a, axis, k, rows);
});
