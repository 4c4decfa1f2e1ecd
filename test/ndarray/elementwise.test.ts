import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";
import { InvalidOptionError } from "../../src/core/errors.js";
import { type AnchorSuite, type ArraySpec, Mismatches, decode, difference, loadSuite, maxUlps } from "./numpy-anchor.js";

type Binary = (a: nd.Operand, b: nd.Operand) => nd.NDArray;

const binaryOps: Record<string, Binary> = {
  add: nd.add, subtract: nd.subtract, multiply: nd.multiply, divide: nd.divide, floorDivide: nd.floorDivide,
  remainder: nd.remainder, power: nd.power, maximum: nd.maximum, minimum: nd.minimum, equal: nd.equal,
  notEqual: nd.notEqual, less: nd.less, lessEqual: nd.lessEqual, greater: nd.greater, greaterEqual: nd.greaterEqual,
  logicalAnd: nd.logicalAnd, logicalOr: nd.logicalOr,
};

const unaryOps: Record<string, (a: nd.Operand) => nd.NDArray> = {
  negative: nd.negative, abs: nd.abs, sqrt: nd.sqrt, exp: nd.exp, log: nd.log, logicalNot: nd.logicalNot,
};

/**
 * Libm-level functions are not correctly rounded and NumPy uses its own SIMD versions of them
 * (AVX-512 on this machine), so they may differ from V8's in the last bits. Everything else
 * (arithmetic, comparisons, floor division, remainder, sqrt, wrap-around) is checked bit for bit.
 */
const ulpsAllowed: Record<string, number> = { power: 2, exp: 4, log: 4 };

interface BinaryCase { op: string; a: ArraySpec; b: ArraySpec; result?: ArraySpec; error?: string; sample?: boolean }
interface UnaryCase { op: string; a: ArraySpec; result?: ArraySpec; error?: string; float32Result?: ArraySpec }
interface ScalarCase {
  op: string; a: ArraySpec; scalar: number; scalarFirst: boolean; nep50: string; result?: ArraySpec; error?: string;
}

function refuses(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof InvalidOptionError ? undefined : `threw ${String(error)} instead of InvalidOptionError`;
  }
  return "returned a result where NumPy raises";
}

describe("binary operations against NumPy over every dtype pair", () => {
  let suite: AnchorSuite<BinaryCase>;
  before(() => { suite = loadSuite<BinaryCase>("binary"); });

  for (const op of Object.keys(binaryOps)) {
    it(`${op}: result dtype and values match NumPy for all 121 dtype pairs (a (3,4) with b (4,) broadcast)${op === "power" ? " and 4000 random floats" : ""}`, () => {
      const cases = suite.cases.filter((c) => c.op === op);
      assert.equal(cases.filter((c) => !c.sample).length, 121);
      const mismatches = new Mismatches();
      let worstUlps = 0;
      for (const c of cases) {
        const a = decode(c.a, suite.blob);
        const b = decode(c.b, suite.blob);
        const label = `${a.dtype} ${op} ${b.dtype}`;
        if (c.error) {
          mismatches.add(label, refuses(() => binaryOps[op](a, b)));
          continue;
        }
        const expected = decode(c.result as ArraySpec, suite.blob);
        let actual: nd.NDArray;
        try {
          actual = binaryOps[op](a, b);
        } catch (error) {
          mismatches.add(label, `threw ${String(error)}`);
          continue;
        }
        mismatches.add(label, difference(actual, expected, { ulps: ulpsAllowed[op] ?? 0 }));
        if (actual.dtype === expected.dtype && expected.dtype.startsWith("float")) worstUlps = Math.max(worstUlps, maxUlps(actual, expected));
      }
      assert.equal(mismatches.count, 0, mismatches.report());
      if (ulpsAllowed[op]) console.log(`# ${op}: largest difference from NumPy ${worstUlps} ulp (allowed ${ulpsAllowed[op]})`);
    });
  }

  it("uint16 − uint16 wraps modulo 2^16 exactly as NumPy (no error, no promotion)", () => {
    const a = nd.array([0, 1, 100], { dtype: "uint16" });
    const b = nd.array([1, 2, 65535], { dtype: "uint16" });
    const out = nd.subtract(a, b);
    assert.equal(out.dtype, "uint16");
    assert.deepEqual(out.toArray(), [65535, 65535, 101]);
  });
});

