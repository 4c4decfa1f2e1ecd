/**
 * np.gradient (NumPy 1.24): second-order central differences inside, first- or second-order
 * one-sided differences at the two ends of each axis, one output per axis. Uneven coordinates
 * use NumPy's three-point weights. Every step is rounded to the dtype NumPy computes it in
 * (gradient-spacing.ts), so float32 results match NumPy bit for bit.
 *
 * dtypes as NumPy's: float32 stays float32, float64 stays float64, integers are taken as float64,
 * bool gives float64 but, as in NumPy, only with uneven coordinates and edgeOrder 2 (elsewhere
 * NumPy subtracts bools, which it refuses). Deliberate difference: edgeOrder must be 1 or 2
 * (NumPy reads 0 or 1.5 as 2); bool coordinate arrays are refused.
 */
import { defineBuiltin } from "../core/builtin.js";
import { InvalidOptionError } from "../core/errors.js";
import { normalizeAxes } from "./axes.js";
import type { DType } from "./dtype.js";
import { allocate, isNDArray, NDArray } from "./ndarray.js";
import { slice as sliceArray, type IndexItem } from "./slice.js";
import { copy } from "./copy.js";
import {
  arrayWithArray, arrayWithScalar, roundTo, scalarWithScalar, spacingsFor, type AxisSpacing, type ComputeType, type Spacing, type TypedScalar,
} from "./gradient-spacing.js";

export type { Spacing } from "./gradient-spacing.js";

export interface GradientOptions {
  /** The axes to differentiate along: one (the result is one array), a list, or null for all. */
  axis?: number | readonly number[] | null;
  /** Accuracy of the one-sided differences at the ends: 1 (default) or 2. */
  edgeOrder?: number;
}

const optionNames = ["axis", "edgeOrder"];

function isOptions(value: unknown): value is GradientOptions {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !isNDArray(value);
}

/** Splits `...args` into the spacings and the trailing options object, refusing unknown options. */
export function gradientArguments(args: readonly unknown[], what: string): { varargs: unknown[]; options: GradientOptions } {
  const last = args[args.length - 1];
  const options = isOptions(last) ? last : {};
  for (const key of Object.keys(options)) {
    if (!optionNames.includes(key)) throw new InvalidOptionError(`${what}: unknown option "${key}"; use ${optionNames.join(", ")}`);
  }
  return { varargs: isOptions(last) ? args.slice(0, -1) : [...args], options };
}

export function checkEdgeOrder(edgeOrder: unknown, what: string): 1 | 2 {
  if (typeof edgeOrder === "number" && edgeOrder > 2) throw new InvalidOptionError(`${what}: 'edge_order' greater than 2 not supported (edgeOrder ${edgeOrder})`);
  if (edgeOrder !== 1 && edgeOrder !== 2) throw new InvalidOptionError(`${what}: edgeOrder must be 1 or 2, got ${JSON.stringify(edgeOrder)}`);
  return edgeOrder;
}

/** The values of f, as NumPy computes with them: integers converted to float64, floats exact. */
function valuesOf(f: NDArray): Float64Array {
  const typed = f.toTypedArray();
  if (typed instanceof Float64Array) return typed;
  const out = new Float64Array(typed.length);
  for (let i = 0; i < typed.length; i++) out[i] = Number(typed[i]);
  return out;
}

function refuseBoolSubtract(fType: ComputeType, axis: number): void {
  if (fType === "bool") {
    throw new InvalidOptionError(`gradient: numpy boolean subtract is not supported (axis ${axis} subtracts values of a bool array; cast it with astype first)`);
  }
}

/** `a*f[i] + b*f[j] + c*f[k]` with scalar weights, each product and sum in NumPy's dtype. */
function threePoint(fType: ComputeType, weights: readonly [TypedScalar, TypedScalar, TypedScalar], withScalar: WithScalar): (x: number, y: number, z: number) => number {
  const types = weights.map((w) => withScalar(fType, w));
  const [a, b, c] = weights.map((w, i) => roundTo(types[i])(w.value));
  const [ra, rb, rc] = types.map(roundTo);
  const firstSum = arrayWithArray(types[0], types[1]);
  const [r1, r2] = [roundTo(firstSum), roundTo(arrayWithArray(firstSum, types[2]))];
  return (x, y, z) => r2(r1(ra(a * x) + rb(b * y)) + rc(c * z));
}

interface Line {
  values: Float64Array;
  out: Float64Array | Float32Array;
  /** Flat index of the first line's first element and the step between its elements. */
  base: number;
  step: number;
  n: number;
  /** How many lines side by side (base, base + 1, …): the innermost loop runs along them, in memory order. */
  width: number;
}

type LineKernel = (line: Line) => void;

/** How an end value combines with a scalar: an array op a scalar, or (1-d f) a scalar op a scalar. */
type WithScalar = (value: ComputeType, scalar: TypedScalar) => ComputeType;

