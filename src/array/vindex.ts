/**
 * Pointwise indexing, dask.array's `x.vindex[...]` (2022.12), spelt `x.vindex(...)`: integer
 * arrays over several axes are broadcast together and pick one element (or row) per point, as
 * NumPy's advanced indexing with several arrays does (`x.vindex([0, 1, 2], [0, 1, 2])` is the
 * diagonal). Integers and slices apply first (`x.get(...)`); the result has the broadcast
 * shape of the index arrays first, then the axes the slices kept, in order — Dask's layout
 * (NumPy would sometimes keep the points in place). As in Dask, the points form one chunk,
 * the other axes keep theirs: each block holding points gives its points' rows (one task per
 * block, holding that block), and one merge per block of the other axes orders them.
 *
 * Refused by name, as Dask refuses them: `null` (newaxis), boolean indexes, lazy arrays as
 * indexes (compute them first), indexes out of bounds, slices only (unless they are all
 * whole, which gives `x`), index arrays that do not broadcast. Complex arrays are refused
 * (index their real and imaginary parts).
 */
import { InvalidOptionError } from "../core/errors.js";
import { refuseUnknownOptions } from "./option-checks.js";
import { tokenize } from "../core/ids.js";
import { functionRefOf } from "../graph/function-travel.js";
import { dtypeInfo, isIntegerDType } from "../ndarray/dtype.js";
import { NDArray } from "../ndarray/ndarray.js";
import type { SliceSpec } from "../ndarray/slice.js";
import { vindexMerge, vindexSlice } from "../ndarray/vindex-blocks.js";
import { TaskRef } from "../protocol/payload.js";
import { LazyArray } from "./array.js";
import { blockIndices, blockOf, chunkOffsets } from "./chunks.js";
import type { ArrayExpr, ArrayNode, LowerContext } from "./expr.js";
import { blockInput, hasUnknownChunks } from "./unknown-chunks.js";

/** An integer, a slice (`":"` or { start, stop, step }), `"..."`, or an integer index array (nested lists or an integer NDArray). */
export type VindexItem = number | bigint | ":" | "..." | SliceSpec | NDArray | readonly unknown[];

const sliceRef = functionRefOf(vindexSlice);
const mergeRef = functionRefOf(vindexMerge);

/** An index array's shape and values, read from nested lists or an integer NDArray. */
function readIndexArray(item: NDArray | readonly unknown[], position: number): { shape: number[]; values: number[] } {
  if (item instanceof NDArray) {
    if (item.dtype === "bool") throw new InvalidOptionError("vindex: does not support indexing with boolean arrays");
    if (!isIntegerDType(item.dtype)) throw new InvalidOptionError(`vindex: index ${position} is an array of ${item.dtype}; arrays used as indices must be of integer type`);
    return { shape: [...item.shape], values: Array.from(item.toTypedArray() as ArrayLike<number | bigint>, Number) };
  }
  const shape: number[] = [];
  for (let level: unknown = item; Array.isArray(level); level = level[0]) shape.push(level.length);
  const values: number[] = [];
  const walk = (level: unknown, depth: number): void => {
    if (depth === shape.length) {
      if (typeof level === "boolean") throw new InvalidOptionError("vindex: does not support indexing with boolean arrays");
      const value = typeof level === "bigint" ? Number(level) : level;
      if (typeof value !== "number" || !Number.isInteger(value)) throw new InvalidOptionError(`vindex: index ${position} holds ${String(level)}; arrays used as indices must be of integer type`);
      values.push(value);
      return;
    }
    if (!Array.isArray(level) || level.length !== shape[depth]) throw new InvalidOptionError(`vindex: index ${position} is a ragged nested list; give lists of equal lengths at each level`);
    for (const inner of level) walk(inner, depth + 1);
  };
  walk(item, 0);
  return { shape, values };
}

/** NumPy's broadcast shape of the index arrays, or NumPy's IndexError naming their shapes. */
function broadcastShape(shapes: readonly number[][]): number[] {
  const ndim = Math.max(...shapes.map((s) => s.length));
  const out = new Array<number>(ndim).fill(1);
  for (const shape of shapes) {
    shape.forEach((n, i) => {
      const at = ndim - shape.length + i;
      if (out[at] === 1) out[at] = n;
      else if (n !== 1 && n !== out[at]) {
        throw new InvalidOptionError(`vindex: shape mismatch: indexing arrays could not be broadcast together with shapes ${shapes.map((s) => `(${s.join(",")}${s.length === 1 ? "," : ""})`).join(" ")}`);
      }
    });
  }
  return out;
}

