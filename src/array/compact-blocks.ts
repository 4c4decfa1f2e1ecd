/**
 * The first level of a reduction over a chain of fills and elementwise steps
 * (`ta.ones(...).mul(2).add(x).sum()`), block by block, as the per-task lowering makes it:
 * the fills' tasks (sources.ts), the elementwise blocks' tasks (blockwise.ts), and the block's
 * partial (reduction.ts: over the block, or, for binary arithmetic at the top, over the
 * operands' blocks), each with the sizes the memory plan reads. compact-reduction.ts turns
 * one block's tasks into a layer's steps: the per-task path fuses exactly these into one task
 * per block (each has a single user in the block's group, or is a blockwise step).
 *
 * Only chains this file reproduces exactly are taken (else null, and lowering goes per task):
 * fills and elementwise built-ins of the same chunks as the reduced array, plain scalar
 * operands, no block_info.
 */
import { functionRefOf } from "../graph/function-travel.js";
import { blockKey } from "../graph/keys.js";
import { scratchBytes } from "../graph/memory-plan.js";
import type { TaskSpec } from "../graph/task-graph.js";
import { stepRef } from "../graph/task-runner.js";
import type { LayerHole, LayerStep } from "../protocol/block-layer.js";
import { TaskRef } from "../protocol/payload.js";
import * as nd from "../ndarray/index.js";
import { binaryOperations } from "../ndarray/arithmetic.js";
import { dtypeInfo } from "../ndarray/dtype.js";
import { partialScratchBytes } from "../ndarray/tree-ops.js";
import { reduceElementwisePartial, reducePartial } from "../ndarray/tree-reduction.js";
import { BlockwiseExpr } from "./blockwise.js";
import type { ArrayNode } from "./expr.js";
import type { ReductionExpr } from "./reduction.js";
import { FillExpr } from "./sources.js";

const fullRef = functionRefOf(nd.full);
const randomRef = functionRefOf(nd.random);
const reducePartialRef = functionRefOf(reducePartial);
const reduceElementwisePartialRef = functionRefOf(reduceElementwisePartial);

/** A task with what the memory plan needs (as lowering.ts's LoweredTask). */
export interface SizedTask extends TaskSpec {
  outputBytes: number;
  scratchBytes: number;
  blockTask: boolean;
  array: ArrayNode;
}

const isScalar = (value: unknown) => ["number", "bigint", "boolean"].includes(typeof value);

function sameChunks(a: ArrayNode, b: ArrayNode): boolean {
  return a.chunks.length === b.chunks.length && a.chunks.every((sizes, axis) => sizes.length === b.chunks[axis].length && sizes.every((n, i) => n === b.chunks[axis][i]));
}

/** Whether `node`'s blocks are computed by a chain this file builds, block for block, on `grid`'s chunks. */
function chainable(node: ArrayNode, grid: ArrayNode, depth = 0): boolean {
  if (depth > 32 || !sameChunks(node, grid)) return false;
  const expr = node.expr;
  if (expr instanceof FillExpr) return true;
  if (!(expr instanceof BlockwiseExpr) || !expr.elementwise || expr.info.blockInfo || !("builtin" in expr.fn)) return false;
  if (expr.options !== undefined && Object.values(expr.options).some((value) => value !== null && typeof value === "object")) return false;
  return expr.args.every((arg) => ("array" in arg ? arg.axes.every((axis, i) => axis === i) && arg.array.shape.length === node.shape.length && chainable(arg.array, grid, depth + 1) : isScalar(arg.value)));
}

/** The binary arithmetic reduction.ts fuses into the first level (its fusableArithmetic), else null. */
function topArithmetic(input: ArrayNode): { operation: string; expr: BlockwiseExpr } | null {
  const expr = input.expr;
  if (!(expr instanceof BlockwiseExpr) || !expr.elementwise || expr.options !== undefined || expr.info.blockInfo || expr.args.length !== 2) return null;
  const operation = "builtin" in expr.fn ? expr.fn.builtin : undefined;
  if (operation === undefined || !(operation in binaryOperations)) return null;
  return expr.args.every((arg) => "array" in arg || isScalar(arg.value)) ? { operation, expr } : null;
}

export interface BlockChain {
  /** The first level's tasks at block `index`, dependencies first (the per-task path's fused order), the partial last. */
  membersAt(index: readonly number[]): SizedTask[];
  /** The steps of the first level's fused task, the same for every block but at their holes. */
  layerSteps(index: readonly number[]): LayerStep[];
}

