/**
 * The allocation ledger (allocation-ledger.ts) stamps each shared buffer it makes for the task
 * meter; the stamp must not show: two blocks with the same contents compare equal, and a
 * buffer printed in an error message or a REPL shows no ledger internals.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { allocatedSince, newSharedBuffer, sharedBytesAllocated } from "../../src/ndarray/allocation-ledger.js";
import { allocate } from "../../src/ndarray/ndarray.js";

describe("the allocation ledger", () => {
  it("records each shared buffer at the running total, and counts its bytes", () => {
    const mark = sharedBytesAllocated();
    const buffer = newSharedBuffer(1024);
    assert.equal(sharedBytesAllocated(), mark + 1024);
    assert.equal(allocatedSince(buffer, mark), true);
    assert.equal(allocatedSince(buffer, mark + 1), false, "made before that mark");
    assert.equal(allocatedSince(new SharedArrayBuffer(8), 0), false);
  });

  it("leaves two blocks with the same contents deepStrictEqual, and prints no stamp", () => {
    const a = allocate("float64", 4) as Float64Array;
    const b = allocate("float64", 4) as Float64Array;
    a.fill(1.5);
    b.fill(1.5);
    assert.deepStrictEqual(a.buffer, b.buffer);
    assert.deepStrictEqual(a, b);
    assert.doesNotMatch(inspect(a.buffer), /allocatedAt/);
  });
});
