/**
 * Separable minimum and maximum filters: one pass per axis with size > 1, in axis order, each
 * pass reading the previous result stored in the output dtype (scipy's `_min_or_max_filter`
 * with `size` or an all-true footprint, then `minimum_filter1d` / `maximum_filter1d`).
 *
 * scipy computes each line with Richard Harter's MINLIST (a monotone deque in a ring) on float64
 * line buffers extended by the boundary mode (cval used as a double, not cast). Without NaN its
 * output is the window's extreme value, and among equal extremes (+0 and −0) the rightmost one.
 * The fast loops here reproduce exactly that (folding left to right, a later value wins ties).
 * With NaN the deque's answer depends on the line's history, so those inputs run a port of the
 * deque itself over whole lines; an `outputRegion` then still equals slicing the full result.
 *
 * `outputRegion` is planned backwards, as separable.ts does for correlations: each pass is
 * computed only on the box the next pass reads.
 */
import { type DType } from "../ndarray/dtype.js";
import { NDArray, allocate, cStrides, shapeSize } from "../ndarray/ndarray.js";
import { sourceRange, sourceIndex } from "./boundary.js";
import { type StoreRule, storeDoubles, storeRuleOf } from "./c-cast.js";
import type { Backend, BoundaryMode, NumericArray, OutputRegion } from "./options.js";
import { type Cells, foldKernel, laneKindFor, staging } from "./simd-kernels.js";
import { foldRows, foldWindows, minListLine, vanHerkRows } from "./min-max-windows.js";

export interface MinMaxPass {
  readonly axis: number;
  readonly size: number;
  readonly origin: number;
  readonly mode: BoundaryMode;
}

interface Box {
  readonly start: readonly number[];
  readonly stop: readonly number[];
}

/** Cells of a (partial) array: local index i on axis a is global index origin[a] + i. */
interface PassSource {
  readonly data: NumericArray;
  readonly strides: readonly number[];
  readonly offset: number;
  readonly origin: readonly number[];
}

function before(pass: MinMaxPass): number {
  return Math.floor(pass.size / 2) + pass.origin;
}

/** Cells read on each side of a pass (the halo a block needs on its axis). */
export function passReach(pass: MinMaxPass): number {
  const ahead = before(pass);
  return Math.max(ahead, pass.size - 1 - ahead, 0);
}

/** Whether values can hold NaN (then the exact deque runs): float data with a NaN, or a NaN cval. */
export function mayHoldNaN(input: NDArray, cval: number, passes: readonly MinMaxPass[]): boolean {
  if (Number.isNaN(cval) && passes.some((p) => p.mode === "constant")) return true;
  if (input.dtype !== "float32" && input.dtype !== "float64") return false;
  const data = input.toTypedArray() as Float64Array;
  for (let i = 0; i < data.length; i++) if (data[i] !== data[i]) return true;
  return false;
}

export function runMinMaxPasses(
  input: NDArray, passes: readonly MinMaxPass[], minimum: boolean, cval: number, outputDtype: DType, region: OutputRegion, backend: Backend,
): NDArray {
  const exact = mayHoldNaN(input, cval, passes);
  // The intermediate passes hold output-dtype values: SIMD lanes must hold those exactly too.
  const inputLanes = exact ? null : laneKindFor(input.dtype, backend);
  const outputLanes = exact ? null : laneKindFor(outputDtype, backend);
  const lanes = inputLanes === "f32" && outputLanes === "f32" ? "f32" : inputLanes === null || outputLanes === null ? null : "f64";
  const boxes = planBoxes(input.shape, passes, region, exact);
  let source: PassSource = { data: input.data as NumericArray, strides: input.strides, offset: input.offset, origin: input.shape.map(() => 0) };
  let result: NDArray | null = null;
  passes.forEach((pass, k) => {
    const box = boxes[k];
    const shape = box.start.map((s, a) => box.stop[a] - s);
    const target = allocate(outputDtype, shapeSize(shape)) as NumericArray;
    const lineLength = input.shape[pass.axis];
    const rule = storeRuleOf(outputDtype);
    // cval enters the line buffers as a double: float32 lanes only when it is a float32 value.
    const simd = lanes === null || pass.size > maxSimdWindow ? null : lanes === "f32" && Math.fround(cval) !== cval ? "f64" : lanes;
    if (exact) runExactPass(source, pass, lineLength, box, target, minimum, cval, rule);
    else if (pass.axis === input.ndim - 1) runLastAxisPass(source, pass, lineLength, box, target, minimum, cval, rule, simd);
    else runRowPass(source, pass, lineLength, box, target, minimum, cval, rule, simd);
    source = { data: target, strides: cStrides(shape), offset: 0, origin: box.start };
    result = new NDArray(target, shape, { dtype: outputDtype });
  });
  return result as unknown as NDArray;
}

