/**
 * Complex numbers in tessera/ndarray: building complex arrays and NumPy's complex helpers
 * (np.real, np.imag, np.conj / np.conjugate, np.angle, np.iscomplex, np.isreal, np.iscomplexobj).
 *
 * How to build one: `complex(re, im)` (NumPy spelling `re + 1j * im`), `array([{ re, im }, …])`,
 * `full(shape, { re, im })`, `zeros(shape, "complex64")`, `astype(x, "complex128")`, or
 * `fromTypedArray(interleaved, shape, { dtype: "complex128" })` over NumPy's memory layout.
 * Elements read back as `{ re, im }` (`toArray()`, `item()`).
 *
 * What takes complex input is listed in `complexSupport`; everything else refuses it by name
 * (complex-refusal.ts), including orderings (less, min, max, sort, argmax …: NumPy orders
 * complex lexicographically, tessera refuses instead).
 */
import { definePublicBuiltin } from "./public-parameters.js";
import { isComplexDType } from "./dtype.js";
import { applyComplexElementwise } from "./complex-elementwise.js";
import { assign, copy, requireArray } from "./copy.js";
import { NDArray, empty } from "./ndarray.js";
import { resultType } from "./promotion.js";
import { broadcastShapes } from "./broadcast.js";
import { refuseUnknownKeys } from "./option-keys.js";
import { refuseComplex } from "./complex-refusal.js";
import { complexHalf } from "./complex-layout.js";
import { arctan2 } from "./float-binary.js";
import { multiply } from "./arithmetic.js";
import { equal, notEqual } from "./comparison.js";

/** The complex array `re + 1j·im` (broadcast): complex64 from float32 / ≤16-bit integers, complex128 otherwise. */
export const complex = definePublicBuiltin("complex", function complex(re: NDArray, im: NDArray): NDArray {
  requireArray(re, "complex");
  requireArray(im, "complex");
  // re and im must be real: complex parts would need a choice NumPy's re + 1j·im makes differently.
  refuseComplex("complex (re and im must be real)", re.dtype);
  refuseComplex("complex (re and im must be real)", im.dtype);
  const dtype = resultType(re, im, "complex64");
  const shape = broadcastShapes(re.shape, im.shape);
  const out = empty(shape, dtype);
  const part = dtype === "complex64" ? "float32" : "float64";
  // Each half is written through a real view over the complex storage.
  const half = (lane: 0 | 1) => {
    const view = complexHalf(out, lane);
    return new NDArray(view.data, shape, { strides: view.strides, offset: view.offset, dtype: part });
  };
  assign(half(0), re);
  assign(half(1), im);
  return out;
});

/** The real part: float32 / float64 of complex64 / complex128; a real array itself, as np.real. */
export const real = definePublicBuiltin("real", function real(a: NDArray): NDArray {
  requireArray(a, "real");
  return isComplexDType(a.dtype) ? applyComplexElementwise("real", [a]) : a;
});

/** The imaginary part: float32 / float64 of complex64 / complex128; zeros of a real array's dtype, as np.imag. */
export const imag = definePublicBuiltin("imag", function imag(a: NDArray): NDArray {
  requireArray(a, "imag");
  return isComplexDType(a.dtype) ? applyComplexElementwise("imag", [a]) : empty(a.shape, a.dtype);
});

/** The complex conjugate (np.conjugate); a copy of a real array. */
export const conjugate = definePublicBuiltin("conjugate", function conjugate(a: NDArray): NDArray {
  requireArray(a, "conjugate");
  return isComplexDType(a.dtype) ? applyComplexElementwise("conjugate", [a]) : copy(a);
});
export const conj = conjugate;

export interface AngleOptions {
  /** Degrees instead of radians (default false). */
  deg?: boolean;
}

/** The argument of each element, np.angle: arctan2(imag, real), times 180/π with `deg`. */
export const angle = definePublicBuiltin("angle", function angle(a: NDArray, options: AngleOptions = {}): NDArray {
  requireArray(a, "angle");
  refuseUnknownKeys(options, ["deg"], "angle");
  const radians = arctan2(imag(a), real(a));
  return options.deg ? multiply(radians, 180 / Math.PI) : radians;
});

/** Whether each element has a non-zero imaginary part (np.iscomplex). */
export const iscomplex = definePublicBuiltin("iscomplex", function iscomplex(a: NDArray): NDArray {
  requireArray(a, "iscomplex");
  return isComplexDType(a.dtype) ? notEqual(imag(a), 0) : empty(a.shape, "bool");
});

/** Whether each element has a zero imaginary part (np.isreal). */
export const isreal = definePublicBuiltin("isreal", function isreal(a: NDArray): NDArray {
  requireArray(a, "isreal");
  return equal(imag(a), 0);
});

/** Whether the array's dtype is complex (np.iscomplexobj). */
export function iscomplexobj(a: NDArray): boolean {
  requireArray(a, "iscomplexobj");
  return isComplexDType(a.dtype);
}

/**
 * The public functions of tessera/ndarray that take complex input (the guard test checks every
 * other one refuses it). Elementwise ones are named as exported (camelCase).
 */
export const complexSupport: readonly string[] = [
  "complex", "real", "imag", "conj", "conjugate", "angle", "iscomplex", "isreal", "iscomplexobj",
  "zeros", "ones", "full", "empty", "array", "fromTypedArray", "astype", "copy", "ascontiguousarray", "setRegion",
  "reshape", "transpose", "squeeze", "expandDims", "broadcastTo", "slice", "concatenate", "stack", "rot90",
  "coarsen", "coarsenView", "ediff1d", "where", "choose", "select",
  "add", "subtract", "multiply", "divide", "trueDivide", "power", "equal", "notEqual", "negative", "positive",
  "square", "reciprocal", "sqrt", "exp", "log", "abs", "absolute", "isnan", "isnull", "isinf", "isfinite",
  "sum", "prod", "mean", "average", "var", "variance", "std", "cumsum", "cumprod", "cumulativeCarry",
  "nansum", "nanprod", "nanmean", "nanvar", "nanstd",
  "linalg.norm", "linalg.qr", "linalg.svd", "linalg.solve", "linalg.inv", "linalg.det", "linalg.cholesky",
  "matmul", "dot", "tensordot", "vdot", "einsum", "outer", "fft",
];
