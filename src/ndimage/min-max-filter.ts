/**
 * `minimumFilter`, `maximumFilter` and their 1-D forms: scipy.ndimage's `_min_or_max_filter`.
 * A `size` or an all-true `footprint` runs separable passes (min-max-passes.ts); any other
 * footprint, or a grey `structure` (morphology), runs the footprint fold (min-max-footprint.ts).
 * Grey dilation reuses this with the footprint reversed (see `planMinMax`).
 */
import { filterWideDtype } from "./wide-dtypes.js";
import { InvalidOptionError } from "../core/errors.js";
import type { DType } from "../ndarray/dtype.js";
import type { NDArray } from "../ndarray/ndarray.js";
import {
  type Footprint, type Grid, boxFootprint, checkSize, footprintOf, readGrid, readOrigins, readSizes, reflectedOrigins, reversedGrid,
  checkOrigin,
} from "./footprint.js";
import { runMinMaxFootprint } from "./min-max-footprint.js";
import { type MinMaxPass, passReach, runMinMaxPasses } from "./min-max-passes.js";
import { type Neighborhood, neighborhoodOf, neighborhoodReach } from "./neighborhood.js";
import {
  type Backend, type BoundaryMode, type CommonFilterOptions, type Mode, type OutputRegion, checkCval, modesPerAxis, normalizeAxis,
  resolveBackend, resolveOutputDtype, resolveOutputRegion, toBoundaryMode,
} from "./options.js";
import { defineRegionKernel } from "./region-kernel.js";
import { copyRegion } from "./separable.js";

/** The neighbourhood options of the min/max and rank filters (outputs and regions as other filters). */
export interface FootprintFilterOptions extends CommonFilterOptions {
  /** Box length, one for all axes or one per axis. Give `size` or `footprint`. */
  size?: number | readonly number[];
  /** Which cells of a box take part (nonzero = yes); its shape sets the box. */
  footprint?: Grid;
  /** A list (one per axis) only for boxes and all-true footprints, as in scipy. */
  mode?: Mode | readonly Mode[];
  cval?: number;
  origin?: number | readonly number[];
}

export interface MinMaxFilter1dOptions extends CommonFilterOptions {
  size: number;
  axis?: number;
  mode?: Mode;
  cval?: number;
  origin?: number;
}

/** What a min/max (or grey morphology) call does once its options are read. */
export type MinMaxPlan =
  | { readonly kind: "passes"; readonly passes: MinMaxPass[] }
  | { readonly kind: "footprint"; readonly hood: Neighborhood; readonly structure: Float64Array | null; readonly mode: BoundaryMode };

export interface MinMaxPlanOptions {
  size?: number | readonly number[];
  footprint?: Grid;
  structure?: Grid;
  mode?: Mode | readonly Mode[];
  origin?: number | readonly number[];
}

/**
 * Reads size / footprint / structure / origin / mode. `minimum` negates the structure (scipy's
 * erosion); `reflect` is grey dilation's reversal of footprint and structure with mirrored origins.
 */
export function planMinMax(options: MinMaxPlanOptions | undefined, ndim: number, minimum: boolean, reflect: boolean, what: string): MinMaxPlan {
  if (options === null || typeof options !== "object") {
    throw new InvalidOptionError(`${what} needs an options object with size or footprint, got ${JSON.stringify(options)}`);
  }
  if (ndim < 1) throw new InvalidOptionError(`${what} needs an array with at least one dimension`);
  const { size, footprint, structure } = options;
  if (size === undefined && footprint === undefined && structure === undefined) {
    throw new InvalidOptionError(`${what} needs size, footprint${what.startsWith("grey") ? " or structure" : ""}: none was given`);
  }
  if (size !== undefined && (footprint !== undefined || structure !== undefined)) {
    throw new InvalidOptionError(`${what}: give size or ${footprint !== undefined ? "footprint" : "structure"}, not both (scipy ignores size then)`);
  }
  let structureValues: Float64Array | null = null;
  let shape: readonly number[];
  let fp: Footprint;
  if (structure !== undefined) {
    const grid = readGrid(structure, "structure");
    if (grid.shape.length !== ndim || grid.values.length === 0) {
      throw new InvalidOptionError(`structure has shape [${grid.shape.join(", ")}] but the input has ${ndim} dimensions: give one axis per input axis`);
    }
    fp = footprint === undefined ? boxFootprint(grid.shape) : footprintOf(footprint, ndim);
    if (fp.shape.join() !== grid.shape.join()) {
      throw new InvalidOptionError(`footprint shape [${fp.shape.join(", ")}] and structure shape [${grid.shape.join(", ")}] must be equal`);
    }
    structureValues = grid.values;
    shape = grid.shape;
  } else if (footprint !== undefined) {
    fp = footprintOf(footprint, ndim);
    if (fp.count === 0) throw new InvalidOptionError(`${what}: the footprint has no true cell (scipy: all-zero footprint is not supported)`);
    shape = fp.shape;
  } else {
    shape = readSizes(size, ndim);
    fp = boxFootprint(shape);
  }
  const userOrigins = readOrigins(options.origin, shape);
  const origins = reflect ? reflectedOrigins(userOrigins, shape) : userOrigins;
  if (structureValues === null && fp.full) {
    const modes = modesPerAxis(options.mode, ndim);
    const passes = shape.map((n, axis) => ({ axis, size: n, origin: origins[axis], mode: modes[axis] })).filter((p) => p.size > 1);
    return { kind: "passes", passes };
  }
  if (Array.isArray(options.mode)) {
    throw new InvalidOptionError(`${what}: a list of modes is only supported for a size or an all-true footprint (scipy: not for non-separable footprints)`);
  }
  const mode = toBoundaryMode(options.mode ?? "reflect");
  const mask = reflect ? reversedGrid(fp.mask, fp.shape) : fp.mask;
  let ss: Float64Array | null = null;
  if (structureValues !== null) {
    const values = reflect ? reversedGrid(structureValues, shape) : structureValues;
    ss = new Float64Array(fp.count);
    let k = 0;
    for (let i = 0; i < mask.length; i++) if (mask[i]) ss[k++] = minimum ? -values[i] : values[i];
  }
  return { kind: "footprint", hood: neighborhoodOf({ ...fp, mask }, origins), structure: ss, mode };
}

