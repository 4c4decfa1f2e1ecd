/**
 * dask.array's cov and corrcoef (Dask 2022.12, routines.py), built from lazy operations as
 * Dask builds them, so the graph and chunks are Dask's:
 * - cov: X = m as float64 with at least 2 axes; a single variable forces rowvar (Dask's rule,
 *   applied to y too); y's variables are concatenated after m's; X − X.mean(observation axis,
 *   keepdims); then dot(X, Xᵀ) / fact (rowvar) or dot(Xᵀ, X) / fact, squeezed. fact is
 *   N − ddof, 0 when that is not positive (inf / NaN follow, as in Dask and NumPy).
 * - corrcoef: c / √diag(c) (as a column) / √diag(c) (as a row); c / c for a 0-d c. No clip to
 *   [−1, 1] (NumPy's corrcoef clips; Dask's does not).
 */
import { InvalidOptionError } from "../core/errors.js";
import { refuseComplex } from "../ndarray/complex-refusal.js";
import { type CorrcoefOptions, type CovOptions, checkCovInput, covOptionsOf } from "../ndarray/covariance.js";
import * as nd from "../ndarray/index.js";
import { LazyArray, binary } from "./array.js";
import { concatenateNodes } from "./concatenate.js";
import { diag } from "./diagonal.js";
import { mean } from "./reduction-functions.js";
import { dotNode } from "./tensordot.js";
import { sqrt } from "./ufuncs.js";

const divide = (a: LazyArray, b: LazyArray | number): LazyArray => binary(nd.divide, a, b);
const subtract = (a: LazyArray, b: LazyArray): LazyArray => binary(nd.subtract, a, b);

function splitArguments<T>(what: string, yOrOptions: LazyArray | T | null | undefined, maybeOptions: T | undefined): { y: LazyArray | null; options: T } {
  if (yOrOptions instanceof LazyArray) return { y: yOrOptions, options: maybeOptions ?? ({} as T) };
  if (yOrOptions !== null && typeof yOrOptions === "object" && "shape" in (yOrOptions as object)) {
    throw new InvalidOptionError(`${what}: y must be a chunked array (ta.Array) when m is; wrap an NDArray with ta.fromArray`);
  }
  return { y: null, options: (yOrOptions as T | null | undefined) ?? ({} as T) };
}

/** array(a, ndmin=2, dtype=float64), as Dask's cov makes it. */
function atLeast2d(a: LazyArray): LazyArray {
  const x = a.ndim === 1 ? a.reshape([1, a.shape[0]]) : a;
  return x.dtype === "float64" ? x : x.astype("float64");
}

export function cov(m: LazyArray, yOrOptions?: LazyArray | CovOptions | null, maybeOptions?: CovOptions): LazyArray {
  refuseComplex("cov", m.dtype);
  if (yOrOptions instanceof LazyArray) refuseComplex("cov", yOrOptions.dtype);
  if (!(m instanceof LazyArray)) throw new InvalidOptionError("cov: m must be a chunked array (ta.Array); use nd.cov for an NDArray");
  const { y, options } = splitArguments("cov", yOrOptions, maybeOptions);
  const checked = covOptionsOf("cov", options);
  checkCovInput("cov", "m", m.shape);
  if (y) checkCovInput("cov", "y", y.shape);
  let x = atLeast2d(m);
  // Dask's rule: one variable in m makes the rows the variables, whatever rowvar says.
  const rowvar = x.shape[0] === 1 ? true : checked.rowvar;
  const axis = rowvar ? 0 : 1;
  const observations = x.shape[1 - axis];
  const ddof = checked.ddof ?? (checked.bias ? 0 : 1);
  const fact = Math.max(observations - ddof, 0);
  if (y) {
    const other = atLeast2d(y);
    if (other.shape[1 - axis] !== observations) {
      throw new InvalidOptionError(`cov: m and y have ${observations} and ${other.shape[1 - axis]} observations; they must have the same number`);
    }
    x = LazyArray.of(concatenateNodes([x, other], axis));
  }
  const centred = subtract(x, mean(x, { axis: 1 - axis, keepdims: true }));
  const product = rowvar ? LazyArray.of(dotNode(centred, centred.T)) : LazyArray.of(dotNode(centred.T, centred));
  return divide(product, fact).squeeze();
}

export function corrcoef(x: LazyArray, yOrOptions?: LazyArray | CorrcoefOptions | null, maybeOptions?: CorrcoefOptions): LazyArray {
  refuseComplex("corrcoef", x.dtype);
  if (yOrOptions instanceof LazyArray) refuseComplex("corrcoef", yOrOptions.dtype);
  const { y, options } = splitArguments("corrcoef", yOrOptions, maybeOptions);
  const { rowvar } = covOptionsOf("corrcoef", options, ["rowvar"]);
  const c = y ? cov(x, y, { rowvar }) : cov(x, { rowvar });
  if (c.ndim === 0) return divide(c, c);
  const d = diag(c);
  const sqrtD = sqrt(d.reshape([d.shape[0], 1]));
  return divide(divide(c, sqrtD), sqrtD.T);
}
