/**
 * NumPy's NaN-ignoring reductions (numpy/lib/nanfunctions.py, 1.24), for float inputs; on
 * integer and bool inputs, which hold no NaN, each is its plain reduction.
 *
 * - nansum / nanprod replace NaN by 0 / 1 in a copy laid out as the input (NumPy copies in
 *   "K" order) and sum it, so the pairwise summation visits the same elements in the same
 *   order as NumPy: the sums are bit-identical. Complex input: complex-nan-statistics.ts (an
 *   element is NaN when either half is).
 * - nanmin / nanmax are NumPy's fmin / fmax folds: NaN is skipped, a slice of only NaN gives
 *   NaN (NumPy adds a RuntimeWarning; tessera/ndarray does not warn), ties keep the first.
 * - nanargmin / nanargmax read NaN as +inf / -inf (as NumPy's replacement does, so among
 *   [NaN, inf] nanargmin is 0) and refuse a slice of only NaN, as NumPy's ValueError.
 */
import { InvalidOptionError } from "../core/errors.js";
import { refuseComplex } from "./complex-refusal.js";
import { definePublicBuiltin } from "./public-parameters.js";
import { normalizeAxes, normalizeAxis } from "./axes.js";
import { copy, requireArray } from "./copy.js";
import { dtypeInfo, isComplexDType } from "./dtype.js";
import { complexNanprod, complexNansum } from "./complex-nan-statistics.js";
import { NDArray, empty } from "./ndarray.js";
import { reducedLayout } from "./reduced-layout.js";
import { type ArgReductionOptions, type ReductionArgument, argmax, argmin, max, min, prod, readReductionOptions, sum } from "./reductions.js";
import { transpose } from "./views.js";

const withDType = ["axis", "keepdims", "dtype"] as const;
const withoutDType = ["axis", "keepdims"] as const;

export function isFloatArray(a: NDArray): boolean {
  return dtypeInfo(a.dtype).kind === "f";
}

/** Axes by decreasing |stride| (C order among equals): the order of the elements in memory. */
function memoryOrder(a: NDArray): number[] {
  return a.shape.map((_, axis) => axis).sort((x, y) => Math.abs(a.strides[y]) - Math.abs(a.strides[x]));
}

/**
 * A fresh copy of `a` with the same memory layout (NumPy's `np.array(a, copy=True)`, "K"
 * order) and with NaN replaced by `value`; `mask`, when asked for, marks the replaced
 * elements by their index in the copy's storage.
 */
export function replaceNaN(a: NDArray, value: number, withMask = false): { array: NDArray; mask: Uint8Array | null } {
  const order = memoryOrder(a);
  const dense = copy(transpose(a, order));
  const data = dense.data as Float64Array;
  const mask = withMask ? new Uint8Array(data.length) : null;
  for (let i = 0; i < data.length; i++) {
    if (data[i] !== data[i]) {
      data[i] = value;
      if (mask) mask[i] = 1;
    }
  }
  const inverse = order.map((_, axis) => order.indexOf(axis));
  return { array: transpose(dense, inverse), mask };
}

/** Sum treating NaN as zero (NumPy's nansum); integer inputs sum as `sum`. */
export const nansum = definePublicBuiltin("nansum", function nansum(a: NDArray, options?: ReductionArgument): NDArray {
  requireArray(a, "nansum");
  const o = readReductionOptions(options, "nansum", withDType);
  if (isComplexDType(a.dtype)) return complexNansum(a, o);
  return sum(isFloatArray(a) ? replaceNaN(a, 0).array : a, o);
});

/** Product treating NaN as one (NumPy's nanprod). */
export const nanprod = definePublicBuiltin("nanprod", function nanprod(a: NDArray, options?: ReductionArgument): NDArray {
  requireArray(a, "nanprod");
  const o = readReductionOptions(options, "nanprod", withDType);
  if (isComplexDType(a.dtype)) return complexNanprod(a, o);
  return prod(isFloatArray(a) ? replaceNaN(a, 1).array : a, o);
});

