/**
 * A complex m × n matrix A = X + iY as the real 2m × 2n matrix [[X, −Y], [Y, X]]: the real
 * embedding has exactly the singular values of A, each twice (if A = U S Vᴴ, the embedding's
 * SVD is built from the real and imaginary parts of U and V, with S on the diagonal twice).
 * The complex SVD-based norms (2, −2, "nuc") take the real SVD of the embedding instead of a
 * complex one: the largest and smallest are the embedding's, the sum is half of the
 * embedding's sum. The real SVD is backward stable on the embedding, so each singular value
 * stays within c·n·ε·‖A‖₂ as the real path's.
 *
 * Chunked: the embedding of each block of a matrix chunked along one axis is a block of a row
 * (or column) permutation of the embedding of the whole matrix, and a permutation keeps the
 * singular values; so the lazy SVD of the block-by-block embedding gives them too.
 */
import { defineBuiltin } from "../core/builtin.js";
import { InvalidOptionError } from "../core/errors.js";
import { type DType, complexPartDType, isComplexDType } from "./dtype.js";
import { empty, type NDArray } from "./ndarray.js";

/** The real embedding of a row-major complex matrix (interleaved re, im) into a row-major Float64Array. */
export function embedInterleaved(storage: ArrayLike<number>, offset: number, rows: number, cols: number): Float64Array {
  const width = 2 * cols;
  const out = new Float64Array(4 * rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const at = offset + 2 * (i * cols + j);
      const re = storage[at];
      const im = storage[at + 1];
      out[i * width + j] = re;
      out[i * width + cols + j] = -im;
      out[(rows + i) * width + j] = im;
      out[(rows + i) * width + cols + j] = re;
    }
  }
  return out;
}

/** The real embedding [[X, −Y], [Y, X]] of one complex 2-d block, in the dtype of its halves. */
export const complexRealEmbedding = defineBuiltin("ndarray.complexRealEmbedding", function complexRealEmbedding(block: NDArray): NDArray {
  if (!isComplexDType(block.dtype) || block.ndim !== 2) {
    throw new InvalidOptionError(`complexRealEmbedding takes a complex matrix, got ${block.ndim}-d ${block.dtype}`);
  }
  const [rows, cols] = block.shape;
  const values = embedInterleaved(block.toStorage() as ArrayLike<number>, 0, rows, cols);
  const dtype: DType = complexPartDType(block.dtype);
  const out = empty([2 * rows, 2 * cols], dtype);
  (out.data as Float64Array | Float32Array).set(values);
  return out;
});
