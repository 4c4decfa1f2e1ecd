/**
 * The partial of a mean, variance or standard deviation: per output element the count, the
 * mean and M2 = Σ (x − mean)², all float64. Two partials merge with Chan et al.'s parallel
 * formula, which stays accurate where a running sum of squares does not; counts may differ
 * per element (NaN-aware moments skip NaN).
 */
import { NDArray } from "./ndarray.js";

export interface Moments {
  count: NDArray;
  mean: NDArray;
  m2: NDArray;
}

export function isMoments(value: unknown): value is Moments {
  return typeof value === "object" && value !== null && "m2" in value;
}

export function mergeMoments(a: Moments, b: Moments): Moments {
  const size = a.count.data.length;
  const count = new Float64Array(size);
  const mean = new Float64Array(size);
  const m2 = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    const na = a.count.data[i] as number;
    const nb = b.count.data[i] as number;
    const n = na + nb;
    const delta = (b.mean.data[i] as number) - (a.mean.data[i] as number);
    count[i] = n;
    mean[i] = n > 0 ? (a.mean.data[i] as number) + (delta * nb) / n : 0;
    m2[i] = (a.m2.data[i] as number) + (b.m2.data[i] as number) + (n > 0 ? (delta * delta * na * nb) / n : 0);
  }
  const shape = a.count.shape;
  const wrap = (data: Float64Array) => new NDArray(data, shape, { dtype: "float64" });
  return { count: wrap(count), mean: wrap(mean), m2: wrap(m2) };
}
