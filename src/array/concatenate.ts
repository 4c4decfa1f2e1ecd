/**
 * concatenate and stack, as dask.array does them: every input is cast to the promoted dtype,
 * the chunks of the other axes are unified (common refinement, as views), empty inputs are
 * dropped, and the joined axis takes the inputs' chunks one after the other. A block of the
 * result is a block of one input, so the join is a view: a region inside one input reads
 * from it directly, and only a region across inputs (a halo, say) becomes a task of its own.
 * stack inserts the new axis (chunks of 1) in each input, then concatenates along it.
 */
import { InvalidOptionError } from "../core/errors.js";
import { refuseUnknownSizes } from "./unknown-chunks.js";
import { tokenize } from "../core/ids.js";
import * as nd from "../ndarray/index.js";
import { promoteTypes } from "../ndarray/promotion.js";
import { blockCounts, blockIndices, blockRegion, chunkOffsets, sameChunks, type Chunks } from "./chunks.js";
import { isArrayNode, refineChunks } from "./broadcasting.js";
import { elementwiseNode } from "./elementwise.js";
import type { ArrayExpr, ArrayNode, LowerContext, ViewMapping } from "./expr.js";
import { insertAxes } from "./getitem.js";
import { RechunkExpr } from "./views.js";

function normalizeJoinAxis(axis: number, ndim: number, what: string): number {
  const a = axis < 0 ? axis + ndim : axis;
  if (!Number.isInteger(axis)) throw new InvalidOptionError(`${what}: axis ${JSON.stringify(axis)} must be an integer (pass the axis itself, not an options object)`);
  if (a < 0 || a >= ndim) throw new InvalidOptionError(`${what}: axis ${axis} is out of bounds for arrays of ${ndim} axes`);
  return a;
}

class ConcatenateExpr implements ArrayExpr {
  readonly kind = "concatenate";
  /** Start of each input along the joined axis, plus the end (made once: every block's region asks). */
  private readonly starts: number[];

  constructor(readonly inputs: readonly ArrayNode[], readonly axis: number) {
    this.starts = [0];
    for (const input of inputs) this.starts.push(this.starts[this.starts.length - 1] + input.shape[axis]);
  }

  /**
   * The first non-empty input whose range along the joined axis holds [lo, hi), or -1 (a
   * stack of 200,000 arrays has as many inputs, and each of its blocks asks): the inputs
   * ending at or after hi come from the first found by binary search (ends only grow), and of
   * those the ones starting at or before lo follow it.
   */
  private inputAt(lo: number, hi: number): number {
    const { starts } = this;
    const count = this.inputs.length;
    let first = 0;
    let last = count;
    while (first < last) {
      const mid = (first + last) >> 1;
      if (starts[mid + 1] >= hi) last = mid;
      else first = mid + 1;
    }
    for (let at = first; at < count && starts[at] <= lo; at++) if (starts[at + 1] > starts[at]) return at;
    return -1;
  }

  view(self: ArrayNode, start: readonly number[], stop: readonly number[]): ViewMapping | undefined {
    const { axis, starts } = this;
    // Padding past the joined axis's ends follows the whole array, not one input.
    if (start[axis] < 0 || stop[axis] > self.shape[axis]) return undefined;
    const at = this.inputAt(start[axis], stop[axis]);
    if (at < 0) return undefined;
    const shift = (values: readonly number[]) => values.map((v, a) => (a === axis ? v - starts[at] : v));
    return { input: this.inputs[at], start: shift(start), stop: shift(stop), axisMap: start.map((_, a) => a) };
  }

  lower(self: ArrayNode, ctx: LowerContext): void {
    const offsets = chunkOffsets(self.chunks);
    const { starts } = this;
    for (const index of blockIndices(blockCounts(self.chunks))) {
      const { start, stop } = blockRegion(offsets, index);
      const at = this.inputAt(start[this.axis], stop[this.axis]);
      const input = this.inputs[Math.max(at, 0)];
      const shift = (values: readonly number[]) => values.map((v, a) => (a === this.axis ? v - starts[Math.max(at, 0)] : v));
      ctx.addBlock(self, index, ctx.region(input, shift(start), shift(stop)));
    }
  }
}

