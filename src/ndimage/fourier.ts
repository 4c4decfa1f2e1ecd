/**
 * scipy.ndimage's Fourier-domain filters (scipy 1.10, ni_fourier.c): fourierGaussian,
 * fourierUniform and fourierShift multiply each element of a spectrum by a factor of its
 * frequency indices. The input is the output of an FFT: with `n` = -1 (default) of a complex
 * transform (fftn), each axis' index k stands for frequency k or k − length as fftfreq orders
 * them; with `n` ≥ 0 the axis `axis` is the half axis of a real transform (rfftn) of a signal of
 * length n, whose indices are frequencies 0, 1, … directly.
 *
 * Output dtypes as scipy's: fourierGaussian / fourierUniform give complex64, complex128 or
 * float32 for those inputs and float64 otherwise; fourierShift gives complex64 / complex128
 * for complex input and complex128 otherwise. The factors are computed in float64, as scipy's.
 * fourierEllipsoid is not offered yet (refused by its absence, not approximated).
 */
import { defineBuiltin } from "../core/builtin.js";
import { InvalidOptionError } from "../core/errors.js";
import { normalizeAxis } from "../ndarray/axes.js";
import { astype } from "../ndarray/copy.js";
import { type DType, isComplexDType } from "../ndarray/dtype.js";
import { NDArray, empty, isNDArray } from "../ndarray/ndarray.js";
import { refuseUnknownKeys } from "../ndarray/option-keys.js";

export interface FourierGaussianOptions { sigma: number | readonly number[]; n?: number; axis?: number }
export interface FourierUniformOptions { size: number | readonly number[]; n?: number; axis?: number }
export interface FourierShiftOptions { shift: number | readonly number[]; n?: number; axis?: number }

/**
 * Where a block sits in the whole spectrum, as the chunked form passes it (Dask's block_info
 * of its input): the factors are those of the block's global indices, so the blocks of a
 * chunked spectrum get what scipy gives the whole array.
 */
interface BlockPlacement { 0: { shape: number[]; "array-location": Array<[number, number]> } }

interface Plan { n: number; axis: number; values: number[]; shape: readonly number[]; origin: readonly number[] }

function readPlan(input: NDArray, options: object, key: string, what: string): Plan {
  if (!isNDArray(input)) throw new InvalidOptionError(`${what}: input must be an NDArray, got ${String(input)}`);
  if (options === null || typeof options !== "object") throw new InvalidOptionError(`${what} needs an options object with ${key}, got ${String(options)}`);
  refuseUnknownKeys(options, [key, "n", "axis", "blockInfo"], what);
  const placement = (options as { blockInfo?: BlockPlacement }).blockInfo?.[0];
  const given = (options as Record<string, unknown>)[key];
  const o = options as { n?: number; axis?: number };
  const n = o.n ?? -1;
  if (!Number.isInteger(n)) throw new InvalidOptionError(`${what}: n must be an integer, got ${String(n)}`);
  const axis = input.ndim === 0 ? 0 : normalizeAxis(o.axis ?? -1, input.ndim, what);
  const list = typeof given === "number" ? new Array<number>(input.ndim).fill(given) : Array.isArray(given) ? [...(given as number[])] : undefined;
  if (!list || list.some((value) => typeof value !== "number")) throw new InvalidOptionError(`${what}: ${key} must be a number or one number per axis, got ${JSON.stringify(given)}`);
  if (list.length !== input.ndim) throw new InvalidOptionError(`${what}: ${key} has ${list.length} entries, the input has ${input.ndim} axes (sequence argument must have length equal to input rank)`);
  const shape = placement ? placement.shape : input.shape;
  const origin = placement ? placement["array-location"].map(([start]) => start) : input.shape.map(() => 0);
  if (shape.length !== input.ndim) throw new InvalidOptionError(`${what}: blockInfo describes ${shape.length} axes, the block has ${input.ndim}`);
  return { n, axis, values: list, shape, origin };
}

/** The frequency index of each position along an axis: k, or k − length past the middle (scipy's table order). */
function frequencyIndices(length: number, halfAxis: boolean): number[] {
  if (halfAxis) return Array.from({ length }, (_, k) => k);
  const indices: number[] = [];
  for (let k = 0; k < Math.floor((length + 1) / 2); k++) indices.push(k);
  for (let k = -Math.floor(length / 2); k < 0; k++) indices.push(k);
  return indices;
}

