/**
 * Lazy np.tri and triangle indices (dask.array.tri, tril_indices, triu_indices and the _from
 * forms).
 *
 * tri: Dask 2022.12 builds it as `arange(N, chunks=c0)[:, None] >= arange(−k, M − k, chunks=c1)`
 * with c0, c1 the first chunk sizes of the normalized chunks, so its blocks are regular at
 * those sizes whatever chunks were asked; tessera takes the same chunks and computes each
 * block directly as a smaller tri with k shifted by the block's offset (no comparison graph).
 *
 * The index functions: Dask returns np.nonzero of the lazy tri, arrays of unknown (NaN)
 * length and chunks. The length is known in advance (row i of the triangle holds a count of
 * indices fixed by n, m and k: ndarray/tri-indices.ts), so tessera gives arrays of that known
 * length, chunked "auto" (or as `chunks` says), each block computing its run of the row-major
 * list on its own. Values equal NumPy's; the chunks differ from Dask's (which has none known).
 */
import { InvalidOptionError } from "../core/errors.js";
import { tokenize } from "../core/ids.js";
import { functionRefOf } from "../graph/function-travel.js";
import * as nd from "../ndarray/index.js";
import { dtypeInfo, toDType } from "../ndarray/dtype.js";
import { triangleIndexCount, triangleSpec, fromShape, type TriangleIndexOptions, type TriangleSpec, type TriOptions } from "../ndarray/tri-indices.js";
import { readOptions } from "../ndarray/matrix-options.js";
import { LazyArray } from "./array.js";
import { blockCounts, blockIndices, chunkOffsets, normalizeChunks, type ChunkSpec } from "./chunks.js";
import type { ArrayExpr, ArrayNode, LowerContext } from "./expr.js";
import { ShiftedDiagonalExpr } from "./triangles.js";


class TriangleIndexExpr implements ArrayExpr {
  readonly kind = "triangle-index";
  readonly inputs = [];
  constructor(readonly spec: TriangleSpec, readonly part: 0 | 1) {}

  lower(self: ArrayNode, ctx: LowerContext): void {
    const offsets = chunkOffsets(self.chunks)[0];
    for (const [i] of blockIndices(blockCounts(self.chunks))) {
      ctx.addBlock(self, [i], { fn: functionRefOf(nd.triangleIndexRange), args: [this.spec, offsets[i], offsets[i + 1], this.part] });
    }
  }
}

/** Chunks of `size` elements along an axis of length n (Dask's arange(n, chunks=size)). */
function regular(n: number, size: number): number[] {
  if (n === 0 || size === 0) return [n];
  return Array.from({ length: Math.ceil(n / size) }, (_, i) => Math.min(size, n - i * size));
}

export interface LazyTriOptions extends TriOptions {
  chunks?: ChunkSpec;
}

/** An N × M lazy array of ones at and below diagonal k (da.tri; Dask's chunks). */
export function tri(N: number, options: LazyTriOptions = {}): LazyArray {
  const { chunks: spec, ...rest } = readOptions("tri", options, ["M", "k", "dtype", "chunks"]);
  // The eager function checks N, M, k and dtype on an empty case first, naming them.
  nd.tri(0, { ...rest, M: 0 });
  if (!Number.isSafeInteger(N) || N < 0) throw new InvalidOptionError(`tri: N must be a non-negative integer, got ${JSON.stringify(N)}`);
  const M = rest.M ?? N;
  if (!Number.isSafeInteger(M) || M < 0) throw new InvalidOptionError(`tri: M must be a non-negative integer, got ${JSON.stringify(M)}`);
  const dtype = toDType(rest.dtype ?? "float64", "tri dtype");
  const normalized = normalizeChunks(spec ?? "auto", [N, M], dtypeInfo(dtype).itemsize, undefined, "tri");
  const chunks = [regular(N, normalized[0][0]), regular(M, normalized[1][0])];
  const k = rest.k ?? 0;
  return LazyArray.of({ name: `tri-${tokenize(N, M, k, dtype, chunks)}`, shape: [N, M], chunks, dtype, expr: new ShiftedDiagonalExpr("tri", nd.tri, k) });
}

export interface LazyTriangleIndexOptions extends TriangleIndexOptions {
  chunks?: ChunkSpec;
}

function indicesOf(what: string, spec: TriangleSpec, chunkSpec: ChunkSpec | undefined): [LazyArray, LazyArray] {
  const length = triangleIndexCount(spec);
  const chunks = normalizeChunks(chunkSpec ?? "auto", [length], 8, undefined, what);
  const token = tokenize(spec, chunks);
  return ([0, 1] as const).map((part) => LazyArray.of({
    name: `${what}-${part === 0 ? "rows" : "cols"}-${token}`, shape: [length], chunks, dtype: "int64", expr: new TriangleIndexExpr(spec, part),
  })) as [LazyArray, LazyArray];
}

function indexFunction(what: string, lower: boolean) {
  return (n: number, options: LazyTriangleIndexOptions = {}): [LazyArray, LazyArray] => {
    const { chunks, ...rest } = readOptions(what, options, ["k", "m", "chunks"]);
    return indicesOf(what, triangleSpec(what, n, rest, lower), chunks);
  };
}

function fromFunction(what: string, lower: boolean) {
  return (arr: LazyArray | nd.NDArray, options: { k?: number; chunks?: ChunkSpec } = {}): [LazyArray, LazyArray] => {
    if (!(arr instanceof LazyArray) && !(arr instanceof nd.NDArray)) throw new InvalidOptionError(`${what}: expected a tessera array, got ${String(arr)}`);
    const { chunks, ...rest } = readOptions(what, options, ["k", "chunks"]);
    const { n, ...shape } = fromShape(what, arr.shape, rest);
    return indicesOf(what, triangleSpec(what, n, shape, lower), chunks);
  };
}

/** [rows, columns] of the lower triangle of an n × m matrix, lazily (da.tril_indices; known length). */
export const trilIndices = indexFunction("trilIndices", true);
/** [rows, columns] of the upper triangle (da.triu_indices). */
export const triuIndices = indexFunction("triuIndices", false);
/** trilIndices of a 2-d array's shape (da.tril_indices_from). */
export const trilIndicesFrom = fromFunction("trilIndicesFrom", true);
/** triuIndices of a 2-d array's shape (da.triu_indices_from). */
export const triuIndicesFrom = fromFunction("triuIndicesFrom", false);
