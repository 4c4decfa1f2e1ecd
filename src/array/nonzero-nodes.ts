/**
 * The nodes of nonzero and its kin (nonzero.ts says how they follow Dask): each block of the
 * ravelled input gives the coordinates of its non-zero elements, from its flat offset.
 */
import { tokenize } from "../core/ids.js";
import { InvalidOptionError } from "../core/errors.js";
import { functionRefOf } from "../graph/function-travel.js";
import { nonzeroCoordinates } from "../ndarray/unknown-size-blocks.js";
import { chunkOffsets } from "./chunks.js";
import type { ArrayNode } from "./expr.js";
import { PerBlockExpr } from "./per-block.js";
import { reshapeNode } from "./reshape.js";
import { refuseUnknownSizes } from "./unknown-chunks.js";

/** Coordinates along `axis` (all axes: argwhere's columns) of the non-zero elements of `a`. */
export function coordinatesNode(a: ArrayNode, axis: number | "columns", flatIndex: boolean, what: string): ArrayNode {
  const flat = a.shape.length === 1 ? a : reshapeNode(a, [-1]);
  const offsets = chunkOffsets(flat.chunks)[0];
  const n = flat.chunks[0].length;
  const shape = flatIndex ? [a.shape.reduce((x, y) => x * y, 1)] : [...a.shape];
  const nan = new Array<number>(n).fill(NaN);
  const columns = axis === "columns";
  const expr = new PerBlockExpr(functionRefOf(nonzeroCoordinates), [flat], ([i, j]) => ({
    blocks: [{ node: flat, index: [i] }],
    args: [{ offset: offsets[i], shape, axis: columns ? j : axis, column: columns }],
  }));
  const chunks = columns ? [nan, shape.map(() => 1)] : [nan];
  return { name: `${what}-${tokenize(a.name, axis, flatIndex)}`, shape: columns ? [NaN, shape.length] : [NaN], chunks, dtype: "int64", expr };
}

/** One int64 array of coordinates per axis (x.nonzero(), ta.nonzero). */
export function nonzeroNodes(a: ArrayNode): ArrayNode[] {
  refuseUnknownSizes(a, "nonzero");
  if (a.shape.length === 0) throw new InvalidOptionError("nonzero: a 0-d array has no axes to give coordinates along; use atleast1d first");
  return a.shape.map((_, axis) => coordinatesNode(a, axis, false, "nonzero"));
}
