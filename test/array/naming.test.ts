/**
 * Names of lazy arrays are tokens of what they are made from: two arrays that differ only in
 * an option of their block function must get different names, or computing both in one graph
 * would silently give one the other's result.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { LocalExecutor } from "../../src/graph/local-executor.js";

const byLookup = (block: nd.NDArray, options: { factors: Map<string, number> }) => nd.multiply(block, options.factors.get("k") as number);
const byWeights = (block: nd.NDArray, options: { weights: ArrayBufferView }) => nd.multiply(block, Number((options.weights as Float64Array)[0]));

describe("names of lazy arrays", () => {
  const x = ta.ones([8, 8], { chunks: [4, 4] });

  it("differ for block functions given different Maps, and both compute to their own values", async () => {
    const two = x.mapBlocks(byLookup, {}, { factors: new Map([["k", 2]]) });
    const three = x.mapBlocks(byLookup, {}, { factors: new Map([["k", 3]]) });
    assert.notEqual(two.name, three.name);
    const [a, b] = await ta.compute([two.sum(), three.sum()], { executor: new LocalExecutor() });
    assert.deepEqual([a.item(), b.item()], [128, 192]);
  });

  it("differ for typed-array options of the same bytes but another dtype", async () => {
    const asFloat = x.mapBlocks(byWeights, {}, { weights: new Float64Array([2]) });
    const asInts = x.mapBlocks(byWeights, {}, { weights: new BigInt64Array(new Float64Array([2]).buffer) });
    assert.notEqual(asFloat.name, asInts.name);
    const [a, b] = await ta.compute([asFloat.sum(), asInts.sum()], { executor: new LocalExecutor() });
    assert.equal(a.item(), 128);
    assert.equal(b.item(), 64 * Number(new BigInt64Array(new Float64Array([2]).buffer)[0]));
  });

  it("are the same for the same options (the result is computed once)", () => {
    assert.equal(x.mapBlocks(byLookup, {}, { factors: new Map([["k", 2]]) }).name, x.mapBlocks(byLookup, {}, { factors: new Map([["k", 2]]) }).name);
  });

  it("refuse an option that cannot be named faithfully, naming it", () => {
    assert.throws(() => x.mapBlocks(byLookup, {}, { factors: new Map([["k", 2]]), onDone: () => 0 }), /a function \(onDone\) at \[2\]\.onDone/);
  });
});
