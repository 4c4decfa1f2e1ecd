// nd.linalg's qr, svd, solve, inv, det, cholesky, lstsq and norm's orders 2, −2, "nuc" against
// NumPy 1.24 on seeded matrices (test/ndarray/linalg-matrices.ts): dtypes and shapes exactly,
// values within tol = 64·max(M, N)·ε·‖a‖₂ with ‖a‖₂ bounded by max(M, N)·max|a_ij| (ε of the
// result dtype; the matrices are well-conditioned, so both sides' errors stay under it). qr's signs are LAPACK's, so
// Q and R are compared with NumPy's directly; svd's vectors are unique only up to sign, so they
// are checked by U·diag(s)·Vᵀ = a and orthonormality, s against NumPy's.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";
import { rngOf } from "../array/differential-inputs.js";
import { evaluatePython } from "../array/python-eval.js";
import { assertClose, assertOrthonormalColumns, epsilonOf, lowRankMatrix, maxAbs, randomMatrix, spdMatrix } from "./linalg-matrices.js";

const shapes: Array<[number, number]> = [[6, 4], [4, 6], [5, 5], [1, 3], [3, 1], [13, 7]];
const dtypes: nd.DType[] = ["float64", "float32", "int32"];
const resultDtype = (d: nd.DType): nd.DType => (d === "float32" ? "float32" : "float64");
const tolerance = (a: nd.NDArray, dtype: nd.DType) => 64 * Math.max(...a.shape, 1) * epsilonOf(dtype) * Math.max(1, maxAbs(a)) * Math.max(1, Math.max(...a.shape));

