/**
 * Grey morphology of int64, uint64 and bool inputs, as scipy 1.10 computes it. Each step
 * (erosion, dilation) is one `_min_or_max_filter` call into an array of the input dtype, so an
 * opening or closing casts back to that dtype between its two steps, as scipy's temporary does.
 *
 * - bool (npy_bool: one byte) is filtered as uint8 (the same C loops on the same bytes: cval and
 *   structure values cast to a byte, sums wrapping at 256) and the bytes are kept: scipy can
 *   store a byte such as 7 at the border, which NumPy reads as True. The tophats use NumPy's
 *   bitwise_xor of bools (true where exactly one side is nonzero), not a subtraction.
 * - int64 / uint64 without a structure go through the rank filters' wide path (wide-dtypes.ts):
 *   scipy reads every value into a double, so the step runs on float64 and is cast back.
 * - int64 with a structure: scipy adds in int64 (`tmp = v + (npy_int64)s`, the first cell
 *   `double(v) + s` uncast) and compares as doubles. While every |v| + |(npy_int64)s| stays
 *   within 2^53 those sums are exact in float64, so the step runs on float64 with every structure
 *   value but the first cell's truncated; beyond that it is refused (the double rounding of large
 *   int64 sums is not reproduced). uint64 with a structure is refused: C's cast of a negative
 *   structure value to an unsigned 64-bit integer is undefined, so scipy's result is too.
 */
import { InvalidOptionError } from "../core/errors.js";
import { astype } from "../ndarray/copy.js";
import type { DType } from "../ndarray/dtype.js";
import { NDArray } from "../ndarray/ndarray.js";
import { type Grid, footprintOf, readGrid } from "./footprint.js";
import type { FootprintFilterOptions } from "./min-max-filter.js";
import { resolveOutputRegion } from "./options.js";
import { copyRegion } from "./separable.js";
import { filterWideDtype } from "./wide-dtypes.js";

/** The options of the grey morphology functions (exported by grey-morphology.ts). */
export interface GreyMorphologyOptions extends FootprintFilterOptions {
  /** Grey structuring element: added to the values (dilation) or subtracted (erosion). */
  structure?: Grid;
}

export type MorphologyStep = "erosion" | "dilation";
/** One step on an input of a dtype the filter loops take. */
export type StepRunner = (input: NDArray, options: GreyMorphologyOptions, step: MorphologyStep) => NDArray;

const wide: ReadonlySet<DType> = new Set<DType>(["int64", "uint64", "bool"]);

export function isWideMorphologyDtype(dtype: DType): boolean {
  return wide.has(dtype);
}

const exactLimit = 2 ** 53;
const int64Limit = 2 ** 63;

/** The steps in order; all but the last cover the whole input in its dtype, the last takes `options`. */
export function wideMorphology(input: NDArray, options: GreyMorphologyOptions, chain: readonly MorphologyStep[], run: StepRunner, what: string): NDArray {
  const dtype = input.dtype;
  if (options.output !== undefined && options.output !== dtype) {
    throw new InvalidOptionError(`${what}: a ${dtype} input is filtered into ${dtype} only, got output ${JSON.stringify(options.output)}; cast the input to the dtype you want first`);
  }
  const { output: _output, outputRegion, ...whole } = options;
  let current = input;
  chain.forEach((step, k) => {
    const stepOptions = k === chain.length - 1 ? { ...whole, outputRegion } : whole;
    current = wideStep(current, stepOptions, step, run, what);
  });
  return current;
}

