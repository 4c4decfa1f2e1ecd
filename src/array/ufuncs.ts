/**
 * NumPy's elementwise functions on lazy arrays (dask.array's ufunc wrappers): each is the
 * ndarray function of the same name applied block by block, with NumPy's dtypes, broadcasting,
 * NaN handling and integer rules (floorDivide and remainder by zero give 0, remainder takes the
 * divisor's sign). Operands are tessera arrays or scalars; scalars follow NEP 50, as in ndarray.
 */
import { InvalidOptionError } from "../core/errors.js";
import * as nd from "../ndarray/index.js";
import { refuseExtraArguments } from "../ndarray/binary-builtin.js";
import { iscloseTolerances } from "../ndarray/isclose.js";
import { LazyArray } from "./array.js";
import { elementwiseNode, type ElementwiseOperand } from "./elementwise.js";
import { nonzero } from "./nonzero.js";

type Operand = LazyArray | number | bigint | boolean;

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
const apply = (fn: Function, operands: ElementwiseOperand[], options?: Record<string, unknown>): LazyArray =>
  LazyArray.of(elementwiseNode(fn, operands, undefined, options));

// Each refuses an argument beyond its operands (an options object NumPy's keywords would be:
// `ta.add(x, y, { dtype: "float32" })` must not give float64 unseen), as its eager twin does.
export const strictBinary = (name: string, fn: (a: nd.NDArray, b: nd.NDArray) => nd.NDArray) => (a: Operand, b: Operand, ...extra: unknown[]): LazyArray => {
  refuseExtraArguments(name, 2, extra);
  return apply(fn, [a, b]);
};
const strictUnary = (name: string, fn: (a: nd.NDArray) => nd.NDArray) => (x: LazyArray, ...extra: unknown[]): LazyArray => {
  refuseExtraArguments(name, 1, extra);
  return apply(fn, [x]);
};
const unary = (fn: (a: nd.NDArray) => nd.NDArray) => strictUnary(fn.name, fn);
const binaryOf = (fn: (a: nd.NDArray, b: nd.NDArray) => nd.NDArray) => strictBinary(fn.name, fn);

export const sqrt = unary(nd.sqrt);
export const exp = unary(nd.exp);
export const log = unary(nd.log);
export const log1p = unary(nd.log1p);
export const expm1 = unary(nd.expm1);
export const log2 = unary(nd.log2);
export const log10 = unary(nd.log10);
export const sin = unary(nd.sin);
export const cos = unary(nd.cos);
export const tan = unary(nd.tan);
export const arcsin = unary(nd.arcsin);
export const arccos = unary(nd.arccos);
export const arctan = unary(nd.arctan);
export const sinh = unary(nd.sinh);
export const cosh = unary(nd.cosh);
export const tanh = unary(nd.tanh);
export const floor = unary(nd.floor);
export const ceil = unary(nd.ceil);
export const trunc = unary(nd.trunc);
export const rint = unary(nd.rint);
export const abs = unary(nd.abs);
export const negative = unary(nd.negative);
export const sign = unary(nd.sign);
export const isnan = unary(nd.isnan);
export const isinf = unary(nd.isinf);
export const isfinite = unary(nd.isfinite);
export const logicalNot = unary(nd.logicalNot);

/** `np.round(x, decimals)`: half to even, at `decimals` places (negative: tens, hundreds…). */
export function round(x: LazyArray, decimals = 0): LazyArray {
  if (!Number.isInteger(decimals)) throw new InvalidOptionError(`round: decimals ${JSON.stringify(decimals)} must be an integer`);
  return apply(nd.round, [x], { decimals });
}


/** Truth of both (NaN is true): np.logical_and. */
export const logicalAnd = strictBinary("logicalAnd", nd.logicalAnd);
export const logicalOr = strictBinary("logicalOr", nd.logicalOr);
export const logicalXor = strictBinary("logicalXor", nd.logicalXor);
/** `a & b` of bool or integer arrays (bool & bool: the masks' and); floats are refused as NumPy refuses them. */
export const bitwiseAnd = strictBinary("bitwiseAnd", nd.bitwiseAnd);
export const bitwiseOr = strictBinary("bitwiseOr", nd.bitwiseOr);
export const bitwiseXor = strictBinary("bitwiseXor", nd.bitwiseXor);
/** `~a`: logical not of bool, two's complement of integers. */
export const invert = strictUnary("invert", nd.invert);
export const bitwiseNot = strictUnary("bitwiseNot", nd.bitwiseNot);
/** `a << b`; counts below 0 or at least the bit width give 0, as NumPy defines. */
export const leftShift = strictBinary("leftShift", nd.leftShift);
/** `a >> b`; counts below 0 or at least the bit width give −1 for negative signed a, else 0. */
export const rightShift = strictBinary("rightShift", nd.rightShift);
export const arctan2 = strictBinary("arctan2", nd.arctan2);
export const hypot = strictBinary("hypot", nd.hypot);
export const copysign = strictBinary("copysign", nd.copysign);
/** Maximum ignoring NaN (np.fmax). */
export const fmax = strictBinary("fmax", nd.fmax);
/** Minimum ignoring NaN (np.fmin). */
export const fmin = strictBinary("fmin", nd.fmin);