/** The kernel that fills lines of the output along an axis, for this spacing and edge order. */
function lineKernel(fType: ComputeType, spacing: AxisSpacing, edgeOrder: 1 | 2, axis: number, ndim: number): LineKernel {
  const rf = roundTo(fType);
  let interior: (line: Line) => void;
  if (spacing.kind === "uniform") {
    refuseBoolSubtract(fType, axis);
    const denominator: TypedScalar = { value: 2 * spacing.step.value, dtype: spacing.step.dtype === "pyint" || spacing.step.dtype === "pyfloat" ? "pyfloat" : "float64" };
    const rt = roundTo(arrayWithScalar(fType, denominator));
    const d = rt(denominator.value);
    interior = ({ values, out, base, step, n, width }) => {
      for (let i = 1; i < n - 1; i++) {
        const at = base + i * step;
        for (let j = at; j < at + width; j++) out[j] = rt(rf(values[j + step] - values[j - step]) / d);
      }
    };
  } else {
    const { differences: dx, dtype } = spacing;
    const rd = roundTo(dtype);
    const rt = roundTo(arrayWithArray(dtype, fType));
    const m = dx.length - 1;
    const [a, b, c] = [new Float64Array(m), new Float64Array(m), new Float64Array(m)];
    for (let i = 0; i < m; i++) {
      const [dx1, dx2] = [dx[i], dx[i + 1]];
      a[i] = rd(-dx2 / rd(dx1 * rd(dx1 + dx2)));
      b[i] = rd(rd(dx2 - dx1) / rd(dx1 * dx2));
      c[i] = rd(dx1 / rd(dx2 * rd(dx1 + dx2)));
    }
    interior = ({ values, out, base, step, n, width }) => {
      for (let i = 1; i < n - 1; i++) {
        const at = base + i * step;
        const [ai, bi, ci] = [a[i - 1], b[i - 1], c[i - 1]];
        for (let j = at; j < at + width; j++) out[j] = rt(rt(rt(ai * values[j - step]) + rt(bi * values[j])) + rt(ci * values[j + step]));
      }
    };
  }
  const withScalar = ndim === 1 ? scalarWithScalar : arrayWithScalar;
  const edges = edgeOrder === 1 ? firstOrderEdges(fType, spacing, axis, withScalar) : secondOrderEdges(fType, spacing, withScalar);
  return (line) => {
    interior(line);
    edges(line);
  };
}

function firstOrderEdges(fType: ComputeType, spacing: AxisSpacing, axis: number, withScalar: WithScalar): LineKernel {
  refuseBoolSubtract(fType, axis);
  const rf = roundTo(fType);
  const first: TypedScalar = spacing.kind === "uniform" ? spacing.step : { value: spacing.differences[0], dtype: spacing.dtype };
  const last: TypedScalar = spacing.kind === "uniform" ? spacing.step : { value: spacing.differences[spacing.differences.length - 1], dtype: spacing.dtype };
  const [rFirst, rLast] = [roundTo(withScalar(fType, first)), roundTo(withScalar(fType, last))];
  const [d0, dn] = [rFirst(first.value), rLast(last.value)];
  return ({ values, out, base, step, n, width }) => {
    for (let j = base; j < base + width; j++) {
      out[j] = rFirst(rf(values[j + step] - values[j]) / d0);
      const end = j + (n - 1) * step;
      out[end] = rLast(rf(values[end] - values[end - step]) / dn);
    }
  };
}

function secondOrderEdges(fType: ComputeType, spacing: AxisSpacing, withScalar: WithScalar): LineKernel {
  let left: [TypedScalar, TypedScalar, TypedScalar];
  let right: [TypedScalar, TypedScalar, TypedScalar];
  if (spacing.kind === "uniform") {
    // -1.5 / dx and the like: a Python float over a scalar is a float64 scalar.
    const dtype = spacing.step.dtype === "pyint" || spacing.step.dtype === "pyfloat" ? "pyfloat" : "float64";
    const h = spacing.step.value;
    left = [{ value: -1.5 / h, dtype }, { value: 2 / h, dtype }, { value: -0.5 / h, dtype }];
    right = [{ value: 0.5 / h, dtype }, { value: -2 / h, dtype }, { value: 1.5 / h, dtype }];
  } else {
    const { differences: dx, dtype } = spacing;
    const rd = roundTo(dtype);
    // `2. * dx1` is float64 (a Python float times a NumPy scalar), so are the sums and quotients it enters.
    let [dx1, dx2] = [dx[0], dx[1]];
    left = [
      { value: -(2 * dx1 + dx2) / rd(dx1 * rd(dx1 + dx2)), dtype: "float64" },
      { value: rd(rd(dx1 + dx2) / rd(dx1 * dx2)), dtype },
      { value: rd(-dx1 / rd(dx2 * rd(dx1 + dx2))), dtype },
    ];
    [dx1, dx2] = [dx[dx.length - 2], dx[dx.length - 1]];
    right = [
      { value: rd(dx2 / rd(dx1 * rd(dx1 + dx2))), dtype },
      { value: rd(-rd(dx2 + dx1) / rd(dx1 * dx2)), dtype },
      { value: (2 * dx2 + dx1) / rd(dx2 * rd(dx1 + dx2)), dtype: "float64" },
    ];
  }
  const [leftEnd, rightEnd] = [threePoint(fType, left, withScalar), threePoint(fType, right, withScalar)];
  return ({ values, out, base, step, n, width }) => {
    for (let j = base; j < base + width; j++) {
      out[j] = leftEnd(values[j], values[j + step], values[j + 2 * step]);
      const end = j + (n - 1) * step;
      out[end] = rightEnd(values[end - 2 * step], values[end - step], values[end]);
    }
  };
}

