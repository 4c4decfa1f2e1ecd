/**
 * NumPy 1.24's cov and corrcoef (numpy/lib/function_base.py), without fweights / aweights /
 * complex input: the variables are the rows (rowvar, the default) or the columns of a 1-d or 2-d
 * array, cast to float64 (NumPy's result_type(m, float64) for every real dtype); y, when given,
 * adds its variables after m's. The mean of each variable is subtracted, and the covariance is
 * dot(X, Xᵀ) · (1 / (N − ddof)), squeezed as NumPy squeezes it. corrcoef divides by the standard
 * deviations and clips to [−1, 1] as NumPy does.
 * The dot is tessera's, not OpenBLAS's: its sums run in another order, so the last bits differ
 * from NumPy's (the tests bound the difference by the dot product's rounding error).
 */
import { definePublicBuiltin } from "./public-parameters.js";
import { refuseComplex } from "./complex-refusal.js";
import { InvalidOptionError } from "../core/errors.js";
import { divide, multiply, subtract } from "./arithmetic.js";
import { astype } from "./copy.js";
import { diag } from "./diagonal.js";
import { concatenate } from "./join.js";
import { NDArray } from "./ndarray.js";
import { empty } from "./ndarray.js";
import { clip } from "./selection.js";
import { mean } from "./statistics.js";
import { dot } from "./tensordot.js";
import { sqrt } from "./unary.js";
import { reshape, squeeze, transpose } from "./views.js";

export interface CovOptions {
  /** Each row a variable (default), or each column. */
  rowvar?: boolean;
  /** Normalise by N instead of N − 1 (when ddof is not given). */
  bias?: boolean;
  /** Delta degrees of freedom: the divisor is N − ddof (overrides bias). */
  ddof?: number | null;
}

export interface CorrcoefOptions {
  rowvar?: boolean;
}

const covOptionNames = ["rowvar", "bias", "ddof"];

/** Options checked as NumPy and Dask check them; anything else refused by name. */
export function covOptionsOf(what: string, options: CovOptions, allowed = covOptionNames): { rowvar: boolean; bias: boolean; ddof: number | null } {
  if (options === null || typeof options !== "object" || Array.isArray(options)) throw new InvalidOptionError(`${what}: options must be an object, got ${JSON.stringify(options)}`);
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) throw new InvalidOptionError(`${what}: unknown option "${key}"; ${what} takes ${allowed.join(", ")}`);
  }
  const { rowvar = true, bias = false, ddof = null } = options;
  if (typeof rowvar !== "boolean") throw new InvalidOptionError(`${what}: rowvar must be true or false, got ${JSON.stringify(rowvar)}`);
  if (typeof bias !== "boolean") throw new InvalidOptionError(`${what}: bias must be true or false, got ${JSON.stringify(bias)}`);
  if (ddof !== null && (typeof ddof !== "number" || !Number.isInteger(ddof))) throw new InvalidOptionError(`${what}: ddof must be an integer, got ${JSON.stringify(ddof)}`);
  return { rowvar, bias, ddof };
}

/** Refuses what NumPy's cov refuses or tessera does not carry (complex does not exist here). */
export function checkCovInput(what: string, role: string, shape: readonly number[]): void {
  if (shape.length > 2) throw new InvalidOptionError(`${what}: ${role} has more than 2 dimensions (shape [${shape.join(", ")}]); pass one variable per row or column`);
  if (shape.length === 0) throw new InvalidOptionError(`${what}: ${role} is 0-d; pass a 1-d or 2-d array of observations`);
}

/** array(a, ndmin=2, dtype=float64), oriented with variables on rows (NumPy's own transpose rule). */
function variablesOnRows(a: NDArray, rowvar: boolean): NDArray {
  const x = astype(a.shape.length === 1 ? reshape(a, [1, a.shape[0]]) : a, "float64");
  return !rowvar && x.shape[0] !== 1 ? transpose(x) : x;
}

export const cov = definePublicBuiltin("cov", function cov(m: NDArray, yOrOptions?: NDArray | CovOptions | null, maybeOptions?: CovOptions): NDArray {
  refuseComplex("cov", m.dtype);
  if (yOrOptions instanceof NDArray) refuseComplex("cov", yOrOptions.dtype);
  const yGiven = yOrOptions !== undefined && yOrOptions !== null && typeof (yOrOptions as NDArray).shape === "object";
  const y = yGiven ? (yOrOptions as NDArray) : null;
  const { rowvar, bias, ddof: ddofGiven } = covOptionsOf("cov", (yGiven ? maybeOptions : (yOrOptions as CovOptions | null | undefined)) ?? {});
  checkCovInput("cov", "m", m.shape);
  if (y) checkCovInput("cov", "y", y.shape);
  let x = variablesOnRows(m, rowvar);
  if (x.shape[0] === 0) return empty([0, 0], "float64");
  if (y) {
    const other = variablesOnRows(y, rowvar);
    if (other.shape[1] !== x.shape[1]) throw new InvalidOptionError(`cov: m and y have ${x.shape[1]} and ${other.shape[1]} observations; they must have the same number`);
    x = concatenate([x, other], 0);
  }
  const ddof = ddofGiven ?? (bias ? 0 : 1);
  let fact = x.shape[1] - ddof;
  if (fact <= 0) fact = 0;
  const centred = subtract(x, mean(x, { axis: 1, keepdims: true }));
  // NumPy multiplies by the reciprocal (c *= true_divide(1, fact)); Dask divides (routines.py).
  return squeeze(multiply(dot(centred, transpose(centred)), 1 / fact));
});

export const corrcoef = definePublicBuiltin("corrcoef", function corrcoef(x: NDArray, yOrOptions?: NDArray | CorrcoefOptions | null, maybeOptions?: CorrcoefOptions): NDArray {
  refuseComplex("corrcoef", x.dtype);
  if (yOrOptions instanceof NDArray) refuseComplex("corrcoef", yOrOptions.dtype);
  const yGiven = yOrOptions !== undefined && yOrOptions !== null && typeof (yOrOptions as NDArray).shape === "object";
  const options = (yGiven ? maybeOptions : (yOrOptions as CorrcoefOptions | null | undefined)) ?? {};
  const { rowvar } = covOptionsOf("corrcoef", options, ["rowvar"]);
  const c = yGiven ? cov(x, yOrOptions as NDArray, { rowvar }) : cov(x, { rowvar });
  if (c.shape.length === 0) return divide(c, c);
  const stddev = sqrt(diag(c));
  const n = stddev.shape[0];
  const scaled = divide(divide(c, reshape(stddev, [n, 1])), reshape(stddev, [1, n]));
  // NumPy clips the real part to [−1, 1] (rounding can push |r| past 1); NaN stays NaN.
  return clip(scaled, -1, 1);
});
