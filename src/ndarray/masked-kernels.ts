/**
 * Block kernels of lazy masked arrays (tessera/array's ma), run in workers as built-ins.
 *
 * A domained step (a division, sqrt, log, …) needs its raw result for both the data and the
 * mask. Built from separate lazy steps, that raw result would be one task read by two chains
 * and could fuse into neither; each kernel here computes it again instead (a few flops per
 * element against a task's messages), so the step is one data task and one mask task per block,
 * as Dask's one masked-block task per step when its graph is not optimized.
 *
 * A masked block ([data, mask], maskedBlock) is what one task hands on when a masked array is
 * computed or persisted (array/ma/masked-blocks.ts): a plain two-element array of NDArrays,
 * which the wire, the thread codec, spill files and the memory count carry as any array of
 * NDArrays, so the engine needs no block kind of its own for it.
 */
import { defineBuiltin } from "../core/builtin.js";
import { add, divide, floorDivide, multiply, remainder } from "./arithmetic.js";
import { isfinite } from "./classification.js";
import { greater, greaterEqual, less, lessEqual, logicalOr } from "./comparison.js";
import { astype, copy } from "./copy.js";
import type { Operand } from "./promotion.js";
import { arccos, arcsin, cos, log10, log2, tan } from "./math-functions.js";
import { arccosh, arctanh } from "./math-functions.js";
import { NDArray } from "./ndarray.js";
import { abs, log, logicalNot, sqrt } from "./unary.js";
import { where } from "./selection.js";
import { broadcastTo } from "./views.js";

/**
 * A mask block stretched to the shape of the data block it belongs to: a mask that came from a
 * smaller broadcast operand must still line up element by element with the result's data.
 */
export const maskedBroadcastMask = defineBuiltin("ndarray.maskedBroadcastMask", function maskedBroadcastMask(mask: NDArray, like: NDArray): NDArray {
  return copy(broadcastTo(mask, like.shape));
});

const divisions = { divide, floorDivide, remainder } as const;
export type MaskedDivisionOp = keyof typeof divisions;

const tiny = 2.2250738585072014e-308;
const absOf = (x: Operand): Operand => (x instanceof NDArray ? astype(abs(x), "float64") : Math.abs(Number(x)));

/** numpy.ma's _DomainSafeDivide: |a|·tiny ≥ |b|. */
function unsafeDivisor(a: Operand, b: Operand): NDArray {
  const scaledA = a instanceof NDArray ? multiply(absOf(a), tiny) : Math.abs(Number(a)) * tiny;
  return greaterEqual(scaledA, absOf(b));
}

function orMasks(mask: NDArray, ...more: Operand[]): NDArray {
  return more.reduce<NDArray>((acc, m) => (m instanceof NDArray ? logicalOr(acc, m) : m ? logicalOr(acc, true) : acc), mask);
}

/** The mask of a domained division (_DomainedBinaryOperation): not finite, unsafe divisor, or an operand masked (false: none). */
export const maskedDivisionMask = defineBuiltin("ndarray.maskedDivisionMask", function maskedDivisionMask(a: Operand, b: Operand, maskA: Operand, maskB: Operand, options: { op: MaskedDivisionOp }): NDArray {
  const raw = divisions[options.op](a, b);
  const mask = orMasks(logicalNot(isfinite(raw)), unsafeDivisor(a, b), maskA, maskB);
  return mask.shape.length === raw.shape.length ? mask : copy(broadcastTo(mask, raw.shape));
});

/**
 * The data of a domained division: NumPy's copyto(result, 0, where=m); result += m * a when a
 * casts safely to the result (a sum, not a select: -0 + 0 is +0 where a is 0).
 */
export const maskedDivisionData = defineBuiltin("ndarray.maskedDivisionData", function maskedDivisionData(a: Operand, b: Operand, mask: NDArray, options: { op: MaskedDivisionOp; safe: boolean }): NDArray {
  const raw = divisions[options.op](a, b);
  const zeroed = where(mask, 0, raw);
  if (!options.safe) return zeroed;
  const sum = add(zeroed, multiply(mask, a));
  return sum.dtype === raw.dtype ? sum : astype(sum, raw.dtype);
});

/** numpy.ma's domained unary functions and their domains (where each is undefined). */
const unaries = {
  sqrt: [sqrt, (d: NDArray) => less(d, 0)],
  log: [log, (d: NDArray) => lessEqual(d, 0)],
  log2: [log2, (d: NDArray) => lessEqual(d, 0)],
  log10: [log10, (d: NDArray) => lessEqual(d, 0)],
  tan: [tan, (d: NDArray) => less(abs(cos(d)), 1e-35)],
  arcsin: [arcsin, (d: NDArray) => logicalOr(greater(d, 1), less(d, -1))],
  arccos: [arccos, (d: NDArray) => logicalOr(greater(d, 1), less(d, -1))],
  arccosh: [arccosh, (d: NDArray) => less(d, 1)],
  arctanh: [arctanh, (d: NDArray) => logicalOr(greater(d, 1 - 1e-15), less(d, -1 + 1e-15))],
} as const satisfies Record<string, readonly [(d: NDArray) => NDArray, (d: NDArray) => NDArray]>;
export type MaskedUnaryOp = keyof typeof unaries;
export const maskedUnaryOps = Object.keys(unaries) as MaskedUnaryOp[];

/** The mask of a domained unary function: not finite, outside the domain, or masked. */
export const maskedUnaryMask = defineBuiltin("ndarray.maskedUnaryMask", function maskedUnaryMask(d: NDArray, mask: NDArray, options: { op: MaskedUnaryOp }): NDArray {
  const [fn, domain] = unaries[options.op];
  return orMasks(logicalNot(isfinite(fn(d))), domain(d), mask);
});

/** The data of a domained unary function: the input's data under the mask where it casts to the result (`copy`), as NumPy's copyto. */
export const maskedUnaryData = defineBuiltin("ndarray.maskedUnaryData", function maskedUnaryData(d: NDArray, mask: NDArray, options: { op: MaskedUnaryOp; copy: boolean }): NDArray {
  const raw = unaries[options.op][0](d);
  if (!options.copy) return raw;
  const merged = where(mask, d, raw);
  return merged.dtype === raw.dtype ? merged : astype(merged, raw.dtype);
});

/** A masked block: the data block and its mask block as one task result (see the module comment). */
export const maskedBlock = defineBuiltin("ndarray.maskedBlock", function maskedBlock(data: NDArray, mask: NDArray): [NDArray, NDArray] {
  return [data, mask.shape.length === data.shape.length && mask.shape.every((n, i) => n === data.shape[i]) ? mask : copy(broadcastTo(mask, data.shape))];
});

/** The data (part 0) or the mask (part 1) of a masked block. */
export const maskedBlockPart = defineBuiltin("ndarray.maskedBlockPart", function maskedBlockPart(block: [NDArray, NDArray], options: { part: 0 | 1 }): NDArray {
  return block[options.part];
});
