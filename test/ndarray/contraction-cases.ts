// Seeded random cases of tensordot, dot, matmul and outer for the differential tests (eager
// against NumPy in test/ndarray, chunked against NumPy and Dask in test/array), and the
// tolerance their float results are held to.
//
// Tolerance: NumPy computes float products with BLAS (float32 accumulated in float32, in an
// order of its own), tessera in i-p-j order (float32 accumulated in float64) or, chunked, as a
// tree of per-block partial sums. Each result of a sum of k products is within the classic
// bound γ_k·Σ|a||b| ≈ k·u·Σ|a||b| of the exact value (u = eps/2, any summation order), so two
// of them differ by at most k·eps·Σ|a||b|; that is the tolerance, with Σ|a||b| computed by
// NumPy in float64 from the same operands. Integers and bool are compared exactly (wrapping).
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";
import { integer, numberDtypes, pick, pyTuple, randomArray, randomChunks, type Rng } from "../array/differential-inputs.js";

export type ContractionOp = "tensordot" | "dot" | "matmul" | "outer";

export interface ContractionCase {
  op: ContractionOp;
  label: string;
  a: nd.NDArray;
  b: nd.NDArray;
  chunksA: number[][];
  chunksB: number[][];
  /** tensordot's axes, as tessera takes them. */
  axes?: nd.TensordotAxes;
  /** Products summed per result element (the k of the tolerance). */
  k: number;
  /** The call in Python over two operand expressions. */
  python: (a: string, b: string, module: "np" | "da") => string;
  eager: () => nd.NDArray;
}

/** Block sizes 1–3 along a contracted axis: ≥ 8 blocks for the lengths drawn below. */
function manyChunks(rng: Rng, n: number): number[] {
  const sizes: number[] = [];
  for (let left = n; left > 0;) {
    const size = Math.min(left, integer(rng, 1, 3));
    sizes.push(size);
    left -= size;
  }
  return sizes;
}

const freeLength = (rng: Rng): number => pick(rng, [1, 2, 3, 5, 7]);

function operand(rng: Rng, dtype: nd.DType, shape: number[], contracted: readonly number[]): { array: nd.NDArray; chunks: number[][] } {
  // Specials (NaN, ±inf, 1e30) only in float64: 1e30² overflows float32, where BLAS and a
  // float64 accumulator legitimately disagree (inf − inf against a finite value).
  const array = randomArray(rng, dtype, shape, { specials: dtype === "float64" && rng() < 0.3 });
  const chunks = shape.map((n, axis) => (contracted.includes(axis) ? manyChunks(rng, n) : randomChunks(rng, n)));
  return { array, chunks };
}

export function drawContraction(rng: Rng, index: number): ContractionCase {
  const op = pick(rng, ["tensordot", "dot", "matmul", "outer"] as const);
  const dtypeA = pick(rng, numberDtypes);
  const dtypeB = rng() < 0.7 ? dtypeA : pick(rng, numberDtypes);
  const k = integer(rng, 24, 40);
  const ndA = integer(rng, 1, 3);
  const ndB = integer(rng, 1, 3);
  let shapeA = Array.from({ length: ndA }, () => freeLength(rng));
  let shapeB = Array.from({ length: ndB }, () => freeLength(rng));
  let contractedA: number[] = [];
  let contractedB: number[] = [];
  let axes: nd.TensordotAxes | undefined;
  let pyAxes = "";
  let pyAxesDask = "";
  let products = 1;
  if (op === "tensordot") {
    const count = integer(rng, 0, Math.min(ndA, ndB, 2));
    const byCount = rng() < 0.4;
    contractedA = byCount ? shapeA.map((_, a) => a).slice(ndA - count) : shapeA.map((_, a) => a).sort(() => rng() - 0.5).slice(0, count);
    contractedB = byCount ? shapeB.map((_, a) => a).slice(0, count) : shapeB.map((_, a) => a).sort(() => rng() - 0.5).slice(0, count);
    contractedA.forEach((axisA, i) => {
      const length = i === 0 ? k : integer(rng, 2, 3);
      shapeA[axisA] = length;
      shapeB[contractedB[i]] = length;
      products *= length;
    });
    // Negative axes now and then: NumPy's reading of them is part of the API.
    const spell = (list: number[], ndim: number) => list.map((a) => (rng() < 0.3 ? a - ndim : a));
    axes = byCount ? count : [spell(contractedA, ndA), spell(contractedB, ndB)];
    pyAxes = typeof axes === "number" ? String(axes) : `(${pyTuple(axes[0] as number[])}, ${pyTuple(axes[1] as number[])})`;
    // Dask 2022.12 misreads negative tensordot axes (a wrong result shape): it gets them normalized.
    pyAxesDask = typeof axes === "number" ? pyAxes : `(${pyTuple(contractedA)}, ${pyTuple(contractedB)})`;
  } else if (op === "dot" || op === "matmul") {
    contractedA = [ndA - 1];
    contractedB = [ndB === 1 ? 0 : ndB - 2];
    shapeA[ndA - 1] = k;
    shapeB[contractedB[0]] = k;
    products = k;
    if (op === "matmul") {
      // Batch axes that broadcast: each shared one is equal or 1 on a side.
      const batchA = Math.max(ndA - 2, 0);
      const batchB = Math.max(ndB - 2, 0);
      for (let i = 1; i <= Math.min(batchA, batchB); i++) {
        const length = pick(rng, [1, 2, 3]);
        shapeA[batchA - i] = rng() < 0.25 ? 1 : length;
        shapeB[batchB - i] = rng() < 0.25 ? 1 : length;
        if (shapeA[batchA - i] !== 1 && shapeB[batchB - i] !== 1) shapeB[batchB - i] = shapeA[batchA - i];
      }
    }
  } else {
    shapeA = shapeA.slice(0, 2);
    shapeB = shapeB.slice(0, 2);
  }
  const left = operand(rng, dtypeA, shapeA, contractedA);
  const right = operand(rng, dtypeB, shapeB, contractedB);
  const label = `c${index}_${op}_${dtypeA}_${dtypeB}_${shapeA.join("x")}_${shapeB.join("x")}`;
  const python = (a: string, b: string, module: "np" | "da") => (op === "tensordot" ? `${module}.tensordot(${a}, ${b}, axes=${module === "da" ? pyAxesDask : pyAxes})` : `${module}.${op}(${a}, ${b})`);
  const eager = () => (op === "tensordot" ? nd.tensordot(left.array, right.array, axes) : nd[op](left.array, right.array));
  return { op, label, a: left.array, b: right.array, chunksA: left.chunks, chunksB: right.chunks, axes, k: products, python, eager };
}

