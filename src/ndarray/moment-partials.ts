/**
 * The three steps of a chunked var / std / nanvar / nanstd exactly as Dask 2022.12 computes
 * them (dask/array/reductions.py: moment_chunk, moment_combine, moment_agg, _moment_helper), so
 * tessera's result for the same chunks and splitEvery equals Dask's bit for bit. `dt` is the
 * result dtype (NumPy's var dtype: float64 for integers and bool, the input's float dtype, or
 * the one asked for).
 * - chunk: n (int64 count; non-NaN count for nan*), total = sum(x, dtype=dt), u = total / n
 *   (NumPy's promotion: float64), M = sum((x − u)², dtype=dt) (nansum for nan*);
 * - combine (in float64, Dask's default dtype "f8" there): partials laid out in their grid,
 *   n = Σ ns, total = Σ totals, mu = total / n, inner = totals / ns − mu,
 *   M = Σ Ms + Σ ns·inner² (nansum for nan*);
 * - aggregate (in dt): the same with every sum and division in dt, then M / (Σ n − ddof), NaN
 *   where that is negative; std is the square root in dt. One deliberate difference: nanvar /
 *   nanstd give NumPy's NaN where Σ n − ddof is 0 and M > 0, where Dask 2022.12 gives inf.
 * NumPy's pairwise summation, its 8192-element buffered casts and its promotion rules come from
 * the ndarray kernels (reductions.ts, arithmetic.ts), as for the mean (mean-partials.ts).
 */
import { InvalidOptionError } from "../core/errors.js";
import { add, divide, multiply, subtract } from "./arithmetic.js";
import { isnan } from "./classification.js";
import { astype, copy } from "./copy.js";
import { full } from "./creation.js";
import { type DType, complexPartDType, dtypeInfo, isComplexDType } from "./dtype.js";
import { imag, real } from "./complex.js";
import { layOut } from "./mean-partials.js";
import { type NDArray, empty } from "./ndarray.js";
import { nansum } from "./nan-reductions.js";
import { sum } from "./reductions.js";
import { logicalNot } from "./unary.js";
import { squeeze } from "./views.js";

export interface MomentPartial {
  /** Marks the partial (so it is never read as a mean's (n, total)). */
  moment: 2;
  n: NDArray;
  total: NDArray;
  m: NDArray;
}

export function isMomentPartial(value: unknown): value is MomentPartial {
  return typeof value === "object" && value !== null && (value as { moment?: unknown }).moment === 2;
}

/** NumPy's var dtype when none is asked for: the float dtype of the input (of each half of a complex one), float64 otherwise. */
export function momentDType(block: NDArray, options: { dtype?: DType }): DType {
  const kind = dtypeInfo(block.dtype).kind;
  const dtype = options.dtype ?? (kind === "f" || kind === "c" ? complexPartDType(block.dtype) : "float64");
  if (dtypeInfo(dtype).kind !== "f") throw new InvalidOptionError(`var/std: the chunked moments accumulate in their result dtype, which must be float32 or float64, got ${dtype}`);
  return dtype;
}

/** Dask's moment_chunk (order 2), with nansum and nannumel for nanvar / nanstd. */
export function momentPartialOf(block: NDArray, axes: readonly number[], dtype: DType, skipNaN: boolean): MomentPartial {
  const options = { axis: [...axes], keepdims: true };
  const complexInput = isComplexDType(block.dtype);
  // A complex total stays complex (its own dtype): summed in the real dtype it would lose its imaginary part.
  const total = (skipNaN ? nansum : sum)(block, { ...options, ...(complexInput ? {} : { dtype }) });
  const n = skipNaN
    ? sum(logicalNot(isnan(block)), options)
    : full(block.shape.map((length, axis) => (axes.includes(axis) ? 1 : length)), axes.reduce((p, axis) => p * block.shape[axis], 1), "int64");
  // nansum for nan*: |x − u|² is NaN where x had NaN in either half.
  if (complexInput) return { moment: 2, n, total, m: (skipNaN ? nansum : sum)(squaredMagnitude(subtract(block, divide(total, n))), { ...options, dtype }) };
  // (x − u)² squared in place: the deviations are a fresh float64 array of this call's own.
  const squares = subtract(block, divide(total, n));
  if (squares.dtype !== "float64" || squares.data.length !== squares.size) throw new InvalidOptionError(`var: deviations came out ${squares.dtype}, not dense float64`);
  const values = squares.data as Float64Array;
  for (let i = 0; i < values.length; i++) values[i] *= values[i];
  return { moment: 2, n, total, m: (skipNaN ? nansum : sum)(squares, { ...options, dtype }) };
}

interface LaidOut {
  ns: NDArray;
  totals: NDArray;
  ms: NDArray;
}

/**
 * The grid `count` partials of shape `shape` lie in over the reduced axes: the one given, or
 * for one partial or one reduced axis, the partials side by side along it.
 */
export function partialGrid(count: number, shape: readonly number[], grid: readonly number[] | undefined, axes: readonly number[], what: string): readonly number[] {
  const cells = grid ?? (count === 1 || axes.length === 1 ? shape.map((_, axis) => (axis === axes[0] ? count : 1)) : undefined);
  if (!cells || cells.reduce((p, n) => p * n, 1) !== count) {
    throw new InvalidOptionError(`${what}: ${count} partials need their grid over the reduced axes [${axes.join(", ")}], got ${cells ? cells.join("×") : "none"}`);
  }
  return cells;
}

