/**
 * The real embedding [[X, −Y], [Y, X]] of a complex matrix X + iY, block by block
 * (ndarray/complex-real-embedding.ts): each block of A becomes the 2r × 2c embedding of that
 * block, so the blocks form a row and column permutation of the embedding of A, which has A's
 * singular values, each twice. The chunked complex SVD norms take the real SVD of this array;
 * A chunked along one axis gives an embedding chunked along the same axis only, as the SVD
 * needs.
 */
import { tokenize } from "../core/ids.js";
import { functionRefOf } from "../graph/function-travel.js";
import { complexRealEmbedding } from "../ndarray/complex-real-embedding.js";
import { complexPartDType } from "../ndarray/dtype.js";
import { LazyArray } from "./array.js";
import type { ArrayNode } from "./expr.js";
import { PerBlockExpr } from "./per-block.js";

export function complexRealEmbeddingOf(x: LazyArray): LazyArray {
  const input: ArrayNode = x;
  const node: ArrayNode = {
    name: `complex-real-embedding-${tokenize(input.name)}`,
    shape: input.shape.map((n) => 2 * n),
    chunks: input.chunks.map((sizes) => sizes.map((n) => 2 * n)),
    dtype: complexPartDType(input.dtype),
    expr: new PerBlockExpr(functionRefOf(complexRealEmbedding), [input], (index) => ({ blocks: [{ node: input, index: [...index] }], args: [] })),
  };
  return LazyArray.of(node);
}
