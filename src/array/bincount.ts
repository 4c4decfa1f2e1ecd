/**
 * dask.array.bincount: np.bincount per block (with the weights' same block), then the
 * per-block counts summed by a tree (groups of splitEvery consecutive partials, level after
 * level, Dask's _tree_reduce with _bincount_agg: padded to the longest and added in order).
 * Without minlength the length is unknown (NaN); with it the length is taken as minlength, as
 * Dask's chunks say, and a value past it is an error when the counts are summed (Dask would
 * hand back a longer array than its chunks say).
 */
import { InvalidOptionError } from "../core/errors.js";
import { tokenize } from "../core/ids.js";
import { functionRefOf } from "../graph/function-travel.js";
import { checkBincountDtype, checkMinlength } from "../ndarray/bincount.js";
import { refuseUnknownKeys } from "../ndarray/option-keys.js";
import { bincountAggregate, bincountBlock } from "../ndarray/unknown-size-blocks.js";
import { TaskRef } from "../protocol/payload.js";
import { LazyArray } from "./array.js";
import { sameChunks } from "./chunks.js";
import type { ArrayExpr, ArrayNode, LowerContext } from "./expr.js";
import { defaultSplitEvery } from "./reductions.js";
import { blockInput, hasUnknownChunks } from "./unknown-chunks.js";

export interface LazyBincountOptions {
  weights?: LazyArray | null;
  minlength?: number;
  /** Partials summed per task (Dask's split_every; default 16). */
  splitEvery?: number;
}

const blockRef = functionRefOf(bincountBlock);
const aggregateRef = functionRefOf(bincountAggregate);

class BincountExpr implements ArrayExpr {
  readonly kind = "bincount";
  constructor(readonly x: ArrayNode, readonly weights: ArrayNode | null, readonly minlength: number, readonly splitEvery: number) {}
  get inputs(): ArrayNode[] {
    return this.weights ? [this.x, this.weights] : [this.x];
  }

  lower(self: ArrayNode, ctx: LowerContext): void {
    const { x, weights, minlength, splitEvery } = this;
    let level: TaskRef[] = [];
    for (let i = 0; i < x.chunks[0].length; i++) {
      const key = `${self.name}-partial-0-${i}`;
      ctx.addTask(key, { fn: blockRef, args: [blockInput(ctx, x, [i]), weights ? blockInput(ctx, weights, [i]) : null, minlength] }, { array: x, outputBytes: 0 });
      level.push(new TaskRef(key));
    }
    // Dask's _tree_reduce: levels of groups while more than splitEvery partials are left, then the last sum.
    for (let depth = 1; level.length > splitEvery; depth++) {
      const next: TaskRef[] = [];
      for (let g = 0; g * splitEvery < level.length; g++) {
        const key = `${self.name}-partial-${depth}-${g}`;
        ctx.addTask(key, { fn: aggregateRef, args: [level.slice(g * splitEvery, (g + 1) * splitEvery), null] }, { array: x, outputBytes: 0 });
        next.push(new TaskRef(key));
      }
      level = next;
    }
    // Only the last sum knows the whole length (minlength's); the ones before may be shorter.
    ctx.addBlock(self, [0], { fn: aggregateRef, args: [level, minlength > 0 ? minlength : null] });
  }
}

/** dask.array.bincount of a 1-d array of non-negative integers: int64 counts, or float64 sums of the weights. */
export function bincount(x: LazyArray, options: LazyBincountOptions = {}): LazyArray {
  if (!(x instanceof LazyArray)) throw new InvalidOptionError(`bincount: expected a tessera array, got ${String(x)}`);
  if (options === null || typeof options !== "object") throw new InvalidOptionError("bincount: options must be an object such as { minlength: 10 }");
  refuseUnknownKeys(options, ["weights", "minlength", "splitEvery"], "bincount");
  if (x.ndim !== 1) throw new InvalidOptionError(`bincount: Input array must be one dimensional (got ${x.ndim} axes). Try using x.ravel()`);
  checkBincountDtype(x.dtype, "bincount");
  const minlength = checkMinlength(options.minlength ?? 0, "bincount");
  const splitEvery = options.splitEvery ?? defaultSplitEvery;
  if (!Number.isInteger(splitEvery) || splitEvery < 2) throw new InvalidOptionError(`bincount: splitEvery must be an integer ≥ 2, got ${JSON.stringify(options.splitEvery)}`);
  const weights = options.weights ?? null;
  if (weights !== null) {
    if (!(weights instanceof LazyArray)) throw new InvalidOptionError(`bincount: weights must be a tessera array, got ${String(weights)}`);
    const unknown = hasUnknownChunks(x.chunks) || hasUnknownChunks(weights.chunks);
    const match = weights.ndim === 1 && (unknown ? weights.chunks[0].length === x.chunks[0].length : sameChunks(weights.chunks, x.chunks));
    if (!match) throw new InvalidOptionError(`bincount: Chunks of input array x and weights must match (x [${x.chunks[0].join(", ")}], weights [${weights.chunks.map((c) => c.join(", ")).join("; ")}])`);
  }
  const dtype = weights ? "float64" : "int64";
  const length = minlength > 0 ? minlength : NaN;
  const name = `bincount-${tokenize(x.name, weights?.name ?? null, minlength, splitEvery)}`;
  return LazyArray.of({ name, shape: [length], chunks: [[length]], dtype, expr: new BincountExpr(x, weights, minlength, splitEvery) });
}
