/**
 * Dask's _concatenate2: nested lists of arrays joined into one, the innermost lists along the
 * last of `axes`, the outer ones along the earlier axes. ta.reduction with concatenate (its
 * default) joins the partials a combine or aggregate takes this way, as Dask does.
 */
import { defineBuiltin } from "../core/builtin.js";
import { InvalidOptionError } from "../core/errors.js";
import { concatenate } from "./join.js";
import { NDArray } from "./ndarray.js";

export const concatenateNested = defineBuiltin("ndarray.concatenateNested", function concatenateNested(nested: unknown, axes: readonly number[], what = "concatenateNested"): NDArray {
  const join = (value: unknown, depth: number): NDArray => {
    if (depth === axes.length) {
      if (value instanceof NDArray) return value;
      const kind = value === null ? "null" : Array.isArray(value) ? "a list" : typeof value === "object" ? `an object (${Object.keys(value as object).join(", ")})` : typeof value;
      throw new InvalidOptionError(`${what}: with concatenate true every partial must be an NDArray, got ${kind}; pass concatenate: false to receive the partials as nested lists`);
    }
    if (!Array.isArray(value) || value.length === 0) throw new InvalidOptionError(`${what}: expected a non-empty list of partials at depth ${depth}, got ${Array.isArray(value) ? "an empty list" : typeof value}`);
    const parts = value.map((item) => join(item, depth + 1));
    return parts.length === 1 ? parts[0] : concatenate(parts, axes[depth]);
  };
  return join(nested, 0);
});
