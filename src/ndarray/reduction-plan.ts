/**
 * Which elements feed each output element of a reduction, and in which order.
 *
 * Order matters for float sums, so "memory" plans follow NumPy's reduction iterator (checked
 * against NumPy on contiguous, strided, reversed, transposed and sliced inputs):
 * - axes are visited by decreasing |stride| (ties keep C order); negative strides are walked
 *   as they are, not reversed (NumPy reduces with NPY_ITER_DONT_NEGATE_STRIDES);
 * - the "suffix" is the run of fastest axes that are all reduced: the output stays put over
 *   it, so NumPy's inner loop (or its buffer, when the suffix is not one strided run) hands
 *   that sequence to the pairwise summation in blocks of 8192 elements;
 * - the other reduced axes (slower than some kept axis) are "outer": each of their positions
 *   adds one more suffix sequence to the output, in order.
 * "logical" plans visit elements in C order of the original axes, which argmin/argmax need
 * for their indices.
 */
import type { NDArray } from "./ndarray.js";

export interface ReductionPlan {
  /** Lengths of the kept axes (the output shape without keepdims). */
  readonly outShape: number[];
  /** The output shape with reduced axes kept as length 1. */
  readonly keepdimsShape: number[];
  /** Strides (into the input) of the kept axes, matching outShape. */
  readonly keptStrides: number[];
  /** Reduced axes walked around the suffix, outermost first. */
  readonly outerShape: number[];
  readonly outerStrides: number[];
  /** The suffix sequence (merged where contiguous), outermost first; [1]/[0] when empty. */
  readonly suffixShape: number[];
  readonly suffixStrides: number[];
  /** Input offset of the first element of output element 0. */
  readonly offset: number;
  /** How many elements feed each output element. */
  readonly count: number;
}

/** Merges neighbours of an axis list (outermost first) that form one strided run. */
function mergeRuns(shape: number[], strides: number[]): { shape: number[]; strides: number[] } {
  const mergedShape: number[] = [];
  const mergedStrides: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    const last = mergedShape.length - 1;
    if (last >= 0 && mergedStrides[last] === strides[i] * shape[i]) {
      mergedShape[last] *= shape[i];
      mergedStrides[last] = strides[i];
    } else {
      mergedShape.push(shape[i]);
      mergedStrides.push(strides[i]);
    }
  }
  return mergedShape.length === 0 ? { shape: [1], strides: [0] } : { shape: mergedShape, strides: mergedStrides };
}

export function planReduction(a: NDArray, axes: readonly number[], order: "memory" | "logical"): ReductionPlan {
  const reduced = new Set(axes);
  const kept = a.shape.map((_, axis) => axis).filter((axis) => !reduced.has(axis));
  const common = {
    outShape: kept.map((axis) => a.shape[axis]),
    keptStrides: kept.map((axis) => a.strides[axis]),
    keepdimsShape: a.shape.map((length, axis) => (reduced.has(axis) ? 1 : length)),
    count: axes.reduce((total, axis) => total * a.shape[axis], 1),
    offset: a.offset,
  };

  if (order === "logical") {
    const ordered = [...axes].sort((x, y) => x - y);
    const last = ordered.pop();
    return {
      ...common,
      outerShape: ordered.map((axis) => a.shape[axis]),
      outerStrides: ordered.map((axis) => a.strides[axis]),
      suffixShape: last === undefined ? [1] : [a.shape[last]],
      suffixStrides: last === undefined ? [0] : [a.strides[last]],
    };
  }

  // Axes of length 1 take no part in the order; the stable sort keeps C order among equals.
  const visited = a.shape
    .map((_, axis) => axis)
    .filter((axis) => a.shape[axis] !== 1)
    .sort((x, y) => Math.abs(a.strides[y]) - Math.abs(a.strides[x]));
  let suffixStart = visited.length;
  while (suffixStart > 0 && reduced.has(visited[suffixStart - 1])) suffixStart--;
  const suffix = visited.slice(suffixStart);
  const outer = visited.slice(0, suffixStart).filter((axis) => reduced.has(axis));
  const merged = mergeRuns(suffix.map((axis) => a.shape[axis]), suffix.map((axis) => a.strides[axis]));
  return {
    ...common,
    outerShape: outer.map((axis) => a.shape[axis]),
    outerStrides: outer.map((axis) => a.strides[axis]),
    suffixShape: merged.shape,
    suffixStrides: merged.strides,
  };
}
