import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";
import { InvalidOptionError } from "../../src/core/errors.js";
import { type AnchorSuite, type ArraySpec, Mismatches, decode, difference, loadSuite } from "./numpy-anchor.js";

interface MiscCase {
  op: string; result?: ArraySpec; error?: string; args?: number[]; dtype?: nd.DType; arrays?: ArraySpec[];
  axis?: number | null; target?: ArraySpec; source?: ArraySpec; start?: number[];
}

describe("creation, joining and setRegion against NumPy", () => {
  let suite: AnchorSuite<MiscCase>;
  before(() => { suite = loadSuite<MiscCase>("misc"); });

  it("arange gives np.arange's length and values (start + i·delta in the dtype) for float and integer dtypes", () => {
    const mismatches = new Mismatches();
    const cases = suite.cases.filter((c) => c.op === "arange");
    assert.ok(cases.length >= 30);
    for (const c of cases) {
      const args = c.args as number[];
      mismatches.add(`arange(${args}, ${c.dtype})`, difference(nd.arange(...args, c.dtype), decode(c.result as ArraySpec, suite.blob)));
    }
    assert.equal(mismatches.count, 0, mismatches.report());
  });

  it("concatenate and stack promote dtypes, place blocks and refuse mismatched shapes or axes", () => {
    const mismatches = new Mismatches();
    for (const c of suite.cases.filter((x) => x.op === "concatenate" || x.op === "stack")) {
      const arrays = (c.arrays as ArraySpec[]).map((spec) => decode(spec, suite.blob));
      const run = () => (c.op === "stack" ? nd.stack(arrays, c.axis) : nd.concatenate(arrays, c.axis));
      const label = `${c.op}(axis=${c.axis})`;
      if (c.error) {
        try {
          run();
          mismatches.add(label, `no error (NumPy: ${c.error})`);
        } catch (error) {
          mismatches.add(label, error instanceof InvalidOptionError ? undefined : String(error));
        }
        continue;
      }
      mismatches.add(label, difference(run(), decode(c.result as ArraySpec, suite.blob)));
    }
    assert.equal(mismatches.count, 0, mismatches.report());
  });

  it("setRegion casts like NumPy's assignment (uint16 target, float source) into a sub-block", () => {
    const c = suite.cases.find((x) => x.op === "setRegion") as MiscCase;
    const target = decode(c.target as ArraySpec, suite.blob);
    const returned = nd.setRegion(target, c.start as number[], decode(c.source as ArraySpec, suite.blob));
    assert.equal(returned, target);
    assert.equal(difference(target, decode(c.result as ArraySpec, suite.blob)), undefined);
  });

  it("setRegion writes through views and refuses regions that do not fit", () => {
    const target = nd.zeros([4, 6], "int32");
    const view = nd.slice(target, { step: 2 }, { start: 1, step: 2 });
    nd.setRegion(view, [1, 1], nd.full([1, 2], 7, "int32"));
    assert.deepEqual(nd.sum(target).item(), 14n);
    assert.equal(target.get(2, 3), 7);
    assert.equal(target.get(2, 5), 7);
    assert.throws(() => nd.setRegion(target, [3, 0], nd.zeros([2, 2])), { name: "InvalidOptionError", message: /does not fit/ });
  });
});

