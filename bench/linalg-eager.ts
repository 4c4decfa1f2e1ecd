/**
 * The eager decompositions of nd.linalg (svd, eigh, eigvalsh, qr; src/ndarray) against NumPy's
 * LAPACK on one thread, same run: square 100², 200², 400² and a tall 2000×100 (eigh's matrices
 * are a + aᵀ, square only). Wall time, median of `repeats` after one untimed call (V8's JIT warm-up);
 * the ratio column is tessera / NumPy.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/linalg-eager.js
 */
import * as nd from "../src/ndarray/index.js";
import { checkFlags, fmt, median, printTable, runAnchor } from "./bench-support.js";

checkFlags([]);
const repeats = 5;
const shapes: Array<[number, number]> = [[100, 100], [200, 200], [400, 400], [2000, 100]];
const operations: Record<string, (a: nd.NDArray) => unknown> = {
  svd: (a) => nd.linalg.svd(a, { fullMatrices: false }),
  "svd-values": (a) => nd.linalg.svd(a, { computeUv: false }),
  eigh: (a) => nd.linalg.eigh(a),
  eigvalsh: (a) => nd.linalg.eigvalsh(a),
  qr: (a) => nd.linalg.qr(a),
};
const cases = Object.keys(operations).flatMap((op) => shapes.filter(([r, c]) => !op.startsWith("eig") || r === c).map(([r, c]) => `${op}:${r}:${c}`));

const numpy = runAnchor("numpy-linalg.py", [cases.join(","), String(repeats)]);
printTable(`nd.linalg decompositions, one thread, median of ${repeats}`, cases.map((key) => {
  const [op, rows, cols] = key.split(":");
  let a = nd.random([Number(rows), Number(cols)], { seed: 1 });
  if (op.startsWith("eig")) a = nd.add(a, nd.transpose(a));
  operations[op](a); // one untimed call: V8 compiles the kernels on the first calls
  const walls: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const start = performance.now();
    operations[op](a);
    walls.push((performance.now() - start) / 1000);
  }
  const ours = median(walls);
  const theirs = numpy?.[key];
  return { case: `${op} ${rows}×${cols}`, "tessera s": fmt(ours, 4), "numpy s": fmt(theirs, 5), "tessera / numpy": fmt(theirs ? ours / theirs : null, 1) };
}));
