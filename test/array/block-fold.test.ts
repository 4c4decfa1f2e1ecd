// The fold's options travel once: a long label index (or long bin edges) is one task of its own
// that every step reads, so the graph no longer grows with blocks × labels (64 blocks × a
// 100 000-label index was 41 MB of graph).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import { lowerArrays } from "../../src/array/lower.js";
import { packPayload } from "../../src/protocol/payload.js";
import * as nd from "../../src/ndarray/index.js";
import * as ndimage from "../../src/ndimage/index.js";
import { assertSameArray } from "./python-eval.js";
import { useCluster2x1 } from "./cluster-sample.js";

const nothingHeld = () => false;
const keysOf = (node: unknown) => (node as ta.Array).blockKeys();

/** Bytes of every task's packed arguments: what the graph weighs on its way to the scheduler. */
function packedBytes(array: ta.Array): number {
  const { graph } = lowerArrays([array], nothingHeld, keysOf, Infinity);
  let bytes = 0;
  for (const task of graph.tasks.values()) bytes += JSON.stringify([task.fn, packPayload(task.args, []), task.deps]).length;
  return bytes;
}

const shape = [64, 64];
const values = nd.reshape(nd.arange(64 * 64, { dtype: "float64" }), shape);
const labelData = nd.reshape(nd.astype(nd.arange(64 * 64, { dtype: "float64" }), "int32"), shape);
const index = Array.from({ length: 20_000 }, (_, i) => i + 1);

describe("a fold's long options travel once", () => {
  it("the packed graph of sumLabels over a 20 000-label index barely grows from 4 to 64 blocks", () => {
    const measureWith = (chunks: number) => ta.ndimage.sumLabels(ta.fromArray(values, { chunks }), ta.fromArray(labelData, { chunks }), index);
    const few = packedBytes(measureWith(32));
    const many = packedBytes(measureWith(8));
    const indexBytes = JSON.stringify(index).length;
    // The blocks' data is the same 32 KiB either way; the index (~120 kB) must be there once, not per block.
    assert.ok(many < few + indexBytes, `64 blocks: ${many} bytes, 4 blocks: ${few} bytes, the index alone ${indexBytes}`);
    assert.ok(many < 3 * indexBytes, `64 blocks: ${many} bytes for an index of ${indexBytes}`);
  });

  it("computes through the shared options task what the eager ndimage functions (checked against scipy elsewhere) give on the whole array", async () => {
    const lazy = ta.ndimage.sumLabels(ta.fromArray(values, { chunks: 8 }), ta.fromArray(labelData, { chunks: 8 }), index, { splitEvery: 4 });
    assertSameArray(await lazy.compute(), ndimage.sumLabels(values, labelData, index) as nd.NDArray, "sumLabels over 64 blocks");
    const few = ta.ndimage.maximum(ta.fromArray(values, { chunks: 8 }), ta.fromArray(labelData, { chunks: 8 }), [5, 7, 4000]);
    assertSameArray(await few.compute(), ndimage.maximum(values, labelData, [5, 7, 4000]) as nd.NDArray, "a short index stays inline");
  });
});

describe("a fold's shared options task on a cluster (2 workers)", () => {
  useCluster2x1();

  it("every block task on both workers reads the one options task", async () => {
    const lazy = ta.ndimage.centerOfMass(ta.fromArray(values, { chunks: 8 }), ta.fromArray(labelData, { chunks: [8, 16] }), index, { splitEvery: 3 });
    assertSameArray(await lazy.compute(), new nd.NDArray(Float64Array.from(ndimage.centerOfMass(values, labelData, index).flat()), [index.length, 2]), "centerOfMass on the cluster");
  });
});
