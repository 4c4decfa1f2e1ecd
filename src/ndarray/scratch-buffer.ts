/**
 * One reusable buffer per thread for results that never leave a kernel (the elementwise
 * result that a fused reduction reads once, reduce-elementwise in tree-reduction.ts).
 *
 * Why: a fresh block costs more than the arithmetic on it. Every new buffer of a few MB is
 * new memory from the system, and the first write to each of its pages faults: measured
 * 0.6 ms for 2 MB (a 500² float64 block), against 0.2 ms for the addition that fills it.
 * Reusing one buffer pays the faults once per thread. The buffer is private (not shared
 * memory): what is built on it must not outlive the kernel call that asked for it, so the
 * caller copies anything it returns that still points into it.
 *
 * The WebAssembly pairwise sum (pairwise-sum-wasm.ts) keeps a second such buffer, its module's
 * memory, under the same cap; releasing the scratch lets both go, and the held bytes count both.
 */
import { type DType, dtypeInfo } from "./dtype.js";
import { NDArray, type Shape, shapeSize } from "./ndarray.js";
import { releaseWasmScratch, wasmScratchBytes } from "./pairwise-sum-wasm.js";

/** Buffers larger than this are not kept between calls (a thread holds at most this much). */
export const scratchKeepBytes = 64 * 2 ** 20;

let kept: ArrayBuffer | null = null;
/** This thread's cap: scratchKeepBytes, or less on a worker with little memory per thread. */
let keepCap = scratchKeepBytes;

/** Caps the buffer this thread keeps (bytes, at most scratchKeepBytes); a larger kept buffer is let go now. */
export function setScratchKeepCap(bytes: number): void {
  if (!(bytes >= 0)) throw new RangeError(`scratch buffer cap ${JSON.stringify(bytes)} must be a number of bytes, 0 or more`);
  keepCap = Math.min(scratchKeepBytes, Math.floor(bytes));
  if (kept && kept.byteLength > keepCap) kept = null;
  if (wasmScratchBytes() > keepCap) releaseWasmScratch();
}

/** Lets the kept buffer go (the worker asks when its memory is above target); the next call allocates again. */
export function releaseScratch(): void {
  kept = null;
  releaseWasmScratch();
}

/** This thread's cap on the kept buffer (for tests and reports). */
export function scratchKeepCap(): number {
  return keepCap;
}

/** Bytes of the buffer this thread keeps now (for tests and reports). */
export function scratchHeldBytes(): number {
  return (kept?.byteLength ?? 0) + wasmScratchBytes();
}

/**
 * A C-contiguous array of `shape` and `dtype` over this thread's scratch buffer (contents
 * undefined). Valid until the next call; larger than this thread's cap, a buffer of its own.
 */
export function scratchArray(shape: Shape, dtype: DType): NDArray {
  const info = dtypeInfo(dtype);
  const size = shapeSize(shape);
  const bytes = Math.max(size * info.itemsize, 8);
  let buffer: ArrayBuffer;
  if (bytes > keepCap) buffer = new ArrayBuffer(bytes);
  else {
    if (!kept || kept.byteLength < bytes) kept = new ArrayBuffer(Math.max(bytes, kept?.byteLength ?? 0));
    buffer = kept;
  }
  return new NDArray(new (info.array as Float64ArrayConstructor)(buffer, 0, size), shape, { dtype });
}

/** True when `array` lives in the scratch buffer (so it must be copied before it is kept). */
export function inScratch(array: NDArray): boolean {
  return kept !== null && array.storage.buffer === kept;
}
