/**
 * dask.array.ma's constructors and helpers against Dask 2022.12 (`{X}`: a Dask masked array
 * with tessera's chunks) and numpy.ma 1.24: masked_array (mask coercion, scalar mask, dtype,
 * fill value), the masked_* family, masked_values, masked_invalid, fix_invalid, filled,
 * getdata, getmaskarray, set_fill_value, count, average (weights, returned) and the *_like.
 */
import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import * as nd from "../../../src/ndarray/index.js";
import * as ta from "../../../src/array/index.js";
import { evaluateMasked, assertSameMasked, type MaskedReference } from "./masked-eval.js";
import { assertSameArray } from "../python-eval.js";
import { chunks, dataOf, input, lazy, maskOf, shape } from "./masked-inputs.js";

const lazyChunks = chunks.map((c) => [...c]);
const withSpecial = (() => {
  const values = dataOf("float64", 3).toArray() as number[][];
  values[5][1] = NaN; values[9][2] = Infinity; values[20][22] = -Infinity; values[36][0] = NaN; values[1][1] = NaN;
  return nd.array(values);
})();
const x = input(dataOf("float64", 3));
const i = input(dataOf("int32", 13));
const v = input(withSpecial);
const X = lazy(x);
const I = lazy(i);
const V = lazy(v);
const rawX = ta.fromArray(x.data, { chunks: lazyChunks });
const intMask = nd.astype(maskOf(), "int32");
const weights = dataOf("float64", 41, 0, 4);

const cases: Record<string, [string, () => ta.ma.MaskedArray]> = {
  maskedArray: ["da.ma.masked_array(x_d, mask=x_m)", () => ta.ma.maskedArray(rawX, { mask: ta.fromArray(x.mask, { chunks: lazyChunks }) })],
  maskedArrayIntMask: ["da.ma.masked_array(x_d, mask=int_m)", () => ta.ma.maskedArray(rawX, { mask: intMask })],
  maskedArrayScalarMask: ["da.ma.masked_array(x_d, mask=True)", () => ta.ma.maskedArray(rawX, { mask: true })],
  maskedArrayKeepsMask: ["da.ma.masked_array({X}, mask=y_m)", () => ta.ma.maskedArray(X, { mask: maskOf(5) })],
  maskedArrayFill: ["da.ma.masked_array(x_d, mask=x_m, fill_value=-1)", () => ta.ma.maskedArray(x.data, { mask: x.mask, fillValue: -1 })],
  maskedArrayDtype: ["da.ma.masked_array(i_d, mask=x_m, dtype=np.float32)", () => ta.ma.maskedArray(i.data, { mask: x.mask, dtype: "float32" })],
  maskedEqual: ["da.ma.masked_equal({X}, 2)", () => ta.ma.maskedEqual(X, 2)],
  maskedNotEqual: ["da.ma.masked_not_equal({I}, 2)", () => ta.ma.maskedNotEqual(I, 2)],
  maskedGreater: ["da.ma.masked_greater({X}, 1)", () => ta.ma.maskedGreater(X, 1)],
  maskedGreaterEqual: ["da.ma.masked_greater_equal({I}, 1)", () => ta.ma.maskedGreaterEqual(I, 1)],
  maskedLess: ["da.ma.masked_less(x_d, 0)", () => ta.ma.maskedLess(rawX, 0)],
  maskedLessEqual: ["da.ma.masked_less_equal({X}, 0)", () => ta.ma.maskedLessEqual(X, 0)],
  maskedInside: ["da.ma.masked_inside({X}, 2, -1)", () => ta.ma.maskedInside(X, 2, -1)],
  maskedOutside: ["da.ma.masked_outside({I}, -1, 2)", () => ta.ma.maskedOutside(I, -1, 2)],
  maskedWhere: ["da.ma.masked_where(y_d > 0, {X})", () => ta.ma.maskedWhere(ta.fromArray(dataOf("float64", 11), { chunks: lazyChunks }).gt(0), X)],
  maskedWhereScalar: ["da.ma.masked_where(False, {X})", () => ta.ma.maskedWhere(false, X)],
  maskedWhereNonBool: ["da.ma.masked_where(int_m, x_d)", () => ta.ma.maskedWhere(intMask, rawX)],
  maskedInvalid: ["da.ma.masked_invalid({V})", () => ta.ma.maskedInvalid(V)],
  maskedValues: ["da.ma.masked_values({X}, 2.0000001)", () => ta.ma.maskedValues(X, 2.0000001)],
  maskedValuesTight: ["da.ma.masked_values({X}, 2.0000001, rtol=0, atol=1e-9)", () => ta.ma.maskedValues(X, 2.0000001, { rtol: 0, atol: 1e-9 })],
  maskedValuesInt: ["da.ma.masked_values({I}, 2)", () => ta.ma.maskedValues(I, 2)],
  fixInvalid: ["da.ma.fix_invalid({V})", () => ta.ma.fixInvalid(V)],
  fixInvalidValue: ["da.ma.fix_invalid({V}, fill_value=-7)", () => ta.ma.fixInvalid(V, -7)],
  onesLike: ["da.ma.ones_like(da.ma.masked_equal({X}, 2))", () => ta.ma.onesLike(ta.ma.maskedEqual(X, 2))],
  zerosLike: ["da.ma.zeros_like({I})", () => ta.ma.zerosLike(I)],
  averageMean: ["da.ma.average({X}, axis=0)", () => ta.ma.average(X, { axis: 0 }) as ta.ma.MaskedArray],
  averageAll: ["da.ma.average({I})", () => ta.ma.average(I) as ta.ma.MaskedArray],
  averageWeights: ["da.ma.average({X}, axis=1, weights=w)", () => ta.ma.average(X, { axis: 1, weights }) as ta.ma.MaskedArray],
  averageWeights1d: ["da.ma.average({I}, axis=0, weights=w[:, 0])", () => ta.ma.average(I, { axis: 0, weights: nd.slice(weights, ":", 0) }) as ta.ma.MaskedArray],
  averageReturned: ["da.ma.average({X}, axis=0, weights=w, returned=True)[0]", () => (ta.ma.average(X, { axis: 0, weights, returned: true }) as [ta.ma.MaskedArray, ta.Array])[0]],
  concatenateKeepsFill: ["da.concatenate([da.ma.masked_equal({X}, 2), da.ma.masked_equal({X}, 2)], axis=0)", () => ta.ma.concatenate([ta.ma.maskedEqual(X, 2), ta.ma.maskedEqual(X, 2)], 0)],
};

