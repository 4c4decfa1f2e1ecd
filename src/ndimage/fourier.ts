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
 * fourierEllipsoid (inputs of 1 to 3 axes, as scipy's) multiplies by the transform of an
 * ellipsoid of the given diameters, with scipy's own Bessel J1 in 2-d (bessel-j1.ts), and takes
 * scipy's `output` as a dtype.
 */
import { definePublicBuiltin } from "./public-parameters.js";
import { InvalidOptionError } from "../core/errors.js";
import { normalizeAxis } from "../ndarray/axes.js";
import { astype } from "../ndarray/copy.js";
import { type DType, isComplexDType } from "../ndarray/dtype.js";
import { NDArray, empty, isNDArray } from "../ndarray/ndarray.js";
import { refuseUnknownKeys } from "../ndarray/option-keys.js";
import { besselJ1 } from "./bessel-j1.js";

export interface FourierGaussianOptions { sigma: number | readonly number[]; n?: number; axis?: number }
export interface FourierUniformOptions { size: number | readonly number[]; n?: number; axis?: number }
export interface FourierShiftOptions { shift: number | readonly number[]; n?: number; axis?: number }
/** `output`: the result's dtype (scipy's output=np.float32 …), one of float32, float64, complex64, complex128. */
export interface FourierEllipsoidOptions { size: number | readonly number[]; n?: number; axis?: number; output?: DType | null }

/**
 * Where a block sits in the whole spectrum, as the chunked form passes it (Dask's block_info
 * of its input): the factors are those of the block's global indices, so the blocks of a
 * chunked spectrum get what scipy gives the whole array.
 */
interface BlockPlacement { 0: { shape: number[]; "array-location": Array<[number, number]> } }

interface Plan { n: number; axis: number; values: number[]; shape: readonly number[]; origin: readonly number[] }

function readPlan(input: NDArray, options: object, key: string, what: string, extraKeys: readonly string[] = []): Plan {
  if (!isNDArray(input)) throw new InvalidOptionError(`${what}: input must be an NDArray, got ${String(input)}`);
  if (options === null || typeof options !== "object") throw new InvalidOptionError(`${what} needs an options object with ${key}, got ${String(options)}`);
  refuseUnknownKeys(options, [key, "n", "axis", "blockInfo", ...extraKeys], what);
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

/**
 * The per-axis factor tables (null for axes of length ≤ 1, which scipy leaves out, except for
 * the ellipsoid, whose tables scipy fills for every axis).
 */
function tables(plan: Plan, factor: (axis: number, k: number, length: number) => number, unitAxes = false): Array<Float64Array | null> {
  return plan.shape.map((length, axis) => {
    if (length < 1 || (length === 1 && !unitAxes)) return null;
    const halfAxis = axis === plan.axis && plan.n >= 0;
    const shape = halfAxis ? plan.n : length;
    return Float64Array.from(frequencyIndices(length, halfAxis), (k) => factor(axis, k, shape));
  });
}

/**
 * Multiplies every element by the product of its axes' table entries, or by `profile` of their
 * sum ("sum"), or (for shift) turns it by their sum ("phase").
 */
function apply(
  input: NDArray, outDType: DType, perAxis: Array<Float64Array | null>, combine: "product" | "sum" | "phase", origin: readonly number[],
  profile: (sum: number) => number = (sum) => sum,
): NDArray {
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
    if (combine === "sum") factor = profile(factor);
    if (combine === "phase") {
      const cos = Math.cos(factor);
      const sin = Math.sin(factor);
      // A real input is turned as scipy does (r = x·cos, i = x·sin), which keeps the signs of zeros.
      target[2 * index] = round(complexIn ? re * cos - im * sin : re * cos);
      target[2 * index + 1] = round(complexIn ? re * sin + im * cos : re * sin);
    } else if (isComplexDType(outDType)) {
      target[2 * index] = round(re * factor);
      // A real input into a complex output gets an imaginary part of exactly 0, as scipy's.
      target[2 * index + 1] = complexIn ? round(im * factor) : 0;
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
export const fourierGaussian = definePublicBuiltin("fourierGaussian", function fourierGaussian(input: NDArray, options: FourierGaussianOptions): NDArray {
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
export const fourierUniform = definePublicBuiltin("fourierUniform", function fourierUniform(input: NDArray, options: FourierUniformOptions): NDArray {
  const plan = readPlan(input, options, "size", "fourierUniform");
  const perAxis = tables(plan, (axis, k, shape) => {
    if (k === 0) return 1;
    const step = (Math.PI * plan.values[axis]) / shape;
    return step > 0 ? Math.sin(step * k) / (step * k) : 0;
  });
  return apply(input, realFilterDType(input), perAxis, "product", plan.origin);
});

/** scipy.ndimage.fourier_shift: the spectrum turned by exp(−2πi·shift·k/length), summed over axes. */
export const fourierShift = definePublicBuiltin("fourierShift", function fourierShift(input: NDArray, options: FourierShiftOptions): NDArray {
  const plan = readPlan(input, options, "shift", "fourierShift");
  const perAxis = tables(plan, (axis, k, shape) => ((-2 * Math.PI * plan.values[axis]) / shape) * k);
  return apply(input, isComplexDType(input.dtype) ? input.dtype : "complex128", perAxis, "phase", plan.origin);
});

const filterOutputs: readonly DType[] = ["float32", "float64", "complex64", "complex128"];

/**
 * The dtype of fourierEllipsoid's result (scipy's _get_output_fourier with output a dtype):
 * the default as fourierGaussian's; a complex input into a real output is refused, as scipy's
 * C loop refuses it ("data type not supported").
 */
export function ellipsoidOutputDType(inputDType: DType, output: unknown, ndim: number): DType {
  const what = "fourierEllipsoid";
  if (ndim < 1 || ndim > 3) throw new InvalidOptionError(`${what}: only inputs of 1, 2 or 3 axes are supported (as scipy's), got ${ndim} axes`);
  if (output === undefined || output === null) return isComplexDType(inputDType) || inputDType === "float32" ? inputDType : "float64";
  if (!filterOutputs.includes(output as DType)) throw new InvalidOptionError(`${what}: output type ${JSON.stringify(output)} not supported; use one of ${filterOutputs.join(", ")}`);
  if (isComplexDType(inputDType) && !isComplexDType(output as DType)) throw new InvalidOptionError(`${what}: a ${inputDType} input needs a complex output, got ${String(output)} (scipy: data type not supported)`);
  return output as DType;
}

/** The ellipsoid's transform as a function of r (the summed table, r² from 2 axes on): sinc, 2·J1(r)/r, 3(sin r − r cos r)/r³. */
function ellipsoidProfile(ndim: number): (sum: number) => number {
  if (ndim === 1) return (x) => (x !== 0 ? Math.sin(x) / x : 1);
  if (ndim === 2) {
    return (squared) => {
      const r = Math.sqrt(squared);
      return r > 0 ? (2 * besselJ1(r)) / r : 1;
    };
  }
  return (squared) => {
    const r = Math.sqrt(squared);
    return r > 0 ? (3 * (Math.sin(r) - r * Math.cos(r))) / (r * r * r) : 1;
  };
}

/**
 * scipy.ndimage.fourier_ellipsoid: the spectrum times the transform of an ellipsoid of diameters
 * `size` (per axis), at r = √Σ(π·size·k/length)² (in 1-d r = π·size·k/length, signed).
 */
export const fourierEllipsoid = definePublicBuiltin("fourierEllipsoid", function fourierEllipsoid(input: NDArray, options: FourierEllipsoidOptions): NDArray {
  if (!isNDArray(input)) throw new InvalidOptionError(`fourierEllipsoid: input must be an NDArray, got ${String(input)}`);
  const outDType = ellipsoidOutputDType(input.dtype, (options as { output?: unknown } | null)?.output, input.ndim);
  // scipy returns an empty input before it reads the axis (its C loop fails on size 0, gh-17270).
  if (input.size === 0) return empty(input.shape, outDType);
  const plan = readPlan(input, options, "size", "fourierEllipsoid", ["output"]);
  const squared = input.ndim > 1;
  // `length` is n along the half axis of a real transform.
  const perAxis = tables(plan, (axis, k, length) => {
    const x = k * ((Math.PI * plan.values[axis]) / length);
    return squared ? x * x : x;
  }, true);
  return apply(input, outDType, perAxis, "sum", plan.origin, ellipsoidProfile(input.ndim));
});
