/**
 * NumPy's matmul (the `@` operator): a stack of matrix products over the last two axes, the
 * leading (batch) axes broadcast as NumPy broadcasts. A 1-d a is a row (its axis of length 1
 * dropped from the result), a 1-d b a column; 0-d operands are refused, as NumPy refuses them.
 * The result dtype is NumPy's promotion of the two (bool · bool is bool, integers wrap).
 */
import { definePublicBuiltin } from "./public-parameters.js";
import { InvalidOptionError } from "../core/errors.js";
import { broadcastShapes } from "./broadcast.js";
import { astype, ascontiguousarray, requireArray } from "./copy.js";
import { multiplyMatrices } from "./matrix-product.js";
import { cStrides, empty, shapeSize, type NDArray } from "./ndarray.js";
import { promoteTypes } from "./promotion.js";
import { reshape } from "./views.js";

const signature = "(n?,k),(k,m?)->(n?,m?)";

/** The result shape of matmul, refusing 0-d operands and mismatched core axes as NumPy does. */
export function matmulShape(shapeA: readonly number[], shapeB: readonly number[]): { batch: number[]; shape: number[] } {
  [shapeA, shapeB].forEach((shape, operand) => {
    if (shape.length === 0) throw new InvalidOptionError(`matmul: Input operand ${operand} does not have enough dimensions (has 0, gufunc core with signature ${signature} requires 1)`);
  });
  const k = shapeA[shapeA.length - 1];
  const kB = shapeB.length === 1 ? shapeB[0] : shapeB[shapeB.length - 2];
  if (k !== kB) {
    throw new InvalidOptionError(`matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature ${signature} (size ${kB} is different from ${k}; shapes [${shapeA.join(", ")}] and [${shapeB.join(", ")}])`);
  }
  let batch: number[];
  try {
    batch = broadcastShapes(shapeA.slice(0, -2), shapeB.slice(0, -2));
  } catch (error) {
    throw new InvalidOptionError(`matmul: the batch axes of shapes [${shapeA.join(", ")}] and [${shapeB.join(", ")}] do not broadcast: ${(error as Error).message}`, { cause: error });
  }
  const rows = shapeA.length === 1 ? [] : [shapeA[shapeA.length - 2]];
  const columns = shapeB.length === 1 ? [] : [shapeB[shapeB.length - 1]];
  return { batch, shape: [...batch, ...rows, ...columns] };
}

/** Flat offset (in matrices) of the batch element `index` of an operand with `own` batch shape, broadcast. */
function batchOffset(own: readonly number[], index: readonly number[]): number {
  const strides = cStrides(own);
  const lead = index.length - own.length;
  let at = 0;
  own.forEach((length, axis) => {
    if (length !== 1) at += index[axis + lead] * strides[axis];
  });
  return at;
}

export const matmul = definePublicBuiltin("matmul", function matmul(a: NDArray, b: NDArray): NDArray {
  requireArray(a, "matmul (a)");
  requireArray(b, "matmul (b)");
  const { batch, shape } = matmulShape(a.shape, b.shape);
  const dtype = promoteTypes(a.dtype, b.dtype);
  // 1-d operands as a row / a column, so every product below is (m × k) · (k × n).
  const left = a.ndim === 1 ? reshape(a, [1, a.shape[0]]) : a;
  const right = b.ndim === 1 ? reshape(b, [b.shape[0], 1]) : b;
  const [m, k] = left.shape.slice(-2);
  const n = right.shape[right.ndim - 1];
  const A = left.dtype === dtype ? ascontiguousarray(left) : astype(left, dtype);
  const B = right.dtype === dtype ? ascontiguousarray(right) : astype(right, dtype);
  const batchA = A.shape.slice(0, -2);
  const batchB = B.shape.slice(0, -2);
  const out = empty([...batch, m, n], dtype);
  const index = batch.map(() => 0);
  for (let flat = 0; flat < shapeSize(batch); flat++) {
    multiplyMatrices(
      dtype,
      { data: A.storage, offset: A.offset + batchOffset(batchA, index) * m * k },
      { data: B.storage, offset: B.offset + batchOffset(batchB, index) * k * n },
      { data: out.storage, offset: flat * m * n },
      m, k, n,
    );
    for (let axis = batch.length - 1; axis >= 0; axis--) {
      if (++index[axis] < batch[axis]) break;
      index[axis] = 0;
    }
  }
  return reshape(out, shape);
});
