/**
 * Where each label's smallest and largest values lie: the scan shared by the eager
 * `minimumPosition` / `maximumPosition` / `extrema` (extrema-positions.ts) and the block partials
 * of their chunked twins (position-partials.ts).
 *
 * A candidate is a raw value (bigints for int64 and uint64, so 2⁵³ + 1 stays apart from 2⁵³) and
 * its flat position in C order of the whole array. Between two candidates the rule is scipy's
 * value rule, with ties (equal values, −0 = +0, two NaNs) going to the smaller flat position, so
 * the result is the first position in C order whatever order blocks are combined in:
 *
 * - a maximum: NaN wins (scipy sorts NaN last and keeps the last);
 * - a minimum over an index list: NaN only when the label holds nothing else (scipy keeps the
 *   first in sorted order); over one group (`nanWins`) NaN wins, as NumPy's `vals.min()`.
 *
 * scipy itself sorts with an unstable sort over an index list, so among equal values its position
 * is whichever the sort puts first (minimum) or last (maximum); tessera always gives the first in
 * C order, which is also what scipy's one-group path gives (`positions[vals == vals.min()][0]`).
 */
export type Scalar = number | bigint;

const isNaNScalar = (v: Scalar): boolean => typeof v === "number" && v !== v;

/** Whether candidate (v at p) replaces the current best (c at q). */
export function beats(v: Scalar, p: number, c: Scalar, q: number, minimum: boolean, nanWins: boolean): boolean {
  const vNaN = isNaNScalar(v);
  const cNaN = isNaNScalar(c);
  if (vNaN || cNaN) {
    if (vNaN && cNaN) return p < q;
    // Exactly one NaN: it wins a maximum (and a one-group minimum), loses an index-list minimum.
    return (!minimum || nanWins) === vNaN;
  }
  if (v === c) return p < q;
  return minimum ? v < c : v > c;
}

/** Per slot: whether seen, the best value and its flat position, for the minimum and the maximum. */
export interface PositionScan {
  seen: Uint8Array;
  minima: Scalar[];
  maxima: Scalar[];
  minimaAt: Float64Array;
  maximaAt: Float64Array;
}

export function emptyScan(n: number): PositionScan {
  return { seen: new Uint8Array(n), minima: new Array<Scalar>(n).fill(0), maxima: new Array<Scalar>(n).fill(0), minimaAt: new Float64Array(n), maximaAt: new Float64Array(n) };
}

/** Folds one candidate into slot `slot` of `scan`. */
export function offer(scan: PositionScan, slot: number, v: Scalar, p: number, nanWins: boolean): void {
  if (!scan.seen[slot]) {
    scan.seen[slot] = 1;
    scan.minima[slot] = scan.maxima[slot] = v;
    scan.minimaAt[slot] = scan.maximaAt[slot] = p;
    return;
  }
  if (beats(v, p, scan.minima[slot], scan.minimaAt[slot], true, nanWins)) {
    scan.minima[slot] = v;
    scan.minimaAt[slot] = p;
  }
  if (beats(v, p, scan.maxima[slot], scan.maximaAt[slot], false, nanWins)) {
    scan.maxima[slot] = v;
    scan.maximaAt[slot] = p;
  }
}

/**
 * Scans a box of `shape` whose first cell is `origin` in an array of `wholeShape`: every cell with
 * a slot ≥ 0 is offered at its flat position in the whole array.
 */
export function scanBox(
  raw: ArrayLike<Scalar>, cellSlots: Int32Array, n: number, shape: readonly number[], origin: readonly number[], wholeShape: readonly number[], nanWins: boolean,
): PositionScan {
  const scan = emptyScan(n);
  const ndim = shape.length;
  const strides = new Array<number>(ndim);
  for (let axis = ndim - 1, stride = 1; axis >= 0; axis--) {
    strides[axis] = stride;
    stride *= wholeShape[axis];
  }
  const position = new Array<number>(ndim).fill(0);
  let flat = origin.reduce((total, o, axis) => total + o * strides[axis], 0);
  for (let p = 0; p < cellSlots.length; p++) {
    const slot = cellSlots[p];
    if (slot >= 0) offer(scan, slot, raw[p], flat, nanWins);
    // Next cell in C order: the last axis steps by 1; an axis that wraps rewinds its run.
    for (let axis = ndim - 1; axis >= 0; axis--) {
      flat += strides[axis];
      if (++position[axis] < shape[axis]) break;
      flat -= strides[axis] * shape[axis];
      position[axis] = 0;
    }
  }
  return scan;
}

/** A flat C-order position as coordinates (numpy.unravel_index). */
export function unravel(flat: number, shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length);
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    // An empty axis (an empty array's absent label at 0): NumPy's 0 % 0 is 0.
    out[axis] = shape[axis] === 0 ? 0 : flat % shape[axis];
    flat = shape[axis] === 0 ? 0 : Math.floor(flat / shape[axis]);
  }
  return out;
}
