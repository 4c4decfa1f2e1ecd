/**
 * `correlate` and `convolve`: scipy.ndimage's n-d correlation with a weights array, as scipy 1.10's
 * `_correlate_or_convolve` prepares it and `NI_Correlate` computes it:
 *
 * - only weights with |w| > DBL_EPSILON take part (NaN weights and tiny ones are dropped: C's
 *   `fabs(w) > DBL_EPSILON` is false for them), in the weights' C order;
 * - each output is `tmp = 0.0; tmp += w[k] · x[k]` over those cells in that order, in float64
 *   (so a sum of −0 products is +0), where a cell outside the array is read through the mode
 *   (NI_InitFilterOffsets, see neighborhood.ts) or is cval (used as a double, not cast);
 * - the result is stored into the output dtype as C casts a double (c-cast.ts).
 *
 * convolve is correlate with the weights reversed on every axis and each origin mirrored:
 * −origin, one less on axes of even length; scipy checks the origin range after that mirroring.
 *
 * Each output's sum is formed by a WebAssembly SIMD kernel (two outputs per f64x2 instruction,
 * simd-kernels.ts) over source rows staged once (staged-lines.ts), or in TypeScript by a loop
 * unrolled over the footprint (cellLoop): either way the operations each output sees, and their
 * order, are scipy's.
 */
import { InvalidOptionError } from "../core/errors.js";
import { NDArray, allocate, shapeSize } from "../ndarray/ndarray.js";
import { storeDoubles, storeRuleOf } from "./c-cast.js";
import { isWideDtype, withWideDtypes } from "./wide-cast.js";
import { type Footprint, type Grid, readGrid, reversedGrid } from "./footprint.js";
import { forEachCachedLine } from "./cached-rows.js";
import { type Neighborhood, type Source, neighborhoodOf, neighborhoodReach } from "./neighborhood.js";
import {
  type Backend, type BoundaryMode, type Mode, type NumericArray, type OutputRegion, checkCval, resolveBackend, resolveLinearOutputDtype, resolveOutputRegion,
  toBoundaryMode,
} from "./options.js";
import { laneKindFor, weightedSumKernel } from "./simd-kernels.js";
import { stagedWalk } from "./staged-lines.js";
import type { DType } from "../ndarray/dtype.js";
import { defineRegionKernel } from "./region-kernel.js";

export interface CorrelateOptions {
  /** One boundary mode for every axis (scipy 1.10 refuses a list of modes here). Default "reflect". */
  mode?: Mode;
  /** Value outside the array for mode "constant". Default 0. */
  cval?: number;
  /** Shift of the weights' centre, one for all axes or one per axis: −⌊n/2⌋ ≤ origin ≤ ⌊(n−1)/2⌋. */
  origin?: number | readonly number[];
  /** dtype of the result; default the input's. */
  output?: DType;
  /** Compute only this box of the output, bit-identical to filtering everything and slicing. */
  outputRegion?: OutputRegion;
  /** WebAssembly SIMD or plain TypeScript loops (options.ts); the results are identical. */
  backend?: Backend;
}

const doubleEpsilon = 2 ** -52;

export interface WeightsPlan {
  /** Which weights take part (|w| > DBL_EPSILON), over the weights' shape. */
  readonly footprint: Footprint;
  /** The weights that take part, in C order. */
  readonly kept: Float64Array;
  readonly origins: number[];
  readonly mode: BoundaryMode;
}

function readOrigins(origin: unknown, ndim: number, what: string): number[] {
  if (Array.isArray(origin)) {
    if (origin.length !== ndim) {
      throw new InvalidOptionError(`${what}: origin ${JSON.stringify(origin)} has ${origin.length} entries, expected ${ndim} (one per axis)`);
    }
  }
  const origins: unknown[] = Array.isArray(origin) ? origin : new Array<unknown>(ndim).fill(origin ?? 0);
  return origins.map((o) => {
    if (typeof o !== "number" || !Number.isInteger(o)) throw new InvalidOptionError(`${what}: origin ${JSON.stringify(o)} must be an integer`);
    return o;
  });
}

