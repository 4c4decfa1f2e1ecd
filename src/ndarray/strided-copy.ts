/**
 * Copies between strided views of TypedArrays of one dtype, without casting: assembling halos
 * and rechunked blocks, cutting edge chunks, gathering regions from chunks, padding blocks into
 * chunks. Strides are in elements. A source with all strides 0 over one element broadcasts a
 * value (the fill value of a missing chunk). For copies that cast, use `assign` (copy.ts).
 */
import type { TypedArray } from "./dtype.js";
import { coalesceAxes } from "./kernel-compiler.js";

export interface StridedView {
  data: TypedArray;
  strides: readonly number[];
  offset: number;
}

// Same-dtype copies only; the union type cannot express "the same kind on both sides".
type AnyElements = { [index: number]: number | bigint; set(source: ArrayLike<number | bigint>, offset: number): void };

/** Below this length a plain loop beats making a subarray view for set() (most halo rows). */
const shortRunLength = 16;

/** Copies `length` consecutive elements of `source` from `from` into `target` at `at`. */
export function copyRun(target: TypedArray, at: number, source: TypedArray, from: number, length: number): void {
  const to = target as unknown as AnyElements;
  if (length >= shortRunLength) {
    to.set(source.subarray(from, from + length) as unknown as ArrayLike<number>, at);
    return;
  }
  const values = source as unknown as AnyElements;
  for (let i = 0; i < length; i++) to[at + i] = values[from + i];
}

/**
 * Copies the elements of `shape` from `source` to `target`. Axes both views walk as one are
 * merged first, so a box of whole rows of a contiguous array is one run (one set()).
 */
export function copyStrided(source: StridedView, target: StridedView, shape: readonly number[]): void {
  if (shape.some((n) => n === 0)) return;
  const merged = coalesceAxes(shape, [source.strides, target.strides]);
  const lengths = merged.shape;
  const [sourceStrides, targetStrides] = merged.stridesList;
  const ndim = lengths.length;
  const from = source.data as unknown as AnyElements;
  const to = target.data as unknown as AnyElements;
  const inner = lengths[ndim - 1];
  const sourceStep = sourceStrides[ndim - 1];
  const targetStep = targetStrides[ndim - 1];
  const contiguous = sourceStep === 1 && targetStep === 1;
  const index = new Array<number>(ndim - 1).fill(0);
  let sourceAt = source.offset;
  let targetAt = target.offset;
  while (true) {
    if (contiguous) {
      copyRun(target.data, targetAt, source.data, sourceAt, inner);
    } else {
      for (let i = 0, s = sourceAt, t = targetAt; i < inner; i++, s += sourceStep, t += targetStep) to[t] = from[s];
    }
    let axis = ndim - 2;
    for (; axis >= 0; axis--) {
      index[axis]++;
      sourceAt += sourceStrides[axis];
      targetAt += targetStrides[axis];
      if (index[axis] < lengths[axis]) break;
      sourceAt -= sourceStrides[axis] * lengths[axis];
      targetAt -= targetStrides[axis] * lengths[axis];
      index[axis] = 0;
    }
    if (axis < 0) return;
  }
}

/** A view of one element repeated over any shape: the source for filling with a value. */
export function constantView(data: TypedArray, ndim: number): StridedView {
  return { data, strides: new Array<number>(ndim).fill(0), offset: 0 };
}
