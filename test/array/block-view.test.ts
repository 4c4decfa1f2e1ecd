/**
 * x.blocks / x.partitions (src/array/block-view.ts): Dask's BlockView, equal to Dask 2022.12's
 * x.blocks[...] in values, shape and chunks over many blocks per axis; each chosen block is
 * its source block (no task of its own once fused); Dask's refusals are refusals here.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { lowerArrays } from "../../src/array/lower.js";
import { InvalidOptionError } from "../../src/core/errors.js";
import { assertSameArray, evaluatePython } from "./python-eval.js";
import { describeOnCluster } from "./cluster-sample.js";

const volume = nd.random([23, 37, 41], { seed: 9, dtype: "float32" });
const lazy = () => ta.fromArray(volume, { chunks: [2, 4, 5] });

const cases: Array<{ index: ta.BlockIndexItem[]; python: string }> = [
  { index: [0], python: "0" },
  { index: [{ start: 2, stop: 9 }, -1], python: "2:9, -1" },
  { index: [{ step: 3 }, ":", { start: -2 }], python: "::3, :, -2:" },
  { index: [[11, 0, 5, 5], "..."], python: "[11, 0, 5, 5], ..." },
  { index: ["...", [8, -9]], python: "..., [8, -9]" },
  { index: [1, 2, 3], python: "1, 2, 3" },
  { index: [{ step: -4 }], python: "::-4" },
];

describe("x.blocks", () => {
  const python = evaluatePython({ v: volume }, Object.fromEntries(cases.map((c, i) => [`c${i}`, `da.from_array(v, chunks=(2, 4, 5)).blocks[${c.python}]`])));
  for (const [i, c] of cases.entries()) {
    it(`equals Dask's x.blocks[${c.python}]`, async () => {
      const expected = python[`c${i}`];
      assert.equal(expected.error, undefined, `Dask raised ${expected.error}`);
      const result = lazy().blocks.get(...c.index);
      assert.deepEqual(result.chunks, expected.chunks, "chunks");
      assertSameArray(await result.compute(), expected.array!, c.python);
    });
  }

  it("shape, size, ravel and partitions as Dask's", async () => {
    const x = lazy();
    assert.deepEqual(x.blocks.shape, [12, 10, 9]);
    assert.equal(x.blocks.size, 1080);
    assert.equal(x.blocks.ndim, 3);
    const small = ta.fromArray(nd.random([5, 6], { seed: 1 }), { chunks: [2, 4] });
    const blocks = small.partitions.ravel();
    assert.deepEqual(blocks.map((b) => b.shape), [[2, 4], [2, 2], [2, 4], [2, 2], [1, 4], [1, 2]]);
    assertSameArray(await blocks[3].compute(), await small.get({ start: 2, stop: 4 }, { start: 4 }).compute(), "block (1, 1)");
  });

  it("each chosen block is its source block: the graph has only the source's tasks", () => {
    const source = ta.fromArray(volume, { chunks: [2, 4, 5] }).add(1);
    const chosen = source.blocks.get({ start: 0, stop: 4 }, [3, 1], 0);
    const tasks = lowerArrays([chosen], () => false, (node) => (node as ta.Array).blockKeys(), Infinity).graph.tasks;
    assert.equal(tasks.size, 4 * 2 * 1, "one task per chosen block");
  });

  it("refuses what Dask refuses, naming it", () => {
    const x = lazy();
    const refusals: Array<[() => unknown, RegExp]> = [
      [() => x.blocks.get([0, 1], [1, 2]), /a single list/],
      [() => x.blocks.get(null as never), /np.newaxis/],
      [() => x.blocks.get(12), /index 12 is out of bounds for axis 0 with 12 blocks/],
      [() => x.blocks.get(0, [-11]), /index -11 is out of bounds for axis 1 with 10 blocks/],
      [() => x.blocks.get(0, 0, 0, 0), /too many indices/],
      [() => x.blocks.get(1.5), /not a block index/],
      [() => x.blocks.get("...", "..."), /single ellipsis/],
    ];
    for (const [call, message] of refusals) assert.throws(call, (error: unknown) => error instanceof InvalidOptionError && message.test(error.message), String(message));
  });
});

describeOnCluster("x.blocks over many blocks", () => [lazy().blocks.get([11, 0, 5, 5], "..."), lazy().add(2).partitions.get({ step: 3 }, ":", { start: -2 })]);
