/**
 * Where a coordinate outside the input lands, per boundary mode: a port of `map_coordinate` in
 * scipy 1.10's ni_interpolation.c, operation for operation (the double arithmetic and the
 * truncating integer casts decide which cell a far-away coordinate reads, so they must match).
 * It is used twice: on the continuous coordinate of an output point, and on the integer index
 * of each spline tap that falls past an edge.
 *
 * Period of each mode for a line of length n (scipy's definitions, which differ from the
 * filters'): mirror 2n − 2; reflect 2n (edge cell repeated); wrap n − 1 (the first and last
 * cells coincide); grid-wrap n. Constant returns −1 ("no cell": the caller writes cval).
 */
import type { ExtendMode } from "./interpolation-options.js";

export function mapCoordinate(value: number, n: number, mode: ExtendMode): number {
  let x = value;
  if (x < 0) {
    switch (mode) {
      case "mirror":
        if (n <= 1) return 0;
        {
          const period = 2 * n - 2;
          x = period * Math.trunc(-x / period) + x;
          return x <= 1 - n ? x + period : -x;
        }
      case "reflect":
        if (n <= 1) return 0;
        {
          const period = 2 * n;
          if (x < -period) x = period * Math.trunc(-x / period) + x;
          // scipy's guard: a tiny negative x would otherwise give −x − 1 == −1 (read as "no cell").
          return x < -n ? x + period : (x > -1e-15 ? 1e-15 : -x) - 1;
        }
      case "wrap":
        if (n <= 1) return 0;
        {
          const period = n - 1;
          return x + period * (Math.trunc(-x / period) + 1);
        }
      case "grid-wrap":
        if (n <= 1) return 0;
        return x + n * (Math.trunc((-1 - x) / n) + 1);
      case "nearest":
        return 0;
      case "constant":
        return -1;
      case "grid-constant":
        return x; // not in scipy's switch: callers never map grid-constant coordinates
    }
  } else if (x > n - 1) {
    switch (mode) {
      case "mirror":
        if (n <= 1) return 0;
        {
          const period = 2 * n - 2;
          x -= period * Math.trunc(x / period);
          return x >= n ? period - x : x;
        }
      case "reflect":
        if (n <= 1) return 0;
        {
          const period = 2 * n;
          x -= period * Math.trunc(x / period);
          return x >= n ? period - x - 1 : x;
        }
      case "wrap":
        if (n <= 1) return 0;
        {
          const period = n - 1;
          return x - period * Math.trunc(x / period);
        }
      case "grid-wrap":
        if (n <= 1) return 0;
        return x - n * Math.trunc(x / n);
      case "nearest":
        return n - 1;
      case "constant":
        return -1;
      case "grid-constant":
        return x;
    }
  }
  return x;
}

/** The first tap of an order-`order` spline at coordinate `cc` (odd orders straddle, even ones centre). */
export function firstTap(cc: number, order: number): number {
  return (order & 1 ? Math.floor(cc) : Math.floor(cc + 0.5)) - (order >> 1);
}

/** The cell a tap index past an edge reads (scipy casts map_coordinate's result back to an integer). */
export function mapTap(index: number, n: number, mode: ExtendMode): number {
  return Math.trunc(mapCoordinate(index, n, mode));
}
