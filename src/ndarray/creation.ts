/**
 * Creating arrays: zeros, ones, full, arange, array (from JS values) and fromTypedArray (wrap
 * without copying).
 *
 * Default dtypes: JS numbers are IEEE doubles and carry no int/float distinction, so values
 * given as numbers default to float64 (NumPy would pick int64 for Python ints); bigints give
 * int64 and booleans bool. Pass a dtype to choose. Storing a value follows NumPy 2: an integer
 * outside an integer dtype's range is an error, a fractional number is truncated toward zero,
 * NaN or an infinity cannot become an integer.
 */
import { generatedArray } from "./block-recycling.js";
import { InvalidOptionError } from "../core/errors.js";
import { defineBuiltin } from "../core/builtin.js";
import { definePublicBuiltin } from "./public-parameters.js";
import { type DType, type TypedArray, dtypeInfo, dtypeOfTypedArray, isBigIntDType, isComplexDType, toDType } from "./dtype.js";
import { refuseComplex } from "./complex-refusal.js";
import { castScalar } from "./cast-expressions.js";
import { astype } from "./copy.js";
import { type ComplexValue, NDArray, type NestedArray, type Shape, allocate, checkBlockSize, empty, shapeSize, validateShape } from "./ndarray.js";
import { isComplexValue, storeComplex } from "./complex-values.js";
import { integerFits, integerRange } from "./promotion.js";
import { fillRange } from "./ranges.js";
import { refuseUnknownKeys, refuseUnknownObjectKeys } from "./option-keys.js";

export type Scalar = number | bigint | boolean;

/** What may fill an element: a Scalar, or a complex value `{ re, im }` (complex dtypes). */
type Fill = Scalar | ComplexValue;

/** A dtype given directly or as `{ dtype }`, the form the lazy layer passes. */
export type DTypeOption = DType | string | { dtype?: DType | string };

function readDTypeOption(option: DTypeOption | undefined, fallback: DType, operation: string): DType {
  if (option === undefined) return fallback;
  if (typeof option === "object" && option !== null) {
    // { dtyp: "int8" } would otherwise give the fallback dtype without a word.
    refuseUnknownKeys(option, dtypeKey, operation);
    return option.dtype === undefined ? fallback : toDType(option.dtype, `${operation}: dtype`);
  }
  return toDType(option, `${operation}: dtype`);
}

const dtypeKey = ["dtype"];
const arrayKeys = ["shape", "dtype"];

function checkShape(shape: Shape, what: string): void {
  if (!Array.isArray(shape)) throw new InvalidOptionError(`${what}: shape must be an array of integers, got ${String(shape)}`);
  validateShape(shape, `${what}: shape`);
}

/** The dtype NumPy-like code gives a lone JS value (see the module comment). */
function defaultDTypeOf(value: Scalar): DType {
  if (typeof value === "boolean") return "bool";
  return typeof value === "bigint" ? "int64" : "float64";
}

/** `value` converted for storage in `dtype` (a number, or a bigint for int64/uint64). */
function storableValue(value: Scalar, dtype: DType, what: string): number | bigint {
  const kind = dtypeInfo(dtype).kind;
  if (typeof value === "boolean") return castScalar(value ? 1 : 0, "bool", dtype);
  if (kind === "b") return value !== 0 && value !== 0n ? 1 : 0;
  if (kind === "f") return typeof value === "bigint" ? castScalar(value, "int64", "float64") : value;
  if (typeof value === "number" && !Number.isFinite(value)) {
    throw new InvalidOptionError(`${what}: cannot store ${value} in an integer dtype (${dtype})`);
  }
  const integral = typeof value === "number" ? Math.trunc(value) : value;
  if (!integerFits(integral, dtype)) {
    const [low, high] = integerRange(dtype);
    throw new InvalidOptionError(`${what}: ${value} is out of bounds for ${dtype} (${low} to ${high})`);
  }
  return isBigIntDType(dtype) ? BigInt(integral) : Number(integral);
}

/** An array of `shape` filled with `value`. */
export const full = definePublicBuiltin("full", function full(shape: Shape, value: Fill, dtype?: DTypeOption): NDArray {
  checkShape(shape, "full");
  // An object, string or undefined would fill NaN (or a coerced number) without a word.
  if (!["number", "bigint", "boolean"].includes(typeof value) && !isComplexValue(value)) {
    throw new InvalidOptionError(`full: the fill value must be a number, bigint, boolean or complex { re, im }, got ${JSON.stringify(value) ?? String(value)}`);
  }
  const resolved = readDTypeOption(dtype, isComplexValue(value) ? "complex128" : defaultDTypeOf(value as Scalar), "full");
  checkBlockSize(shape, resolved, "full");
  if (isComplexDType(resolved) || isComplexValue(value)) {
    const out = empty(shape, resolved);
    storeComplex(out, Array.from({ length: out.size }, () => value), "full");
    return out;
  }
  const stored = storableValue(value as Scalar, resolved, "full");
  // A recycled buffer (block-recycling.ts) holds an old block: it is filled even with zeros.
  const { array: out, zeroed } = generatedArray(shape, resolved);
  // Object.is: a fresh zeroed buffer holds +0, not the -0 that np.full(shape, -0.0) gives.
  if (!zeroed || (!Object.is(stored, 0) && stored !== 0n)) (out.data as Float64Array).fill(stored as number);
  return out;
});

