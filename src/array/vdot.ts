/**
 * Lazy np.vdot, as Dask 2022.12 writes it: dot(a.conj().ravel(), b.ravel()) (the first operand
 * conjugated when complex), a 0-d array in the operands' promoted dtype.
 */
import { InvalidOptionError } from "../core/errors.js";
import { LazyArray } from "./array.js";
import { dotNode } from "./tensordot.js";
import { conjugate } from "./complex.js";
import { isComplexDType } from "../ndarray/dtype.js";

export function vdot(a: LazyArray, b: LazyArray, ...extra: unknown[]): LazyArray {
  for (const [name, x] of [["a", a], ["b", b]] as const) {
    if (!(x instanceof LazyArray)) throw new InvalidOptionError(`vdot: ${name} must be a tessera array, got ${String(x)} (wrap an NDArray with ta.fromArray)`);
  }
  if (extra.length > 0) throw new InvalidOptionError(`vdot takes two arrays and no options, got also ${extra.length} more`);
  if (a.size !== b.size) throw new InvalidOptionError(`vdot: the arrays must have the same size, got ${a.size} and ${b.size} (NumPy raises ValueError)`);
  const left = isComplexDType(a.dtype) ? conjugate(a) : a;
  return LazyArray.of(dotNode(left.reshape([-1]), b.reshape([-1])));
}
