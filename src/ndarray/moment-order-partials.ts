/**
 * The three steps of dask.array's moment(a, order) for order ≥ 2, as Dask 2022.12 computes them
 * (reductions.py: moment_chunk, moment_combine, moment_agg, _moment_helper — Pébay's one-pass
 * combination of central moments), on the partials of the tree reduction (tree-reduction.ts):
 * - chunk: n (int64 count), total = sum(x, dtype=dt), u = total / n, and for i = 2 … order
 *   M_i = sum((x − u)^i, dtype=dt);
 * - combine (in float64, Dask's default there): partials laid out in their grid, n = Σ ns,
 *   total = Σ totals, inner = totals / ns − total / n, and for each o = 2 … order
 *   M_o = Σ M_o + Σ ns·inner^o + Σ_{k=1}^{o−2} C(o, k) · Σ M_{o−k}·inner^k;
 * - aggregate (in dt): the same for `order` alone, divided by Σ n − ddof (NaN where negative).
 * Powers as NumPy's: ^1 the values, ^2 a square, others correctly rounded as glibc's pow gives
 * them to NumPy (roundedIntegerPower). NumPy's AVX-512 power (SVML) is not correctly rounded, so
 * on such machines orders ≥ 3 differ from Dask's in the last bits; order 2 is Dask's bit for bit. var's partials
 * (moment-partials.ts) are order 2 alone; these carry every order up to `order`.
 */
import { InvalidOptionError } from "../core/errors.js";
import { add, divide, multiply, power, subtract } from "./arithmetic.js";
import { astype } from "./copy.js";
import { full } from "./creation.js";
import { type DType, dtypeInfo } from "./dtype.js";
import { layOut } from "./mean-partials.js";
import { partialGrid } from "./moment-partials.js";
import type { NDArray } from "./ndarray.js";
import { sum } from "./reductions.js";
import { productError } from "./fused-multiply-add.js";

export interface OrderMomentPartial {
  /** Marks the partial and gives its order. */
  momentOrder: number;
  n: NDArray;
  total: NDArray;
  /** M_2 … M_order (Dask's M[..., 0 … order − 2]). */
  ms: NDArray[];
}

export function isOrderMomentPartial(value: unknown): value is OrderMomentPartial {
  return typeof value === "object" && value !== null && typeof (value as { momentOrder?: unknown }).momentOrder === "number";
}

/** NumPy's var dtype (Dask's moment dtype when none is given): the input's float dtype, else float64. */
export function orderMomentDType(inputDType: DType, dtype: DType | undefined): DType {
  const dt = dtype ?? (dtypeInfo(inputDType).kind === "f" ? inputDType : "float64");
  if (dtypeInfo(dt).kind !== "f") throw new InvalidOptionError(`moment: the moments accumulate in their result dtype, which must be float32 or float64, got ${dt}`);
  return dt;
}

/**
 * x^k correctly rounded (but in cases within ~2^-100 of a tie), as glibc's pow gives NumPy's
 * np.power of float64 without AVX-512 (V8's Math.pow is not always: it gives (5.5 − 43/6)^3 an
 * ulp off): the power in double-double, then rounded. Non-finite values and ones past 2^300 take Math.pow.
 */
export function roundedIntegerPower(x: number, k: number): number {
  if (!Number.isFinite(x) || Math.abs(x) > 2 ** 300 || (x !== 0 && Math.abs(x) < 2 ** -300)) return Math.pow(x, k);
  let hi = x;
  let lo = 0;
  for (let i = 1; i < k; i++) {
    const p = hi * x;
    const e = productError(hi, x, p) + lo * x;
    hi = p + e;
    lo = e - (hi - p);
  }
  return Number.isFinite(hi) ? hi : Math.pow(x, k);
}

/** x^i as NumPy's `x ** i` for a Python int i: ^1 the values, ^2 a square, else pow (float32: powf). */
function raised(x: NDArray, i: number): NDArray {
  if (i === 1) return x;
  if (i === 2) return multiply(x, x);
  if (x.dtype !== "float64" && x.dtype !== "float32") return power(x, i);
  const out = astype(x, x.dtype);
  const values = out.data as Float64Array | Float32Array;
  const single = x.dtype === "float32";
  for (let j = 0; j < values.length; j++) values[j] = single ? Math.fround(roundedIntegerPower(values[j], i)) : roundedIntegerPower(values[j], i);
  return out;
}

