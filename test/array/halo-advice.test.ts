// haloAdvice: cells read per cell written by a mapOverlap with a task per chunk, and the chunking
// that brings it under 2× (the course's chunk-size advice, computed).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { describeHaloAdvice, haloAdvice } from "../../src/array/halo-advice.js";

describe("haloAdvice", () => {
  it("is the interior block's (c + 2d) / c per axis on a volume whose edges are negligible: 17.7× for the course's chunks", () => {
    const advice = haloAdvice([32 * 2000, 64 * 1000, 64 * 1000], [32, 64, 64], [40, 40, 40]);
    const interior = ((32 + 80) / 32) * ((64 + 80) / 64) ** 2;
    assert.ok(Math.abs(advice.overhead - interior) / interior < 0.01, `${advice.overhead} vs ${interior}`);
  });

  it("counts only the cells inside the array at its edges", () => {
    // One chunk per axis reads only itself; two chunks of 50 with depth 10 read 60 each of 100 cells.
    assert.equal(haloAdvice([100], [100], [10]).overhead, 1);
    assert.equal(haloAdvice([100], [50], [10]).overhead, 1.2);
    assert.equal(haloAdvice([100, 100], [50, 100], [10, 0]).overhead, 1.2, "an axis without halo adds nothing");
  });

  it("suggests the smallest whole multiple of the chunks that brings it under 2×, growing only axes with a halo", () => {
    const shape = [2048, 2048, 2048];
    const advice = haloAdvice(shape, [32, 64, 64], [40, 40, 40]);
    const suggested = advice.suggestedChunks as number[];
    assert.ok(suggested, "a suggestion");
    const factor = suggested[0] / 32;
    assert.deepEqual(suggested, [32 * factor, 64 * factor, 64 * factor]);
    assert.ok(haloAdvice(shape, suggested, [40, 40, 40]).overhead <= 2);
    assert.ok(haloAdvice(shape, [32, 64, 64].map((c) => c * (factor - 1)), [40, 40, 40]).overhead > 2, "the next smaller factor is not enough");
    assert.deepEqual(haloAdvice([100, 4096], [10, 64], [0, 40]).suggestedChunks?.[0], 10, "no halo on axis 0: its chunks stay");
  });

  it("suggests nothing when the overhead is already at most 2×, and says so in its sentence", () => {
    const advice = haloAdvice([512, 512], [256, 256], [8, 8]);
    assert.equal(advice.suggestedChunks, null);
    assert.match(describeHaloAdvice([256, 256], [8, 8], advice), /^halo overhead with chunks \(256, 256\) and depth 8: 1\.\d× cells read per cell written$/);
    assert.match(describeHaloAdvice([32, 64, 64], [40, 40, 40], haloAdvice([2048, 2048, 2048], [32, 64, 64], [40, 40, 40])), /chunks of \(\d+, \d+, \d+\) would bring it under 2×/);
  });
});
