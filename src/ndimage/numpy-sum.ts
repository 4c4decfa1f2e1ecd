/**
 * NumPy 1.24's sum of a contiguous float array, operation for operation: `np.add.reduce` starts
 * from the identity 0 and its iterator hands the values to the add loop in buffers of 8192;
 * each buffer's pairwise sum (`pairwise_sum` in loops_utils.h.src) is added to the running total.
 * The pairwise sum: below 8 values a plain loop; up to 128, eight running sums combined as
 * ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)) and then the rest; above, the halves (split at a multiple
 * of 8) summed recursively. float32 data is summed in float32 (every addition rounded). Integer
 * data sums exactly (NumPy uses int64), so the order does not matter there.
 */

export type Rounding = (value: number) => number;

const exact: Rounding = (value) => value;

/** The rounding of a float dtype's additions: float32 rounds each sum, float64 none. */
export function roundingOf(dtype: string): Rounding {
  return dtype === "float32" ? Math.fround : exact;
}

/** np.sum of values[0…n) in the precision `round` gives. */
export function numpySum(values: ArrayLike<number>, n: number, round: Rounding): number {
  let total = 0;
  for (let from = 0; from < n; from += iteratorBuffer) {
    total = round(total + pairwiseSum(values, from, Math.min(iteratorBuffer, n - from), round));
  }
  return total;
}

/** NumPy's default iterator buffer size (elements handed to the inner loop at once). */
const iteratorBuffer = 8192;

function pairwiseSum(a: ArrayLike<number>, from: number, n: number, round: Rounding): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res = round(res + a[from + i]);
    return res;
  }
  if (n <= 128) {
    let r0 = a[from], r1 = a[from + 1], r2 = a[from + 2], r3 = a[from + 3];
    let r4 = a[from + 4], r5 = a[from + 5], r6 = a[from + 6], r7 = a[from + 7];
    let i = 8;
    const whole = n - (n % 8);
    for (; i < whole; i += 8) {
      const at = from + i;
      r0 = round(r0 + a[at]);
      r1 = round(r1 + a[at + 1]);
      r2 = round(r2 + a[at + 2]);
      r3 = round(r3 + a[at + 3]);
      r4 = round(r4 + a[at + 4]);
      r5 = round(r5 + a[at + 5]);
      r6 = round(r6 + a[at + 6]);
      r7 = round(r7 + a[at + 7]);
    }
    let res = round(round(round(r0 + r1) + round(r2 + r3)) + round(round(r4 + r5) + round(r6 + r7)));
    for (; i < n; i++) res = round(res + a[from + i]);
    return res;
  }
  let half = Math.floor(n / 2);
  half -= half % 8;
  return round(pairwiseSum(a, from, half, round) + pairwiseSum(a, from + half, n - half, round));
}
