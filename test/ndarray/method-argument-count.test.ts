/**
 * The methods of NDArray and MaskedNDArray refuse arguments beyond their own, naming them
 * (src/ndarray/method-parameters.ts): `m.count(0)` (np.ma's count(axis=0)) gave the count of the
 * whole array, `x.toTypedArray("F")` the C order. The walk enumerates each prototype's own
 * methods: one in neither its table (with a valid call here) nor the variadic list fails it, and
 * each method's own `arguments.length` comparison is held to its table entry.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { refused } from "./argument-refusal.js";
import * as nd from "../../src/ndarray/index.js";
import { maskedMethodParameters, ndarrayMethodParameters, ndarrayVariadicMethods } from "../../src/ndarray/method-parameters.js";

const x = nd.array([[0.5, 1.5, 2.5], [3.5, 4.5, 5.5]]);
const masked = new nd.MaskedNDArray(x, nd.greater(x, 2), 0);

interface Receiver {
  owner: string;
  prototype: object;
  table: Readonly<Record<string, readonly string[]>>;
  variadic: readonly string[];
  /** Each method's valid call, every parameter given, on a fresh receiver: the receiver and its arguments. */
  validCalls: Record<string, () => readonly [object, readonly unknown[]]>;
}

const receivers: Receiver[] = [
  {
    owner: "x", prototype: nd.NDArray.prototype, table: ndarrayMethodParameters, variadic: ndarrayVariadicMethods,
    validCalls: {
      isContiguous: () => [x, []] as const, index: () => [x, [[1, 2]]] as const, set: () => [nd.zeros([2, 2]), [[1, 0], 3]] as const,
      toTypedArray: () => [x, []] as const, toArray: () => [x, []] as const, toStorage: () => [x, []] as const, toString: () => [x, []] as const,
    },
  },
  {
    owner: "masked", prototype: nd.MaskedNDArray.prototype, table: maskedMethodParameters, variadic: [],
    validCalls: { filled: () => [masked, [-1]] as const, compressed: () => [masked, []] as const, count: () => [masked, []] as const, toArray: () => [masked, []] as const },
  },
];

for (const receiver of receivers) {
  const methods = Object.getOwnPropertyNames(receiver.prototype)
    .map((name) => [name, Object.getOwnPropertyDescriptor(receiver.prototype, name)?.value] as const)
    .filter(([name, value]) => name !== "constructor" && typeof value === "function") as Array<[string, (...args: unknown[]) => unknown]>;

  describe(`${receiver.owner}'s methods refuse arguments beyond their own`, () => {
    it("every method is in the table with a valid call here, or in the variadic list", () => {
      const names = methods.map(([name]) => name);
      assert.ok(names.length >= 4, `${names.length} methods`);
      assert.deepEqual(names.filter((name) => !(name in receiver.table) && !receiver.variadic.includes(name)), [], "methods neither in method-parameters.ts nor variadic");
      assert.deepEqual(names.filter((name) => name in receiver.table && !(name in receiver.validCalls)), [], "methods without a valid call in this test");
      assert.deepEqual([...Object.keys(receiver.table), ...receiver.variadic].filter((name) => !names.includes(name)), [], "listed names that are not methods");
    });

    for (const [name, method] of methods.filter(([name]) => name in receiver.table)) {
      it(`${name}: runs with its arguments and a trailing undefined, and refuses one more, naming it`, () => {
        const params = receiver.table[name];
        const call = (...extra: unknown[]) => { const [self, args] = receiver.validCalls[name](); return method.apply(self, [...args, ...extra]); };
        assert.equal(receiver.validCalls[name]()[1].length, params.length, `${name}: the valid call gives every parameter`);
        call();
        call(undefined);
        const takes = params.length === 0 ? "no arguments" : `at most ${params.length} argument${params.length === 1 ? "" : "s"}`;
        refused(() => call({ order: "F" }),
          `${receiver.owner}.${name}(${params.join(", ")}) takes ${takes}; got also an object with ["order"], which it would ignore (NumPy's keyword options it does not have are refused)`, name);
        refused(() => call(x, undefined), new RegExp(`^${receiver.owner}\\.${name}\\(.*got also an array of shape \\[2, 3\\], which`), name);
      });
    }
  });
}

describe("the methods in use", () => {
  it("m.count(0) is refused, np.ma's count(axis=0) being per column", () => {
    refused(() => (masked.count as (...args: unknown[]) => number)(0), /^masked\.count\(\) takes no arguments; got also 0, which it would ignore/, "count");
    assert.equal(masked.count(), 2);
  });

  it("the variadic methods check their index against the array's axes, an extra object included", () => {
    assert.equal(x.get(1, 2), 5.5);
    assert.equal(x.item(0, 1), 1.5);
    assert.deepEqual(x.getComplex(1, 0), { re: 3.5, im: 0 });
    for (const name of ndarrayVariadicMethods) {
      assert.throws(() => (x[name as "get"] as (...args: unknown[]) => unknown)(1, 2, { order: "F" }), /has 3 entries, array has 2 axes/, name);
    }
  });

  it("a template literal and String() call toString with no arguments", () => {
    assert.equal(`${x}`, "NDArray(float64, [2, 3])");
    assert.equal(String(masked.filled()), "NDArray(float64, [2, 3])");
  });
});
