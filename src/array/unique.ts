/**
 * dask.array.unique and union1d: the input is ravelled (Dask's reshape chunks), each block
 * gives its own unique values with their first flat index and counts, then one task merges
 * them all (Dask's single concatenating task) into the sorted distinct values of the whole:
 * a single block of unknown size, and the first indices and counts beside it when asked. The
 * inverse (each element's position among the values) keeps the ravelled input's chunks, one
 * task per block searching the values. Values follow NumPy where Dask's aggregate does not:
 * NaNs collapse into one value whose count is the number of NaNs (Dask's counts it 0).
 */
import { InvalidOptionError } from "../core/errors.js";
import { tokenize } from "../core/ids.js";
import { functionRefOf } from "../graph/function-travel.js";
import { promoteTypes } from "../ndarray/promotion.js";
import { pickItem, uniqueAggregate, uniqueInverse, uniquePartial } from "../ndarray/unknown-size-blocks.js";
import { refuseUnknownKeys } from "../ndarray/option-keys.js";
import type { UniqueOptions } from "../ndarray/unique.js";
import { TaskRef } from "../protocol/payload.js";
import { LazyArray } from "./array.js";
import { blockCounts, chunkOffsets } from "./chunks.js";
import type { ArrayExpr, ArrayNode, LowerContext } from "./expr.js";
import { PerBlockExpr } from "./per-block.js";
import { reshapeNode } from "./reshape.js";
import { blockInput, hasUnknownChunks, refuseUnknownSizes } from "./unknown-chunks.js";

const partialRef = functionRefOf(uniquePartial);
const aggregateRef = functionRefOf(uniqueAggregate);
const pickRef = functionRefOf(pickItem);

/** One output of the merge: its item `which` ([values, first index, counts]). */
class UniqueExpr implements ArrayExpr {
  readonly kind = "unique";
  constructor(readonly inputs: readonly ArrayNode[], readonly token: string, readonly which: number) {}

  lower(self: ArrayNode, ctx: LowerContext): void {
    const aggregateKey = `unique-aggregate-${this.token}`;
    if (!ctx.graph.tasks.has(aggregateKey)) {
      const parts: TaskRef[] = [];
      let before = 0;
      this.inputs.forEach((input, k) => {
        const offsets = chunkOffsets(input.chunks)[0];
        for (let i = 0; i < blockCounts(input.chunks)[0]; i++) {
          const key = `unique-part-${this.token}-${k}.${i}`;
          // Unknown offsets only where no first index is asked (the caller refuses the rest).
          const offset = Number.isNaN(before + offsets[i]) ? 0 : before + offsets[i];
          ctx.addTask(key, { fn: partialRef, args: [blockInput(ctx, input, [i]), offset] }, { array: input, outputBytes: 0 });
          parts.push(new TaskRef(key));
        }
        before += input.shape[0];
      });
      ctx.addTask(aggregateKey, { fn: aggregateRef, args: parts }, { array: self, outputBytes: 0 });
    }
    ctx.addBlock(self, [0], { fn: pickRef, args: [new TaskRef(aggregateKey), this.which] });
  }
}

function ravelled(a: unknown, what: string): ArrayNode {
  if (!(a instanceof LazyArray)) throw new InvalidOptionError(`${what}: expected a tessera array, got ${String(a)}`);
  if (a.ndim === 1) return a;
  refuseUnknownSizes(a, what);
  return reshapeNode(a, [-1]);
}

function uniqueOf(inputs: ArrayNode[], options: UniqueOptions, what: string): LazyArray[] {
  if (options === null || typeof options !== "object") throw new InvalidOptionError(`${what}: options must be an object such as { returnCounts: true }`);
  refuseUnknownKeys(options, ["returnIndex", "returnInverse", "returnCounts"], what);
  if (options.returnIndex && inputs.some((input) => hasUnknownChunks(input.chunks))) refuseUnknownSizes(inputs[0], `${what} with returnIndex`);
  const dtype = inputs.map((a) => a.dtype).reduce((a, b) => promoteTypes(a, b));
  const token = tokenize(inputs.map((a) => a.name), dtype);
  const output = (which: number, prefix: string, outDtype: ArrayNode["dtype"]) =>
    LazyArray.of({ name: `${prefix}-${token}`, shape: [NaN], chunks: [[NaN]], dtype: outDtype, expr: new UniqueExpr(inputs, token, which) });
  const values = output(0, "unique", dtype);
  const out = [values];
  if (options.returnIndex) out.push(output(1, "unique-index", "int64"));
  if (options.returnInverse) {
    const input = inputs[0];
    const expr = new PerBlockExpr(functionRefOf(uniqueInverse), [input, values], ([i]) => ({ blocks: [{ node: input, index: [i] }, { node: values, index: [0] }], args: [] }));
    out.push(LazyArray.of({ name: `unique-inverse-${token}`, shape: [...input.shape], chunks: [[...input.chunks[0]]], dtype: "int64", expr }));
  }
  if (options.returnCounts) out.push(output(2, "unique-counts", "int64"));
  return out;
}

/**
 * dask.array.unique: the sorted distinct values (a lazy array of unknown size), or, with any
 * of returnIndex / returnInverse / returnCounts, the list [values, index?, inverse?, counts?].
 */
export function unique(x: LazyArray, options: UniqueOptions = {}): LazyArray | LazyArray[] {
  const out = uniqueOf([ravelled(x, "unique")], options, "unique");
  return options.returnIndex || options.returnInverse || options.returnCounts ? out : out[0];
}

/** dask.array.union1d: the sorted distinct values of both arrays (ravelled). */
export function union1d(a: LazyArray, b: LazyArray): LazyArray {
  const dtype = promoteTypes(a.dtype, b.dtype);
  const cast = (x: LazyArray) => (x.dtype === dtype ? x : x.astype(dtype));
  return uniqueOf([ravelled(cast(a), "union1d"), ravelled(cast(b), "union1d")], {}, "union1d")[0];
}