/** NumPy's Σ|a||b| for the case, in float64 (the scale of the tolerance). */
export const pythonBound = (c: ContractionCase, a: string, b: string): string =>
  c.python(`np.abs(${a}.astype('f8'))`, `np.abs(${b}.astype('f8'))`, "np");

/**
 * How many terms of each result element are NaN by IEEE rules (a NaN factor, or 0 · ±inf), in
 * float64 over 0/1 indicators (finite, so BLAS computes them exactly). BLAS (reference dgemm,
 * and OpenBLAS's small-matrix paths) skips the zeros of an operand, so NumPy gives 0 where
 * 0 · NaN should make NaN; tessera keeps IEEE's NaN, which the comparison accepts there.
 */
export const pythonNanTerms = (c: ContractionCase, a: string, b: string): string => {
  const f = (x: string) => `(${x}).astype('f8')`;
  const terms = [
    c.python(f(`np.isnan(${a})`), f(`np.ones_like(${b})`), "np"),
    c.python(f(`np.ones_like(${a})`), f(`np.isnan(${b})`), "np"),
    c.python(f(`${a} == 0`), f(`np.isinf(${b})`), "np"),
    c.python(f(`np.isinf(${a})`), f(`${b} == 0`), "np"),
  ];
  return terms.join(" + ");
};

/** dtype and shape exactly; integers and bool exactly; floats within k·eps·Σ|a||b| (NaN and ±inf where NumPy has them). */
export function assertContractionClose(actual: nd.NDArray, expected: nd.NDArray, bound: nd.NDArray, nanTerms: nd.NDArray, k: number, label: string): void {
  assert.equal(actual.dtype, expected.dtype, `${label}: dtype`);
  assert.deepEqual([...actual.shape], [...expected.shape], `${label}: shape`);
  const ours = actual.toTypedArray();
  const theirs = expected.toTypedArray();
  if (actual.dtype !== "float32" && actual.dtype !== "float64") {
    for (let i = 0; i < theirs.length; i++) if (ours[i] !== theirs[i]) assert.fail(`${label}: element ${i} is ${ours[i]}, NumPy gives ${theirs[i]}`);
    return;
  }
  const eps = actual.dtype === "float32" ? 2 ** -23 : 2 ** -52;
  const tiny = actual.dtype === "float32" ? 2 ** -126 : 2 ** -1022;
  const scale = bound.toTypedArray() as Float64Array;
  const nanTermCounts = nanTerms.toTypedArray() as Float64Array;
  for (let i = 0; i < theirs.length; i++) {
    const x = ours[i] as number;
    const y = theirs[i] as number;
    if (Number.isNaN(x) && nanTermCounts[i] > 0) continue;
    if (Number.isNaN(y) || !Number.isFinite(y)) {
      if (!Object.is(x, y) && !(Number.isNaN(x) && Number.isNaN(y))) assert.fail(`${label}: element ${i} is ${x}, NumPy gives ${y}`);
      continue;
    }
    const tolerance = k * eps * scale[i] + k * tiny;
    if (!(Math.abs(x - y) <= tolerance)) assert.fail(`${label}: element ${i} is ${x}, NumPy gives ${y} (|difference| ${Math.abs(x - y)} > tolerance ${tolerance})`);
  }
}

export { numberDtypes };