/** The values of an index array at every position of `shape` (which it broadcasts to), in C order. */
function broadcastValues(index: { shape: number[]; values: number[] }, shape: readonly number[]): number[] {
  const total = shape.reduce((a, b) => a * b, 1);
  const lead = shape.length - index.shape.length;
  const strides = new Array<number>(shape.length).fill(0);
  for (let axis = index.shape.length - 1, step = 1; axis >= 0; step *= index.shape[axis], axis--) {
    strides[lead + axis] = index.shape[axis] === 1 ? 0 : step;
  }
  const out = new Array<number>(total);
  for (let flat = 0; flat < total; flat++) {
    let rest = flat;
    let source = 0;
    for (let axis = shape.length - 1; axis >= 0; axis--) {
      source += (rest % shape[axis]) * strides[axis];
      rest = Math.floor(rest / shape[axis]);
    }
    out[flat] = index.values[source];
  }
  return out;
}

interface BlockPoints {
  /** The block's index along each indexed axis. */
  block: number[];
  /** The points' positions in the result. */
  locations: number[];
  /** Per indexed axis, each point's position inside the block. */
  coords: number[][];
}

class VindexExpr implements ArrayExpr {
  readonly kind = "vindex";
  constructor(readonly x: ArrayNode, readonly indexedAxes: readonly number[], readonly perBlock: readonly BlockPoints[]) {}
  get inputs(): ArrayNode[] {
    return [this.x];
  }

  lower(self: ArrayNode, ctx: LowerContext): void {
    const { x, indexedAxes, perBlock } = this;
    const otherAxes = x.shape.map((_, axis) => axis).filter((axis) => !indexedAxes.includes(axis));
    const itemsize = dtypeInfo(x.dtype).itemsize;
    for (const other of blockIndices(otherAxes.map((axis) => x.chunks[axis].length))) {
      const rest = otherAxes.map((axis, k) => x.chunks[axis][other[k]]);
      const rowBytes = rest.reduce((a, b) => a * b, itemsize);
      const slices = perBlock.map((points, i) => {
        const index = x.shape.map((_, axis) => (indexedAxes.includes(axis) ? points.block[indexedAxes.indexOf(axis)] : other[otherAxes.indexOf(axis)]));
        const key = `${self.name}-slice-${i}-${other.join("-")}`;
        ctx.addTask(key, { fn: sliceRef, args: [blockInput(ctx, x, index), points.coords, indexedAxes] }, { array: x, outputBytes: points.locations.length * rowBytes });
        return new TaskRef(key);
      });
      ctx.addBlock(self, [0, ...other], { fn: mergeRef, args: [perBlock.map((points) => points.locations), slices, rest, x.dtype] });
    }
  }
}

function isSlice(item: unknown): item is ":" | SliceSpec {
  return item === ":" || (typeof item === "object" && item !== null && !Array.isArray(item) && !(item instanceof NDArray) && !(item instanceof LazyArray));
}

function isWholeSlice(item: ":" | SliceSpec, length: number): boolean {
  if (item === ":") return true;
  const step = item.step ?? 1;
  const start = item.start ?? (step > 0 ? 0 : length - 1);
  const stop = item.stop ?? (step > 0 ? length : -length - 1);
  return step === 1 && (start === 0 || start <= -length) && stop >= length;
}