function layOutAll(partials: readonly MomentPartial[], grid: readonly number[] | undefined, axes: readonly number[]): LaidOut {
  const cells = partialGrid(partials.length, partials[0].n.shape, grid, axes, "var");
  return {
    ns: layOut(partials.map((p) => p.n), cells),
    totals: layOut(partials.map((p) => p.total), cells),
    ms: layOut(partials.map((p) => p.m), cells),
  };
}

/**
 * Dask's divide(a, b, dtype=dt) with Debian's NumPy 1.24: dask.array.numpy_compat finds that
 * NumPy's divide mishandles `dtype` and falls back to a / b with NumPy's promotion, then a cast
 * to dt — not a division in dt (which rounds differently for float32).
 */
function divideIn(a: NDArray, b: NDArray, dtype: DType): NDArray {
  const quotient = divide(a, b);
  const target = isComplexDType(a.dtype) ? complexOf(dtype) : dtype;
  return quotient.dtype === target ? quotient : astype(quotient, target);
}

/** The complex dtype whose halves are `dtype` (float32 → complex64): complex totals are summed and divided in it. */
function complexOf(dtype: DType): DType {
  return dtype === "float32" ? "complex64" : "complex128";
}

/**
 * x·x for real x, |x|² = re² + im² for complex x (NumPy's _var for complex; Dask 2022.12 drops
 * the imaginary part instead, a bug fixed in later Dask: tessera gives NumPy's variance).
 */
function squaredMagnitude(x: NDArray): NDArray {
  if (!isComplexDType(x.dtype)) return multiply(x, x);
  const re = real(x);
  const im = imag(x);
  return add(multiply(re, re), multiply(im, im));
}

/** Dask's _moment_helper for order 2: Σ Ms + Σ ns·inner² (nansum for nan*), sums in `dtype`. */
function momentHelper(laid: LaidOut, inner: NDArray, axes: readonly number[], dtype: DType, keepdims: boolean, skipNaN: boolean): NDArray {
  const options = { axis: [...axes], keepdims, dtype };
  return add(sum(laid.ms, options), (skipNaN ? nansum : sum)(multiply(laid.ns, squaredMagnitude(inner)), options));
}

/** Dask's moment_combine: everything in float64. */
export function combineMomentPartials(partials: readonly MomentPartial[], grid: readonly number[] | undefined, axes: readonly number[], skipNaN: boolean): MomentPartial {
  const laid = layOutAll(partials, grid, axes);
  const options = { axis: [...axes], keepdims: true, dtype: "float64" as DType };
  const n = sum(laid.ns, options);
  const total = sum(laid.totals, { ...options, dtype: isComplexDType(laid.totals.dtype) ? "complex128" : "float64" });
  const mu = divideIn(total, n, "float64");
  const inner = subtract(divideIn(laid.totals, laid.ns, "float64"), mu);
  return { moment: 2, n, total, m: momentHelper(laid, inner, axes, "float64", true, skipNaN) };
}

/** Dask's moment_agg (and std's square root): the variance in `dtype`, keepdims applied. */
export function finishMomentPartials(
  partials: readonly MomentPartial[], grid: readonly number[] | undefined, axes: readonly number[],
  options: { keepdims: boolean; ddof: number; dtype: DType; skipNaN: boolean; root: boolean },
): NDArray {
  const { keepdims, ddof, dtype, skipNaN } = options;
  const laid = layOutAll(partials, grid, axes);
  const kept = { axis: [...axes], keepdims: true, dtype };
  const n = sum(laid.ns, kept);
  const mu = divideIn(sum(laid.totals, { ...kept, dtype: isComplexDType(laid.totals.dtype) ? complexOf(dtype) : dtype }), n, dtype);
  const inner = subtract(divideIn(laid.totals, laid.ns, dtype), mu);
  const m = copy(momentHelper(laid, inner, axes, dtype, true, skipNaN));
  const counts = copy(n).data as Float64Array;
  const out = empty(m.shape, dtype);
  const values = out.data as Float64Array;
  const moments = m.data as Float64Array;
  const single = dtype === "float32";
  // denominator = n − ddof in dt (ddof cast to dt first, as NumPy's scalar), NaN when negative.
  const shift = single ? Math.fround(ddof) : ddof;
  for (let i = 0; i < values.length; i++) {
    let denominator = counts[i] - shift;
    if (single) denominator = Math.fround(denominator);
    if (denominator < 0) denominator = NaN;
    let variance = moments[i] / denominator;
    // nanvar / nanstd keep NumPy's NaN where n − ddof = 0 and M > 0 (Dask 2022.12 gives inf
    // there); M = 0 already gives 0 / 0, the same NaN as Dask's.
    if (skipNaN && denominator === 0 && variance === Infinity) variance = NaN;
    values[i] = options.root ? Math.sqrt(single ? Math.fround(variance) : variance) : variance;
  }
  return keepdims ? out : squeeze(out, [...axes]);
}