export const zeros = definePublicBuiltin("zeros", function zeros(shape: Shape, dtype?: DTypeOption): NDArray {
  checkShape(shape, "zeros");
  const resolved = readDTypeOption(dtype, "float64", "zeros");
  checkBlockSize(shape, resolved, "zeros");
  return empty(shape, resolved);
});

export const ones = definePublicBuiltin("ones", function ones(shape: Shape, dtype?: DTypeOption): NDArray {
  checkShape(shape, "ones");
  const resolved = readDTypeOption(dtype, "float64", "ones");
  checkBlockSize(shape, resolved, "ones");
  return full(shape, 1, resolved);
});

/**
 * Evenly spaced values in [start, stop): `arange(stop)`, `arange(start, stop, step?)`, with an
 * optional dtype last (default float64). Values are computed as NumPy does: the first two are
 * start and start + step cast to the dtype, the rest start + i·delta in the dtype's arithmetic
 * (integer dtypes wrap like NumPy 1.24 does for values out of their range).
 */
export const arange = defineBuiltin("ndarray.arange", function arange(...args: Array<number | DTypeOption | undefined>): NDArray {
  const numbers: number[] = [];
  let dtypeOption: DTypeOption | undefined;
  for (const arg of args) {
    if (typeof arg === "number") {
      if (dtypeOption !== undefined) throw new InvalidOptionError("arange: the dtype comes after start, stop and step");
      numbers.push(arg);
    } else if (arg !== undefined) dtypeOption = arg;
  }
  if (numbers.length < 1 || numbers.length > 3) {
    throw new InvalidOptionError(`arange: expected (stop), (start, stop) or (start, stop, step), got ${numbers.length} numbers`);
  }
  const [start, stop, step] = numbers.length === 1 ? [0, numbers[0], 1] : [numbers[0], numbers[1], numbers[2] ?? 1];
  if (step === 0) throw new InvalidOptionError("arange: step must not be 0");
  if (![start, stop, step].every(Number.isFinite)) throw new InvalidOptionError(`arange: start ${start}, stop ${stop} and step ${step} must be finite`);
  const dtype = readDTypeOption(dtypeOption, "float64", "arange");
  if (dtype === "bool") throw new InvalidOptionError("arange: a bool range is not supported; use another dtype");
  refuseComplex("arange", dtype);
  const length = Math.max(0, Math.ceil((stop - start) / step));
  checkBlockSize([length], dtype, `arange(${start}, ${stop}, ${step})`);
  const out = empty([length], dtype);
  fillRange(out.data, dtype, start, step, 0, length);
  return out;
});

export interface ArrayOptions {
  shape?: Shape;
  dtype?: DType | string;
}

function isTypedArray(value: unknown): value is TypedArray {
  return ArrayBuffer.isView(value) && !(value instanceof DataView);
}

/** Shape and flat values of nested JS arrays; ragged input is refused. */
function flattenNested(data: NestedArray): { shape: number[]; values: Fill[] } {
  const shape: number[] = [];
  for (let level: NestedArray = data; Array.isArray(level); level = level[0]) {
    shape.push(level.length);
    if (level.length === 0) break;
  }
  const values: Fill[] = [];
  const walk = (item: NestedArray, axis: number, path: string) => {
    if (axis === shape.length) {
      if (Array.isArray(item)) throw new InvalidOptionError(`array: nested arrays are ragged at ${path}: expected a value, found a list`);
      if (!["number", "bigint", "boolean"].includes(typeof item) && !isComplexValue(item)) {
        throw new InvalidOptionError(`array: element at ${path} is ${String(item)}; use numbers, bigints, booleans or { re, im }`);
      }
      values.push(item);
      return;
    }
    if (!Array.isArray(item) || item.length !== shape[axis]) {
      throw new InvalidOptionError(`array: nested arrays are ragged at ${path}: expected ${shape[axis]} items along axis ${axis}`);
    }
    item.forEach((child, i) => walk(child, axis + 1, `${path}[${i}]`));
  };
  walk(data, 0, "data");
  return { shape, values };
}

