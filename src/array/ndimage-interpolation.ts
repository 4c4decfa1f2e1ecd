/**
 * zoom, shift and affineTransform on lazy arrays, the dask-image way (dask_image.ndinterp):
 * each output block reads only the input region it needs — found through the inverse
 * transform plus the spline's taps (ndimage/transform-plan.ts) — and runs the ndimage kernel
 * on that window with the block's output box. Coordinates are computed from global output
 * indices, so without prefiltering (orders 0 and 1, or `prefilter: false`) every block equals
 * the same box of scipy's whole-volume result, bit for bit, for every mode.
 *
 * With prefiltering (order > 1, scipy's default) the whole-volume result depends on the whole
 * volume: the B-spline prefilter is a recursive filter along entire lines. As dask-image does
 * (its spline_filter runs through map_overlap with `_get_default_depth`), each block's window is
 * widened by `prefilterDepth` cells (default: the smallest n with |pole|ⁿ < 1e-8; 11, 14, 19, 22
 * for orders 2–5) and prefiltered on its own. Where a window ends inside the volume the
 * recursions start from that edge instead of from the volume's, so blocks differ from the
 * whole-volume result by an amount of the order of |pole|^depth times the data's range
 * (≈1e-8 relative at the default depth); at the volume's own edges the boundary treatment is
 * scipy's. A larger depth shrinks the difference; a single block (or `prefilter: false` on
 * data already prefiltered with splineFilter) is exact.
 *
 * Unlike dask-image, every mode is supported and prefiltering is not skipped. A block near an
 * edge in grid-wrap mode reads the cells across the edge (a periodic window); in reflect,
 * mirror and wrap modes a block whose coordinates leave the array may read its whole axis.
 */
import { InvalidOptionError } from "../core/errors.js";
import { tokenize } from "../core/ids.js";
import { functionRefOf } from "../graph/function-travel.js";
import { NDArray, allocate } from "../ndarray/ndarray.js";
import { affineTransform as affineKernel, shift as shiftKernel, zoom as zoomKernel } from "../ndimage/index.js";
import type { AffineTransformOptions, ShiftOptions, ZoomOptions } from "../ndimage/index.js";
import { prefilterDepth as defaultPrefilterDepth } from "../ndimage/interpolation-footprint.js";
import { type TransformPlan, affinePlan, shiftPlan, zoomPlan } from "../ndimage/transform-plan.js";
import { LazyArray } from "./array.js";
import { type ChunkSpec, blockCounts, blockIndices, blockRegion, chunkOffsets, largestOf, normalizeChunks } from "./chunks.js";
import type { ArrayExpr, ArrayNode, LowerContext } from "./expr.js";
import { dtypeInfo } from "../ndarray/dtype.js";
import type { AxisBoundary } from "../ndarray/region-assembly.js";

/** Options of the lazy transforms besides the kernel's own. */
export interface LazyInterpolationOptions {
  /** Chunks of the result (dask-image's `output_chunks`). Default: the input's chunk size on each axis. */
  outputChunks?: ChunkSpec;
  /** Cells each window extends beyond what its block reads, for the prefilter (orders > 1). */
  prefilterDepth?: number;
}

export type Kernel = (input: NDArray, options: Record<string, unknown>) => NDArray;

interface TransformSpec {
  readonly kernel: Kernel;
  readonly options: Record<string, unknown>;
  readonly plan: TransformPlan;
  readonly depth: number;
}

class InterpolationExpr implements ArrayExpr {
  readonly kind = "interpolation";
  constructor(readonly input: ArrayNode, readonly spec: TransformSpec) {}
  get inputs(): ArrayNode[] {
    return [this.input];
  }

  lower(self: ArrayNode, ctx: LowerContext): void {
    const { input, spec } = this;
    const fn = functionRefOf(spec.kernel);
    const offsets = chunkOffsets(self.chunks);
    for (const index of blockIndices(blockCounts(self.chunks))) {
      const region = blockRegion(offsets, index);
      const cells = spec.plan.footprint(region);
      // A periodic footprint (grid-wrap) reaches across the edges: it is read with a periodic
      // boundary and not clipped; others are clipped to the array.
      const start = cells.start.map((s) => (cells.periodic ? s - spec.depth : Math.max(0, s - spec.depth)));
      const stop = cells.stop.map((s, axis) => (cells.periodic ? s + spec.depth : Math.min(input.shape[axis], s + spec.depth)));
      const boundary = cells.periodic ? input.shape.map((): AxisBoundary => ({ kind: "periodic" })) : undefined;
      const window = ctx.region(input, start, stop, boundary);
      const inputWindow = { origin: start, arrayShape: [...input.shape], ...(cells.periodic ? { periodic: true } : {}) };
      ctx.addBlock(self, index, { fn, args: [window, { ...spec.options, outputRegion: region, inputWindow }] });
    }
  }
}