describe("nd.linalg decompositions", () => {
  it("qr equals np.linalg.qr in every mode (LAPACK's signs)", () => {
    const rng = rngOf(41);
    const inputs: Record<string, nd.NDArray> = {};
    const expressions: Record<string, string> = {};
    shapes.forEach((shape, i) => dtypes.forEach((dtype) => {
      const name = `a${i}${dtype}`;
      inputs[name] = randomMatrix(rng, shape[0], shape[1], dtype);
      for (const mode of ["reduced", "complete"]) {
        expressions[`${name}-${mode}-q`] = `np.linalg.qr(${name}, mode="${mode}")[0]`;
        expressions[`${name}-${mode}-r`] = `np.linalg.qr(${name}, mode="${mode}")[1]`;
      }
      expressions[`${name}-r-r`] = `np.linalg.qr(${name}, mode="r")`;
    }));
    const python = evaluatePython(inputs, expressions);
    for (const [name, a] of Object.entries(inputs)) {
      const tol = tolerance(a, resultDtype(a.dtype));
      for (const mode of ["reduced", "complete"] as const) {
        const { q, r } = nd.linalg.qr(a, { mode });
        for (const [part, value] of [["q", q], ["r", r]] as const) {
          const expected = python[`${name}-${mode}-${part}`].array as nd.NDArray;
          assert.equal(value.dtype, expected.dtype, `${name} ${mode} ${part}: dtype`);
          assertClose(value, expected, tol, `${name} ${mode} ${part}`);
        }
        assertOrthonormalColumns(q, tol, `${name} ${mode}`);
      }
      assertClose(nd.linalg.qr(a, { mode: "r" }), python[`${name}-r-r`].array as nd.NDArray, tol, `${name} mode r`);
    }
  });

  it("svd: s equals NumPy's, U·diag(s)·Vh = a, U and Vh orthonormal, NumPy's shapes", () => {
    const rng = rngOf(42);
    const inputs: Record<string, nd.NDArray> = {};
    shapes.forEach((shape, i) => dtypes.forEach((dtype) => { inputs[`a${i}${dtype}`] = randomMatrix(rng, shape[0], shape[1], dtype); }));
    inputs.rankDeficient = lowRankMatrix(rng, 9, 6, 3);
    inputs.zeros = nd.zeros([4, 3], "float64");
    const expressions: Record<string, string> = {};
    for (const name of Object.keys(inputs)) {
      expressions[`${name}-s`] = `np.linalg.svd(${name}, compute_uv=False)`;
      for (const full of [true, false]) for (const part of [0, 2]) expressions[`${name}-${full}-${part}`] = `np.linalg.svd(${name}, full_matrices=${full ? "True" : "False"})[${part}]`;
    }
    const python = evaluatePython(inputs, expressions);
    for (const [name, a] of Object.entries(inputs)) {
      const tol = tolerance(a, resultDtype(a.dtype));
      const s = nd.linalg.svd(a, { computeUv: false });
      assert.equal(s.dtype, python[`${name}-s`].array?.dtype, `${name}: s dtype`);
      assertClose(s, python[`${name}-s`].array as nd.NDArray, tol, `${name}: s`);
      for (const fullMatrices of [true, false]) {
        const { u, s: s2, vh } = nd.linalg.svd(a, { fullMatrices });
        assert.deepEqual([...u.shape], [...(python[`${name}-${fullMatrices}-0`].array as nd.NDArray).shape], `${name} full ${fullMatrices}: U shape`);
        assert.deepEqual([...vh.shape], [...(python[`${name}-${fullMatrices}-2`].array as nd.NDArray).shape], `${name} full ${fullMatrices}: Vh shape`);
        assert.equal(u.dtype, resultDtype(a.dtype));
        const k = s2.shape[0];
        const uk = nd.astype(u, "float64");
        const usv = nd.matmul(nd.multiply(nd.astype(sliceColumns(uk, k), "float64"), nd.astype(s2, "float64")), nd.astype(sliceRows(vh, k), "float64"));
        assertClose(usv, nd.astype(a, "float64"), tol, `${name} full ${fullMatrices}: U·diag(s)·Vh`);
        assertOrthonormalColumns(u, tol, `${name} full ${fullMatrices}: U`);
        assertOrthonormalColumns(nd.transpose(vh), tol, `${name} full ${fullMatrices}: Vhᵀ`);
      }
    }
  });

  it("solve, inv, det and cholesky equal NumPy's", () => {
    const rng = rngOf(43);
    const inputs: Record<string, nd.NDArray> = {};
    const expressions: Record<string, string> = {};
    for (const n of [1, 4, 9]) for (const dtype of dtypes) {
      const name = `a${n}${dtype}`;
      inputs[name] = randomMatrix(rng, n, n, dtype, dtype === "int32" ? 12 : 3);
      inputs[`${name}v`] = nd.reshape(randomMatrix(rng, n, 1, dtype), [n]);
      inputs[`${name}m`] = randomMatrix(rng, n, 3, dtype);
      inputs[`${name}spd`] = spdMatrix(rng, n, dtype);
      // Without the raised diagonal the LU pivots (rows swap), which the determinant's sign follows.
      inputs[`${name}pivoted`] = randomMatrix(rng, n, n, dtype);
      expressions[`${name}-det-pivoted`] = `np.linalg.det(${name}pivoted)`;
      expressions[`${name}-solve-v`] = `np.linalg.solve(${name}, ${name}v)`;
      expressions[`${name}-solve-m`] = `np.linalg.solve(${name}, ${name}m)`;
      expressions[`${name}-inv`] = `np.linalg.inv(${name})`;
      expressions[`${name}-det`] = `np.linalg.det(${name})`;
      expressions[`${name}-cholesky`] = `np.linalg.cholesky(${name}spd)`;
    }
    const python = evaluatePython(inputs, expressions);
    const check = (actual: nd.NDArray, label: string, tol: number) => {
      const expected = python[label].array as nd.NDArray;
      assert.equal(actual.dtype, expected.dtype, `${label}: dtype`);
      assertClose(actual, expected, tol * Math.max(1, maxAbs(expected)), label);
    };
    for (const n of [1, 4, 9]) for (const dtype of dtypes) {
      const name = `a${n}${dtype}`;
      const a = inputs[name];
      const tol = 64 * n * epsilonOf(resultDtype(dtype)) * Math.max(1, maxAbs(a)) * 10;
      check(nd.linalg.solve(a, inputs[`${name}v`]), `${name}-solve-v`, tol);
      check(nd.linalg.solve(a, inputs[`${name}m`]), `${name}-solve-m`, tol);
      check(nd.linalg.inv(a), `${name}-inv`, tol);
      check(nd.linalg.det(a), `${name}-det`, tol * n);
      check(nd.linalg.det(inputs[`${name}pivoted`]), `${name}-det-pivoted`, tol * n * 100);
      check(nd.linalg.cholesky(inputs[`${name}spd`]), `${name}-cholesky`, tol * n);
    }
  });

  it("lstsq equals np.linalg.lstsq: x, residuals, rank, s (full rank, rank-deficient, wide, 1-d b)", () => {
    const rng = rngOf(44);
    const inputs: Record<string, nd.NDArray> = {
      tall: randomMatrix(rng, 12, 4), tallB: randomMatrix(rng, 12, 3), tallV: nd.reshape(randomMatrix(rng, 12, 1), [12]),
      deficient: lowRankMatrix(rng, 10, 6, 3), deficientB: randomMatrix(rng, 10, 2),
      wide: randomMatrix(rng, 3, 7), wideB: randomMatrix(rng, 3, 2),
      square32: randomMatrix(rng, 5, 5, "float32", 3), square32B: randomMatrix(rng, 5, 2, "float32"),
      ints: randomMatrix(rng, 8, 3, "int32"), intsB: nd.reshape(randomMatrix(rng, 8, 1, "int16"), [8]),
      // Exact singular values 1, 0.5, 0.25, 5e-16: rcond null (ε·6) drops the last, the legacy default (ε/2) keeps it.
      graded: nd.fromTypedArray(Float64Array.from({ length: 24 }, (_, i) => (Math.floor(i / 4) === i % 4 ? [1, 0.5, 0.25, 5e-16][i % 4] : 0)), [6, 4]),
      gradedB: randomMatrix(rng, 6, 2),
    };
    const cases: Array<[string, string, number | null | undefined]> = [
      ["tall", "tallB", undefined], ["tall", "tallV", null], ["deficient", "deficientB", null], ["deficient", "deficientB", 0.1],
      ["wide", "wideB", undefined], ["square32", "square32B", null], ["ints", "intsB", undefined],
      ["graded", "gradedB", null], ["graded", "gradedB", undefined],
    ];
    const expressions: Record<string, string> = {};
    cases.forEach(([a, b, rcond], i) => {
      const py = rcond === undefined ? "" : `, rcond=${rcond === null ? "None" : rcond}`;
      for (const part of [0, 1, 2, 3]) expressions[`c${i}-${part}`] = `np.array(np.linalg.lstsq(${a}, ${b}${py})[${part}])`;
    });
    const python = evaluatePython(inputs, expressions);
    cases.forEach(([a, b, rcond], i) => {
      const result = nd.linalg.lstsq(inputs[a], inputs[b], rcond === undefined ? undefined : { rcond });
      const label = `lstsq(${a}, ${b}, rcond ${rcond})`;
      assert.equal(result.rank, Number((python[`c${i}-2`].array as nd.NDArray).toTypedArray()[0]), `${label}: rank`);
      const tol = 1e3 * 64 * epsilonOf(result.x.dtype) * Math.max(1, maxAbs(inputs[b]));
      for (const [part, value] of [[0, result.x], [1, result.residuals], [3, result.s]] as const) {
        const expected = python[`c${i}-${part}`].array as nd.NDArray;
        assert.equal(value.dtype, expected.dtype, `${label} result ${part}: dtype`);
        assertClose(value, expected, tol * Math.max(1, maxAbs(expected)), `${label} result ${part}`);
      }
    });
  });

  it("norm's orders 2, −2 and nuc equal np.linalg.norm's, over any two axes, keepdims", () => {
    const rng = rngOf(45);
    const inputs = { m: randomMatrix(rng, 6, 4), m32: randomMatrix(rng, 5, 7, "float32"), v: nd.reshape(randomMatrix(rng, 3, 20), [3, 4, 5]), i: randomMatrix(rng, 4, 4, "int8") };
    const cases: Array<[keyof typeof inputs, nd.linalg.NormOptions, string]> = [];
    for (const ord of [2, -2, "nuc"] as const) {
      const py = typeof ord === "string" ? `"${ord}"` : String(ord);
      cases.push(["m", { ord }, `ord=${py}`], ["m32", { ord, keepdims: true }, `ord=${py}, keepdims=True`], ["i", { ord }, `ord=${py}`]);
      cases.push(["v", { ord, axis: [2, 0] }, `ord=${py}, axis=(2, 0)`], ["v", { ord, axis: [1, 2], keepdims: true }, `ord=${py}, axis=(1, 2), keepdims=True`]);
    }
    const python = evaluatePython(inputs, Object.fromEntries(cases.map(([x, , py], i) => [`c${i}`, `np.linalg.norm(${x}, ${py})`])));
    cases.forEach(([x, options], i) => {
      const expected = python[`c${i}`].array as nd.NDArray;
      const actual = nd.linalg.norm(inputs[x], options);
      assert.equal(actual.dtype, expected.dtype, `case ${i}: dtype`);
      assertClose(actual, expected, 64 * 20 * epsilonOf(actual.dtype) * Math.max(1, maxAbs(expected)), `norm case ${i} ${JSON.stringify(options)}`);
    });
  });

  it("eigh and eigvalsh: w equals NumPy's (ascending), A·v = v·diag(w), v orthonormal, only the uplo triangle read", () => {
    const rng = rngOf(46);
    const inputs: Record<string, nd.NDArray> = { s: spdMatrix(rng, 7), n32: randomMatrix(rng, 6, 6, "float32"), ni: randomMatrix(rng, 5, 5, "int32"), one: randomMatrix(rng, 1, 1) };
    const cases: Array<[string, "L" | "U"]> = [["s", "L"], ["n32", "L"], ["n32", "U"], ["ni", "U"], ["one", "L"]];
    const python = evaluatePython(inputs, Object.fromEntries(cases.flatMap(([x, uplo], i) => [[`c${i}`, `np.linalg.eigvalsh(${x}, UPLO="${uplo}")`], [`m${i}`, `np.tril(${x}) + np.tril(${x}, -1).T if "${uplo}" == "L" else np.triu(${x}) + np.triu(${x}, 1).T`]])));
    cases.forEach(([x, uplo], i) => {
      const expected = python[`c${i}`].array as nd.NDArray;
      const { w, v } = nd.linalg.eigh(inputs[x], { uplo });
      const tol = tolerance(inputs[x], resultDtype(inputs[x].dtype));
      assert.equal(w.dtype, expected.dtype, `${x} ${uplo}: dtype`);
      assertClose(w, expected, tol, `eigh(${x}, ${uplo}) w`);
      assertClose(nd.linalg.eigvalsh(inputs[x], { uplo }), expected, tol, `eigvalsh(${x}, ${uplo})`);
      // The symmetric matrix NumPy reads (the named triangle mirrored): A·v = v·diag(w).
      const symmetric = nd.astype(python[`m${i}`].array as nd.NDArray, "float64");
      const v64 = nd.astype(v, "float64");
      assertClose(nd.matmul(symmetric, v64), nd.multiply(v64, nd.astype(w, "float64")), tol, `eigh(${x}, ${uplo}): A·v = v·diag(w)`);
      assertOrthonormalColumns(v, tol, `eigh(${x}, ${uplo})`);
    });
    assert.throws(() => nd.linalg.eigh(inputs.s, { uplo: "X" as never }), /uplo must be "L" or "U"/);
    assert.throws(() => nd.linalg.eigvalsh(randomMatrix(rng, 2, 3)), { name: "LinAlgError", message: /must be square/ });
  });

  it("refuses what it cannot decompose, by name", () => {
    const wide = randomMatrix(rngOf(1), 3, 4);
    const singular = nd.fromTypedArray(Float64Array.of(1, 2, 2, 4), [2, 2]);
    for (const f of [nd.linalg.inv, nd.linalg.det, nd.linalg.cholesky]) assert.throws(() => f(wide), { name: "LinAlgError", message: /must be square, got 3 × 4/ });
    assert.throws(() => nd.linalg.solve(singular, nd.ones([2], "float64")), { name: "LinAlgError", message: /Singular matrix/ });
    assert.throws(() => nd.linalg.inv(singular), { name: "LinAlgError", message: /Singular matrix/ });
    assert.equal(Number(nd.linalg.det(singular).toTypedArray()[0]), 0);
    // Indefinite, and semidefinite (a zero pivot): LAPACK's dpotrf refuses both.
    for (const values of [[1, 2, 2, 1], [1, 1, 1, 0.5], [1, 1, 1, 1]]) {
      assert.throws(() => nd.linalg.cholesky(nd.fromTypedArray(Float64Array.from(values), [2, 2])), { name: "LinAlgError", message: /not positive definite/ }, JSON.stringify(values));
    }
    assert.throws(() => nd.linalg.solve(nd.eye(3), nd.ones([4], "float64")), /b has 4 rows, a is 3 × 3/);
    assert.throws(() => nd.linalg.qr(wide, { mode: "raw" as never }), /unrecognized mode "raw"/);
    assert.throws(() => nd.linalg.qr(wide, { pivoting: true } as never), /unknown option "pivoting"/);
    assert.throws(() => nd.linalg.svd(wide, { full_matrices: false } as never), /unknown option "full_matrices"/);
    assert.throws(() => nd.linalg.lstsq(wide, nd.ones([3], "float64"), { rcond: "warn" } as never), /rcond must be a number or null/);
    assert.throws(() => nd.linalg.svd(nd.ones([2, 3, 4], "float64")), /3-dimensional array given.*stacks of matrices/);
    assert.throws(() => nd.linalg.svd(nd.fromTypedArray(Float64Array.of(1, NaN), [1, 2])), { name: "LinAlgError", message: /infs or NaNs/ });
  });
});

function sliceColumns(a: nd.NDArray, k: number): nd.NDArray {
  const [rows, cols] = a.shape;
  const v = nd.ascontiguousarray(a).toTypedArray() as Float64Array;
  return nd.fromTypedArray(Float64Array.from({ length: rows * k }, (_, i) => v[Math.floor(i / k) * cols + (i % k)]), [rows, k]);
}

function sliceRows(a: nd.NDArray, k: number): nd.NDArray {
  const cols = a.shape[1];
  const v = nd.ascontiguousarray(nd.astype(a, "float64")).toTypedArray() as Float64Array;
  return nd.fromTypedArray(v.slice(0, k * cols), [k, cols]);
}