describe("zeros, ones, full, array, fromTypedArray", () => {
  it("create the requested dtype and shape, with dtype given directly or as { dtype }", () => {
    assert.equal(nd.zeros([2, 3]).dtype, "float64");
    assert.equal(nd.ones([2], { dtype: "uint16" }).dtype, "uint16");
    assert.deepEqual(nd.ones([2], "int64").toArray(), [1n, 1n]);
    assert.deepEqual(nd.full([2], 2.5, "float32").toArray(), [2.5, 2.5]);
    assert.deepEqual(nd.full([2], true).toArray(), [true, true]);
    assert.equal(nd.full([1], 3n).dtype, "int64");
    assert.ok(nd.zeros([4]).data.buffer instanceof SharedArrayBuffer);
  });

  it("store values as NumPy 2 does: truncate fractions, refuse out-of-range integers and NaN for integer dtypes", () => {
    assert.deepEqual(nd.array([1.9, -1.9], { dtype: "int16" }).toArray(), [1, -1]);
    assert.throws(() => nd.full([1], 300, "uint8"), { name: "InvalidOptionError", message: /300 is out of bounds for uint8/ });
    // An object or a string is no fill value: it filled NaN before.
    assert.throws(() => nd.full([2], { value: 1 } as never), { name: "InvalidOptionError", message: /full: the fill value must be a number, bigint, boolean or complex \{ re, im \}, got \{"value":1\}/ });
    assert.throws(() => nd.full([2], "3" as never), /full: the fill value must be/);
    assert.throws(() => nd.array([NaN], { dtype: "int32" }), { message: /NaN/ });
    assert.deepEqual(nd.array([[true, false]]).toArray(), [[true, false]]);
    assert.equal(nd.array([1, 2]).dtype, "float64");
  });

  it("array reads nested lists, flat lists with a shape, TypedArrays and NDArrays, always copying", () => {
    const nested = nd.array([[1, 2, 3], [4, 5, 6]], { dtype: "uint8" });
    assert.deepEqual(nested.shape, [2, 3]);
    const flat = nd.array([1, 2, 3, 4, 5, 6], { shape: [3, 2] });
    assert.deepEqual(flat.toArray(), [[1, 2], [3, 4], [5, 6]]);
    const typed = new Int16Array([5, -5]);
    const fromTyped = nd.array(typed, { dtype: "float32" });
    assert.deepEqual(fromTyped.toArray(), [5, -5]);
    assert.notEqual(nd.array(typed).data, typed);
    assert.notEqual(nd.array(nested).data, nested.data);
    assert.equal(nd.array(7).ndim, 0);
    assert.throws(() => nd.array([[1, 2], [3]]), { name: "InvalidOptionError", message: /ragged/ });
    assert.throws(() => nd.array([1, 2, 3], { shape: [2, 2] }), { message: /3 values cannot take shape \[2, 2\]/ });
  });

  it("fromTypedArray wraps without copying and checks the shape", () => {
    const data = new Float32Array(6);
    const a = nd.fromTypedArray(data, [2, 3]);
    assert.equal(a.data, data);
    assert.equal(nd.fromTypedArray(new Uint8Array(2), undefined, { dtype: "bool" }).dtype, "bool");
    assert.throws(() => nd.fromTypedArray(data, [4, 2]), { name: "InvalidOptionError", message: /6 elements cannot take shape \[4, 2\]/ });
  });

  it("arange refuses a zero step and bad argument lists", () => {
    assert.throws(() => nd.arange(0, 5, 0), { message: /step must not be 0/ });
    assert.throws(() => nd.arange(), InvalidOptionError);
    assert.deepEqual(nd.arange(3, { dtype: "int32" }).toArray(), [0, 1, 2]);
  });
});

describe("random", () => {
  it("is deterministic for a seed, differs between seeds and blocks, and stays in [0, 1)", () => {
    const a = nd.random([1000], { seed: 42 });
    assert.equal(difference(a, nd.random([1000], { seed: 42 })), undefined);
    assert.notEqual(difference(a, nd.random([1000], { seed: 43 })), undefined);
    assert.notEqual(difference(nd.random([1000], { seed: [42, 0] }), nd.random([1000], { seed: [42, 1] })), undefined);
    const values = a.toTypedArray() as Float64Array;
    assert.ok(values.every((v) => v >= 0 && v < 1));
    const mean = (nd.mean(a).item() as number);
    assert.ok(Math.abs(mean - 0.5) < 0.05, `mean ${mean}`);
    const f32 = nd.random([3, 4], { seed: 1, dtype: "float32" });
    assert.equal(f32.dtype, "float32");
    assert.deepEqual(f32.shape, [3, 4]);
    assert.throws(() => nd.random([2], { seed: -1 }), { name: "InvalidOptionError", message: /seed/ });
    assert.throws(() => nd.random([2], { dtype: "int32" as "float32" }), { message: /int32/ });
  });
});
