/**
 * Tree reductions (Dask's `reduction` / `_tree_reduce`): each block is reduced to a partial
 * (level 0, one task per block, fused with whatever computes the block, and run where the
 * block lives), then partials are combined level after level: each level groups up to
 * `splitEvery[axis]` neighbouring partials along every reduced axis into one task, until one
 * partial per output block is left, which is finished. Every level is its own set of tasks,
 * so partials spread over the workers; no task holds more than the product of the factors
 * (Dask's split_every, 16 by default), whatever the array's size.
 *
 * Reductions where the data lives: when every block a first-level combine gathers is a
 * result one worker already holds (a persisted array whose group of blocks landed together)
 * and the group's blocks fit LowerContext.holdersOfInputs's bound, the combine takes its
 * partials inside it (fuse.ts: gathersInPlace): one task on that worker computes each
 * block's partial in turn and then combines them, with the same functions, arguments and
 * order as the separate tasks, so the result is bit-identical. A group split over workers
 * runs each worker's part (2 blocks or more) as one task there that hands back the list of
 * its partials (partialList), and the combine picks its members out of those lists in the
 * group's order (combinePickedPartials): only partials move, and the combine sees the same
 * values in the same order. Blocks this graph computes, groups too large for the bound, and
 * the groups of a worker holding fewer groups (or parts) than it has threads (fused, they
 * would leave threads idle) keep a task per block.
 */
import { tokenize } from "../core/ids.js";
import { functionRefOf } from "../graph/function-travel.js";
import { TaskRef } from "../protocol/payload.js";
import { partialItemBytes, partialNeedsOrigin, partialScratchBytes } from "../ndarray/tree-ops.js";
import { combinePickedPartials, partialList, reduceElementwisePartial, type TreeOptions } from "../ndarray/tree-reduction.js";
import { binaryOperations } from "../ndarray/arithmetic.js";
import { dtypeInfo } from "../ndarray/dtype.js";
import { BlockwiseExpr } from "./blockwise.js";
import { blockCounts, blockIndices, blockRegion, chunkOffsets } from "./chunks.js";
import type { ArrayExpr, ArrayNode, InputsShare, LowerContext } from "./expr.js";
import { blockInput } from "./unknown-chunks.js";
import { reductionSteps } from "./unknown-reduction.js";

const partialListRef = functionRefOf(partialList);
const combinePickedPartialsRef = functionRefOf(combinePickedPartials);
const reduceElementwisePartialRef = functionRefOf(reduceElementwisePartial);
const momentOps: ReadonlySet<string> = new Set(["var", "std", "nanvar", "nanstd", "moment"]);
/** The priority of a split group's parts and combine (Dask's: higher runs earlier; tasks default to 0). */
export const splitGroupPriority = 1;

/**
 * The arguments of a task combining the partials `members` (laid out as `memberGrid`) of a
 * reduction; `last` when it makes the level with one partial per output block. Means and
 * moments (and sums) lay their partials out in their grid before summing them, as Dask does, and the last
 * combine of var / std (and nan forms) aggregates, as Dask's moment_agg does. The compact
 * lowering (compact-reduction.ts) builds the same arguments through this function.
 */
export function combinePartialsArgs(options: { op: string }, members: readonly unknown[], memberGrid: readonly number[], last: boolean): unknown[] {
  const aggregatesLast = momentOps.has(options.op);
  // Sums and NaN-skipping extrema take their grid too, to combine in NumPy's order (tree-reduction.ts).
  const laidOut = aggregatesLast || ["mean", "nanmean", "sum", "nansum", "nanmin", "nanmax"].includes(options.op);
  return laidOut ? [members, options, memberGrid, last && aggregatesLast] : [members, options];
}

/**
 * The binary arithmetic whose result `input` is, when its blocks are only an operation on the
 * same blocks of two operands (add, subtract, … of arithmetic.ts, no block_info): the first
 * level of a reduction over it may then compute each block into a reused buffer
 * (reduceElementwisePartial) instead of a block of its own, with the same values.
 */
