/**
 * Tree-reduction steps of the lazy masked var and std (array/ma/masked-reduction.ts), run in
 * workers as built-ins, so a masked variance is ONE tree over masked blocks ([data, mask],
 * masked-kernels.ts maskedBlock) as Dask 2022.12 reduces np.ma.MaskedArray chunks with its
 * moment_chunk / moment_combine / moment_agg (moment-partials.ts is the plain array's form).
 *
 * Each partial holds the unmasked count n, a reference u (the unmasked mean as computed) and
 * M = Σ(x − u)², r = Σ(x − u) over the unmasked elements, all but n in float64, merged by Chan's
 * parallel formula with r's correction (merged below); a partial with no unmasked element adds
 * nothing (Dask drops it through its mask; here its terms are zero, not 0·NaN). numpy.ma takes
 * the mean first and Σ(x − mean)² second over the whole array; the two agree to rounding in
 * float64, and for float32 data numpy.ma rounds each step to float32 where this accumulates in
 * float64 (the result is float64 in both: numpy.ma divides the float32 sum by the int64 count).
 *
 * The last step (maskedVarFinish, blockwise on the aggregated partials) is numpy.ma's
 * divide(Σ(x − mean)², count − ddof) with its mask: over every element (a 0-d result) the
 * domained division's mask (count − ddof ~ 0, or a non-finite quotient); otherwise masked
 * where every element was masked or count − ddof ≤ 0, as numpy.ma replaces the mask there.
 */
import { defineBuiltin } from "../core/builtin.js";
import { add, divide, multiply, subtract } from "./arithmetic.js";
import { equal, lessEqual, logicalOr } from "./comparison.js";
import { astype } from "./copy.js";
import type { DType } from "./dtype.js";
import { maskedDivisionData, maskedDivisionMask } from "./masked-kernels.js";
import { concatenateNested } from "./nested-concatenate.js";
import type { NDArray } from "./ndarray.js";
import { sum } from "./reductions.js";
import { where } from "./selection.js";
import { logicalNot } from "./unary.js";
import { squeeze } from "./views.js";

type MaskedBlock = [NDArray, NDArray];
/**
 * A block or group of blocks around a reference u (float64): the unmasked count n, M = Σ(x − u)²
 * and r = Σ(x − u) over the unmasked elements. u is their computed mean, off the exact mean by
 * its rounding; r carries that offset, so merging loses nothing to it (see merged).
 */
interface MaskedMomentPartial {
  n: NDArray;
  u: NDArray;
  m: NDArray;
  r: NDArray;
}
interface StepOptions {
  axis: number[];
  keepdims: boolean;
}

const asFloat64 = (a: NDArray): NDArray => (a.dtype === "float64" ? a : astype(a, "float64"));

export const maskedVarChunk = defineBuiltin("ndarray.maskedVarChunk", function maskedVarChunk([data, mask]: MaskedBlock, { axis }: StepOptions): MaskedMomentPartial {
  const kept = { axis, keepdims: true };
  const values = asFloat64(data);
  const n = sum(logicalNot(mask), { ...kept, dtype: "int64" });
  // The block's mean as reference (0 where nothing is unmasked: every deviation there is masked).
  const u = where(equal(n, 0), 0, divide(sum(where(mask, 0, values), kept), n));
  const deviations = where(mask, 0, subtract(values, u));
  return { n, u, m: sum(multiply(deviations, deviations), kept), r: sum(deviations, kept) };
});

/**
 * Nested lists of partials over the reduced axes (ta.reduction with concatenate false) merged
 * around one reference μ (their weighted mean), reduced axes kept. For each partial, with
 * d = u − μ: Σ(x − μ)² = M + 2·d·r + n·d² and Σ(x − μ) = r + n·d, exactly. With r taken as 0
 * this is Chan's parallel formula (Dask's _moment_helper); carrying r keeps each block mean's
 * rounding out of the result, where Chan's form lets it in at first order (about 1e-12 of
 * the variance for data near 1e4 with a spread near 0.4, against numpy.ma's two passes).
 */
function merged(nested: unknown, axis: number[]): MaskedMomentPartial {
  const field = (name: keyof MaskedMomentPartial) => {
    const pick = (value: unknown): unknown => (Array.isArray(value) ? value.map(pick) : (value as MaskedMomentPartial)[name]);
    return concatenateNested(pick(nested), axis, "masked var");
  };
  const [ns, us, ms, rs] = [field("n"), field("u"), field("m"), field("r")];
  const kept = { axis, keepdims: true };
  const n = sum(ns, kept);
  const mu = where(equal(n, 0), 0, divide(sum(multiply(ns, us), kept), n));
  const d = subtract(us, mu);
  const weighted = multiply(ns, d);
  return {
    n,
    u: mu,
    m: sum(add(add(ms, multiply(multiply(d, 2), rs)), multiply(weighted, d)), kept),
    r: sum(add(rs, weighted), kept),
  };
}

export const maskedVarCombine = defineBuiltin("ndarray.maskedVarCombine", function maskedVarCombine(nested: unknown, { axis }: StepOptions): MaskedMomentPartial {
  return merged(nested, axis);
});

export const maskedVarAggregate = defineBuiltin("ndarray.maskedVarAggregate", function maskedVarAggregate(nested: unknown, { axis, keepdims }: StepOptions): MaskedMomentPartial {
  const { n, u, m, r } = merged(nested, axis);
  return keepdims ? { n, u, m, r } : { n: squeeze(n, axis), u: squeeze(u, axis), m: squeeze(m, axis), r: squeeze(r, axis) };
});

interface FinishOptions {
  ddof: number;
  /** The result covers every element (a 0-d result): its mask is the division's own. */
  scalar: boolean;
  dtype: DType;
}

/** numpy.ma's divide(M, count − ddof) and the result's mask, as the masked block of the result. */
export const maskedVarFinish = defineBuiltin("ndarray.maskedVarFinish", function maskedVarFinish({ n, m, r }: MaskedMomentPartial, { ddof, scalar, dtype }: FinishOptions): MaskedBlock {
  const count = subtract(n, ddof);
  const none = equal(n, 0);
  // Σ(x − mean)² = Σ(x − u)² − (Σ(x − u))² / n (0 where nothing is unmasked).
  const squares = where(none, 0, subtract(m, divide(multiply(r, r), n)));
  const quotientMask = maskedDivisionMask(squares, count, none, false, { op: "divide" });
  const values = maskedDivisionData(squares, count, quotientMask, { op: "divide", safe: true });
  const data = values.dtype === dtype ? values : astype(values, dtype);
  return [data, scalar ? quotientMask : logicalOr(none, lessEqual(count, 0))];
});
