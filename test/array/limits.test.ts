// Sizes from users are bounded before anything is allocated (issue 9 item 8): what used to
// abort Node ("Fatal JavaScript invalid size error", which no try/catch stops) is refused with
// an error naming the shape and what to do, and this process lives on to check it.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import * as ndimage from "../../src/ndimage/index.js";
import { InvalidOptionError } from "../../src/core/errors.js";
import { checkBlockGrid, maxBlocksPerArray } from "../../src/array/limits.js";

function refuses(make: () => unknown, pattern: RegExp, label: string): void {
  assert.throws(make, (error: Error) => error instanceof InvalidOptionError && pattern.test(error.message), label);
}

describe("bounds on lazy arrays", () => {
  it("ta.ones([2 ** 53]) is refused with the shape named, not a fatal abort", () => {
    refuses(() => ta.ones([2 ** 53]), /ones: shape \[9007199254740992\] must hold non-negative integers of at most 2\^53 − 1/, "2^53");
    refuses(() => ta.zeros([1e15, 1e15]), /zeros: shape \[1000000000000000, 1000000000000000\] in chunks of at most \[4096, 4096\] makes 5\.96\d*e\+22 blocks/, "1e15² auto");
  });

  it("refuses grids of more than 2^24 blocks before listing them, proposing chunks that fit", () => {
    refuses(() => ta.ones([2 ** 52]), /makes 268435456 blocks .* at most 16777216 blocks .* e\.g\. chunks: \[268435456\]/, "2^52 auto");
    refuses(() => ta.ones([1e6, 1e6], { chunks: 100 }), /makes 100000000 blocks \(\[10000, 10000\] per axis\)/, "1e6² in 100²");
    refuses(() => ta.ones([1e5, 1e5], { chunks: 1000 }).rechunk(1), /rechunk: shape \[100000, 100000\] in chunks of at most \[1, 1\]/, "rechunk to 1");
    // The proposal fits.
    const proposal = /e\.g\. chunks: \[(\d+), (\d+)\]/.exec(((): string => {
      try {
        ta.ones([1e6, 1e6], { chunks: 100 });
      } catch (error) {
        return (error as Error).message;
      }
      return "";
    })()) as RegExpExecArray;
    const fitted = ta.ones([1e6, 1e6], { chunks: [Number(proposal[1]), Number(proposal[2])] });
    assert.ok(fitted.numblocks[0] * fitted.numblocks[1] <= maxBlocksPerArray);
  });

  it("describes arrays of huge blocks, but refuses to allocate a block larger than a TypedArray", async () => {
    const huge = ta.ones([1e15, 1e15], { chunks: [1e14, 1e14] });
    assert.deepEqual(huge.numblocks, [10, 10]);
    await assert.rejects(ta.ones([2 ** 33], { chunks: [2 ** 33] }).compute(), (error: Error) =>
      error instanceof InvalidOptionError && /full: shape \[8589934592\] has 8589934592 elements of float64; one in-memory block holds at most 4294967296/.test(error.message));
    refuses(() => ta.ones([4, 4]).mapOverlap(ndimage.gaussianFilter, { depth: 2 ** 40, boundary: "reflect" }, { sigma: 1 }), /mapOverlap: depth \[1099511627776, 1099511627776\]/, "depth 2^40");
    refuses(() => ta.ones([4, 4]).mapBlocks(nd.copy, { chunks: [[-1, 5], [4]] }), /mapBlocks: chunks \[\[-1,5\],\[4\]\] must give/, "negative chunk");
  });

  it("draws the line exactly at 2^24 blocks", () => {
    assert.doesNotThrow(() => checkBlockGrid([2 ** 40], [maxBlocksPerArray], [2 ** 16], "edge"));
    refuses(() => checkBlockGrid([2 ** 40 + 1], [maxBlocksPerArray + 1], [2 ** 16], "edge"), /16777217 blocks/, "one block more");
  });
});

describe("bounds on eager blocks", () => {
  it("nd creation refuses shapes a TypedArray cannot hold, naming the shape", () => {
    assert.throws(() => nd.zeros([2 ** 53]), /zeros: shape \[9007199254740992\] has 9007199254740992 elements of float64; one in-memory block holds at most 4294967296/);
    assert.throws(() => nd.ones([2 ** 31, 3], "uint8"), /ones: shape \[2147483648, 3\] has 6442450944 elements of uint8/);
    assert.throws(() => nd.full([1e300], 1), /full: shape \[1e\+300\]/);
    assert.throws(() => nd.arange(0, 1e12), /arange\(0, 1000000000000, 1\): shape \[1000000000000\]/);
    assert.throws(() => nd.allocate("int16", 2 ** 40), /cannot allocate 1099511627776 elements of int16/);
    assert.equal(nd.zeros([2 ** 30, 0]).size, 0, "an empty array of any shape is fine");
  });
});
