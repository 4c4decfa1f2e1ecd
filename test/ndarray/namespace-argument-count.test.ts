/**
 * Every function of nd.fft and nd.linalg refuses arguments beyond its own, naming them
 * (src/ndarray/fft-parameters.ts, linalg-parameters.ts): JavaScript drops extra arguments
 * unseen, so `nd.linalg.cholesky(a, { upper: true })` (NumPy 2's upper=True) returned the lower
 * factor and `nd.fft.fft(x, { n: 8 }, "ortho")` the unscaled transform. Each walk enumerates the
 * namespace: a function in neither the table (with a valid call here) nor the variadic list
 * fails it.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { refused } from "./argument-refusal.js";
import * as nd from "../../src/ndarray/index.js";
import { builtinNameOf } from "../../src/core/builtin.js";
import { fftParameters } from "../../src/ndarray/fft-parameters.js";
import { linalgParameters } from "../../src/ndarray/linalg-parameters.js";

const x = nd.array([[0.5, 1.5, 2.5, 3.5], [4.5, 5.5, 6.5, 7.5]]);
const spectrum = nd.fft.rfft(x);
const square = nd.array([[4, 1, 0], [1, 3, 1], [0, 1, 2]]);
const rhs = nd.array([[1], [2], [3]]);

const one = (names: string[], args: () => unknown[]) => Object.fromEntries(names.map((name) => [name, args]));

interface Namespace {
  label: string;
  keywordsOf: string;
  functions: Record<string, unknown>;
  table: Readonly<Record<string, readonly string[]>>;
  /** A valid call of each function with every parameter given: its arguments. */
  validCalls: Record<string, () => unknown[]>;
  /** Exports that are classes (NumPy's LinAlgError), not functions to call. */
  classes: string[];
  builtinPrefix?: string;
}

const namespaces: Namespace[] = [
  {
    label: "nd.fft", keywordsOf: "NumPy's", functions: nd.fft as unknown as Record<string, unknown>, table: fftParameters, classes: [], builtinPrefix: "ndarray.fft",
    validCalls: {
      ...one(["fft", "ifft", "rfft", "hfft", "ihfft"], () => [x, { n: 4, axis: -1, norm: "ortho" }]),
      irfft: () => [spectrum, { n: 4, axis: -1, norm: "ortho" }],
      ...one(["fftn", "ifftn", "fft2", "ifft2", "rfftn", "rfft2"], () => [x, { s: [2, 4], axes: [0, 1], norm: "forward" }]),
      ...one(["irfftn", "irfft2"], () => [spectrum, { s: [2, 4], axes: [0, 1], norm: "forward" }]),
      ...one(["fftfreq", "rfftfreq"], () => [8, 0.5]),
      ...one(["fftshift", "ifftshift"], () => [x, [0, 1]]),
      fftfreqBlock: () => [nd.arange(0, 4), { n: 8, d: 1 }],
    },
  },
  {
    label: "nd.linalg", keywordsOf: "NumPy's and scipy's", functions: nd.linalg as unknown as Record<string, unknown>, table: linalgParameters, classes: ["LinAlgError"],
    validCalls: {
      norm: () => [x, { ord: "fro" }],
      ...one(["qr", "svd", "eigh", "eigvalsh", "lu"], () => [square, {}]),
      solve: () => [square, rhs],
      ...one(["inv", "det", "cholesky"], () => [square]),
      ...one(["lstsq", "solveTriangular"], () => [square, rhs, {}]),
    },
  },
];

for (const space of namespaces) {
  const functions = Object.entries(space.functions).filter(([name, value]) => typeof value === "function" && !space.classes.includes(name)) as Array<[string, (...args: unknown[]) => unknown]>;

  describe(`${space.label} functions refuse arguments beyond their own`, () => {
    it("every function is in the table with a valid call here; the table lists no others", () => {
      const names = functions.map(([name]) => name);
      assert.ok(names.length >= 12, `${names.length} functions`);
      assert.deepEqual(names.filter((name) => !(name in space.table)), [], `${space.label} functions missing from its parameter table`);
      assert.deepEqual(names.filter((name) => !(name in space.validCalls)), [], "functions without a valid call in this test");
      assert.deepEqual(Object.keys(space.table).filter((name) => !names.includes(name)), [], "table entries that are not exports");
      assert.deepEqual(Object.keys(space.functions).filter((name) => typeof space.functions[name] !== "function"), [], "exports that are not functions");
    });

    for (const [name, fn] of functions) {
      it(`${name}: runs with its arguments and a trailing undefined, and refuses one more, naming it`, () => {
        const args = space.validCalls[name]();
        const params = space.table[name];
        assert.equal(args.length, params.length, `${name}: the valid call gives every parameter`);
        fn(...args);
        fn(...args, undefined);
        const takes = `at most ${params.length} argument${params.length === 1 ? "" : "s"}`;
        refused(() => fn(...args, { foo: 1 }),
          `${space.label}.${name}(${params.join(", ")}) takes ${takes}; got also an object with ["foo"], which it would ignore (${space.keywordsOf} keyword options it does not have are refused)`, name);
        refused(() => fn(...args, square, undefined), new RegExp(`^${space.label.replace(".", "\\.")}\\.${name}\\(.*got also an array of shape \\[3, 3\\], which`), name);
        if (space.builtinPrefix) assert.equal(builtinNameOf(fn), `${space.builtinPrefix}.${name}`, `${name}: the checked function is the built-in workers resolve`);
      });
    }
  });
}

describe("the examples of the issue", () => {
  it("cholesky's upper, fft's positional norm, inv's out, fftfreq's third", () => {
    refused(() => (nd.linalg.cholesky as (...args: unknown[]) => unknown)(square, { upper: true }),
      'nd.linalg.cholesky(a) takes at most 1 argument; got also an object with ["upper"], which it would ignore (NumPy\'s and scipy\'s keyword options it does not have are refused)', "cholesky");
    refused(() => (nd.fft.fft as (...args: unknown[]) => unknown)(x, { n: 8 }, "ortho"), /^nd\.fft\.fft\(a, options\) takes at most 2 arguments; got also "ortho"/, "fft");
    refused(() => (nd.linalg.inv as (...args: unknown[]) => unknown)(square, { out: square }), /^nd\.linalg\.inv\(a\) .*\["out"\]/, "inv");
    refused(() => (nd.fft.fftfreq as (...args: unknown[]) => unknown)(8, 1, { device: "cpu" }), /^nd\.fft\.fftfreq\(n, d\) .*\["device"\]/, "fftfreq");
  });

  it("the internal helpers of fft.ts are not in nd.fft", () => {
    for (const name of ["cookNdArgs", "rollAxes", "shiftAxes"]) assert.equal(name in nd.fft, false, name);
  });
});
