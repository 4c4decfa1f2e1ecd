/**
 * `genericFilter` and `genericFilter1d`: scipy.ndimage's generic_filter and generic_filter1d, a
 * user function applied to every neighbourhood (NI_GenericFilter / NI_GenericFilter1D).
 *
 * genericFilter calls `fn(values, ...extraArguments, extraKeywords?)` once per output cell with
 * the footprint's true cells in C order as float64 (cval itself, not cast to the input type,
 * where constant mode reads outside the array), and stores the returned number into the output
 * dtype as C casts a double. As in scipy, one buffer is reused for every call.
 *
 * genericFilter1d calls `fn(inputLine, outputLine, ...extraArguments, extraKeywords?)` once per
 * line along `axis`: inputLine is the whole line extended by the mode (filterSize − 1 extra
 * cells, ⌊filterSize/2⌋ + origin of them before), and fn writes the line's results into
 * outputLine. scipy reuses one output buffer, so a cell the function skips holds whatever the
 * buffer held; here outputLine starts at 0 on every line, so such a cell is 0.
 *
 * Both walk the array with neighborhood.ts (the rank filters' footprint walk), so their edges
 * are the other filters' edges.
 *
 * int64, uint64 and bool inputs and outputs go through scipy's reads and stores (wide-cast.ts):
 * values reach the function as doubles (bool as its byte), and a result is stored with C's cast;
 * genericFilter's stores into uint64 take NI_Correlate's sequence (both are NI_GenericFilter's
 * and NI_Correlate's point loops), genericFilter1d's the line buffers' (checked against scipy).
 */
import { InvalidOptionError, TesseraError } from "../core/errors.js";
import { NDArray, allocate, cStrides, shapeSize } from "../ndarray/ndarray.js";
import { doubleCast } from "./c-cast.js";
import { type Footprint, type Grid, boxFootprint, checkOrigin, checkSize, footprintOf, readOrigins, readSizes } from "./footprint.js";
import { type Source, forEachNeighborhoodLine, gatherNeighborhood, neighborhoodOf, neighborhoodReach } from "./neighborhood.js";
import {
  type BoundaryMode, type CommonFilterOptions, type Mode, type NumericArray, checkCval, normalizeAxis, resolveLinearOutputDtype, resolveOutputRegion,
  toBoundaryMode,
} from "./options.js";
import { defineRegionKernel } from "./region-kernel.js";
import { isWideDtype, withWideDtypes } from "./wide-cast.js";

/** A function the user passed returned something that is not a number. */
export class FilterFunctionError extends TesseraError {
  override name = "FilterFunctionError";
}

/** The arguments after the values that scipy passes on: `extra_arguments` and `extra_keywords`. */
interface ExtraOptions {
  /** Passed to the function after the values, in order (scipy's extra_arguments). */
  extraArguments?: readonly unknown[];
  /** Passed as one last argument, an object (scipy's extra_keywords). */
  extraKeywords?: Readonly<Record<string, unknown>>;
}

export interface GenericFilterOptions extends ExtraOptions, Omit<CommonFilterOptions, "backend"> {
  /** Box length, one for all axes or one per axis. Give `size` or `footprint`. */
  size?: number | readonly number[];
  /** Which cells of a box take part (nonzero = yes), in C order; its shape sets the box. */
  footprint?: Grid;
  /** One mode for every axis (scipy's generic_filter takes no list). */
  mode?: Mode;
  cval?: number;
  origin?: number | readonly number[];
}

export interface GenericFilter1dOptions extends ExtraOptions {
  axis?: number;
  mode?: Mode;
  cval?: number;
  origin?: number;
  output?: CommonFilterOptions["output"];
}

/** The values under the footprint (float64, C order), then the extra arguments; returns the cell's value. */
export type GenericFilterFunction = (values: Float64Array, ...extra: never[]) => number;
/** The extended input line and the output line to fill, then the extra arguments. */
export type GenericFilter1dFunction = (inputLine: Float64Array, outputLine: Float64Array, ...extra: never[]) => void;

const genericFilterKeys = ["size", "footprint", "mode", "cval", "origin", "output", "outputRegion", "extraArguments", "extraKeywords"];
const genericFilter1dKeys = ["axis", "mode", "cval", "origin", "output", "extraArguments", "extraKeywords"];

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === "function") return "a function";
  if (typeof value === "object") return Array.isArray(value) ? "a list" : "an object";
  if (typeof value === "bigint") return `the bigint ${value}n`;
  return `${typeof value} ${JSON.stringify(value)}`;
}

