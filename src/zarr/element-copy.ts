/**
 * Chunk copies and fills that hold for every dtype tessera stores in Zarr, complex included.
 * A complex element is two storage slots (re, im): a strided view in elements becomes one in
 * slots with the strides and offset doubled and a trailing pair axis of stride 1, so the real
 * copy loop (strided-copy.ts) moves whole elements. A complex fill value is `{ re, im }` (Zarr
 * writes it as [re, im]).
 */
import { type DType, type TypedArray, dtypeInfo, isBigIntDType, isComplexDType } from "../ndarray/dtype.js";
import type { ComplexValue } from "../ndarray/ndarray.js";
import { type StridedView, copyStrided } from "../ndarray/strided-copy.js";

/** A fill value as the metadata holds it: a number (a bigint for int64 / uint64 past 2^53), { re, im } for complex, or null. */
export type ZarrFillValue = number | bigint | ComplexValue | null;

/** Copies the elements of `shape` (strides and offsets in elements) of a dtype with `lanes` slots each. */
export function copyElements(source: StridedView, target: StridedView, shape: readonly number[], lanes: number): void {
  if (lanes === 1) return copyStrided(source, target, shape);
  const inSlots = (view: StridedView): StridedView => ({ data: view.data, strides: [...view.strides.map((stride) => stride * lanes), 1], offset: view.offset * lanes });
  copyStrided(inSlots(source), inSlots(target), [...shape, lanes]);
}

/** re and im of a complex fill value (a number is re + 0j; null reads as 0). */
function complexFill(value: ZarrFillValue): [number, number] {
  if (value === null) return [0, 0];
  if (typeof value === "object") return [value.re, value.im];
  return [Number(value), 0];
}

/** Whether a fill value is +0 (what a new, zeroed buffer already holds; -0.0 is not: its sign bit is stored). */
export function isZeroFill(value: ZarrFillValue): boolean {
  if (value === null) return true;
  if (typeof value === "object") return Object.is(value.re, 0) && Object.is(value.im, 0);
  return Object.is(value, 0) || value === 0n;
}

/** Fills every element of a buffer of `dtype` (storage slots, complex pairs included) with a fill value. */
export function fillElements(data: TypedArray, dtype: DType, value: ZarrFillValue): void {
  if (isComplexDType(dtype)) {
    const [re, im] = complexFill(value);
    const slots = data as Float64Array;
    for (let i = 0; i < slots.length; i += 2) {
      slots[i] = re;
      slots[i + 1] = im;
    }
    return;
  }
  const fill = value as number | bigint | null;
  // A bigint fill value is exact (past 2^53); a number one was an integer within 2^53.
  if (isBigIntDType(dtype)) (data as BigInt64Array).fill(typeof fill === "bigint" ? fill : BigInt(Math.trunc(fill ?? 0)));
  else (data as Float64Array).fill(Number(fill ?? 0));
}

/** Storage slots per element of `dtype`. */
export function lanesOf(dtype: DType): number {
  return dtypeInfo(dtype).lanes;
}
