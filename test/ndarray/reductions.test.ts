import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";
import { InvalidOptionError } from "../../src/core/errors.js";
import { type AnchorSuite, type ArraySpec, Mismatches, applyStep, decode, difference, loadSuite, maxUlps } from "./numpy-anchor.js";

type Axis = number | number[] | null;
interface ReductionCase {
  op: string; a: ArraySpec; axis: Axis; keepdims: boolean; ddof: number; result?: ArraySpec; error?: string;
  layout?: string; chain?: Array<[string, unknown]>; dtype?: string;
}

function reduce(op: string, a: nd.NDArray, axis: Axis, keepdims: boolean, ddof: number): nd.NDArray {
  switch (op) {
    case "sum": return nd.sum(a, { axis, keepdims });
    case "prod": return nd.prod(a, { axis, keepdims });
    case "mean": return nd.mean(a, { axis, keepdims });
    case "min": return nd.min(a, { axis, keepdims });
    case "max": return nd.max(a, { axis, keepdims });
    case "var": return nd.var(a, { axis, keepdims, ddof });
    case "std": return nd.std(a, { axis, keepdims, ddof });
    case "any": return nd.any(a, { axis, keepdims });
    case "all": return nd.all(a, { axis, keepdims });
    case "argmin": return nd.argmin(a, { axis: axis as number | null, keepdims });
    case "argmax": return nd.argmax(a, { axis: axis as number | null, keepdims });
    default: throw new Error(op);
  }
}

function check(suite: AnchorSuite<ReductionCase>, cases: ReductionCase[], prepare: (a: nd.NDArray, c: ReductionCase) => nd.NDArray): Mismatches {
  const mismatches = new Mismatches();
  for (const c of cases) {
    const a = prepare(decode(c.a, suite.blob), c);
    const label = `${c.op}(${a.dtype} [${a.shape}]${c.layout ? ` ${c.layout}` : ""}, axis=${JSON.stringify(c.axis)}, keepdims=${c.keepdims}, ddof=${c.ddof})`;
    if (c.error) {
      try {
        reduce(c.op, a, c.axis, c.keepdims, c.ddof);
        mismatches.add(label, `no error (NumPy: ${c.error})`);
      } catch (error) {
        mismatches.add(label, error instanceof InvalidOptionError ? undefined : String(error));
      }
      continue;
    }
    const expected = decode(c.result as ArraySpec, suite.blob);
    let actual: nd.NDArray;
    try {
      actual = reduce(c.op, a, c.axis, c.keepdims, c.ddof);
    } catch (error) {
      mismatches.add(label, `threw ${String(error)}`);
      continue;
    }
    mismatches.add(label, difference(actual, expected));
  }
  return mismatches;
}

describe("reductions against NumPy", () => {
  let suite: AnchorSuite<ReductionCase>;
  before(() => { suite = loadSuite<ReductionCase>("reductions"); });

  for (const op of ["sum", "prod", "mean", "min", "max", "var", "std", "any", "all", "argmin", "argmax"]) {
    it(`${op}: NumPy's dtype and values (bit for bit) for every dtype, with NaN, every axis choice and keepdims`, () => {
      const cases = suite.cases.filter((c) => c.op === op);
      assert.ok(cases.length >= 100);
      const mismatches = check(suite, cases, (a) => a);
      assert.equal(mismatches.count, 0, mismatches.report());
    });
  }

  it("names the reduction when an empty array has no identity", () => {
    assert.throws(() => nd.max(nd.zeros([0, 3])), { name: "InvalidOptionError", message: /zero-size array to reduction operation maximum/ });
    // NumPy refuses an empty reduced axis even where the result is empty too (shape (0, 52) here).
    assert.throws(() => nd.max(nd.zeros([0, 0, 52]), { axis: 1 }), { name: "InvalidOptionError", message: /zero-size array to reduction operation maximum/ });
    assert.throws(() => nd.nanmin(nd.zeros([0, 2, 0]), { axis: 2 }), { name: "InvalidOptionError", message: /zero-size array to reduction operation fmin/ });
    assert.deepEqual(nd.max(nd.zeros([0, 0, 52]), { axis: 2 }).shape, [0, 0]);
    assert.throws(() => nd.sum(nd.zeros([2, 3]), { axis: 2 }), { message: /axis 2 is out of bounds for an array of dimension 2/ });
    assert.throws(() => nd.sum(nd.zeros([2, 3]), { axis: [0, -2] }), { message: /repeat/ });
  });

  it("accepts an axis for short and returns 0-d arrays whose item() is the number", () => {
    const a = nd.reshape(nd.arange(6), [2, 3]);
    assert.equal(difference(nd.sum(a, 1), nd.sum(a, { axis: 1 })), undefined);
    assert.equal(nd.sum(a).ndim, 0);
    assert.equal(nd.sum(a).item(), 15);
    assert.equal(nd.sum(nd.astype(a, "uint16")).item(), 15n);
  });

  it("sums small integers past 2^53 exactly, modulo 2^64 like NumPy's int64", () => {
    const big = nd.full([3], 2 ** 62, "int64");
    assert.equal(nd.sum(big).item(), BigInt.asIntN(64, 3n * 2n ** 62n));
    const many = nd.full([5000], 4000000000, "uint32");
    assert.equal(nd.sum(many).item(), 5000n * 4000000000n);
  });
});

describe("float sums reproduce NumPy's pairwise summation", () => {
  let suite: AnchorSuite<ReductionCase>;
  before(() => { suite = loadSuite<ReductionCase>("pairwise"); });

  // 120,000-element float32/float64/uint16 inputs, reduced as contiguous, strided, reversed,
  // transposed and sliced views (the order NumPy visits memory decides the last bits).
  for (const op of ["sum", "mean", "var", "std"]) {
    it(`${op} of large arrays in 11 memory layouts is bit-identical to NumPy`, () => {
      const cases = suite.cases.filter((c) => c.op === op);
      assert.ok(cases.length >= 20);
      const mismatches = check(suite, cases, (a, c) => (c.chain ?? []).reduce(applyStep, a));
      assert.equal(mismatches.count, 0, mismatches.report());
    });
  }

  it("differs from naive left-to-right summation on the same data (the check has teeth)", () => {
    const c = suite.cases.find((x) => x.op === "sum" && x.dtype === "float32" && x.layout === "flat") as ReductionCase;
    const a = (c.chain ?? []).reduce(applyStep, decode(c.a, suite.blob));
    const values = a.toTypedArray() as Float32Array;
    let naive = 0;
    for (const v of values) naive = Math.fround(naive + v);
    const expected = decode(c.result as ArraySpec, suite.blob);
    assert.notEqual(naive, expected.item());
    assert.equal(maxUlps(nd.sum(a), expected), 0);
  });
});
