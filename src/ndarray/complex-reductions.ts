/**
 * sum, prod and mean of complex arrays (NumPy 1.24 semantics; the result keeps the complex
 * dtype). sum adds the real and imaginary halves as two real sums (pairwise, as NumPy sums
 * each half; NumPy blocks the pairs differently, so the last bits may differ); prod multiplies
 * in order along the reduced elements with NumPy's complex multiply; mean divides the sum by
 * the count with NumPy's complex division (`true_divide(sum, n)`).
 */
import { InvalidOptionError } from "../core/errors.js";
import { type DType, complexPartDType, toDType } from "./dtype.js";
import { applyComplexElementwise } from "./complex-elementwise.js";
import { NDArray, empty, shapeSize } from "./ndarray.js";
import { complexHalf } from "./complex-layout.js";
import { astype, copy } from "./copy.js";
import { reshape, transpose } from "./views.js";

/** The complex result dtype of a reduction, with a requested `dtype` that must be complex. */
function resultDType(a: NDArray, requested: DType | string | undefined, operation: string): DType {
  if (requested === undefined) return a.dtype;
  const dtype = toDType(requested, `${operation}: dtype`);
  if (dtype !== "complex64" && dtype !== "complex128") {
    throw new InvalidOptionError(`${operation}: dtype ${dtype} would drop the imaginary part of a ${a.dtype} array; take nd.real or nd.abs first`);
  }
  return dtype;
}

/** One half of a complex array as a real NDArray view over its storage. */
export function halfView(a: NDArray, lane: 0 | 1): NDArray {
  const view = complexHalf(a, lane);
  return new NDArray(view.data, a.shape, { strides: view.strides, offset: view.offset, dtype: complexPartDType(a.dtype) });
}

type RealSum = (a: NDArray, options: { axis: readonly number[]; keepdims: boolean; dtype: DType }) => NDArray;

export function complexSum(a: NDArray, axes: readonly number[], keepdims: boolean, requested: DType | string | undefined, realSum: RealSum): NDArray {
  const dtype = resultDType(a, requested, "sum");
  const part = complexPartDType(dtype);
  const re = realSum(halfView(a, 0), { axis: axes, keepdims, dtype: part });
  const im = realSum(halfView(a, 1), { axis: axes, keepdims, dtype: part });
  const out = empty(re.shape, dtype);
  (out.storage as Float64Array).set(interleave(re, im));
  return out;
}

function interleave(re: NDArray, im: NDArray): Float64Array {
  const r = copy(re).data;
  const i = copy(im).data;
  const pairs = new Float64Array(2 * r.length);
  for (let k = 0; k < r.length; k++) {
    pairs[2 * k] = r[k] as number;
    pairs[2 * k + 1] = i[k] as number;
  }
  return pairs;
}

export function complexProd(a: NDArray, axes: readonly number[], keepdims: boolean, requested: DType | string | undefined): NDArray {
  const dtype = resultDType(a, requested, "prod");
  const kept = a.shape.map((_, axis) => axis).filter((axis) => !axes.includes(axis));
  const moved = astype(transpose(a, [...kept, ...axes]), dtype);
  const outShape = kept.map((axis) => a.shape[axis]);
  const count = shapeSize(axes.map((axis) => a.shape[axis]));
  const out = empty(outShape, dtype);
  const target = out.storage;
  const round = dtype === "complex64" ? Math.fround : (x: number) => x;
  const values = moved.storage;
  for (let o = 0; o < out.size; o++) {
    let pr = 1;
    let pi = 0;
    for (let k = 0; k < count; k++) {
      const xr = values[2 * (o * count + k)] as number;
      const xi = values[2 * (o * count + k) + 1] as number;
      const next = round(round(pr * xr) - round(pi * xi));
      pi = round(round(pr * xi) + round(pi * xr));
      pr = next;
    }
    target[2 * o] = pr;
    target[2 * o + 1] = pi;
  }
  const keptShape = a.shape.map((n, axis) => (axes.includes(axis) ? 1 : n));
  return keepdims ? reshape(out, keptShape) : out;
}

/** mean = true_divide(sum, count) as NumPy's _mean does. */
export function complexMean(summed: NDArray, count: number): NDArray {
  return applyComplexElementwise("divide", [summed, count]);
}
