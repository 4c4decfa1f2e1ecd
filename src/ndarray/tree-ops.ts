/**
 * The chunked reductions beyond sum/prod/min/max/mean/var/std, plugged into the three steps
 * of tree-reduction.ts (block → partial, partials → partial, partial → result):
 * - any / all: boolean partials combined by or / and;
 * - nansum / nanprod: NumPy's per-block nansum / nanprod (dtype rules included) combined by
 *   add / multiply, as Dask's nansum;
 * - nanmin / nanmax: per-block fmin / fmax folds combined by fmin / fmax (NaN where a slice
 *   holds only NaN);
 * - nanmean: Dask's (non-NaN count, nansum) partials (mean-partials.ts);
 * - nanvar / nanstd: NaN-skipping moments (nan-moments.ts);
 * - argmin / argmax / nanargmin / nanargmax: (value, index) partials (arg-partials.ts), whose
 *   first step needs the block's place in the array (`origin`).
 * Also what a partial costs, for the plan's memory estimate.
 */
import { InvalidOptionError } from "../core/errors.js";
import { add, multiply } from "./arithmetic.js";
import { type ArgOp, type ArgPartial, type BlockOrigin, argPartial, combineArgPartials, finishArgPartial } from "./arg-partials.js";
import { logicalAnd, logicalOr } from "./comparison.js";
import { type DType, dtypeInfo } from "./dtype.js";
import { type MomentPartial, momentDType, momentPartialOf } from "./moment-partials.js";
import { NDArray, empty } from "./ndarray.js";
import { type MeanPartial, finishMean, isMeanPartial, meanDType, meanPartialOf } from "./mean-partials.js";
import { nanmax, nanmin, nanprod, nansum } from "./nan-reductions.js";
import { all, any } from "./reductions.js";
import { squeeze } from "./views.js";

export type { BlockOrigin } from "./arg-partials.js";

export const extendedTreeOps = [
  "any", "all", "nansum", "nanprod", "nanmin", "nanmax", "nanmean", "nanvar", "nanstd", "argmin", "argmax", "nanargmin", "nanargmax",
] as const;
export type ExtendedTreeOp = (typeof extendedTreeOps)[number];

/** The options of one chunked reduction (tree-reduction.ts's TreeOptions). */
export interface ExtendedTreeOptions {
  op: ExtendedTreeOp;
  axes: number[];
  keepdims?: boolean;
  ddof?: number;
  dtype?: DType;
}

type Partial = NDArray | MomentPartial | MeanPartial | ArgPartial;

export function isExtendedTreeOp(op: string): op is ExtendedTreeOp {
  return (extendedTreeOps as readonly string[]).includes(op);
}

const argOps: ReadonlySet<string> = new Set(["argmin", "argmax", "nanargmin", "nanargmax"]);
const momentOps: ReadonlySet<string> = new Set(["var", "std", "nanvar", "nanstd", "moment"]);
const meanOps: ReadonlySet<string> = new Set(["mean", "nanmean"]);

/** Whether the first step is given the block's origin (arg reductions report indices in the whole array). */
export function partialNeedsOrigin(op: string): boolean {
  return argOps.has(op);
}

/** Bytes per element of a partial, for memory estimates (any reduction, base ones included). */
export function partialItemBytes(op: string, inputDType: DType, resultDType: DType | undefined, order = 2): number {
  // moment(order): its count (int64), total and the central sums of orders 2…order (moment-order-partials.ts).
  if (op === "moment") return 8 + order * dtypeInfo(resultDType ?? "float64").itemsize;
  if (momentOps.has(op)) return 3 * 8;
  // Dask's (n, total), both in the result dtype.
  if (meanOps.has(op)) return 2 * dtypeInfo(resultDType ?? "float64").itemsize;
  if (argOps.has(op)) return dtypeInfo(inputDType).itemsize + 8 + 1;
  if (op === "nanmin" || op === "nanmax") return dtypeInfo(inputDType).itemsize;
  return dtypeInfo(resultDType ?? inputDType).itemsize;
}

