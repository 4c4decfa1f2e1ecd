/**
 * NumPy's two-operand float functions: arctan2, hypot, copysign (float loops only), and fmax,
 * fmin (every dtype, NaN ignored).
 *
 * dtypes of arctan2, hypot and copysign: NumPy has only float loops (e, f, d) and picks the
 * first one both operands cast to safely, so each operand asks for its own float (int16/uint16
 * → float32, wider integers → float64) and the wider wins: arctan2(int16, uint16) is float32
 * although int16 and uint16 promote to int32. NumPy's float16 (bool, int8, uint8 on both
 * sides) is float32 here, as for sqrt (unary.ts). Scalars first take their NEP 50 dtype.
 *
 * Values: hypot and copysign are bit for bit NumPy's (hypot.ts; copysign moves the sign bit,
 * also to and from NaN). arctan2 is V8's Math.atan2 (fdlibm, under 1 ulp from the true value),
 * rounded once to float32 for float32. NumPy computes it with glibc's atan2 / atan2f, or on a
 * CPU with AVX-512 (Skylake-X and later) with its SVML loops: measured on 2 million pairs,
 * Math.atan2 is within 1 ulp of glibc and within 3 ulps of SVML (NumPy's own two paths differ
 * by as much), so the tests allow 4 ulps as for the one-operand functions (math-functions.ts).
 *
 * fmax / fmin (C's fmax): the operand that is not NaN; NaN only when both are; on equal
 * operands (+0 and −0) the second, as NumPy 1.24's loops give on x86-64.
 */
import { type DType, dtypeInfo, isFloatDType } from "./dtype.js";
import { type ElementwiseOperation, type LoopChoice, inCommonDType, prepareOperands, runOperation } from "./elementwise.js";
import { allowWritingOverOperands } from "./operand-reuse.js";
import { defineBinary } from "./binary-builtin.js";
import { promoteTypes, type Operand } from "./promotion.js";
import { hypotFloat32, hypotFloat64 } from "./hypot.js";
import type { NDArray } from "./ndarray.js";

/** The float loop NumPy would give one operand of `dtype` (float16 → float32 here). */
function floatLoopOf(dtype: DType): DType {
  if (isFloatDType(dtype)) return dtype;
  return dtypeInfo(dtype).itemsize <= 2 ? "float32" : "float64";
}

/** Runs a float-only operation in the float loop NumPy's type resolution finds for these operand dtypes. */
export function applyFloatLoop(operation: ElementwiseOperation, operands: readonly Operand[]): NDArray {
  const { arrays } = prepareOperands(operation.name, operands);
  const loop = arrays.map((array) => floatLoopOf(array.dtype)).reduce((a, b) => promoteTypes(a, b));
  const choice: LoopChoice = inCommonDType(loop);
  return runOperation(operation, arrays, choice);
}

const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);
// Little-endian hosts only (Node's platforms): the high word, with the sign bit, is words[1].
const high = 1;

/** C's copysign: `magnitude` with the sign bit of `sign`, both read as raw bits (−0 and −NaN have one). */
function copysignFloat(magnitude: number, sign: number): number {
  bits[0] = sign;
  const signBit = words[high] & 0x80000000;
  bits[0] = magnitude;
  words[high] = (words[high] & 0x7fffffff) | signBit;
  return bits[0];
}

function fmaxFloat(a: number, b: number): number {
  return a > b || b !== b ? a : b;
}

function fminFloat(a: number, b: number): number {
  return a < b || b !== b ? a : b;
}

const arctan2Operation: ElementwiseOperation = {
  name: "arctan2",
  resolve: inCommonDType,
  expression: ([a, b]) => `Math.atan2(${a}, ${b})`,
};

const hypotOperation: ElementwiseOperation = {
  name: "hypot",
  resolve: inCommonDType,
  expression: ([a, b], { loop }) => `${loop === "float32" ? "hypotFloat32" : "hypotFloat64"}(${a}, ${b})`,
  helpers: { hypotFloat32, hypotFloat64 },
};

const copysignOperation: ElementwiseOperation = {
  name: "copysign",
  resolve: inCommonDType,
  expression: ([a, b]) => `copysignFloat(${a}, ${b})`,
  helpers: { copysignFloat },
};

const fmaxOperation: ElementwiseOperation = {
  name: "fmax",
  resolve: inCommonDType,
  expression: ([a, b], { loop }) => (isFloatDType(loop) ? `fmaxFloat(${a}, ${b})` : `(${a} > ${b} ? ${a} : ${b})`),
  helpers: { fmaxFloat },
};

const fminOperation: ElementwiseOperation = {
  name: "fmin",
  resolve: inCommonDType,
  expression: ([a, b], { loop }) => (isFloatDType(loop) ? `fminFloat(${a}, ${b})` : `(${a} < ${b} ? ${a} : ${b})`),
  helpers: { fminFloat },
};

allowWritingOverOperands("ndarray.arctan2", "ndarray.hypot", "ndarray.copysign", "ndarray.fmax", "ndarray.fmin");

/** The angle of the point (x2, x1) in radians, in [−π, π], with C's signed-zero and infinity rules. */
export const arctan2 = defineBinary("arctan2", arctan2Operation, applyFloatLoop);
/** sqrt(a² + b²) without overflow or underflow in between; infinity wins over NaN. */
export const hypot = defineBinary("hypot", hypotOperation, applyFloatLoop);
/** |a| with the sign of b (−0 and NaN's sign bit count). */
export const copysign = defineBinary("copysign", copysignOperation, applyFloatLoop);
/** Elementwise maximum ignoring NaN (NaN only where both are). */
export const fmax = defineBinary("fmax", fmaxOperation);
/** Elementwise minimum ignoring NaN. */
export const fmin = defineBinary("fmin", fminOperation);
