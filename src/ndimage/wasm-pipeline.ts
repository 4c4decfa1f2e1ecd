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
  copyBoxIn(input, inputBox, new Uint8Array(memory, plan.input.address, plan.input.bytes));
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
    walkPass(wasm, call, pass.axis, source, target, geometry);
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

/** Calls the WASM pass once per group of lines along the innermost outer axis. */
function walkPass(wasm: WasmInstance, call: PassCall, axis: number, source: BoxInMemory, target: BoxInMemory, geometry: PassGeometry): void {
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
  if (groupAxis >= 0) {
    call.groups = box.stop[groupAxis] - box.start[groupAxis];
    call.srcGroupStride = srcStrides[groupAxis];
    call.dstGroupStride = dstStrides[groupAxis];
  }
  forEachPosition(rest, box, (position) => {
    let src = source.address;
    let dst = target.address;
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

/** Copies the input cells of `box` into `target` as a C-ordered array of the input's dtype. */
function copyBoxIn(input: NDArray, box: PassBox, target: Uint8Array): void {
  const info = dtypeInfo(input.dtype);
  const shape = boxShape(box);
  const elements = new (info.array as Float64ArrayConstructor)(target.buffer, target.byteOffset, target.length / info.itemsize);
  let offset = input.offset;
  for (let b = 0; b < input.ndim; b++) offset += box.start[b] * input.strides[b];
  copyStrided({ data: input.data, strides: input.strides, offset }, { data: elements, strides: cStrides(shape), offset: 0 }, shape);
}