describe("one-operand functions against NumPy", () => {
  let suite: AnchorSuite<UnaryCase>;
  before(() => { suite = loadSuite<UnaryCase>("unary"); });

  for (const op of Object.keys(unaryOps)) {
    it(`${op}: dtype and values match NumPy for every dtype`, () => {
      const mismatches = new Mismatches();
      let worstUlps = 0;
      for (const c of suite.cases.filter((x) => x.op === op)) {
        const a = decode(c.a, suite.blob);
        const label = `${op}(${a.dtype})`;
        if (c.error) {
          mismatches.add(label, refuses(() => unaryOps[op](a)));
          continue;
        }
        // NumPy gives float16 here; tessera (no float16) documents the float32 computation.
        const expected = decode((c.float32Result ?? c.result) as ArraySpec, suite.blob);
        const actual = unaryOps[op](a);
        mismatches.add(label, difference(actual, expected, { ulps: ulpsAllowed[op] ?? 0 }));
        if (actual.dtype === expected.dtype && expected.dtype.startsWith("float")) worstUlps = Math.max(worstUlps, maxUlps(actual, expected));
      }
      assert.equal(mismatches.count, 0, mismatches.report());
      if (ulpsAllowed[op]) console.log(`# ${op}: largest difference from NumPy ${worstUlps} ulp (allowed ${ulpsAllowed[op]})`);
    });
  }
});

describe("broadcasting against NumPy", () => {
  let suite: AnchorSuite<BinaryCase>;
  before(() => { suite = loadSuite<BinaryCase>("broadcast"); });

  it("gives NumPy's shapes and values, and NumPy's error for incompatible shapes", () => {
    const mismatches = new Mismatches();
    for (const c of suite.cases) {
      const a = decode(c.a, suite.blob);
      const b = decode(c.b, suite.blob);
      const label = `[${a.shape}] − [${b.shape}]`;
      if (c.error) {
        try {
          nd.subtract(a, b);
          mismatches.add(label, "no error");
        } catch (error) {
          const expectedMessage = `operands could not be broadcast together with shapes [${a.shape.join(", ")}] [${b.shape.join(", ")}]`;
          mismatches.add(label, error instanceof InvalidOptionError && error.message === expectedMessage ? undefined : `error ${String(error)}`);
        }
        continue;
      }
      mismatches.add(label, difference(nd.subtract(a, b), decode(c.result as ArraySpec, suite.blob)));
    }
    assert.equal(mismatches.count, 0, mismatches.report());
  });

  it("names both shapes in the error, as in the brief's example", () => {
    assert.throws(() => nd.add(nd.zeros([2, 3]), nd.zeros([4])), {
      name: "InvalidOptionError",
      message: "operands could not be broadcast together with shapes [2, 3] [4]",
    });
  });

  it("broadcasts through views with stride 0 and negative strides", () => {
    const base = nd.arange(12, { dtype: "int32" });
    const rows = nd.reshape(base, [3, 4]);
    const reversedColumn = nd.slice(nd.reshape(nd.arange(3, { dtype: "int32" }), [3, 1]), { step: -1 });
    assert.deepEqual(nd.add(rows, reversedColumn).toArray(), [[2, 3, 4, 5], [5, 6, 7, 8], [8, 9, 10, 11]]);
  });
});

