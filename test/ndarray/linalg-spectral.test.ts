// nd.linalg.svd (golub-kahan-svd.ts, svd-factor.ts) and eigh/eigvalsh (symmetric-tridiagonal.ts)
// on matrices that exercise every branch of the iterations, against NumPy 1.24's LAPACK:
// shapes on both sides of the tall crossover (m ≥ 1.6·n goes through QR first) and wide ones,
// rank-deficient and repeated singular values/eigenvalues, graded entries spanning 30 decades,
// entries near the overflow and underflow limits, exact zeros on the bidiagonal (the splitting
// and deflation cases), the zero matrix. Tolerance: 16·max(M, N)·ε·‖a‖₂ (the backward error
// bound of either side, ‖a‖₂ NumPy's largest singular value / eigenvalue modulus).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";
import { rngOf } from "../array/differential-inputs.js";
import { evaluatePython } from "../array/python-eval.js";
import { assertClose, lowRankMatrix, randomMatrix } from "./linalg-matrices.js";

const eps = 2 ** -52;
const rng = rngOf(77);

/** Q·diag(values)·Pᵀ with Q, P random orthonormal (rows × k, cols × k). */
function withSingularValues(rows: number, cols: number, values: number[]): nd.NDArray {
  const k = values.length;
  const q = nd.linalg.qr(randomMatrix(rng, rows, k)).q;
  const p = nd.linalg.qr(randomMatrix(rng, cols, k)).q;
  return nd.matmul(nd.multiply(q, nd.fromTypedArray(Float64Array.from(values), [k])), nd.transpose(p));
}

function graded(rows: number, cols: number): nd.NDArray {
  const scale = nd.fromTypedArray(Float64Array.from({ length: rows }, (_, i) => 10 ** (-30 * i / rows)), [rows, 1]);
  return nd.multiply(randomMatrix(rng, rows, cols), scale);
}

/** Upper bidiagonal with zeros on the diagonal (deflation) and superdiagonal (splitting). */
function bidiagonalWithZeros(n: number): nd.NDArray {
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    data[i * n + i] = i % 4 === 2 ? 0 : 1 + rng();
    if (i + 1 < n) data[i * n + i + 1] = i % 5 === 3 ? 0 : rng() - 0.5;
  }
  return nd.fromTypedArray(data, [n, n]);
}

function symmetric(a: nd.NDArray): nd.NDArray {
  return nd.multiply(nd.add(a, nd.transpose(a)), 0.5);
}

function values(a: nd.NDArray): number[] {
  return Array.from(nd.ascontiguousarray(nd.astype(a, "float64")).toTypedArray() as Float64Array);
}

function assertOrthonormal(q: nd.NDArray, tol: number, label: string): void {
  assertClose(nd.matmul(nd.transpose(q), q), nd.eye(q.shape[1]), tol, `${label}: QᵀQ = I`);
}

