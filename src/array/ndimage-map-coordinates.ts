/**
 * scipy.ndimage.map_coordinates of a lazy array at given coordinates, the way the lazy zoom,
 * shift and affineTransform run (ndimage-interpolation.ts): the coordinates are chunked along
 * their output axes, and each output block reads only the input cells its coordinates' taps
 * reach (their extremes per axis, mapped by the mode: ndimage/interpolation-footprint.ts), then
 * runs the ndimage kernel on that window. Orders 0 and 1 (or `prefilter: false`) equal scipy's
 * whole-array result bit for bit in every mode; with the prefilter (order > 1) each window is
 * prefiltered on its own, `prefilterDepth` cells wider, as the other lazy transforms.
 *
 * The coordinates are an NDArray of shape [ndim, ...outputShape]: their values decide which
 * input blocks each output block reads, so they must be known when the graph is built (compute
 * lazy coordinates first). Points far apart in one output block make it read the box between them.
 */
import { InvalidOptionError } from "../core/errors.js";
import { tokenize } from "../core/ids.js";
import { functionRefOf } from "../graph/function-travel.js";
import { astype } from "../ndarray/copy.js";
import { dtypeInfo } from "../ndarray/dtype.js";
import { NDArray, allocate, isNDArray } from "../ndarray/ndarray.js";
import { mapCoordinates as mapCoordinatesKernel, type MapCoordinatesOptions } from "../ndimage/index.js";
import { coordinateFootprint, prefilterDepth as defaultPrefilterDepth, type FootprintSettings } from "../ndimage/interpolation-footprint.js";
import { resolveInterpolation } from "../ndimage/interpolation-options.js";
import type { AxisBoundary } from "../ndarray/region-assembly.js";
import { LazyArray } from "./array.js";
import { FromArrayExpr } from "./sources.js";
import { type ChunkSpec, blockCounts, blockIndices, blockRegion, chunkOffsets, normalizeChunks } from "./chunks.js";
import type { ArrayExpr, ArrayNode, LowerContext } from "./expr.js";

export interface LazyMapCoordinatesOptions extends Omit<MapCoordinatesOptions, "inputWindow"> {
  /** Chunks of the result (its shape is the coordinates' without their first axis). Default "auto". */
  outputChunks?: ChunkSpec;
  /** Cells each window extends beyond its taps, for the prefilter (orders > 1). */
  prefilterDepth?: number;
}

interface PointsSpec {
  readonly options: Record<string, unknown>;
  readonly settings: FootprintSettings;
  readonly depth: number;
  /** Per output block (C order of blocks): the coordinates' [low, high] per input axis. */
  readonly extremes: Array<{ low: number[]; high: number[] }>;
}

class MapCoordinatesExpr implements ArrayExpr {
  readonly kind = "map-coordinates";
  constructor(readonly input: ArrayNode, readonly coordinates: ArrayNode, readonly spec: PointsSpec) {}
  get inputs(): ArrayNode[] {
    return [this.input, this.coordinates];
  }

  lower(self: ArrayNode, ctx: LowerContext): void {
    const { input, coordinates, spec } = this;
    const fn = functionRefOf(mapCoordinatesKernel);
    const offsets = chunkOffsets(self.chunks);
    const ndim = input.shape.length;
    [...blockIndices(blockCounts(self.chunks))].forEach((index, b) => {
      const region = blockRegion(offsets, index);
      const { low, high } = spec.extremes[b];
      const cells = coordinateFootprint(low, high, input.shape, spec.settings);
      const start = cells.start.map((s) => (cells.periodic ? s - spec.depth : Math.max(0, s - spec.depth)));
      const stop = cells.stop.map((s, axis) => (cells.periodic ? s + spec.depth : Math.min(input.shape[axis], s + spec.depth)));
      const boundary = cells.periodic ? input.shape.map((): AxisBoundary => ({ kind: "periodic" })) : undefined;
      const window = ctx.region(input, start, stop, boundary);
      const points = ctx.region(coordinates, [0, ...region.start], [ndim, ...region.stop]);
      const inputWindow = { origin: start, arrayShape: [...input.shape], ...(cells.periodic ? { periodic: true } : {}) };
      ctx.addBlock(self, index, { fn, args: [window, points, { ...spec.options, inputWindow }] });
    });
  }
}

/**
 * Each output block's coordinate extremes per input axis. A NaN coordinate reads no cell, except
 * with order 0 in "nearest" mode (`nanReadsFirstCell`): scipy's cast of floor(NaN) gives the most
 * negative integer there, which clamps to cell 0 (spline-taps.ts), so it counts as −∞.
 */
