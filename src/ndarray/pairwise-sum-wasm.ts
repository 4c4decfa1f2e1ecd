/**
 * NumPy's float64 sum of a contiguous run (pairwise_sum in loops_utils.h, cut into blocks of
 * NPY_BUFSIZE = 8192 added in order to an accumulator starting at 0; reduction-kernels.ts
 * describes it) in WebAssembly SIMD, over a scratch area in the module's own memory.
 *
 * Why: the fused x + x.T partial (reduceElementwisePartial in tree-reduction.ts) writes the
 * elementwise result to scratch and sums it; the JS pairwise loop took ~0.3 ms of the ~0.95 ms
 * per 500² float64 block. Writing the elementwise result straight into this module's memory and
 * summing it here with f64x2 lanes does the same additions in the same order: NumPy's eight
 * partial sums r0..r7 are the lanes of four f64x2 accumulators (each lane adds exactly the
 * elements its scalar would), combined as ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)), then the tail.
 *
 * The memory is this thread's second scratch buffer: it grows to the largest block summed (never
 * beyond scratchKeepCap, scratch-buffer.ts), and releaseScratch() lets it go with the other.
 * A second instance stages contiguous float64 runs for plain sums (pairwiseSumStaged): one
 * fixed 64 KiB page, kept for the thread's life and not counted with the scratch.
 */
import { type WasmFunction, floatBytes, instantiate, moduleBytes, op, signedLeb, type, unsignedLeb } from "./wasm-module-builder.js";

/** NumPy's NPY_BUFSIZE: the elements one inner-loop call of a reduction sees. */
const reductionBlockSize = 8192;
const pageBytes = 65536;

interface PairwiseExports {
  readonly memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
  pairwise(byteOffset: number, count: number): number;
}

const simd = (code: number, ...immediates: number[]) => [op.simd, ...unsignedLeb(code), ...immediates];
const v128Load = (offset: number) => simd(0x00, 4, ...unsignedLeb(offset));
const f64x2Add = simd(0xf0);
const f64x2Lane = (lane: number) => simd(0x21, lane);

/** pairwise(p, n): locals p 0, n 1, res 2 (f64), q 3, end 4, half 5 (i32), lanes 6–9 (v128). */
function pairwiseFunction(): WasmFunction {
  const get = (local: number) => [op.localGet, local];
  const set = (local: number) => [op.localSet, local];
  const i32 = (value: number) => [op.i32Const, ...signedLeb(value)];
  // while (q < end) { res = res + f64[q]; q += 8 }
  const scalarTail = [
    op.block, op.void, op.loop, op.void,
    ...get(3), ...get(4), op.i32GeU, op.brIf, 1,
    ...get(2), ...get(3), op.f64Load, 3, 0, op.f64Add, ...set(2),
    ...get(3), ...i32(8), op.i32Add, ...set(3),
    op.br, 0,
    op.end, op.end,
  ];
  const endAt = (countCode: number[]) => [...get(0), ...countCode, ...i32(3), op.i32Shl, op.i32Add, ...set(4)];
  const lanePair = (local: number) => [...get(local), ...f64x2Lane(0), ...get(local), ...f64x2Lane(1), op.f64Add];
  const code = [
    // n < 8: a plain loop from 0
    ...get(1), ...i32(8), op.i32LtS, op.if, op.void,
    op.f64Const, ...floatBytes(0, false), ...set(2),
    ...get(0), ...set(3), ...endAt(get(1)),
    ...scalarTail,
    ...get(2), op.return,
    op.end,
    // n <= 128: eight partial sums (four f64x2), combined pairwise, then the tail
    ...get(1), ...i32(128), op.i32LeS, op.if, op.void,
    ...[6, 7, 8, 9].flatMap((local, i) => [...get(0), ...v128Load(16 * i), ...set(local)]),
    ...endAt([...get(1), ...i32(-8), op.i32And]),
    ...get(0), ...i32(64), op.i32Add, ...set(3),
    op.block, op.void, op.loop, op.void,
    ...get(3), ...get(4), op.i32GeU, op.brIf, 1,
    ...[6, 7, 8, 9].flatMap((local, i) => [...get(local), ...get(3), ...v128Load(16 * i), ...f64x2Add, ...set(local)]),
    ...get(3), ...i32(64), op.i32Add, ...set(3),
    op.br, 0,
    op.end, op.end,
    ...lanePair(6), ...lanePair(7), op.f64Add, ...lanePair(8), ...lanePair(9), op.f64Add, op.f64Add, ...set(2),
    ...endAt(get(1)),
    ...scalarTail,
    ...get(2), op.return,
    op.end,
    // two halves, the first a multiple of 8 long
    ...get(1), ...i32(1), op.i32ShrU, ...i32(-8), op.i32And, ...set(5),
    ...get(0), ...get(5), op.call, 0,
    ...get(0), ...get(5), ...i32(3), op.i32Shl, op.i32Add, ...get(1), ...get(5), op.i32Sub, op.call, 0,
    op.f64Add,
    op.end,
  ];
  return { name: "pairwise", params: [type.i32, type.i32], results: [type.f64], locals: [[1, type.f64], [3, type.i32], [4, type.v128]], code };
}

