/**
 * What a compute thread does once, before its worker joins the scheduler (thread-pool.ts
 * ready()): instantiate the codecs and kernels every array task uses, and run each once on a
 * small buffer, so that the first real task does not pay for it.
 *
 * Measured on the DoG (one grouped task of 32 × 256 × 256 uint16 on a fresh thread): the
 * first task took ~120 ms more CPU than the next, of ~180 ms: the LZ4 encoder was then
 * numcodecs' WebAssembly module, instantiated on the first encode (~50 ms), and the Blosc
 * shuffles, LZ4 and the Gaussian chain run their first calls unoptimised. On a small volume
 * each worker runs one or two tasks, so that was a third of the work. The warm-up costs a
 * few tens of milliseconds per thread, once, while the worker starts.
 *
 * Nothing here may fail a thread: a codec or kernel that cannot start here fails the task
 * that uses it, with that task's error, as before.
 */
import { decodeBloscFrame, encodeBloscFrame } from "../../zarr/blosc-frame.js";
import { gaussianFilter } from "../../ndimage/gaussian.js";
import { NDArray, allocate } from "../../ndarray/ndarray.js";

/** Cells of the warm-up volume: enough rows for the kernels' loops to be optimised, little time. */
const warmShape = [16, 64, 64];
/** Encodes and decodes of the warm-up volume: V8 optimises a function after a few calls, not one. */
const codecRounds = 2;

export interface WarmUpReport {
  /** What ran; a step that threw is left out (its task will report the error). */
  steps: Array<"blosc-lz4" | "gaussian">;
}

export async function warmUpThread(): Promise<WarmUpReport> {
  const steps: WarmUpReport["steps"] = [];
  const cells = warmShape.reduce((a, b) => a * b, 1);
  // In shared memory, as every block a task sees (type feedback from the same kind of buffer).
  const values = allocate("uint16", cells) as Uint16Array;
  // Every path of the codecs, so that none is first met (and recompiled) in a real task: long
  // runs of noise (long literals), a constant (long matches), a noisy ramp (short ones).
  let state = 0x2545f491;
  for (let i = 0; i < cells; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    const part = (4 * i) / cells;
    values[i] = part < 2 ? state & 0xffff : part < 3 ? 1000 : (i % 1024) + (state & 7);
  }
  try {
    const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    for (let round = 0; round < codecRounds; round++) {
      const frame = await encodeBloscFrame(bytes, { cname: "lz4", clevel: 5, shuffle: "shuffle", typesize: 2, blocksize: 0 });
      await decodeBloscFrame(frame, bytes.length);
    }
    steps.push("blosc-lz4");
  } catch {
    // left to the first task that uses the codec
  }
  try {
    const volume = new NDArray(values, warmShape, { dtype: "uint16" });
    gaussianFilter(volume, { sigma: 2, order: 0, mode: "nearest", outputRegion: { start: [4, 8, 8], stop: [12, 40, 56] } });
    steps.push("gaussian");
  } catch {
    // left to the first task that uses the kernel
  }
  return { steps };
}