function blockExtremes(values: Float64Array, ndim: number, outputShape: readonly number[], chunks: number[][], nanReadsFirstCell: boolean): Array<{ low: number[]; high: number[] }> {
  const count = outputShape.reduce((a, b) => a * b, 1);
  const offsets = chunkOffsets(chunks);
  const strides = outputShape.map((_, axis) => outputShape.slice(axis + 1).reduce((a, b) => a * b, 1));
  const out: Array<{ low: number[]; high: number[] }> = [];
  for (const index of blockIndices(blockCounts(chunks))) {
    const { start, stop } = blockRegion(offsets, index);
    const low = new Array<number>(ndim).fill(Infinity);
    const high = new Array<number>(ndim).fill(-Infinity);
    const position = [...start];
    const size = start.reduce((n, s, axis) => n * (stop[axis] - s), 1);
    for (let k = 0; k < size; k++) {
      const flat = position.reduce((sum, p, axis) => sum + p * strides[axis], 0);
      for (let h = 0; h < ndim; h++) {
        let value = values[h * count + flat];
        if (nanReadsFirstCell && Number.isNaN(value)) value = -Infinity;
        if (value < low[h]) low[h] = value;
        if (value > high[h]) high[h] = value;
      }
      for (let axis = position.length - 1; axis >= 0; axis--) {
        if (++position[axis] < stop[axis]) break;
        position[axis] = start[axis];
      }
    }
    out.push({ low, high });
  }
  return out;
}

/** Interpolates a lazy array at the given coordinates (scipy.ndimage.map_coordinates, block by block). */
export function mapCoordinates(array: LazyArray, coordinates: NDArray, options: LazyMapCoordinatesOptions = {}): LazyArray {
  if (!(array instanceof LazyArray)) throw new InvalidOptionError("mapCoordinates needs a tessera Array; for an NDArray use ndimage.mapCoordinates");
  if (coordinates instanceof LazyArray) {
    throw new InvalidOptionError("mapCoordinates: the coordinates must be an NDArray (their values decide which blocks each output block reads); compute them first");
  }
  if (!isNDArray(coordinates)) throw new InvalidOptionError(`mapCoordinates needs the coordinates as an NDArray of shape [${array.ndim}, ...outputShape]`);
  if (options === null || typeof options !== "object") throw new InvalidOptionError(`mapCoordinates needs an options object, got ${JSON.stringify(options)}`);
  const { outputChunks, prefilterDepth, ...kernelOptions } = options as LazyMapCoordinatesOptions & Record<string, unknown>;
  for (const key of ["outputRegion", "inputWindow"]) {
    if (key in kernelOptions) throw new InvalidOptionError(`mapCoordinates on a tessera Array takes no ${key}: each block's is computed from the chunks`);
  }
  const ndim = array.ndim;
  if (coordinates.ndim < 2 || coordinates.shape[0] !== ndim) {
    throw new InvalidOptionError(`coordinates of shape [${coordinates.shape.join(", ")}] do not fit a ${ndim}-D input: give shape [${ndim}, ...outputShape] with at least one output axis`);
  }
  // The kernel checks the options (and the coordinates' values, per block) and reports the dtype.
  const emptyWindow = new NDArray(allocate(array.dtype, 0), new Array<number>(ndim).fill(0), { dtype: array.dtype });
  const windowOptions = { ...kernelOptions, inputWindow: { origin: new Array<number>(ndim).fill(0), arrayShape: [...array.shape] } };
  const resolved = resolveInterpolation(emptyWindow, windowOptions, "mapCoordinates", []);
  const probe = mapCoordinatesKernel(emptyWindow, new NDArray(new Float64Array(0), [ndim, 0]), windowOptions);
  const values = astype(coordinates, "float64").data as Float64Array;
  if (coordinates.dtype === "bool") throw new InvalidOptionError("coordinates must be numbers, not bool");
  if (values.some((v) => v === Infinity || v === -Infinity)) {
    throw new InvalidOptionError("coordinates hold an infinite value: scipy's result there is undefined; use NaN or a coordinate outside the input");
  }
  let depth = 0;
  if (resolved.prefilter && resolved.order > 1) {
    depth = prefilterDepth ?? defaultPrefilterDepth(resolved.order);
    if (!Number.isInteger(depth) || depth < 0) throw new InvalidOptionError(`prefilterDepth ${JSON.stringify(prefilterDepth)} must be a non-negative integer`);
  } else if (prefilterDepth !== undefined) {
    throw new InvalidOptionError(`prefilterDepth applies only with the prefilter (order > 1, prefilter not false); this mapCoordinates has order ${resolved.order}${resolved.prefilter ? "" : " and prefilter false"}`);
  }
  const outputShape = coordinates.shape.slice(1);
  const chunks = normalizeChunks(outputChunks ?? "auto", outputShape, dtypeInfo(probe.dtype).itemsize);
  const pointChunks = [[ndim], ...chunks];
  const points = new LazyArray(`array-${tokenize(coordinates, pointChunks)}`, coordinates.shape, pointChunks, coordinates.dtype, new FromArrayExpr(coordinates));
  const spec: PointsSpec = {
    options: kernelOptions, depth,
    settings: { order: resolved.order, mode: resolved.mode, prefilter: resolved.prefilter },
    extremes: blockExtremes(values, ndim, outputShape, chunks, resolved.order === 0 && resolved.mode === "nearest"),
  };
  return LazyArray.of({
    name: `mapCoordinates-${tokenize(array.name, points.name, kernelOptions, chunks, depth)}`,
    shape: outputShape, chunks, dtype: probe.dtype,
    expr: new MapCoordinatesExpr(array, points, spec),
  });
}
