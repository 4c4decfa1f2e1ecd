// Eager tensordot, dot, matmul and outer against NumPy 1.24: seeded random cases over every
// dtype pair drawn (NumPy's promotion), 1-d to 3-d operands, tensordot axes by count and by
// lists (negative ones too), matmul batch axes that broadcast; values exact for integers and
// bool (wrapping as NumPy), within k·eps·Σ|a||b| for floats (contraction-cases.ts says why).
// Then NumPy's refusals, each naming what is wrong. DIFFERENTIAL_SEED=n reruns another seed.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";
import { evaluatePython } from "../array/python-eval.js";
import { rngOf } from "../array/differential-inputs.js";
import { assertContractionClose, drawContraction, pythonBound, pythonNanTerms } from "./contraction-cases.js";

const seed = Number(process.env.DIFFERENTIAL_SEED ?? 20261205);
const count = Number(process.env.DIFFERENTIAL_CASES ?? 200);

describe(`eager contractions against NumPy (seed ${seed})`, () => {
  it(`${count} random cases: NumPy's dtype, shape and values`, () => {
    const cases = Array.from({ length: count }, (_, i) => drawContraction(rngOf(seed + i), i));
    const inputs: Record<string, nd.NDArray> = {};
    const expressions: Record<string, string> = {};
    cases.forEach((c, i) => {
      inputs[`a${i}`] = c.a;
      inputs[`b${i}`] = c.b;
      expressions[`${c.label}_np`] = c.python(`a${i}`, `b${i}`, "np");
      expressions[`${c.label}_bound`] = pythonBound(c, `a${i}`, `b${i}`);
      expressions[`${c.label}_nan`] = pythonNanTerms(c, `a${i}`, `b${i}`);
    });
    const python = evaluatePython(inputs, expressions);
    const seen = new Set<string>();
    for (const c of cases) {
      const numpy = python[`${c.label}_np`];
      const bound = python[`${c.label}_bound`];
      const nanTerms = python[`${c.label}_nan`];
      assert.ok(numpy.array && bound.array && nanTerms.array, `${c.label}: NumPy refused: ${numpy.error ?? bound.error ?? nanTerms.error}`);
      assertContractionClose(c.eager(), numpy.array, bound.array, nanTerms.array, c.k, `${c.label} (seed ${seed})`);
      seen.add(c.op);
      seen.add(c.a.dtype);
    }
    // The draw reaches every operation and every dtype.
    for (const what of ["tensordot", "dot", "matmul", "outer", ...nd.dtypes]) assert.ok(seen.has(what), `no case of ${what}`);
  });

  it("wraps integer products as NumPy does and keeps bool · bool bool", () => {
    const big = nd.array([2 ** 31 - 1, 2 ** 31 - 1], { dtype: "int32" });
    assert.equal(nd.dot(big, big).item(), 2, "(2^31 − 1)² · 2 modulo 2^32");
    const int64 = nd.array([2n ** 62n, 3n], { dtype: "int64" });
    assert.equal(nd.dot(int64, nd.array([4n, 1n], { dtype: "int64" })).item(), 3n, "2^64 wraps to 0");
    const mask = nd.array([[true, false], [false, false]], { dtype: "bool" });
    const product = nd.matmul(mask, mask);
    assert.equal(product.dtype, "bool");
    assert.deepEqual(product.toArray(), [[true, false], [false, false]]);
    // 0 · inf is NaN: a zero of a must not be skipped for floats.
    assert.ok(Number.isNaN(nd.dot(nd.array([0, 1]), nd.array([Infinity, 1])).item() as number));
  });

  it("refuses what NumPy refuses, naming it", () => {
    const a = nd.zeros([2, 3]);
    const b = nd.zeros([4, 5]);
    assert.throws(() => nd.dot(a, b), /dot: shapes \(2,3\) and \(4,5\) not aligned: 3 \(dim 1\) != 4 \(dim 0\)/);
    assert.throws(() => nd.matmul(a, b), /matmul: Input operand 1 has a mismatch in its core dimension 0.*size 4 is different from 3/);
    assert.throws(() => nd.matmul(a, nd.zeros([])), /matmul: Input operand 1 does not have enough dimensions/);
    assert.throws(() => nd.matmul(nd.zeros([2, 2, 3]), nd.zeros([3, 3, 4])), /matmul: the batch axes .* do not broadcast/);
    assert.throws(() => nd.tensordot(a, b, 1), /tensordot: shape-mismatch for sum: axis 1 of a has length 3, axis 0 of b has length 4/);
    assert.throws(() => nd.tensordot(a, a, [[1], [5]]), /tensordot: axis 5 is out of bounds for b with 2 axes/);
    assert.throws(() => nd.tensordot(a, a, [[0, 0], [0, 1]]), /tensordot: axes for a name an axis twice/);
    assert.throws(() => nd.tensordot(a, a, [[0], [0, 1]]), /tensordot: shape-mismatch for sum: 1 axes of a paired with 2 of b/);
    assert.throws(() => nd.tensordot(a, a, -1), /tensordot: axes must be a non-negative integer/);
    assert.throws(() => nd.tensordot(a, a, 3), /tensordot: axes=3 contracts more axes than a \(2\)/);
    assert.throws(() => nd.tensordot(a, a, "x" as never), /tensordot: axes must be a non-negative integer or a pair/);
    assert.throws(() => nd.outer(a, 3 as never), /outer \(b\): expected an NDArray/);
  });
});