export const square = strictUnary("square", nd.square);
/** 1 / x; integers as NumPy: 1, −1 or 0 (x = 0 gives INT_MIN for int32/int64, else 0). */
export const reciprocal = strictUnary("reciprocal", nd.reciprocal);
export const cbrt = strictUnary("cbrt", nd.cbrt);
export const exp2 = strictUnary("exp2", nd.exp2);
export const degrees = strictUnary("degrees", nd.degrees);
export const radians = strictUnary("radians", nd.radians);
export const deg2rad = strictUnary("deg2rad", nd.deg2rad);
export const rad2deg = strictUnary("rad2deg", nd.rad2deg);
export const positive = strictUnary("positive", nd.positive);
/** Sign bit set (−0 and −NaN included). */
export const signbit = strictUnary("signbit", nd.signbit);
export const isposinf = strictUnary("isposinf", nd.isposinf);
export const isneginf = strictUnary("isneginf", nd.isneginf);
/** C's fmod: the dividend's sign; integer fmod by 0 gives 0, as NumPy. */
export const fmod = strictBinary("fmod", nd.fmod);
export const logaddexp = strictBinary("logaddexp", nd.logaddexp);
export const logaddexp2 = strictBinary("logaddexp2", nd.logaddexp2);

/** NaN, +inf, −inf replaced (np.nan_to_num; defaults 0 and the dtype's finite extremes). */
export function nanToNum(x: LazyArray, options: nd.NanToNumOptions = {}): LazyArray {
  // The eager function checks the options; run it on an empty block so a bad one fails here, not in a task.
  nd.nanToNum(nd.zeros([0]), options);
  return apply(nd.nanToNum, [x], { ...options });
}

/** Whether a and b are close elementwise: |a − b| ≤ atol + rtol·|b| (np.isclose; dtypes as NumPy, isclose.ts). */
export function isclose(a: Operand, b: Operand, options: nd.IscloseOptions = {}): LazyArray {
  iscloseTolerances("isclose", options);
  return apply(nd.isclose, [a, b], { ...options });
}

/** Whether every element is close: isclose reduced with all() (a 0-d bool array, as da.allclose). */
export function allclose(a: Operand, b: Operand, options: nd.IscloseOptions = {}): LazyArray {
  iscloseTolerances("allclose", options);
  return isclose(a, b, options).all();
}

export const power = binaryOf(nd.power);
/** Python's `//`: rounds toward −∞; integer division by zero gives 0, as NumPy does (without its warning). */
export const floorDivide = binaryOf(nd.floorDivide);
/** Python's `%`: the result takes the divisor's sign; integer remainder by zero gives 0, as in NumPy. */
export const remainder = binaryOf(nd.remainder);
/** NumPy's alias of remainder. */
export const mod = remainder;

/**
 * Elements of `a` where `condition` is true, else of `b`, all three broadcast (np.where);
 * `where(condition)` alone is nonzero(condition), whose sizes are unknown until computed (as Dask's).
 */
export function where(condition: LazyArray): LazyArray[];
export function where(condition: Operand, a: Operand, b: Operand): LazyArray;
export function where(condition: Operand, a?: Operand, b?: Operand): LazyArray | LazyArray[] {
  if (a === undefined && b === undefined) return nonzero(condition as LazyArray);
  if (a === undefined || b === undefined) throw new InvalidOptionError("where: give both x and y (where(condition, x, y)), or neither (where(condition) is nonzero(condition))");
  return apply(nd.where, [condition, a, b]);
}

/** Bounds each element to [min, max]; either bound may be null (absent), arrays broadcast (np.clip). */
export function clip(x: LazyArray, min: Operand | null, max: Operand | null = null): LazyArray {
  if ((min === null || min === undefined) && (max === null || max === undefined)) {
    throw new InvalidOptionError("clip: give at least one of min and max");
  }
  return apply(nd.clip, [x, min ?? null, max ?? null]);
}