function checkFunction(fn: unknown, what: string): void {
  if (typeof fn !== "function") throw new InvalidOptionError(`${what}: function must be a function, got ${describe(fn)}`);
}

function checkOptions(options: unknown, what: string, needs: string): void {
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new InvalidOptionError(`${what} needs an options object${needs}, got ${describe(options)}`);
  }
}

/** The arguments after the values: extraArguments spread, then extraKeywords when given. */
function extraArgumentsOf(options: ExtraOptions, what: string): unknown[] {
  const { extraArguments = [], extraKeywords } = options;
  if (!Array.isArray(extraArguments)) throw new InvalidOptionError(`${what}: extraArguments must be a list, got ${describe(extraArguments)}`);
  if (extraKeywords === undefined) return [...extraArguments];
  if (extraKeywords === null || typeof extraKeywords !== "object" || Array.isArray(extraKeywords)) {
    throw new InvalidOptionError(`${what}: extraKeywords must be an object of named values, got ${describe(extraKeywords)}`);
  }
  return [...extraArguments, extraKeywords];
}

function readMode(mode: unknown, what: string): BoundaryMode {
  if (Array.isArray(mode)) throw new InvalidOptionError(`${what}: mode must be one mode for every axis (scipy takes no list here), got a list`);
  return toBoundaryMode(mode ?? "reflect");
}

function readFootprint(options: GenericFilterOptions, ndim: number, what: string): Footprint {
  // scipy ignores size when a footprint is given: refused, so a size meant to matter is not dropped.
  if (options.size !== undefined && options.footprint !== undefined) {
    throw new InvalidOptionError(`${what}: give size or footprint, not both (scipy ignores size then)`);
  }
  if (options.footprint !== undefined) return footprintOf(options.footprint, ndim);
  if (options.size === undefined) throw new InvalidOptionError(`${what} needs size or footprint: neither was given`);
  return boxFootprint(readSizes(options.size, ndim));
}

interface GenericPlan {
  readonly footprint: Footprint;
  readonly origins: number[];
}

function planGeneric(options: GenericFilterOptions, ndim: number, what: string): GenericPlan {
  checkOptions(options, what, " with size or footprint");
  if (ndim < 1) throw new InvalidOptionError(`${what} needs an array with at least one dimension`);
  const footprint = readFootprint(options, ndim, what);
  if (footprint.count === 0) throw new InvalidOptionError(`${what}: the footprint has no true cell`);
  return { footprint, origins: readOrigins(options.origin, footprint.shape) };
}

/** Calls the user's function and checks it returned a number (scipy: PyFloat_AsDouble of the result). */
function resultOf(value: unknown, fn: (...args: never[]) => unknown, what: string): number {
  if (typeof value === "number") return value;
  throw new FilterFunctionError(
    `${what}: function ${fn.name || "(anonymous)"} returned ${describe(value)}; it must return a number for each neighbourhood`,
  );
}

function sourceOf(input: NDArray): Source {
  return { data: input.data as NumericArray, shape: input.shape, strides: input.strides, offset: input.offset };
}

function genericFilterWith(input: NDArray, fn: GenericFilterFunction, options: GenericFilterOptions): NDArray {
  const what = "genericFilter";
  checkFunction(fn, what);
  const plan = planGeneric(options, input.ndim, what);
  const mode = readMode(options.mode, what);
  const cval = checkCval(options.cval ?? 0);
  const outputDtype = resolveLinearOutputDtype(input, options.output);
  if (isWideDtype(input.dtype) || isWideDtype(outputDtype)) {
    return withWideDtypes(input, outputDtype, "correlate", (source, output) => genericFilterWith(source, fn, { ...options, output }));
  }
  const region = resolveOutputRegion(options.outputRegion, input.shape);
  const extra = extraArgumentsOf(options, what);
  const shape = region.start.map((s, a) => region.stop[a] - s);
  const output = allocate(outputDtype, shapeSize(shape)) as NumericArray;
  const result = new NDArray(output, shape, { dtype: outputDtype });
  if (output.length === 0) return result;
  const hood = neighborhoodOf(plan.footprint, plan.origins);
  const cast = doubleCast(outputDtype);
  const width = shape[shape.length - 1];
  const values = new Float64Array(hood.count);
  const call = fn as unknown as (...args: unknown[]) => unknown;
  forEachNeighborhoodLine(sourceOf(input), hood, mode, cval, region, (line) => {
    for (let i = 0; i < width; i++) {
      gatherNeighborhood(hood, line, i, values);
      output[line.outputIndex + i] = cast(resultOf(call(values, ...extra), fn, what));
    }
  });
  return result;
}

