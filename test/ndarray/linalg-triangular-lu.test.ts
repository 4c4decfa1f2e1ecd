// nd.linalg.solveTriangular and nd.linalg.lu against scipy.linalg 1.10 (solve_triangular, lu):
// solves with lower/upper, every trans, unitDiagonal (with a diagonal that must not be read),
// b 1-d and 2-d, mixed dtypes (scipy's result dtype), values within 64·n·ε·κ-free bounds on
// well-conditioned triangles; LU's p, l and u compared entry by entry (the pivoting is
// deterministic) on square, tall, wide, singular and integer matrices, permuteL; refusals.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";
import { rngOf } from "../array/differential-inputs.js";
import { evaluatePython } from "../array/python-eval.js";
import { assertClose, epsilonOf, randomMatrix } from "./linalg-matrices.js";

const sl = '__import__("scipy.linalg", fromlist=["lu"])';
const rng = rngOf(61);
const pyBool = (v: boolean) => (v ? "True" : "False");

describe("nd.linalg.solveTriangular", () => {
  it("equals scipy.linalg.solve_triangular: lower/upper, trans, unitDiagonal, b 1-d and 2-d, result dtypes", () => {
    // Well-conditioned in both triangles: a raised diagonal; garbage diagonal entries for unitDiagonal are the same matrix's.
    const inputs: Record<string, nd.NDArray> = {
      a: randomMatrix(rng, 9, 9, "float64", 4),
      a32: randomMatrix(rng, 9, 9, "float32", 4),
      ai: randomMatrix(rng, 9, 9, "int32", 12),
      b1: nd.reshape(randomMatrix(rng, 9, 1, "float64"), [9]),
      b2: randomMatrix(rng, 9, 4, "float64"),
      b32: randomMatrix(rng, 9, 3, "float32"),
      bi: randomMatrix(rng, 9, 2, "int32"),
      bb: nd.greater(randomMatrix(rng, 9, 2, "float64"), 0),
    };
    const cases: Array<{ a: string; b: string; lower?: boolean; trans?: 0 | 1 | 2 | "N" | "T" | "C"; unitDiagonal?: boolean }> = [];
    for (const lower of [false, true]) for (const trans of [0, 1, 2, "N", "T", "C"] as const) cases.push({ a: "a", b: "b2", lower, trans });
    for (const lower of [false, true]) cases.push({ a: "a", b: "b1", lower, unitDiagonal: true }, { a: "a", b: "b2", lower, trans: 1, unitDiagonal: true });
    cases.push({ a: "a32", b: "b32" }, { a: "a32", b: "b2", lower: true }, { a: "a", b: "b32" }, { a: "ai", b: "bi" }, { a: "ai", b: "b32" }, { a: "a32", b: "bb" }, { a: "a32", b: "bi" }, { a: "a", b: "b1" });
    const expressions: Record<string, string> = {};
    cases.forEach((c, i) => {
      const trans = typeof c.trans === "string" ? `"${c.trans}"` : String(c.trans ?? 0);
      expressions[`c${i}`] = `${sl}.solve_triangular(${c.a}, ${c.b}, lower=${pyBool(c.lower ?? false)}, trans=${trans}, unit_diagonal=${pyBool(c.unitDiagonal ?? false)})`;
    });
    const python = evaluatePython(inputs, expressions);
    cases.forEach((c, i) => {
      const expected = python[`c${i}`].array as nd.NDArray;
      const x = nd.linalg.solveTriangular(inputs[c.a], inputs[c.b], { lower: c.lower, trans: c.trans, unitDiagonal: c.unitDiagonal });
      assert.equal(x.dtype, expected.dtype, `${JSON.stringify(c)}: dtype`);
      assertClose(x, expected, 64 * 9 * epsilonOf(x.dtype) * 10, JSON.stringify(c));
    });
  });

  it("refuses what scipy refuses, and what scipy would pass on or reshape, by name", () => {
    const a = randomMatrix(rng, 4, 4, "float64", 3);
    assert.throws(() => nd.linalg.solveTriangular(randomMatrix(rng, 2, 3), nd.ones([2], "float64")), /expected square matrix/);
    assert.throws(() => nd.linalg.solveTriangular(a, nd.ones([5], "float64")), /shapes of a \[4,4\] and b \[5\] are incompatible/);
    assert.throws(() => nd.linalg.solveTriangular(a, nd.ones([4, 2, 2], "float64")), /3-dimensional array given/);
    assert.throws(() => nd.linalg.solveTriangular(nd.zeros([0, 0], "float64"), nd.zeros([0], "float64")), /empty arrays/);
    assert.throws(() => nd.linalg.solveTriangular(a, nd.ones([4], "float64"), { trans: 3 as never }), /trans must be 0, 1, 2, "N", "T" or "C"/);
    assert.throws(() => nd.linalg.solveTriangular(a, nd.ones([4], "float64"), { unit_diagonal: true } as never), /unknown option "unit_diagonal"/);
    assert.throws(() => nd.linalg.solveTriangular(a, nd.ones([4], "float64"), { lower: 1 as never }), /lower must be true or false/);
    const nan = nd.fromTypedArray(Float64Array.of(1, NaN, 1, 1), [4]);
    assert.throws(() => nd.linalg.solveTriangular(a, nan), /must not contain infs or NaNs/);
    // Two zeros on the diagonal: dtrtrs names the first in index order, whichever way the substitution runs.
    const singular = nd.multiply(a, nd.fromTypedArray(Float64Array.of(1, 0, 1, 0), [4]));
    for (const lower of [false, true]) assert.throws(() => nd.linalg.solveTriangular(singular, nd.ones([4], "float64"), { lower }), { name: "LinAlgError", message: /singular matrix: resolution failed at diagonal 1$/ });
    assert.equal(nd.linalg.solveTriangular(singular, nd.ones([4], "float64"), { unitDiagonal: true }).shape[0], 4, "a unit diagonal is not read");
  });
});

