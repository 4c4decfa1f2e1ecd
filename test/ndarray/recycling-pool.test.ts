// The pool of kept buffers itself (block-recycling.ts), driven through its exports: what a keep
// evicts when the pool is full (the oldest first), that the pool goes after recycleIdleMs
// without a take or keep (on a timer that keeps nothing alive), and which label an oversized
// output's error carries.
import { afterEach, beforeEach, describe, it, mock } from "node:test";
import assert from "node:assert/strict";
import type { NDArray } from "../../src/ndarray/ndarray.js";
import {
  generatedArray, onIdlePoolDropped, outputArray, recycleGenerated, recycleIdleMs, recycleKeepBytes, recycledHeldBytes, releaseRecycled, setRecycleKeepCap,
} from "../../src/ndarray/block-recycling.js";

// Blocks of 1 to 5 units; sizes tell the kept buffers apart.
const unit = 8 * 1024;
const block = (units: number): NDArray => generatedArray([units * 1024], "float64").array;
/** Whether the pool holds `kept`'s buffer: the next block of its size takes it (and it leaves the pool). */
const takes = (kept: NDArray): boolean => generatedArray(kept.shape, "float64").array.data.buffer === kept.data.buffer;

describe("the recycling pool's eviction", () => {
  beforeEach(() => releaseRecycled());
  afterEach(() => {
    setRecycleKeepCap(recycleKeepBytes);
    releaseRecycled();
  });

  it("evicts the oldest kept buffers until a new one fits the cap", () => {
    setRecycleKeepCap(4 * unit);
    const [one, two, otherTwo] = [block(1), block(2), block(2)];
    assert.deepEqual(recycleGenerated([one, two], []), []);
    assert.equal(recycledHeldBytes(), 3 * unit);
    // 3 + 2 units is over the cap of 4: the oldest (one) goes, and that is enough.
    assert.deepEqual(recycleGenerated([otherTwo], []), [], "the new buffer was not kept");
    assert.equal(recycledHeldBytes(), 4 * unit);
    assert.equal(takes(one), false, "the oldest buffer was not evicted");
    assert.equal(takes(two), true, "a buffer newer than needed was evicted");
    assert.equal(takes(otherTwo), true);
  });

  it("evicts as many as it takes, and the freed sizes are no longer served", () => {
    setRecycleKeepCap(4 * unit);
    const [a, b, c, big] = [block(1), block(1), block(2), block(3)];
    recycleGenerated([a, b, c], []);
    assert.equal(recycledHeldBytes(), 4 * unit);
    // 3 units need 3 out: a (1) then b (1) leave 2 + 3 > 4, so c goes too.
    assert.deepEqual(recycleGenerated([big], []), []);
    assert.equal(recycledHeldBytes(), 3 * unit);
    assert.equal(generatedArray([1024], "float64").zeroed, true, "a 1-unit buffer was still kept");
    assert.equal(generatedArray([2048], "float64").zeroed, true, "the 2-unit buffer was still kept");
    assert.equal(takes(big), true);
  });

  it("does not keep a buffer larger than the cap, and evicts nothing for it", () => {
    setRecycleKeepCap(4 * unit);
    const [small, huge] = [block(1), block(5)];
    recycleGenerated([small], []);
    assert.deepEqual(recycleGenerated([huge], []), [huge]);
    assert.equal(recycledHeldBytes(), unit, "a buffer over the cap emptied the pool");
    assert.equal(takes(small), true);
  });

  it("drops the oldest first when the cap shrinks", () => {
    const [old, young] = [block(2), block(2)];
    recycleGenerated([old, young], []);
    setRecycleKeepCap(3 * unit);
    assert.equal(recycledHeldBytes(), 2 * unit);
    assert.equal(takes(young), true, "the newest buffer was dropped first");
  });
});

describe("the recycling pool when idle", () => {
  beforeEach(() => releaseRecycled());
  afterEach(() => {
    mock.timers.reset();
    releaseRecycled();
  });

  it("drops every kept buffer recycleIdleMs after the last take or keep", () => {
    mock.timers.enable({ apis: ["setTimeout", "Date"], now: 1_000_000 });
    recycleGenerated([block(1), block(1), block(2)], []);
    mock.timers.tick(recycleIdleMs - 500);
    // A take restarts the wait; the pool still holds the rest.
    generatedArray([2048], "float64");
    assert.equal(recycledHeldBytes(), 2 * unit);
    mock.timers.tick(500);
    assert.equal(recycledHeldBytes(), 2 * unit, "dropped counting from the first keep, not the last take");
    mock.timers.tick(recycleIdleMs - 500 - 1);
    assert.equal(recycledHeldBytes(), 2 * unit);
    let dropped = 0;
    onIdlePoolDropped(() => dropped++);
    try {
      mock.timers.tick(1);
    } finally {
      onIdlePoolDropped(null);
    }
    assert.equal(recycledHeldBytes(), 0, "the pool outlived recycleIdleMs without a take or keep");
    assert.equal(dropped, 1, "the thread was not told of the idle drop (it would not collect)");
    // And again for what is kept later (the timer is armed anew).
    recycleGenerated([block(1)], []);
    mock.timers.tick(recycleIdleMs);
    assert.equal(recycledHeldBytes(), 0);
  });

  it("keeps nothing alive: its timer is unref'd", () => {
    // The resources that keep the event loop alive (unref'd timers are not among them).
    const timers = () => process.getActiveResourcesInfo().filter((name) => name === "Timeout").length;
    const before = timers();
    recycleGenerated([block(1)], []);
    assert.equal(recycledHeldBytes(), unit);
    assert.equal(timers(), before, "the idle timer keeps the process alive");
  });
});

describe("errors of an oversized block", () => {
  const oversized = [2 ** 20, 2 ** 20];

  it("names an output block, not a generated one", () => {
    assert.throws(() => outputArray(oversized, "float64"), (error: Error) => error.message.startsWith("output block: shape [1048576, 1048576]"));
    assert.throws(() => outputArray(oversized, "float64", "gaussian filter output"), (error: Error) => error.message.startsWith("gaussian filter output: shape"));
    assert.throws(() => generatedArray(oversized, "float64"), (error: Error) => error.message.startsWith("generated block: shape"));
  });
});
