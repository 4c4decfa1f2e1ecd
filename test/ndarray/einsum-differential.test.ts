// Eager einsum against NumPy 1.24: values, dtype and shape (integers and bool exactly, wrapping
// as NumPy's; floats within (K + n)·eps·Σ|terms|, see einsum-cases.ts), over seeded random
// subscripts (explicit, implicit, ellipsis, diagonals, chains of three) and every dtype; then
// `dtype`, NumPy's view case and NumPy's errors. DIFFERENTIAL_SEED=n reruns another seed.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";
import { evaluatePython } from "../array/python-eval.js";
import { rngOf } from "../array/differential-inputs.js";
import { assertContractionClose } from "./contraction-cases.js";
import { drawEinsum, pythonEinsum, pythonTermBound } from "./einsum-cases.js";

const seed = Number(process.env.DIFFERENTIAL_SEED ?? 20261205);
const count = Number(process.env.DIFFERENTIAL_CASES ?? 200);

describe(`einsum against NumPy (seed ${seed})`, () => {
  it(`${count} random cases: NumPy's values, dtype and shape`, () => {
    const cases = Array.from({ length: count }, (_, i) => drawEinsum(rngOf(seed + 104729 + i), i));
    const inputs: Record<string, nd.NDArray> = {};
    const expressions: Record<string, string> = {};
    cases.forEach((c, i) => {
      const names = c.operands.map((operand, j) => {
        inputs[`x${i}_${j}`] = operand;
        return `x${i}_${j}`;
      });
      expressions[`${c.label}_np`] = pythonEinsum(c, names, "np");
      expressions[`${c.label}_bound`] = pythonTermBound(c, names);
    });
    const python = evaluatePython(inputs, expressions);
    const seen = new Set<string>();
    for (const c of cases) {
      const where = `${c.label} (seed ${seed})`;
      const numpy = python[`${c.label}_np`];
      const bound = python[`${c.label}_bound`];
      assert.ok(numpy.array && bound.array, `${where}: NumPy refused: ${numpy.error ?? bound.error}`);
      const ours = nd.einsum(c.subscripts, ...c.operands);
      assertContractionClose(ours, numpy.array, bound.array, nd.zeros(bound.array.shape), c.k, where);
      seen.add(c.subscripts);
      seen.add(ours.dtype);
    }
    assert.ok(seen.size >= 36, `only ${seen.size} templates and dtypes drawn`);
  });

  it("computes in `dtype` when every operand casts to it safely, and refuses it otherwise as NumPy", () => {
    const a = nd.array([[100, 100], [1, 2]], { dtype: "int8" });
    const numpy = evaluatePython({ a }, { wide: "np.einsum('ij,jk', a, a, dtype=np.int64)", narrow: "np.einsum('ij,jk', a, a)", f: "np.einsum('ij->', a, dtype=np.float32)" });
    assert.deepEqual(nd.einsum("ij,jk", a, a, { dtype: "int64" }).toTypedArray(), numpy.wide.array?.toTypedArray());
    assert.deepEqual(nd.einsum("ij,jk", a, a).toTypedArray(), numpy.narrow.array?.toTypedArray(), "int8 wraps");
    assert.equal(nd.einsum("ij->", a, { dtype: "float32" }).dtype, "float32");
    assert.equal(nd.einsum("ij->", a, { dtype: "float32" }).item(), numpy.f.array?.item());
    const b = nd.ones([2, 2], "int64");
    assert.throws(() => nd.einsum("ij,jk", b, b, { dtype: "float32" }), /einsum: operand 0 dtype could not be cast from int64 to float32 according to the rule 'safe'/);
    assert.throws(() => nd.einsum("ij->", nd.ones([2, 2]), { dtype: "int64" }), /could not be cast from float64 to int64/);
    assert.throws(() => nd.einsum("ij->", b, { dtype: "foo" }), /foo/);
    assert.throws(() => nd.einsum("ij->", b, { dtyp: "int64" } as never), /einsum: unknown option "dtyp"; einsum takes dtype/);
  });

  it("returns NumPy's view for one operand with nothing summed (its dtype, `dtype` unused as NumPy)", () => {
    const a = nd.reshape(nd.arange(9, { dtype: "int64" }), [3, 3]);
    const diagonal = nd.einsum("ii->i", a, { dtype: "float64" });
    assert.equal(diagonal.dtype, "int64");
    assert.deepEqual([...diagonal.toTypedArray()], [0n, 4n, 8n]);
    assert.equal(diagonal.data, a.data, "a view of the operand");
    assert.deepEqual([...nd.ascontiguousarray(nd.einsum("ji", a)).toTypedArray()], [0n, 3n, 6n, 1n, 4n, 7n, 2n, 5n, 8n]);
  });

  it("refuses bad subscripts with NumPy's errors", () => {
    const m = nd.ones([2, 3]);
    const cases: Array<[string, nd.NDArray[], RegExp]> = [
      ["ij->k", [m], /einsum: einstein sum subscripts string included output subscript 'k' which never appeared in an input/],
      ["ij->ii", [m], /includes output subscript 'i' multiple times/],
      ["ij", [nd.ones([2, 3, 4])], /operand has more dimensions than subscripts given in einstein sum, but no '...' ellipsis provided/],
      ["ijk", [m], /contains too many subscripts for operand 0/],
      ["ii", [m], /dimensions in operand 0 for collapsing index 'i' don't match \(2 != 3\)/],
      ["i,j", [nd.ones([2])], /more operands provided to einstein sum function than specified in the subscripts string \(the subscripts name 2 operands, 1 given\)/],
      ["ij,jk->ik", [m, nd.ones([3, 3]), nd.ones([1])], /fewer operands provided .* \(the subscripts name 2 operands, 3 given\)/],
      ["i1", [nd.ones([2, 2])], /invalid subscript '1' in einstein sum subscripts string, subscripts must be letters/],
      ["i.j", [nd.ones([2, 2])], /contains a '.' that is not part of an ellipsis \('...'\) in operand 0/],
      ["....i", [nd.ones([2, 2])], /not part of an ellipsis/],
      ["i-j", [nd.ones([2])], /does not contain proper '->' output specified/],
      ["i->->", [nd.ones([2])], /invalid subscript '-'/],
      ["...i->i", [m], /output has more dimensions than subscripts given in einstein sum, but no '...' ellipsis provided to broadcast the extra dimensions/],
      ["ij,jk", [nd.ones([2, 2]), nd.ones([3, 4])], /einsum: operands could not be broadcast together: subscript 'j' has length 2 in operand 0 \(2,2\) and 3 in operand 1 \(3,4\)/],
      ["...,...", [nd.ones([2, 2]), nd.ones([3])], /could not be broadcast together: subscript '...' axis 1 has length 2/],
    ];
    const numpy = evaluatePython({}, Object.fromEntries(cases.map(([subscripts, operands], i) => [`c${i}`, `np.einsum(${JSON.stringify(subscripts)}, ${operands.map((x) => `np.ones(${JSON.stringify(x.shape)})`).join(", ")})`])));
    cases.forEach(([subscripts, operands, message], i) => {
      assert.ok(numpy[`c${i}`].error, `NumPy accepts ${subscripts}`);
      assert.throws(() => nd.einsum(subscripts, ...operands), message, subscripts);
    });
    assert.throws(() => nd.einsum(3 as never, m), /einsum: subscripts must be a string/);
    assert.throws(() => nd.einsum("ij"), /einsum: at least one operand/);
    assert.throws(() => nd.einsum("ij", [[1, 2]] as never), /einsum \(operand 0\): expected an NDArray/);
  });
});