function inferDType(values: readonly Fill[]): DType {
  if (values.some(isComplexValue)) return "complex128";
  if (values.length > 0 && values.every((v) => typeof v === "boolean")) return "bool";
  if (values.length > 0 && values.every((v) => typeof v === "bigint")) return "int64";
  return "float64";
}

/**
 * A new array from JS values: nested arrays, a flat array or TypedArray with `shape`, a scalar
 * (0-d), or another NDArray (copied). Always copies.
 */
export const array = definePublicBuiltin("array", function array(data: NestedArray | TypedArray | NDArray, options: ArrayOptions = {}): NDArray {
  refuseUnknownObjectKeys(options, arrayKeys, "array");
  if (data instanceof NDArray) {
    const converted = astype(data, options.dtype === undefined ? data.dtype : toDType(options.dtype, "array: dtype"));
    if (options.shape === undefined) return converted;
    checkShape(options.shape, "array");
    if (shapeSize(options.shape) !== converted.size) {
      throw new InvalidOptionError(`array: ${converted.size} values cannot take shape [${options.shape.join(", ")}] (size ${shapeSize(options.shape)})`);
    }
    return new NDArray(converted.storage, options.shape, { dtype: converted.dtype });
  }
  if (isTypedArray(data)) {
    const source = fromTypedArray(data);
    if (options.dtype !== undefined && isComplexDType(toDType(options.dtype, "array: dtype"))) {
      throw new InvalidOptionError("array: a TypedArray holds real values; build complex arrays with nd.complex(re, im) or fromTypedArray(interleaved, shape, { dtype })");
    }
    const shape = options.shape ?? source.shape;
    checkShape(shape, "array");
    if (shapeSize(shape) !== source.size) {
      throw new InvalidOptionError(`array: ${source.size} values cannot take shape [${shape.join(", ")}] (size ${shapeSize(shape)})`);
    }
    const dtype = options.dtype === undefined ? source.dtype : toDType(options.dtype, "array: dtype");
    const converted = astype(source, dtype);
    return new NDArray(converted.storage, shape, { dtype });
  }
  const flat = flattenNested(data);
  let shape = flat.shape;
  if (options.shape !== undefined) {
    checkShape(options.shape, "array");
    if (shapeSize(options.shape) !== flat.values.length) {
      throw new InvalidOptionError(
        `array: ${flat.values.length} values cannot take shape [${options.shape.join(", ")}] (size ${shapeSize(options.shape)})`,
      );
    }
    shape = [...options.shape];
  }
  const dtype = options.dtype === undefined ? inferDType(flat.values) : toDType(options.dtype, "array: dtype");
  const out = new NDArray(allocate(dtype, flat.values.length), shape, { dtype });
  if (isComplexDType(dtype)) {
    storeComplex(out, flat.values, "array");
    return out;
  }
  const target = out.data as Float64Array;
  flat.values.forEach((value, i) => {
    if (isComplexValue(value)) throw new InvalidOptionError(`array: a complex value cannot be stored in ${dtype}; pass dtype complex64 or complex128`);
    target[i] = storableValue(value, dtype, "array") as number;
  });
  return out;
});

/**
 * Wraps a TypedArray without copying. The dtype is the storage's (a Uint8Array reads as uint8;
 * pass `{ dtype: "bool" }` for booleans); `shape` defaults to one axis over all elements.
 * With `{ dtype: "complex64" | "complex128" }` a Float32Array / Float64Array holds interleaved
 * (re, im) pairs, NumPy's memory layout: twice as many slots as elements.
 */
export function fromTypedArray(typed: TypedArray, shape?: Shape, options: { dtype?: DType | string } = {}): NDArray {
  if (!isTypedArray(typed)) throw new InvalidOptionError(`fromTypedArray: expected a TypedArray, got ${String(typed)}`);
  refuseUnknownObjectKeys(options, dtypeKey, "fromTypedArray");
  const dtype = options.dtype === undefined ? dtypeOfTypedArray(typed) : toDType(options.dtype, "fromTypedArray: dtype");
  const lanes = dtypeInfo(dtype).lanes;
  if (typed.length % lanes !== 0) throw new InvalidOptionError(`fromTypedArray: ${dtype} needs an even number of slots (re, im pairs), got ${typed.length}`);
  const resolvedShape = shape ?? [typed.length / lanes];
  checkShape(resolvedShape, "fromTypedArray");
  if (shapeSize(resolvedShape) * lanes !== typed.length) {
    throw new InvalidOptionError(
      `fromTypedArray: ${typed.length / lanes} elements cannot take shape [${resolvedShape.join(", ")}] (size ${shapeSize(resolvedShape)})`,
    );
  }
  return new NDArray(typed, resolvedShape, { dtype });
}
