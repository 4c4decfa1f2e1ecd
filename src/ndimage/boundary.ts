/**
 * Boundary extension of one line, as scipy's `NI_ExtendLine` fills its line buffers, written as
 * an index map so long extensions (radius larger than the line) and restricted output regions
 * need no in-place copying. For a line of length n and any integer index e:
 *
 *   nearest  a a a | a b c d | d d d      clamp
 *   wrap     b c d | a b c d | a b c      period n
 *   reflect  c b a | a b c d | d c b      period 2n, edge repeated
 *   mirror   d c b | a b c d | c b a      period 2n − 2, edge not repeated; n = 1 acts as nearest
 *   constant k k k | a b c d | k k k      no source cell (−1): the caller writes cval
 */
import type { BoundaryMode } from "./options.js";

export function sourceIndex(e: number, n: number, mode: BoundaryMode): number {
  if (e >= 0 && e < n) return e;
  switch (mode) {
    case "nearest":
      return e < 0 ? 0 : n - 1;
    case "wrap":
      return positiveModulo(e, n);
    case "reflect": {
      const m = positiveModulo(e, 2 * n);
      return m < n ? m : 2 * n - 1 - m;
    }
    case "mirror": {
      if (n === 1) return 0;
      const m = positiveModulo(e, 2 * n - 2);
      return m < n ? m : 2 * n - 2 - m;
    }
    case "constant":
      return -1;
  }
}

function positiveModulo(value: number, modulus: number): number {
  const m = value % modulus;
  return m < 0 ? m + modulus : m;
}

/**
 * The smallest range [low, high) of source cells that extended indices first…last (inclusive)
 * read, or an empty range when they read only the constant.
 */
export function sourceRange(first: number, last: number, n: number, mode: BoundaryMode): [number, number] {
  if (first >= 0 && last < n) return [first, last + 1];
  let low = n;
  let high = -1;
  // Positions inside [0, n) map to themselves: only the parts outside need a walk, and a walk
  // over more than 2n positions only revisits cells (every mode has period ≤ 2n).
  const inside0 = Math.max(first, 0);
  const inside1 = Math.min(last, n - 1);
  if (inside0 <= inside1) {
    low = inside0;
    high = inside1;
  }
  const visit = (from: number, to: number): void => {
    const stop = Math.min(to, from + 2 * n);
    for (let e = from; e <= stop; e++) {
      const g = sourceIndex(e, n, mode);
      if (g < 0) continue;
      if (g < low) low = g;
      if (g > high) high = g;
    }
  };
  if (first < 0) visit(first, Math.min(last, -1));
  if (last >= n) visit(Math.max(first, n), last);
  return high < low ? [0, 0] : [low, high + 1];
}
