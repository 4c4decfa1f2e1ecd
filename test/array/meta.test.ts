// Result dtype inference (src/array/meta.ts): a built-in's answer is remembered and equals
// running the function on tiny blocks every time; user functions, refusals and options that
// have no exact text are run every time.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { inferDtype } from "../../src/array/meta.js";
import { defineBuiltin } from "../../src/core/builtin.js";
import { InvalidOptionError } from "../../src/core/errors.js";
import * as nd from "../../src/ndarray/index.js";
import { dtypes, type DType } from "../../src/ndarray/dtype.js";
import { gaussianFilter, uniformFilter } from "../../src/ndimage/index.js";

/** What inference does, without the memo: run the function on one-element blocks. */
function runDirectly(fn: (...args: unknown[]) => unknown, inputs: Array<{ dtype: DType; ndim: number } | { value: unknown }>, options?: Record<string, unknown>): DType | string {
  const args: unknown[] = inputs.map((input) => ("value" in input ? input.value : nd.ones(new Array<number>(input.ndim).fill(1), input.dtype)));
  if (options !== undefined) args.push(options);
  try {
    return (fn(...args) as nd.NDArray).dtype;
  } catch (error) {
    return `refused: ${(error as Error).name}`;
  }
}

function inferred(fn: (...args: unknown[]) => unknown, inputs: Array<{ dtype: DType; ndim: number } | { value: unknown }>, options?: Record<string, unknown>): DType | string {
  try {
    return inferDtype(fn, inputs, options, "test");
  } catch (error) {
    return `refused: ${(error as Error).name}`;
  }
}

describe("built-in result dtypes, remembered", () => {
  it("the DoG's filters give, for every dtype and twice (the second answer remembered), what running them gives", () => {
    const filters: Array<[string, (...args: unknown[]) => unknown, Record<string, unknown>]> = [
      ["gaussianFilter σ 3", gaussianFilter as never, { sigma: 3, order: 0, mode: "nearest" }],
      ["gaussianFilter σ 10", gaussianFilter as never, { sigma: 10, order: 0, mode: "nearest" }],
      ["gaussianFilter float32 output", gaussianFilter as never, { sigma: 2, output: "float32" }],
      ["uniformFilter", uniformFilter as never, { size: 3 }],
    ];
    for (const [what, fn, options] of filters) {
      for (const dtype of dtypes) {
        for (const ndim of [1, 3]) {
          const expected = runDirectly(fn, [{ dtype, ndim }], options);
          for (const round of [1, 2]) {
            assert.equal(inferred(fn, [{ dtype, ndim }], options), expected, `${what} on ${dtype}/${ndim}d, call ${round}`);
          }
        }
      }
    }
  });

  it("elementwise built-ins give, for every pair of dtypes and with scalars, what running them gives", () => {
    const scalars: unknown[] = [3, -1, 2.5, 300, 70000, 2n ** 40n, true, null];
    for (const [name, fn] of [["subtract", nd.subtract], ["add", nd.add], ["multiply", nd.multiply], ["divide", nd.divide]] as const) {
      for (const a of dtypes) {
        for (const b of dtypes) {
          const inputs = [{ dtype: a, ndim: 3 }, { dtype: b, ndim: 3 }];
          const expected = runDirectly(fn as never, inputs);
          for (const round of [1, 2]) assert.equal(inferred(fn as never, inputs), expected, `${name}(${a}, ${b}), call ${round}`);
        }
        for (const value of scalars) {
          const inputs = [{ dtype: a, ndim: 2 }, { value }];
          const expected = runDirectly(fn as never, inputs);
          for (const round of [1, 2]) assert.equal(inferred(fn as never, inputs), expected, `${name}(${a}, ${String(value)}), call ${round}`);
        }
      }
    }
  });

  it("runs a built-in once per distinct input dtypes, ranks, scalar values and options", () => {
    let calls = 0;
    const counted = defineBuiltin("test.meta-counted", (a: nd.NDArray, b: unknown, options?: { cast?: DType }) => {
      calls++;
      return nd.astype(a, options?.cast ?? (typeof b === "number" && !Number.isInteger(b) ? "float64" : a.dtype));
    });
    const infer = (dtype: DType, ndim: number, value: unknown, options?: Record<string, unknown>) => inferDtype(counted, [{ dtype, ndim }, { value }], options, "counted");
    assert.equal(infer("uint16", 3, 1), "uint16");
    assert.equal(infer("uint16", 3, 1), "uint16");
    assert.equal(calls, 1);
    assert.equal(infer("uint16", 3, 1.5), "float64"); // another scalar value
    assert.equal(infer("uint16", 3, 1n), "uint16"); // a bigint is not the number 1
    assert.equal(infer("uint16", 2, 1), "uint16"); // another rank
    assert.equal(infer("int8", 3, 1), "int8"); // another dtype
    assert.equal(infer("uint16", 3, 1, { cast: "float32" }), "float32"); // other options
    assert.equal(calls, 6);
    assert.equal(infer("uint16", 3, 1, { cast: "float32" }), "float32");
    assert.equal(calls, 6);
  });

  it("runs again what it cannot remember: user functions, refusals, options that are not plain values", () => {
    let userCalls = 0;
    const user = (a: nd.NDArray) => {
      userCalls++;
      return a;
    };
    inferDtype(user, [{ dtype: "uint8", ndim: 2 }], undefined, "user");
    inferDtype(user, [{ dtype: "uint8", ndim: 2 }], undefined, "user");
    assert.equal(userCalls, 2, "a user function may not be pure: it runs every time");

    let refusals = 0;
    const refusing = defineBuiltin("test.meta-refusing", () => {
      refusals++;
      throw new InvalidOptionError("refused on purpose");
    });
    for (let i = 0; i < 2; i++) assert.throws(() => inferDtype(refusing, [{ dtype: "uint8", ndim: 1 }], undefined, "refusing"), /refused on purpose/);
    assert.equal(refusals, 2, "a refusal is raised again by running again");

    let weighted = 0;
    const withWeights = defineBuiltin("test.meta-weights", (a: nd.NDArray, options: { weights: nd.NDArray }) => {
      weighted++;
      return nd.astype(a, options.weights.dtype);
    });
    for (const dtype of ["float32", "int16", "float32", "int16"] as const) {
      assert.equal(inferDtype(withWeights, [{ dtype: "uint8", ndim: 1 }], { weights: nd.ones([3], dtype) }, "weights"), dtype);
    }
    assert.equal(weighted, 4, "an option holding an NDArray has no exact text: the function runs every time");
  });
});
