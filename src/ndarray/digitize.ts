/**
 * np.digitize(x, bins, right): for each element, the index of the bin it falls in, as NumPy
 * 1.24 computes it — bins checked for monotonicity in float64 (increasing wins when all are
 * equal; a NaN edge follows NumPy's comparisons), then np.searchsorted in the dtype x and bins
 * promote to, NaN sorting after everything (so NaN lands past the last increasing edge).
 * Decreasing bins are searched reversed and the index mirrored. The result is int64.
 */
import { InvalidOptionError } from "../core/errors.js";
import { definePublicBuiltin } from "./public-parameters.js";
import { astype } from "./copy.js";
import { fromTypedArray } from "./creation.js";
import { testElementsArray, type TestElements } from "./isin.js";
import { NDArray } from "./ndarray.js";
import { promoteTypes } from "./promotion.js";
import { insertionIndex } from "./searchsorted.js";

export interface DigitizeOptions {
  /** Bins include their right edge instead of their left (NumPy's right=True). */
  right?: boolean;
}

/** NumPy's _monotonicity (in float64): 1 increasing, −1 decreasing, 0 neither. */
function monotonicity(edges: Float64Array): number {
  const n = edges.length;
  let last = edges[0];
  let i = 1;
  while (i < n && edges[i] === last) i++;
  if (i >= n) return 1;
  let next = edges[i];
  const increasing = last < next;
  for (i += 1; i < n; i++) {
    last = next;
    next = edges[i];
    if (increasing ? last > next : last < next) return 0;
  }
  return increasing ? 1 : -1;
}

type Value = number | bigint;

/** np.digitize(x, bins, right=…). */
export const digitize = definePublicBuiltin("digitize", function digitize(x: NDArray, bins: TestElements, options: DigitizeOptions = {}): NDArray {
  if (!(x instanceof NDArray)) throw new InvalidOptionError("digitize: x must be an NDArray");
  if (options === null || typeof options !== "object") throw new InvalidOptionError("digitize: options must be an object");
  for (const key of Object.keys(options)) if (key !== "right") throw new InvalidOptionError(`digitize: unknown option "${key}"; digitize takes right`);
  const right = options.right ?? false;
  if (typeof right !== "boolean") throw new InvalidOptionError(`digitize: right must be true or false, got ${JSON.stringify(right)}`);
  const edges = testElementsArray(bins, "digitize");
  if (edges.ndim !== 1) throw new InvalidOptionError(`digitize: bins must be 1-d, got shape [${edges.shape.join(", ")}]`);
  const mono = edges.size === 0 ? 1 : monotonicity(astype(edges, "float64").toTypedArray() as Float64Array);
  if (mono === 0) throw new InvalidOptionError("digitize: bins must be monotonically increasing or decreasing");
  const common = promoteTypes(x.dtype, edges.dtype);
  const values = astype(x, common).toTypedArray();
  const sorted = Array.from(astype(edges, common).toTypedArray() as ArrayLike<Value>);
  if (mono === -1) sorted.reverse();
  // The "right" side of searchsorted gives the left-closed bins NumPy's digitize defaults to.
  const out = new BigInt64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const at = insertionIndex(sorted, values[i], !right);
    out[i] = BigInt(mono === -1 ? sorted.length - at : at);
  }
  return fromTypedArray(out, [...x.shape], { dtype: "int64" });
});
