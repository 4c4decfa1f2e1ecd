/**
 * Evenly spaced values, exactly as NumPy 1.24 computes them, for a whole range or for any
 * piece of it (so a chunked range equals NumPy's, block by block):
 *
 *   arange: the first two values are start and start + step cast to the dtype; value i is
 *     first + i·delta in the dtype's arithmetic (delta = second − first), float32 rounding at
 *     every step, integers wrapping as NumPy's loops do;
 *   linspace: value i is i·step + start in float64 (step = (stop − start) / div, div = num − 1
 *     with the endpoint, num without; (i / div)·delta when the step underflows to 0), the last
 *     value is stop itself with the endpoint; integer dtypes take the floor, then the cast.
 */
import { InvalidOptionError } from "../core/errors.js";
import { definePublicBuiltin } from "./public-parameters.js";
import { castScalar } from "./cast-expressions.js";
import { type DType, type TypedArray, dtypeInfo, isBigIntDType, toDType } from "./dtype.js";
import { NDArray, checkBlockSize, empty } from "./ndarray.js";
import { refuseUnknownObjectKeys } from "./option-keys.js";

/** Writes the arange values of global indices offset … offset + count − 1 into `data`. */
export function fillRange(data: TypedArray, dtype: DType, start: number, step: number, offset: number, count: number): void {
  if (count === 0) return;
  const kind = dtypeInfo(dtype).kind;
  if (kind === "f") {
    const round = dtype === "float32" ? Math.fround : (x: number) => x;
    const first = round(start);
    const second = round(start + step);
    const delta = round(second - first);
    const values = data as Float64Array;
    for (let k = 0; k < count; k++) {
      const i = offset + k;
      values[k] = i === 0 ? first : i === 1 ? second : round(first + round(round(i) * delta));
    }
    return;
  }
  // The first two values are cast (C cast, wrapping) and the rest follow in the dtype's
  // arithmetic, which wraps on store.
  const first = castScalar(start, "float64", dtype);
  const second = castScalar(start + step, "float64", dtype);
  if (isBigIntDType(dtype)) {
    const values = data as BigInt64Array;
    const delta = (second as bigint) - (first as bigint);
    for (let k = 0; k < count; k++) values[k] = (first as bigint) + BigInt(offset + k) * delta;
    return;
  }
  const values = data as Int32Array;
  const delta = (second as number) - (first as number);
  // The low 32 bits of i·delta are exact with imul; the store keeps the dtype's low bits.
  for (let k = 0; k < count; k++) values[k] = (first as number) + Math.imul(offset + k, delta);
}

function checkRangePiece(offset: number, count: number, what: string): void {
  if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(count) || count < 0) {
    throw new InvalidOptionError(`${what}: offset ${offset} and count ${count} must be non-negative integers`);
  }
}

export interface RangeBlockOptions {
  start: number;
  step: number;
  /** Index of the block's first value in the whole range. */
  offset: number;
  count: number;
  dtype: DType | string;
}

const arangeBlockKeys = ["start", "step", "offset", "count", "dtype"];
const linspaceKeys = ["endpoint", "dtype"];
const linspaceBlockKeys = ["start", "stop", "num", "endpoint", "offset", "count", "dtype"];

/** Values offset … offset + count − 1 of `arange(start, ·, step)`: one block of a chunked range. */
export const arangeBlock = definePublicBuiltin("arangeBlock", function arangeBlock(options: RangeBlockOptions): NDArray {
  refuseUnknownObjectKeys(options, arangeBlockKeys, "arangeBlock");
  const dtype = toDType(options.dtype, "arangeBlock dtype");
  checkRangePiece(options.offset, options.count, "arangeBlock");
  checkBlockSize([options.count], dtype, "arangeBlock");
  const out = empty([options.count], dtype);
  fillRange(out.data, dtype, options.start, options.step, options.offset, options.count);
  return out;
});

export interface LinspaceOptions {
  /** Include stop as the last value (default true). */
  endpoint?: boolean;
  dtype?: DType | string;
}

/** One float64 value of NumPy's linspace before the cast (see the module comment). */
function linspaceValue(i: number, start: number, stop: number, num: number, endpoint: boolean): number {
  if (endpoint && num > 1 && i === num - 1) return stop;
  const div = endpoint ? num - 1 : num;
  const delta = stop - start;
  if (div <= 0) return i * delta + start;
  const step = delta / div;
  return (step === 0 ? (i / div) * delta : i * step) + start;
}

function fillLinspace(out: NDArray, start: number, stop: number, num: number, endpoint: boolean, offset: number): void {
  const dtype = out.dtype;
  const kind = dtypeInfo(dtype).kind;
  const data = out.data as Float64Array;
  for (let k = 0; k < out.size; k++) {
    let value = linspaceValue(offset + k, start, stop, num, endpoint);
    if (kind === "i" || kind === "u") value = Math.floor(value);
    const stored = dtype === "float64" ? value : castScalar(value, "float64", dtype);
    (data as unknown as Array<number | bigint>)[k] = stored;
  }
}

function checkLinspace(start: number, stop: number, num: number, what: string): void {
  if (typeof start !== "number" || typeof stop !== "number") throw new InvalidOptionError(`${what}: start and stop must be numbers, got ${String(start)} and ${String(stop)}`);
  if (!Number.isSafeInteger(num) || num < 0) throw new InvalidOptionError(`${what}: the number of samples ${num} must be a non-negative integer`);
}

/** `np.linspace(start, stop, num = 50, endpoint = true, dtype = float64)`. */
export const linspace = definePublicBuiltin("linspace", function linspace(start: number, stop: number, num = 50, options: LinspaceOptions = {}): NDArray {
  checkLinspace(start, stop, num, "linspace");
  refuseUnknownObjectKeys(options, linspaceKeys, "linspace");
  const dtype = toDType(options.dtype ?? "float64", "linspace dtype");
  checkBlockSize([num], dtype, "linspace");
  const out = empty([num], dtype);
  fillLinspace(out, start, stop, num, options.endpoint ?? true, 0);
  return out;
});

export interface LinspaceBlockOptions {
  start: number;
  stop: number;
  num: number;
  endpoint: boolean;
  offset: number;
  count: number;
  dtype: DType | string;
}

/** Values offset … offset + count − 1 of `linspace(start, stop, num)`: one block of a chunked one. */
export const linspaceBlock = definePublicBuiltin("linspaceBlock", function linspaceBlock(options: LinspaceBlockOptions): NDArray {
  refuseUnknownObjectKeys(options, linspaceBlockKeys, "linspaceBlock");
  checkLinspace(options.start, options.stop, options.num, "linspaceBlock");
  checkRangePiece(options.offset, options.count, "linspaceBlock");
  const dtype = toDType(options.dtype, "linspaceBlock dtype");
  checkBlockSize([options.count], dtype, "linspaceBlock");
  const out = empty([options.count], dtype);
  fillLinspace(out, options.start, options.stop, options.num, options.endpoint, options.offset);
  return out;
});
