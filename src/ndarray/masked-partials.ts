/**
 * Tree-reduction steps of lazy masked reductions (array/ma/masked-reduction.ts), run in workers
 * as built-ins. Each step reads one masked block ([data, mask], masked-kernels.ts maskedBlock)
 * and makes ONE partial holding both what the data reduces to and how many elements were
 * unmasked, so a masked sum is one tree of tasks (Dask reduces np.ma.MaskedArray chunks the
 * same way) rather than a tree for the filled data and another for the mask.
 *
 * numpy.ma's rules (NumPy 1.24), as reductions.ts states them for the two-tree form: the data
 * filled with the operation's neutral value (sum 0, prod 1, any False, all True, min the
 * dtype's largest, max its smallest) and reduced; the result masked where no element was
 * unmasked, min and max putting the default fill value there; mean the masked division of the
 * sum (float64 for bool and integer data) by the count, NumPy's `dsum * 1. / cnt`.
 */
import { defineBuiltin } from "../core/builtin.js";
import { divide, multiply } from "./arithmetic.js";
import { equal } from "./comparison.js";
import { astype } from "./copy.js";
import { dtypeInfo, type DType } from "./dtype.js";
import { defaultFillValue, fillValueIn, maximumFillValue, minimumFillValue } from "./masked-fill-value.js";
import { maskedDivisionData, maskedDivisionMask } from "./masked-kernels.js";
import { concatenateNested } from "./nested-concatenate.js";
import type { NDArray } from "./ndarray.js";
import { promoteTypes } from "./promotion.js";
import { all, any, max, min, prod, sum } from "./reductions.js";
import { where } from "./selection.js";
import { logicalNot } from "./unary.js";

type MaskedBlock = [NDArray, NDArray];
/** What a block or a group of blocks reduces to: the reduced filled data and the unmasked count. */
interface MaskedPartial {
  value: NDArray;
  count: NDArray;
}
interface StepOptions {
  axis: number[];
  keepdims: boolean;
}

const reducers = { sum, prod, min, max, any, all, mean: sum } as const;
export type MaskedReductionKind = keyof typeof reducers;

/** The neutral value each reduction fills the masked elements with (a bigint stays one: int64's extremes). */
function neutral(kind: MaskedReductionKind, dtype: DType): number | bigint {
  if (kind === "min" || kind === "max") {
    const fill = kind === "min" ? minimumFillValue(dtype) : maximumFillValue(dtype);
    return typeof fill === "bigint" ? fill : Number(fill);
  }
  return kind === "prod" || kind === "all" ? 1 : 0;
}

/** `value` under the mask, the data elsewhere, in the data's dtype (np.copyto as putUnder). */
function putUnder(mask: NDArray, value: number | bigint, data: NDArray): NDArray {
  const stored = typeof value === "bigint" ? value : fillValueIn(value, data.dtype, "masked reduction");
  const merged = where(mask, data.dtype === "bool" && typeof stored === "number" ? stored !== 0 : stored, data);
  return merged.dtype === data.dtype ? merged : astype(merged, data.dtype);
}

/** numpy.ma's mean sums bool and integer data in float64. */
const meanDtype = (dtype: DType): DType | undefined => (dtypeInfo(dtype).kind === "f" ? undefined : "float64");

function chunkOf(kind: MaskedReductionKind, [data, mask]: MaskedBlock, { axis }: StepOptions): MaskedPartial {
  const filled = putUnder(mask, neutral(kind, data.dtype), data);
  const dtype = kind === "mean" ? meanDtype(data.dtype) : undefined;
  const value = dtype === undefined ? reducers[kind](filled, { axis, keepdims: true }) : sum(filled, { axis, keepdims: true, dtype });
  return { value, count: sum(logicalNot(mask), { axis, keepdims: true, dtype: "int64" }) };
}

/** Nested lists of partials over the reduced axes (ta.reduction with concatenate false) as one partial. */
function combined(kind: MaskedReductionKind, nested: unknown, { axis, keepdims }: StepOptions): MaskedPartial {
  const field = (name: keyof MaskedPartial) => {
    const pick = (value: unknown): unknown => (Array.isArray(value) ? value.map(pick) : (value as MaskedPartial)[name]);
    return concatenateNested(pick(nested), axis, "masked reduction");
  };
  return { value: reducers[kind](field("value"), { axis, keepdims }), count: sum(field("count"), { axis, keepdims }) };
}

/** The last step: the masked block of the result. */
function aggregateOf(kind: MaskedReductionKind, nested: unknown, options: StepOptions): MaskedBlock {
  const { value, count } = combined(kind, nested, options);
  const none = equal(count, 0);
  if (kind === "min" || kind === "max") return [putUnder(none, Number(defaultFillValue(value.dtype)), value), none];
  if (kind !== "mean") return [value, none];
  // NumPy's dsum * 1. / cnt, as a domained division (masked where the count is 0 or the mean is not finite).
  const total = multiply(value, 1);
  const mask = maskedDivisionMask(total, count, none, false, { op: "divide" });
  const safe = promoteTypes(total.dtype, divide(total, count).dtype) === divide(total, count).dtype;
  return [maskedDivisionData(total, count, mask, { op: "divide", safe }), mask];
}

type Steps = [
  chunk: (block: MaskedBlock, options: StepOptions) => MaskedPartial,
  combine: (nested: unknown, options: StepOptions) => MaskedPartial,
  aggregate: (nested: unknown, options: StepOptions) => MaskedBlock,
];

function stepsOf(kind: MaskedReductionKind): Steps {
  const named = `ndarray.masked${kind[0].toUpperCase()}${kind.slice(1)}`;
  return [
    defineBuiltin(`${named}Chunk`, (block: MaskedBlock, options: StepOptions) => chunkOf(kind, block, options)),
    defineBuiltin(`${named}Combine`, (nested: unknown, options: StepOptions) => combined(kind, nested, options)),
    defineBuiltin(`${named}Aggregate`, (nested: unknown, options: StepOptions) => aggregateOf(kind, nested, options)),
  ];
}

// Exported one by one: the worker's catalog (graph/builtin-catalog.ts) finds built-ins among a module's exports.
export const [maskedSumChunk, maskedSumCombine, maskedSumAggregate] = stepsOf("sum");
export const [maskedProdChunk, maskedProdCombine, maskedProdAggregate] = stepsOf("prod");
export const [maskedMinChunk, maskedMinCombine, maskedMinAggregate] = stepsOf("min");
export const [maskedMaxChunk, maskedMaxCombine, maskedMaxAggregate] = stepsOf("max");
export const [maskedAnyChunk, maskedAnyCombine, maskedAnyAggregate] = stepsOf("any");
export const [maskedAllChunk, maskedAllCombine, maskedAllAggregate] = stepsOf("all");
export const [maskedMeanChunk, maskedMeanCombine, maskedMeanAggregate] = stepsOf("mean");

/** The chunk, combine and aggregate built-ins of each masked reduction. */
export const maskedReductionSteps: Record<MaskedReductionKind, Steps> = {
  sum: [maskedSumChunk, maskedSumCombine, maskedSumAggregate],
  prod: [maskedProdChunk, maskedProdCombine, maskedProdAggregate],
  min: [maskedMinChunk, maskedMinCombine, maskedMinAggregate],
  max: [maskedMaxChunk, maskedMaxCombine, maskedMaxAggregate],
  any: [maskedAnyChunk, maskedAnyCombine, maskedAnyAggregate],
  all: [maskedAllChunk, maskedAllCombine, maskedAllAggregate],
  mean: [maskedMeanChunk, maskedMeanCombine, maskedMeanAggregate],
};