describe("nd.linalg.lu", () => {
  it("equals scipy.linalg.lu: p, l and u entry by entry (square, tall, wide, singular, float32, int32), permuteL", () => {
    const singular = randomMatrix(rng, 6, 6);
    const singularValues = Array.from(nd.ascontiguousarray(singular).toTypedArray() as Float64Array);
    // An exactly zero column: its pivot is exactly 0 (dgetrf leaves the column and goes on), with no rounding to compare.
    for (let i = 0; i < 6; i++) singularValues[i * 6 + 2] = 0;
    const inputs: Record<string, nd.NDArray> = {
      square: randomMatrix(rng, 12, 12),
      tall: randomMatrix(rng, 11, 5),
      wide: randomMatrix(rng, 4, 9),
      singular: nd.fromTypedArray(Float64Array.from(singularValues), [6, 6]),
      f32: randomMatrix(rng, 7, 7, "float32"),
      ints: randomMatrix(rng, 8, 8, "int32"),
      one: nd.fromTypedArray(Float64Array.of(-3), [1, 1]),
    };
    const expressions: Record<string, string> = {};
    for (const name of Object.keys(inputs)) {
      for (const part of [0, 1, 2]) expressions[`${name}-${part}`] = `${sl}.lu(${name})[${part}]`;
      for (const part of [0, 1]) expressions[`${name}-pl-${part}`] = `${sl}.lu(${name}, permute_l=True)[${part}]`;
    }
    const python = evaluatePython(inputs, expressions);
    for (const [name, a] of Object.entries(inputs)) {
      const tol = 64 * Math.max(...a.shape) * epsilonOf(a.dtype === "float32" ? "float32" : "float64") * 8;
      nd.linalg.lu(a).forEach((part, p) => {
        const expected = python[`${name}-${p}`].array as nd.NDArray;
        assert.equal(part.dtype, expected.dtype, `${name} part ${p}: dtype`);
        assertClose(part, expected, tol, `${name} part ${p}`);
      });
      nd.linalg.lu(a, { permuteL: true }).forEach((part, p) => assertClose(part, python[`${name}-pl-${p}`].array as nd.NDArray, tol, `${name} permuteL part ${p}`));
    }
  });

  it("refuses what scipy refuses and options it does not have, by name", () => {
    assert.throws(() => nd.linalg.lu(nd.ones([3], "float64")), /1-dimensional array given/);
    assert.throws(() => nd.linalg.lu(nd.zeros([0, 0], "float64")), /empty matrix/);
    assert.throws(() => nd.linalg.lu(nd.fromTypedArray(Float64Array.of(1, Infinity), [1, 2])), /must not contain infs or NaNs/);
    assert.throws(() => nd.linalg.lu(nd.eye(2), { permute_l: true } as never), /unknown option "permute_l"/);
    assert.throws(() => nd.linalg.lu(nd.eye(2), { permuteL: "yes" as never }), /permuteL must be true or false/);
  });
});
