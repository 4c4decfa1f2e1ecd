/**
 * Runs a chain of passes inside the WASM instance's memory: the input box is copied in once (in its
 * dtype), every pass gathers, correlates and stores inside WASM (dtype conversions included), and
 * the final box is copied out once. JavaScript only walks the groups of lines.
 *
 * Memory layout for one call, 16-byte aligned areas:
 *   [weights | runs | running sums | line buffer | output tile | input box | box A | box B]
 * Pass k writes box A when k is even, box B when k is odd; pass k reads pass k−1's box. Box B
 * takes the input box's place when it fits there (only pass 0 reads the input box).
 */
import { type DType, dtypeInfo } from "../ndarray/dtype.js";
import { type NDArray, cStrides, shapeSize } from "../ndarray/ndarray.js";
import { copyStrided } from "../ndarray/strided-copy.js";
import type { LineFilter } from "./line-kernel.js";
import type { NumericArray } from "./options.js";
import {
  type AxisPass, type PassBox, type PassGeometry, boxShape, forEachPosition, passGeometry,
} from "./pass-geometry.js";
import type { PassCall, WasmInstance } from "./wasm/wasm-instance.js";

const dtypeCodes: Partial<Record<DType, number>> = {
  int8: 0, uint8: 1, int16: 2, uint16: 3, int32: 4, uint32: 5, float32: 6, float64: 7,
};

interface Area {
  readonly address: number;
  readonly bytes: number;
}

function align(bytes: number): number {
  return Math.ceil(bytes / 16) * 16;
}

function boxSize(box: PassBox): number {
  return shapeSize(boxShape(box));
}

/** Weights as the WASM kernels take them, and the count they expect. */
function kernelWeights(filter: LineFilter): { kind: number; values: Float64Array; count: number } {
  const kernel = filter.kernel;
  switch (kernel.kind) {
    case "symmetric":
    case "antisymmetric": {
      const values = new Float64Array(kernel.pairs.length + 1);
      values[0] = kernel.centre;
      values.set(kernel.pairs, 1);
      return { kind: kernel.kind === "symmetric" ? 0 : 1, values, count: values.length };
    }
    case "general":
      return { kind: 2, values: kernel.weights, count: kernel.weights.length };
    case "uniform":
      return { kind: 3, values: new Float64Array(0), count: kernel.size };
  }
}

/** Where one chain keeps everything in WASM memory, and how much memory that takes. */
export interface WasmChainPlan {
  readonly geometries: PassGeometry[];
  readonly weights: Area;
  readonly runs: Area;
  readonly sums: Area;
  readonly buffer: Area;
  readonly out: Area;
  readonly input: Area;
  /** Pass k writes boxes[k % 2]. */
  readonly boxes: readonly [Area, Area];
  readonly bytes: number;
}

/** Geometry and memory layout of a chain (the caller splits the region when `bytes` is too much). */
export function planWasmChain(
  input: NDArray, passes: readonly AxisPass[], boxes: readonly PassBox[], inputBox: PassBox, outputDtype: DType,
): WasmChainPlan {
  const geometries = passes.map((pass, k) =>
    passGeometry(pass, input.shape[pass.axis], boxSource(k === 0 ? inputBox : boxes[k - 1]), boxes[k]));
  let cursor = 0;
  const take = (bytes: number): Area => {
    const area = { address: cursor, bytes };
    cursor += align(bytes);
    return area;
  };
  const largest = (f: (g: PassGeometry, k: number) => number): number => Math.max(...geometries.map(f));
  const outItem = dtypeInfo(outputDtype).itemsize;
  const boxBytes = (parity: number): number =>
    Math.max(0, ...boxes.filter((_, k) => k % 2 === parity).map((box) => boxSize(box) * outItem));
  const weights = take(largest((_, k) => kernelWeights(passes[k].filter).values.length * 8));
  const runs = take(largest((g) => g.runs.length * 4));
  const sums = take(largest((g) => g.lanes * 8));
  const buffer = take(largest((g) => g.bufferRows * g.lanes * 8));
  const out = take(largest((g) => g.rows * g.lanes * 8));
  const inputArea = take(boxSize(inputBox) * dtypeInfo(input.dtype).itemsize);
  const boxA = take(boxBytes(0));
  // Only the first pass reads the input box, and it writes box A: box B (the second pass's
  // output, and every other pass's after it) can take the input's place when it fits there.
  // A memory grown for fewer bytes is fewer fresh pages to fault in on a thread's first large
  // chain (a third of a three-pass chain's memory; each fresh page costs more than the
  // filtering of it on a virtual machine whose host backs guest memory lazily).
  const fitsInInput = boxBytes(1) <= inputArea.bytes;
  const boxAreas: [Area, Area] = [boxA, fitsInInput ? { address: inputArea.address, bytes: boxBytes(1) } : take(boxBytes(1))];
  return { geometries, weights, runs, sums, buffer, out, input: inputArea, boxes: boxAreas, bytes: cursor };
}

