/**
 * n-d correlation benchmark: tessera's correlate and convolve (3×3×3 and 5×5×5 weights), prewitt
 * and laplace on a 64×128×128 float32 volume, one thread, against scipy.ndimage (Debian's scipy,
 * /usr/bin/python3, in the same run, on the same bytes). CPU time, median of N.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/ndimage-correlate.js
 *
 * "×" is scipy's time divided by ours (above 1: faster than scipy). "backend js": tessera's
 * TypeScript loops instead of its WebAssembly SIMD kernel (the same results).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import * as ndimage from "../src/ndimage/index.js";
import { NDArray, shapeSize } from "../src/ndarray/ndarray.js";
import { fmt, median, printTable, runAnchor } from "./bench-support.js";

const shape = [64, 128, 128];
let state = 7;
const next = (): number => {
  state = (Math.imul(state, 1103515245) + 12345) >>> 0;
  return state / 4294967296;
};
const volume = new NDArray(Float32Array.from({ length: shapeSize(shape) }, () => next() * 1000), shape);
const cube = (n: number): number[][][] => Array.from({ length: n }, () => Array.from({ length: n }, () => Array.from({ length: n }, () => Math.round((next() - 0.5) * 1e4) / 1e3)));
const w3 = cube(3);
const w5 = cube(5);

interface Run {
  name: string;
  kernel: "correlate" | "convolve" | "prewitt" | "laplace";
  weights: number[][][] | null;
  options: Record<string, unknown>;
  repeats: number;
  ours: () => unknown;
}

const runs: Run[] = [
  { name: "correlate 3×3×3", kernel: "correlate", weights: w3, options: {}, repeats: 7, ours: () => ndimage.correlate(volume, w3) },
  { name: "correlate 3×3×3, backend js", kernel: "correlate", weights: w3, options: {}, repeats: 7, ours: () => ndimage.correlate(volume, w3, { backend: "js" }) },
  { name: "correlate 3×3×3 constant", kernel: "correlate", weights: w3, options: { mode: "constant" }, repeats: 7, ours: () => ndimage.correlate(volume, w3, { mode: "constant" }) },
  { name: "convolve 3×3×3", kernel: "convolve", weights: w3, options: {}, repeats: 7, ours: () => ndimage.convolve(volume, w3) },
  { name: "correlate 5×5×5", kernel: "correlate", weights: w5, options: {}, repeats: 3, ours: () => ndimage.correlate(volume, w5) },
  { name: "prewitt", kernel: "prewitt", weights: null, options: {}, repeats: 7, ours: () => ndimage.prewitt(volume) },
  { name: "laplace", kernel: "laplace", weights: null, options: {}, repeats: 7, ours: () => ndimage.laplace(volume) },
];

function cpuMedian(run: () => unknown, repeats: number): number {
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const start = process.cpuUsage();
    run();
    const used = process.cpuUsage(start);
    times.push((used.user + used.system) / 1e6);
  }
  return median(times);
}

const dir = mkdtempSync(path.join(tmpdir(), "tessera-bench-correlate-"));
try {
  const file = path.join(dir, "volume.bin");
  writeFileSync(file, volume.toTypedArray());
  const config = path.join(dir, "config.json");
  writeFileSync(config, JSON.stringify({ input: { file, dtype: "float32", shape }, runs: runs.map(({ kernel, weights, options, repeats }) => ({ kernel, weights, options, repeats })) }));
  console.log(`tessera correlate/convolve/prewitt/laplace vs scipy.ndimage: ${shape.join("×")} float32, one thread, CPU time, median of N (Node ${process.versions.node})`);
  const anchor = runAnchor("scipy-correlate.py", [config]) as unknown as { scipy: string; numpy: string; seconds: number[] } | null;
  if (anchor) console.log(`anchor: scipy ${anchor.scipy}, NumPy ${anchor.numpy} (/usr/bin/python3), same input, run just before ours`);
  const rows = runs.map((run, i) => {
    run.ours();
    const ours = cpuMedian(run.ours, run.repeats);
    const theirs = anchor?.seconds[i] ?? Number.NaN;
    return { kernel: run.name, "scipy ms": fmt(theirs * 1e3), "tessera ms": fmt(ours * 1e3), "×": fmt(theirs / ours, 2) };
  });
  printTable("median CPU milliseconds (× = scipy / tessera; above 1 is faster than scipy)", rows);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
