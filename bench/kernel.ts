/**
 * Kernel benchmark: tessera's Gaussian filter (WASM SIMD and plain TypeScript loops) against
 * scipy.ndimage.gaussian_filter (Debian's scipy, run by /usr/bin/python3 in the same run), one
 * thread, mode "nearest", CPU time, best of N. Then the shrinking-pass variant: the 64³ core of a
 * 144³ halo block through `outputRegion`, against filtering the whole block and slicing.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/kernel.js [--quick]
 *
 * --quick skips the 128×512×512 volume. Figures are ns per output voxel; "×" is scipy's time
 * divided by ours (above 1: faster than scipy).
 */
import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gaussianFilter } from "../src/ndimage/index.js";
import type { DType } from "../src/ndarray/dtype.js";
import { NDArray, shapeSize } from "../src/ndarray/ndarray.js";

interface Config {
  shape: number[];
  dtype: DType;
  sigma: number;
  repeats: number;
}

const quick = process.argv.includes("--quick");
const here = path.dirname(fileURLToPath(import.meta.url));
const scipyScript = path.resolve(here, "../../bench/anchors/scipy-gaussian.py");

function cpuSeconds(run: () => void, repeats: number): number {
  let best = Infinity;
  for (let r = 0; r < repeats; r++) {
    const start = process.cpuUsage();
    run();
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / 1e6);
  }
  return best;
}

function makeVolume(shape: number[], dtype: DType): NDArray {
  const size = shapeSize(shape);
  if (dtype === "uint16") {
    const data = new Uint16Array(size);
    for (let i = 0; i < size; i++) data[i] = Math.floor(Math.random() * 65536);
    return new NDArray(data, shape);
  }
  const data = new Float32Array(size);
  for (let i = 0; i < size; i++) data[i] = Math.random() * 1000;
  return new NDArray(data, shape);
}

function scipySeconds(configs: Config[]): { version: string; seconds: number[] } {
  const output = execFileSync("/usr/bin/python3", [scipyScript, JSON.stringify(configs)], { encoding: "utf8", maxBuffer: 1 << 20 });
  const parsed = JSON.parse(output) as { scipy: string; numpy: string; seconds: number[] };
  return { version: `scipy ${parsed.scipy}, NumPy ${parsed.numpy}`, seconds: parsed.seconds };
}

const volumes = [[144, 144, 144], [112, 144, 144], ...(quick ? [] : [[128, 512, 512]])];
const configs: Config[] = [];
for (const shape of volumes) {
  for (const dtype of ["float32", "uint16"] as DType[]) {
    for (const sigma of [3, 10]) configs.push({ shape, dtype, sigma, repeats: shapeSize(shape) > 1e7 ? 2 : 5 });
  }
}

const pad = (text: string, width: number): string => text.padEnd(width);
const ns = (seconds: number, voxels: number): string => ((seconds * 1e9) / voxels).toFixed(1);
const times = (scipy: number, ours: number): string => `${(scipy / ours).toFixed(2)}×`;

console.log(`tessera kernel benchmark: one thread, mode "nearest", CPU time, best of N (Node ${process.versions.node})`);
const anchor = scipySeconds(configs);
console.log(`anchor: ${anchor.version} (/usr/bin/python3), same configurations, run just before ours\n`);
console.log(`${pad("volume", 14)}${pad("dtype", 9)}${pad("σ", 4)}${pad("scipy ns/vox", 14)}${pad("wasm ns/vox", 20)}js ns/vox`);
let volume: NDArray | undefined;
configs.forEach((config, i) => {
  if (!volume || volume.shape.join() !== config.shape.join() || volume.dtype !== config.dtype) volume = makeVolume(config.shape, config.dtype);
  const input = volume;
  const voxels = shapeSize(config.shape);
  const options = { sigma: config.sigma, mode: "nearest" as const };
  const wasm = cpuSeconds(() => gaussianFilter(input, { ...options, backend: "wasm" }), config.repeats);
  const js = cpuSeconds(() => gaussianFilter(input, { ...options, backend: "js" }), config.repeats);
  const scipy = anchor.seconds[i];
  console.log(
    `${pad(config.shape.join("×"), 14)}${pad(config.dtype, 9)}${pad(String(config.sigma), 4)}${pad(ns(scipy, voxels), 14)}` +
      `${pad(`${ns(wasm, voxels)} (${times(scipy, wasm)})`, 20)}${ns(js, voxels)} (${times(scipy, js)})`,
  );
});

console.log(`\nshrinking passes: 64³ core of a 144³ float32 block (halo 40), ms per block`);
const blockConfigs: Config[] = [3, 10].map((sigma) => ({ shape: [144, 144, 144], dtype: "float32", sigma, repeats: 5 }));
const blockAnchor = scipySeconds(blockConfigs);
const block = makeVolume([144, 144, 144], "float32");
const core = { start: [40, 40, 40], stop: [104, 104, 104] };
console.log(`${pad("σ", 4)}${pad("scipy whole", 13)}${pad("wasm whole", 12)}${pad("wasm core", 19)}${pad("js whole", 12)}js core`);
blockConfigs.forEach((config, i) => {
  const options = { sigma: config.sigma, mode: "nearest" as const };
  const ms = (seconds: number): string => (seconds * 1e3).toFixed(1);
  const wasmWhole = cpuSeconds(() => gaussianFilter(block, { ...options, backend: "wasm" }), config.repeats);
  const wasmCore = cpuSeconds(() => gaussianFilter(block, { ...options, backend: "wasm", outputRegion: core }), config.repeats);
  const jsWhole = cpuSeconds(() => gaussianFilter(block, { ...options, backend: "js" }), config.repeats);
  const jsCore = cpuSeconds(() => gaussianFilter(block, { ...options, backend: "js", outputRegion: core }), config.repeats);
  const scipy = blockAnchor.seconds[i];
  console.log(
    `${pad(String(config.sigma), 4)}${pad(ms(scipy), 13)}${pad(ms(wasmWhole), 12)}${pad(`${ms(wasmCore)} (${times(scipy, wasmCore)})`, 19)}` +
      `${pad(ms(jsWhole), 12)}${ms(jsCore)} (${times(scipy, jsCore)})`,
  );
});
