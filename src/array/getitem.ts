/**
 * `x.get(...index)`: NumPy indexing of a lazy array (index forms: index-parse.ts), built in
 * the order NumPy's result is defined:
 *   1. integers and slices as a view (unit steps) or a strided copy within blocks;
 *   2. the one integer list or mask, on the axes step 1 kept whole (take.ts, mask-select.ts);
 *   3. new axes (`null`) inserted;
 *   4. the selected axis moved first when NumPy says so (advanced indices not adjacent).
 * Steps 3 and 4 are blockwise, so fusion folds them into the tasks before them.
 */
import { tokenize } from "../core/ids.js";
import { functionRefOf } from "../graph/function-travel.js";
import * as nd from "../ndarray/index.js";
import { resolveSlice, type SliceSpec } from "../ndarray/slice.js";
import { BlockwiseExpr } from "./blockwise.js";
import type { Chunks } from "./chunks.js";
import type { ArrayNode } from "./expr.js";
import { parseIndex } from "./index-parse.js";
import { maskSelectNode } from "./mask-select.js";
import { takeNode } from "./take.js";
import { SliceExpr, slicedChunks, stridedSliceNode } from "./views.js";

type Stride = { first: number; count: number; step: number } | null;

/** Integers and slices per input axis: a view, plus a strided copy where steps are not 1. */
export function basicSelect(input: ArrayNode, axes: ReadonlyArray<{ index: number } | { slice: SliceSpec }>): ArrayNode {
  if (axes.every((item, axis) => "slice" in item && Object.keys(item.slice).length === 0 && axis < input.shape.length)) return input;
  const selection: Array<{ index: number } | { start: number; length: number }> = [];
  const strides: Stride[] = [];
  axes.forEach((item, axis) => {
    if ("index" in item) {
      selection.push({ index: item.index });
      return;
    }
    const { start: first, step, count } = resolveSlice(item.slice, input.shape[axis], axis);
    if (step === 1) {
      selection.push({ start: first, length: count });
      return;
    }
    // Cover the selected range with a view, then step inside it.
    const lo = count === 0 ? 0 : step > 0 ? first : first + (count - 1) * step;
    const span = count === 0 ? 0 : Math.abs((count - 1) * step) + 1;
    selection.push({ start: lo, length: span });
    strides[selection.length - 1] = { first: step > 0 ? 0 : span - 1, count, step };
  });
  const shape: number[] = [];
  const chunks: Chunks = [];
  const keptStrides: Stride[] = [];
  selection.forEach((item, axis) => {
    if ("index" in item) return;
    shape.push(item.length);
    chunks.push(slicedChunks(input.chunks[axis], item.start, item.length));
    keptStrides.push(strides[axis] ?? null);
  });
  const view: ArrayNode = { name: `getitem-${tokenize(input.name, selection)}`, shape, chunks, dtype: input.dtype, expr: new SliceExpr(input, selection) };
  if (keptStrides.every((s) => s === null)) return view;
  return stridedSliceNode(view, keptStrides);
}

/** The array with its axes in `order` (output axis i is input axis order[i]). */
export function permuteAxes(input: ArrayNode, order: readonly number[]): ArrayNode {
  if (order.every((a, i) => a === i)) return input;
  const inverse = order.map((_, i) => order.indexOf(i));
  return {
    name: `transpose-${tokenize(input.name, order)}`, shape: order.map((a) => input.shape[a]), chunks: order.map((a) => [...input.chunks[a]]), dtype: input.dtype,
    expr: new BlockwiseExpr(functionRefOf(nd.transpose), [{ array: input, axes: inverse }], { axes: [...order] }),
  };
}

/** New axes of length 1 at the given output positions. */
export function insertAxes(input: ArrayNode, positions: readonly number[]): ArrayNode {
  if (positions.length === 0) return input;
  const ndim = input.shape.length + positions.length;
  const shape: number[] = [];
  const chunks: Chunks = [];
  const axes: number[] = [];
  for (let out = 0, source = 0; out < ndim; out++) {
    if (positions.includes(out)) {
      shape.push(1);
      chunks.push([1]);
    } else {
      shape.push(input.shape[source]);
      chunks.push([...input.chunks[source]]);
      axes.push(out);
      source++;
    }
  }
  return {
    name: `expand-dims-${tokenize(input.name, positions)}`, shape, chunks, dtype: input.dtype,
    expr: new BlockwiseExpr(functionRefOf(nd.expandDims), [{ array: input, axes }], { axis: [...positions] }),
  };
}

/**
 * The axes at `positions` (each of length 1) removed, block by block: for arrays of unknown
 * sizes, whose integer indexing (the view squeeze is otherwise) needs offsets they lack.
 */
export function squeezeAxes(input: ArrayNode, positions: readonly number[]): ArrayNode {
  const kept = input.shape.map((_, a) => a).filter((a) => !positions.includes(a));
  return {
    name: `squeeze-${tokenize(input.name, positions)}`, shape: kept.map((a) => input.shape[a]), chunks: kept.map((a) => [...input.chunks[a]]), dtype: input.dtype,
    expr: new BlockwiseExpr(functionRefOf(nd.squeeze), [{ array: input, axes: input.shape.map((_, a) => kept.indexOf(a)) }], { axis: [...positions] }),
  };
}

export function getItem(input: ArrayNode, items: readonly unknown[], warn: (message: string) => void): ArrayNode {
  const parsed = parseIndex(items, input.shape);
  let node = basicSelect(input, parsed.axes);
  const { advanced } = parsed;
  if (advanced) {
    // Its position among the axes the basic step kept (integers before it dropped theirs).
    const axis = parsed.axes.slice(0, advanced.axis).filter((item) => "slice" in item).length;
    node = advanced.kind === "take" ? takeNode(node, axis, advanced.indices, warn) : maskSelectNode(node, axis, advanced.mask);
  }
  node = insertAxes(node, parsed.layout.flatMap((slot, position) => (slot === "new" ? [position] : [])));
  if (parsed.advancedFirst) {
    const at = parsed.layout.indexOf("advanced");
    node = permuteAxes(node, [at, ...parsed.layout.map((_, i) => i).filter((i) => i !== at)]);
  }
  return node;
}
