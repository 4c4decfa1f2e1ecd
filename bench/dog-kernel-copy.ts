/**
 * One copy of the DoG's compute alone, for bench/dog-scaling.ts's --kernel-ceiling: tessera's
 * kernels on one thread, no cluster, no Zarr, no scheduling. A block the size of a grouped DoG
 * task's core plus its depth-40 halo (uint16, fixed pseudo-random contents) is filtered with the
 * course's two Gaussians (σ 3 and 10, mode "nearest", only the core computed, as a grouped task
 * computes it) and the two results subtracted, `repeats` times; prints the CPU seconds as JSON.
 *
 * Why: N copies of this at once, against one copy alone, is what N busy cores cost tessera's own
 * kernels on that machine (shared caches and memory bandwidth, a lower all-core clock, and two
 * hardware threads sharing one core's SIMD units where the machine has them). scipy's scalar
 * loops (the --machine-ceiling anchor) lose less to a shared core than WebAssembly SIMD does, so
 * that ceiling alone can hide what the machine takes from these kernels.
 *
 * usage: node dist/bench/dog-kernel-copy.js <core z> <core y> <core x> <repeats>
 */
import { gaussianFilter } from "../src/ndimage/index.js";
import { subtract } from "../src/ndarray/arithmetic.js";
import { NDArray, allocate } from "../src/ndarray/ndarray.js";

const depth = 40;
const [z, y, x, repeats] = process.argv.slice(2, 6).map(Number);
if (![z, y, x, repeats].every((value) => Number.isInteger(value) && value > 0)) {
  throw new Error("usage: dog-kernel-copy.js <core z> <core y> <core x> <repeats> (positive integers)");
}
const core = [z, y, x];
const shape = core.map((size) => size + 2 * depth);
// In shared memory, as every block a task sees.
const data = allocate("uint16", shape.reduce((a, b) => a * b, 1)) as Uint16Array;
let state = 11;
for (let i = 0; i < data.length; i++) {
  state = (Math.imul(state, 1103515245) + 12345) >>> 0;
  data[i] = state >>> 20;
}
const block = new NDArray(data, shape, { dtype: "uint16" });
const outputRegion = { start: core.map(() => depth), stop: core.map((size) => size + depth) };
const started = process.cpuUsage();
for (let r = 0; r < repeats; r++) {
  const sharp = gaussianFilter(block, { sigma: 3, order: 0, mode: "nearest", outputRegion });
  const blurred = gaussianFilter(block, { sigma: 10, order: 0, mode: "nearest", outputRegion });
  subtract(sharp, blurred);
}
const used = process.cpuUsage(started);
process.stdout.write(`${JSON.stringify({ seconds: (used.user + used.system) / 1e6 })}\n`);
