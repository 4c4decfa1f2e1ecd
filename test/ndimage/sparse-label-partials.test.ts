// The block steps of the chunked maximumPosition / minimumPosition, histogram and median
// (position-partials.ts, histogram-partials.ts, median-partials.ts): a block's partial holds rows
// for the labels of the index that the block holds, not a row for every label of the index
// (135 000 labels over 1000 blocks: each block's partial was as large as the result), and
// partials combined in any grouping finish to what one partial of the whole array finishes to.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";
import { histogramCombine, histogramFinish, histogramPartial } from "../../src/ndimage/histogram-partials.js";
import { medianCombine, medianFinish, medianPartial } from "../../src/ndimage/median-partials.js";
import { positionCombine, positionFinish, positionPartial } from "../../src/ndimage/position-partials.js";

const index = Array.from({ length: 100_000 }, (_, i) => i + 1);
// Label 7 in rows 0 and 1 (its maximum 8 in row 1), label 99 999 in row 0 only, −3 not measured.
const labels = nd.fromTypedArray(Int32Array.from([0, 7, 7, 0, 99_999, 0, 0, 7, -3, 0, 0, 0]), [3, 4]);
const values = nd.fromTypedArray(Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]), [3, 4]);
const row = (array: nd.NDArray, r: number): nd.NDArray => nd.ascontiguousarray(nd.slice(array, { start: r, stop: r + 1 }, ":"));
type Partial = Record<string, unknown>;
// (The dense histogram's partial was one NDArray of tallies.)
const numbers = (partial: Partial): number => partial instanceof nd.NDArray ? partial.size : Object.values(partial).reduce((n: number, v) => n + (v instanceof nd.NDArray ? v.size : Array.isArray(v) ? v.length : 0), 0);
const asNumbers = (array: nd.NDArray): number[] => Array.from(array.toTypedArray() as ArrayLike<number | bigint>, Number);

// scipy 1.10: median(values, labels, [1, 7, 99999]) is [9, 3, 5] (an absent label reads the lowest cell: label −3, value 9).
const measures = [
  {
    name: "maximumPosition", options: { index, dtype: "float64", shape: [3, 4], result: "maximumPosition" },
    partial: (v: nd.NDArray, l: nd.NDArray, o: object, origin: number[]) => positionPartial(v, l, o as never, origin), combine: positionCombine, finish: positionFinish,
    expected: (out: number[]) => [out[12], out[13], out[2 * 99_998], out[2 * 99_998 + 1]], want: [1, 3, 1, 0],
  },
  {
    name: "minimumPosition", options: { index, dtype: "float64", shape: [3, 4], result: "minimumPosition" },
    partial: (v: nd.NDArray, l: nd.NDArray, o: object, origin: number[]) => positionPartial(v, l, o as never, origin), combine: positionCombine, finish: positionFinish,
    expected: (out: number[]) => [out[12], out[13], out[14], out[15]], want: [0, 1, 0, 0],
  },
  {
    name: "histogram", options: { index, min: 0, max: 12, bins: 3 },
    partial: (v: nd.NDArray, l: nd.NDArray, o: object) => histogramPartial(v, l, o as never), combine: histogramCombine, finish: histogramFinish,
    expected: (out: number[]) => [...out.slice(18, 21), ...out.slice(3 * 99_998, 3 * 99_998 + 3)], want: [2, 0, 1, 0, 1, 0],
  },
  {
    name: "median", options: { index, dtype: "float64", maxValues: 100 },
    partial: (v: nd.NDArray, l: nd.NDArray, o: object) => medianPartial(v, l, o as never), combine: medianCombine, finish: medianFinish,
    expected: (out: number[]) => [out[6], out[99_998], out[0]], want: [3, 5, 9],
  },
];

describe("sparse partials of positions, histogram and median", () => {
  for (const m of measures) {
    it(`${m.name}: a partial holds the block's labels only, and any grouping finishes as one partial of the whole`, () => {
      const whole = m.partial(values, labels, m.options, [0, 0]) as unknown as Partial;
      // Two labels: a few numbers per label (bins + 2 tallies for the histogram), not 100 000 rows.
      assert.ok(numbers(whole) <= 2 * 8 + 6, `${m.name}: a partial of ${numbers(whole)} numbers for 2 labels`);
      const rows = [0, 1, 2].map((r) => m.partial(row(values, r), row(labels, r), m.options, [r, 0]) as unknown as Partial);
      assert.ok(numbers(rows[2]) <= 4, `${m.name}: a block without measured labels gives ${numbers(rows[2])} numbers`);
      const flat = m.combine(rows as never, m.options as never) as unknown as Partial;
      assert.ok(numbers(flat) <= 2 * 8 + 6, `${m.name}: a combined partial of ${numbers(flat)} numbers for 2 labels`);
      const nested = m.combine([rows[2], m.combine(rows.slice(0, 2) as never, m.options as never)] as never, m.options as never) as unknown as Partial;
      const finish = (partial: Partial) => m.expected(asNumbers(m.finish(partial as never, m.options as never) as nd.NDArray));
      assert.deepEqual(finish(whole), m.want);
      assert.deepEqual(finish(flat), m.want);
      assert.deepEqual(finish(nested), m.want);
    });
  }
});
