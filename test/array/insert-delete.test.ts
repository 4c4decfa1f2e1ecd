// insert and delete with a slice { start, stop, step } for positions: a misspelt key is refused,
// never read as ":" (which deletes, or inserts before, every element of the axis).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import type * as nd from "../../src/ndarray/index.js";
import { assertSameArray, evaluatePython } from "./python-eval.js";

describe("insert and delete positions given as a slice", () => {
  const x = () => ta.arange(24, { chunks: 5 }).reshape([4, 6]);

  it("follow NumPy for a slice over an axis of several blocks", async () => {
    const reference = evaluatePython({}, {
      deleted: "np.delete(np.arange(24.0).reshape(4, 6), slice(1, None, 2), axis=1)",
      inserted: "np.insert(np.arange(24.0).reshape(4, 6), slice(0, 4, 3), -1, axis=1)",
    });
    assertSameArray(await ta.delete(x(), { start: 1, step: 2 }, { axis: 1 }).compute(), reference.deleted.array as nd.NDArray, "delete");
    assertSameArray(await ta.insert(x(), { start: 0, stop: 4, step: 3 }, -1, { axis: 1 }).compute(), reference.inserted.array as nd.NDArray, "insert");
  });

  it("refuse a slice with a key other than start, stop and step, naming it", () => {
    assert.throws(() => ta.delete(x(), { strat: 1 } as never, { axis: 1 }), { name: "InvalidOptionError", message: /delete slice: unknown option "strat"; delete slice takes start, stop, step/ });
    assert.throws(() => ta.insert(x(), { start: 1, stpe: 2 } as never, 0, { axis: 0 }), /insert slice: unknown option "stpe"/);
  });
});
