/**
 * Every public function of tessera/ndarray refuses arguments beyond its own, naming them
 * (src/ndarray/public-parameters.ts): JavaScript drops extra arguments unseen, so before this
 * NumPy's `np.add(x, y, dtype="float32")` written as `nd.add(x, y, { dtype: "float32" })` gave
 * float64, and `nd.clip(x, 0, 1, { out })`, `nd.sin(x, { where })`, `nd.copy(x, "F")` ran as if
 * the extra were not there. The test walks every export: a new function that is neither in the
 * table with a valid call below nor in the variadic list fails it.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { refused } from "./argument-refusal.js";
import * as nd from "../../src/ndarray/index.js";
import { builtinNameOf } from "../../src/core/builtin.js";
import { publicParameters, variadicFunctions } from "../../src/ndarray/public-parameters.js";

const x = nd.array([[0.5, 1.5, 2.5], [3.5, 4.5, 5.5]]);
const square = nd.array([[2, 1, 0], [1, 3, 1], [0, 1, 4]]);
const ints = nd.array([[1, 2, 3], [4, 5, 6]], { dtype: "int32" });
const line = nd.array([1, 2, 4, 8]);
const mask = nd.greater(x, 2);
const lane = (values: nd.NDArray) => nd.sum(values);

const one = (names: string[], args: () => unknown[]) => Object.fromEntries(names.map((name) => [name, args]));

/** A valid call of each export with every parameter given: its arguments. */
const validCalls: Record<string, () => unknown[]> = {
  ...one(["copy", "ascontiguousarray", "negative", "abs", "sqrt", "exp", "log", "logicalNot", "sin", "cos", "tan", "arctan", "sinh", "cosh",
    "tanh", "log1p", "expm1", "log2", "log10", "floor", "ceil", "trunc", "rint", "sign", "isnan", "isinf", "isfinite", "square", "reciprocal",
    "cbrt", "exp2", "degrees", "radians", "deg2rad", "rad2deg", "positive", "signbit", "isposinf", "isneginf", "arcsinh", "arccosh",
    "absolute", "fix", "isnull", "notnull", "nonzero", "argwhere", "flatnonzero", "real", "imag", "conj", "conjugate", "iscomplex", "isreal",
    "iscomplexobj", "sinc", "i0", "fabs", "spacing", "frexp", "modf"], () => [x]),
  ...one(["arcsin", "arccos", "arctanh"], () => [nd.multiply(x, 0.1)]),
  ...one(["invert", "bitwiseNot"], () => [ints]),
  ...one(["add", "subtract", "multiply", "divide", "floorDivide", "remainder", "power", "maximum", "minimum", "equal", "notEqual", "less",
    "lessEqual", "greater", "greaterEqual", "logicalAnd", "logicalOr", "logicalXor", "arctan2", "hypot", "copysign", "fmax", "fmin", "fmod",
    "logaddexp", "logaddexp2", "floatPower", "nextafter", "trueDivide", "divmod", "vdot", "outer", "union1d"], () => [x, x]),
  ...one(["bitwiseAnd", "bitwiseOr", "bitwiseXor", "leftShift", "rightShift"], () => [ints, ints]),
  ...one(["dot", "matmul"], () => [square, square]),
  ...one(["median", "nanmedian", "rot90", "tril", "triu", "diagonal", "trace", "sum", "prod", "min", "max", "argmin", "argmax", "any", "all",
    "mean", "variance", "var", "std", "nansum", "nanprod", "nanmin", "nanmax", "nanargmin", "nanargmax", "nanmean", "nanvar", "nanstd", "cumsum",
    "cumprod", "nancumsum", "nancumprod", "ptp", "average", "unique", "angle", "nanToNum", "ediff1d", "diag"], () => [x, {}]),
  ...one(["isNDArray", "isDType"], () => [x]),
  ...one(["empty", "zeros", "ones"], () => [[2, 3], "float32"]),
  ...one(["cStrides", "shapeSize"], () => [[2, 3]]),
  ...one(["dtypeInfo", "defaultFillValue", "minimumFillValue", "maximumFillValue", "isComplexDType"], () => ["float64"]),
  ...one(["squeeze", "expandDims"], () => [nd.reshape(x, [1, 2, 3]), 0]),
  ...one(["reshape", "broadcastTo"], () => [x, [1, 2, 3]]),
  ...one(["concatenate", "stack"], () => [[x, x], 0]),
  ...one(["eye", "tri"], () => [3, {}]),
  ...one(["trilIndices", "triuIndices"], () => [3, {}]),
  ...one(["trilIndicesFrom", "triuIndicesFrom"], () => [square, {}]),
  ...one(["round", "around"], () => [x, 1]),
  ...one(["isclose", "allclose"], () => [x, x, {}]),
  bincount: () => [nd.array([0, 1, 1, 3], { dtype: "int32" }), {}],
  coarsenView: () => [x, { factors: [1, 3] }],
  arangeBlock: () => [{ start: 0, step: 1, offset: 2, count: 3, dtype: "float64" }],
  linspaceBlock: () => [{ start: 0, stop: 1, num: 5, endpoint: true, offset: 1, count: 2, dtype: "float64" }],
  allocate: () => ["float64", 4, false],
  toDType: () => ["float32", "the test's dtype"],
  promoteTypes: () => ["int8", "uint8"],
  full: () => [[2, 2], 7, "int32"],
  array: () => [[1, 2], {}],
  fromTypedArray: () => [new Float64Array([1, 2, 3, 4]), [2, 2], {}],
  random: () => [[2, 2], {}],
  linspace: () => [0, 1, 5, {}],
  transpose: () => [x, [1, 0]],
  astype: () => [x, "float32"],
  setRegion: () => [nd.zeros([4, 4]), [1, 1], nd.ones([2, 2])],
  take: () => [x, nd.array([0, 2], { dtype: "int32" }), { axis: 1 }],
  maskSelect: () => [x, mask, {}],
  isin: () => [x, line, {}],
  digitize: () => [x, line, {}],
  coarsen: () => [nd.sum, x, { factors: [2, 1] }],
  pad: () => [x, 1, {}],
  triangleIndexRange: () => [{ n: 3, m: 3, k: 0, lower: true }, 0, 3, 0],
  piecewise: () => [x, [mask], [0, 1]],
  fromfunction: () => [(i: nd.NDArray, j: nd.NDArray) => nd.add(i, j), [2, 3], {}],
  fromfunctionBlock: () => [(i: nd.NDArray, j: nd.NDArray) => nd.add(i, j), { start: [0, 0], stop: [2, 3], dtype: "float64" }],
  ldexp: () => [x, ints],
  where: () => [mask, x, 0],
  clip: () => [x, 1, 2],
  select: () => [[mask], [x], 0],
  tensordot: () => [square, square, 1],
  cumulativeCarry: () => [null, x, { axis: 0, product: false, dtype: "float64" }],
  unravelIndex: () => [nd.array([1, 4], { dtype: "int64" }), [2, 3]],
  ravelMultiIndex: () => [[nd.array([0, 1], { dtype: "int64" }), nd.array([2, 0], { dtype: "int64" })], [2, 3], {}],
  searchsorted: () => [line, x, {}],
  extract: () => [mask, x],
  cov: () => [x, x, {}],
  corrcoef: () => [x, x, {}],
  histogramdd: () => [nd.transpose(x, [1, 0]), {}],
  histogram2d: () => [line, line, {}],
  applyAlongAxis: () => [lane, 1, x, {}],
  applyOverAxes: () => [(a: nd.NDArray, axis: number) => nd.sum(a, { axis, keepdims: true }), x, [0]],
  fillValueIn: () => [1, "float64", "the test's fill value"],
  complex: () => [x, x],
};

