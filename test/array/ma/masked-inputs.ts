/**
 * Masked test inputs with real shapes: 37 × 23 in 10 × 5 blocks (uneven last blocks), one
 * block row fully masked, one column fully masked (so reductions along axis 0 give a masked
 * element), and a scattering of masked elements elsewhere; float64, float32, int32, int8 and
 * bool data drawn from a fixed-seed generator.
 */
import * as nd from "../../../src/ndarray/index.js";
import * as ta from "../../../src/array/index.js";
import type { MaskedInput } from "./masked-eval.js";

export const shape = [37, 23];
export const chunks = [[4, 4, 4, 4, 4, 4, 4, 4, 4, 1], [5, 5, 5, 5, 3]];

function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** The mask shared by the inputs (true = masked). */
export function maskOf(seed = 7): nd.NDArray {
  const next = generator(seed);
  const values: boolean[][] = [];
  for (let i = 0; i < shape[0]; i++) {
    const row: boolean[] = [];
    for (let j = 0; j < shape[1]; j++) row.push(i < 4 || j === 7 || next() < 0.2);
    values.push(row);
  }
  return nd.array(values, { dtype: "bool" });
}

/** Data of a dtype: small integers (exact sums in any order), negatives and zeros included. */
export function dataOf(dtype: nd.DType, seed = 3, low = -5, high = 6): nd.NDArray {
  const next = generator(seed);
  const values: number[][] = [];
  for (let i = 0; i < shape[0]; i++) {
    const row: number[] = [];
    for (let j = 0; j < shape[1]; j++) row.push(Math.floor(low + next() * (high - low)));
    values.push(row);
  }
  return dtype === "bool" ? nd.array(values.map((r) => r.map((v) => v > 0)), { dtype }) : nd.array(values, { dtype });
}

export function input(data: nd.NDArray, mask: nd.NDArray = maskOf()): MaskedInput {
  return { data, mask, chunks };
}

export function lazy(input: MaskedInput): ta.ma.MaskedArray {
  return ta.ma.maskedArray(ta.fromArray(input.data, { chunks: input.chunks.map((c) => [...c]) }), { mask: ta.fromArray(input.mask, { chunks: input.chunks.map((c) => [...c]) }) });
}
