// The eager bitwise, logical and two-operand float ufuncs against NumPy 1.24, every op on every
// dtype pair: a column of corner values of one dtype against a row of the other (broadcast, so
// every corner meets every corner), then every op with each scalar on either side (NEP 50, as
// the existing binary ops), then the refusals. Values bit for bit (arctan2: 4 ulps, see
// float-binary.ts), dtype and shape; a NumPy TypeError must be a tessera refusal that names the
// function, and the reverse.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";
import { InvalidOptionError } from "../../src/core/errors.js";
import { evaluatePython } from "../array/python-eval.js";
import { mismatch } from "../array/differential-compare.js";
import { seededRandom } from "../ndimage/helpers.js";
import {
  type BinaryOp, allDtypes, asNumpyOperand, binaryOps, cornerVector, negativeNaN, numpyFloat16, numpyScalar, scalarFits, scalars, unaryOps, weakDtype,
} from "./binary-ufunc-pairs.js";

type Fn = (...operands: unknown[]) => nd.NDArray;
const fnOf = (op: BinaryOp): Fn => (nd as unknown as Record<string, Fn>)[op.name];

interface Case {
  label: string;
  op: BinaryOp;
  numpy: string;
  ours: () => nd.NDArray;
}

function run(cases: readonly Case[], inputs: Record<string, nd.NDArray>): string[] {
  const reference = evaluatePython(inputs, Object.fromEntries(cases.map((c) => [c.label, c.numpy])));
  const problems: string[] = [];
  for (const c of cases) {
    let ours: nd.NDArray | Error;
    try {
      ours = c.ours();
    } catch (error) {
      ours = error as Error;
    }
    const problem = mismatch(c.op, ours, reference[c.label]);
    if (problem) problems.push(`${c.label}: ${problem}\n    numpy: ${c.numpy}`);
    else if (ours instanceof Error && !(ours instanceof InvalidOptionError && ours.message.includes(c.op.name) && ours.message.includes(c.op.numpy))) {
      problems.push(`${c.label}: the refusal does not name ${c.op.name} and np.${c.op.numpy}: ${ours.message}`);
    }
  }
  return problems;
}

describe("bitwise, logical and float two-operand ufuncs against NumPy, every dtype pair", () => {
  const rng = seededRandom(20261205);
  const inputs: Record<string, nd.NDArray> = {};
  for (const dtype of allDtypes) {
    inputs[`col_${dtype}`] = nd.reshape(cornerVector(dtype, 31, rng), [31, 1]);
    inputs[`row_${dtype}`] = cornerVector(dtype, 29, rng);
  }

  it("arrays of every dtype pair: NumPy's values, dtype and refusals", () => {
    const cases: Case[] = [];
    for (const op of binaryOps) {
      for (const a of allDtypes) {
        for (const b of allDtypes) {
          const float16 = numpyFloat16(op, [a, b]);
          cases.push({
            label: `${op.name}_${a}_${b}`, op,
            numpy: `np.${op.numpy}(${asNumpyOperand(`col_${a}`, float16)}, ${asNumpyOperand(`row_${b}`, float16)})`,
            ours: () => fnOf(op)(inputs[`col_${a}`], inputs[`row_${b}`]),
          });
        }
      }
    }
    for (const op of unaryOps) {
      for (const a of allDtypes) cases.push({ label: `${op.name}_${a}`, op, numpy: `np.${op.numpy}(col_${a})`, ours: () => fnOf(op)(inputs[`col_${a}`]) });
    }
    const problems = run(cases, inputs);
    assert.deepEqual(problems, [], `${problems.length} of ${cases.length} differ:\n${problems.slice(0, 30).join("\n")}`);
  });

  it("a scalar on either side (NEP 50: the array's dtype for an int that fits, float64 beside integers for a float)", () => {
    const cases: Case[] = [];
    for (const op of binaryOps) {
      for (const dtype of allDtypes) {
        for (const [i, value] of scalars.entries()) {
          if (!scalarFits(value, dtype)) continue;
          const scalarDtype = weakDtype(value, dtype);
          const float16 = numpyFloat16(op, [dtype, scalarDtype]);
          const array = asNumpyOperand(`row_${dtype}`, float16);
          const scalar = asNumpyOperand(numpyScalar(value, scalarDtype), float16);
          for (const left of [true, false]) {
            cases.push({
              label: `${op.name}_${dtype}_s${i}_${left ? "left" : "right"}`, op,
              numpy: left ? `np.${op.numpy}(${scalar}, ${array})` : `np.${op.numpy}(${array}, ${scalar})`,
              ours: () => (left ? fnOf(op)(value, inputs[`row_${dtype}`]) : fnOf(op)(inputs[`row_${dtype}`], value)),
            });
          }
        }
      }
    }
    const problems = run(cases, inputs);
    assert.deepEqual(problems, [], `${problems.length} of ${cases.length} differ:\n${problems.slice(0, 30).join("\n")}`);
  });
});

describe("refusals and the sign bit", () => {
  const floats = nd.fromTypedArray(Float64Array.from([1.5, -2]), [2]);
  const ints = nd.fromTypedArray(Int32Array.from([1, 2]), [2]);

  it("refuses floats in bitwise ops and shifts, naming the function and the dtype", () => {
    for (const name of ["bitwiseAnd", "bitwiseOr", "bitwiseXor", "leftShift", "rightShift"]) {
      assert.throws(() => fnOf({ name } as BinaryOp)(ints, floats), (error: Error) => error instanceof InvalidOptionError && error.message.includes(name) && error.message.includes("float64"), name);
      assert.throws(() => fnOf({ name } as BinaryOp)(ints, 0.5), /float64/, `${name} with a float scalar`);
    }
    assert.throws(() => nd.invert(nd.astype(floats, "float32")), /invert \(np\.invert\): not supported for float32/);
    const int64 = nd.fromTypedArray(BigInt64Array.from([1n]), [1]);
    const uint64 = nd.fromTypedArray(BigUint64Array.from([1n]), [1]);
    assert.throws(() => nd.bitwiseAnd(int64, uint64), /int64 with uint64/);
  });

  it("refuses a third argument (NumPy's out=, where=, dtype= keywords) instead of ignoring it", () => {
    assert.throws(() => (nd.bitwiseAnd as unknown as Fn)(ints, ints, { out: ints }), /nd\.bitwiseAnd\(a, b\) takes at most 2 arguments; got also an object with \["out"\]/);
    assert.throws(() => (nd.hypot as unknown as Fn)(floats, floats, { dtype: "float32" }), /nd\.hypot\(a, b\) takes at most 2 arguments; .*"dtype"/);
    assert.throws(() => (nd.invert as unknown as Fn)(ints, { where: true }), /nd\.invert\(a\) takes at most 1 argument; .*"where"/);
  });

  it("copysign reads and writes the sign bit of NaN and of −0", () => {
    const signOf = (value: number) => {
      const bits = new Float64Array([value]);
      return new Uint32Array(bits.buffer)[1] >>> 31;
    };
    assert.equal(nd.copysign(2, nd.fromTypedArray(Float64Array.from([negativeNaN]), [1])).item(), -2);
    assert.equal(nd.copysign(2, nd.fromTypedArray(Float64Array.from([NaN]), [1])).item(), 2);
    assert.ok(Object.is(nd.copysign(0, -0).item(), -0));
    assert.equal(signOf(nd.copysign(NaN, -1).item() as number), 1);
    assert.equal(signOf(nd.copysign(negativeNaN, 1).item() as number), 0);
  });
});
