/**
 * The block steps of the chunked `minimumPosition` and `maximumPosition` (tessera/array): each
 * block of values and labels gives, per entry of the index list, its smallest and largest value
 * with their flat C-order positions in the whole array (position-scan.ts); partials are combined
 * by the same rule, ties going to the smaller position, so the result is the first position in C
 * order whatever the chunking — block order is not C order once there are two axes. The finish
 * gives int64 coordinates [n, ndim]; a label without cells gives zeros, as scipy's.
 */
import { defineBuiltin } from "../core/builtin.js";
import type { DType } from "../ndarray/dtype.js";
import { NDArray, allocate } from "../ndarray/ndarray.js";
import { LabelSlots, valuesOf } from "./label-groups.js";
import { type PositionScan, type Scalar, beats, emptyScan, scanBox, unravel } from "./position-scan.js";

export interface PositionOptions {
  /** The labels measured, one result entry each (scipy's index list). */
  index: number[];
  /** The input values' dtype. */
  dtype: DType;
  /** The whole array's shape (positions are flat in it). */
  shape: number[];
  result: "minimumPosition" | "maximumPosition";
}

export interface PositionPartial {
  seen: NDArray;
  minima: NDArray;
  maxima: NDArray;
  minimaAt: NDArray;
  maximaAt: NDArray;
}

function pack(scan: PositionScan, dtype: DType): PositionPartial {
  const n = scan.seen.length;
  const values = (list: Scalar[]) => {
    const data = allocate(dtype, n) as unknown as Scalar[];
    for (let i = 0; i < n; i++) if (scan.seen[i]) data[i] = list[i];
    return new NDArray(data as unknown as Float64Array, [n], { dtype });
  };
  return {
    seen: new NDArray(scan.seen, [n], { dtype: "uint8" }),
    minima: values(scan.minima), maxima: values(scan.maxima),
    minimaAt: new NDArray(scan.minimaAt, [n], { dtype: "float64" }), maximaAt: new NDArray(scan.maximaAt, [n], { dtype: "float64" }),
  };
}

/** One block's partial; `origin` is the block's first cell in the whole array. */
export const positionPartial = defineBuiltin("ndimage.positionPartial", function positionPartial(
  values: NDArray, labels: NDArray, options: PositionOptions, origin: number[],
): PositionPartial {
  const slots = new LabelSlots(options.index);
  const raw = values.toTypedArray() as ArrayLike<Scalar>;
  return pack(scanBox(raw, slots.slotsOfCells(valuesOf(labels)), slots.size, values.shape, origin, options.shape, false), options.dtype);
});

/** Partials combined: per slot the better candidate by value, then by position. */
export const positionCombine = defineBuiltin("ndimage.positionCombine", function positionCombine(partials: PositionPartial[], options: PositionOptions): PositionPartial {
  const n = partials[0].seen.size;
  const scan = emptyScan(n);
  for (const partial of partials) {
    const seen = partial.seen.data as Uint8Array;
    const minima = partial.minima.data as unknown as Scalar[];
    const maxima = partial.maxima.data as unknown as Scalar[];
    const minimaAt = partial.minimaAt.data as Float64Array;
    const maximaAt = partial.maximaAt.data as Float64Array;
    for (let slot = 0; slot < n; slot++) {
      if (!seen[slot]) continue;
      if (!scan.seen[slot]) {
        scan.seen[slot] = 1;
        [scan.minima[slot], scan.maxima[slot], scan.minimaAt[slot], scan.maximaAt[slot]] = [minima[slot], maxima[slot], minimaAt[slot], maximaAt[slot]];
        continue;
      }
      if (beats(minima[slot], minimaAt[slot], scan.minima[slot], scan.minimaAt[slot], true, false)) [scan.minima[slot], scan.minimaAt[slot]] = [minima[slot], minimaAt[slot]];
      if (beats(maxima[slot], maximaAt[slot], scan.maxima[slot], scan.maximaAt[slot], false, false)) [scan.maxima[slot], scan.maximaAt[slot]] = [maxima[slot], maximaAt[slot]];
    }
  }
  return pack(scan, options.dtype);
});

/** int64 coordinates [n, ndim] of each index entry's minimum or maximum. */
export const positionFinish = defineBuiltin("ndimage.positionFinish", function positionFinish(partial: PositionPartial, options: PositionOptions): NDArray {
  const seen = partial.seen.data as Uint8Array;
  const at = (options.result === "minimumPosition" ? partial.minimaAt : partial.maximaAt).data as Float64Array;
  const slots = new LabelSlots(options.index).slotsOfIndex();
  const ndim = options.shape.length;
  const out = new BigInt64Array(slots.length * ndim);
  slots.forEach((slot, i) => {
    if (seen[slot]) unravel(at[slot], options.shape).forEach((coordinate, axis) => (out[i * ndim + axis] = BigInt(coordinate)));
  });
  return new NDArray(out, [slots.length, ndim], { dtype: "int64" });
});
