import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { touchingLabels } from "../../src/array/label-boundary.js";
import { seededRandom } from "../ndimage/helpers.js";

/** The components (as sorted lists of "e<label>" / "l<label>") that label pairs join, with every label on the layers. */
function components(pairs: Int32Array, earlier: Int32Array, later: Int32Array): string[] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    while (parent.get(x) !== x) x = parent.get(x)!;
    return x;
  };
  const add = (x: string): void => void (parent.has(x) || parent.set(x, x));
  for (const v of earlier) if (v) add(`e${v}`);
  for (const v of later) if (v) add(`l${v}`);
  for (let i = 0; i < pairs.length; i += 2) {
    const a = find(`e${pairs[i]}`);
    const b = find(`l${pairs[i + 1]}`);
    if (a !== b) parent.set(a, b);
  }
  const groups = new Map<string, string[]>();
  for (const x of parent.keys()) groups.set(find(x), [...(groups.get(find(x)) ?? []), x]);
  return [...groups.values()].map((g) => g.sort().join(" ")).sort();
}

/** What touches across the contact, cell by cell (the shift 0 only: faces connectivity). */
function expectedComponents(earlier: Int32Array, later: Int32Array): string[] {
  const pairs: number[] = [];
  for (let i = 0; i < earlier.length; i++) if (earlier[i] && later[i]) pairs.push(earlier[i], later[i]);
  return components(Int32Array.from(pairs), earlier, later);
}

describe("touchingLabels: the label pairs across one contact", () => {
  // Layers of 12×10 cells; labels small (numbered through a table) or as large as a big block's
  // (numbered through a Map): both must join the same labels, with a spanning forest of pairs.
  // 20 labels per layer, each on several cells: 1…20, or spread up to 5,000,000.
  for (const spacing of [1, 250_000]) {
    it(`joins exactly the labels that touch, labels up to ${19 * spacing + 1}`, () => {
      const random = seededRandom(spacing);
      const layer = (): Int32Array => Int32Array.from({ length: 120 }, () => (random() < 0.4 ? 0 : 1 + Math.floor(random() * 20) * spacing));
      for (let round = 0; round < 20; round++) {
        const earlier = layer();
        const later = layer();
        const pairs = touchingLabels(earlier, later, { shape: [12, 10], shifts: [[0, 0]] });
        assert.deepEqual(components(pairs, earlier, later), expectedComponents(earlier, later));
        const labels = new Set([...earlier].filter(Boolean).map((v) => `e${v}`).concat([...later].filter(Boolean).map((v) => `l${v}`)));
        assert.ok(pairs.length / 2 <= labels.size - 1 || pairs.length === 0, `${pairs.length / 2} pairs for ${labels.size} labels: a spanning forest`);
      }
    });
  }
});
