/**
 * ta.fromDelayed (Dask's da.from_delayed): a one-block array whose block is the value of a
 * Delayed. The shape and dtype are declared (dtype float64 by default, as Dask's meta
 * default); NaN sizes in the shape are unknown sizes (unknown-chunks.ts), as Dask allows.
 * The value is checked against the declaration when it is computed and refused naming both:
 * Dask returns the mismatched block and the array's metadata then lies about its data.
 */
import { InvalidOptionError } from "../core/errors.js";
import { tokenize } from "../core/ids.js";
import { isDelayed, type Delayed } from "../delayed/delayed.js";
import { toDType, type DType } from "../ndarray/dtype.js";
import { LazyArray } from "./array.js";
import { FromDelayedExpr } from "./from-delayed-expr.js";
import { refuseUnknownOptions } from "./option-checks.js";

export interface FromDelayedOptions {
  /** The block's dtype (default float64, as Dask's). */
  dtype?: DType | string;
  /** The array's name (default `from-value-<token>`). */
  name?: string;
}

export function fromDelayed(value: Delayed, shape: readonly number[], options: FromDelayedOptions = {}): LazyArray {
  refuseUnknownOptions("fromDelayed", options, ["dtype", "name"]);
  if (!isDelayed(value)) {
    throw new InvalidOptionError(`fromDelayed: the value must be a Delayed (delayed(fn)(...) or delayed(value)), got ${value === null ? "null" : typeof value === "object" ? (value as object).constructor?.name ?? "an object" : typeof value}`);
  }
  if (!Array.isArray(shape) || shape.some((n) => typeof n !== "number" || (!Number.isNaN(n) && (!Number.isSafeInteger(n) || n < 0)))) {
    throw new InvalidOptionError(`fromDelayed: shape must be a list of non-negative integers (NaN for a size known only once computed), got ${JSON.stringify(shape)}`);
  }
  if (options.name !== undefined && (typeof options.name !== "string" || options.name.length === 0)) throw new InvalidOptionError(`fromDelayed: name must be a non-empty string, got ${JSON.stringify(options.name)}`);
  const dtype = toDType(options.dtype ?? "float64", "fromDelayed dtype");
  const name = options.name ?? `from-value-${tokenize(value.key, shape.map(String), dtype)}`;
  return new LazyArray(name, [...shape], shape.map((n) => [n]), dtype, new FromDelayedExpr(value));
}