describe("Python scalars follow NumPy 2 (NEP 50)", () => {
  // NumPy 1.24 (the installed anchor) still uses value-based casting for scalars, so the
  // anchor script converts each scalar to the NEP 50 dtype itself and asks NumPy for the values
  // with arrays only; the dtypes asserted here are NumPy 2's documented rule.
  let suite: AnchorSuite<ScalarCase>;
  before(() => { suite = loadSuite<ScalarCase>("scalars"); });

  it("matches NumPy's values with the NEP 50 dtype for every dtype, scalar and operand order", () => {
    const mismatches = new Mismatches();
    for (const c of suite.cases) {
      const a = decode(c.a, suite.blob);
      const run = () => (c.scalarFirst ? binaryOps[c.op](c.scalar, a) : binaryOps[c.op](a, c.scalar));
      const label = c.scalarFirst ? `${c.op}(${c.scalar}, ${a.dtype})` : `${c.op}(${a.dtype}, ${c.scalar})`;
      if (c.error) {
        mismatches.add(label, refuses(run));
        continue;
      }
      const expected = decode(c.result as ArraySpec, suite.blob);
      mismatches.add(label, difference(run(), expected));
    }
    assert.equal(mismatches.count, 0, mismatches.report());
  });

  it("keeps the documented dtypes of array-ndimage.md §2", () => {
    const u16 = nd.array([1, 2], { dtype: "uint16" });
    assert.equal(nd.subtract(u16, 1).dtype, "uint16");
    assert.equal(nd.add(u16, 65535).dtype, "uint16");
    assert.equal(nd.multiply(u16, 0.5).dtype, "float64");
    assert.equal(nd.add(nd.array([1], { dtype: "float32" }), 3).dtype, "float32");
    assert.equal(nd.add(nd.array([1], { dtype: "float32" }), 0.1).dtype, "float32");
    assert.equal(nd.add(nd.array([true], { dtype: "bool" }), 1).dtype, "int64");
    assert.equal(nd.add(u16, 5n).dtype, "uint16");
    assert.equal(nd.add(1, 2).dtype, "int64");
    assert.equal(nd.add(1, 2.5).dtype, "float64");
  });

  it("refuses an integer scalar outside the array's dtype, naming the value and the dtype", () => {
    const u16 = nd.array([1, 2], { dtype: "uint16" });
    assert.throws(() => nd.add(u16, 70000), (e: Error) => e instanceof InvalidOptionError && /70000/.test(e.message) && /uint16/.test(e.message));
    assert.throws(() => nd.subtract(u16, -1), (e: Error) => e instanceof InvalidOptionError && /-1/.test(e.message));
    assert.throws(() => nd.add(nd.array([1], { dtype: "int64" }), 2n ** 63n), InvalidOptionError);
  });

  it("compares with out-of-range integers exactly instead of refusing", () => {
    const u8 = nd.array([0, 255], { dtype: "uint8" });
    assert.deepEqual(nd.less(u8, 300).toArray(), [true, true]);
    assert.deepEqual(nd.equal(u8, -1).toArray(), [false, false]);
    assert.deepEqual(nd.greater(-1, u8).toArray(), [false, false]);
  });
});

describe("where and clip against NumPy", () => {
  interface MiscCase { op: string; [key: string]: unknown }
  let suite: AnchorSuite<MiscCase>;
  before(() => { suite = loadSuite<MiscCase>("misc"); });

  it("where picks by any condition dtype and promotes the two value operands", () => {
    const mismatches = new Mismatches();
    for (const c of suite.cases.filter((x) => x.op === "where")) {
      const [cond, a, b] = ["cond", "a", "b"].map((k) => decode(c[k] as ArraySpec, suite.blob));
      mismatches.add(`where(${cond.dtype}, ${a.dtype}, ${b.dtype})`, difference(nd.where(cond, a, b), decode(c.result as ArraySpec, suite.blob)));
    }
    assert.equal(mismatches.count, 0, mismatches.report());
  });

  it("clip bounds with arrays and scalars, propagating NaN like NumPy", () => {
    const mismatches = new Mismatches();
    for (const c of suite.cases.filter((x) => x.op === "clip")) {
      const [a, low, high] = ["a", "min", "max"].map((k) => decode(c[k] as ArraySpec, suite.blob));
      mismatches.add(`clip(${a.dtype})`, difference(nd.clip(a, low, high), decode(c.result as ArraySpec, suite.blob)));
    }
    assert.equal(mismatches.count, 0, mismatches.report());
  });

  it("clip accepts an options object and weak scalars that keep the dtype", () => {
    const u16 = nd.array([0, 500, 65535], { dtype: "uint16" });
    const clipped = nd.clip(u16, { min: 10, max: 1000 });
    assert.equal(clipped.dtype, "uint16");
    assert.deepEqual(clipped.toArray(), [10, 500, 1000]);
    assert.deepEqual(nd.clip(u16, null, 100).toArray(), [0, 100, 100]);
    assert.throws(() => nd.clip(u16, null, null), InvalidOptionError);
  });

  it("refuses a NaN scalar bound, which NumPy 1.24 reads as no bound and later NumPy as NaN everywhere", () => {
    const x = nd.array([1, -3, NaN, 0.5]);
    assert.throws(() => nd.clip(x, -1, NaN), (e: Error) => e instanceof InvalidOptionError && /clip: max is NaN, .* pass null for no bound/.test(e.message));
    assert.throws(() => nd.clip(x, { min: NaN }), /clip: min is NaN/);
    // An array bound holding NaN propagates it, as in every NumPy.
    assert.deepEqual([...nd.clip(x, nd.array([NaN, 0, 0, 0]), 2).data], [NaN, 0, NaN, 0.5]);
  });

  it("where with scalars keeps the array dtype (NEP 50)", () => {
    const u16 = nd.array([5, 50000], { dtype: "uint16" });
    const out = nd.where(nd.greater(u16, 100), u16, 0);
    assert.equal(out.dtype, "uint16");
    assert.deepEqual(out.toArray(), [0, 50000]);
  });
});
