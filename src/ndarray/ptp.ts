/**
 * np.ptp (peak to peak) as NumPy 1.24 computes it: max − min along the axes, subtracted in the
 * input dtype, so an integer range wider than the dtype wraps (int8 [−100, 100] gives −56), as
 * NumPy's does. NumPy refuses booleans (its subtract does), and so does this.
 */
import { InvalidOptionError } from "../core/errors.js";
import { definePublicBuiltin } from "./public-parameters.js";
import { subtract } from "./arithmetic.js";
import { NDArray } from "./ndarray.js";
import { max, min, readReductionOptions, type ReductionArgument } from "./reductions.js";

/** np.ptp(a, axis, keepdims). */
export const ptp = definePublicBuiltin("ptp", function ptp(a: NDArray, options?: ReductionArgument): NDArray {
  if (!(a instanceof NDArray)) throw new InvalidOptionError("ptp: expected an NDArray");
  const { axis, keepdims } = readReductionOptions(options, "ptp", ["axis", "keepdims"]);
  if (a.dtype === "bool") throw new InvalidOptionError("ptp: bool arrays have no peak-to-peak (NumPy's boolean subtract is not supported); astype an integer dtype first");
  const reduced = { axis: axis ?? null, keepdims: keepdims ?? false };
  return subtract(max(a, reduced), min(a, reduced));
});
