/**
 * The outputs of applyGufunc. As Dask builds them: one task per block of the loop dimensions
 * runs the user's function once (Dask's `tmp` blockwise layer) and gives one array or, for
 * several outputs, a list; each output's block is a small task on that result (Dask's
 * `getitem(key, i)` layer), so computing every output still runs the function once per block.
 * The output tasks also check what Dask takes on trust: the list's length, each block's shape
 * (the block's loop shape plus the output core sizes) and the dtype, casting to the declared
 * one as applyAlongAxis does. A wrong block would otherwise become a wrong array silently.
 */
import { tokenize } from "../core/ids.js";
import { functionRefOf } from "../graph/function-travel.js";
import * as nd from "../ndarray/index.js";
import { dtypeInfo, type DType } from "../ndarray/dtype.js";
import type { FunctionRef } from "../protocol/function-ref.js";
import { TaskRef } from "../protocol/payload.js";
import type { BlockwiseExpr } from "./blockwise.js";
import { blockCounts, blockIndices, blockRegion, chunkOffsets, type Chunks } from "./chunks.js";
import type { ArrayExpr, ArrayNode, LowerContext } from "./expr.js";
import { blockInput, hasUnknownChunks } from "./unknown-chunks.js";

interface OutputCheck {
  /** The output's position in the function's list, or null for a single direct output. */
  part: number | null;
  count: number;
  shape: number[];
  dtype: DType;
  what: string;
}

/**
 * The output block out of the function's result. Made with the Function constructor so that
 * its source text (which travels to the workers) reads only `nd`.
 */
const outputBlock = new Function("nd", "__name", `"use strict"; return (function gufuncOutput(result, check, input) {
  let value = result;
  // Unknown loop sizes (NaN) are the input block's (one input: its loop axes come first).
  const shape = check.shape.map((n, a) => (Number.isNaN(n) && input !== undefined ? input.shape[a] : n));
  if (check.part === null) {
    if (Array.isArray(result)) throw new Error(check.what + ": the signature has one output, but the function returned a list of " + result.length + " values");
  } else {
    if (!Array.isArray(result) || result.length !== check.count) {
      throw new Error(check.what + ": the signature has " + check.count + " outputs, so the function must return a list of " + check.count + " arrays, got " + (Array.isArray(result) ? "a list of " + result.length : typeof result));
    }
    value = result[check.part];
  }
  if (typeof value === "number") value = new nd.NDArray(new Float64Array([value]), [], { dtype: "float64" });
  else if (typeof value === "bigint") value = new nd.NDArray(new BigInt64Array([value]), [], { dtype: "int64" });
  else if (typeof value === "boolean") value = new nd.NDArray(new Uint8Array([value ? 1 : 0]), [], { dtype: "bool" });
  const which = check.part === null ? "its output" : "output #" + check.part;
  if (!(value instanceof nd.NDArray)) throw new Error(check.what + ": the function must return NDArrays, got " + (value === null ? "null" : typeof value) + " for " + which);
  if (value.shape.length !== shape.length || value.shape.some((n, a) => n !== shape[a])) {
    throw new Error(check.what + ": the function returned a block of shape [" + value.shape.join(", ") + "] for " + which + ", where the block's loop shape and the core sizes give [" + shape.join(", ") + "]");
  }
  return value.dtype === check.dtype ? value : nd.astype(value, check.dtype);
});`)(nd, (f: unknown) => f) as (result: unknown, check: OutputCheck) => nd.NDArray;

const outputBlockRef: FunctionRef = functionRefOf(outputBlock);

/** The user's call per loop block: the blockwise call, the loop chunks and its result's bytes per loop cell. */
export interface GufuncCall {
  call: BlockwiseExpr;
  name: string;
  loopChunks: Chunks;
  /** All outputs' bytes per cell of the loop grid (each output's itemsize × its core size). */
  bytesPerLoopCell: number;
  count: number;
  what: string;
}

class GufuncOutputExpr implements ArrayExpr {
  readonly kind = "gufunc-output";
  constructor(readonly gufunc: GufuncCall, readonly part: number | null, readonly coreShape: readonly number[]) {}

  get inputs(): ArrayNode[] {
    return this.gufunc.call.inputs;
  }

  /** The call's arguments and block-info request, read by the unknown-sizes guard as a blockwise's. */
  get args(): BlockwiseExpr["args"] {
    return this.gufunc.call.args;
  }

  get info(): BlockwiseExpr["info"] {
    return this.gufunc.call.info;
  }

  lower(self: ArrayNode, ctx: LowerContext): void {
    const { call, name, loopChunks, bytesPerLoopCell, count, what } = this.gufunc;
    const argOffsets = call.argOffsets();
    const offsets = chunkOffsets(loopChunks);
    for (const index of blockIndices(blockCounts(loopChunks))) {
      const { start, stop } = blockRegion(offsets, index);
      const loopShape = stop.map((s, a) => s - start[a]);
      const key = `${name}-${index.join(".")}`;
      if (!ctx.graph.tasks.has(key)) {
        const args = call.blockOperands(index, argOffsets, ctx);
        if (call.options !== undefined) args.push(call.options);
        const cells = loopShape.reduce((a, b) => a * b, 1);
        ctx.addTask(key, { fn: call.fn, args }, { array: self, outputBytes: cells * bytesPerLoopCell, blockwise: true });
      }
      const check: OutputCheck = { part: this.part, count, shape: [...loopShape, ...this.coreShape], dtype: self.dtype, what };
      const args: unknown[] = [new TaskRef(key), check];
      // Unknown loop sizes come from one input (applyGufunc refuses more): its block says them.
      const input = call.inputs[0];
      if (input !== undefined && hasUnknownChunks(input.chunks)) args.push(blockInput(ctx, input, input.shape.map((_, a) => index[a] ?? 0)));
      ctx.addBlock(self, [...index, ...this.coreShape.map(() => 0)], { fn: outputBlockRef, args });
    }
  }
}

/** The output arrays' nodes (loop axes first, then the core axes, each core axis one chunk). */
export function gufuncOutputNodes(gufunc: GufuncCall, coreShapes: readonly number[][], dtypes: readonly DType[], direct: boolean): ArrayNode[] {
  const [prefix, token] = [gufunc.name.slice(0, gufunc.name.lastIndexOf("-")), gufunc.name.slice(gufunc.name.lastIndexOf("-") + 1)];
  return coreShapes.map((core, i) => {
    const chunks: Chunks = [...gufunc.loopChunks.map((sizes) => [...sizes]), ...core.map((n) => [n])];
    return {
      name: `${prefix}_${i}-${tokenize(token, i)}`,
      shape: chunks.map((sizes) => sizes.reduce((a, b) => a + b, 0)),
      chunks, dtype: dtypes[i], expr: new GufuncOutputExpr(gufunc, direct ? null : i, core),
    };
  });
}

/** An output's bytes per cell of the loop grid. */
export const bytesPerLoopCell = (dtype: DType, core: readonly number[]): number => dtypeInfo(dtype).itemsize * core.reduce((a, b) => a * b, 1);
