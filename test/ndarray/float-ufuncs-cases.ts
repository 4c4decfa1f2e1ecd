/**
 * The ufuncs and function forms added after the bitwise ones (special-functions.ts,
 * float-decomposition.ts, numpy-aliases.ts, the comparisons as functions, arcsinh…): tessera's
 * name, NumPy's expression for one operand (`{0}`) or two (`{0}`, `{1}`), the ulps allowed,
 * and whether NumPy computes in float16 for narrow operands (bool, int8, uint8: float32 here).
 * Shared by the eager (test/ndarray) and lazy (test/array) differential tests.
 *
 * ulps: 0 where NumPy's result is an exact operation or glibc's correctly rounded one is
 * reproduced; 4 where NumPy 1.24 on this AVX-512 CPU calls its SVML or SIMD loops (arcsinh,
 * arccosh, arctanh; sinc's sin and i0's exp), which V8's fdlibm cannot match bit for bit (the
 * 4 of the other transcendental functions, math-functions.ts); 1 for float_power (V8's pow
 * against glibc's, as power).
 */
import assert from "node:assert/strict";
import type * as nd from "../../src/ndarray/index.js";

export interface UfuncSpec {
  name: string;
  numpy: string;
  /** Dask's expression where it differs from NumPy's (default: the same on Dask arrays). */
  dask?: string;
  arity: 1 | 2;
  ulps: number;
  float16: boolean | "bool only";
  /** Of a function returning two arrays: which one. */
  part?: 0 | 1;
}

const one = (name: string, numpy: string, ulps: number, float16: boolean | "bool only", part?: 0 | 1): UfuncSpec => ({ name, numpy, arity: 1, ulps, float16, part });
const two = (name: string, numpy: string, ulps: number, float16: boolean, part?: 0 | 1): UfuncSpec => ({ name, numpy, arity: 2, ulps, float16, part });

export const unarySpecs: readonly UfuncSpec[] = [
  one("arcsinh", "np.arcsinh({0})", 4, true),
  one("arccosh", "np.arccosh({0})", 4, true),
  one("arctanh", "np.arctanh({0})", 4, true),
  one("sinc", "np.sinc({0})", 4, false),
  one("i0", "np.i0({0})", 4, false),
  one("fabs", "np.fabs({0})", 0, true),
  one("spacing", "np.spacing({0})", 0, true),
  one("absolute", "np.absolute({0})", 0, false),
  // np.around of bool computes in float16 (round of a bool); of integers it keeps their dtype.
  one("around", "np.around({0})", 0, "bool only"),
  one("fix", "np.fix({0})", 0, true),
  one("isnull", "np.isnan({0})", 0, false),
  one("notnull", "~np.isnan({0})", 0, false),
  one("frexp", "np.frexp({0})[0]", 0, true, 0),
  one("frexp", "np.frexp({0})[1]", 0, true, 1),
  one("modf", "np.modf({0})[0]", 0, true, 0),
  one("modf", "np.modf({0})[1]", 0, true, 1),
];

export const binarySpecs: readonly UfuncSpec[] = [
  two("equal", "np.equal({0}, {1})", 0, false),
  two("notEqual", "np.not_equal({0}, {1})", 0, false),
  two("greater", "np.greater({0}, {1})", 0, false),
  two("greaterEqual", "np.greater_equal({0}, {1})", 0, false),
  two("less", "np.less({0}, {1})", 0, false),
  two("lessEqual", "np.less_equal({0}, {1})", 0, false),
  two("nextafter", "np.nextafter({0}, {1})", 0, true),
  two("floatPower", "np.float_power({0}, {1})", 1, false),
  two("ldexp", "np.ldexp({0}, {1})", 0, true),
  two("divmod", "np.divmod({0}, {1})[0]", 0, false, 0),
  two("divmod", "np.divmod({0}, {1})[1]", 0, false, 1),
];

/** NumPy's name of the function (refusals must name it): the part of the expression before "(". */
export const numpyNameOf = (spec: UfuncSpec): string => spec.numpy.replace(/^~/, "").split("(")[0].replace(/^np\./, "");

/** The NumPy expression on the given operand expressions. */
export const numpyCall = (spec: UfuncSpec, operands: readonly string[]): string => spec.numpy.replace(/\{(\d)\}/g, (_, i: string) => operands[Number(i)]);

const narrow = new Set<nd.DType>(["bool", "int8", "uint8"]);

/** tessera's result: the array, or the part `spec.part` of a pair. */
export function resultOf(spec: UfuncSpec, value: nd.NDArray | nd.NDArray[]): nd.NDArray {
  if (spec.part === undefined) return value as nd.NDArray;
  assert.ok(Array.isArray(value) && value.length === 2, `${spec.name} returns a pair`);
  return value[spec.part];
}

/** NumPy's operands, as float32 where NumPy would compute in float16 (ldexp: by the mantissa alone). */
export function numpyOperands(spec: UfuncSpec, names: readonly string[], dtypes: readonly nd.DType[]): string[] {
  if (!spec.float16) return [...names];
  if (spec.float16 === "bool only") return names.map((name, i) => (dtypes[i] === "bool" ? `${name}.astype(np.float32)` : name));
  const judged = spec.name === "ldexp" ? dtypes.slice(0, 1) : dtypes;
  if (!judged.every((dtype) => narrow.has(dtype))) return [...names];
  return names.map((name, i) => (spec.name === "ldexp" && i === 1 ? name : `${name}.astype(np.float32)`));
}

