/**
 * Chunked matmul (dask.array's matmul graph): a blockwise step over (batch…, n, k-blocks, m)
 * whose task for each block index multiplies block (batch…, n, k) of a with block
 * (batch…, k, m) of b (matmulPartial: the contracted axis kept with length 1, Dask's
 * concatenate=False), then a tree reduction summing over the k-blocks axis, at most
 * `splitEvery` partial products per task. Batch axes broadcast as NumPy's: an operand of
 * length 1 there is one block read by every output block, the others are rechunked to the
 * common refinement of their chunks, as is the contracted axis (Dask's unify_chunks).
 * A 1-d a is a row and a 1-d b a column; their length-1 axis is summed away with the k-blocks
 * (one block, one element: the value is unchanged), so the result has NumPy's shape.
 */
import { tokenize } from "../core/ids.js";
import { functionRefOf } from "../graph/function-travel.js";
import { matmulPartial } from "../ndarray/contraction-partials.js";
import { matmulShape } from "../ndarray/matmul.js";
import { promoteTypes } from "../ndarray/promotion.js";
import { BlockwiseExpr } from "./blockwise.js";
import { refineChunks } from "./broadcasting.js";
import type { Chunks } from "./chunks.js";
import type { ArrayNode } from "./expr.js";
import { rechunkNode } from "./rechunk.js";
import { reductionNode } from "./reductions.js";
import { checkContractionOptions, checkOperands, type ContractionOptions } from "./tensordot.js";

const matmulPartialRef = functionRefOf(matmulPartial);

export function matmulNode(a: ArrayNode, b: ArrayNode, options: ContractionOptions = {}): ArrayNode {
  checkOperands("matmul", a, b);
  checkContractionOptions("matmul", options);
  const { batch } = matmulShape(a.shape, b.shape);
  const dtype = promoteTypes(a.dtype, b.dtype);
  const batchNdim = batch.length;
  const aIsVector = a.shape.length === 1;
  const bIsVector = b.shape.length === 1;
  const kAxisA = a.shape.length - 1;
  const kAxisB = bIsVector ? 0 : b.shape.length - 2;
  const batchAxesA = aIsVector ? 0 : a.shape.length - 2;
  const batchAxesB = bIsVector ? 0 : b.shape.length - 2;
  // Batch chunks: the refinement of the operands spanning each axis (length > 1 there).
  const batchChunks: Chunks = batch.map((length, axis) => {
    const spanning: number[][] = [];
    for (const [node, own] of [[a, batchAxesA], [b, batchAxesB]] as const) {
      const at = axis - (batchNdim - own);
      if (at >= 0 && node.shape[at] === length && length !== 1) spanning.push(node.chunks[at]);
    }
    return spanning.length > 0 ? refineChunks(spanning) : [length];
  });
  const kChunks = refineChunks([a.chunks[kAxisA], b.chunks[kAxisB]]);
  const wanted = (node: ArrayNode, ownBatch: number, kAxis: number): Chunks =>
    node.chunks.map((sizes, axis) => {
      if (axis === kAxis) return kChunks;
      if (axis >= ownBatch) return [...sizes];
      return node.shape[axis] === 1 ? [1] : batchChunks[axis + batchNdim - ownBatch];
    });
  const left = rechunkNode(a, wanted(a, batchAxesA, kAxisA));
  const right = rechunkNode(b, wanted(b, batchAxesB, kAxisB));
  // Output axes: batch…, n (batchNdim), k-blocks (batchNdim + 1), m (batchNdim + 2).
  const batchAxes = (own: number) => Array.from({ length: own }, (_, axis) => axis + batchNdim - own);
  const axesA = [...batchAxes(batchAxesA), ...(aIsVector ? [] : [batchNdim]), batchNdim + 1];
  const axesB = [...batchAxes(batchAxesB), batchNdim + 1, ...(bIsVector ? [] : [batchNdim + 2])];
  const chunks: Chunks = [
    ...batchChunks,
    aIsVector ? [1] : [...left.chunks[kAxisA - 1]],
    kChunks.map(() => 1),
    bIsVector ? [1] : [...right.chunks[kAxisB + 1]],
  ];
  const partialOptions = { batchNdim };
  const partials: ArrayNode = {
    name: `matmul-partial-${tokenize(left.name, right.name, partialOptions)}`,
    shape: chunks.map((sizes) => sizes.reduce((sum, n) => sum + n, 0)),
    chunks,
    dtype,
    expr: new BlockwiseExpr(matmulPartialRef, [{ array: left, axes: axesA }, { array: right, axes: axesB }], partialOptions),
  };
  const kAxis = batchNdim + 1;
  const axis = [...(aIsVector ? [batchNdim] : []), kAxis, ...(bIsVector ? [batchNdim + 2] : [])];
  // The whole split_every goes to the k-blocks axis: the vectors' axes are one block each.
  const summed = reductionNode(partials, "sum", { axis, dtype, splitEvery: { [kAxis]: options.splitEvery ?? 16 } });
  return { ...summed, name: `matmul-${tokenize(summed.name)}` };
}