/** The first level of `reduction` block by block, or null when its input is not such a chain. */
export function blockChainOf(reduction: ReductionExpr, partialKey: (index: readonly number[]) => string, partialBytes: (index: readonly number[]) => number): BlockChain | null {
  const { input, options } = reduction;
  const arithmetic = options.axes.length > 0 ? topArithmetic(input) : null;
  const operands = arithmetic ? arithmetic.expr.args : [{ array: input, axes: input.shape.map((_, axis) => axis) }];
  if (!operands.every((arg) => !("array" in arg) || chainable(arg.array, input))) return null;
  const blockShape = (index: readonly number[]) => index.map((i, axis) => input.chunks[axis][i]);
  const bytesOf = (node: ArrayNode, index: readonly number[]) => blockShape(index).reduce((n, s) => n * s, dtypeInfo(node.dtype).itemsize);

  const membersAt = (index: readonly number[]): SizedTask[] => {
    const members: SizedTask[] = [];
    const made = new Map<string, SizedTask>();
    // Post-order over the chain, each block once: the order the per-task cull visits them in.
    const visit = (node: ArrayNode): string => {
      const key = blockKey(node.name, index);
      if (made.has(key)) return key;
      const expr = node.expr;
      let task: SizedTask;
      const bytes = bytesOf(node, index);
      if (expr instanceof FillExpr) {
        const fill = expr.fill;
        const call = "value" in fill
          ? { fn: fullRef, args: [blockShape(index), fill.value, node.dtype] }
          : { fn: randomRef, args: [blockShape(index), { seed: [fill.random, ...index], dtype: node.dtype }] };
        task = { key, fn: call.fn, args: call.args, deps: [], outputBytes: bytes, scratchBytes: scratchBytes(call.fn, 0, bytes), blockTask: true, array: node };
      } else {
        const blockwise = expr as BlockwiseExpr;
        const args: unknown[] = [];
        const deps: string[] = [];
        for (const arg of blockwise.args) {
          if (!("array" in arg)) {
            args.push(arg.value);
            continue;
          }
          const dep = visit(arg.array);
          args.push(new TaskRef(dep));
          if (!deps.includes(dep)) deps.push(dep);
        }
        if (blockwise.options !== undefined) args.push(blockwise.options);
        let inputs = 0;
        for (const dep of deps) inputs += (made.get(dep) as SizedTask).outputBytes;
        task = { key, fn: blockwise.fn, args, deps, outputBytes: bytes, scratchBytes: scratchBytes(blockwise.fn, inputs, bytes), blockTask: true, array: node };
      }
      made.set(key, task);
      members.push(task);
      return key;
    };
    const elements = blockShape(index).reduce((n, s) => n * s, 1);
    const scratch = partialScratchBytes(options.op, input.dtype, elements);
    if (arithmetic) {
      const blockOperands = arithmetic.expr.args.map((arg) => ("array" in arg ? new TaskRef(visit(arg.array)) : arg.value));
      const deps = [...new Set(blockOperands.flatMap((operand) => (operand instanceof TaskRef ? [operand.key] : [])))];
      members.push({
        key: partialKey(index), fn: reduceElementwisePartialRef, args: [arithmetic.operation, blockOperands, options], deps,
        outputBytes: partialBytes(index), scratchBytes: scratch + elements * dtypeInfo(input.dtype).itemsize, blockTask: true, array: input,
      });
    } else {
      const dep = visit(input);
      members.push({ key: partialKey(index), fn: reducePartialRef, args: [new TaskRef(dep), options], deps: [dep], outputBytes: partialBytes(index), scratchBytes: scratch, blockTask: false, array: input });
    }
    return members;
  };

  const layerSteps = (index: readonly number[]): LayerStep[] => {
    const members = membersAt(index);
    const position = new Map(members.map((member, i) => [member.key, i]));
    return members.map((member) => {
      const fn = member.fn;
      if (!("builtin" in fn)) throw new Error("a layer's step must be a built-in function");
      const holes: LayerHole[] = [];
      if (fn === fullRef || fn === randomRef) holes.push({ path: [0], fill: "chunk-shape" });
      if (fn === randomRef) holes.push({ path: [1, "seed"], fill: "index-after", head: [(member.args[1] as { seed: number[] }).seed[0]] });
      return { builtin: fn.builtin, args: stepsFor(member.args, position) as unknown[], holes };
    });
  };
  return { membersAt, layerSteps };
}

/** Arguments with references to earlier members replaced by step markers (fuse.ts's replaceRefs, for these arguments: lists only). */
function stepsFor(value: unknown, position: ReadonlyMap<string, number>): unknown {
  if (value instanceof TaskRef) {
    const at = position.get(value.key);
    return at === undefined ? value : stepRef(at);
  }
  if (Array.isArray(value)) return value.map((item) => stepsFor(item, position));
  return value;
}
