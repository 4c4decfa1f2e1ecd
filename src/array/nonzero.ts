/**
 * The positions of the non-zero elements, lazily, as dask.array's argwhere, nonzero,
 * flatnonzero, where(condition) and extract: the array is ravelled (Dask's reshape chunks)
 * and each block of the ravelled array gives the coordinates of its non-zero elements
 * (nonzeroCoordinates: its flat offset turned into coordinates of the whole), one block of
 * unknown size each. argwhere's blocks are one column per axis, as Dask stacks them (chunks
 * (nan, …), (1, …, 1)); nonzero gives one 1-d array per axis; flatnonzero the flat indices.
 * The input must have known sizes (the coordinates need the offsets).
 */
import { InvalidOptionError } from "../core/errors.js";
import { LazyArray } from "./array.js";
import type { ArrayNode } from "./expr.js";
import { lazyIndexNode } from "./lazy-mask.js";
import { coordinatesNode, nonzeroNodes } from "./nonzero-nodes.js";
import { reshapeNode } from "./reshape.js";
import { refuseUnknownSizes } from "./unknown-chunks.js";

function checkInput(a: unknown, what: string): ArrayNode {
  if (!(a instanceof LazyArray)) throw new InvalidOptionError(`${what}: expected a tessera array, got ${String(a)}`);
  refuseUnknownSizes(a, what);
  return a;
}

/** dask.array.argwhere: int64 coordinates of the non-zero elements, shape [nan, ndim]. */
export function argwhere(a: LazyArray): LazyArray {
  const input = checkInput(a, "argwhere");
  if (input.shape.length === 0) throw new InvalidOptionError("argwhere: a 0-d array is not supported lazily; compute it first");
  return LazyArray.of(coordinatesNode(input, "columns", false, "argwhere"));
}

/** dask.array.nonzero: one int64 array of coordinates per axis. */
export function nonzero(a: LazyArray): LazyArray[] {
  return nonzeroNodes(checkInput(a, "nonzero")).map((node) => LazyArray.of(node));
}

/** dask.array.flatnonzero: the flat (C-order) indices of the non-zero elements. */
export function flatnonzero(a: LazyArray): LazyArray {
  const input = checkInput(a, "flatnonzero");
  return LazyArray.of(coordinatesNode(input.shape.length === 0 ? reshapeNode(input, [1]) : input, 0, true, "flatnonzero"));
}

/** dask.array.extract: the elements of `arr` (ravelled) where `condition` (ravelled, as bool) is true; same sizes. */
export function extract(condition: LazyArray, arr: LazyArray): LazyArray {
  const cond = checkInput(condition, "extract");
  const values = checkInput(arr, "extract");
  const size = (node: ArrayNode) => node.shape.reduce((x, y) => x * y, 1);
  if (size(cond) !== size(values)) throw new InvalidOptionError(`extract: the condition has ${size(cond)} elements, the array ${size(values)}; they must have as many`);
  const flat = (node: ArrayNode) => (node.shape.length === 1 ? node : reshapeNode(node, [-1]));
  const mask = condition.dtype === "bool" ? condition : condition.astype("bool");
  return LazyArray.of(lazyIndexNode(flat(values), [flat(mask)]));
}
