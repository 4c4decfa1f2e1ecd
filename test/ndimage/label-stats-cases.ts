/**
 * Python twins shared by the eager and chunked differential tests of minimumPosition,
 * maximumPosition, extrema, median and histogram.
 */
import type * as nd from "../../src/ndarray/index.js";

/**
 * scipy's positions over an index list, moved to the first position in C order that holds the
 * same value in the same label (NaN matching NaN): scipy sorts with an unstable sort, so among
 * equal values its choice is unspecified, and tessera promises the first in C order. A label
 * without cells keeps scipy's (0, …, 0).
 */
export const firstOfTiesPy = (values: string, labels: string, index: string, positions: string): string =>
  `(lambda a, l, idx, pos: np.array([np.unravel_index(np.flatnonzero((l == i) & ((a == a[tuple(p)]) | ((a != a) & (a[tuple(p)] != a[tuple(p)]))))[0], a.shape) ` +
  `if (l == i).any() else p for i, p in zip(np.ravel(idx), pos)], dtype=float).reshape(-1, a.ndim))(${values}, ${labels}, ${index}, ${positions})`;

/** scipy's histogram result (an array, None, or an object array of them) as one float vector, None as [−1]. */
export const histogramRowsPy = (call: string): string =>
  `(lambda r: np.concatenate([[-1.0] if h is None else np.asarray(h, dtype=float) for h in (list(r) if isinstance(r, np.ndarray) and r.dtype == object else [r])] + [np.zeros(0)]))(${call})`;

/** tessera's histogram result in the same form. */
export function histogramRows(result: nd.NDArray | null | Array<nd.NDArray | null>): number[] {
  const rows = Array.isArray(result) ? result : [result];
  return rows.flatMap((row) => (row === null ? [-1] : Array.from(row.toTypedArray() as BigInt64Array, Number)));
}
