/**
 * dask.array's complex helpers on lazy arrays: real, imag, conj / conjugate, angle (deg),
 * iscomplex, isreal, iscomplexobj — each NumPy's (nd.*) applied block by block. real of a
 * real array is the array itself, as np.real gives its input.
 */
import { InvalidOptionError } from "../core/errors.js";
import * as nd from "../ndarray/index.js";
import { LazyArray } from "./array.js";
import { elementwiseNode } from "./elementwise.js";

function check(x: unknown, what: string): asserts x is LazyArray {
  if (!(x instanceof LazyArray)) throw new InvalidOptionError(`${what}: expected a tessera array, got ${String(x)}`);
}

const map = (fn: (a: nd.NDArray) => nd.NDArray, what: string) => (x: LazyArray): LazyArray => {
  check(x, what);
  return LazyArray.of(elementwiseNode(fn, [x]));
};

export function real(x: LazyArray): LazyArray {
  check(x, "real");
  return nd.isComplexDType(x.dtype) ? LazyArray.of(elementwiseNode(nd.real, [x])) : x;
}
export const imag = map(nd.imag, "imag");
export const conjugate = map(nd.conjugate, "conjugate");
export const conj = conjugate;
export const iscomplex = map(nd.iscomplex, "iscomplex");
export const isreal = map(nd.isreal, "isreal");

/** np.angle block by block; `deg` gives degrees. */
export function angle(x: LazyArray, options: nd.AngleOptions = {}): LazyArray {
  check(x, "angle");
  for (const key of Object.keys(options)) if (key !== "deg") throw new InvalidOptionError(`angle: unknown option "${key}"; angle takes deg`);
  return LazyArray.of(elementwiseNode(nd.angle, [x], undefined, { deg: options.deg ?? false }));
}

export function iscomplexobj(x: LazyArray): boolean {
  check(x, "iscomplexobj");
  return nd.isComplexDType(x.dtype);
}