/** Dask's divide(a, b, dtype=dt) with NumPy 1.24: a / b with NumPy's promotion, then cast to dt. */
function divideIn(a: NDArray, b: NDArray, dtype: DType): NDArray {
  const quotient = divide(a, b);
  return quotient.dtype === dtype ? quotient : astype(quotient, dtype);
}

export function orderMomentPartialOf(block: NDArray, axes: readonly number[], order: number, dtype: DType): OrderMomentPartial {
  const options = { axis: [...axes], keepdims: true };
  const total = sum(block, { ...options, dtype });
  const n = full(block.shape.map((length, axis) => (axes.includes(axis) ? 1 : length)), axes.reduce((p, axis) => p * block.shape[axis], 1), "int64");
  const deviations = subtract(block, divide(total, n));
  const ms: NDArray[] = [];
  for (let i = 2; i <= order; i++) ms.push(sum(raised(deviations, i), { ...options, dtype }));
  return { momentOrder: order, n, total, ms };
}

interface LaidOut {
  ns: NDArray;
  totals: NDArray;
  ms: NDArray[];
}

function layOutAll(partials: readonly OrderMomentPartial[], grid: readonly number[] | undefined, axes: readonly number[]): LaidOut {
  const cells = partialGrid(partials.length, partials[0].n.shape, grid, axes, "moment");
  return {
    ns: layOut(partials.map((p) => p.n), cells),
    totals: layOut(partials.map((p) => p.total), cells),
    ms: partials[0].ms.map((_, j) => layOut(partials.map((p) => p.ms[j]), cells)),
  };
}

/** Dask's _moment_helper for one order, every sum in `dtype` with `keepdims`. */
function momentHelper(laid: LaidOut, inner: NDArray, order: number, axes: readonly number[], dtype: DType, keepdims: boolean): NDArray {
  const options = { axis: [...axes], keepdims, dtype };
  let m = add(sum(laid.ms[order - 2], options), sum(multiply(laid.ns, raised(inner, order)), options));
  for (let k = 1; k < order - 1; k++) {
    const coeff = factorial(order) / (factorial(k) * factorial(order - k));
    m = add(m, astype(multiply(sum(multiply(laid.ms[order - k - 2], raised(inner, k)), options), coeff), m.dtype));
  }
  return m;
}

function factorial(n: number): number {
  let out = 1;
  for (let i = 2; i <= n; i++) out *= i;
  return out;
}

/** Dask's moment_combine: everything in float64. */
export function combineOrderMomentPartials(partials: readonly OrderMomentPartial[], grid: readonly number[] | undefined, axes: readonly number[]): OrderMomentPartial {
  const laid = layOutAll(partials, grid, axes);
  const options = { axis: [...axes], keepdims: true, dtype: "float64" as DType };
  const n = sum(laid.ns, options);
  const total = sum(laid.totals, options);
  const mu = divideIn(total, n, "float64");
  const inner = subtract(divideIn(laid.totals, laid.ns, "float64"), mu);
  const order = partials[0].momentOrder;
  const ms: NDArray[] = [];
  for (let o = 2; o <= order; o++) ms.push(momentHelper(laid, inner, o, axes, "float64", true));
  return { momentOrder: order, n, total, ms };
}

/** Dask's moment_agg: the moment of `order` in `dtype`, reduced axes kept or dropped. */
export function finishOrderMomentPartials(partials: readonly OrderMomentPartial[], grid: readonly number[] | undefined, axes: readonly number[], options: { keepdims: boolean; ddof: number; dtype: DType }): NDArray {
  const { keepdims, ddof, dtype } = options;
  const laid = layOutAll(partials, grid, axes);
  const kept = { axis: [...axes], keepdims: true, dtype };
  const n = sum(laid.ns, kept);
  const mu = divideIn(sum(laid.totals, kept), n, dtype);
  const inner = subtract(divideIn(laid.totals, laid.ns, dtype), mu);
  const m = momentHelper(laid, inner, partials[0].momentOrder, axes, dtype, keepdims);
  // denominator = n.sum(axis, dtype=dt, keepdims) − ddof, NaN where negative, then M / it in dt.
  const counts = sum(n, { axis: [...axes], keepdims, dtype });
  const denominator = subtract(counts, ddof);
  const values = denominator.data as Float64Array | Float32Array;
  for (let i = 0; i < values.length; i++) if (values[i] < 0) values[i] = NaN;
  return divideIn(m, denominator, dtype);
}
