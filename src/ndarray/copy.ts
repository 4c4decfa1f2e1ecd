/**
 * Copies and casts: `copy`, `ascontiguousarray`, `astype`, `setRegion`, and the strided
 * cast-copy they share (`assign`), which writes any view into any other with NumPy's unsafe
 * casting rules (see cast-expressions.ts).
 */
import { InvalidOptionError } from "../core/errors.js";
import { defineBuiltin } from "../core/builtin.js";
import { definePublicBuiltin } from "./public-parameters.js";
import { type DType, isComplexDType, toDType } from "./dtype.js";
import { assignWithComplex } from "./complex-copy.js";
import { refuseComplexHere } from "./complex-refusal.js";
import { broadcastStrides } from "./broadcast.js";
import { castExpression, castHelpers } from "./cast-expressions.js";
import { runElementwise } from "./kernel-compiler.js";
import { NDArray, empty } from "./ndarray.js";
import { refuseUnknownKeys } from "./option-keys.js";

/** Writes `source` (broadcast to the target's shape) into the view `target`, casting. */
export function assign(target: NDArray, source: NDArray): void {
  if (isComplexDType(target.dtype) || isComplexDType(source.dtype)) {
    assignWithComplex(target, source);
    return;
  }
  runElementwise(
    {
      key: `cast(${source.dtype})->${target.dtype}`,
      arity: 1,
      expression: castExpression(source.dtype, target.dtype, "x0"),
      helpers: castHelpers,
    },
    target.shape,
    target,
    [{ data: source.data, offset: source.offset, strides: broadcastStrides(source, target.shape) }],
  );
}

/** A new C-ordered copy (NumPy's `a.copy()`). */
export const copy = definePublicBuiltin("copy", function copy(a: NDArray): NDArray {
  requireArray(a, "copy");
  const out = empty(a.shape, a.dtype);
  assign(out, a);
  return out;
});

/** `a` itself when it is already C-contiguous, otherwise a C-ordered copy. */
export const ascontiguousarray = definePublicBuiltin("ascontiguousarray", function ascontiguousarray(a: NDArray): NDArray {
  requireArray(a, "ascontiguousarray");
  return a.isContiguous() ? a : copy(a);
});

const dtypeKey = ["dtype"];

function castTo(a: NDArray, dtype: DType | string | { dtype: DType | string }, dropImaginary: boolean): NDArray {
  requireArray(a, "astype");
  // { dtyp: "int8" } would otherwise be read as no dtype.
  if (typeof dtype === "object" && dtype !== null) refuseUnknownKeys(dtype, dtypeKey, "astype");
  const target = toDType(typeof dtype === "object" && dtype !== null ? dtype.dtype : dtype, "astype: dtype");
  if (!dropImaginary && isComplexDType(a.dtype) && !isComplexDType(target) && target !== "bool") refuseComplexHere(a.dtype);
  const out = empty(a.shape, target);
  assign(out, a);
  return out;
}

/**
 * A new array of `dtype` (given as `"float32"` or `{ dtype: "float32" }`), cast with NumPy's
 * rules: float → integer truncates toward zero, integers wrap, anything → bool is `!= 0`.
 * This is the cast tessera's own kernels use: a complex array cast to a real dtype is refused,
 * naming the operation that asked (a kernel casting its input to float64 would otherwise drop
 * the imaginary part silently). Users' nd.astype is `astypeNumPy`, which holds the built-in name
 * "ndarray.astype": this one has a name of its own, so that a worker resolving a name always
 * gets the function the client sent (with one name for both, it got whichever the catalog kept).
 */
export const astype = defineBuiltin("ndarray.astypeStrict", function astype(a: NDArray, dtype: DType | string | { dtype: DType | string }): NDArray {
  return castTo(a, dtype, false);
});

/**
 * NumPy's astype (exported as nd.astype): as `astype`, and complex → real keeps the real part
 * and drops the imaginary one, as NumPy does (with a ComplexWarning, which tessera cannot
 * raise). Its built-in name is "ndarray.astype", the name graphs built by nd.astype and x.astype send.
 */
export const astypeNumPy = definePublicBuiltin("astype", function astype(a: NDArray, dtype: DType | string | { dtype: DType | string }): NDArray {
  return castTo(a, dtype, true);
});

/**
 * Copies `source` into the block of `target` that starts at `start` (one index per axis) and
 * has the source's shape, casting to the target's dtype; returns `target`. Used to assemble
 * halos and rechunked blocks.
 */
export const setRegion = definePublicBuiltin("setRegion", function setRegion(target: NDArray, start: readonly number[], source: NDArray): NDArray {
  requireArray(target, "setRegion");
  requireArray(source, "setRegion");
  if (start.length !== target.ndim || source.ndim !== target.ndim) {
    throw new InvalidOptionError(
      `setRegion: target has ${target.ndim} axes, start [${start.join(", ")}] has ${start.length} and source ${source.ndim}; they must agree`,
    );
  }
  let offset = target.offset;
  for (let axis = 0; axis < target.ndim; axis++) {
    const begin = start[axis];
    if (!Number.isInteger(begin) || begin < 0 || begin + source.shape[axis] > target.shape[axis]) {
      throw new InvalidOptionError(
        `setRegion: a source of shape [${source.shape.join(", ")}] at start [${start.join(", ")}] does not fit ` +
          `the target of shape [${target.shape.join(", ")}] along axis ${axis}`,
      );
    }
    offset += begin * target.strides[axis];
  }
  const region = new NDArray(target.storage, source.shape, { strides: target.strides, offset, dtype: target.dtype });
  assign(region, source);
  return target;
});

export function requireArray(value: unknown, what: string): asserts value is NDArray {
  if (!(value instanceof NDArray)) throw new InvalidOptionError(`${what}: expected an NDArray, got ${String(value)}`);
}
