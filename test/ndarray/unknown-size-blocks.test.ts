// The per-block tasks of arrays of unknown chunk sizes (src/ndarray/unknown-size-blocks.ts):
// min / max skip a block only when a reduced axis is empty in it, so a mask that empties a
// kept axis gives NumPy's empty result, not a refusal (found by pipeline-fuzz).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { reducePartialSkippingEmpty } from "../../src/ndarray/unknown-size-blocks.js";
import { assertSameArray, evaluatePython } from "../array/python-eval.js";

describe("reductions without identity over blocks of unknown size", () => {
  it("a block empty along a kept axis reduces to an empty partial; one empty along a reduced axis gives none", () => {
    const block = nd.zeros([3, 0]);
    assert.deepEqual((reducePartialSkippingEmpty(block, { op: "max", axes: [0] }) as nd.NDArray).shape, [1, 0]);
    assert.equal(reducePartialSkippingEmpty(block, { op: "max", axes: [1] }), null);
    assert.equal(reducePartialSkippingEmpty(block, { op: "min", axes: [0, 1] }), null);
  });

  it("max along the known axis of x[:, m] matches NumPy when m keeps nothing, or nothing in some blocks", async () => {
    const values = nd.reshape(nd.arange(24, { dtype: "float32" }), [4, 6]);
    const x = ta.fromArray(values, { chunks: [3, 2] });
    const columns = (keep: boolean[]) => ta.fromArray(nd.array(keep), { chunks: 2 });
    const none = [false, false, false, false, false, false];
    const some = [false, false, true, false, false, true];
    const python = evaluatePython({ v: values }, {
      none: "np.max(v[:, np.zeros(6, bool)], axis=0)",
      some: "np.min(v[:, np.array([0, 0, 1, 0, 0, 1], bool)], axis=0, keepdims=True)",
      refused: "np.max(v[:, np.zeros(6, bool)], axis=1)",
    });
    assertSameArray(await ta.max(x.get(":", columns(none)), { axis: 0 }).compute(), python.none.array as nd.NDArray, "nothing kept");
    assertSameArray(await ta.min(x.get(":", columns(some)), { axis: 0, keepdims: true }).compute(), python.some.array as nd.NDArray, "empty blocks among full ones");
    assert.match(python.refused.error ?? "", /zero-size array/);
    await assert.rejects(ta.max(x.get(":", columns(none)), { axis: 1 }).compute(), /max: zero-size array to reduction operation maximum which has no identity/);
  });
});
