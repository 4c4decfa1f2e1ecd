/**
 * The block step of binaryFillHoles on chunked arrays: with the background labelled across
 * chunks and the labels of the background reachable from outside the array known (`seeds`),
 * a cell is filled when it is foreground or background of an unreached label.
 */
import { defineBuiltin } from "../core/builtin.js";
import { NDArray, allocate, isNDArray } from "../ndarray/ndarray.js";
import { valuesOf } from "./label-groups.js";

export interface FillHolesBlockOptions {
  /** Labels of background components that touch the outside (through the structure). */
  seeds: number[];
}

/** `seeds`: the options, or (many seeds) a 1-D array of them that every block's task shares. */
export const fillHolesBlock = defineBuiltin("ndimage.fillHolesBlock", function fillHolesBlock(mask: NDArray, backgroundLabels: NDArray, seeds: FillHolesBlockOptions | NDArray): NDArray {
  const reached = new Set(isNDArray(seeds) ? valuesOf(seeds) : seeds.seeds);
  const foreground = valuesOf(mask);
  const labels = valuesOf(backgroundLabels);
  const out = allocate("bool", foreground.length) as Uint8Array;
  for (let p = 0; p < out.length; p++) out[p] = foreground[p] !== 0 || (labels[p] > 0 && !reached.has(labels[p])) ? 1 : 0;
  return new NDArray(out, [...mask.shape], { dtype: "bool" });
});
