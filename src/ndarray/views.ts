/**
 * Views that change how the same elements are addressed, without copying: squeeze,
 * expandDims, transpose, broadcastTo, and reshape (a view when the array is C-contiguous,
 * a copy otherwise).
 */
import { InvalidOptionError } from "../core/errors.js";
import { definePublicBuiltin } from "./public-parameters.js";
import { normalizeAxes } from "./axes.js";
import { broadcastStrides } from "./broadcast.js";
import { copy, requireArray } from "./copy.js";
import { NDArray, type Shape, cStrides, shapeSize } from "./ndarray.js";
import { refuseUnknownKeys } from "./option-keys.js";

type AxisArgument = number | readonly number[] | null | undefined | { axis?: number | readonly number[] | null };

const axisKey = ["axis"];
const axesKey = ["axes"];
const shapeKey = ["shape"];

function readAxisArgument(argument: AxisArgument, operation: string): number | readonly number[] | null | undefined {
  if (argument !== null && typeof argument === "object" && !Array.isArray(argument)) {
    refuseUnknownKeys(argument, axisKey, operation);
    return (argument as { axis?: number | readonly number[] | null }).axis;
  }
  return argument as number | readonly number[] | null | undefined;
}

function view(a: NDArray, shape: Shape, strides: Shape, offset = a.offset): NDArray {
  return new NDArray(a.storage, shape, { strides, offset, dtype: a.dtype });
}

/** Removes axes of length 1: all of them, or the given ones (each must have length 1). */
export const squeeze = definePublicBuiltin("squeeze", function squeeze(a: NDArray, axis?: AxisArgument): NDArray {
  requireArray(a, "squeeze");
  const requested = readAxisArgument(axis, "squeeze");
  let drop: Set<number>;
  if (requested === null || requested === undefined) {
    drop = new Set(a.shape.flatMap((length, i) => (length === 1 ? [i] : [])));
  } else {
    drop = new Set(normalizeAxes(requested, a.ndim, "squeeze"));
    for (const i of drop) {
      if (a.shape[i] !== 1) {
        throw new InvalidOptionError(`squeeze: cannot squeeze axis ${i} with size ${a.shape[i]}; only axes of size 1 can be removed`);
      }
    }
  }
  const keep = a.shape.map((_, i) => i).filter((i) => !drop.has(i));
  return view(a, keep.map((i) => a.shape[i]), keep.map((i) => a.strides[i]));
});

/** Inserts axes of length 1 at the given positions of the result. */
export const expandDims = definePublicBuiltin("expandDims", function expandDims(a: NDArray, axis: AxisArgument): NDArray {
  requireArray(a, "expandDims");
  const requested = readAxisArgument(axis, "expandDims");
  if (requested === null || requested === undefined) throw new InvalidOptionError("expandDims: give the axis (or axes) to insert");
  const count = typeof requested === "number" ? 1 : requested.length;
  const ndim = a.ndim + count;
  const inserted = new Set(normalizeAxes(requested, ndim, "expandDims"));
  const shape: number[] = [];
  const strides: number[] = [];
  let source = 0;
  for (let i = 0; i < ndim; i++) {
    if (inserted.has(i)) {
      shape.push(1);
      strides.push(0);
    } else {
      shape.push(a.shape[source]);
      strides.push(a.strides[source]);
      source++;
    }
  }
  return view(a, shape, strides);
});

/** Permutes the axes (reverses them by default); `axes` may also be given as `{ axes }`. */
export const transpose = definePublicBuiltin("transpose", function transpose(a: NDArray, axes?: readonly number[] | null | { axes?: readonly number[] | null }): NDArray {
  requireArray(a, "transpose");
  if (axes !== null && typeof axes === "object" && !Array.isArray(axes)) refuseUnknownKeys(axes, axesKey, "transpose");
  const requested = axes !== null && axes !== undefined && !Array.isArray(axes) ? (axes as { axes?: readonly number[] | null }).axes : (axes as readonly number[] | null | undefined);
  let order: number[];
  if (requested === null || requested === undefined) {
    order = a.shape.map((_, i) => a.ndim - 1 - i);
  } else {
    if (requested.length !== a.ndim) {
      throw new InvalidOptionError(`transpose: axes [${requested.join(", ")}] don't match an array of ${a.ndim} axes; give a permutation of 0..${a.ndim - 1}`);
    }
    order = normalizeAxes(requested, a.ndim, "transpose");
  }
  return view(a, order.map((i) => a.shape[i]), order.map((i) => a.strides[i]));
});

/** The shape with one -1 replaced by the length that keeps the size. */
function resolveShape(size: number, shape: Shape): number[] {
  const unknown = shape.filter((length) => length === -1).length;
  if (unknown > 1) throw new InvalidOptionError(`reshape: shape [${shape.join(", ")}] can only have one -1`);
  for (const length of shape) {
    if (!Number.isInteger(length) || length < -1) throw new InvalidOptionError(`reshape: shape [${shape.join(", ")}] must hold non-negative integers (and at most one -1)`);
  }
  const known = shapeSize(shape.filter((length) => length !== -1));
  const resolved = shape.map((length) => (length === -1 ? (known === 0 ? -1 : size / known) : length));
  if (resolved.some((length) => !Number.isInteger(length) || length < 0) || shapeSize(resolved) !== size) {
    throw new InvalidOptionError(`reshape: cannot reshape an array of size ${size} into shape [${shape.join(", ")}]`);
  }
  return resolved;
}

function shapeOption(option: { shape: Shape }, operation: string): Shape {
  if (option !== null && typeof option === "object") refuseUnknownKeys(option, shapeKey, operation);
  return option?.shape;
}

/** The same elements in C order under a new shape (one length may be -1). */
export const reshape = definePublicBuiltin("reshape", function reshape(a: NDArray, shape: Shape | { shape: Shape }): NDArray {
  requireArray(a, "reshape");
  const requested = Array.isArray(shape) ? (shape as Shape) : shapeOption(shape as { shape: Shape }, "reshape");
  const resolved = resolveShape(a.size, requested);
  const source = a.isContiguous() ? a : copy(a);
  return view(source, resolved, cStrides(resolved));
});

/** A read-only view of `a` stretched to `shape` by NumPy's broadcasting rules (stride 0). */
export const broadcastTo = definePublicBuiltin("broadcastTo", function broadcastTo(a: NDArray, shape: Shape | { shape: Shape }): NDArray {
  requireArray(a, "broadcastTo");
  const requested = Array.isArray(shape) ? (shape as Shape) : shapeOption(shape as { shape: Shape }, "broadcastTo");
  return view(a, requested, broadcastStrides(a, requested));
});
