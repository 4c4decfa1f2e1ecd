/**
 * Lazy ufuncs with two results (np.frexp, np.modf, np.divmod): two arrays whose blocks come
 * from one shared task per block, as Dask 2022.12 builds frexp and modf (an elemwise array of
 * pairs, `tmp`, and a `getitem(block, 0)` / `getitem(block, 1)` layer per output, named
 * "mantissa-"/"exponent-" + tmp's name). Computed together, the pair's task runs once per block;
 * each output alone runs it for its own part. divmod, which Dask writes as `x // y, x % y`
 * (two independent graphs), shares its task the same way here: the chunks are the same.
 */
import * as nd from "../ndarray/index.js";
import { refuseExtraArguments } from "../ndarray/binary-builtin.js";
import { dtypeInfo, type DType } from "../ndarray/dtype.js";
import { TaskRef } from "../protocol/payload.js";
import { LazyArray } from "./array.js";
import type { BlockwiseExpr } from "./blockwise.js";
import { blockCounts, blockIndices, blockRegion, chunkOffsets } from "./chunks.js";
import { elementwiseNode, type ElementwiseOperand } from "./elementwise.js";
import type { ArrayExpr, ArrayNode, LowerContext } from "./expr.js";
import { inferDtype } from "./meta.js";

type Operand = LazyArray | number | bigint | boolean;
type PairFunction = (...operands: never[]) => [nd.NDArray, nd.NDArray];

const pickRef = { builtin: "graph.pick" };

/** One output of a pair: block i is part `part` of the shared task's result for block i. */
class PairPartExpr implements ArrayExpr {
  readonly kind = "pair-part";
  constructor(readonly pair: ArrayNode, readonly part: 0 | 1, readonly pairBytes: number) {}

  get inputs(): ArrayNode[] {
    return (this.pair.expr as BlockwiseExpr).inputs;
  }

  lower(self: ArrayNode, ctx: LowerContext): void {
    const expr = this.pair.expr as BlockwiseExpr;
    const argOffsets = expr.argOffsets();
    const offsets = chunkOffsets(self.chunks);
    for (const index of blockIndices(blockCounts(self.chunks))) {
      const key = `${this.pair.name}-${index.join(".")}`;
      if (!ctx.graph.tasks.has(key)) {
        const { start, stop } = blockRegion(offsets, index);
        const cells = stop.reduce((n, s, axis) => n * (s - start[axis]), 1);
        ctx.addTask(key, { fn: expr.fn, args: expr.blockOperands(index, argOffsets, ctx) }, { array: self, outputBytes: cells * this.pairBytes, blockwise: true });
      }
      ctx.addBlock(self, index, { fn: pickRef, args: [new TaskRef(key), [this.part]] });
    }
  }
}

/** The two outputs of `fn` over the operands, named Dask's way (`names[k]-<pair's name>`). */
function pairOf(fn: PairFunction, operands: readonly ElementwiseOperand[], names: readonly [string, string]): [LazyArray, LazyArray] {
  const what = fn.name;
  // The pair itself is never a block of an array: its dtype is a placeholder; each output's is
  // the eager function's answer on tiny blocks of the operand dtypes (NumPy's rules, refusals included).
  const pair = elementwiseNode(fn, operands, "float64");
  const parts = ([0, 1] as const).map((part) => {
    const pick = (...blocks: never[]) => fn(...blocks)[part];
    Object.defineProperty(pick, "name", { value: what });
    return inferDtype(pick, operands.map((op) => (op !== null && typeof op === "object" ? { dtype: op.dtype, ndim: op.shape.length } : { value: op })), undefined, what);
  }) as [DType, DType];
  const pairBytes = dtypeInfo(parts[0]).itemsize + dtypeInfo(parts[1]).itemsize;
  return ([0, 1] as const).map((part) => LazyArray.of({
    name: `${names[part]}-${pair.name}`, shape: pair.shape, chunks: pair.chunks, dtype: parts[part], expr: new PairPartExpr(pair, part, pairBytes),
  })) as [LazyArray, LazyArray];
}

/** [mantissa, exponent] of each element, exponent int32 (np.frexp; Dask's frexp graph). */
export function frexp(x: LazyArray, ...extra: unknown[]): [LazyArray, LazyArray] {
  refuseExtraArguments("frexp", 1, extra);
  return pairOf(nd.frexp, [x], ["mantissa", "exponent"]);
}

/** [fractional part, integral part], both with x's sign (np.modf; Dask's modf graph). */
export function modf(x: LazyArray, ...extra: unknown[]): [LazyArray, LazyArray] {
  refuseExtraArguments("modf", 1, extra);
  return pairOf(nd.modf, [x], ["modf1", "modf2"]);
}

/** [a // b, a % b] from one task per block (np.divmod). */
export function divmod(a: Operand, b: Operand, ...extra: unknown[]): [LazyArray, LazyArray] {
  refuseExtraArguments("divmod", 2, extra);
  return pairOf(nd.divmod, [a, b], ["floordiv", "mod"]);
}