function gradientAlong(f: NDArray, values: Float64Array, fType: ComputeType, outType: DType, axis: number, spacing: AxisSpacing, edgeOrder: 1 | 2): NDArray {
  const kernel = lineKernel(fType, spacing, edgeOrder, axis, f.ndim);
  const n = f.shape[axis];
  const inner = f.shape.slice(axis + 1).reduce((p, s) => p * s, 1);
  const outer = f.shape.slice(0, axis).reduce((p, s) => p * s, 1);
  // The store into the output's dtype is NumPy's cast of the result to otype.
  const out = allocate(outType, values.length) as Float64Array | Float32Array;
  for (let o = 0; o < outer; o++) kernel({ values, out, base: o * n * inner, step: inner, n, width: inner });
  return new NDArray(out, f.shape, { dtype: outType });
}

function gradientOf(f: NDArray, ...args: Array<Spacing | GradientOptions>): NDArray | NDArray[] {
  if (!isNDArray(f)) throw new InvalidOptionError(`gradient: f must be an NDArray, got ${typeof f}`);
  const { varargs, options } = gradientArguments(args, "gradient");
  const axes = normalizeAxes(options.axis as number | number[] | null | undefined, f.ndim, "gradient");
  const spacings = spacingsFor(varargs, axes, f.shape, "gradient");
  const edgeOrder = checkEdgeOrder(options.edgeOrder ?? 1, "gradient");
  const fType: ComputeType = f.dtype === "float32" || f.dtype === "float64" ? f.dtype : f.dtype === "bool" ? "bool" : "float64";
  const outType: DType = f.dtype === "float32" ? "float32" : "float64";
  const values = valuesOf(f);
  const outputs = axes.map((axis, i) => {
    if (f.shape[axis] < edgeOrder + 1) {
      throw new InvalidOptionError(
        `gradient: Shape of array too small to calculate a numerical gradient, at least (edge_order + 1) elements are required (axis ${axis} has ${f.shape[axis]}, edgeOrder ${edgeOrder})`,
      );
    }
    return gradientAlong(f, values, fType, outType, axis, spacings[i], edgeOrder);
  });
  return outputs.length === 1 ? outputs[0] : outputs;
}

/**
 * `gradient(f, ...spacings, { axis, edgeOrder })`: np.gradient. Spacings: none (1 on every axis),
 * one scalar for every axis, or one per axis, each a number, a 0-d NDArray or coordinates (a
 * 1-d NDArray or a list of numbers as long as the axis). One NDArray for one axis, else a list.
 */
export const gradient = defineBuiltin("ndarray.gradient", gradientOf);

/**
 * One block of dask.array.gradient: the block with one neighbouring cell on each side along
 * `axis` where it has a neighbour, its coordinates cut to the same cells (Dask's array_locs),
 * np.gradient of that, cut back to the block. Called by src/array/gradient.ts through mapBlocks.
 */
export const gradientBlock = defineBuiltin("ndarray.gradientBlock", function gradientBlock(
  halo: NDArray,
  options: {
    axis: number; edgeOrder: 1 | 2; length: number;
    spacing: { value: number; dtype: DType | "pyint" | "pyfloat" } | { coordinates: number[]; dtype: "float32" | "float64" };
    blockInfo: { output: { "array-location": number[][] } };
  },
): NDArray {
  const { axis, edgeOrder, length, spacing } = options;
  const [start, stop] = options.blockInfo.output["array-location"][axis];
  const lo = start > 0 ? 1 : 0;
  const hi = stop < length ? 1 : 0;
  let given: Spacing;
  if ("coordinates" in spacing) {
    const cut = spacing.coordinates.slice(start - lo, stop + hi);
    given = new NDArray(spacing.dtype === "float32" ? Float32Array.from(cut) : Float64Array.from(cut), [cut.length]);
  } else if (spacing.dtype === "pyint" || spacing.dtype === "pyfloat") {
    given = spacing.value;
  } else {
    given = new NDArray(allocate(spacing.dtype, 1), [], { dtype: spacing.dtype });
    given.set([], spacing.dtype === "int64" || spacing.dtype === "uint64" ? BigInt(spacing.value) : spacing.value);
  }
  const grad = gradientOf(halo, given, { axis, edgeOrder }) as NDArray;
  const index: IndexItem[] = halo.shape.map((_, a) => (a === axis ? { start: lo, stop: lo + stop - start } : ":")) as IndexItem[];
  return copy(sliceArray(grad, ...index));
});
