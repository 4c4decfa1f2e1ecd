/**
 * ndimage kernel benchmark: tessera's rank filters, grey and binary morphology, distance
 * transform, label and a per-label mean, one thread, against scipy.ndimage (Debian's scipy, run
 * by /usr/bin/python3 in the same run, on the same bytes). CPU time, median of N.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/ndimage-kernels.js [--quick]
 *
 * Volumes are 128³ float32 and uint16 (uniform random values, the hardest case for a median)
 * and a 128³ bool mask of blobs (smoothed noise below its median) for the binary kernels.
 * "×" is scipy's time divided by ours (above 1: faster than scipy). --quick: 64³.
 * --only <text>: only the kernels whose name contains the text (e.g. --only "fill holes").
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import * as ndimage from "../src/ndimage/index.js";
import type { DType } from "../src/ndarray/dtype.js";
import { NDArray, shapeSize } from "../src/ndarray/ndarray.js";
import { fmt, median, printTable, runAnchor } from "./bench-support.js";

const quick = process.argv.includes("--quick");
const n = quick ? 64 : 128;
const shape = [n, n, n];

function randomVolume(dtype: DType, seed: number): NDArray {
  let state = seed >>> 0;
  const next = (): number => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 4294967296;
  };
  const size = shapeSize(shape);
  if (dtype === "uint16") return new NDArray(Uint16Array.from({ length: size }, () => Math.floor(next() * 65536)), shape);
  return new NDArray(Float32Array.from({ length: size }, () => next() * 1000), shape);
}

function blobMask(): NDArray {
  const smooth = ndimage.uniformFilter(randomVolume("float32", 3), { size: 3 }).data as Float32Array;
  const threshold = Float32Array.from(smooth).sort()[Math.floor(smooth.length / 2)];
  return new NDArray(Uint8Array.from(smooth, (v) => (v < threshold ? 1 : 0)), shape, { dtype: "bool" });
}

const cross = ndimage.generateBinaryStructure(3, 1);
/** generateBinaryStructure(3, 3) as nested lists (sent to scipy as JSON too). */
const full3 = [0, 1, 2].map(() => [0, 1, 2].map(() => [1, 1, 1]));

interface Run {
  name: string;
  kernel: string;
  input: string;
  options: Record<string, unknown>;
  repeats: number;
  ours: () => unknown;
}

const inputs: Record<string, NDArray> = { float32: randomVolume("float32", 1), uint16: randomVolume("uint16", 2), mask: blobMask() };
const [maskLabels] = ndimage.label(inputs.mask);
inputs.maskLabels = maskLabels;
const labelIndex = Array.from({ length: (ndimage.maximum(maskLabels) as number) }, (_, i) => i + 1);

