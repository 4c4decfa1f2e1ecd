/**
 * coarsen (dask.array.coarsen): a block reduction such as a 2×2 mean for downsampling. The
 * chunks along each coarsened axis are first aligned to multiples of its factor (Dask's
 * aligned_coarsen_chunks: the excess moves to the smallest chunks, any remainder into a last
 * chunk), then each block is reduced on its own: split into (groups, factor) per axis and
 * reduced over the factor axes (ndarray/coarsen.ts), so no task reads more than its block.
 * With trimExcess a last partial group is dropped; without, the factors must divide the shape.
 */
import { InvalidOptionError } from "../core/errors.js";
import { refuseUnknownSizes } from "./unknown-chunks.js";
import { builtinNameOf } from "../core/builtin.js";
import { tokenize } from "../core/ids.js";
import { functionRefOf } from "../graph/function-travel.js";
import * as nd from "../ndarray/index.js";
import { coarsen, coarsenView, factorAxes } from "../ndarray/coarsen.js";
import { TaskRef } from "../protocol/payload.js";
import { blockCounts, blockIndices, blockRegion, chunkOffsets, type Chunks } from "./chunks.js";
import type { ArrayExpr, ArrayNode, LowerContext } from "./expr.js";
import { callTask } from "./lower.js";
import { rechunkNode } from "./rechunk.js";

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type Reduction = Function;

export interface CoarsenCallOptions {
  /** Drop a last group shorter than the factor (Dask's trim_excess). Default false. */
  trimExcess?: boolean;
  /** Passed to the reduction with the axes, e.g. { dtype } or { ddof }. */
  reductionOptions?: Record<string, unknown>;
}

/** Dask's aligned_coarsen_chunks. */
export function alignedCoarsenChunks(chunks: readonly number[], multiple: number): number[] {
  const overflow = chunks.map((c) => c % multiple);
  const excess = overflow.reduce((a, b) => a + b, 0);
  const aligned = chunks.map((c, i) => c - overflow[i]);
  const bySize = (indices: number[]) => [...indices].sort((a, b) => aligned[a] - aligned[b]);
  const order = [
    ...bySize(aligned.map((_, i) => i).filter((i) => aligned[i] !== chunks[i])),
    ...bySize(aligned.map((_, i) => i).filter((i) => aligned[i] === chunks[i])),
  ];
  for (let k = 0; k < Math.floor(excess / multiple); k++) aligned[order[k]] += multiple;
  if (excess % multiple) aligned.push(excess % multiple);
  return aligned.filter((c) => c > 0);
}

function factorsOf(axes: Readonly<Record<number, number>> | readonly number[], ndim: number): number[] {
  const factors = new Array<number>(ndim).fill(1);
  const entries: Array<[string, number]> = Array.isArray(axes) ? (axes.length === ndim ? axes.map((f, a) => [String(a), f]) : []) : Object.entries(axes ?? {});
  if (Array.isArray(axes) && axes.length !== ndim) throw new InvalidOptionError(`coarsen: factors [${axes.join(", ")}] must have one entry per axis (${ndim})`);
  for (const [key, factor] of entries) {
    const given = Number(key);
    const axis = given < 0 ? given + ndim : given;
    if (key.trim() === "" || !Number.isInteger(given) || axis < 0 || axis >= ndim) throw new InvalidOptionError(`coarsen: axis ${key} does not exist in an array of ${ndim} axes`);
    if (!Number.isSafeInteger(factor) || factor < 1) throw new InvalidOptionError(`coarsen: the factor for axis ${key} must be a positive integer, got ${JSON.stringify(factor)}`);
    factors[axis] = factor;
  }
  return factors;
}

class CoarsenExpr implements ArrayExpr {
  readonly kind = "coarsen";
  constructor(readonly input: ArrayNode, readonly reduction: Reduction, readonly factors: readonly number[], readonly options: CoarsenCallOptions) {}
  get inputs(): ArrayNode[] {
    return [this.input];
  }

  lower(self: ArrayNode, ctx: LowerContext): void {
    const offsets = chunkOffsets(this.input.chunks);
    const view = { factors: [...this.factors], trimExcess: this.options.trimExcess ?? false };
    const reductionOptions = { ...this.options.reductionOptions, axis: factorAxes(this.factors.length) };
    for (const index of blockIndices(blockCounts(self.chunks))) {
      const { start, stop } = blockRegion(offsets, index);
      const viewKey = `${self.name}-view-${index.join(".")}`;
      ctx.graph.add(callTask(viewKey, { fn: functionRefOf(coarsenView), args: [ctx.region(this.input, start, stop), view] }));
      ctx.addBlock(self, index, { fn: functionRefOf(this.reduction), args: [new TaskRef(viewKey), reductionOptions] });
    }
  }
}

export function coarsenNode(reduction: Reduction, input: ArrayNode, axes: Readonly<Record<number, number>> | readonly number[], options: CoarsenCallOptions = {}): ArrayNode {
  if (typeof reduction !== "function") throw new InvalidOptionError(`coarsen: the reduction must be a function such as nd.mean, got ${String(reduction)}`);
  refuseUnknownSizes(input, "coarsen");
  if (options === null || typeof options !== "object") throw new InvalidOptionError(`coarsen: options must be an object such as { trimExcess: true }, got ${String(options)}`);
  // Dask passes any other keyword to the reduction (da.coarsen(np.mean, x, axes, dtype=...)); here they go in reductionOptions.
  const unknown = Object.keys(options).filter((key) => key !== "trimExcess" && key !== "reductionOptions");
  if (unknown.length > 0) {
    throw new InvalidOptionError(`coarsen: unknown option ${unknown.map((key) => `"${key}"`).join(", ")}; coarsen takes trimExcess and reductionOptions (the reduction's own options, e.g. { reductionOptions: { ${unknown[0]}: … } })`);
  }
  const ndim = input.shape.length;
  const factors = factorsOf(axes, ndim);
  const trimExcess = options.trimExcess ?? false;
  if (!trimExcess && input.shape.some((n, a) => n % factors[a] !== 0)) {
    throw new InvalidOptionError(
      `coarsen: factors [${factors.join(", ")}] do not divide the shape [${input.shape.join(", ")}]; pass { trimExcess: true } to drop the rest`,
    );
  }
  const aligned = rechunkNode(input, input.chunks.map((sizes, a) => (factors[a] === 1 ? [...sizes] : alignedCoarsenChunks(sizes, factors[a]))));
  // One output block per input block, as Dask 2022.12 (a trimmed remainder block gives 0).
  const chunks: Chunks = aligned.chunks.map((sizes, a) => sizes.map((c) => Math.floor(c / factors[a])));
  const shape = chunks.map((sizes) => sizes.reduce((a, b) => a + b, 0));
  // The result dtype is the reduction's on one group.
  const probe = coarsen(reduction as never, nd.ones(factors, input.dtype), { factors, reductionOptions: options.reductionOptions });
  const fnName = builtinNameOf(reduction) ?? reduction.name;
  const name = `coarsen-${tokenize(aligned.name, fnName, functionRefOf(reduction), factors, trimExcess, options.reductionOptions)}`;
  return { name, shape, chunks, dtype: probe.dtype, expr: new CoarsenExpr(aligned, reduction, factors, { ...options, trimExcess }) };
}
