/**
 * Making operands of a blockwise operation line up (Dask's unify_chunks + broadcasting):
 * shapes broadcast as in NumPy, and along every axis the arrays that span it are rechunked
 * (as views, so it costs no tasks of its own) to the common refinement of their chunks.
 */
import { InvalidOptionError } from "../core/errors.js";
import { sameChunks, type Chunks } from "./chunks.js";
import type { ArrayNode } from "./expr.js";
import { RechunkExpr } from "./views.js";
import { tokenize } from "../core/ids.js";
import { hasUnknownChunks, unifyUnknownOperands } from "./unknown-chunks.js";

/** Anything that is not an array node is a scalar: it takes no part in shapes or chunks. */
type Operand = ArrayNode | unknown;

export function isArrayNode(value: unknown): value is ArrayNode {
  return typeof value === "object" && value !== null && "expr" in value && "chunks" in value && "shape" in value;
}

export interface UnifiedOperands {
  shape: number[];
  chunks: Chunks;
  operands: unknown[];
}

/** The common refinement of several chunkings of one axis (every boundary of each); (0,) if empty. */
export function refineChunks(lists: readonly number[][]): number[] {
  const cuts = new Set<number>();
  for (const sizes of lists) {
    let at = 0;
    for (const size of sizes) cuts.add((at += size));
  }
  const sorted = [...cuts].sort((a, b) => a - b);
  const sizes = sorted.map((cut, i) => cut - (i === 0 ? 0 : sorted[i - 1])).filter((n) => n > 0);
  // A zero-length axis is one empty chunk, as Dask writes it: (0,).
  return sizes.length > 0 ? sizes : [0];
}

export function unifyOperands(operands: readonly Operand[], what: string): UnifiedOperands {
  const arrays = operands.filter(isArrayNode);
  if (arrays.length === 0) throw new InvalidOptionError(`${what}: at least one operand must be an array`);
  if (arrays.some((a) => hasUnknownChunks(a.chunks))) return { ...unifyUnknownOperands(arrays, what), operands: [...operands] };
  const ndim = Math.max(...arrays.map((a) => a.shape.length));
  const shape: number[] = [];
  for (let axis = 0; axis < ndim; axis++) {
    let size = 1;
    for (const array of arrays) {
      const own = array.shape[axis - (ndim - array.shape.length)];
      if (own === undefined || own === 1) continue;
      if (size !== 1 && own !== size) {
        throw new InvalidOptionError(
          `${what}: operands could not be broadcast together with shapes ${arrays.map((a) => `[${a.shape.join(", ")}]`).join(" ")}`,
        );
      }
      size = own;
    }
    shape.push(size);
  }
  const chunks: Chunks = shape.map((size, axis) => {
    const spanning = arrays.filter((a) => a.shape[axis - (ndim - a.shape.length)] === size && size !== 1);
    if (spanning.length === 0) return [size];
    return refineChunks(spanning.map((a) => a.chunks[axis - (ndim - a.shape.length)]));
  });
  const unified = operands.map((op) => {
    if (!isArrayNode(op)) return op;
    const offset = ndim - op.shape.length;
    // A length-1 axis broadcasts as one block; chunks such as [0, 1] would pair its empty block with output block 0.
    const wanted = op.shape.map((n, axis) => (n === 1 ? [1] : n === shape[axis + offset] ? chunks[axis + offset] : op.chunks[axis]));
    if (sameChunks(wanted, op.chunks)) return op;
    return { name: `rechunk-${tokenize(op.name, wanted)}`, shape: op.shape, chunks: wanted, dtype: op.dtype, expr: new RechunkExpr(op) } satisfies ArrayNode;
  });
  return { shape, chunks, operands: unified };
}
