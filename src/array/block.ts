/**
 * NumPy's block on lazy arrays (dask.array.block): nested lists of arrays joined from the inside
 * out, the innermost lists along the last axis, the next along the one before, and so on. Each
 * array first gets leading axes of length 1 up to the result's rank, as NumPy and Dask do, so
 * the result's chunks are Dask's (one concatenate per list).
 */
import { InvalidOptionError } from "../core/errors.js";
import { LazyArray } from "./array.js";
import { concatenateNodes } from "./concatenate.js";

export type BlockArrays = LazyArray | readonly BlockArrays[];

/** The nesting depth of every leaf, checked to be one depth (NumPy's "List depths are mismatched"). */
function depthOf(arrays: BlockArrays, path: string): { depth: number; ndim: number } {
  if (arrays instanceof LazyArray) return { depth: 0, ndim: arrays.ndim };
  if (!Array.isArray(arrays)) throw new InvalidOptionError(`block: ${path} is not a lazy array or a list (ta.fromArray wraps an NDArray)`);
  if (arrays.length === 0) throw new InvalidOptionError(`block: ${path} is an empty list; lists cannot be empty`);
  const inner = arrays.map((a, i) => depthOf(a as BlockArrays, `${path}[${i}]`));
  const depth = inner[0].depth;
  inner.forEach((d, i) => {
    if (d.depth !== depth) throw new InvalidOptionError(`block: list depths are mismatched; ${path}[0] has depth ${depth} but ${path}[${i}] has depth ${d.depth}`);
  });
  return { depth: depth + 1, ndim: Math.max(...inner.map((d) => d.ndim)) };
}

function assemble(arrays: BlockArrays, level: number, depth: number, ndim: number): LazyArray {
  if (arrays instanceof LazyArray) {
    return arrays.ndim < ndim ? arrays.reshape([...Array(ndim - arrays.ndim).fill(1), ...arrays.shape]) : arrays;
  }
  const parts = (arrays as readonly BlockArrays[]).map((a) => assemble(a, level + 1, depth, ndim));
  // The outermost list joins along axis -depth, the innermost along -1.
  return parts.length === 1 ? parts[0] : LazyArray.of(concatenateNodes(parts, ndim - depth + level));
}

/** NumPy's block(arrays): nested lists of lazy arrays assembled into one. */
export function block(arrays: BlockArrays): LazyArray {
  if (arrays instanceof LazyArray) return arrays;
  const { depth, ndim } = depthOf(arrays, "arrays");
  return assemble(arrays, 0, depth, Math.max(depth, ndim));
}