const plain: Record<string, [string, () => ta.Array]> = {
  filled: ["da.ma.filled({X})", () => ta.ma.filled(X)],
  filledValue: ["da.ma.filled({I}, -3)", () => ta.ma.filled(I, -3)],
  filledPlain: ["da.ma.filled(da.from_array(x_d))", () => ta.ma.filled(rawX)],
  getdata: ["da.ma.getdata(da.ma.masked_equal({X}, 2))", () => ta.ma.getdata(ta.ma.maskedEqual(X, 2))],
  getmaskarray: ["da.ma.getmaskarray(da.ma.masked_greater({X}, 1))", () => ta.ma.getmaskarray(ta.ma.maskedGreater(X, 1))],
  getmaskarrayPlain: ["da.ma.getmaskarray(da.from_array(x_d))", () => ta.ma.getmaskarray(rawX)],
  count: ["da.ma.count({X})", () => ta.ma.count(X)],
  countAxis: ["da.ma.count({X}, axis=0, keepdims=True)", () => ta.ma.count(X, { axis: 0, keepdims: true })],
  countPlain: ["da.ma.count(da.from_array(x_d), axis=1)", () => ta.ma.count(rawX, { axis: 1 })],
  averageScale: ["da.ma.average({X}, axis=0, returned=True)[1]", () => (ta.ma.average(X, { axis: 0, returned: true }) as [ta.ma.MaskedArray, ta.Array])[1]],
  averageWeightSum: ["da.ma.average({X}, axis=0, weights=w, returned=True)[1]", () => (ta.ma.average(X, { axis: 0, weights, returned: true }) as [ta.ma.MaskedArray, ta.Array])[1]],
};

describe("ma constructors and helpers match dask.array.ma", () => {
  let references: Record<string, MaskedReference>;
  before(() => {
    const expressions = {
      ...Object.fromEntries(Object.entries(cases).map(([label, [expression]]) => [label, expression])),
      ...Object.fromEntries(Object.entries(plain).map(([label, [expression]]) => [`plain:${label}`, expression])),
    };
    references = evaluateMasked({ x, i, v }, expressions, { int_m: intMask, y_m: maskOf(5), y_d: dataOf("float64", 11), w: weights });
  });
  for (const [label, [expression, build]] of Object.entries(cases)) {
    it(`${label}: ${expression}`, async () => {
      const underMask = !label.startsWith("average") && label !== "onesLike" && label !== "zerosLike";
      assertSameMasked(await build().compute(), references[label], label, { underMask, rtol: label.startsWith("average") ? 1e-13 : undefined });
    });
  }
  for (const [label, [expression, build]] of Object.entries(plain)) {
    it(`${label}: ${expression}`, async () => {
      const expected = references[`plain:${label}`];
      if (expected.error !== undefined) throw new Error(`${label}: Python raised ${expected.error}`);
      const actual = await build().compute();
      if (label.startsWith("average")) assert.deepEqual(actual.toArray(), expected.plain?.toArray(), label);
      else assertSameArray(actual, expected.plain as nd.NDArray, label);
    });
  }
});

describe("ma.setFillValue", () => {
  it("sets the fill value in place, checked against the dtype, as Dask's set_fill_value", async () => {
    const a = ta.ma.maskedGreater(I, 1);
    assert.equal(a.fillValue, 999999);
    ta.ma.setFillValue(a, -2);
    assert.equal(a.fillValue, -2);
    const computed = await a.compute();
    assert.equal(computed.fillValue, -2);
    assert.ok((computed.filled().toArray() as number[][]).flat().includes(-2));
    assert.throws(() => ta.ma.setFillValue(a, Infinity), /cannot convert fill value Infinity to dtype int32/);
    assert.equal(ta.ma.setFillValue(rawX, 5), undefined, "a plain array has no fill value: only checked");
  });
});

export { shape };
