/**
 * Copies between strided views of TypedArrays of one dtype: cutting edge chunks, gathering
 * regions from chunks, padding blocks into chunks. Strides are in elements. A source with all
 * strides 0 over one element broadcasts a value (the fill value of a missing chunk).
 */
import type { DType, TypedArray } from "../ndarray/dtype.js";
import { isBigIntDType } from "../ndarray/dtype.js";

export interface StridedView {
  data: TypedArray;
  strides: readonly number[];
  offset: number;
}

// Same-dtype copies only; the union type cannot express "the same kind on both sides".
type AnyElements = { [index: number]: number | bigint; set(source: ArrayLike<number | bigint>, offset: number): void };

export function copyStrided(source: StridedView, target: StridedView, shape: readonly number[]): void {
  const ndim = shape.length;
  if (shape.some((n) => n === 0)) return;
  const from = source.data as unknown as AnyElements;
  const to = target.data as unknown as AnyElements;
  if (ndim === 0) {
    to[target.offset] = from[source.offset];
    return;
  }
  const inner = shape[ndim - 1];
  const sourceStep = source.strides[ndim - 1];
  const targetStep = target.strides[ndim - 1];
  const contiguous = sourceStep === 1 && targetStep === 1;
  const index = new Array<number>(ndim - 1).fill(0);
  let sourceAt = source.offset;
  let targetAt = target.offset;
  while (true) {
    if (contiguous) {
      to.set(source.data.subarray(sourceAt, sourceAt + inner) as unknown as ArrayLike<number>, targetAt);
    } else {
      for (let i = 0, s = sourceAt, t = targetAt; i < inner; i++, s += sourceStep, t += targetStep) to[t] = from[s];
    }
    let axis = ndim - 2;
    for (; axis >= 0; axis--) {
      index[axis]++;
      sourceAt += source.strides[axis];
      targetAt += target.strides[axis];
      if (index[axis] < shape[axis]) break;
      sourceAt -= source.strides[axis] * shape[axis];
      targetAt -= target.strides[axis] * shape[axis];
      index[axis] = 0;
    }
    if (axis < 0) return;
  }
}

/** A view of one element repeated over any shape: the source for filling with a value. */
export function constantView(data: TypedArray, ndim: number): StridedView {
  return { data, strides: new Array<number>(ndim).fill(0), offset: 0 };
}

/** Fills a newly allocated (zeroed) TypedArray with a Zarr fill value; null reads as 0. */
export function fillWith(data: TypedArray, dtype: DType, value: number | null): void {
  const fill = value ?? 0;
  if (fill === 0) return; // new buffers start zeroed
  if (isBigIntDType(dtype)) (data as BigInt64Array).fill(BigInt(Math.trunc(fill)));
  else (data as Float64Array).fill(fill);
}
