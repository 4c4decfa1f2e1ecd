import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Harness } from "../state/harness.js";

const MB = 1e6;

/** Three idle workers, each holding one finished root result of the given size. */
function threeHolders(sizes: [number, number, number]): { h: Harness; holder: (key: string) => string } {
  const h = new Harness();
  for (const address of ["w1", "w2", "w3"]) h.addWorker(address, 1);
  const keys = ["part-0", "part-1", "part-2"];
  h.submit(keys.map((key) => ({ key })), keys);
  const where = new Map(keys.map((key) => [key, h.worker(key) as string]));
  assert.equal(new Set(where.values()).size, 3, "one root on each idle worker");
  keys.forEach((key, i) => h.finish(key, sizes[i]));
  return { h, holder: (key) => where.get(key) as string };
}

describe("placement of a task whose inputs several workers hold", () => {
  for (const largest of [0, 1, 2]) {
    it(`runs it on the worker holding the most of its input bytes (part-${largest} largest)`, () => {
      const sizes: [number, number, number] = [1 * MB, 2 * MB, 3 * MB];
      [sizes[largest], sizes[2]] = [sizes[2], sizes[largest]];
      const { h, holder } = threeHolders(sizes);
      h.submit([{ key: "combine", deps: ["part-0", "part-1", "part-2"] }], ["combine"]);
      assert.equal(h.worker("combine"), holder(`part-${largest}`));
    });
  }

  it("breaks a tie in held bytes by the lighter load", () => {
    const { h, holder } = threeHolders([2 * MB, 2 * MB, 1 * MB]);
    // Give the holder of part-0 queued work, then a task reading part-0 and part-1 equally.
    h.submit([{ key: "busy", deps: ["part-0"] }], ["busy"]);
    assert.equal(h.worker("busy"), holder("part-0"));
    h.submit([{ key: "pair", deps: ["part-0", "part-1"] }], ["pair"]);
    assert.equal(h.worker("pair"), holder("part-1"));
  });
});