/** Scratch bytes of the first step on a block of `elements` (copies its kernel makes). */
export function partialScratchBytes(op: string, inputDType: DType, elements: number): number {
  // moment(order): the float64 deviations and, one order at a time, their power (a new array).
  if (op === "moment") return 2 * 8 * elements;
  // Moments (Dask's moment_chunk): the float64 deviations, squared in place; nan forms also the
  // isnan mask and its negation and nansum's NaN-free copies of the block and the squares.
  if (momentOps.has(op)) {
    const nanCopies = op.startsWith("nan") ? 2 * elements + (dtypeInfo(inputDType).kind === "f" ? dtypeInfo(inputDType).itemsize * elements : 0) + 8 * elements : 0;
    return 8 * elements + nanCopies;
  }
  // nanmean: the isnan mask and its negation, plus nansum's NaN-free copy of a float block
  // (a mean's sum casts through NumPy's 8192-element buffer only).
  if (op === "nanmean") return 2 * elements + (dtypeInfo(inputDType).kind === "f" ? dtypeInfo(inputDType).itemsize * elements : 0);
  if ((op === "nansum" || op === "nanprod") && dtypeInfo(inputDType).kind === "f") return dtypeInfo(inputDType).itemsize * elements;
  return 0;
}

export function reduceExtendedPartial(block: NDArray, options: ExtendedTreeOptions, origin?: BlockOrigin): Partial {
  const { op, axes } = options;
  const dtype = options.dtype ? { dtype: options.dtype } : {};
  switch (op) {
    case "any": return any(block, { axis: axes, keepdims: true });
    case "all": return all(block, { axis: axes, keepdims: true });
    case "nansum": return nansum(block, { axis: axes, keepdims: true, ...dtype });
    case "nanprod": return nanprod(block, { axis: axes, keepdims: true, ...dtype });
    case "nanmin": return nanmin(block, { axis: axes, keepdims: true });
    case "nanmax": return nanmax(block, { axis: axes, keepdims: true });
    case "nanmean": return meanPartialOf(block, axes, meanDType(block, options), true);
    case "nanvar": case "nanstd": return momentPartialOf(block, axes, momentDType(block, options), true);
    default:
      if (!origin) throw new InvalidOptionError(`${op}: the first step of a chunked ${op} needs the block's origin in the array`);
      return argPartial(block, op, axes, origin);
  }
}

/** fmin / fmax of two partials of the same shape (NaN only where both are NaN; ties keep the first). */
function foldNaNExtremum(a: NDArray, b: NDArray, lower: boolean): NDArray {
  const out = empty(a.shape, a.dtype);
  const left = a.data as Float64Array;
  const right = b.data as Float64Array;
  const values = out.data as Float64Array;
  for (let i = 0; i < values.length; i++) {
    const x = left[i];
    const y = right[i];
    values[i] = x !== x || (lower ? y < x : y > x) ? y : x;
  }
  return out;
}

export function combineExtendedPartials(partials: readonly Partial[], options: ExtendedTreeOptions): Partial {
  const { op } = options;
  if (argOps.has(op)) return combineArgPartials(partials as ArgPartial[], op as ArgOp);
  let result = partials[0];
  for (let i = 1; i < partials.length; i++) {
    const next = partials[i];
    if (op === "any") result = logicalOr(result as NDArray, next as NDArray);
    else if (op === "all") result = logicalAnd(result as NDArray, next as NDArray);
    else if (op === "nansum") result = add(result as NDArray, next as NDArray);
    else if (op === "nanprod") result = multiply(result as NDArray, next as NDArray);
    else result = foldNaNExtremum(result as NDArray, next as NDArray, op === "nanmin");
  }
  return result;
}

export function finishExtendedReduction(partial: Partial, options: ExtendedTreeOptions): NDArray {
  const { op, axes } = options;
  const keepdims = options.keepdims ?? false;
  if (argOps.has(op)) return finishArgPartial(partial as ArgPartial, op as ArgOp, axes, keepdims);
  if (isMeanPartial(partial)) return finishMean(partial, axes, keepdims);
  const result = partial as NDArray;
  return keepdims ? result : squeeze(result, axes);
}
