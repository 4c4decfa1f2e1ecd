// The eager ufuncs and function forms of float-ufuncs-cases.ts against NumPy 1.24: every
// function on every dtype (a column of each dtype's corners: NaN of both signs, ±inf, ±0,
// subnormals, the integer extremes) and, for the two-operand ones, every dtype pair (a column
// against a row, so every corner meets every corner) and each scalar on either side (NEP 50).
// Values bit for bit or within the ulps float-ufuncs-cases.ts states, dtype and shape; a NumPy
// TypeError must be a tessera refusal naming the function, and the reverse.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";
import { InvalidOptionError } from "../../src/core/errors.js";
import { evaluatePython } from "../array/python-eval.js";
import { mismatch } from "../array/differential-compare.js";
import { seededRandom } from "../ndimage/helpers.js";
import { allDtypes, cornerVector, numpyScalar, scalarFits, scalars, weakDtype } from "./binary-ufunc-pairs.js";
import { type UfuncSpec, binarySpecs, numpyCall, numpyNameOf, numpyOperands, resultOf, unarySpecs } from "./float-ufuncs-cases.js";

type Fn = (...operands: unknown[]) => nd.NDArray | nd.NDArray[];

interface Case {
  label: string;
  spec: UfuncSpec;
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
    const problem = mismatch(c.spec, ours, reference[c.label]);
    if (problem) problems.push(`${c.label}: ${problem}\n    numpy: ${c.numpy}`);
    else if (ours instanceof Error && !(ours instanceof InvalidOptionError && ours.message.includes(c.spec.name) && ours.message.includes(numpyNameOf(c.spec)))) {
      problems.push(`${c.label}: the refusal does not name ${c.spec.name} and np.${numpyNameOf(c.spec)}: ${ours.message}`);
    }
  }
  return problems;
}

const fnOf = (spec: UfuncSpec): Fn => (nd as unknown as Record<string, Fn>)[spec.name];
const labelOf = (spec: UfuncSpec) => `${spec.name}${spec.part ?? ""}`;

describe("the added ufuncs and function forms against NumPy, every dtype and dtype pair", () => {
  const rng = seededRandom(20261205);
  const inputs: Record<string, nd.NDArray> = {};
  for (const dtype of allDtypes) {
    inputs[`col_${dtype}`] = nd.reshape(cornerVector(dtype, 31, rng), [31, 1]);
    inputs[`row_${dtype}`] = cornerVector(dtype, 29, rng);
  }

  it("one operand of every dtype, two of every dtype pair: NumPy's values, dtype and refusals", () => {
    const cases: Case[] = [];
    for (const spec of unarySpecs) {
      for (const a of allDtypes) {
        cases.push({ label: `${labelOf(spec)}_${a}`, spec, numpy: numpyCall(spec, numpyOperands(spec, [`col_${a}`], [a])), ours: () => resultOf(spec, fnOf(spec)(inputs[`col_${a}`])) });
      }
    }
    for (const spec of binarySpecs) {
      for (const a of allDtypes) {
        for (const b of allDtypes) {
          cases.push({
            label: `${labelOf(spec)}_${a}_${b}`, spec,
            numpy: numpyCall(spec, numpyOperands(spec, [`col_${a}`, `row_${b}`], [a, b])),
            ours: () => resultOf(spec, fnOf(spec)(inputs[`col_${a}`], inputs[`row_${b}`])),
          });
        }
      }
    }
    const problems = run(cases, inputs);
    assert.deepEqual(problems, [], `${problems.length} of ${cases.length} differ:\n${problems.slice(0, 30).join("\n")}`);
  });

  it("a scalar on either side (NEP 50), NumPy given the scalar as a 1-element array of its dtype", () => {
    const cases: Case[] = [];
    for (const spec of binarySpecs) {
      for (const dtype of allDtypes) {
        for (const [i, value] of scalars.entries()) {
          if (!scalarFits(value, dtype)) continue;
          for (const left of [true, false]) {
            // float_power and ldexp take JS numbers as float64 (ldexp's exponent: int64), not by NEP 50.
            let scalarDtype = weakDtype(value, dtype);
            if (spec.name === "floatPower" && typeof value !== "boolean") scalarDtype = "float64";
            if (spec.name === "ldexp" && typeof value !== "boolean") scalarDtype = left ? "float64" : Number.isInteger(Number(value)) && !Object.is(value, -0) ? "int64" : "float64";
            const dtypes = left ? [scalarDtype, dtype] : [dtype, scalarDtype];
            const names = left ? [numpyScalar(value, scalarDtype), `row_${dtype}`] : [`row_${dtype}`, numpyScalar(value, scalarDtype)];
            cases.push({
              label: `${labelOf(spec)}_${dtype}_s${i}_${left ? "left" : "right"}`, spec,
              numpy: numpyCall(spec, numpyOperands(spec, names, dtypes)),
              ours: () => resultOf(spec, left ? fnOf(spec)(value, inputs[`row_${dtype}`]) : fnOf(spec)(inputs[`row_${dtype}`], value)),
            });
          }
        }
      }
    }
    const problems = run(cases, inputs);
    assert.deepEqual(problems, [], `${problems.length} of ${cases.length} differ:\n${problems.slice(0, 30).join("\n")}`);
  });

  it("the aliases are the functions they name (a lazy graph names them by the original)", () => {
    assert.equal(nd.trueDivide, nd.divide);
    assert.equal(nd.absolute, nd.abs);
    assert.equal(nd.around, nd.round);
    assert.equal(nd.fix, nd.trunc);
    assert.equal(nd.isnull, nd.isnan);
  });

  it("refuses a float or uint64 exponent of ldexp and extra arguments, naming them", () => {
    const floats = nd.fromTypedArray(Float64Array.from([1.5, -2]), [2]);
    const uint64 = nd.fromTypedArray(BigUint64Array.from([1n, 2n]), [2]);
    assert.throws(() => nd.ldexp(floats, floats), /ldexp \(np\.ldexp\): the exponent must be of an integer dtype.*float64/);
    assert.throws(() => nd.ldexp(floats, uint64), /ldexp.*uint64/);
    assert.throws(() => nd.ldexp(floats, 0.5), /ldexp \(np\.ldexp\): the exponent must be an integer, got 0\.5/);
    for (const name of ["sinc", "i0", "fabs", "spacing", "frexp", "modf", "notnull"]) {
      assert.throws(() => (nd as unknown as Record<string, Fn>)[name](floats, { out: floats }), new RegExp(`nd\\.${name}\\(\\w+\\) takes at most 1 argument; got also an object with \\["out"\\]`), name);
    }
    for (const name of ["ldexp", "nextafter", "floatPower", "divmod"]) {
      assert.throws(() => (nd as unknown as Record<string, Fn>)[name](floats, 1, { where: true }), new RegExp(`nd\\.${name}\\(\\w+, \\w+\\) takes at most 2 arguments; got also an object with \\["where"\\]`), name);
    }
    assert.throws(() => nd.sinc("x" as never), /sinc: operand 0 must be an NDArray/);
  });
});
