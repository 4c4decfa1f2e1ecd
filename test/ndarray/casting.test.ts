import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";
import { InvalidOptionError } from "../../src/core/errors.js";
import { type AnchorSuite, type ArraySpec, Mismatches, decode, difference, loadSuite } from "./numpy-anchor.js";

interface CastCase { a: ArraySpec; dtype: nd.DType; result?: ArraySpec; error?: string; special?: boolean }

describe("astype against NumPy", () => {
  let suite: AnchorSuite<CastCase>;
  before(() => { suite = loadSuite<CastCase>("casting"); });

  it("casts every dtype to every dtype as NumPy does (truncation toward zero, wrap-around, != 0 for bool)", () => {
    const mismatches = new Mismatches();
    const regular = suite.cases.filter((c) => !c.special);
    assert.equal(regular.length, 121);
    for (const c of regular) {
      const a = decode(c.a, suite.blob);
      mismatches.add(`${a.dtype} → ${c.dtype}`, difference(nd.astype(a, c.dtype), decode(c.result as ArraySpec, suite.blob)));
    }
    assert.equal(mismatches.count, 0, mismatches.report());
  });

  it("gives x86-64 NumPy's values for NaN, infinities and huge floats (undefined in C; documented model)", () => {
    const mismatches = new Mismatches();
    for (const c of suite.cases.filter((x) => x.special)) {
      const a = decode(c.a, suite.blob);
      mismatches.add(`${a.dtype} → ${c.dtype}`, difference(nd.astype(a, { dtype: c.dtype }), decode(c.result as ArraySpec, suite.blob)));
    }
    assert.equal(mismatches.count, 0, mismatches.report());
  });

  it("reproduces the Gaussian-filter case of array-ndimage.md §2: −99.99 → uint16 is 65437", () => {
    assert.deepEqual(nd.astype(nd.array([-99.99, -0.5, 65535.9]), "uint16").toArray(), [65437, 0, 65535]);
  });

  it("rounds int64 to float32 once (no double rounding through float64)", () => {
    // 2^53 + 2^29 + 1 lies just above a float32 tie: single rounding goes up, double rounding would not.
    const value = 2n ** 53n + 2n ** 29n + 1n;
    const cast = nd.astype(nd.array([value, -value]), "float32").toArray() as number[];
    assert.deepEqual(cast, [2 ** 53 + 2 ** 30, -(2 ** 53 + 2 ** 30)]);
  });

  it("refuses unknown dtypes, naming them", () => {
    assert.throws(() => nd.astype(nd.zeros([2]), "float16"), (e: Error) => e instanceof InvalidOptionError && e.message.includes('"float16"'));
    assert.throws(() => nd.zeros([2], "float128"), (e: Error) => e instanceof InvalidOptionError && e.message.includes("float128"));
  });
});