/** The box each pass computes, last pass first: the region, widened on each axis by what the later passes read. */
function planBoxes(shape: readonly number[], passes: readonly MinMaxPass[], region: OutputRegion, exact: boolean): Box[] {
  const boxes = new Array<Box>(passes.length);
  let start = [...region.start];
  let stop = [...region.stop];
  for (let k = passes.length - 1; k >= 0; k--) {
    boxes[k] = { start, stop };
    const pass = passes[k];
    const axis = pass.axis;
    // The exact deque runs whole lines (its answer depends on the line's start).
    const first = exact ? 0 : start[axis];
    const last = exact ? shape[axis] - 1 : stop[axis] - 1;
    const [low, high] = sourceRange(first - before(pass), last + pass.size - 1 - before(pass), shape[axis], pass.mode);
    start = [...start];
    stop = [...stop];
    start[axis] = low;
    stop[axis] = Math.max(high, low);
  }
  return boxes;
}

/** For extended positions p = 0…count−1 starting at global index `first`: the source's local row, or −1 (cval). */
function rowMap(first: number, count: number, n: number, mode: BoundaryMode, origin: number): Int32Array {
  const rows = new Int32Array(count);
  for (let p = 0; p < count; p++) {
    const g = sourceIndex(first + p, n, mode);
    rows[p] = g < 0 ? -1 : g - origin;
  }
  return rows;
}

/** Visits the flat start (source and target) of every line along `axis` in the box. */
function forEachLine(source: PassSource, targetStrides: readonly number[], box: Box, skip: number[],
  visit: (sourceBase: number, targetBase: number) => void): void {
  const ndim = box.start.length;
  const outer = [...Array(ndim).keys()].filter((a) => !skip.includes(a));
  const position = [...box.start];
  for (;;) {
    let sourceBase = source.offset;
    let targetBase = 0;
    for (const a of outer) {
      sourceBase += (position[a] - source.origin[a]) * source.strides[a];
      targetBase += (position[a] - box.start[a]) * targetStrides[a];
    }
    visit(sourceBase, targetBase);
    let k = outer.length - 1;
    for (; k >= 0; k--) {
      const a = outer[k];
      if (++position[a] < box.stop[a]) break;
      position[a] = box.start[a];
    }
    if (k < 0) return;
  }
}

function gatherLine(data: NumericArray, base: number, stride: number, rows: Int32Array, cval: number, into: Float64Array): void {
  for (let p = 0; p < rows.length; p++) {
    const r = rows[p];
    into[p] = r < 0 ? cval : data[base + r * stride];
  }
}

function storeStrided(target: NumericArray, base: number, stride: number, values: Float64Array, count: number, rule: StoreRule, scratch: NumericArray): void {
  storeDoubles(scratch, 0, values, count, rule);
  for (let i = 0; i < count; i++) target[base + i * stride] = scratch[i];
}

/** The deque port over whole lines (NaN present). */
function runExactPass(source: PassSource, pass: MinMaxPass, n: number, box: Box, target: NumericArray, minimum: boolean, cval: number, rule: StoreRule): void {
  const { axis, size } = pass;
  const targetStrides = cStrides(box.start.map((s, a) => box.stop[a] - s));
  const rows = rowMap(-before(pass), n + size - 1, n, pass.mode, source.origin[axis]);
  const extended = new Float64Array(rows.length);
  const line = new Float64Array(n);
  const scratch = new (target.constructor as Float64ArrayConstructor)(n);
  const keep = box.stop[axis] - box.start[axis];
  forEachLine(source, targetStrides, box, [axis], (sourceBase, targetBase) => {
    gatherLine(source.data, sourceBase, source.strides[axis], rows, cval, extended);
    minListLine(extended, n, size, minimum, line);
    storeStrided(target, targetBase, targetStrides[axis], line.subarray(box.start[axis]), keep, rule, scratch);
  });
}

