import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";
import { InvalidOptionError } from "../../src/core/errors.js";
import { type AnchorSuite, type ArraySpec, Mismatches, applyStep, decode, difference, loadSuite } from "./numpy-anchor.js";

type Step = [string, unknown];
interface ViewCase { chain: Step[]; result?: ArraySpec; strides?: number[]; offset?: number; sharesMemory?: boolean; error?: string }

describe("views against NumPy", () => {
  let suite: AnchorSuite<ViewCase>;
  before(() => { suite = loadSuite<ViewCase>("views"); });

  it("chains of slice/transpose/squeeze/expandDims/reshape/broadcastTo give NumPy's values, strides and offset, without copying", () => {
    const mismatches = new Mismatches();
    for (const c of suite.cases.filter((x) => !x.error)) {
      const base = nd.reshape(nd.arange(120, "int32"), [2, 3, 4, 5]);
      const label = JSON.stringify(c.chain);
      const view = c.chain.reduce(applyStep, base);
      mismatches.add(label, difference(view, decode(c.result as ArraySpec, suite.blob)));
      // Where NumPy copies (reshape of a strided view, a full integer index) layout is free.
      if (!c.sharesMemory) continue;
      mismatches.add(label, view.data === base.data ? undefined : "copied instead of viewing");
      // Strides of length-1 axes never matter and NumPy and tessera choose them differently.
      const strides = view.strides.map((s, axis) => (view.shape[axis] === 1 ? "any" : s));
      const expectedStrides = (c.strides as number[]).map((s, axis) => (view.shape[axis] === 1 ? "any" : s));
      mismatches.add(label, strides.join() === expectedStrides.join() ? undefined : `strides [${strides}] vs [${expectedStrides}]`);
      if (view.size > 0) mismatches.add(label, view.offset === c.offset ? undefined : `offset ${view.offset} vs ${c.offset}`);
    }
    assert.equal(mismatches.count, 0, mismatches.report());
  });

  it("refuses what NumPy refuses, with an InvalidOptionError naming the values", () => {
    const mismatches = new Mismatches();
    const errorCases = suite.cases.filter((x) => x.error);
    assert.ok(errorCases.length >= 4);
    for (const c of errorCases) {
      const base = nd.reshape(nd.arange(120, "int32"), [2, 3, 4, 5]);
      try {
        c.chain.reduce(applyStep, base);
        mismatches.add(JSON.stringify(c.chain), `no error (NumPy: ${c.error})`);
      } catch (error) {
        mismatches.add(JSON.stringify(c.chain), error instanceof InvalidOptionError ? undefined : String(error));
      }
    }
    assert.equal(mismatches.count, 0, mismatches.report());
  });

  it("squeeze names the axis and its size", () => {
    assert.throws(() => nd.squeeze(nd.zeros([1, 3]), 1), { name: "InvalidOptionError", message: /cannot squeeze axis 1 with size 3/ });
    assert.deepEqual(nd.squeeze(nd.zeros([1, 3, 1]), { axis: [0, -1] }).shape, [3]);
    assert.deepEqual(nd.squeeze(nd.zeros([1, 1])).shape, []);
  });

  it("slice reads null as NumPy's newaxis (a length-1 axis, a view), never as \":\"", () => {
    const a = nd.reshape(nd.arange(6, "int32"), [2, 3]);
    // a[None, 1] in NumPy: [[3, 4, 5]]; were null ":", this would be a[:, 1] = [1, 4].
    const row = nd.slice(a, null, 1);
    assert.deepEqual(row.shape, [1, 3]);
    assert.deepEqual(row.toArray(), [[3, 4, 5]]);
    assert.equal(row.data, a.data, "a view, not a copy");
    assert.deepEqual(nd.slice(a, 1, null).shape, [1, 3]);
    assert.deepEqual(nd.slice(a, null, null, "...", null).shape, [1, 1, 2, 3, 1]);
    assert.throws(() => nd.slice(a, [0, 1] as never), { name: "InvalidOptionError", message: /is not an integer.*a list or array index copies/ });
    assert.throws(() => nd.slice(a, { begin: 1 } as never), { name: "InvalidOptionError", message: /\{"begin":1\} for axis 0 is not/ });
  });

  it("slice names the out-of-bounds index, the axis and its size", () => {
    assert.throws(() => nd.slice(nd.zeros([2, 3]), 0, 3), { message: /index 3 is out of bounds for axis 1 with size 3/ });
    assert.throws(() => nd.slice(nd.zeros([2]), { step: 0 }), { message: /step for axis 0 must not be 0/ });
    assert.throws(() => nd.slice(nd.zeros([2]), 0.5), InvalidOptionError);
  });

  it("reshape views a contiguous array, copies a strided one, infers -1 and refuses a wrong size", () => {
    const a = nd.arange(12, "float32");
    assert.equal(nd.reshape(a, [3, -1]).data, a.data);
    assert.deepEqual(nd.reshape(a, [3, -1]).shape, [3, 4]);
    const strided = nd.transpose(nd.reshape(a, [3, 4]));
    const flat = nd.reshape(strided, [-1]);
    assert.notEqual(flat.data, a.data);
    assert.deepEqual(flat.toArray(), [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11]);
    assert.throws(() => nd.reshape(a, [5, -1]), { message: /cannot reshape an array of size 12 into shape \[5, -1\]/ });
  });

  it("broadcastTo and transpose refuse impossible requests", () => {
    assert.throws(() => nd.broadcastTo(nd.zeros([3]), [4]), { name: "InvalidOptionError", message: /\[3\].*\[4\]/ });
    assert.throws(() => nd.transpose(nd.zeros([2, 3]), [0]), InvalidOptionError);
    assert.throws(() => nd.expandDims(nd.zeros([2]), 3), { message: /axis 3 is out of bounds/ });
  });
});

describe("NDArray.toTypedArray and toArray", () => {
  it("returns the data itself for a contiguous array and a copy in C order otherwise", () => {
    const a = nd.reshape(nd.arange(6, "int16"), [2, 3]);
    assert.equal(a.toTypedArray(), a.data);
    const row = nd.slice(a, 1);
    const rowData = row.toTypedArray();
    assert.equal(rowData.buffer, a.data.buffer);
    assert.deepEqual([...rowData], [3, 4, 5]);
    const t = nd.transpose(a).toTypedArray();
    assert.ok(t instanceof Int16Array);
    assert.deepEqual([...t], [0, 3, 1, 4, 2, 5]);
  });

  it("gives nested arrays with booleans for bool, bigints for int64 and a bare value for 0-d", () => {
    assert.deepEqual(nd.greater(nd.reshape(nd.arange(4), [2, 2]), 1).toArray(), [[false, false], [true, true]]);
    assert.deepEqual(nd.sum(nd.ones([2, 2], "int8"), { axis: 0 }).toArray(), [2n, 2n]);
    assert.equal(nd.sum(nd.ones([3])).toArray(), 3);
    assert.deepEqual(nd.zeros([2, 0]).toArray(), [[], []]);
  });
});
