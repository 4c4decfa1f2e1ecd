/**
 * The three steps of a chunked (tree) reduction, each on one block so the lazy layer can
 * ship them to workers: reduce a block to a partial (keeping the reduced axes with length
 * 1), combine partials from neighbouring blocks elementwise, and finish. Sums, products and
 * extrema combine with themselves; mean, var and std carry (count, mean, M2) and merge them
 * with Chan et al.'s parallel formula, which stays accurate where sum-of-squares does not.
 */
import { defineBuiltin } from "../core/builtin.js";
import { InvalidOptionError } from "../core/errors.js";
import { NDArray, allocate, shapeSize } from "./ndarray.js";
import { add, maximum, minimum, multiply, subtract } from "./arithmetic.js";
import { astype } from "./copy.js";
import { full } from "./creation.js";
import { max, min, prod, sum } from "./reductions.js";
import { squeeze } from "./views.js";
import { type DType } from "./dtype.js";

export type TreeOp = "sum" | "prod" | "min" | "max" | "mean" | "var" | "std";

export interface TreeOptions {
  op: TreeOp;
  axes: number[];
  keepdims?: boolean;
  ddof?: number;
  /**
   * The result dtype: the accumulator of sum and prod (NumPy's default, or the one asked
   * for), what mean/var/std are cast to at the end (their moments are float64).
   */
  dtype?: DType;
}

interface Moments {
  count: NDArray;
  mean: NDArray;
  m2: NDArray;
}

function isMoments(value: unknown): value is Moments {
  return typeof value === "object" && value !== null && "m2" in value;
}

function momentsOf(block: NDArray, axes: number[]): Moments {
  const x = astype(block, "float64");
  const keptShape = x.shape.map((n, axis) => (axes.includes(axis) ? 1 : n));
  const n = axes.reduce((p, axis) => p * x.shape[axis], 1);
  const total = sum(x, { axis: axes, keepdims: true });
  const mean = new NDArray(allocate("float64", shapeSize(keptShape)), keptShape, { dtype: "float64" });
  for (let i = 0; i < mean.data.length; i++) (mean.data as Float64Array)[i] = n > 0 ? Number(total.data[i]) / n : 0;
  // M2 = Σ (x − mean)², computed with the block's own mean (stable).
  const centred = subtract(x, mean);
  const m2 = sum(multiply(centred, centred), { axis: axes, keepdims: true });
  return { count: full(keptShape, n, "float64"), mean, m2 };
}

export const reducePartial = defineBuiltin("ndarray.reducePartial", function reducePartial(block: NDArray, options: TreeOptions): NDArray | Moments {
  const { op, axes } = options;
  switch (op) {
    // The dtype is the result's (NumPy's default accumulator, or the one asked for).
    case "sum": return sum(block, { axis: axes, keepdims: true, ...(options.dtype ? { dtype: options.dtype } : {}) });
    case "prod": return prod(block, { axis: axes, keepdims: true, ...(options.dtype ? { dtype: options.dtype } : {}) });
    case "min": return min(block, { axis: axes, keepdims: true });
    case "max": return max(block, { axis: axes, keepdims: true });
    case "mean": case "var": case "std": return momentsOf(block, axes);
    default: throw new InvalidOptionError(`unknown reduction "${String(op)}"`);
  }
});

function mergeMoments(a: Moments, b: Moments): Moments {
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

export const combinePartials = defineBuiltin("ndarray.combinePartials", function combinePartials(partials: Array<NDArray | Moments>, options: TreeOptions): NDArray | Moments {
  let result = partials[0];
  for (let i = 1; i < partials.length; i++) {
    const next = partials[i];
    if (isMoments(result) && isMoments(next)) result = mergeMoments(result, next);
    else if (options.op === "sum") result = add(result as NDArray, next as NDArray);
    else if (options.op === "prod") result = multiply(result as NDArray, next as NDArray);
    else if (options.op === "min") result = minimum(result as NDArray, next as NDArray);
    else result = maximum(result as NDArray, next as NDArray);
  }
  return result;
});

export const finishReduction = defineBuiltin("ndarray.finishReduction", function finishReduction(partial: NDArray | Moments, options: TreeOptions): NDArray {
  let result: NDArray;
  if (isMoments(partial)) {
    const size = partial.count.data.length;
    const out = new Float64Array(size);
    const ddof = options.ddof ?? 0;
    for (let i = 0; i < size; i++) {
      const n = partial.count.data[i] as number;
      if (options.op === "mean") out[i] = n > 0 ? (partial.mean.data[i] as number) : NaN;
      else {
        const variance = (partial.m2.data[i] as number) / Math.max(n - ddof, 0);
        out[i] = options.op === "std" ? Math.sqrt(variance) : variance;
      }
    }
    result = new NDArray(out, partial.count.shape, { dtype: "float64" });
    if (options.dtype && options.dtype !== "float64") result = astype(result, options.dtype);
  } else {
    result = partial;
  }
  return options.keepdims ? result : squeeze(result, options.axes);
});