export function planReach(plan: MinMaxPlan, ndim: number): number[] {
  if (plan.kind === "footprint") return neighborhoodReach(plan.hood);
  const reach = new Array<number>(ndim).fill(0);
  for (const pass of plan.passes) reach[pass.axis] = Math.max(reach[pass.axis], passReach(pass));
  return reach;
}

export function runMinMaxPlan(
  input: NDArray, plan: MinMaxPlan, minimum: boolean, cval: number, outputDtype: DType, region: OutputRegion, backend: Backend,
): NDArray {
  if (plan.kind === "footprint") return runMinMaxFootprint(input, plan.hood, plan.structure, minimum, plan.mode, cval, outputDtype, region, backend);
  if (plan.passes.length === 0 || region.start.some((s, a) => region.stop[a] <= s)) return copyRegion(input, region, outputDtype);
  return runMinMaxPasses(input, plan.passes, minimum, cval, outputDtype, region, backend);
}

function minMax(input: NDArray, options: FootprintFilterOptions | undefined, minimum: boolean, what: string): NDArray {
  const wide = filterWideDtype(input, options, (cast, castOptions) => minMax(cast, castOptions, minimum, what), what);
  if (wide) return wide;
  const plan = planMinMax(options, input.ndim, minimum, false, what);
  const outputDtype = resolveOutputDtype(input, options?.output);
  const region = resolveOutputRegion(options?.outputRegion, input.shape);
  return runMinMaxPlan(input, plan, minimum, checkCval(options?.cval ?? 0), outputDtype, region, resolveBackend(options?.backend));
}

function plan1d(options: MinMaxFilter1dOptions, ndim: number, what: string): MinMaxPlan {
  if (options === null || typeof options !== "object") {
    throw new InvalidOptionError(`${what} needs an options object with size, got ${JSON.stringify(options)}`);
  }
  const size = checkSize(options.size);
  const pass = {
    axis: normalizeAxis(options.axis ?? -1, ndim), size, origin: checkOrigin(options.origin ?? 0, size),
    mode: toBoundaryMode(options.mode ?? "reflect"),
  };
  // A size of 1 still runs the pass: scipy's minimum_filter1d stores through its C loop (C's
  // cast: uint32 3000000091 into uint8 is 0), where minimum_filter with every size 1 copies as
  // NumPy's assignment (which wraps: 91).
  return { kind: "passes", passes: [pass] };
}

function minMax1d(input: NDArray, options: MinMaxFilter1dOptions, minimum: boolean, what: string): NDArray {
  const wide = filterWideDtype(input, options, (cast, castOptions) => minMax1d(cast, castOptions, minimum, what), what);
  if (wide) return wide;
  const plan = plan1d(options, input.ndim, what);
  const outputDtype = resolveOutputDtype(input, options.output);
  const region = resolveOutputRegion(options.outputRegion, input.shape);
  return runMinMaxPlan(input, plan, minimum, checkCval(options.cval ?? 0), outputDtype, region, resolveBackend(options.backend));
}

/** Minimum over a box or footprint (scipy.ndimage.minimum_filter). */
/** The option names of the footprint filters (min/max, rank, grey morphology add their own). */
export const footprintFilterKeys = ["size", "footprint", "mode", "cval", "origin", "output", "outputRegion", "backend"];
const minMax1dKeys = ["size", "axis", "mode", "cval", "origin", "output", "outputRegion", "backend"];

export const minimumFilter = defineRegionKernel("ndimage.minimumFilter",
  (input: NDArray, options: FootprintFilterOptions): NDArray => minMax(input, options, true, "minimumFilter"),
  (options: FootprintFilterOptions, ndim: number) => planReach(planMinMax(options, ndim, true, false, "minimumFilter"), ndim),
  { optionKeys: footprintFilterKeys });

/** Maximum over a box or footprint (scipy.ndimage.maximum_filter). */
export const maximumFilter = defineRegionKernel("ndimage.maximumFilter",
  (input: NDArray, options: FootprintFilterOptions): NDArray => minMax(input, options, false, "maximumFilter"),
  (options: FootprintFilterOptions, ndim: number) => planReach(planMinMax(options, ndim, false, false, "maximumFilter"), ndim),
  { optionKeys: footprintFilterKeys });

/** Minimum along one axis (scipy.ndimage.minimum_filter1d). */
export const minimumFilter1d = defineRegionKernel("ndimage.minimumFilter1d",
  (input: NDArray, options: MinMaxFilter1dOptions): NDArray => minMax1d(input, options, true, "minimumFilter1d"),
  (options: MinMaxFilter1dOptions, ndim: number) => planReach(plan1d(options, ndim, "minimumFilter1d"), ndim),
  { optionKeys: minMax1dKeys });

/** Maximum along one axis (scipy.ndimage.maximum_filter1d). */
export const maximumFilter1d = defineRegionKernel("ndimage.maximumFilter1d",
  (input: NDArray, options: MinMaxFilter1dOptions): NDArray => minMax1d(input, options, false, "maximumFilter1d"),
  (options: MinMaxFilter1dOptions, ndim: number) => planReach(plan1d(options, ndim, "maximumFilter1d"), ndim),
  { optionKeys: minMax1dKeys });
