/**
 * NumPy's tensordot, dot and outer on in-memory arrays. tensordot moves a's contracted axes
 * last and b's first, copies both to C order as (free × contracted) and (contracted × free)
 * matrices in the result dtype (NumPy's promotion of the two dtypes; bool · bool stays bool,
 * int32 · int32 stays int32 and wraps), multiplies them (matrix-product.ts) and gives the
 * result a's free axes followed by b's. dot and outer are tensordot with NumPy's axes.
 */
import { definePublicBuiltin } from "./public-parameters.js";
import { InvalidOptionError } from "../core/errors.js";
import { multiply } from "./arithmetic.js";
import { astype, ascontiguousarray, requireArray } from "./copy.js";
import { multiplyMatrices } from "./matrix-product.js";
import { empty, shapeSize, type NDArray } from "./ndarray.js";
import { promoteTypes } from "./promotion.js";
import { reshape, transpose } from "./views.js";
import type { DType } from "./dtype.js";

/** NumPy's `axes` argument: a count of trailing/leading axes, or the two lists of axes paired. */
export type TensordotAxes = number | readonly [number | readonly number[], number | readonly number[]];

export interface ContractedAxes {
  /** a's contracted axes (non-negative), paired in order with b's. */
  axesA: number[];
  axesB: number[];
}

const formatShape = (shape: readonly number[]): string => `(${shape.join(",")}${shape.length === 1 ? "," : ""})`;

function axisList(value: unknown, ndim: number, operand: string, what: string): number[] {
  const list = typeof value === "number" ? [value] : value;
  if (!Array.isArray(list)) throw new InvalidOptionError(`${what}: axes for ${operand} must be an integer or a list of integers, got ${JSON.stringify(value)}`);
  const axes = list.map((axis: unknown) => {
    if (typeof axis !== "number" || !Number.isInteger(axis)) throw new InvalidOptionError(`${what}: axes for ${operand} must be integers, got ${JSON.stringify(axis)}`);
    const normalized = axis < 0 ? axis + ndim : axis;
    if (normalized < 0 || normalized >= ndim) throw new InvalidOptionError(`${what}: axis ${axis} is out of bounds for ${operand} with ${ndim} axes`);
    return normalized;
  });
  if (new Set(axes).size !== axes.length) throw new InvalidOptionError(`${what}: axes for ${operand} name an axis twice: ${JSON.stringify(list)}`);
  return axes;
}

/**
 * The contracted axes of a and b by NumPy's rules, refusing what NumPy refuses (lists of
 * different lengths, paired axes of different lengths: "shape-mismatch for sum") and what it
 * would misread (a negative count, an axis named twice).
 */
export function contractedAxes(shapeA: readonly number[], shapeB: readonly number[], axes: unknown, what = "tensordot"): ContractedAxes {
  let axesA: number[];
  let axesB: number[];
  if (typeof axes === "number") {
    if (!Number.isInteger(axes) || axes < 0) throw new InvalidOptionError(`${what}: axes must be a non-negative integer or a pair of axis lists, got ${axes}`);
    if (axes > shapeA.length || axes > shapeB.length) {
      throw new InvalidOptionError(`${what}: axes=${axes} contracts more axes than a (${shapeA.length}) or b (${shapeB.length}) has`);
    }
    axesA = shapeA.map((_, axis) => axis).slice(shapeA.length - axes);
    axesB = shapeB.map((_, axis) => axis).slice(0, axes);
  } else if (Array.isArray(axes) && axes.length === 2) {
    axesA = axisList(axes[0], shapeA.length, "a", what);
    axesB = axisList(axes[1], shapeB.length, "b", what);
    if (axesA.length !== axesB.length) throw new InvalidOptionError(`${what}: shape-mismatch for sum: ${axesA.length} axes of a paired with ${axesB.length} of b`);
  } else {
    throw new InvalidOptionError(`${what}: axes must be a non-negative integer or a pair of axis lists [[...], [...]], got ${JSON.stringify(axes)}`);
  }
  axesA.forEach((axisA, i) => {
    if (shapeA[axisA] !== shapeB[axesB[i]]) {
      throw new InvalidOptionError(`${what}: shape-mismatch for sum: axis ${axisA} of a has length ${shapeA[axisA]}, axis ${axesB[i]} of b has length ${shapeB[axesB[i]]} (shapes ${formatShape(shapeA)} and ${formatShape(shapeB)})`);
    }
  });
  return { axesA, axesB };
}

