// What delayed refuses, and when: closures and unsendable arguments when the call is made, a
// wrong number of outputs when the value is computed, misspelt or ill-typed options, and
// non-Delayed values where a Delayed is required.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Delayed, compute, delayed } from "../../src/index.js";
import * as ta from "../../src/array/index.js";

const inc = (x: number) => x + 1;

describe("delayed refusals", () => {
  it("refuses a closure when it is wrapped, naming the captured variable", () => {
    const offset = 3;
    assert.throws(() => delayed((x: number) => x + offset), /uses "offset" from its surroundings/);
    // Native code cannot travel either.
    assert.throws(() => delayed(Math.max), /native code/);
  });

  it("refuses functions and unsendable values among the arguments when the call is made", () => {
    assert.throws(() => delayed(inc)(inc), /a function \(inc\) cannot be an argument of a delayed task/);
    assert.throws(() => delayed(inc)(Symbol("s")), /cannot send the arguments of inc/);
    assert.throws(() => delayed(inc, { pure: true })({ at: Symbol("s") }), /cannot send the arguments of inc/);
    assert.throws(() => delayed(Symbol("s")), /cannot send the delayed value/);
    assert.throws(() => delayed(inc)(new Map([["k", delayed(1)]])), /a Delayed inside a Map is not looked for/);
    // traverse: false leaves a nested Delayed as an object, which cannot travel: refused now, by its place.
    assert.throws(() => delayed(inc, { traverse: false })([delayed(1)]), /the part at \[0\]\[0\] is an instance of Delayed/);
  });

  it("refuses a result whose length is not the declared nout, when computed", async () => {
    const [a] = delayed((x: number) => [x, x, x], { nout: 2 })(1);
    await assert.rejects(a.compute(), /delayed lambda was declared with nout: 2 but returned an array of length 3/);
    const [b] = delayed(function pair() { return 5; }, { nout: 2 })();
    await assert.rejects(b.compute(), /delayed pair was declared with nout: 2 but returned a number \(5\)/);
  });

  it("refuses to unpack a Delayed of unknown length, as Dask refuses to iterate it", () => {
    assert.throws(() => delayed(inc)(1).unpack(), /has no declared length: declare it with delayed\(fn, \{ nout: n \}\)/);
    assert.throws(() => { const [first] = delayed(inc)(1); return first; }, /has no declared length/);
    assert.throws(() => delayed(1, { nout: 2 }), /nout is for functions/);
  });

  it("refuses misspelt and ill-typed options by name", async () => {
    assert.throws(() => delayed(inc, { pur: true } as never), /delayed: unknown option "pur"/);
    assert.throws(() => delayed(inc, { nout: -1 }), /nout must be a non-negative integer, got -1/);
    assert.throws(() => delayed(inc, { nout: 1.5 }), /nout must be a non-negative integer/);
    assert.throws(() => delayed(inc, { pure: "yes" } as never), /pure must be true or false/);
    assert.throws(() => delayed(inc, { name: "" }), /name must be a non-empty string/);
    assert.throws(() => delayed(inc, { traverse: 0 } as never), /traverse must be true or false/);
    assert.throws(() => delayed(inc).callWith({ traverse: false } as never), /delayed callWith: unknown option "traverse"/);
    await assert.rejects(delayed(1).compute({ retires: 2 } as never), /compute: unknown option "retires"/);
  });

  it("refuses non-Delayed where a Delayed is required", async () => {
    assert.throws(() => ta.fromDelayed(5 as never, [1]), /fromDelayed: the value must be a Delayed .*got number/);
    assert.throws(() => ta.fromDelayed({ key: "x" } as never, [1]), /the value must be a Delayed/);
    assert.throws(() => ta.fromDelayed(delayed(1), [2, -1]), /shape must be a list of non-negative integers/);
    assert.throws(() => ta.fromDelayed(delayed(1), [2], { chunks: [1] } as never), /fromDelayed: unknown option "chunks"/);
    await assert.rejects(compute(delayed(1), 5 as never), /compute: argument 1 is not a tessera array or a Delayed/);
    assert.throws(() => delayed(inc)(1).call(2), /is not a method got with getattr\(name\); to call a function lazily, wrap it/);
    assert.throws(() => delayed(1).get(1.5), /an index is an integer or a string/);
  });

  it("raises on a missing item, attribute or method instead of passing undefined on", async () => {
    await assert.rejects(delayed([1, 2]).get(2).compute(), /delayed get\(2\): out of range for an array of length 2/);
    await assert.rejects(delayed({ a: 1 }).get("b").compute(), /has no item "b"/);
    await assert.rejects(delayed({ a: 1 }).getattr("missing").compute(), /has no attribute "missing"/);
    await assert.rejects(delayed({ a: 1 }).getattr("a").call().compute(), /has no method "a"/);
    await assert.rejects(delayed("s").add(1).compute(), /delayed add: takes numbers and NDArrays/);
  });

  it("keeps a wrapped Delayed a Delayed", () => {
    assert.ok(delayed(delayed(1)) instanceof Delayed);
  });

  it("refuses a name or nout for a Delayed it gives back (Dask drops them silently)", () => {
    const d = delayed(inc)(1);
    assert.throws(() => delayed(d, { name: "renamed" }), new RegExp(`${d.key} is already a Delayed, whose name cannot change`));
    assert.throws(() => delayed(d, { nout: 2, name: "x" }), /whose name and nout cannot change/);
    assert.equal(delayed(d, { pure: true }), d, "pure changes nothing of a made task");
  });
});
