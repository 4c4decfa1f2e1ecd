/**
 * Lazy evenly spaced values: `arange` and `linspace`, chunked like any created array ("auto"
 * by default), each block computing its own piece so the whole equals NumPy's values exactly
 * (ndarray/ranges.ts). Unlike Dask, which restarts the arithmetic at every block, no block's
 * values depend on where the chunk boundaries fall.
 */
import { InvalidOptionError } from "../core/errors.js";
import { tokenize } from "../core/ids.js";
import { functionRefOf } from "../graph/function-travel.js";
import * as nd from "../ndarray/index.js";
import { type DType, dtypeInfo, toDType } from "../ndarray/dtype.js";
import { blockCounts, blockIndices, chunkOffsets, normalizeChunks, type ChunkSpec } from "./chunks.js";
import type { ArrayExpr, ArrayNode, LowerContext } from "./expr.js";
import { refuseUnknownOptions } from "./option-checks.js";

export interface RangeOptions {
  chunks?: ChunkSpec;
  /** Default float64: JS numbers do not say whether they were written as integers. */
  dtype?: DType | string;
}

class RangeExpr implements ArrayExpr {
  readonly kind = "range";
  readonly inputs = [];
  constructor(readonly piece: (offset: number, count: number, dtype: DType) => { fn: unknown; options: Record<string, unknown> }) {}

  lower(self: ArrayNode, ctx: LowerContext): void {
    const offsets = chunkOffsets(self.chunks)[0];
    for (const [i] of blockIndices(blockCounts(self.chunks))) {
      const { fn, options } = this.piece(offsets[i], offsets[i + 1] - offsets[i], self.dtype);
      // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
      ctx.addBlock(self, [i], { fn: functionRefOf(fn as Function), args: [options] });
    }
  }
}

/** `arange(stop)`, `arange(start, stop)` or `arange(start, stop, step)`, options last. */
export function arangeNode(args: ReadonlyArray<number | RangeOptions | undefined>): ArrayNode {
  const numbers = args.filter((a): a is number => typeof a === "number");
  const last = args[args.length - 1];
  const options: RangeOptions = last !== undefined && typeof last === "object" ? last : {};
  if (args.some((a, i) => typeof a !== "number" && !(i === args.length - 1 && typeof a === "object"))) {
    throw new InvalidOptionError(`arange: expected numbers (start, stop, step) and an optional { chunks, dtype } last, got ${JSON.stringify(args)}`);
  }
  if (numbers.length < 1 || numbers.length > 3) throw new InvalidOptionError(`arange: expected (stop), (start, stop) or (start, stop, step), got ${numbers.length} numbers`);
  refuseUnknownOptions("arange", options, ["chunks", "dtype"]);
  const [start, stop, step] = numbers.length === 1 ? [0, numbers[0], 1] : [numbers[0], numbers[1], numbers[2] ?? 1];
  if (step === 0) throw new InvalidOptionError("arange: step must not be 0");
  if (![start, stop, step].every(Number.isFinite)) throw new InvalidOptionError(`arange: start ${start}, stop ${stop} and step ${step} must be finite`);
  const dtype = toDType(options.dtype ?? "float64", "arange dtype");
  if (dtype === "bool") throw new InvalidOptionError("arange: a bool range is not supported; use another dtype");
  const length = Math.max(0, Math.ceil((stop - start) / step));
  const chunks = normalizeChunks(options.chunks ?? "auto", [length], dtypeInfo(dtype).itemsize, undefined, "arange");
  return {
    name: `arange-${tokenize(start, stop, step, chunks, dtype)}`, shape: [length], chunks, dtype,
    expr: new RangeExpr((offset, count) => ({ fn: nd.arangeBlock, options: { start, step, offset, count, dtype } })),
  };
}

export interface LinspaceRangeOptions extends RangeOptions {
  endpoint?: boolean;
}

/** `linspace(start, stop, num = 50, { endpoint, dtype, chunks })`. */
export function linspaceNode(start: number, stop: number, num = 50, options: LinspaceRangeOptions = {}): ArrayNode {
  if (typeof start !== "number" || typeof stop !== "number" || !Number.isFinite(start) || !Number.isFinite(stop)) {
    throw new InvalidOptionError(`linspace: start and stop must be finite numbers, got ${String(start)} and ${String(stop)}`);
  }
  if (!Number.isSafeInteger(num) || num < 0) throw new InvalidOptionError(`linspace: the number of samples ${num} must be a non-negative integer`);
  refuseUnknownOptions("linspace", options, ["chunks", "dtype", "endpoint"]);
  const dtype = toDType(options.dtype ?? "float64", "linspace dtype");
  const endpoint = options.endpoint ?? true;
  const chunks = normalizeChunks(options.chunks ?? "auto", [num], dtypeInfo(dtype).itemsize, undefined, "linspace");
  return {
    name: `linspace-${tokenize(start, stop, num, endpoint, chunks, dtype)}`, shape: [num], chunks, dtype,
    expr: new RangeExpr((offset, count) => ({ fn: nd.linspaceBlock, options: { start, stop, num, endpoint, offset, count, dtype } })),
  };
}
