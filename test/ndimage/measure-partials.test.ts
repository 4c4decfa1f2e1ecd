// The block steps of the chunked per-label measurements (measure-partials.ts): a block's partial
// holds the labels of the index that the block holds, not an entry for every label of the index
// (135 000 labels over 1000 blocks: 6.5 MB partials, 2 GB at once for `area` of a 7 MB label
// volume), and partials combined in any grouping finish to the same numbers.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";
import { type MeasureOptions, type MeasurePartial, measureCombine, measureFinish, measurePartial } from "../../src/ndimage/measure-partials.js";

const index = Array.from({ length: 100_000 }, (_, i) => i + 1);
const labels = nd.fromTypedArray(Int32Array.from([0, 7, 7, 0, 99_999, 0, 0, 7, -3, 0, 0, 0]), [3, 4]);
const values = nd.fromTypedArray(Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]), [3, 4]);
const sizeOf = (partial: MeasurePartial): number => Object.values(partial).reduce((n: number, array) => n + (array as nd.NDArray).size, 0);

describe("per-label measurement partials", () => {
  for (const kind of ["sums", "centers", "extrema", "spread"] as const) {
    const options: MeasureOptions = { index, kind, dtype: "float64", ndim: 2 };
    it(`${kind}: hold the block's labels only, and finish as one partial of the whole does`, () => {
      const whole = measurePartial(values, labels, options, [0, 0]) as MeasurePartial;
      assert.ok(sizeOf(whole) <= 2 * 8, `a partial of ${sizeOf(whole)} numbers for 2 labels`);
      // Rows 0, 1 and 2 as three blocks, combined two ways.
      const rows = [0, 1, 2].map((r) => measurePartial(nd.ascontiguousarray(nd.slice(values, { start: r, stop: r + 1 }, ":")),
        nd.ascontiguousarray(nd.slice(labels, { start: r, stop: r + 1 }, ":")), options, [r, 0]) as MeasurePartial);
      const flat = measureCombine(rows, options) as MeasurePartial;
      assert.ok(sizeOf(flat) <= 2 * 8, `a combined partial of ${sizeOf(flat)} numbers for 2 labels`);
      const nested = measureCombine([measureCombine(rows.slice(0, 2), options) as MeasurePartial, rows[2]], options) as MeasurePartial;
      const results = kind === "sums" ? ["sum", "mean", "count"] : kind === "centers" ? ["center"] : kind === "extrema" ? ["minimum", "maximum"] : ["variance"];
      for (const result of results) {
        const finish = (partial: MeasurePartial) => Array.from((measureFinish(partial, { ...options, result } as never) as nd.NDArray).toTypedArray() as Float64Array, Number)
          .filter((_, i) => [6, 99_998].includes(kind === "centers" ? Math.floor(i / 2) : i));
        // The variance merges parts about their own means (Chan et al.): equal to rounding only.
        const near = (a: number[], b: number[]) => a.every((x, i) => Math.abs(x - b[i]) <= (result === "variance" ? 1e-15 * Math.abs(b[i]) : 0));
        assert.ok(near(finish(flat), finish(whole)), `${result}: three blocks ${finish(flat)} vs ${finish(whole)}`);
        assert.ok(near(finish(nested), finish(whole)), `${result}: nested ${finish(nested)} vs ${finish(whole)}`);
        assert.equal(finish(whole).length, kind === "centers" ? 4 : 2);
      }
    });
  }
});