describe("nd.linalg spectral decompositions on hard matrices", () => {
  it("svd: s equals NumPy's within 16·max(M, N)·ε·‖a‖₂, U·diag(s)·Vh = a, U and Vh orthonormal", () => {
    const inputs: Record<string, nd.NDArray> = {
      square: randomMatrix(rng, 80, 80),
      belowCrossover: randomMatrix(rng, 60, 40),
      tall: randomMatrix(rng, 150, 30),
      wide: randomMatrix(rng, 25, 90),
      rankDeficient: lowRankMatrix(rng, 50, 40, 7),
      repeated: withSingularValues(45, 35, [3, 3, 3, 2, 2, 1, 1, 1, 1, 0.5]),
      graded: graded(40, 40),
      tiny: nd.multiply(randomMatrix(rng, 20, 15), 1e-300),
      huge: nd.multiply(randomMatrix(rng, 15, 20), 1e300),
      bidiagonal: bidiagonalWithZeros(23),
      zeros: nd.zeros([7, 5], "float64"),
      row: randomMatrix(rng, 1, 9),
    };
    const expressions: Record<string, string> = {};
    for (const name of Object.keys(inputs)) expressions[name] = `np.linalg.svd(${name}, compute_uv=False)`;
    const python = evaluatePython(inputs, expressions);
    for (const [name, a] of Object.entries(inputs)) {
      const expected = python[name].array as nd.NDArray;
      const [m, n] = a.shape;
      const norm2 = values(expected)[0] ?? 0;
      const tol = 16 * Math.max(m, n) * eps * norm2;
      assertClose(nd.linalg.svd(a, { computeUv: false }), expected, tol, `${name}: s (values only)`);
      const s = values(expected);
      for (let i = 1; i < s.length; i++) assert.ok(s[i - 1] >= s[i]);
      for (const fullMatrices of [true, false]) {
        const { u, s: s2, vh } = nd.linalg.svd(a, { fullMatrices });
        const label = `${name} full ${fullMatrices}`;
        assertClose(s2, expected, tol, `${label}: s`);
        assert.deepEqual([u.shape, vh.shape], fullMatrices ? [[m, m], [n, n]] : [[m, Math.min(m, n)], [Math.min(m, n), n]], `${label}: shapes`);
        const k = Math.min(m, n);
        const uk = nd.ascontiguousarray(nd.slice(u, ":", { start: 0, stop: k }));
        const vk = nd.ascontiguousarray(nd.slice(vh, { start: 0, stop: k }));
        assertClose(nd.matmul(nd.multiply(uk, s2), vk), a, tol, `${label}: U·diag(s)·Vh = a`);
        assertOrthonormal(u, 16 * Math.max(m, n) * eps, `${label}: U`);
        assertOrthonormal(nd.transpose(vh), 16 * Math.max(m, n) * eps, `${label}: Vh`);
      }
    }
  });

  it("eigh/eigvalsh: w equals NumPy's within 16·n·ε·‖a‖₂, A·v = v·diag(w), V orthonormal", () => {
    const diagonal = nd.diag(nd.fromTypedArray(Float64Array.of(5, -1, 3, 3, 0, -7, 2, 2, 1), [9]));
    const inputs: Record<string, nd.NDArray> = {
      random: symmetric(randomMatrix(rng, 90, 90)),
      repeated: symmetric(withSingularValues(40, 40, Array.from({ length: 40 }, (_, i) => (i < 30 ? 2 : -1)))),
      lowRank: symmetric(lowRankMatrix(rng, 30, 30, 4)),
      graded: symmetric(nd.multiply(graded(30, 30), nd.transpose(graded(30, 1)))),
      tiny: nd.multiply(symmetric(randomMatrix(rng, 12, 12)), 1e-300),
      huge: nd.multiply(symmetric(randomMatrix(rng, 12, 12)), 1e300),
      diagonal,
      split: symmetric(nd.add(bidiagonalWithZeros(17), nd.transpose(bidiagonalWithZeros(17)))),
      zeros: nd.zeros([6, 6], "float64"),
      one: nd.fromTypedArray(Float64Array.of(-4), [1, 1]),
      two: nd.fromTypedArray(Float64Array.of(1, 2, 2, 1), [2, 2]),
    };
    const expressions: Record<string, string> = {};
    for (const name of Object.keys(inputs)) expressions[name] = `np.linalg.eigvalsh(${name})`;
    const python = evaluatePython(inputs, expressions);
    for (const [name, a] of Object.entries(inputs)) {
      const expected = python[name].array as nd.NDArray;
      const n = a.shape[0];
      const norm2 = Math.max(0, ...values(expected).map(Math.abs));
      const tol = 16 * n * eps * norm2;
      assertClose(nd.linalg.eigvalsh(a), expected, tol, `${name}: eigvalsh`);
      const { w, v } = nd.linalg.eigh(a);
      assertClose(w, expected, tol, `${name}: eigh w`);
      assertClose(nd.matmul(a, v), nd.multiply(v, w), tol, `${name}: A·v = v·diag(w)`);
      assertOrthonormal(v, 16 * n * eps, `${name}: V`);
    }
  });
});
