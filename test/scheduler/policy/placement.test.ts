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

/**
 * x + x.T in miniature: root blocks x-i-j and x-j-i both feed add-i-j and add-j-i, so a pair
 * split over two workers costs a transfer of one block. Two workers play their tasks in
 * turns, each finishing what it runs in the order it got it; roots output 2 MB each.
 */
function transposePairs(n: number, blockBytes = 2 * MB): { h: Harness; splitPairs: () => number; addsFetching: () => number } {
  const h = new Harness();
  h.addWorker("w1", 1);
  h.addWorker("w2", 1);
  const tasks: Array<{ key: string; deps?: string[] }> = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) tasks.push({ key: `x-${i}-${j}` });
  const adds: string[] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    adds.push(`add-${i}-${j}`);
    tasks.push({ key: `add-${i}-${j}`, deps: i === j ? [`x-${i}-${j}`] : [`x-${i}-${j}`, `x-${j}-${i}`] });
  }
  tasks.push({ key: "total", deps: adds.slice(0, 30) }, { key: "total-2", deps: adds.slice(30) });
  h.submit(tasks, ["total", "total-2"]);
  const ranOn = new Map<string, string>();
  const addInputsHeld = new Map<string, number>();
  for (let turn = 0; turn < 10_000 && h.processingKeys().length > 0; turn++) {
    for (const address of ["w1", "w2"]) {
      const mine = h.processingKeys().filter((key) => h.worker(key) === address);
      if (mine.length === 0) continue;
      const key = mine[0];
      ranOn.set(key, address);
      if (key.startsWith("add-")) {
        const deps = h.state.tasks.get(key)?.dependencies ?? [];
        addInputsHeld.set(key, deps.filter((dep) => dep.whoHas.some((w) => w.address === address)).length - deps.length);
      }
      h.finish(key, key.startsWith("x-") ? blockBytes : 8);
    }
  }
  assert.equal(h.status("total"), "memory");
  let split = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (ranOn.get(`x-${i}-${j}`) !== ranOn.get(`x-${j}-${i}`)) split++;
  return { h, splitPairs: () => split, addsFetching: () => [...addInputsHeld.values()].filter((missing) => missing < 0).length };
}

describe("placement of root tasks whose outputs meet in a dependent", () => {
  it("runs both blocks of a transposed pair on one worker, so the adds fetch no block", () => {
    const n = 8; // 28 off-diagonal pairs
    const { h, splitPairs, addsFetching } = transposePairs(n);
    // Until the first block finishes its size is unknown, so the very first pair may split.
    assert.ok(splitPairs() <= 1, `${splitPairs()} of 28 pairs split over the workers`);
    assert.ok(addsFetching() <= 2, `${addsFetching()} adds had to fetch a block`);
    // Both workers ran roots: co-location does not cost the parallelism.
    const w1Roots = h.workerMessages("w1", "compute-task").filter((m) => String(m.key).startsWith("x-")).length;
    assert.ok(w1Roots >= 24 && w1Roots <= 40, `w1 ran ${w1Roots} of 64 roots`);
  });

  it("never lets a task of lower priority jump ahead of the queue head", () => {
    const h = new Harness();
    h.addWorker("w1", 1);
    h.addWorker("w2", 1);
    h.submit([{ key: "x-0" }], ["x-0"]);
    h.finish("x-0", 2 * MB, 0.005);
    // Both slots of both workers taken: the pair x-1, x-2 together, two fillers on the other.
    h.submit([{ key: "x-1" }, { key: "x-2" }, { key: "add-1", deps: ["x-1", "x-2"] }], ["add-1"]);
    const pairWorker = h.worker("x-1") as string;
    assert.equal(h.worker("x-2"), pairWorker);
    h.submit([{ key: "f-1" }, { key: "f-2" }], ["f-1", "f-2"]);
    const other = pairWorker === "w1" ? "w2" : "w1";
    assert.deepEqual([h.worker("f-1"), h.worker("f-2")], [other, other]);
    // The head's sibling runs on the pair's worker; behind it, a lower-priority task without siblings.
    h.submit([{ key: "x-3" }, { key: "add-3", deps: ["x-3", "x-1"] }], ["add-3"]);
    h.submit([{ key: "y-1", priority: -1 }], ["y-1"]);
    assert.equal(h.status("x-3"), "queued");
    h.finish("f-1");
    assert.equal(h.worker("x-3"), other);
    assert.equal(h.status("y-1"), "queued");
  });

  it("hands out small blocks in queue order (moving one costs less than a round trip)", () => {
    const { splitPairs } = transposePairs(8, 1000);
    assert.ok(splitPairs() >= 10, `only ${splitPairs()} of 28 pairs split: small blocks were reordered`);
  });
});

describe("placement of a root task when a slot is free on several workers", () => {
  it("joins its sibling's worker when moving the sibling would take longer than the task", () => {
    const h = new Harness();
    h.addWorker("w1", 1);
    h.addWorker("w2", 1);
    // A first block teaches the scheduler the prefix: 2 MB outputs in 5 ms (moving one: 20 ms at 100 MB/s).
    h.submit([{ key: "x-0" }], ["x-0"]);
    h.finish("x-0", 2 * MB, 0.005);
    h.submit([{ key: "x-1" }, { key: "x-2" }, { key: "add", deps: ["x-1", "x-2"] }], ["add"]);
    assert.equal(h.worker("x-2"), h.worker("x-1"));
  });

  it("spreads roots with no siblings over the idle workers", () => {
    const h = new Harness();
    h.addWorker("w1", 1);
    h.addWorker("w2", 1);
    h.submit([{ key: "x-0" }], ["x-0"]);
    h.finish("x-0", 2 * MB, 0.005);
    h.submit([{ key: "x-1" }, { key: "x-2" }, { key: "add-1", deps: ["x-1"] }, { key: "add-2", deps: ["x-2"] }], ["add-1", "add-2"]);
    assert.notEqual(h.worker("x-2"), h.worker("x-1"));
  });
});
