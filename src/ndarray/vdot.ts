/**
 * np.vdot: the dot product of two arrays flattened, the first conjugated when it is complex
 * (Σ conj(a)·b), a 0-d array in their promoted dtype (integers wrap as NumPy's do). Both must
 * have the same size.
 */
import { InvalidOptionError } from "../core/errors.js";
import { definePublicBuiltin } from "./public-parameters.js";
import { requireArray } from "./copy.js";
import type { NDArray } from "./ndarray.js";
import { dot } from "./tensordot.js";
import { isComplexDType } from "./dtype.js";
import { conjugate } from "./complex.js";
import { reshape } from "./views.js";

export const vdot = definePublicBuiltin("vdot", function vdot(a: NDArray, b: NDArray): NDArray {
  requireArray(a, "vdot (a)");
  requireArray(b, "vdot (b)");
  if (a.size !== b.size) throw new InvalidOptionError(`vdot: the arrays must have the same size, got ${a.size} and ${b.size} (NumPy raises ValueError)`);
  const left = isComplexDType(a.dtype) ? conjugate(a) : a;
  return dot(reshape(left, [a.size]), reshape(b, [b.size]));
});