/** `a` as a C-ordered array of `dtype`, axes permuted by `order`. */
function contiguousAs(a: NDArray, order: readonly number[], dtype: DType): NDArray {
  const moved = transpose(a, order);
  return moved.dtype === dtype ? ascontiguousarray(moved) : astype(moved, dtype);
}

/** The contraction itself, once the axes are known. */
export function contract(a: NDArray, b: NDArray, { axesA, axesB }: ContractedAxes): NDArray {
  const dtype = promoteTypes(a.dtype, b.dtype);
  const freeA = a.shape.map((_, axis) => axis).filter((axis) => !axesA.includes(axis));
  const freeB = b.shape.map((_, axis) => axis).filter((axis) => !axesB.includes(axis));
  const m = shapeSize(freeA.map((axis) => a.shape[axis]));
  const n = shapeSize(freeB.map((axis) => b.shape[axis]));
  const k = shapeSize(axesA.map((axis) => a.shape[axis]));
  const left = contiguousAs(a, [...freeA, ...axesA], dtype);
  const right = contiguousAs(b, [...axesB, ...freeB], dtype);
  const out = empty([...freeA.map((axis) => a.shape[axis]), ...freeB.map((axis) => b.shape[axis])], dtype);
  multiplyMatrices(dtype, { data: left.storage, offset: left.offset }, { data: right.storage, offset: right.offset }, { data: out.storage, offset: 0 }, m, k, n);
  return out;
}

/** NumPy's tensordot(a, b, axes = 2): sums the products over the paired axes. */
export const tensordot = definePublicBuiltin("tensordot", function tensordot(a: NDArray, b: NDArray, axes: TensordotAxes = 2): NDArray {
  requireArray(a, "tensordot (a)");
  requireArray(b, "tensordot (b)");
  return contract(a, b, contractedAxes(a.shape, b.shape, axes));
});

/**
 * NumPy's dot axes: the last axis of a with b's only axis (b 1-d) or its second-to-last;
 * null when either is 0-d (dot is then multiply). Refuses unaligned shapes with NumPy's words.
 */
export function dotAxes(shapeA: readonly number[], shapeB: readonly number[]): ContractedAxes | null {
  if (shapeA.length === 0 || shapeB.length === 0) return null;
  const axisA = shapeA.length - 1;
  const axisB = Math.max(shapeB.length - 2, 0);
  if (shapeA[axisA] !== shapeB[axisB]) {
    throw new InvalidOptionError(`dot: shapes ${formatShape(shapeA)} and ${formatShape(shapeB)} not aligned: ${shapeA[axisA]} (dim ${axisA}) != ${shapeB[axisB]} (dim ${axisB})`);
  }
  return { axesA: [axisA], axesB: [axisB] };
}

/** NumPy's dot: inner product of vectors, matrix product of matrices, tensordot over (last of a, second-to-last of b) beyond. */
export const dot = definePublicBuiltin("dot", function dot(a: NDArray, b: NDArray): NDArray {
  requireArray(a, "dot (a)");
  requireArray(b, "dot (b)");
  const axes = dotAxes(a.shape, b.shape);
  return axes === null ? multiply(a, b) : contract(a, b, axes);
});

/** NumPy's outer: every element of a (flattened) times every element of b (flattened). */
export const outer = definePublicBuiltin("outer", function outer(a: NDArray, b: NDArray): NDArray {
  requireArray(a, "outer (a)");
  requireArray(b, "outer (b)");
  return contract(reshape(a, [-1]), reshape(b, [-1]), { axesA: [], axesB: [] });
});
