/**
 * complex64 / complex128 in tessera/ndarray against NumPy 1.24: construction, promotion,
 * casts, views and joins (both halves move), elementwise arithmetic with broadcasting and
 * scalars, abs/real/imag/conj/angle, classification and reductions.
 * Tolerances: 0 (identical) for +, −, ×, ÷, casts and moves (NumPy's float32 steps are
 * reproduced with Math.fround); 4e-16 / 2e-7 (complex128 / complex64, of the largest magnitude)
 * for sums (NumPy blocks its pairwise sums of pairs differently), products (NumPy's
 * multiply.reduce differs from its own sequential products in the last bit) and for hypot, atan2, exp, log,
 * sqrt and non-integral powers (libm versus V8 in the last bits).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";
import { evaluatePython } from "../array/python-eval.js";
import { assertCloseArray, randomComplex, randomReal } from "./complex-compare.js";

const loose = { complex64: 2e-7, complex128: 4e-16 } as const;

function compare(inputs: Record<string, nd.NDArray>, cases: Record<string, [string, () => nd.NDArray, number?]>): void {
  const expressions = Object.fromEntries(Object.entries(cases).map(([label, [python]]) => [label, python]));
  const expected = evaluatePython(inputs, expressions);
  for (const [label, [, run, tolerance]] of Object.entries(cases)) {
    const reference = expected[label];
    assert.ok(reference.array, `${label}: NumPy raised ${reference.error}`);
    assertCloseArray(run(), reference.array, label, tolerance ?? 0);
  }
}

describe("complex arrays against NumPy", () => {
  for (const dtype of ["complex64", "complex128"] as const) {
    it(`${dtype}: construction, casts, views and joins move both halves`, () => {
      const z = randomComplex([4, 5, 3], dtype, 11);
      const w = randomComplex([4, 2, 3], dtype, 12);
      const part = dtype === "complex64" ? "float32" : "float64";
      const re = randomReal([4, 5, 3], part, 11);
      const im = randomReal([4, 5, 3], part, 11 * 7 + 3);
      const i16 = randomReal([4, 5, 3], "int16", 5, 300);
      compare({ z, w, re, im, i16 }, {
        build: ["re + 1j * im", () => nd.complex(re, im)],
        transpose: ["z.transpose(2, 0, 1)", () => nd.copy(nd.transpose(z, [2, 0, 1]))],
        reshape: ["z.transpose(1, 0, 2).reshape(5, 12)", () => nd.reshape(nd.transpose(z, [1, 0, 2]), [5, 12])],
        slice: ["z[1:4, ::2, -1]", () => nd.copy(nd.slice(z, { start: 1, stop: 4 }, { step: 2 }, -1))],
        concat: ["np.concatenate([z, w], axis=1)", () => nd.concatenate([z, w], 1)],
        concatMixed: ["np.concatenate([z, i16], axis=0)", () => nd.concatenate([z, i16], 0)],
        stack: ["np.stack([z[:, :2], w], axis=-1)", () => nd.stack([nd.slice(z, ":", { stop: 2 }), w], -1)],
        toReal: [`z.astype(np.${part})`, () => nd.astype(z, part)],
        toInt: ["(z * 3).astype(np.int32)", () => nd.astype(nd.multiply(z, 3), "int32")],
        toBool: ["(z * (np.abs(z) > 5)).astype(bool)", () => nd.astype(nd.multiply(z, nd.greater(nd.abs(z), 5)), "bool")],
        fromInt: [`i16.astype(np.${dtype})`, () => nd.astype(i16, dtype)],
        widen: ["z.astype(np.complex128)", () => nd.astype(z, "complex128")],
        narrow: ["z.astype(np.complex64)", () => nd.astype(z, "complex64")],
        zeros: [`np.zeros((2, 3), np.${dtype})`, () => nd.zeros([2, 3], dtype)],
        ones: [`np.ones((2, 3), np.${dtype})`, () => nd.ones([2, 3], dtype)],
        full: [`np.full((2, 3), 1.5 - 2j, np.${dtype})`, () => nd.full([2, 3], { re: 1.5, im: -2 }, dtype)],
      });
    });

    it(`${dtype}: arithmetic with broadcasting, scalars and real operands`, () => {
      const z = randomComplex([5, 4], dtype, 21);
      const w = randomComplex([4], dtype, 22);
      const f32 = randomReal([5, 1], "float32", 23);
      const f64 = randomReal([5, 4], "float64", 24);
      const i32 = randomReal([4], "int32", 25, 50);
      const t = loose[dtype];
      compare({ z, w, f32, f64, i32 }, {
        add: ["z + w", () => nd.add(z, w)],
        subtract: ["z - f32", () => nd.subtract(z, f32)],
        multiply: ["z * w", () => nd.multiply(z, w)],
        multiplyF64: ["z * f64", () => nd.multiply(z, f64)],
        divide: ["z / w", () => nd.divide(z, w)],
        divideInt: ["i32 / z", () => nd.divide(i32, z)],
        scalarAdd: ["z + 2.5", () => nd.add(z, 2.5)],
        scalarMul: ["3 * z", () => nd.multiply(3, z)],
        negative: ["-z", () => nd.negative(z)],
        square: ["np.square(z)", () => nd.square(z)],
        reciprocal: ["np.reciprocal(z)", () => nd.reciprocal(z)],
        powerInt: ["z ** 3", () => nd.power(z, 3)],
        powerNeg: ["z ** -2", () => nd.power(z, -2)],
        powerArray: ["z ** w", () => nd.power(z, w), t * 100],
        abs: ["np.abs(z)", () => nd.abs(z), t],
        real: ["np.real(z)", () => nd.real(z)],
        imag: ["np.imag(z)", () => nd.imag(z)],
        conj: ["np.conj(z)", () => nd.conj(z)],
        angle: ["np.angle(z)", () => nd.angle(z), t],
        angleDeg: ["np.angle(z, deg=True)", () => nd.angle(z, { deg: true }), t],
        sqrt: ["np.sqrt(z)", () => nd.sqrt(z), t],
        exp: ["np.exp(z / 4)", () => nd.exp(nd.divide(z, 4)), t * 4],
        log: ["np.log(z)", () => nd.log(z), t],
        equal: ["np.concatenate([z[:2], np.broadcast_to(w, (3, 4))]) == w", () => nd.equal(nd.concatenate([nd.slice(z, { stop: 2 }), nd.broadcastTo(w, [3, 4])]), w)],
        notEqual: ["np.concatenate([z[:2], np.broadcast_to(w, (3, 4))]) != w", () => nd.notEqual(nd.concatenate([nd.slice(z, { stop: 2 }), nd.broadcastTo(w, [3, 4])]), w)],
        equalReal: ["z.real.astype(z.dtype) == z.real", () => nd.equal(nd.astype(nd.real(z), dtype), nd.real(z))],
        where: ["np.where(f64 > 0, z, w)", () => nd.where(nd.greater(f64, 0), z, w)],
        whereReal: ["np.where(i32 > 0, f32, z)", () => nd.where(nd.greater(i32, 0), f32, z)],
        whereScalar: ["np.where(f64 > 0, z, 0)", () => nd.where(nd.greater(f64, 0), z, 0)],
      });
    });

    it(`${dtype}: reductions, classification and special values`, () => {
      const z = randomComplex([6, 7, 5], dtype, 31);
      const part = dtype === "complex64" ? "float32" : "float64";
      const specials = nd.complex(nd.array([NaN, Infinity, 1, -Infinity, 0, 2], { dtype: part }), nd.array([0, 1, NaN, 0, Infinity, -0], { dtype: part }));
      const t = loose[dtype] * 8;
      compare({ z, specials }, {
        sumAll: ["np.sum(z)", () => nd.sum(z), t],
        sumAxis: ["np.sum(z, axis=1)", () => nd.sum(z, { axis: 1 }), t],
        sumKeep: ["np.sum(z, axis=(0, 2), keepdims=True)", () => nd.sum(z, { axis: [0, 2], keepdims: true }), t],
        sumWide: ["np.sum(z, axis=0, dtype=np.complex128)", () => nd.sum(z, { axis: 0, dtype: "complex128" }), t],
        meanAll: ["np.mean(z)", () => nd.mean(z), t],
        meanAxis: ["np.mean(z, axis=2, keepdims=True)", () => nd.mean(z, { axis: 2, keepdims: true }), t],
        prodAxis: ["np.prod(z[:, :3] / 5, axis=1)", () => nd.prod(nd.divide(nd.slice(z, ":", { stop: 3 }), 5), { axis: 1 }), t],
        prodKeep: ["np.prod(z[:2, :2, :2] / 5, axis=(0, 2), keepdims=True)", () => nd.prod(nd.divide(nd.slice(z, { stop: 2 }, { stop: 2 }, { stop: 2 }), 5), { axis: [0, 2], keepdims: true }), t],
        isnan: ["np.isnan(specials)", () => nd.isnan(specials)],
        isinf: ["np.isinf(specials)", () => nd.isinf(specials)],
        isfinite: ["np.isfinite(specials)", () => nd.isfinite(specials)],
        iscomplex: ["np.iscomplex(specials)", () => nd.iscomplex(specials)],
        isreal: ["np.isreal(specials)", () => nd.isreal(specials)],
        isrealOfReal: ["np.isreal(z.real)", () => nd.isreal(nd.real(z))],
        iscomplexOfReal: ["np.iscomplex(z.real)", () => nd.iscomplex(nd.real(z))],
        imagOfReal: ["np.imag(z.real)", () => nd.imag(nd.real(z))],
        conjOfReal: ["np.conj(z.real)", () => nd.conj(nd.real(z))],
        angleOfReal: ["np.angle(z.real)", () => nd.angle(nd.real(z)), t],
      });
      assert.equal(nd.iscomplexobj(z), true);
      assert.equal(nd.iscomplexobj(nd.real(z)), false);
    });
  }
});

describe("complex promotion and values", () => {
  it("promoteTypes with complex is NumPy's table", () => {
    const names = [...nd.dtypes, ...nd.complexDTypes];
    const expressions: Record<string, string> = {};
    for (const c of nd.complexDTypes) for (const other of names) expressions[`${c}_${other}`] = `np.zeros(0, np.promote_types(np.${c}, np.${other === "bool" ? "bool_" : other}))`;
    const expected = evaluatePython({}, expressions);
    for (const c of nd.complexDTypes) {
      for (const other of names) {
        const reference = expected[`${c}_${other}`].array as nd.NDArray;
        assert.equal(nd.promoteTypes(c, other), reference.dtype, `${c} with ${other}`);
        assert.equal(nd.promoteTypes(other, c), reference.dtype, `${other} with ${c}`);
      }
    }
  });

  it("elements read back as { re, im }; the interleaved storage is NumPy's layout", () => {
    const z = nd.array([[{ re: 1, im: 2 }, { re: 3, im: -4 }]], { dtype: "complex64" });
    assert.deepEqual(z.toArray(), [[{ re: 1, im: 2 }, { re: 3, im: -4 }]]);
    assert.deepEqual(nd.transpose(z).item(1, 0), { re: 3, im: -4 });
    assert.deepEqual([...z.toStorage()], [1, 2, 3, -4]);
    const wrapped = nd.fromTypedArray(new Float64Array([5, 6, 7, 8]), [2], { dtype: "complex128" });
    assert.deepEqual(wrapped.toArray(), [{ re: 5, im: 6 }, { re: 7, im: 8 }]);
    assert.throws(() => nd.fromTypedArray(new Float64Array([1, 2, 3]), undefined, { dtype: "complex128" }), /even number of slots/);
    assert.throws(() => z.data, /does not support complex input \(complex64\)/);
    assert.throws(() => z.toTypedArray(), /does not support complex input/);
  });
});
