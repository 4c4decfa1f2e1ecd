// LabelSlots (label-groups.ts), the accumulator of each label asked for, which every per-label
// measurement and every block of a chunked one builds: a table for labels in [0, 2²⁴), a Map for
// the others, the same slots either way (the first occurrence in the index list).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { LabelSlots } from "../../src/ndimage/label-groups.js";

const cells = [3, 2, 1, 0, -1, 1.5, Number.NaN, 1e9, 2 ** 30, 5, -7];

describe("LabelSlots", () => {
  const cases: Array<{ index: number[]; table: boolean; slots: Record<string, number>; size: number }> = [
    { index: [3, 1, 3, 0], table: true, size: 3, slots: { 3: 0, 1: 1, 0: 2, 2: -1, 5: -1, [-1]: -1, 1.5: -1, 1e9: -1, [2 ** 30]: -1 } },
    { index: [], table: true, size: 0, slots: { 0: -1, 1: -1 } },
    { index: [-1, 5, -1, -7], table: false, size: 3, slots: { [-1]: 0, 5: 1, [-7]: 2, 0: -1, 3: -1 } },
    { index: [2 ** 30, 1, 2 ** 30], table: false, size: 2, slots: { [2 ** 30]: 0, 1: 1, 0: -1, 1e9: -1 } },
    { index: [1.5, 2], table: false, size: 2, slots: { 1.5: 0, 2: 1, 1: -1 } },
  ];
  for (const { index, table, slots, size } of cases) {
    it(`index [${index.join(", ")}]: ${table ? "a table" : "a map"}, first occurrences`, () => {
      const labelSlots = new LabelSlots(index);
      assert.equal(labelSlots.size, size);
      assert.equal(labelSlots.table() !== null, table);
      for (const [label, slot] of Object.entries(slots)) assert.equal(labelSlots.slotOf(Number(label)), slot, `slotOf(${label})`);
      assert.deepEqual(labelSlots.slotsOfIndex(), index.map((label) => slots[String(label)]));
      const expected = cells.map((label) => (Object.hasOwn(slots, String(label)) ? slots[String(label)] : index.includes(label) ? -2 : -1));
      assert.ok(!expected.includes(-2), "every label of the index is listed in the case");
      assert.deepEqual(Array.from(labelSlots.slotsOfCells(Float64Array.from(cells))), expected);
    });
  }
});