const reserved = ["outputRegion", "inputWindow"] as const;

/** Splits off the lazy options, checks the kernel's by a dry run on an empty window, builds the array. */
export function lazyTransform(
  name: string, array: LazyArray, kernel: Kernel, options: Record<string, unknown> & LazyInterpolationOptions,
  planOf: (kernelOptions: Record<string, unknown>) => TransformPlan,
): LazyArray {
  if (!(array instanceof LazyArray)) throw new InvalidOptionError(`${name} needs a tessera Array; for an NDArray use ndimage.${name}`);
  if (options === null || typeof options !== "object") throw new InvalidOptionError(`${name} needs an options object, got ${JSON.stringify(options)}`);
  const { outputChunks, prefilterDepth, ...kernelOptions } = options;
  for (const key of reserved) {
    if (key in kernelOptions) throw new InvalidOptionError(`${name} on a tessera Array takes no ${key}: each block's is computed from the chunks`);
  }
  const plan = planOf(kernelOptions);
  // The kernel validates everything else (dtype, cval, …) and reports the result's dtype.
  const ndim = array.ndim;
  const probe = kernel(new NDArray(allocate(array.dtype, 0), new Array<number>(ndim).fill(0), { dtype: array.dtype }), {
    ...kernelOptions, inputWindow: { origin: new Array<number>(ndim).fill(0), arrayShape: [...array.shape] },
    outputRegion: { start: plan.outputShape.map(() => 0), stop: plan.outputShape.map(() => 0) },
  });
  let depth = 0;
  if (plan.prefilter && plan.order > 1) {
    depth = prefilterDepth ?? defaultPrefilterDepth(plan.order);
    if (!Number.isInteger(depth) || depth < 0) throw new InvalidOptionError(`prefilterDepth ${JSON.stringify(prefilterDepth)} must be a non-negative integer`);
  } else if (prefilterDepth !== undefined) {
    throw new InvalidOptionError(`prefilterDepth applies only with the prefilter (order > 1, prefilter not false); this ${name} has order ${plan.order}${plan.prefilter ? "" : " and prefilter false"}`);
  }
  const sameRank = plan.outputShape.length === ndim;
  // At least 1: a zero-length axis has the one chunk of 0 (the output axis is empty too).
  const spec = outputChunks ?? (sameRank ? array.chunks.map((sizes) => Math.max(1, largestOf(sizes))) : "auto");
  const chunks = normalizeChunks(spec, plan.outputShape, dtypeInfo(probe.dtype).itemsize);
  const node: ArrayNode = {
    name: `${name}-${tokenize(array.name, kernelOptions, chunks, depth)}`,
    shape: [...plan.outputShape], chunks, dtype: probe.dtype,
    expr: new InterpolationExpr(array, { kernel, options: kernelOptions, plan, depth }),
  };
  return LazyArray.of(node);
}

/** Zooms a lazy array by spline interpolation (scipy.ndimage.zoom, block by block). */
export function zoom(array: LazyArray, options: ZoomOptions & LazyInterpolationOptions): LazyArray {
  return lazyTransform("zoom", array, zoomKernel as unknown as Kernel, options as unknown as Record<string, unknown>,
    (o) => zoomPlan(o as unknown as ZoomOptions, array.shape));
}

/** Shifts a lazy array by spline interpolation (scipy.ndimage.shift, block by block). */
export function shift(array: LazyArray, options: ShiftOptions & LazyInterpolationOptions): LazyArray {
  return lazyTransform("shift", array, shiftKernel as unknown as Kernel, options as unknown as Record<string, unknown>,
    (o) => shiftPlan(o as unknown as ShiftOptions, array.shape));
}

/** Applies an affine transformation to a lazy array (scipy.ndimage.affine_transform, block by block). */
export function affineTransform(array: LazyArray, options: AffineTransformOptions & LazyInterpolationOptions): LazyArray {
  return lazyTransform("affineTransform", array, affineKernel as unknown as Kernel, options as unknown as Record<string, unknown>,
    (o) => affinePlan(o as unknown as AffineTransformOptions, array.shape));
}
