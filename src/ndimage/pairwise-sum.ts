/**
 * NumPy's pairwise summation of float64 values (`np.sum` on a contiguous array), which scipy
 * uses to normalise Gaussian kernels. Fewer than 8 values: left to right from 0. Up to 128:
 * eight partial sums (value i into partial i mod 8 over the largest multiple-of-8 prefix),
 * combined as ((s0+s1)+(s2+s3))+((s4+s5)+(s6+s7)), then the leftovers left to right. More than
 * 128: split at half rounded down to a multiple of 8 and add the two halves' sums.
 */
export function pairwiseSum(values: ArrayLike<number>, start = 0, count = values.length - start): number {
  if (count < 8) {
    let sum = 0;
    for (let i = 0; i < count; i++) sum += values[start + i];
    return sum;
  }
  if (count <= 128) {
    const partial = new Float64Array(8);
    for (let j = 0; j < 8; j++) partial[j] = values[start + j];
    let i = 8;
    for (; i < count - (count % 8); i += 8) {
      for (let j = 0; j < 8; j++) partial[j] += values[start + i + j];
    }
    let sum = ((partial[0] + partial[1]) + (partial[2] + partial[3])) + ((partial[4] + partial[5]) + (partial[6] + partial[7]));
    for (; i < count; i++) sum += values[start + i];
    return sum;
  }
  let half = Math.floor(count / 2);
  half -= half % 8;
  return pairwiseSum(values, start, half) + pairwiseSum(values, start + half, count - half);
}
