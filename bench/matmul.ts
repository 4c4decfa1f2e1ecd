/**
 * The eager matrix-product kernel (nd.matmul, i-p-j loops, src/ndarray/matrix-product.ts) against
 * NumPy's matmul (BLAS for floats, its own loops for integers) on one thread, same run, square
 * n×n operands. Wall time, median of 5; the ratio column is tessera / NumPy.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/matmul.js
 */
import * as nd from "../src/ndarray/index.js";
import { checkFlags, fmt, median, printTable, runAnchor } from "./bench-support.js";

checkFlags([]);
const repeats = 5;
const cases: Array<{ dtype: nd.DType; n: number }> = [
  { dtype: "float64", n: 512 }, { dtype: "float32", n: 512 }, { dtype: "int32", n: 512 }, { dtype: "int64", n: 128 },
];

function operand(dtype: nd.DType, n: number, seed: number): nd.NDArray {
  return nd.astype(nd.multiply(nd.random([n, n], { seed }), 100), dtype);
}

const numpy = runAnchor("numpy-matmul.py", [cases.map(({ dtype, n }) => `${dtype}:${n}`).join(","), String(repeats)]);
printTable(`nd.matmul of square operands, one thread, median of ${repeats}`, cases.map(({ dtype, n }) => {
  const a = operand(dtype, n, 1);
  const b = operand(dtype, n, 2);
  const walls: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const start = performance.now();
    nd.matmul(a, b);
    walls.push((performance.now() - start) / 1000);
  }
  const ours = median(walls);
  const theirs = numpy?.[`${dtype}:${n}`];
  return { case: `${dtype} ${n}×${n}`, "tessera s": fmt(ours, 4), "numpy s": fmt(theirs, 4), "tessera / numpy": fmt(theirs ? ours / theirs : null, 1) };
}));
