import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { tokenize } from "../../src/core/ids.js";

class Point {
  constructor(readonly x: number, readonly y: number) {}
}
class Opaque {
  #secret = 1;
  get secret(): number {
    return this.#secret;
  }
}

describe("tokenize", () => {
  it("gives equal values equal tokens, plain objects whatever their key order", () => {
    assert.equal(tokenize({ a: 1, b: [2, "x"] }, 3n), tokenize({ b: [2, "x"], a: 1 }, 3n));
    assert.equal(tokenize(new Map([[1, "a"]]), new Float32Array([1, 2])), tokenize(new Map([[1, "a"]]), new Float32Array([1, 2])));
  });

  // Each pair is two distinct values that a JSON-like hash would spell alike.
  const distinct: Array<[string, unknown, unknown]> = [
    ["Maps with different entries", new Map([["k", 1]]), new Map([["k", 2]])],
    ["a Map and an empty object", new Map([["k", 1]]), {}],
    ["Sets with different items", new Set([1]), new Set([2])],
    ["ArrayBuffers with different bytes", new Uint8Array([1, 2]).buffer, new Uint8Array([1, 3]).buffer],
    ["typed arrays of the same bytes but another dtype", new Float32Array([1, 2]), new Int32Array(new Float32Array([1, 2]).buffer)],
    ["typed arrays with different values", new Float64Array([1, 2]), new Float64Array([1, 2.5])],
    ["two views of one buffer", new Uint8Array([1, 2, 3, 4]).subarray(0, 2), new Uint8Array([1, 2, 3, 4]).subarray(2)],
    ["-0 and 0", -0, 0],
    ["NaN and null", NaN, null],
    ["Infinity and null", Infinity, null],
    ["undefined and null", undefined, null],
    ["a number and its string", 1, "1"],
    ["Dates at different times", new Date(0), new Date(1)],
    ["RegExps with different flags", /a/g, /a/i],
    ["strings with different lone surrogates", "\ud800", "\ud801"],
    ["instances of different classes with the same fields", new Point(1, 2), { x: 1, y: 2 }],
    ["nested: arrays of strings that would join alike", ["a,b"], ["a", "b"]],
  ];
  for (const [what, a, b] of distinct) {
    it(`gives distinct values distinct tokens: ${what}`, () => {
      assert.notEqual(tokenize(a), tokenize(b));
    });
  }

  it("refuses what it cannot hash faithfully, naming it and where it sits", () => {
    const refused: Array<[unknown, RegExp]> = [
      [{ options: { callback: () => 1 } }, /a function \(callback\) at \[0\]\.options\.callback/],
      [[1, Symbol("s")], /a symbol \(Symbol\(s\)\) at \[0\]\[1\]/],
      [{ [Symbol("k")]: 1 }, /an object with symbol keys at \[0\]/],
      [new WeakMap(), /a WeakMap at \[0\]/],
      [new Opaque(), /an instance of Opaque without visible state at \[0\]/],
      [Object.assign(new Number(2), {}), /a boxed Number/],
    ];
    for (const [value, message] of refused) {
      assert.throws(() => tokenize(value), (error: Error) => {
        assert.equal(error.name, "HashError");
        assert.match(error.message, message);
        return true;
      });
    }
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    assert.throws(() => tokenize(cycle), /a value that contains itself at \[0\]\.self/);
  });
});
