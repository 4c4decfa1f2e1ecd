/**
 * Runs a chain of axis passes (a separable filter) over an output region, doing only the work
 * that region needs ("shrinking passes"). Planning goes backwards from the requested box: pass k
 * must produce what pass k+1 reads, which is pass k+1's box with its own axis widened to the
 * cells its taps and boundary extension touch. So the first pass is computed on the region's
 * rows of its axis but every row the later axes read, the next pass on a smaller box, and so on.
 * Each output cell still sees the same operands in the same order as a full computation, so
 * the result equals filtering the whole array and slicing it, bit for bit.
 *
 * As in scipy, every pass stores its result in the output dtype before the next pass reads it.
 */
import { InvalidOptionError } from "../core/errors.js";
import { astype, setRegion } from "../ndarray/copy.js";
import { type DType } from "../ndarray/dtype.js";
import { type NDArray, shapeSize } from "../ndarray/ndarray.js";
import { outputArray } from "../ndarray/block-recycling.js";
import { slice } from "../ndarray/slice.js";
import { sourceRange } from "./boundary.js";
import { runJsChain } from "./js-pipeline.js";
import type { Backend, NumericArray, OutputRegion } from "./options.js";
import { type AxisPass, type PassBox, boxShape } from "./pass-geometry.js";
import { wasmInstance, wasmMemoryLimit } from "./wasm/wasm-instance.js";
import { planWasmChain, runWasmChain } from "./wasm-pipeline.js";
import { isWideDtype } from "./wide-cast.js";
import { runWideSeparable } from "./wide-separable.js";

export function runSeparable(
  input: NDArray, passes: readonly AxisPass[], outputDtype: DType, region: OutputRegion, backend: Backend,
): NDArray {
  return runSeparableWithin(input, passes, outputDtype, region, backend, wasmMemoryLimit);
}

/** runSeparable with an explicit cap on the WASM memory one chain may use (tests lower it). */
export function runSeparableWithin(
  input: NDArray, passes: readonly AxisPass[], outputDtype: DType, region: OutputRegion, backend: Backend, memoryLimit: number,
): NDArray {
  const shape = boxShape(region);
  if (passes.length === 0 || shapeSize(shape) === 0) return copyRegion(input, region, outputDtype);
  if (isWideDtype(input.dtype) || isWideDtype(outputDtype)) {
    return runWideSeparable(input, passes, outputDtype, region, backend, (i, p, d, r, b) => runSeparableWithin(i, p, d, r, b, memoryLimit));
  }
  const wasm = backend === "js" ? null : wasmInstance();
  if (backend === "wasm" && wasm === null) {
    throw new InvalidOptionError(`backend "wasm" is not available: this runtime has no WebAssembly SIMD; use "auto" or "js"`);
  }
  // Every element is written (by the chain, or by the two halves): a large result may take a
  // buffer a fused task used up (block-recycling.ts).
  const result = outputArray(shape, outputDtype);
  const { boxes, inputBox } = planBoxes(input.shape, passes, region);
  const plan = wasm === null ? null : planWasmChain(input, passes, boxes, inputBox, outputDtype);
  const axis = passes[passes.length - 1].axis;
  if (wasm === null || plan === null || (plan.bytes > memoryLimit && shape[axis] < 2)) {
    runJsChain(input, passes, boxes, outputDtype, result.data as NumericArray);
  } else if (plan.bytes <= memoryLimit) {
    runWasmChain(wasm, input, passes, boxes, inputBox, outputDtype, plan, result.data as NumericArray);
  } else {
    // Too large for one WASM memory: split the region along the last pass's axis (each half is
    // exact on its own; only the halo of the earlier passes is computed twice) and assemble.
    const middle = region.start[axis] + Math.floor(shape[axis] / 2);
    for (const [start, stop] of [[region.start[axis], middle], [middle, region.stop[axis]]]) {
      const part = { start: region.start.map((s, b) => (b === axis ? start : s)), stop: region.stop.map((s, b) => (b === axis ? stop : s)) };
      const piece = runSeparableWithin(input, passes, outputDtype, part, backend, memoryLimit);
      setRegion(result, part.start.map((s, b) => s - region.start[b]), piece);
    }
  }
  return result;
}

/** The box each pass must produce (last pass first) and the input box the first pass reads. */
export function planBoxes(fullShape: readonly number[], passes: readonly AxisPass[], region: OutputRegion): { boxes: PassBox[]; inputBox: PassBox } {
  const boxes = new Array<PassBox>(passes.length);
  let start = [...region.start];
  let stop = [...region.stop];
  for (let k = passes.length - 1; k >= 0; k--) {
    boxes[k] = { start, stop };
    const { axis, filter, mode } = passes[k];
    const computeStart = filter.cumulative ? 0 : start[axis];
    const [low, high] = sourceRange(computeStart - filter.before, stop[axis] - 1 + filter.after, fullShape[axis], mode);
    start = [...start];
    stop = [...stop];
    start[axis] = low;
    stop[axis] = high;
  }
  return { boxes, inputBox: { start, stop } };
}

/** scipy's `output[...] = input[...]` (no filtered axis): a copy of the region cast as NumPy casts. */
export function copyRegion(input: NDArray, region: OutputRegion, outputDtype: DType): NDArray {
  return astype(slice(input, ...region.start.map((start, axis) => ({ start, stop: region.stop[axis] }))), outputDtype);
}
