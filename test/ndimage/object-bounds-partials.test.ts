// The block steps of the chunked findObjects (measure-partials.ts): a block's partial holds the
// labels the block holds, not a row for every label up to maxLabel (135 000 labels over 1000
// blocks made 6.5 MB partials, 6.9 GB at once for a 7 MB label volume); partials combined in any
// grouping and finished give every label's bounding box, as one pass over the whole array does.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";
import { objectBoundsCombine, objectBoundsFinish, objectBoundsPartial } from "../../src/ndimage/measure-partials.js";
import { seededRandom } from "./helpers.js";

describe("findObjects' block partials", () => {
  it("hold only the labels their block holds", () => {
    const block = nd.fromTypedArray(Int32Array.from([0, 7, 7, 0, 99_999, 0, 0, 7, -3, 0, 0, 0]), [3, 4]);
    const partial = objectBoundsPartial(block, { maxLabel: 100_000, ndim: 2 }, [10, 20]) as nd.NDArray;
    assert.ok(partial.size <= 2 * (1 + 2 * 2), `a partial of ${partial.size} numbers for 2 labels`);
    const combined = objectBoundsCombine([partial, objectBoundsPartial(nd.zeros([2, 2], "int32"), { maxLabel: 100_000, ndim: 2 }, [0, 0])], { maxLabel: 100_000, ndim: 2 }) as nd.NDArray;
    assert.ok(combined.size <= 2 * (1 + 2 * 2), `a combined partial of ${combined.size} numbers for 2 labels`);
  });

  it("combined in any grouping and finished, give the bounds of one pass over the whole array", () => {
    const rng = seededRandom(6122026);
    const shape = [9, 7, 5];
    const maxLabel = 12;
    const labels = nd.fromTypedArray(Int32Array.from({ length: 315 }, () => Math.floor(rng() * 16) - 2), shape);
    // One pass: [label − 1, axis, (first, last + 1)], null where absent, as findObjects reads the finish.
    const expected: Array<number[] | null> = Array.from({ length: maxLabel }, () => null);
    Array.from(labels.toTypedArray() as Int32Array).forEach((label, p) => {
      if (label < 1 || label > maxLabel) return;
      const at = [Math.floor(p / 35), Math.floor(p / 5) % 7, p % 5];
      const box = expected[label - 1] ?? [Infinity, -Infinity, Infinity, -Infinity, Infinity, -Infinity];
      at.forEach((c, axis) => { box[2 * axis] = Math.min(box[2 * axis], c); box[2 * axis + 1] = Math.max(box[2 * axis + 1], c); });
      expected[label - 1] = box;
    });
    const options = { maxLabel, ndim: 3 };
    // Blocks of 3 × 7 × 2 (and a last of 1 along the last axis).
    const partials: nd.NDArray[] = [];
    for (let z = 0; z < 9; z += 3) {
      for (let x = 0; x < 5; x += 2) {
        const box = nd.ascontiguousarray(nd.slice(labels, { start: z, stop: z + 3 }, ":", { start: x, stop: x + 2 }));
        partials.push(objectBoundsPartial(box, options, [z, 0, x]) as nd.NDArray);
      }
    }
    for (const grouping of [[partials], [partials.slice(0, 4), partials.slice(4)], partials.map((p) => [p])]) {
      const level = grouping.map((group) => objectBoundsCombine(group, options) as nd.NDArray);
      const finished = objectBoundsFinish(objectBoundsCombine(level, options) as nd.NDArray, options) as nd.NDArray;
      assert.deepEqual([...finished.shape], [maxLabel, 3, 2]);
      const data = finished.data as Float64Array;
      const actual = expected.map((_, l) => (data[l * 6] === Infinity ? null : Array.from(data.subarray(l * 6, l * 6 + 6))));
      assert.deepEqual(actual, expected, `grouping of ${grouping.length}`);
    }
  });
});
