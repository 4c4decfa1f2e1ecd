/**
 * A region read directly from its source (RegionOptions.direct, src/array/lower.ts: the
 * halos of a grouped mapOverlap write read straight from the Zarr volume) is one task of its
 * own: the lowering does not lower the source's blocks for it, which fuse.ts would only cull
 * again (a large volume has thousands). A box that is exactly one block of the source still
 * reads that block's task.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { lowerArrays } from "../../src/array/lower.js";
import type { ArrayExpr, ArrayNode, Call, LowerContext } from "../../src/array/expr.js";
import { blockKey } from "../../src/graph/keys.js";

const readBlock = { builtin: "graph.identity" };
const readBox = { builtin: "ndarray.copy" };

/** A 2-block source counting how often its blocks are lowered; it can read any box in one task. */
function source(): ArrayNode & { lowered: number } {
  const expr: ArrayExpr = {
    kind: "test-source",
    inputs: [],
    lower(self: ArrayNode, ctx: LowerContext): void {
      (self as ArrayNode & { lowered: number }).lowered++;
      for (let i = 0; i < 2; i++) ctx.addBlock(self, [i], { fn: readBlock, args: [i] });
    },
    readBox(_self: ArrayNode, start: readonly number[], stop: readonly number[]): Call {
      return { fn: readBox, args: [[...start], [...stop]] };
    },
  };
  return { name: "source-1", shape: [8], chunks: [[4, 4]], dtype: "float64", expr, lowered: 0 };
}

/** One block reading [start, stop) of `input` directly. */
function reader(input: ArrayNode, start: number, stop: number): ArrayNode {
  const expr: ArrayExpr = {
    kind: "test-reader",
    inputs: [input],
    lower(self: ArrayNode, ctx: LowerContext): void {
      const box = ctx.region(input, [start], [stop], [], { direct: { reader: "r", cacheBytes: 0 } });
      ctx.addBlock(self, [0], { fn: { builtin: "graph.identity" }, args: [box] });
    },
  };
  return { name: `reader-${start}-${stop}`, shape: [stop - start], chunks: [[stop - start]], dtype: "float64", expr };
}

const lower = (node: ArrayNode) => lowerArrays([node], () => false, () => [blockKey(node.name, [0])]);

describe("direct region reads", () => {
  it("read a box across source blocks in one task without lowering the source's blocks", () => {
    const input = source();
    const { graph } = lower(reader(input, 2, 7));
    assert.equal(input.lowered, 0, "the source's blocks were lowered for a direct read");
    assert.equal(graph.tasks.size, 1, "the read fused into its reader");
    assert.ok(JSON.stringify([...graph.tasks.values()][0].args).includes(JSON.stringify(readBox)), "the box is read by the source's readBox");
  });

  it("read a box that is exactly one source block through that block's task", () => {
    const input = source();
    const { graph } = lower(reader(input, 4, 8));
    assert.equal(input.lowered, 1);
    const task = [...graph.tasks.values()][0];
    assert.ok(JSON.stringify(task.args).includes(JSON.stringify(readBlock)) && !JSON.stringify(task.args).includes(JSON.stringify(readBox)), "the block's own task is read");
  });
});
