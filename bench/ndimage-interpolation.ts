/**
 * Interpolation benchmark: tessera's zoom and affineTransform against scipy.ndimage's (Debian's
 * scipy, /usr/bin/python3) on 128³ float32 and uint16 volumes, one thread each, CPU time.
 * The machine is shared and noisy, so the two run interleaved — scipy, then ours, per
 * configuration, for every round — and each side's median over the rounds is reported.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/ndimage-interpolation.js [--rounds N]
 *
 * Figures are ms per call and ns per output voxel; "×" is scipy's median divided by ours
 * (above 1: faster than scipy). Both sides compute the same thing (mode "constant", cval 0,
 * default prefilter), which the tests check is bit-identical.
 */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { affineTransform, zoom } from "../src/ndimage/index.js";
import type { DType } from "../src/ndarray/dtype.js";
import type { NDArray } from "../src/ndarray/ndarray.js";
import * as nd from "../src/ndarray/index.js";
import { fmt, median, printTable } from "./bench-support.js";

interface Config {
  label: string;
  fn: "zoom" | "affineTransform";
  dtype: DType;
  shape: number[];
  options: Record<string, unknown>;
}

const roundsFlag = process.argv.indexOf("--rounds");
const rounds = roundsFlag > 0 ? Number(process.argv[roundsFlag + 1]) : 5;
const here = path.dirname(fileURLToPath(import.meta.url));
const anchorScript = path.resolve(here, "../../bench/anchors/scipy-interpolation.py");

const shape = [128, 128, 128];
const rotation = [[0.98, -0.17, 0.05], [0.17, 0.98, -0.02], [-0.05, 0.03, 1.1]];
const configs: Config[] = [];
for (const dtype of ["float32", "uint16"] as DType[]) {
  configs.push({ label: "zoom 1.5× order 1", fn: "zoom", dtype, shape, options: { zoom: 1.5, order: 1 } });
  configs.push({ label: "zoom 1.5× order 3", fn: "zoom", dtype, shape, options: { zoom: 1.5, order: 3 } });
  configs.push({ label: "affine order 1", fn: "affineTransform", dtype, shape, options: { matrix: rotation, offset: [3.5, -2.25, -6], order: 1 } });
}

/** Uniform noise over the dtype's useful range: [0, 65536) for uint16, [0, 1000) for float32. */
function makeVolume(dtype: DType): NDArray {
  const unit = nd.random(shape, { seed: 1 });
  return nd.astype(nd.multiply(unit, dtype === "uint16" ? 65536 : 1000), dtype);
}

function runOurs(config: Config, input: NDArray): { seconds: number; voxels: number } {
  const start = process.cpuUsage();
  const result = config.fn === "zoom"
    ? zoom(input, config.options as unknown as Parameters<typeof zoom>[1])
    : affineTransform(input, config.options as unknown as Parameters<typeof affineTransform>[1]);
  const used = process.cpuUsage(start);
  return { seconds: (used.user + used.system) / 1e6, voxels: result.size };
}

/** The scipy anchor as a long-lived process answering one timed call per request. */
async function startAnchor(): Promise<{ version: string; time(index: number): Promise<number>; close(): void }> {
  const child = spawn("/usr/bin/python3", [anchorScript, JSON.stringify(configs)], { stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<Record<string, unknown>> => {
    const { value, done } = await lines.next();
    if (done) throw new Error("the scipy anchor exited early");
    return JSON.parse(value as string) as Record<string, unknown>;
  };
  const ready = await next();
  return {
    version: `scipy ${String(ready.scipy)}, NumPy ${String(ready.numpy)}`,
    async time(index: number): Promise<number> {
      child.stdin.write(`${index}\n`);
      return (await next()).seconds as number;
    },
    close(): void {
      child.stdin.end();
    },
  };
}

const volumes = new Map<DType, NDArray>();
for (const config of configs) if (!volumes.has(config.dtype)) volumes.set(config.dtype, makeVolume(config.dtype));

console.log(`tessera interpolation benchmark: 128³ volumes, one thread, CPU time, median of ${rounds} interleaved rounds (Node ${process.versions.node})`);
const anchor = await startAnchor();
console.log(`anchor: ${anchor.version} (/usr/bin/python3), same configurations, run alternately with ours`);
const scipySeconds: number[][] = configs.map(() => []);
const ourSeconds: number[][] = configs.map(() => []);
const outputVoxels: number[] = configs.map(() => 0);
configs.forEach((config) => runOurs(config, volumes.get(config.dtype) as NDArray)); // compile the loops once
for (let round = 0; round < rounds; round++) {
  for (const [i, config] of configs.entries()) {
    scipySeconds[i].push(await anchor.time(i));
    const ours = runOurs(config, volumes.get(config.dtype) as NDArray);
    ourSeconds[i].push(ours.seconds);
    outputVoxels[i] = ours.voxels;
  }
}
anchor.close();

printTable("median CPU time per call", configs.map((config, i) => {
  const scipy = median(scipySeconds[i]);
  const ours = median(ourSeconds[i]);
  return {
    dtype: config.dtype, transform: config.label,
    "scipy ms": fmt(scipy * 1e3), "tessera ms": fmt(ours * 1e3),
    "scipy ns/vox": fmt((scipy * 1e9) / outputVoxels[i]), "tessera ns/vox": fmt((ours * 1e9) / outputVoxels[i]),
    "×": `${fmt(scipy / ours, 2)}×`,
  };
}));