const runs: Run[] = [];
const fp = (options: Record<string, unknown>): Record<string, unknown> => (options.footprint === "cross" ? { ...options, footprint: cross } : options);
for (const dtype of ["float32", "uint16"]) {
  const x = inputs[dtype];
  const grey: Array<[string, string, Record<string, unknown>, number, (o: Record<string, unknown>) => unknown]> = [
    ["median size 3", "medianFilter", { size: 3 }, 3, (o) => ndimage.medianFilter(x, o)],
    ["median size 5", "medianFilter", { size: 5 }, quick ? 3 : 1, (o) => ndimage.medianFilter(x, o)],
    ["maximum size 3", "maximumFilter", { size: 3 }, 9, (o) => ndimage.maximumFilter(x, o)],
    ["minimum size 7", "minimumFilter", { size: 7 }, 9, (o) => ndimage.minimumFilter(x, o)],
    ["rank 5, cross", "rankFilter", { rank: 5, footprint: "cross" }, 3, (o) => ndimage.rankFilter(x, o as never)],
    ["percentile 20 size 3", "percentileFilter", { percentile: 20, size: 3 }, 3, (o) => ndimage.percentileFilter(x, o as never)],
    ["grey erosion, cross", "greyErosion", { footprint: "cross" }, 9, (o) => ndimage.greyErosion(x, o)],
    ["grey opening size 3", "greyOpening", { size: 3 }, 9, (o) => ndimage.greyOpening(x, o)],
    ["white tophat size 3", "whiteTophat", { size: 3 }, 9, (o) => ndimage.whiteTophat(x, o)],
  ];
  for (const [name, kernel, options, repeats, run] of grey) {
    runs.push({ name: `${name} ${dtype}`, kernel, input: dtype, options, repeats, ours: () => run(fp(options)) });
  }
}
const mask = inputs.mask;
runs.push(
  { name: "binary erosion bool", kernel: "binaryErosion", input: "mask", options: {}, repeats: 9, ours: () => ndimage.binaryErosion(mask) },
  { name: "binary opening bool", kernel: "binaryOpening", input: "mask", options: {}, repeats: 9, ours: () => ndimage.binaryOpening(mask) },
  { name: "binary fill holes bool", kernel: "binaryFillHoles", input: "mask", options: {}, repeats: 9, ours: () => ndimage.binaryFillHoles(mask) },
  { name: "distance transform EDT bool", kernel: "distanceTransformEdt", input: "mask", options: {}, repeats: 3, ours: () => ndimage.distanceTransformEdt(mask) },
  {
    name: "distance transform EDT bool, indices", kernel: "distanceTransformEdt", input: "mask", options: { return_indices: true }, repeats: 3,
    ours: () => ndimage.distanceTransformEdt(mask, { returnIndices: true }),
  },
  { name: "label bool", kernel: "label", input: "mask", options: {}, repeats: 9, ours: () => ndimage.label(mask) },
  { name: "label bool, 26-connected", kernel: "label", input: "mask", options: { structure: full3 }, repeats: 5, ours: () => ndimage.label(mask, { structure: full3 }) },
  {
    name: "mean per label float32", kernel: "meanPerLabel", input: "float32", options: { labels: "maskLabels" }, repeats: 9,
    ours: () => ndimage.mean(inputs.float32, maskLabels, labelIndex),
  },
);

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

const onlyAt = process.argv.indexOf("--only");
if (onlyAt >= 0) {
  const wanted = process.argv[onlyAt + 1] ?? "";
  const kept = runs.filter((run) => run.name.includes(wanted));
  if (kept.length === 0) throw new Error(`--only ${JSON.stringify(wanted)} matches no kernel: ${runs.map((run) => run.name).join(", ")}`);
  runs.splice(0, runs.length, ...kept);
}

const dir = mkdtempSync(path.join(tmpdir(), "tessera-bench-ndimage-"));
try {
  const stored: Record<string, { file: string; dtype: string; shape: number[] }> = {};
  for (const [name, array] of Object.entries(inputs)) {
    const file = path.join(dir, `${name}.bin`);
    writeFileSync(file, array.toTypedArray());
    stored[name] = { file, dtype: array.dtype === "bool" ? "bool" : array.dtype, shape: [...array.shape] };
  }
  const config = path.join(dir, "config.json");
  writeFileSync(config, JSON.stringify({ inputs: stored, runs: runs.map(({ kernel, input, options, repeats }) => ({ kernel, input, options, repeats })) }));
  console.log(`tessera ndimage kernels vs scipy.ndimage: ${shape.join("×")}, one thread, CPU time, median of N (Node ${process.versions.node})`);
  const anchor = runAnchor("scipy-ndimage.py", [config], 3_600_000) as unknown as { scipy: string; numpy: string; seconds: number[] } | null;
  if (anchor) console.log(`anchor: scipy ${anchor.scipy}, NumPy ${anchor.numpy} (/usr/bin/python3), same inputs, run just before ours`);
  const rows = runs.map((run, i) => {
    const ours = cpuMedian(run.ours, run.repeats);
    const theirs = anchor?.seconds[i] ?? Number.NaN;
    return { kernel: run.name, "scipy ms": fmt(theirs * 1e3), "tessera ms": fmt(ours * 1e3), "×": `${fmt(theirs / ours, 2)}` };
  });
  printTable("median CPU milliseconds (× = scipy / tessera; above 1 is faster than scipy)", rows);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
