// The plan's memory estimate of chunked label (label.ts) for a volume bigger than a worker:
// the merge, which holds every block's labels, is estimated at a whole array's density of
// labels (label-contacts.ts mergedLabelsEstimate), not at each block's bound summed over the
// array. With the bound, a 330 MB float32 volume's mask (82.5 M cells) asked 444 MiB of one task
// and was refused on 256 MiB workers with advice to rechunk, which changes nothing: the merge's
// size does not depend on the chunks. lab-chain-beyond-memory.test.ts labels that volume on
// 2 workers of 256 MiB as scipy does.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import { lowerArrays } from "../../src/array/lower.js";

const MiB = 2 ** 20;

describe("chunked label's plan estimate on a volume bigger than a worker", () => {
  for (const chunks of [[16, 128, 128], [16, 64, 64]]) {
    it(`fits a 256 MiB worker for 82.5 M cells in chunks [${chunks.join(", ")}], whatever the chunks`, () => {
      const mask = ta.zeros([165, 500, 1000], { chunks, dtype: "float32" }).gt(0);
      const [labels, count] = ta.ndimage.label(mask);
      const { memory } = lowerArrays([labels, count], () => false, (node) => (node as ta.Array).blockKeys());
      const largest = memory.largest ?? assert.fail("no estimate");
      assert.ok(largest.bytes < 128 * MiB, `largest task ${largest.key}: ${(largest.bytes / MiB).toFixed(0)} MiB`);
      // Still an estimate that grows with the volume (the merge holds every block's labels).
      assert.ok(largest.bytes > MiB, `largest task ${largest.key}: ${largest.bytes} bytes`);
    });
  }
});