export function concatenateNodes(arrays: readonly unknown[], axis = 0, what = "concatenate"): ArrayNode {
  if (!Array.isArray(arrays) || arrays.length === 0) throw new InvalidOptionError(`${what}: needs a non-empty list of arrays`);
  arrays.forEach((array, i) => {
    if (!isArrayNode(array)) throw new InvalidOptionError(`${what}: item ${i} is not a tessera array (wrap NDArrays with ta.fromArray)`);
  });
  const nodes = arrays as ArrayNode[];
  const ndim = nodes[0].shape.length;
  if (ndim === 0) throw new InvalidOptionError(`${what}: zero-dimensional arrays cannot be concatenated`);
  const joinAxis = normalizeJoinAxis(axis, ndim, what);
  nodes.forEach((node, i) => {
    if (node.shape.length !== ndim) {
      throw new InvalidOptionError(`${what}: all the input arrays must have the same number of dimensions, but the array at index 0 has ${ndim} and the array at index ${i} has ${node.shape.length}`);
    }
    node.shape.forEach((n, a) => {
      if (a !== joinAxis && n !== nodes[0].shape[a]) {
        throw new InvalidOptionError(
          `${what}: all the input array dimensions except for the concatenation axis must match exactly, but along dimension ${a}, the array at index 0 has size ${nodes[0].shape[a]} and the array at index ${i} has size ${n}`,
        );
      }
    });
  });
  const dtype = nodes.map((node) => node.dtype).reduce((a, b) => promoteTypes(a, b));
  const shape = nodes[0].shape.map((n, a) => (a === joinAxis ? nodes.reduce((total, node) => total + node.shape[a], 0) : n));
  // Empty inputs add nothing (Dask drops them too); if all are empty, all are kept.
  // NaN sizes would read as empty below: refused first.
  nodes.forEach((node) => refuseUnknownSizes(node, what));
  const kept = nodes.filter((node) => node.shape.every((n) => n > 0));
  const used = kept.length > 0 ? kept : nodes;
  const common: Chunks = shape.map((_, a) => (a === joinAxis ? [] : refineChunks(used.map((node) => node.chunks[a]))));
  const prepared = used.map((node) => {
    const cast = node.dtype === dtype ? node : elementwiseNode(nd.astype, [node], dtype, { dtype });
    const wanted = cast.chunks.map((sizes, a) => (a === joinAxis ? sizes : common[a]));
    if (sameChunks(wanted, cast.chunks)) return cast;
    return { name: `rechunk-${tokenize(cast.name, wanted)}`, shape: cast.shape, chunks: wanted, dtype, expr: new RechunkExpr(cast) } satisfies ArrayNode;
  });
  if (prepared.length === 1 && shape.every((n, a) => n === prepared[0].shape[a])) return prepared[0];
  const chunks = common.map((sizes, a) => (a === joinAxis ? prepared.flatMap((node) => node.chunks[a]) : sizes));
  return { name: `${what}-${tokenize(prepared.map((node) => node.name), joinAxis)}`, shape, chunks, dtype, expr: new ConcatenateExpr(prepared, joinAxis) };
}

export function stackNodes(arrays: readonly unknown[], axis = 0): ArrayNode {
  if (!Array.isArray(arrays) || arrays.length === 0) throw new InvalidOptionError("stack: needs a non-empty list of arrays");
  arrays.forEach((array, i) => {
    if (!isArrayNode(array)) throw new InvalidOptionError(`stack: item ${i} is not a tessera array (wrap NDArrays with ta.fromArray)`);
    refuseUnknownSizes(array, "stack");
  });
  const nodes = arrays as ArrayNode[];
  const shape = nodes[0].shape;
  nodes.forEach((node, i) => {
    if (node.shape.length !== shape.length || node.shape.some((n, a) => n !== shape[a])) {
      throw new InvalidOptionError(`stack: all input arrays must have the same shape; the array at index 0 has [${shape.join(", ")}] and the array at index ${i} has [${node.shape.join(", ")}]`);
    }
  });
  const newAxis = normalizeJoinAxis(axis, shape.length + 1, "stack");
  return concatenateNodes(nodes.map((node) => insertAxes(node, [newAxis])), newAxis, "stack");
}
