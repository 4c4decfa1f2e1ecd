/**
 * Chunked per-label measurements (ta.ndimage.mean, variance, minimumPosition, median, histogram)
 * on a float32 volume with int32 box labels, on the in-process executor, against scipy.ndimage
 * on the whole volume in memory (Debian's scipy, same run, same bytes). Wall time, median of 3;
 * the ratio column is tessera / scipy for the same measurement, and each measurement's time is
 * also given against tessera's chunked mean (the anchor within tessera: one pass, one sum).
 *
 *   npx tsc -p tsconfig.json && node dist/bench/ndimage-label-stats.js [--quick]
 *
 * --quick: 64×128×128 in chunks of 32×64×64; else 128×256×256 in chunks of 32×64×64 (64 blocks).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import * as ta from "../src/array/index.js";
import { NDArray, shapeSize } from "../src/ndarray/ndarray.js";
import { checkFlags, fmt, median, printTable, runAnchor } from "./bench-support.js";

checkFlags([], ["--quick"]);
const quick = process.argv.includes("--quick");
const shape = quick ? [64, 128, 128] : [128, 256, 256];
const chunks = [32, 64, 64];
const repeats = 3;
const box = 8;

/** Values in [0, 1) and labels 1…n as boxes of 8³ cells (a tenth left as background 0). */
function volume(): { values: NDArray; labels: NDArray; count: number } {
  let state = 12345;
  const random = (): number => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 4294967296;
  };
  const size = shapeSize(shape);
  const values = new Float32Array(size);
  const labels = new Int32Array(size);
  const boxes = shape.map((n) => Math.ceil(n / box));
  const boxLabel = Int32Array.from({ length: shapeSize(boxes) }, (_, i) => (random() < 0.1 ? 0 : i + 1));
  let p = 0;
  for (let z = 0; z < shape[0]; z++) {
    for (let y = 0; y < shape[1]; y++) {
      for (let x = 0; x < shape[2]; x++, p++) {
        values[p] = random();
        labels[p] = boxLabel[(Math.floor(z / box) * boxes[1] + Math.floor(y / box)) * boxes[2] + Math.floor(x / box)];
      }
    }
  }
  return { values: new NDArray(values, shape, { dtype: "float32" }), labels: new NDArray(labels, shape, { dtype: "int32" }), count: boxLabel.length };
}

async function main(): Promise<void> {
  const { values, labels, count } = volume();
  const dir = mkdtempSync(path.join(tmpdir(), "tessera-label-stats-"));
  const valuesPath = path.join(dir, "values.bin");
  const labelsPath = path.join(dir, "labels.bin");
  writeFileSync(valuesPath, values.data as Float32Array);
  writeFileSync(labelsPath, labels.data as Int32Array);
  const scipy = runAnchor("scipy-label-stats.py", [valuesPath, labelsPath, shape.join(","), String(count), String(repeats)]);
  rmSync(dir, { recursive: true, force: true });
  const index = Array.from({ length: count }, (_, i) => i + 1);
  const x = ta.fromArray(values, { chunks });
  const l = ta.fromArray(labels, { chunks });
  const calls: Record<string, () => ta.Array> = {
    mean: () => ta.ndimage.mean(x, l, index),
    variance: () => ta.ndimage.variance(x, l, index),
    minimumPosition: () => ta.ndimage.minimumPosition(x, l, index),
    median: () => ta.ndimage.median(x, l, index),
    histogram: () => ta.ndimage.histogram(x, 0, 1, 16, l, index),
  };
  const seconds: Record<string, number> = {};
  for (const [name, call] of Object.entries(calls)) {
    const walls: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const start = performance.now();
      await call().compute();
      walls.push((performance.now() - start) / 1000);
    }
    seconds[name] = median(walls);
  }
  printTable(`per-label measurements, [${shape.join(", ")}] float32, ${count} labels, chunks [${chunks.join(", ")}], in-process executor, median of ${repeats}`,
    Object.keys(calls).map((name) => ({
      measurement: name, "tessera s": fmt(seconds[name], 3), "scipy s": fmt(scipy?.[name], 3),
      "tessera / scipy": fmt(scipy ? seconds[name] / scipy[name] : null, 2), "/ tessera mean": fmt(seconds[name] / seconds.mean, 2),
    })));
}

await main();
