/**
 * The eager FFT of nd.fft (src/ndarray/fft-core.ts: mixed-radix Cooley–Tukey, Bluestein for
 * large prime factors) against NumPy 1.24's pocketfft, one thread each, same run: 1-d lengths
 * 2^16, 3^9·5 (mixed radix), the prime 65,521 (Bluestein), and n-d 512², 64×256×256 (the DoG
 * volume) forward and inverse real transforms. Wall time, median of `repeats` after one untimed
 * call (V8's JIT warm-up); the ratio column is tessera / NumPy.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/fft-eager.js
 */
import * as nd from "../src/ndarray/index.js";
import { checkFlags, fmt, median, printTable, runAnchor } from "./bench-support.js";

checkFlags([]);
const repeats = 5;
const cases = ["fft:65536", "fft:98415", "fft:65521", "rfft:65536", "fftn:512x512", "rfftn:512x512", "rfftn:64x256x256", "irfftn:64x256x256"];

function input(op: string, shape: number[]): nd.NDArray {
  const a = nd.random(shape, { seed: 1 });
  if (op === "fft" || op === "fftn") return nd.astype(a, "complex128");
  return op === "irfftn" ? nd.fft.rfftn(a) : a;
}

const operations: Record<string, (a: nd.NDArray, shape: number[]) => unknown> = {
  fft: (a) => nd.fft.fft(a),
  rfft: (a) => nd.fft.rfft(a),
  fftn: (a) => nd.fft.fftn(a),
  rfftn: (a) => nd.fft.rfftn(a),
  irfftn: (a, shape) => nd.fft.irfftn(a, { s: shape }),
};

const numpy = runAnchor("numpy-fft.py", [cases.join(","), String(repeats)]);
printTable(`nd.fft, one thread, median of ${repeats}`, cases.map((key) => {
  const [op, dims] = key.split(":");
  const shape = dims.split("x").map(Number);
  const a = input(op, shape);
  operations[op](a, shape); // one untimed call: V8 compiles the kernels on the first calls
  const walls: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const start = performance.now();
    operations[op](a, shape);
    walls.push((performance.now() - start) / 1000);
  }
  const ours = median(walls);
  const theirs = numpy?.[key];
  return { case: `${op} ${dims}`, "tessera s": fmt(ours, 4), "numpy s": fmt(theirs, 5), "tessera / numpy": fmt(theirs ? ours / theirs : null, 1) };
}));
