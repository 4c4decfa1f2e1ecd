/**
 * dask.array's topk and argtopk (Dask 2022.12, reductions.py): the |k| largest (k > 0) or
 * smallest (k < 0) elements along one axis, sorted (largest first for k > 0), or their indices
 * (int64). A tree reduction along that axis, each level its own tasks: every block reduced to its
 * own top |k| per lane (one task per block, fused with what computes it), then `splitEvery`
 * neighbouring partials along the axis joined and reduced again per task, level after level,
 * until one partial per output block is left, which is sorted. No task holds more than
 * splitEvery partials. The result keeps the other axes' chunks and has one block of |k| along the
 * axis, as Dask's.
 * Refused (Dask would build a wrong array or an empty one): k = 0, |k| above the axis' length.
 */
import { InvalidOptionError } from "../core/errors.js";
import { tokenize } from "../core/ids.js";
import { functionRefOf } from "../graph/function-travel.js";
import { TaskRef } from "../protocol/payload.js";
import { normalizeAxis } from "../ndarray/apply-along-axis.js";
import { dtypeInfo } from "../ndarray/dtype.js";
import { type TopkStepOptions, topkCombine, topkFinish, topkPartial } from "../ndarray/topk-partials.js";
import { LazyArray } from "./array.js";
import { blockCounts, blockIndices, blockRegion, chunkOffsets } from "./chunks.js";
import type { ArrayExpr, ArrayNode, LowerContext } from "./expr.js";
import { refuseUnknownOptions } from "./option-checks.js";
import { defaultSplitEvery } from "./reductions.js";

export interface TopkCallOptions {
  /** The axis (default −1, the last). */
  axis?: number;
  /** Partials joined per task (Dask's split_every; default 16). */
  splitEvery?: number;
}

class TopkExpr implements ArrayExpr {
  readonly kind = "topk";
  constructor(readonly input: ArrayNode, readonly options: TopkStepOptions, readonly splitEvery: number) {}
  get inputs(): ArrayNode[] {
    return [this.input];
  }

  lower(self: ArrayNode, ctx: LowerContext): void {
    const { input, options, splitEvery } = this;
    const { axis } = options;
    const counts = blockCounts(input.chunks);
    const offsets = chunkOffsets(input.chunks);
    const lanes = counts.map((n, d) => (d === axis ? 1 : n));
    const itemBytes = dtypeInfo(input.dtype).itemsize + (options.arg ? 8 : 0);
    for (const outIndex of blockIndices(lanes)) {
      const laneBytes = outIndex.reduce((bytes, i, d) => bytes * (d === axis ? Math.abs(options.k) : input.chunks[d][i]), itemBytes);
      const memory = { array: input, outputBytes: laneBytes };
      const lane = outIndex.join(".");
      let keys: string[] = [];
      for (let j = 0; j < counts[axis]; j++) {
        const index = outIndex.map((i, d) => (d === axis ? j : i));
        const { start, stop } = blockRegion(offsets, index);
        const key = `${self.name}-partial-0-${lane}-${j}`;
        ctx.addTask(key, { fn: functionRefOf(topkPartial), args: [ctx.region(input, start, stop), options, start[axis]] }, memory);
        keys.push(key);
      }
      for (let level = 1; keys.length > 1; level++) {
        const next: string[] = [];
        for (let i = 0; i < keys.length; i += splitEvery) {
          const key = `${self.name}-partial-${level}-${lane}-${next.length}`;
          const members = keys.slice(i, i + splitEvery).map((member) => new TaskRef(member));
          ctx.addTask(key, { fn: functionRefOf(topkCombine), args: [members, options] }, { ...memory, scratchBytes: laneBytes * members.length });
          next.push(key);
        }
        keys = next;
      }
      ctx.addBlock(self, outIndex, { fn: functionRefOf(topkFinish), args: [new TaskRef(keys[0]), options] });
    }
  }
}

function topkNode(what: string, a: LazyArray, k: number, options: TopkCallOptions, arg: boolean): LazyArray {
  if (!(a instanceof LazyArray)) throw new InvalidOptionError(`${what}: expected a chunked array (ta.Array), got ${typeof a}`);
  refuseUnknownOptions(what, options, ["axis", "splitEvery"]);
  if (a.ndim === 0) throw new InvalidOptionError(`${what}: the array is 0-d; it has no axis to take the top elements along`);
  const axis = normalizeAxis(what, options.axis ?? -1, a.ndim);
  if (typeof k !== "number" || !Number.isInteger(k) || k === 0) throw new InvalidOptionError(`${what}: k must be a non-zero integer (negative for the smallest), got ${JSON.stringify(k)}`);
  if (Math.abs(k) > a.shape[axis]) throw new InvalidOptionError(`${what}: |k| = ${Math.abs(k)} is more than the ${a.shape[axis]} elements along axis ${axis}`);
  if (a.dtype === "bool") throw new InvalidOptionError(`${what}: bool arrays have no order here; cast to an integer dtype first`);
  const splitEvery = options.splitEvery ?? defaultSplitEvery;
  if (!Number.isInteger(splitEvery) || splitEvery < 2) throw new InvalidOptionError(`${what}: splitEvery must be an integer ≥ 2 (partials joined per task), got ${JSON.stringify(options.splitEvery)}`);
  const steps: TopkStepOptions = { k, axis, arg };
  const chunks = a.chunks.map((sizes, d) => (d === axis ? [Math.abs(k)] : [...sizes]));
  const shape = a.shape.map((n, d) => (d === axis ? Math.abs(k) : n));
  return LazyArray.of({ name: `${what}-${tokenize(a.name, steps, splitEvery)}`, shape, chunks, dtype: arg ? "int64" : a.dtype, expr: new TopkExpr(a, steps, splitEvery) });
}

/** The k largest elements along the axis (k < 0: the −k smallest), sorted largest (smallest) first. */
export function topk(a: LazyArray, k: number, options: TopkCallOptions = {}): LazyArray {
  return topkNode("topk", a, k, options, false);
}

/** The indices (int64) of topk's elements along the axis, in topk's order. */
export function argtopk(a: LazyArray, k: number, options: TopkCallOptions = {}): LazyArray {
  return topkNode("argtopk", a, k, options, true);
}