function nanExtremum(a: NDArray, argument: ReductionArgument, which: "min" | "max"): NDArray {
  const operation = `nan${which}`;
  requireArray(a, operation);
  refuseComplex(operation, a.dtype);
  const o = readReductionOptions(argument, operation, withoutDType);
  if (!isFloatArray(a)) return which === "min" ? min(a, o) : max(a, o);
  const axes = normalizeAxes(o.axis, a.ndim, operation);
  const { keptShape, bases, count, offsets, stride } = reducedLayout(a, axes);
  // As NumPy: refused even where the result is empty too.
  if (count === 0) {
    throw new InvalidOptionError(`${operation}: zero-size array to reduction operation ${which === "min" ? "fmin" : "fmax"} which has no identity`);
  }
  const out = empty(keptShape, a.dtype);
  const values = out.data as Float64Array;
  const data = a.data as Float64Array;
  const lower = which === "min";
  // Which of two equal values (0 and −0) NumPy keeps depends on its inner loop: along a reduced
  // axis, the fmin / fmax reduce loop keeps the accumulator; along a kept axis, the binary loop
  // fmax(out, x) takes x. NumPy's inner loop runs along the axis of smallest stride.
  let inner = -1;
  for (let axis = 0; axis < a.ndim; axis++) {
    if (a.shape[axis] > 1 && (inner < 0 || Math.abs(a.strides[axis]) <= Math.abs(a.strides[inner]))) inner = axis;
  }
  const tiesTakeX = inner >= 0 && !axes.includes(inner);
  for (let j = 0; j < bases.length; j++) {
    const base = bases[j];
    let acc = NaN;
    for (let k = 0; k < count; k++) {
      const x = data[offsets === null ? base + k * stride : base + offsets[k]];
      // fmin / fmax: a NaN accumulator takes x; x replaces a number when better (or equal, above).
      if (acc !== acc || (lower ? x < acc : x > acc) || (tiesTakeX && x === acc)) acc = x;
    }
    values[j] = acc;
  }
  if (o.keepdims) return out;
  return new NDArray(out.data, a.shape.filter((_, axis) => !axes.includes(axis)), { dtype: a.dtype });
}

/** Smallest element ignoring NaN; NaN where a slice holds only NaN. */
export const nanmin = definePublicBuiltin("nanmin", function nanmin(a: NDArray, options?: ReductionArgument): NDArray {
  return nanExtremum(a, options, "min");
});

/** Largest element ignoring NaN; NaN where a slice holds only NaN. */
export const nanmax = definePublicBuiltin("nanmax", function nanmax(a: NDArray, options?: ReductionArgument): NDArray {
  return nanExtremum(a, options, "max");
});

function nanArg(a: NDArray, argument: ArgReductionOptions | number | null | undefined, which: "min" | "max"): NDArray {
  const operation = `nanarg${which}`;
  requireArray(a, operation);
  refuseComplex(operation, a.dtype);
  const options: ArgReductionOptions = typeof argument === "number" ? { axis: argument } : argument ?? {};
  for (const key of Object.keys(options)) {
    if (!["axis", "keepdims"].includes(key) && (options as Record<string, unknown>)[key] !== undefined) {
      throw new InvalidOptionError(`${operation}: unknown option "${key}"; ${operation} takes axis (one axis or null), keepdims`);
    }
  }
  if (!isFloatArray(a)) return which === "min" ? argmin(a, options) : argmax(a, options);
  const axis = options.axis ?? null;
  if (axis !== null && typeof axis !== "number") throw new InvalidOptionError(`${operation}: axis must be one axis or null, got ${JSON.stringify(axis)}`);
  const axes = axis === null ? a.shape.map((_, i) => i) : [normalizeAxis(axis, a.ndim, operation)];
  const { keptShape, bases, count, offsets, stride } = reducedLayout(a, axes);
  if (count === 0) throw new InvalidOptionError(`${operation}: attempt to get ${operation.slice(3)} of an empty sequence`);
  const result = new BigInt64Array(bases.length);
  const data = a.data as Float64Array;
  const lower = which === "min";
  const nanAs = lower ? Infinity : -Infinity;
  for (let j = 0; j < bases.length; j++) {
    const base = bases[j];
    let best = 0;
    let position = 0;
    let valid = false;
    for (let k = 0; k < count; k++) {
      let x = data[offsets === null ? base + k * stride : base + offsets[k]];
      if (x !== x) x = nanAs;
      else valid = true;
      if (k === 0 || (lower ? x < best : x > best)) {
        best = x;
        position = k;
      }
    }
    if (!valid) throw new InvalidOptionError(`${operation}: All-NaN slice encountered (NumPy raises ValueError)`);
    result[j] = BigInt(position);
  }
  const shape = options.keepdims ? (axis === null ? a.shape.map(() => 1) : keptShape) : a.shape.filter((_, i) => !axes.includes(i));
  return new NDArray(result, shape, { dtype: "int64" });
}

/** Index of the smallest element ignoring NaN (int64); a slice of only NaN is an error. */
export const nanargmin = definePublicBuiltin("nanargmin", function nanargmin(a: NDArray, options?: ArgReductionOptions | number | null): NDArray {
  return nanArg(a, options, "min");
});

/** Index of the largest element ignoring NaN (int64); a slice of only NaN is an error. */
export const nanargmax = definePublicBuiltin("nanargmax", function nanargmax(a: NDArray, options?: ArgReductionOptions | number | null): NDArray {
  return nanArg(a, options, "max");
});