function fusableArithmetic(input: ArrayNode): { operation: string; expr: BlockwiseExpr } | null {
  const expr = input.expr;
  if (!(expr instanceof BlockwiseExpr) || !expr.elementwise || expr.options !== undefined || expr.info.blockInfo || expr.args.length !== 2) return null;
  const operation = "builtin" in expr.fn ? expr.fn.builtin : undefined;
  if (operation === undefined || !(operation in binaryOperations)) return null;
  const operandsOk = expr.args.every((arg) => "array" in arg || ["number", "bigint", "boolean"].includes(typeof arg.value));
  return operandsOk ? { operation, expr } : null;
}

export class ReductionExpr implements ArrayExpr {
  readonly kind = "reduction";
  /** `splitEvery`: partials combined per task along each reduced axis. */
  constructor(readonly input: ArrayNode, readonly options: TreeOptions, readonly splitEvery: Readonly<Record<number, number>>) {}
  get inputs(): ArrayNode[] {
    return [this.input];
  }

  lower(self: ArrayNode, ctx: LowerContext): void {
    const { input, options } = this;
    const steps = reductionSteps(input, options.op);
    const reduced = input.shape.map((_, axis) => options.axes.includes(axis));
    const factor = reduced.map((isReduced, axis) => (isReduced ? this.splitEvery[axis] : 1));
    const counts = blockCounts(input.chunks);
    const offsets = chunkOffsets(input.chunks);
    // A partial keeps the block's extent on kept axes and 1 on reduced ones; var/std carry
    // three float64 moments, mean (n, total), others one value in the result dtype (tree-ops.ts).
    const partialItem = partialItemBytes(options.op, input.dtype, options.dtype, options.order);
    // Arg reductions report indices in the whole array: their first step gets the block's place.
    const withOrigin = partialNeedsOrigin(options.op);
    const partialBytes = (index: readonly number[]) => index.reduce((bytes, i, axis) => bytes * (reduced[axis] ? 1 : input.chunks[axis][i]), partialItem);
    // Level 0: one partial per input block.
    let level = 0;
    let grid = counts.slice();
    const partialKey = (at: number) => (index: readonly number[]) => `${self.name}-partial-${at}-${index.join(".")}`;
    let keyOf = partialKey(level);
    // Reducing over no axis would hand back the block itself: that one keeps its own block.
    const arithmetic = options.axes.length > 0 && !steps.unknown ? fusableArithmetic(input) : null;
    const argOffsets = arithmetic?.expr.argOffsets();
    for (const index of blockIndices(counts)) {
      const { start, stop } = blockRegion(offsets, index);
      const elements = stop.reduce((n, s, axis) => n * (s - start[axis]), 1);
      // Moments read the block in place; only 64-bit integer blocks are converted to float64 first.
      const scratchBytes = partialScratchBytes(options.op, input.dtype, elements);
      const origin = withOrigin ? [{ start, shape: [...input.shape] }] : [];
      const call = arithmetic && argOffsets
        ? { fn: reduceElementwisePartialRef, args: [arithmetic.operation, arithmetic.expr.blockOperands(index, argOffsets, ctx), options, ...origin] }
        : { fn: steps.partial, args: [steps.unknown ? blockInput(ctx, input, index) : ctx.region(input, start, stop), options, ...origin] };
      // The elementwise result is the kernel's scratch when it is not a block of its own.
      const elementwiseBytes = arithmetic ? elements * dtypeInfo(input.dtype).itemsize : 0;
      // Fused, it reads the same block of each operand, as the operation's own blocks would.
      ctx.addTask(keyOf(index), call, { array: input, outputBytes: partialBytes(index), scratchBytes: scratchBytes + elementwiseBytes, blockwise: arithmetic !== null });
    }
    // Combine groups along the reduced axes until one partial per output block is left.
    while (grid.some((n, axis) => reduced[axis] && n > 1)) {
      const previousKey = keyOf;
      const previousGrid = grid;
      grid = grid.map((n, axis) => Math.ceil(n / factor[axis]));
      const last = grid.every((n, axis) => !reduced[axis] || n === 1);
      keyOf = partialKey(++level);
      const combines: Array<{ key: string; index: number[]; members: TaskRef[]; grid: number[]; bytes: number; shares: InputsShare[] }> = [];
      for (const index of blockIndices(grid)) {
        const ranges = index.map((i, axis) => [i * factor[axis], Math.min((i + 1) * factor[axis], previousGrid[axis])]);
        const members: TaskRef[] = [];
        for (const member of blockIndices(ranges.map(([lo, hi]) => hi - lo))) {
          members.push(new TaskRef(previousKey(member.map((m, axis) => ranges[axis][0] + m))));
        }
        // The first combine may run its group's partials where their blocks are: all inside
        // it when one worker holds them all, else each worker's part as one task of its own.
        const shares = level === 1 && !steps.unknown ? ctx.holdersOfInputs(members.map((member) => member.key)).filter((share) => share.taskKeys.length > 1) : [];
        combines.push({ key: keyOf(index), index, members, grid: ranges.map(([lo, hi]) => hi - lo), bytes: partialBytes(index), shares });
      }
      // Fused only where each holder gets at least a group (or a group's part) per thread:
      // fewer would leave its other threads idle while one task works through blocks in turn.
      const groupsOn = new Map<string, number>();
      for (const { shares } of combines) for (const { holder } of shares) groupsOn.set(holder.worker, (groupsOn.get(holder.worker) ?? 0) + 1);
      const fills = (share: InputsShare) => (groupsOn.get(share.holder.worker) ?? 0) >= share.holder.nthreads;
      for (const { key, index, members, grid: memberGrid, bytes, shares } of combines) {
        const whole = shares.length === 1 && shares[0].taskKeys.length === members.length;
        const parts = shares.filter(fills);
        if (whole || parts.length === 0) {
          const args = combinePartialsArgs(options, members, memberGrid, last);
          ctx.addTask(key, { fn: steps.combine, args }, { array: input, outputBytes: bytes, scratchBytes: bytes, gathersInPlace: whole && parts.length === 1 });
          continue;
        }
        // A group split over workers: each worker's part of its partials is one task there
        // (a partialList gathering them in place); the combine picks the members out of those
        // lists in the group's order, so it combines the same values in the same order. Parts
        // and combine run before the whole groups (priority 1): the combine waits on a transfer
        // between workers, which then overlaps the groups' work instead of following it.
        const sources: TaskRef[] = [];
        const place = new Map<string, [number, number]>();
        for (const part of parts) {
          // Named by its members, not by its place among the parts: two lowerings on
          // different placements give one key the same members, or it is two keys (the
          // scheduler keeps the first spec it is sent for a key, and a combine picking from
          // another lowering's list would take other partials).
          const partKey = `${self.name}-part-${level}-${index.join(".")}-${tokenize(part.taskKeys)}`;
          const refs = part.taskKeys.map((taskKey) => new TaskRef(taskKey));
          ctx.addTask(partKey, { fn: partialListRef, args: [refs] }, { array: input, outputBytes: bytes * refs.length, scratchBytes: 0, gathersInPlace: true, priority: splitGroupPriority });
          part.taskKeys.forEach((taskKey, at) => place.set(taskKey, [sources.length, at]));
          sources.push(new TaskRef(partKey));
        }
        const picks: number[] = [];
        for (const member of members) {
          const found = place.get(member.key);
          if (found) picks.push(found[0], found[1]);
          else {
            picks.push(sources.length, -1);
            sources.push(member);
            // A block alone on its worker: its partial, a task of its own, goes early too (not
            // one whose block this graph computes: a root would jump ahead of other work).
            const lone = ctx.graph.tasks.get(member.key);
            if (lone && ctx.holdersOfInputs([member.key]).length === 1) lone.priority = splitGroupPriority;
          }
        }
        const rest = combinePartialsArgs(options, [], memberGrid, last).slice(1);
        ctx.addTask(key, { fn: combinePickedPartialsRef, args: [sources, picks, ...rest] }, { array: input, outputBytes: bytes, scratchBytes: bytes, priority: splitGroupPriority });
      }
    }
    for (const index of blockIndices(grid)) {
      const outIndex = options.keepdims ? index : index.filter((_, axis) => !reduced[axis]);
      ctx.addBlock(self, outIndex, { fn: steps.finish, args: [new TaskRef(keyOf(index)), options] });
    }
  }
}
