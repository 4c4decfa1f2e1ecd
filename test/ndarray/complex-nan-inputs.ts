/** Complex test inputs holding NaN in either half, for the NaN-ignoring reductions (eager and chunked). */
import * as nd from "../../src/ndarray/index.js";
import { randomReal } from "./complex-compare.js";

/** A complex array with NaN in the real part only, the imaginary part only, both, and one all-NaN row along axis 1. */
export function complexWithNaN(shape: readonly number[], dtype: "complex64" | "complex128", seed: number): nd.NDArray {
  const part = dtype === "complex64" ? "float32" : "float64";
  const re = randomReal(shape, part, seed).toTypedArray() as Float64Array | Float32Array;
  const im = randomReal(shape, part, seed * 7 + 3).toTypedArray() as Float64Array | Float32Array;
  for (let i = 0; i < re.length; i++) {
    if (i % 7 === 1) re[i] = NaN;
    if (i % 11 === 4) im[i] = NaN;
    if (i % 13 === 6) { re[i] = NaN; im[i] = NaN; }
  }
  // One whole slice along axis 1 of NaN (the first outer index, the first trailing element).
  const inner = shape.slice(2).reduce((a, b) => a * b, 1);
  for (let j = 0; j < shape[1]; j++) im[j * inner] = NaN;
  return nd.complex(nd.fromTypedArray(re, [...shape], { dtype: part }), nd.fromTypedArray(im, [...shape], { dtype: part }));
}