/** Reads and checks the weights and options as scipy 1.10 does, in its order of checks. */
export function planWeights(weights: unknown, options: CorrelateOptions | undefined, ndim: number, convolve: boolean): WeightsPlan {
  const what = convolve ? "convolve" : "correlate";
  if (options !== undefined && (options === null || typeof options !== "object")) {
    throw new InvalidOptionError(`${what} takes an options object, got ${JSON.stringify(options)}`);
  }
  let origins = readOrigins(options?.origin, ndim, what);
  // A number is 0-d weights (for a 0-d input), as NumPy reads a scalar.
  const grid = typeof weights === "number" ? { shape: [], values: Float64Array.of(weights) } : readGrid(weights, "weights");
  if (shapeSize(grid.shape) === 0) {
    throw new InvalidOptionError(`${what}: weights of shape [${grid.shape.join(", ")}] are empty: give at least one weight per axis`);
  }
  if (grid.shape.length !== ndim) {
    throw new InvalidOptionError(
      `${what}: weights have ${grid.shape.length} dimension${grid.shape.length === 1 ? "" : "s"} (shape [${grid.shape.join(", ")}]) but the input has ${ndim}: give one weights axis per input axis`,
    );
  }
  let values = grid.values;
  if (convolve) {
    values = reversedGrid(values, grid.shape);
    origins = origins.map((o, axis) => -o - (grid.shape[axis] % 2 === 0 ? 1 : 0));
  }
  origins.forEach((o, axis) => {
    const n = grid.shape[axis];
    const low = -Math.floor(n / 2);
    const high = Math.floor((n - 1) / 2);
    if (o < low || o > high) {
      const [userLow, userHigh] = convolve ? [-high - (n % 2 === 0 ? 1 : 0), -low - (n % 2 === 0 ? 1 : 0)] : [low, high];
      throw new InvalidOptionError(
        `${what}: origin ${convolve ? -o - (n % 2 === 0 ? 1 : 0) : o} on axis ${axis} is invalid for weights of length ${n}: use an integer from ${userLow} to ${userHigh}`,
      );
    }
  });
  if (Array.isArray(options?.mode)) throw new InvalidOptionError(`${what}: mode must be one mode, not a list (scipy: "A sequence of modes is not supported")`);
  const mode = toBoundaryMode(options?.mode ?? "reflect");
  const mask = new Uint8Array(values.length);
  const kept: number[] = [];
  for (let i = 0; i < values.length; i++) {
    if (Math.abs(values[i]) > doubleEpsilon) {
      mask[i] = 1;
      kept.push(values[i]);
    }
  }
  const footprint: Footprint = { shape: grid.shape, mask, count: kept.length, full: kept.length === mask.length };
  return { footprint, kept: Float64Array.from(kept), origins, mode };
}

/** Cells on each side, per axis, that the kept weights read. */
export function weightsReach(plan: WeightsPlan, ndim: number): number[] {
  if (plan.footprint.count === 0) return new Array<number>(ndim).fill(0);
  return neighborhoodReach(neighborhoodOf(plan.footprint, plan.origins));
}

/** The correlation of `input` over `region` with a checked plan. */
export function runWeights(input: NDArray, plan: WeightsPlan, options: CorrelateOptions | undefined): NDArray {
  const cval = checkCval(options?.cval ?? 0);
  const outputDtype = resolveLinearOutputDtype(input, options?.output);
  if (isWideDtype(input.dtype) || isWideDtype(outputDtype)) {
    return withWideDtypes(input, outputDtype, "correlate", (source, output) => runWeights(source, plan, { ...options, output }));
  }
  const region = resolveOutputRegion(options?.outputRegion, input.shape);
  const shape = region.start.map((s, a) => region.stop[a] - s);
  const output = allocate(outputDtype, shapeSize(shape)) as NumericArray;
  const result = new NDArray(output, shape, { dtype: outputDtype });
  // No weight takes part: scipy's sum stays 0.0 everywhere (the typed array already holds 0).
  if (output.length === 0 || plan.footprint.count === 0) return result;
  if (input.ndim === 0) {
    storeDoubles(output, 0, Float64Array.of(0 + plan.kept[0] * Number(input.item())), 1, storeRuleOf(outputDtype));
    return result;
  }
  const hood = neighborhoodOf(plan.footprint, plan.origins);
  const source: Source = { data: input.data as NumericArray, shape: input.shape, strides: input.strides, offset: input.offset };
  const rule = storeRuleOf(outputDtype);
  // float64 lanes whatever the input: scipy sums in double. Very large footprints stay in JS (one module per footprint).
  const simd = plan.footprint.count <= maxSimdCells && laneKindFor(input.dtype, resolveBackend(options?.backend)) !== null;
  const staged = simd ? stagedWalk("f64", source, hood, plan.mode, cval, region) : null;
  if (staged !== null) {
    const kernel = weightedSumKernel(plan.kept, hood);
    const width = shape[shape.length - 1];
    staged.run((line) => {
      kernel(line.rowAddresses, staged.outAddress, staged.groups);
      storeDoubles(output, line.outputIndex, staged.out, width, rule);
    });
    return result;
  }
  correlateLines(source, hood, plan.kept, plan.mode, cval, region, output, rule);
  return result;
}