let instance: PairwiseExports | null | undefined;

function pairwiseInstance(): PairwiseExports | null {
  if (instance === undefined) instance = instantiate<PairwiseExports>(moduleBytes(1, [pairwiseFunction()]));
  return instance;
}

/**
 * A second instance of the module, for staging: its one 64 KiB page holds one block of a run
 * being summed (pairwiseSumStaged). Apart from the scratch instance so that a sum never
 * overwrites an elementwise result waiting in the scratch, and fixed at one page (it never
 * grows, and is not part of the scratch the thread's cap bounds).
 */
let staging: { exports: PairwiseExports; view: Float64Array } | null | undefined;
/** Blocks summed through the staging instance in this thread (which sums took the WebAssembly path). */
let stagedBlocks = 0;

/** Blocks pairwiseSumStaged has summed in this thread so far. */
export function stagedBlockCount(): number {
  return stagedBlocks;
}

function stagingInstance(): { exports: PairwiseExports; view: Float64Array } | null {
  if (staging === undefined) {
    const exports = instantiate<PairwiseExports>(moduleBytes(1, [pairwiseFunction()]));
    staging = exports && { exports, view: new Float64Array(exports.memory.buffer, 0, reductionBlockSize) };
  }
  return staging;
}

/** Whether this runtime runs the module (WebAssembly with SIMD). */
export function wasmPairwiseAvailable(): boolean {
  // Asks the staging instance (one fixed page), so that asking never makes the scratch.
  return stagingInstance() !== null;
}

/**
 * A Float64Array of `count` elements over the module's memory (contents undefined), valid
 * until the next call here or releaseWasmScratch(); null where the module cannot run.
 */
export function wasmScratch(count: number): Float64Array | null {
  const exports = pairwiseInstance();
  if (!exports) return null;
  const missing = count * 8 - exports.memory.buffer.byteLength;
  if (missing > 0) exports.memory.grow(Math.ceil(missing / pageBytes));
  return new Float64Array(exports.memory.buffer, 0, count);
}

/** NumPy's sum of the first `count` values of wasmScratch (call wasmScratch first). */
export function sumWasmScratch(count: number): number {
  const exports = pairwiseInstance();
  if (!exports) throw new Error("sumWasmScratch: this runtime cannot run the WebAssembly pairwise sum");
  let acc = 0;
  for (let at = 0; at < count; at += reductionBlockSize) acc += exports.pairwise(at * 8, Math.min(reductionBlockSize, count - at));
  return acc;
}

/**
 * NumPy's pairwise sum of `count` (at most 8192, one NPY_BUFSIZE block) consecutive elements
 * of `data` from `start`: the block copied into the staging module's memory, then summed there.
 *
 * Why: the JS pairwise loop over a contiguous float64 run (the sum in every chunked mean and
 * sum of a float64 block) took ~0.13 ms per 500² block from cache (NumPy ~0.05) and ~0.30 ms
 * on persisted blocks read from memory (NumPy ~0.20), ~80% of a fused mean group task's CPU.
 * The 64 KiB copy streams the block at memory speed into a buffer that stays in the core's
 * cache, and the SIMD sum of that buffer is ~4× faster than the JS loop: ~0.11 ms from cache,
 * the same additions in the same order. Callers check wasmPairwiseAvailable() first.
 */
export function pairwiseSumStaged(data: Float64Array, start: number, count: number): number {
  const stage = stagingInstance();
  if (!stage) throw new Error("pairwiseSumStaged: this runtime cannot run the WebAssembly pairwise sum");
  if (!(count <= reductionBlockSize)) throw new RangeError(`pairwiseSumStaged: ${count} elements exceed one block of ${reductionBlockSize}`);
  stage.view.set(data.subarray(start, start + count));
  stagedBlocks++;
  return stage.exports.pairwise(0, count);
}

/** Bytes the module's memory holds once wasmScratch(count) has run (whole 64 KiB pages, at least one). */
export function wasmScratchBytesFor(count: number): number {
  return Math.max(1, Math.ceil((count * 8) / pageBytes)) * pageBytes;
}

/** Bytes the module's memory holds now (0 when not instantiated). */
export function wasmScratchBytes(): number {
  return instance ? instance.memory.buffer.byteLength : 0;
}

/** Lets the module and its memory go; the next use instantiates it again. */
export function releaseWasmScratch(): void {
  instance = undefined;
}
