import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { planRechunk, rechunkEdges } from "../../src/array/rechunk-plan.js";
import type { Chunks } from "../../src/array/chunks.js";

const regular = (length: number, size: number): number[] => Array.from({ length: Math.ceil(length / size) }, (_, i) => Math.min(size, length - i * size));
const chunksOf = (shape: number[], size: number[]): Chunks => shape.map((n, axis) => regular(n, size[axis]));
const MiB = 2 ** 20;

describe("rechunk plans", () => {
  it("goes straight from old to new chunks when they are alike", () => {
    assert.deepEqual(planRechunk(chunksOf([400, 400], [100, 100]), chunksOf([400, 400], [50, 200]), 8, 128 * MiB), []);
  });

  it("puts the coarser chunking of each axis in between when a rechunk is all-to-all", () => {
    const from = chunksOf([200, 200], [1, 200]);
    const to = chunksOf([200, 200], [200, 1]);
    const plan = planRechunk(from, to, 8, 128 * MiB);
    assert.deepEqual(plan, [chunksOf([200, 200], [200, 200])]);
    assert.ok(rechunkEdges(from, plan[0]) + rechunkEdges(plan[0], to) < rechunkEdges(from, to) / 10);
  });

  it("falls back to the finer chunking on the axis with the largest blocks when the coarse one is over the limit", () => {
    // Coarse in between would be 100 × 100 × 400 float64 (32 MB) over a 16 MiB limit: axis 2,
    // the largest, takes the finer chunking (200) and the step fits.
    const shape = [100, 100, 400];
    const from = chunksOf(shape, [1, 100, 400]);
    const to = chunksOf(shape, [100, 1, 200]);
    const plan = planRechunk(from, to, 8, 16 * MiB);
    assert.deepEqual(plan, [chunksOf(shape, [100, 100, 200])]);
    const stepped = rechunkEdges(from, plan[0]) + rechunkEdges(plan[0], to);
    assert.equal(stepped, 500);
    assert.equal(rechunkEdges(from, to), 20_000);
  });

  it("plans nothing when no chunking in between fits the limit", () => {
    const shape = [100, 100, 400];
    assert.deepEqual(planRechunk(chunksOf(shape, [1, 100, 400]), chunksOf(shape, [100, 1, 200]), 8, 40_000), []);
  });
});