/** NumPy's aliases: the very function of the name they alias, which their refusal names. */
const aliasOf: Record<string, string> = { absolute: "abs", around: "round", trueDivide: "divide", fix: "trunc", isnull: "isnan", conj: "conjugate", variance: "var" };

const namespace = nd as unknown as Record<string, unknown>;
const functions = Object.entries(namespace).filter(([, value]) => typeof value === "function" && !/^[A-Z]/.test((value as () => void).name))
  .filter(([name]) => !["NDArray", "MaskedNDArray"].includes(name)) as Array<[string, (...args: unknown[]) => unknown]>;

describe("tessera/ndarray functions refuse arguments beyond their own", () => {
  it("every export is in the table with a valid call here, or in the variadic list", () => {
    const names = functions.map(([name]) => name);
    assert.ok(names.length >= 215, `${names.length} functions`);
    assert.deepEqual(names.filter((name) => !(name in publicParameters) && !variadicFunctions.includes(name)), [], "exports neither in public-parameters.ts nor variadic");
    assert.deepEqual(names.filter((name) => name in publicParameters && !(name in validCalls)), [], "exports without a valid call in this test");
    assert.deepEqual(Object.keys(publicParameters).filter((name) => !names.includes(name)), [], "table entries that are not exports");
  });

  for (const [name, fn] of functions.filter(([name]) => name in publicParameters)) {
    it(`${name}: runs with its arguments and a trailing undefined, and refuses one more, naming it`, () => {
      const args = validCalls[name]();
      const label = aliasOf[name] ?? name;
      const params = publicParameters[label];
      assert.deepEqual(publicParameters[name], params, `${name} is listed as ${label} is`);
      assert.equal(args.length, params.length, `${name}: the valid call gives every parameter`);
      fn(...args);
      fn(...args, undefined);
      const takes = `at most ${params.length} argument${params.length === 1 ? "" : "s"}`;
      refused(() => fn(...args, { dtype: "float32" }),
        `nd.${label}(${params.join(", ")}) takes ${takes}; got also an object with ["dtype"], which it would ignore (NumPy's keyword options it does not have are refused)`, name);
      refused(() => fn(...args, 7, undefined), new RegExp(`^nd\\.${label}\\(.*got also 7, which`), name);
    });
  }

  it("the examples of the issue: add's dtype, clip's out, where's fourth, sin's where, copy's order", () => {
    const call = (name: string, ...args: unknown[]) => () => (namespace[name] as (...a: unknown[]) => unknown)(...args);
    refused(call("add", x, x, { dtype: "float32" }), /^nd\.add\(a, b\) takes at most 2 arguments; got also an object with \["dtype"\]/, "add");
    refused(call("clip", x, 0, 1, { out: x }), /^nd\.clip\(a, lowerOrOptions, upper\) .*\["out"\]/, "clip");
    refused(call("where", mask, x, 0, x), /got also an array of shape \[2, 3\], which it would ignore/, "where");
    refused(call("sin", x, { where: mask }), /^nd\.sin\(a\) takes at most 1 argument; got also an object with \["where"\]/, "sin");
    refused(call("copy", x, "F"), /^nd\.copy\(a\) .*got also "F"/, "copy");
  });

  it("the built-ins check inside the function their name resolves to, which keeps its name and length", () => {
    for (const name of ["add", "sin", "clip", "where", "copy", "sum", "astype", "bitwiseAnd", "sinc", "equal"]) {
      assert.equal(builtinNameOf(namespace[name]), `ndarray.${name}`, name);
    }
    assert.equal(nd.add.name, "add");
    assert.equal(nd.add.length, 2);
    assert.equal(nd.add(x, x).dtype, "float64");
  });

  it("the variadic functions still take their arguments", () => {
    assert.deepEqual(nd.arange(0, 6, 2).shape, [3]);
    assert.deepEqual(nd.broadcastShapes([2, 1], [1, 3], [1, 1]), [2, 3]);
    assert.equal(nd.resultType("int8", "uint8", "float32"), "float32");
    assert.deepEqual(nd.einsum("ij,jk->ik", square, square).shape, [3, 3]);
  });
});