function boxSource(box: PassBox): { shape: number[]; origin: readonly number[] } {
  return { shape: boxShape(box), origin: box.start };
}

export function runWasmChain(
  wasm: WasmInstance, input: NDArray, passes: readonly AxisPass[], boxes: readonly PassBox[], inputBox: PassBox,
  outputDtype: DType, plan: WasmChainPlan, result: NumericArray,
): void {
  const memory = wasm.reserve(plan.bytes);
  const inputArea = new Uint8Array(memory, plan.input.address, plan.input.bytes);
  let source: BoxInMemory = { address: plan.input.address, dtype: input.dtype, box: inputBox };
  passes.forEach((pass, k) => {
    const target = { address: plan.boxes[k % 2].address, dtype: outputDtype, box: boxes[k] };
    const { kind, values, count } = kernelWeights(pass.filter);
    new Float64Array(memory, plan.weights.address, values.length).set(values);
    const geometry = plan.geometries[k];
    new Int32Array(memory, plan.runs.address, geometry.runs.length).set(geometry.runs);
    const call: PassCall = {
      kind, centreRow: pass.filter.centreRow, weights: plan.weights.address, weightCount: count,
      src: 0, srcType: dtypeCodes[source.dtype] as number, srcRowStride: 0, srcLaneStride: 0, srcGroupStride: 0,
      runs: plan.runs.address, runCount: geometry.runs.length / 4, cval: pass.cval,
      lanes: geometry.lanes, rows: geometry.rows, skip: geometry.skip,
      dst: 0, dstType: dtypeCodes[outputDtype] as number, dstRowStride: 0, dstLaneStride: 0, dstGroupStride: 0,
      groups: 1, buffer: plan.buffer.address, out: plan.out.address, sums: plan.sums.address,
    };
    if (k > 0) {
      walkPass(wasm, call, pass.axis, source, target, geometry);
    } else {
      // The input box is copied in a slab of group rows at a time, each filtered by the first
      // pass right after: the first pass reads each line across the whole box (along the slowest
      // axis of a volume, one cache line per plane), and a slab just copied is still in the
      // core's own cache. Copying the whole box first left it to the shared last-level cache, and
      // on a machine with every core busy, to memory. The DoG's kernels on a 64×256×256 core
      // (bench/dog-kernel-copy, 16-core machine, medians of 2 rounds): alone 3.43 → 3.26 s,
      // beside 13 other copies 4.41 → 4.02 s.
      forEachSlab(boxes[0], groupAxisOf(pass.axis, inputBox.start.length), slabRows(inputBox, input.dtype, pass.axis), (slab) => {
        copyBoxIn(input, inputBox, slab.of(inputBox), inputArea);
        walkPass(wasm, call, pass.axis, source, target, geometry, slab.range);
      });
    }
    source = target;
  });
  const final = plan.boxes[(passes.length - 1) % 2];
  new Uint8Array(result.buffer, result.byteOffset, result.byteLength).set(new Uint8Array(memory, final.address, result.byteLength));
}

interface BoxInMemory {
  readonly address: number;
  readonly dtype: DType;
  readonly box: PassBox;
}

/** Bytes of input one slab of the first pass copies in: with its output and line buffer, well within a core's own (L2) cache. */
const slabBytes = 2 ** 20;

/** The axis whose lines a pass along `axis` walks as WASM groups (the innermost outer axis), or -1. */
function groupAxisOf(axis: number, ndim: number): number {
  const outer = [...Array(ndim).keys()].filter((b) => b !== axis && b !== ndim - 1);
  return outer.length > 0 ? outer[outer.length - 1] : -1;
}

/** Group rows per slab of the first pass: slabBytes of the input box, at least one. */
function slabRows(inputBox: PassBox, dtype: DType, axis: number): number {
  const group = groupAxisOf(axis, inputBox.start.length);
  if (group < 0) return Infinity;
  const shape = boxShape(inputBox);
  return Math.max(1, Math.floor(slabBytes / ((shapeSize(shape) / shape[group]) * dtypeInfo(dtype).itemsize)));
}