/** The per-axis factor tables (null for axes of length ≤ 1, which scipy leaves out). */
function tables(plan: Plan, factor: (axis: number, k: number, length: number) => number): Array<Float64Array | null> {
  return plan.shape.map((length, axis) => {
    if (length <= 1) return null;
    const halfAxis = axis === plan.axis && plan.n >= 0;
    const shape = halfAxis ? plan.n : length;
    return Float64Array.from(frequencyIndices(length, halfAxis), (k) => factor(axis, k, shape));
  });
}

/** Multiplies (or, for shift, turns) every element by the product / sum of its axes' table entries. */
function apply(input: NDArray, outDType: DType, perAxis: Array<Float64Array | null>, combine: "product" | "phase", origin: readonly number[]): NDArray {
  const complexIn = isComplexDType(input.dtype);
  const source = complexIn ? astype(input, "complex128").storage : astype(input, "float64").data;
  const out = empty(input.shape, outDType);
  const target = out.storage;
  const ndim = input.ndim;
  const coordinates = new Array<number>(ndim).fill(0);
  const round = outDType === "float32" || outDType === "complex64" ? Math.fround : (x: number) => x;
  for (let index = 0; index < input.size; index++) {
    let factor = combine === "product" ? 1 : 0;
    for (let axis = 0; axis < ndim; axis++) {
      const table = perAxis[axis];
      if (table) factor = combine === "product" ? factor * table[origin[axis] + coordinates[axis]] : factor + table[origin[axis] + coordinates[axis]];
    }
    const re = complexIn ? (source[2 * index] as number) : (source[index] as number);
    const im = complexIn ? (source[2 * index + 1] as number) : 0;
    if (combine === "phase") {
      const cos = Math.cos(factor);
      const sin = Math.sin(factor);
      // A real input is turned as scipy does (r = x·cos, i = x·sin), which keeps the signs of zeros.
      target[2 * index] = round(complexIn ? re * cos - im * sin : re * cos);
      target[2 * index + 1] = round(complexIn ? re * sin + im * cos : re * sin);
    } else if (isComplexDType(outDType)) {
      target[2 * index] = round(re * factor);
      target[2 * index + 1] = round(im * factor);
    } else target[index] = round(factor * re);
    for (let axis = ndim - 1; axis >= 0; axis--) {
      if (++coordinates[axis] < input.shape[axis]) break;
      coordinates[axis] = 0;
    }
  }
  return out;
}

function realFilterDType(input: NDArray): DType {
  return isComplexDType(input.dtype) || input.dtype === "float32" ? input.dtype : "float64";
}

/** scipy.ndimage.fourier_gaussian: the spectrum times exp(−2(π·σ·k/length)²) per axis. */
export const fourierGaussian = defineBuiltin("ndimage.fourierGaussian", function fourierGaussian(input: NDArray, options: FourierGaussianOptions): NDArray {
  const plan = readPlan(input, options, "sigma", "fourierGaussian");
  const perAxis = tables(plan, (axis, k, shape) => {
    let parameter = (plan.values[axis] * Math.PI) / shape;
    parameter = -2 * parameter * parameter;
    const exponent = parameter * k * k;
    return Math.abs(exponent) > 50 ? 0 : Math.exp(exponent);
  });
  return apply(input, realFilterDType(input), perAxis, "product", plan.origin);
});

/** scipy.ndimage.fourier_uniform: the spectrum times sin(π·size·k/length) / (π·size·k/length) per axis. */
export const fourierUniform = defineBuiltin("ndimage.fourierUniform", function fourierUniform(input: NDArray, options: FourierUniformOptions): NDArray {
  const plan = readPlan(input, options, "size", "fourierUniform");
  const perAxis = tables(plan, (axis, k, shape) => {
    if (k === 0) return 1;
    const step = (Math.PI * plan.values[axis]) / shape;
    return step > 0 ? Math.sin(step * k) / (step * k) : 0;
  });
  return apply(input, realFilterDType(input), perAxis, "product", plan.origin);
});

/** scipy.ndimage.fourier_shift: the spectrum turned by exp(−2πi·shift·k/length), summed over axes. */
export const fourierShift = defineBuiltin("ndimage.fourierShift", function fourierShift(input: NDArray, options: FourierShiftOptions): NDArray {
  const plan = readPlan(input, options, "shift", "fourierShift");
  const perAxis = tables(plan, (axis, k, shape) => ((-2 * Math.PI * plan.values[axis]) / shape) * k);
  return apply(input, isComplexDType(input.dtype) ? input.dtype : "complex128", perAxis, "phase", plan.origin);
});