/** Dask's `x.vindex[...]`: pointwise indexing with broadcasting (see the module comment). */
export function vindex(x: LazyArray, ...index: VindexItem[]): LazyArray {
  if (!(x instanceof LazyArray)) throw new InvalidOptionError(`vindex: expected a tessera array, got ${String(x)}`);
  if (index.some((item) => item === null)) throw new InvalidOptionError("vindex: does not support indexing with None (np.newaxis); add the axis with expandDims first");
  if (index.some((item) => item instanceof LazyArray)) throw new InvalidOptionError("vindex: does not support indexing with lazy arrays; compute the index first");
  if (index.some((item) => typeof item === "boolean")) throw new InvalidOptionError("vindex: does not support indexing with boolean arrays");
  if (x.dtype === "complex64" || x.dtype === "complex128") throw new InvalidOptionError(`vindex: pointwise indexing of ${x.dtype} is not supported; index the real and imaginary parts (ta.real, ta.imag) separately`);
  // A misspelt slice ({ strat: 1 }) would otherwise read as ":".
  index.forEach((item, position) => {
    if (isSlice(item) && item !== ":") refuseUnknownOptions(`vindex index ${position} slice`, item, ["start", "stop", "step"]);
  });
  const ellipses = index.filter((item) => item === "...").length;
  if (ellipses > 1) throw new InvalidOptionError("vindex: an index can only have a single ellipsis ('...')");
  const given = index.length - ellipses;
  if (given > x.ndim) throw new InvalidOptionError(`vindex: too many indices for an array of ${x.ndim} axes: ${given} were given`);
  const at = index.indexOf("...");
  const items: VindexItem[] = at < 0 ? [...index] : [...index.slice(0, at), ...new Array<VindexItem>(x.ndim - given).fill(":"), ...index.slice(at + 1)];
  if (items.every(isSlice)) {
    if (items.every((item, axis) => isWholeSlice(item as ":" | SliceSpec, x.shape[axis]))) return x;
    throw new InvalidOptionError("vindex: requires at least one non-slice to vectorize over when the slices are not over the entire array (i.e, x[:]); use x.get(...) for slices only");
  }
  if (hasUnknownChunks(x.chunks)) throw new InvalidOptionError("vindex: the array has unknown chunk sizes; call computeChunkSizes() first");
  // Integers and slices first, as Dask's _vindex: the index arrays then select on what is left.
  const basic = items.map((item) => (typeof item === "number" || typeof item === "bigint" || isSlice(item) ? item : ":"));
  const reduced = x.get(...(basic as Array<number | bigint | ":" | SliceSpec>));
  const arrays: Array<{ axis: number; index: { shape: number[]; values: number[] } }> = [];
  let axis = 0;
  items.forEach((item, position) => {
    if (typeof item === "number" || typeof item === "bigint") return;
    if (!isSlice(item)) arrays.push({ axis, index: readIndexArray(item as NDArray | readonly unknown[], position) });
    axis++;
  });
  const shape = broadcastShape(arrays.map(({ index }) => index.shape));
  const indexedAxes = arrays.map(({ axis: a }) => a);
  const flat = arrays.map(({ axis: a, index }) => broadcastValues(index, shape).map((value) => {
    const size = reduced.shape[a];
    if (value >= size || value < -size) throw new InvalidOptionError(`vindex: key has entries out of bounds for indexing along axis ${a} of size ${size}: ${value}`);
    return value < 0 ? value + size : value;
  }));
  const points = shape.reduce((a, b) => a * b, 1);
  const offsets = chunkOffsets(reduced.chunks);
  const byBlock = new Map<string, BlockPoints>();
  for (let p = 0; p < points; p++) {
    const block = indexedAxes.map((a, k) => blockOf(offsets[a], flat[k][p]));
    const key = block.join(",");
    let entry = byBlock.get(key);
    if (!entry) byBlock.set(key, (entry = { block, locations: [], coords: indexedAxes.map(() => []) }));
    entry.locations.push(p);
    indexedAxes.forEach((a, k) => entry.coords[k].push(flat[k][p] - offsets[a][block[k]]));
  }
  const otherAxes = reduced.shape.map((_, a) => a).filter((a) => !indexedAxes.includes(a));
  const name = `vindex-merge-${tokenize(reduced.name, indexedAxes, flat)}`;
  const chunks = [[points], ...otherAxes.map((a) => [...reduced.chunks[a]])];
  const merged = new LazyArray(name, [points, ...otherAxes.map((a) => reduced.shape[a])], chunks, reduced.dtype, new VindexExpr(reduced, indexedAxes, [...byBlock.values()]));
  return shape.length === 1 ? merged : merged.reshape([...shape, ...merged.shape.slice(1)]);
}
