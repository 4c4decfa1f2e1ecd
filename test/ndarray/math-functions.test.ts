// The one-operand float functions, rounding, sign and NaN/inf tests against NumPy 1.24 on
// every dtype, with the special values (NaN, ±inf, ±0, halves) that decide the edge cases.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";
import { InvalidOptionError } from "../../src/core/errors.js";
import { evaluatePython } from "../array/python-eval.js";
import { difference } from "./numpy-anchor.js";

const floats = [0, -0, 0.5, -0.5, 1.5, 2.5, -2.5, 3.7, -3.2, 0.1, 0.999, 1e-310, 123.456, -98765.4321, 1e15 + 0.5, 2.675, NaN, Infinity, -Infinity];
const ints = [0, 1, 2, 3, 5, 15, 25, 35, 45, 100, 127];
const dtypes: nd.DType[] = ["float64", "float32", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64", "bool"];

function inputOf(dtype: nd.DType): nd.NDArray {
  const kind = nd.dtypeInfo(dtype).kind;
  if (kind === "f") return nd.array(floats, { dtype });
  if (kind === "b") return nd.array([true, false, true]);
  const signed = kind === "i" ? [...ints, ...ints.map((v) => -v)] : ints;
  return nd.array(dtype === "int64" || dtype === "uint64" ? signed.map(BigInt) : signed, { dtype });
}
const inputs = Object.fromEntries(dtypes.map((dtype) => [dtype, inputOf(dtype)]));

// [name, tessera call, NumPy call, allowed ulps on float results]
const functions: Array<[string, (a: nd.NDArray) => nd.NDArray, string, number]> = [
  ["sin", nd.sin, "np.sin(A)", 4], ["cos", nd.cos, "np.cos(A)", 4], ["tan", nd.tan, "np.tan(A)", 4],
  ["arcsin", nd.arcsin, "np.arcsin(A)", 4], ["arccos", nd.arccos, "np.arccos(A)", 4], ["arctan", nd.arctan, "np.arctan(A)", 4],
  ["sinh", nd.sinh, "np.sinh(A)", 4], ["cosh", nd.cosh, "np.cosh(A)", 4], ["tanh", nd.tanh, "np.tanh(A)", 4],
  ["log1p", nd.log1p, "np.log1p(A)", 4], ["expm1", nd.expm1, "np.expm1(A)", 4], ["log2", nd.log2, "np.log2(A)", 4], ["log10", nd.log10, "np.log10(A)", 4],
  ["floor", nd.floor, "np.floor(A)", 0], ["ceil", nd.ceil, "np.ceil(A)", 0], ["trunc", nd.trunc, "np.trunc(A)", 0], ["rint", nd.rint, "np.rint(A)", 0],
  ["round 0", (a) => nd.round(a), "np.round(A)", 0], ["round 2", (a) => nd.round(a, 2), "np.round(A, 2)", 0],
  ["round -1", (a) => nd.round(a, { decimals: -1 }), "np.round(A, -1)", 0],
  ["sign", nd.sign, "np.sign(A)", 0],
  ["isnan", nd.isnan, "np.isnan(A)", 0], ["isinf", nd.isinf, "np.isinf(A)", 0], ["isfinite", nd.isfinite, "np.isfinite(A)", 0],
];

describe("float functions, rounding, sign and classification", () => {
  it("equal NumPy on every dtype, special values included", () => {
    const expressions: Record<string, string> = {};
    for (const dtype of dtypes) {
      functions.forEach(([, , python], i) => {
        // Where NumPy computes in float16, the reference is NumPy's float32 computation: the
        // values tessera gives in its place (see unary.ts).
        const f = `(lambda A: ${python})`;
        expressions[`${dtype}_${i}`] = `(lambda r: ${f}(${dtype}.astype(np.float32)) if r.dtype == np.float16 else r)(${f}(${dtype}))`;
      });
    }
    const reference = evaluatePython(inputs, expressions);
    const problems: string[] = [];
    for (const dtype of dtypes) {
      functions.forEach(([name, run, , ulps], i) => {
        const expected = reference[`${dtype}_${i}`];
        let actual: nd.NDArray | undefined;
        let error: Error | undefined;
        try {
          actual = run(inputs[dtype]);
        } catch (e) {
          error = e as Error;
        }
        if (expected.error !== undefined || error !== undefined) {
          if (!(expected.error !== undefined && error instanceof InvalidOptionError)) problems.push(`${name}(${dtype}): NumPy ${expected.error ?? "ok"}, tessera ${error?.message ?? "ok"}`);
          return;
        }
        const problem = difference(actual as nd.NDArray, expected.array as nd.NDArray, { ulps });
        if (problem) problems.push(`${name}(${dtype}): ${problem}`);
      });
    }
    assert.deepEqual(problems, []);
  });

  it("keep NumPy's result dtypes (float16 read as float32)", () => {
    assert.equal(nd.floor(inputs.int32).dtype, "float64");
    assert.equal(nd.floor(inputs.int16).dtype, "float32");
    assert.equal(nd.sin(inputs.uint8).dtype, "float32");
    assert.equal(nd.round(inputs.int16, -1).dtype, "int16");
    assert.equal(nd.round(inputs.uint64, 3).dtype, "uint64");
    assert.equal(nd.isnan(inputs.int8).dtype, "bool");
  });

  it("refuse what NumPy refuses, naming it", () => {
    assert.throws(() => nd.sign(inputs.bool), /sign: bool arrays have no sign/);
    assert.throws(() => nd.round(inputs.bool, 1), /round: a bool array cannot be rounded to 1 decimals/);
    assert.throws(() => nd.round(inputs.float64, 0.5), /decimals 0\.5 must be an integer/);
  });
});
