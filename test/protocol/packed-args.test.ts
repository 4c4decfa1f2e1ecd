/**
 * The scheduler keeps a task's arguments packed from intake to dispatch (issue 10, item 3):
 * unpacked, they must be exactly the tree the wire would have carried, for every kind of
 * argument a task can have, and a packed tree takes far less memory than the decoded one.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { PackedArgs, unpackArgs } from "../../src/protocol/packed-args.js";
import { packPayload, unpackPayload, TaskRef } from "../../src/protocol/payload.js";
import { decodeHeader, encodeHeader } from "../../src/comm/stream-channel.js";
import * as nd from "../../src/ndarray/index.js";

describe("packed task arguments", () => {
  it("unpack to the tree the wire carries, for every kind of argument", () => {
    const frames: Uint8Array[] = [];
    const value = [
      nd.ones([2, 3]), new Float32Array([1.5, -0]), -0, undefined, 2n ** 70n, "nul \u0000 byte", "lone \ud800",
      new Map<unknown, unknown>([[1, "a"], ["k", { $ref: "not a reference" }]]), new Set([1, 2]), new Date(5), /a+b/gi,
      { nested: [{ deep: [1, 2, { x: null }] }], __proto__x: 1 }, new TaskRef("('x-1', 0, 0)"), { steps: [{ fn: { builtin: "graph.identity" }, args: [{ $step: 0 }] }] },
    ];
    const tree = packPayload(value, frames, "test arguments");
    const wire = (decodeHeader(encodeHeader([tree])) as unknown[])[0];
    const packed = PackedArgs.pack(wire);
    assert.deepEqual(packed.unpack(), wire);
    assert.deepEqual(unpackArgs(packed), wire);
    assert.deepEqual(unpackPayload(unpackArgs(packed), frames, (key) => `resolved ${key}`), unpackPayload(wire, frames, (key) => `resolved ${key}`));
    assert.equal(unpackArgs(wire), wire, "a tree that is not packed passes through");
  });

  it("keeps a fused task's arguments in the bytes they take on the wire", () => {
    const step = (i: number) => ({ fn: { builtin: "ndarray.reducePartial" }, args: [{ $step: i }, { op: "sum", axes: [0, 1], keepdims: true, ddof: 0, dtype: "float64" }] });
    const tree = [{ steps: [{ fn: { builtin: "ndarray.full" }, args: [[1, 1], 1, "float64"] }, step(0)] }];
    const packed = PackedArgs.pack(tree);
    assert.ok(packed.bytes.byteLength < 200, `${packed.bytes.byteLength} bytes`);
    assert.deepEqual(packed.unpack(), tree);
  });
});