interface Plan1d {
  readonly axis: number;
  readonly size: number;
  readonly origin: number;
}

function plan1d(filterSize: unknown, options: GenericFilter1dOptions | undefined, ndim: number, what: string): Plan1d {
  if (options !== undefined) checkOptions(options, what, "");
  if (ndim < 1) throw new InvalidOptionError(`${what} needs an array with at least one dimension`);
  const size = checkSize(filterSize, "filterSize");
  return { axis: normalizeAxis(options?.axis ?? -1, ndim), size, origin: checkOrigin(options?.origin ?? 0, size) };
}

function genericFilter1dWith(input: NDArray, fn: GenericFilter1dFunction, filterSize: number, options: GenericFilter1dOptions | undefined): NDArray {
  const what = "genericFilter1d";
  checkFunction(fn, what);
  const plan = plan1d(filterSize, options, input.ndim, what);
  const mode = readMode(options?.mode, what);
  const cval = checkCval(options?.cval ?? 0);
  const outputDtype = resolveLinearOutputDtype(input, options?.output);
  if (isWideDtype(input.dtype) || isWideDtype(outputDtype)) {
    return withWideDtypes(input, outputDtype, "filter", (source, output) => genericFilter1dWith(source, fn, filterSize, { ...options, output }));
  }
  const extra = extraArgumentsOf(options ?? {}, what);
  const output = allocate(outputDtype, input.size) as NumericArray;
  const result = new NDArray(output, [...input.shape], { dtype: outputDtype });
  if (output.length === 0) return result;
  // The filtered axis moved last (a view): each walked line is then one line along it.
  const order = [...input.shape.keys()].filter((a) => a !== plan.axis).concat(plan.axis);
  const source: Source = {
    data: input.data as NumericArray, shape: order.map((a) => input.shape[a]), strides: order.map((a) => input.strides[a]), offset: input.offset,
  };
  const ones = new Array<number>(input.ndim).fill(1);
  ones[input.ndim - 1] = plan.size;
  const origins = new Array<number>(input.ndim).fill(0);
  origins[input.ndim - 1] = plan.origin;
  const hood = neighborhoodOf(boxFootprint(ones), origins);
  const outStrides = cStrides(input.shape);
  const length = input.shape[plan.axis];
  const step = outStrides[plan.axis];
  const outputLine = new Float64Array(length);
  const cast = doubleCast(outputDtype);
  const call = fn as unknown as (...args: unknown[]) => unknown;
  const region = resolveOutputRegion(undefined, source.shape);
  forEachNeighborhoodLine(source, hood, mode, cval, region, (line) => {
    outputLine.fill(0);
    call(line.rows[0], outputLine, ...extra);
    let at = 0;
    for (let a = 0; a < order.length - 1; a++) at += line.position[a] * outStrides[order[a]];
    for (let i = 0; i < length; i++, at += step) output[at] = cast(outputLine[i]);
  });
  return result;
}

/**
 * Generic filter (scipy.ndimage.generic_filter): `fn` maps the values under the footprint of each
 * cell (a Float64Array in the footprint's C order) to the output cell's value.
 */
export const genericFilter = defineRegionKernel("ndimage.genericFilter",
  (input: NDArray, fn: GenericFilterFunction, options: GenericFilterOptions): NDArray => genericFilterWith(input, fn, options),
  (options: GenericFilterOptions, ndim: number) => {
    const plan = planGeneric(options, ndim, "genericFilter");
    return neighborhoodReach(neighborhoodOf(plan.footprint, plan.origins));
  },
  { optionKeys: genericFilterKeys, optionsArgument: 2 });

/**
 * Generic 1-d filter (scipy.ndimage.generic_filter1d): `fn(inputLine, outputLine)` fills each line
 * along `axis` from the line extended by filterSize − 1 cells.
 */
export const genericFilter1d = defineRegionKernel("ndimage.genericFilter1d",
  (input: NDArray, fn: GenericFilter1dFunction, filterSize: number, options?: GenericFilter1dOptions): NDArray =>
    genericFilter1dWith(input, fn, filterSize, options),
  (options: GenericFilter1dOptions, ndim: number, filterSize: number) => {
    const plan = plan1d(filterSize, options, ndim, "genericFilter1d");
    const radius = new Array<number>(ndim).fill(0);
    const before = Math.floor(plan.size / 2) + plan.origin;
    radius[plan.axis] = Math.max(before, plan.size - 1 - before);
    return radius;
  },
  { optionKeys: genericFilter1dKeys, optionsArgument: 3 });
