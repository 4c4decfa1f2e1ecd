/**
 * The block functions of chunked contractions (tessera/array tensordot, matmul and einsum,
 * Dask's `_tensordot` / `_matmul` with concatenate=False, and `chunk_einsum`): the product of one block of a with one
 * block of b, keeping each contracted axis as an axis of length 1 so that the partial
 * products of the blocks along it can be summed by a tree reduction afterwards.
 */
import { defineBuiltin } from "../core/builtin.js";
import { contract } from "./tensordot.js";
import type { DType } from "./dtype.js";
import { einsumLabels } from "./einsum.js";
import { labelSizes } from "./einsum-subscripts.js";
import { matmul } from "./matmul.js";
import type { NDArray } from "./ndarray.js";
import { reshape } from "./views.js";

/** tensordot of two blocks shaped as a's axes (contracted ones of length 1) then b's free axes. */
export const tensordotPartial = defineBuiltin("ndarray.tensordotPartial", function tensordotPartial(a: NDArray, b: NDArray, options: { axesA: number[]; axesB: number[] }): NDArray {
  const product = contract(a, b, options);
  const freeB = b.shape.filter((_, axis) => !options.axesB.includes(axis));
  return reshape(product, [...a.shape.map((n, axis) => (options.axesA.includes(axis) ? 1 : n)), ...freeB]);
});

/**
 * matmul of two blocks as (batch…, n, 1, m) with `batchNdim` batch axes: a 1-d block of a is a
 * row (n = 1), a 1-d block of b a column (m = 1); the axis of length 1 is the contracted one.
 */
export const matmulPartial = defineBuiltin("ndarray.matmulPartial", function matmulPartial(a: NDArray, b: NDArray, options: { batchNdim: number }): NDArray {
  const left = a.ndim === 1 ? reshape(a, [1, a.shape[0]]) : a;
  const right = b.ndim === 1 ? reshape(b, [b.shape[0], 1]) : b;
  const product = matmul(left, right);
  const batch = product.shape.slice(0, -2);
  const [n, m] = product.shape.slice(-2);
  return reshape(product, [...new Array<number>(options.batchNdim - batch.length).fill(1), ...batch, n, 1, m]);
});

export interface EinsumPartialOptions {
  inputs: number[][];
  output: number[];
  dtype: DType;
  /** How many contracted labels: length-1 axes appended to the block's einsum. */
  contracted: number;
}

/** einsum of one block of each operand over the labels read once by the caller (Dask's chunk_einsum). */
export const einsumPartial = defineBuiltin("ndarray.einsumPartial", function einsumPartial(...args: Array<NDArray | EinsumPartialOptions>): NDArray {
  const options = args[args.length - 1] as EinsumPartialOptions;
  const blocks = args.slice(0, -1) as NDArray[];
  // Lengths from the blocks themselves: a label of length 1 in one block broadcasts against another's.
  const result = einsumLabels(blocks, options.inputs, options.output, options.dtype, labelSizes(options.inputs, blocks.map((block) => block.shape)));
  return reshape(result, [...result.shape, ...new Array<number>(options.contracted).fill(1)]);
});