const maxSimdCells = 1024;

function correlateLines(
  source: Source, hood: Neighborhood, weights: Float64Array, mode: BoundaryMode, cval: number, region: OutputRegion,
  output: NumericArray, rule: ReturnType<typeof storeRuleOf>,
): void {
  const last = region.start.length - 1;
  const width = region.stop[last] - region.start[last];
  const sums = new Float64Array(width);
  const shift = Int32Array.from(hood.shift);
  const loops: CellLoop[] = [];
  for (let from = 0; from < hood.count; from += maxUnrolledCells) loops.push(cellLoop(hood.rowOf, from, Math.min(hood.count, from + maxUnrolledCells)));
  forEachCachedLine(source, hood, mode, cval, region, (rows, outputIndex) => {
    for (const loop of loops) loop(sums, rows, width, weights, shift);
    storeDoubles(output, outputIndex, sums, width, rule);
  });
}

/**
 * Each output's sum in a loop unrolled over the footprint's cells: `t = 0.0; t += w0·x0;
 * t += w1·x1; …; sums[i] = t`, the sum in a register, the same operations in the same order as
 * scipy's (`tmp = 0.0`, so −0 products sum to +0). Footprints of more cells than this take
 * several loops, each going on from the partial sums the last left in `sums` (the same operations).
 */
const maxUnrolledCells = 128;

type CellLoop = (sums: Float64Array, rows: readonly Float64Array[], width: number, weights: Float64Array, shift: Int32Array) => void;

const cellLoops = new Map<string, CellLoop>();

/** The loop adding cells from…to−1 (reading rows `rowOf`): a fixed template, only cell and row numbers vary. */
function cellLoop(rowOf: Int32Array, from: number, to: number): CellLoop {
  const cells = Array.from(rowOf.subarray(from, to), (row, i) => ({ row, c: from + i }));
  const key = `${from}:${cells.map(({ row }) => row).join(",")}`;
  let loop = cellLoops.get(key);
  if (loop === undefined) {
    const rowNumbers = [...new Set(cells.map(({ row }) => row))];
    const setup = [
      ...rowNumbers.map((r) => `const r${r} = rows[${r}];`),
      ...cells.map(({ c }) => `const w${c} = weights[${c}], s${c} = shift[${c}];`),
    ].join(" ");
    const adds = cells.map(({ row, c }) => `t += w${c} * r${row}[i + s${c}];`).join(" ");
    const body = `${setup} for (let i = 0; i < width; i++) { let t = ${from === 0 ? "0" : "sums[i]"}; ${adds} sums[i] = t; }`;
    loop = new Function("sums", "rows", "width", "weights", "shift", body) as CellLoop;
    // Compiled loops are kept per footprint layout; many one-off layouts must not pile up.
    if (cellLoops.size >= 256) cellLoops.clear();
    cellLoops.set(key, loop);
  }
  return loop;
}

export const correlateKeys = ["mode", "cval", "origin", "output", "outputRegion", "backend"] as const;

/** n-d correlation with `weights` (scipy.ndimage.correlate). `kernelRadius(options, ndim, weights)`. */
export const correlate = defineRegionKernel("ndimage.correlate",
  (input: NDArray, weights: Grid | number, options?: CorrelateOptions): NDArray => runWeights(input, planWeights(weights, options, input.ndim, false), options),
  (options: CorrelateOptions | undefined, ndim: number, weights: Grid | number) => weightsReach(planWeights(weights, options, ndim, false), ndim),
  { optionKeys: correlateKeys, optionsArgument: 2 });

/** n-d convolution with `weights` (scipy.ndimage.convolve). `kernelRadius(options, ndim, weights)`. */
export const convolve = defineRegionKernel("ndimage.convolve",
  (input: NDArray, weights: Grid | number, options?: CorrelateOptions): NDArray => runWeights(input, planWeights(weights, options, input.ndim, true), options),
  (options: CorrelateOptions | undefined, ndim: number, weights: Grid | number) => weightsReach(planWeights(weights, options, ndim, true), ndim),
  { optionKeys: correlateKeys, optionsArgument: 2 });
