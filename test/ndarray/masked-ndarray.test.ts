/**
 * The eager masked result: filled, compressed, count and toArray against numpy.ma's
 * filled / compressed / count / tolist, and the fill values per dtype (np.ma.default_fill_value,
 * and how NumPy stores a fill value in a dtype).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";
import { evaluatePython, assertSameArray } from "../array/python-eval.js";

const data = nd.array([[1, -2, 3], [4, 5, -6]], { dtype: "int8" });
const mask = nd.array([[false, true, false], [true, true, false]], { dtype: "bool" });
const masked = new nd.MaskedNDArray(data, mask, nd.defaultFillValue("int8"));

describe("MaskedNDArray matches numpy.ma", () => {
  const expected = evaluatePython({ d: data, m: mask, f: nd.array([1.5, 2.5], { dtype: "float32" }) }, {
    filled: "np.ma.masked_array(d, mask=m).filled()",
    filledValue: "np.ma.masked_array(d, mask=m).filled(-1)",
    compressed: "np.ma.masked_array(d, mask=m).compressed()",
    count: "np.array(np.ma.masked_array(d, mask=m).count())",
    boolDefault: "np.array(np.ma.default_fill_value(np.bool_(True)))",
    floatDefault: "np.array(np.ma.default_fill_value(np.float32(1)))",
    intDefault: "np.array(np.ma.default_fill_value(np.int16(1)))",
  });
  it("filled puts the default fill value as int8 stores it (999999 → 63)", () => assertSameArray(masked.filled(), expected.filled.array as nd.NDArray, "filled"));
  it("filled takes a value", () => assertSameArray(masked.filled(-1), expected.filledValue.array as nd.NDArray, "filled(-1)"));
  it("compressed keeps the unmasked elements in C order", () => assertSameArray(masked.compressed(), expected.compressed.array as nd.NDArray, "compressed"));
  it("count counts the unmasked elements", () => assert.equal(masked.count(), Number((expected.count.array as nd.NDArray).toArray())));
  it("default fill values per dtype", () => {
    assert.equal(nd.defaultFillValue("bool"), (expected.boolDefault.array as nd.NDArray).toArray());
    assert.equal(nd.defaultFillValue("float32"), (expected.floatDefault.array as nd.NDArray).toArray());
    assert.equal(nd.defaultFillValue("int16"), Number((expected.intDefault.array as nd.NDArray).toArray()));
  });
  it("toArray has null at masked elements (tolist's None)", () => assert.deepEqual(masked.toArray(), [[1, null, 3], [null, null, -6]]));
  it("a 0-d masked result is NumPy's masked", () => {
    const scalar = new nd.MaskedNDArray(nd.full([], 0, "float64"), nd.full([], true, "bool"), 1e20);
    assert.equal(scalar.isMaskedScalar, true);
    assert.equal(scalar.toArray(), null);
  });
  it("refuses a mask of another shape or dtype", () => {
    assert.throws(() => new nd.MaskedNDArray(data, nd.ones([3, 2], "bool"), 1), /mask shape \[3, 2\] differs from data shape \[2, 3\]/);
    assert.throws(() => new nd.MaskedNDArray(data, nd.ones([2, 3], "int8"), 1), /the mask must be bool, got int8/);
  });
});
