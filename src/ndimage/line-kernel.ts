/**
 * How one pass combines the cells of a line, as scipy's `NI_Correlate1D` and
 * `NI_UniformFilter1D` do it, operation for operation (float64, no reassociation, no FMA):
 *
 *   symmetric      out = x[0]·w[0];  for j = r…1: out += (x[−j] + x[+j]) · w[−j]
 *   antisymmetric  out = x[0]·w[0];  for j = r…1: out += (x[−j] − x[+j]) · w[−j]
 *   general        out = x[s2]·w[s2]; for j = −s1…s2−1: out += x[j] · w[j]
 *   uniform        running sum: t = Σ first `size` cells, then t += x_in − x_out; out = t / size
 *
 * An odd-length weight vector is symmetric when |w[r+i] − w[r−i]| ≤ DBL_EPSILON for every i
 * (the left weight is then used for both sides), antisymmetric when |w[r+i] + w[r−i]| ≤
 * DBL_EPSILON, general otherwise. Cells are read from a line buffer in which the cell for tap j
 * of output q sits at row q + s1 + j (s1 = ⌊n/2⌋, s2 = n − s1 − 1), so `before` = s1 + origin
 * extension cells precede output 0 and `after` = s2 − origin follow the last output.
 */
export type LineKernel =
  | { readonly kind: "symmetric" | "antisymmetric"; readonly centre: number; readonly pairs: Float64Array }
  | { readonly kind: "general"; readonly weights: Float64Array }
  | { readonly kind: "uniform"; readonly size: number };

export interface LineFilter {
  readonly kernel: LineKernel;
  /** Extension cells read before the first output and after the last. */
  readonly before: number;
  readonly after: number;
  /** Row of the buffer holding tap 0 of output 0 (scipy's `size1`). */
  readonly centreRow: number;
  /** The output at i depends on every earlier cell of the line (running sums). */
  readonly cumulative: boolean;
}

const doubleEpsilon = 2 ** -52;

/** The pass for `correlate1d(weights, origin)`; weights are used as given (not reversed). */
export function correlationLineFilter(weights: Float64Array, origin: number): LineFilter {
  const size = weights.length;
  const size1 = Math.floor(size / 2);
  const size2 = size - size1 - 1;
  const base = { before: size1 + origin, after: size2 - origin, centreRow: size1, cumulative: false };
  if (size % 2 === 1) {
    let symmetric = true;
    for (let i = 1; i <= size1 && symmetric; i++) symmetric = Math.abs(weights[size1 + i] - weights[size1 - i]) <= doubleEpsilon;
    let antisymmetric = !symmetric;
    for (let i = 1; i <= size1 && antisymmetric; i++) antisymmetric = Math.abs(weights[size1 + i] + weights[size1 - i]) <= doubleEpsilon;
    if (symmetric || antisymmetric) {
      // pairs[k] multiplies the pair at distance size1 − k: outermost first, left weights.
      const pairs = weights.slice(0, size1);
      return { ...base, kernel: { kind: symmetric ? "symmetric" : "antisymmetric", centre: weights[size1], pairs } };
    }
  }
  return { ...base, kernel: { kind: "general", weights: Float64Array.from(weights) } };
}

/** The pass for `uniform_filter1d(size, origin)`. */
export function uniformLineFilter(size: number, origin: number): LineFilter {
  const size1 = Math.floor(size / 2);
  const size2 = size - size1 - 1;
  return { kernel: { kind: "uniform", size }, before: size1 + origin, after: size2 - origin, centreRow: 0, cumulative: true };
}

/** How many neighbour cells on each side a pass reads (the halo a block needs). */
export function filterReach(filter: LineFilter): number {
  return Math.max(filter.before, filter.after, 0);
}