/** input − opening (white) or closing − input (black) in the input dtype; xor for bool, as NumPy. */
export function wideTophat(input: NDArray, options: GreyMorphologyOptions, white: boolean, run: StepRunner, what: string): NDArray {
  const chain: MorphologyStep[] = white ? ["erosion", "dilation"] : ["dilation", "erosion"];
  const filtered = wideMorphology(input, options, chain, run, what);
  const original = copyRegion(input, resolveOutputRegion(options.outputRegion, input.shape), input.dtype);
  const a = (white ? original : filtered).toTypedArray();
  const b = (white ? filtered : original).toTypedArray();
  if (input.dtype === "bool") {
    const x = a as Uint8Array;
    const y = b as Uint8Array;
    const out = new Uint8Array(x.length);
    for (let i = 0; i < out.length; i++) out[i] = (x[i] !== 0) !== (y[i] !== 0) ? 1 : 0;
    return new NDArray(out, filtered.shape, { dtype: "bool" });
  }
  const x = a as BigInt64Array;
  const y = b as BigInt64Array;
  const out = input.dtype === "int64" ? new BigInt64Array(x.length) : new BigUint64Array(x.length);
  // Typed-array stores wrap to 64 bits, as NumPy's integer subtraction does.
  for (let i = 0; i < out.length; i++) out[i] = x[i] - y[i];
  return new NDArray(out, filtered.shape, { dtype: input.dtype });
}

function wideStep(input: NDArray, options: GreyMorphologyOptions, step: MorphologyStep, run: StepRunner, what: string): NDArray {
  if (input.dtype === "bool") {
    // The same bytes read as uint8 (an opening's intermediate may hold bytes other than 0 and 1).
    const bytes = new NDArray(input.data, input.shape, { strides: input.strides, offset: input.offset, dtype: "uint8" });
    const result = run(bytes, options, step);
    return new NDArray(result.data, result.shape, { dtype: "bool" });
  }
  if (options.structure === undefined) {
    return filterWideDtype(input, options, (cast, castOptions) => run(cast, castOptions, step), what) as NDArray;
  }
  if (input.dtype === "uint64") {
    throw new InvalidOptionError(`${what}: a uint64 input with a structure is not supported (scipy casts the structure values to uint64, which C leaves undefined for negative values); cast the input to int64 or float64 first`);
  }
  return int64StructureStep(input, options, step, run, what);
}

function int64StructureStep(input: NDArray, options: GreyMorphologyOptions, step: MorphologyStep, run: StepRunner, what: string): NDArray {
  const cval = options.cval ?? 0;
  if (typeof cval !== "number" || !Number.isFinite(cval)) {
    throw new InvalidOptionError(`${what}: cval ${JSON.stringify(cval)} has no int64 value (C's cast of it is undefined in scipy); use a finite cval`);
  }
  const grid = readGrid(options.structure, "structure");
  const mask = options.footprint === undefined ? null : footprintOf(options.footprint, grid.shape.length).mask;
  // The cell scipy visits first keeps its structure value as a double: the first footprint cell
  // in C order, or for dilation (footprint reversed on every axis) the last.
  let first = -1;
  for (let i = 0; i < grid.values.length; i++) {
    if (mask === null || mask[i]) {
      if (first < 0 || step === "dilation") first = i;
      if (step === "erosion") break;
    }
  }
  let widestStructure = 0;
  const values = Float64Array.from(grid.values, (s, i) => {
    if (i === first || (mask !== null && !mask[i])) return s;
    const cast = Math.trunc(s);
    widestStructure = Math.max(widestStructure, Math.abs(cast));
    return cast;
  });
  const data = input.toTypedArray() as BigInt64Array;
  let widestValue = Math.abs(Math.trunc(cval));
  for (let i = 0; i < data.length; i++) {
    const v = Number(data[i]);
    if (Math.abs(v) > widestValue) widestValue = Math.abs(v);
  }
  if (!(widestValue + widestStructure <= exactLimit)) {
    throw new InvalidOptionError(
      `${what}: an int64 input with a structure is supported while |value| + |structure| stays within 2^53 (scipy's int64 sums are then exact as doubles); ` +
      `got values up to ${widestValue} and structure values up to ${widestStructure}: cast the input to float64 for scipy's float64 result`,
    );
  }
  const result = run(astype(input, "float64"), { ...options, structure: new NDArray(values, grid.shape), cval: Math.trunc(cval) }, step);
  const doubles = result.toTypedArray() as Float64Array;
  // C's (npy_int64) of a double: truncation; NaN and values beyond ±2^63 give INT64_MIN.
  const out = BigInt64Array.from(doubles, (x) => (Math.abs(x) < int64Limit ? BigInt(Math.trunc(x)) : -(2n ** 63n)));
  return new NDArray(out, result.shape, { dtype: "int64" });
}