/** A range of group rows [start, stop) and the part of a box it covers. */
interface Slab {
  readonly range: readonly [number, number];
  of(box: PassBox): PassBox;
}

/** Visits `box` in slabs of `rows` along `axis` (the whole box at once when axis is -1). */
function forEachSlab(box: PassBox, axis: number, rows: number, visit: (slab: Slab) => void): void {
  if (axis < 0) {
    visit({ range: [0, 0], of: (whole) => whole });
    return;
  }
  for (let start = box.start[axis]; start < box.stop[axis]; start += rows) {
    const range = [start, Math.min(start + rows, box.stop[axis])] as const;
    visit({
      range,
      of: (whole) => ({ start: whole.start.map((s, b) => (b === axis ? range[0] : s)), stop: whole.stop.map((s, b) => (b === axis ? range[1] : s)) }),
    });
  }
}

/**
 * Calls the WASM pass once per group of lines along the innermost outer axis; with `groups`, only
 * for that range of the group axis (the first pass's slabs).
 */
function walkPass(
  wasm: WasmInstance, call: PassCall, axis: number, source: BoxInMemory, target: BoxInMemory, geometry: PassGeometry,
  groups?: readonly [number, number],
): void {
  const ndim = target.box.start.length;
  const last = ndim - 1;
  const srcItem = dtypeInfo(source.dtype).itemsize;
  const dstItem = dtypeInfo(target.dtype).itemsize;
  const srcStrides = cStrides(boxShape(source.box)).map((s) => s * srcItem);
  const dstStrides = cStrides(boxShape(target.box)).map((s) => s * dstItem);
  const outer = [...Array(ndim).keys()].filter((b) => b !== axis && b !== last);
  const groupAxis = outer.length > 0 ? outer[outer.length - 1] : -1;
  const rest = outer.slice(0, -1);
  const box = target.box;
  call.srcRowStride = srcStrides[axis];
  call.dstRowStride = dstStrides[axis];
  call.srcLaneStride = srcStrides[last];
  call.dstLaneStride = dstStrides[last];
  let srcGroupStart = 0;
  let dstGroupStart = 0;
  if (groupAxis >= 0) {
    const [from, to] = groups ?? [box.start[groupAxis], box.stop[groupAxis]];
    call.groups = to - from;
    call.srcGroupStride = srcStrides[groupAxis];
    call.dstGroupStride = dstStrides[groupAxis];
    srcGroupStart = (from - source.box.start[groupAxis]) * srcStrides[groupAxis];
    dstGroupStart = (from - box.start[groupAxis]) * dstStrides[groupAxis];
  }
  forEachPosition(rest, box, (position) => {
    let src = source.address + srcGroupStart;
    let dst = target.address + dstGroupStart;
    for (const b of outer) {
      src += (position[b] - source.box.start[b]) * srcStrides[b];
      dst += (position[b] - box.start[b]) * dstStrides[b];
    }
    if (axis === last) {
      call.src = src;
      call.dst = dst;
      wasm.pass(call);
      return;
    }
    for (let x0 = box.start[last]; x0 < box.stop[last]; x0 += geometry.lanes) {
      call.lanes = Math.min(geometry.lanes, box.stop[last] - x0);
      call.src = src + (x0 - source.box.start[last]) * srcStrides[last];
      call.dst = dst + (x0 - box.start[last]) * dstStrides[last];
      wasm.pass(call);
    }
  });
}

/** Copies the input cells of `part` (within `box`) to their places in `target`, a C-ordered array of the input's dtype holding `box`. */
function copyBoxIn(input: NDArray, box: PassBox, part: PassBox, target: Uint8Array): void {
  const info = dtypeInfo(input.dtype);
  const strides = cStrides(boxShape(box));
  const elements = new (info.array as Float64ArrayConstructor)(target.buffer, target.byteOffset, target.length / info.itemsize);
  let offset = input.offset;
  let targetOffset = 0;
  for (let b = 0; b < input.ndim; b++) {
    offset += part.start[b] * input.strides[b];
    targetOffset += (part.start[b] - box.start[b]) * strides[b];
  }
  copyStrided({ data: input.data, strides: input.strides, offset }, { data: elements, strides, offset: targetOffset }, boxShape(part));
}