/** Lines along the last axis (NaN-free): gather each extended line, fold every window. */
function runLastAxisPass(
  source: PassSource, pass: MinMaxPass, n: number, box: Box, target: NumericArray, minimum: boolean, cval: number, rule: StoreRule,
  simd: "f32" | "f64" | null,
): void {
  const { axis, size } = pass;
  const targetStrides = cStrides(box.start.map((s, a) => box.stop[a] - s));
  const count = box.stop[axis] - box.start[axis];
  const rows = rowMap(box.start[axis] - before(pass), count + size - 1, n, pass.mode, source.origin[axis]);
  const stage = simd === null ? null : staging(simd, 1, rows.length, count);
  const kernel = simd === null ? null : foldKernel(minimum ? "minLater" : "maxLater", windowCells(size, false), simd);
  const extended = stage?.rows[0] ?? new Float64Array(rows.length);
  const line = new Float64Array(count);
  const stride = source.strides[axis];
  // The extended positions inside the line read consecutive cells: copy them in one call.
  const first = box.start[axis] - before(pass);
  const runStart = Math.max(0, -first);
  const runStop = Math.max(runStart, Math.min(rows.length, n - first));
  const direct = stride === 1 && runStop - runStart > 8;
  forEachLine(source, targetStrides, box, [axis], (sourceBase, targetBase) => {
    if (direct) {
      for (let p = 0; p < runStart; p++) extended[p] = rows[p] < 0 ? cval : source.data[sourceBase + rows[p]];
      const from = sourceBase + rows[runStart];
      extended.set(source.data.subarray(from, from + runStop - runStart), runStart);
      for (let p = runStop; p < rows.length; p++) extended[p] = rows[p] < 0 ? cval : source.data[sourceBase + rows[p]];
    } else {
      for (let p = 0; p < rows.length; p++) extended[p] = rows[p] < 0 ? cval : source.data[sourceBase + rows[p] * stride];
    }
    if (kernel !== null && stage !== null) {
      kernel(stage.rowAddresses, stage.outAddress, stage.groups);
      storeDoubles(target, targetBase, stage.out, count, rule);
    } else {
      foldWindows(extended as Float64Array, count, size, minimum, line);
      storeDoubles(target, targetBase, line, count, rule);
    }
  });
}

/** The cells of a window of `size`: along one row (shifts 0…size−1) or down `size` rows (shift 0). */
function windowCells(size: number, acrossRows: boolean): Cells {
  return {
    rowOf: Int32Array.from({ length: size }, (_, j) => (acrossRows ? j : 0)),
    shift: Int32Array.from({ length: size }, (_, j) => (acrossRows ? 0 : j)),
    rows: acrossRows ? size : 1,
  };
}

/** Windows up to this length fold in SIMD (beyond, van Herk's three comparisons per cell win). */
const maxSimdWindow = 24;

/**
 * Lines along an earlier axis (NaN-free): whole rows of the last axis at a time. The extended
 * rows of one plane are converted to float64 once each and every output row folds `size` of them.
 */
function runRowPass(
  source: PassSource, pass: MinMaxPass, n: number, box: Box, target: NumericArray, minimum: boolean, cval: number, rule: StoreRule,
  simd: "f32" | "f64" | null,
): void {
  const { axis, size } = pass;
  const ndim = box.start.length;
  const last = ndim - 1;
  const shape = box.start.map((s, a) => box.stop[a] - s);
  const targetStrides = cStrides(shape);
  const count = shape[axis];
  const width = shape[last];
  const rows = rowMap(box.start[axis] - before(pass), count + size - 1, n, pass.mode, source.origin[axis]);
  const stage = simd === null ? null : staging(simd, rows.length, width, width);
  const kernel = simd === null ? null : foldKernel(minimum ? "minLater" : "maxLater", windowCells(size, true), simd);
  const planeRows = new Float64Array(stage === null ? rows.length * width : 0);
  const acc = new Float64Array(width);
  const laneStride = source.strides[last];
  const axisStride = source.strides[axis];
  const laneOffset = (box.start[last] - source.origin[last]) * laneStride;
  const large = size >= 8;
  const blockRows = large && stage === null ? new Float64Array(rows.length * width * 2) : null;
  forEachLine(source, targetStrides, box, [axis, last], (sourceBase, targetBase) => {
    for (let p = 0; p < rows.length; p++) {
      const r = rows[p];
      const into = stage === null ? planeRows.subarray(p * width, (p + 1) * width) : stage.rows[p];
      if (r < 0) {
        into.fill(cval);
      } else if (laneStride === 1) {
        const from = sourceBase + r * axisStride + laneOffset;
        into.set(source.data.subarray(from, from + width));
      } else {
        let s = sourceBase + r * axisStride + laneOffset;
        for (let t = 0; t < width; t++, s += laneStride) into[t] = source.data[s];
      }
    }
    if (kernel !== null && stage !== null) {
      for (let i = 0; i < count; i++) {
        kernel(stage.rowAddresses.slice(i, i + size), stage.outAddress, stage.groups);
        storeDoubles(target, targetBase + i * targetStrides[axis], stage.out, width, rule);
      }
      return;
    }
    if (blockRows !== null) {
      vanHerkRows(planeRows, rows.length, width, count, size, minimum, blockRows, target, targetBase, targetStrides[axis], rule);
      return;
    }
    for (let i = 0; i < count; i++) {
      foldRows(planeRows, i * width, width, size, minimum, acc);
      storeDoubles(target, targetBase + i * targetStrides[axis], acc, width, rule);
    }
  });
}

