/**
 * Partials of chunked nanmean / nanvar / nanstd: per output element the count of non-NaN
 * elements, their mean and M2 (moments.ts), from two compensated (Neumaier) passes over the
 * block that skip NaN; partials merge with Chan's formula like those of mean and var, counts
 * varying per element. Finishing gives NumPy's values for the edge cases: NaN for a slice of
 * only NaN, and NaN where count − ddof ≤ 0 (NumPy's nanvar, unlike var, which divides by 0).
 */
import { astype } from "./copy.js";
import { type DType, isBigIntDType } from "./dtype.js";
import type { Moments } from "./moments.js";
import { NDArray } from "./ndarray.js";
import { reducedLayout } from "./reduced-layout.js";

export function nanMomentsOf(block: NDArray, axes: readonly number[], withM2: boolean): Moments {
  const a = isBigIntDType(block.dtype) ? astype(block, "float64") : block;
  const { keptShape, bases, count, offsets, stride } = reducedLayout(a, axes);
  const data = a.data as Float64Array;
  const counts = new Float64Array(bases.length);
  const means = new Float64Array(bases.length);
  const m2s = new Float64Array(bases.length);
  for (let j = 0; j < bases.length; j++) {
    const base = bases[j];
    let n = 0;
    let s = 0;
    let c = 0;
    for (let k = 0; k < count; k++) {
      const x = data[offsets === null ? base + k * stride : base + offsets[k]];
      if (x !== x) continue;
      n++;
      const t = s + x;
      c += Math.abs(s) >= Math.abs(x) ? (s - t) + x : (x - t) + s;
      s = t;
    }
    const mean = n > 0 ? (s + c) / n : 0;
    counts[j] = n;
    means[j] = mean;
    if (!withM2 || n === 0) continue;
    s = 0;
    c = 0;
    for (let k = 0; k < count; k++) {
      const x = data[offsets === null ? base + k * stride : base + offsets[k]];
      if (x !== x) continue;
      const deviation = (x - mean) * (x - mean);
      const t = s + deviation;
      c += s >= deviation ? (s - t) + deviation : (deviation - t) + s;
      s = t;
    }
    m2s[j] = s + c;
  }
  const wrap = (values: Float64Array) => new NDArray(values, keptShape, { dtype: "float64" });
  return { count: wrap(counts), mean: wrap(means), m2: wrap(m2s) };
}

/** nanmean / nanvar / nanstd of merged moments, cast to `dtype`, squeezed unless `keepdims`. */
export function finishNanMoments(partial: Moments, op: "nanmean" | "nanvar" | "nanstd", axes: readonly number[], keepdims: boolean, ddof: number, dtype: DType): NDArray {
  const size = partial.count.data.length;
  const out = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    const n = partial.count.data[i] as number;
    if (op === "nanmean") {
      out[i] = n > 0 ? (partial.mean.data[i] as number) : NaN;
      continue;
    }
    const dof = n - ddof;
    const variance = dof <= 0 ? NaN : (partial.m2.data[i] as number) / dof;
    out[i] = op === "nanstd" ? Math.sqrt(variance) : variance;
  }
  const shape = keepdims ? partial.count.shape : partial.count.shape.filter((_, axis) => !axes.includes(axis));
  const result = new NDArray(out, shape, { dtype: "float64" });
  return dtype === "float64" ? result : astype(result, dtype);
}
