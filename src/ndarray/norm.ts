/**
 * Vector and matrix norms (np.linalg.norm, da.linalg.norm), written once over the operations
 * they are made of, so that the eager norm (NDArrays) and the lazy one (tessera/array) take the
 * same steps in the same order: NumPy's
 *   - ord None or 2 over one axis, None/"fro" over two: sqrt of the sum of x·x;
 *   - ±inf: the largest / smallest |x| (vectors), or of the row (column) sums of |x| (matrices);
 *   - 0 (vectors): the count of nonzeros as the float dtype; 1 / −1 (matrices): the largest /
 *     smallest column sum of |x|; any other p (vectors): (Σ|x|^p)^(1/p).
 * Axis: none = every axis (at most two, except for ord None, which is the whole array's
 * Frobenius norm for any rank, as NumPy computes it), one axis, or two distinct axes.
 * The matrix norms of the singular values (2: the largest, −2: the smallest, "nuc": their sum)
 * take the steps' `singularValueNorm`, given the input in its own dtype (the SVD keeps float32).
 * keepdims keeps the normed axes as length 1.
 */
import { InvalidOptionError } from "../core/errors.js";
import { normalizeAxis } from "./axes.js";

export type NormOrder = number | "fro" | "nuc" | null;

export interface NormOptions {
  ord?: NormOrder;
  axis?: number | readonly number[] | null;
  keepdims?: boolean;
}

/** The steps a norm is made of, on either kind of array. */
export interface NormSteps<A> {
  ndim(x: A): number;
  /** x as the float dtype the norm is computed in. */
  toFloat(x: A): A;
  abs(x: A): A;
  /** x·x elementwise; for complex x the real |x|² = re² + im² (NumPy's (x.conj() * x).real). */
  square(x: A): A;
  /** x ** p elementwise (p a number). */
  power(x: A, p: number): A;
  sqrt(x: A): A;
  /** 1 where x ≠ 0, else 0, in x's dtype (in the dtype of its halves for complex x). */
  nonzero(x: A): A;
  sum(x: A, axis: number[], keepdims: boolean): A;
  max(x: A, axis: number[], keepdims: boolean): A;
  min(x: A, axis: number[], keepdims: boolean): A;
  /** The norm of order 2, −2 or "nuc" over the matrices on axes (row, col); absent: refused. */
  singularValueNorm?(x: A, row: number, col: number, ord: 2 | -2 | "nuc", keepdims: boolean): A;
}

function readOptions(options: NormOptions | undefined, ndim: number): { ord: NormOrder; axes: number[]; keepdims: boolean; whole: boolean } {
  const o = options ?? {};
  if (o === null || typeof o !== "object" || Array.isArray(o)) throw new InvalidOptionError(`norm takes an options object { ord, axis, keepdims }, got ${JSON.stringify(options)}`);
  for (const key of Object.keys(o)) if (!["ord", "axis", "keepdims"].includes(key)) throw new InvalidOptionError(`norm: unknown option "${key}"; norm takes ord, axis and keepdims`);
  const ord = o.ord ?? null;
  if (!(ord === null || ord === "fro" || ord === "nuc" || (typeof ord === "number" && !Number.isNaN(ord)))) {
    throw new InvalidOptionError(`norm: ord ${JSON.stringify(ord)} is not a norm order: use a number, ±Infinity, "fro" or "nuc"`);
  }
  const keepdims = o.keepdims ?? false;
  if (typeof keepdims !== "boolean") throw new InvalidOptionError(`norm: keepdims must be true or false, got ${JSON.stringify(keepdims)}`);
  const given = o.axis ?? null;
  const list = given === null ? [...Array(ndim).keys()] : typeof given === "number" ? [given] : Array.isArray(given) ? [...given] : null;
  if (list === null) throw new InvalidOptionError(`norm: axis must be an integer or a list of integers, got ${JSON.stringify(given)}`);
  const axes = list.map((a) => normalizeAxis(a, ndim, "norm"));
  if (new Set(axes).size !== axes.length) throw new InvalidOptionError(`norm: duplicate axes given: ${JSON.stringify(given)}`);
  return { ord, axes, keepdims, whole: given === null };
}

/** The norm of `x` with `steps`: NumPy's np.linalg.norm. */
export function normWith<A>(steps: NormSteps<A>, x: A, options?: NormOptions): A {
  const ndim = steps.ndim(x);
  const { ord, axes, keepdims, whole } = readOptions(options, ndim);
  const r = steps.toFloat(x);
  // NumPy's fast path: the Frobenius (or 2-) norm of the whole array, whatever its rank.
  if (whole && (ord === null || (ord === "fro" && ndim === 2) || (ord === 2 && ndim === 1))) return steps.sqrt(steps.sum(steps.square(r), axes, keepdims));
  if (axes.length === 1) {
    if (ord === Infinity) return steps.max(steps.abs(r), axes, keepdims);
    if (ord === -Infinity) return steps.min(steps.abs(r), axes, keepdims);
    if (ord === 0) return steps.sum(steps.nonzero(r), axes, keepdims);
    if (ord === 1) return steps.sum(steps.abs(r), axes, keepdims);
    if (ord === null || ord === 2) return steps.sqrt(steps.sum(steps.square(r), axes, keepdims));
    if (typeof ord === "string") throw new InvalidOptionError(`norm: invalid norm order "${ord}" for vectors (one axis)`);
    return steps.power(steps.sum(steps.power(steps.abs(r), ord), axes, keepdims), 1 / ord);
  }
  if (axes.length !== 2) throw new InvalidOptionError(`norm: improper number of dimensions to norm (${axes.length} axes; give axis as one axis or two)`);
  const [row, col] = axes;
  if (ord === null || ord === "fro") return steps.sqrt(steps.sum(steps.square(r), axes, keepdims));
  if (ord === 2 || ord === -2 || ord === "nuc") {
    // The input itself, not its float64 copy: NumPy's and Dask's SVD keep float32.
    if (steps.singularValueNorm) return steps.singularValueNorm(x, row, col, ord, keepdims);
    throw new InvalidOptionError(`norm: ord ${JSON.stringify(ord)} of a matrix needs its singular values, which these steps do not compute; use "fro", 1, -1, Infinity or -Infinity`);
  }
  // Column sums (over the rows) for ±1, row sums (over the columns) for ±inf, then their extreme over the other axis.
  const summedAxis = ord === 1 || ord === -1 ? row : ord === Infinity || ord === -Infinity ? col : null;
  if (summedAxis === null) throw new InvalidOptionError(`norm: invalid norm order ${JSON.stringify(ord)} for matrices: use "fro", 1, -1, Infinity or -Infinity`);
  const other = summedAxis === row ? col : row;
  const sums = steps.sum(steps.abs(r), [summedAxis], true);
  return ord > 0 ? steps.max(sums, [other, summedAxis], keepdims) : steps.min(sums, [other, summedAxis], keepdims);
}
