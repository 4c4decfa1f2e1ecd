/**
 * The group shape the cost model (src/array/group-size.ts) chooses for the course's DoG
 * (chunks (32, 64, 64), depth 40, σ 3 and 10, no boundary), checked against the work the
 * kernel really does: for each group, the boxes the shrinking passes compute
 * (ndimage/separable.ts planBoxes, the kernel's own plan) over the group's halo. A split
 * between workers must not make the filters compute much more than one group over the whole
 * volume does: at 64×256×256 on two threads, splitting along z (the first pass's axis) costs
 * only the halo's copies, while a split along y or x makes the earlier passes compute the
 * halo of the split axis (a third more of the σ 10 filter's first pass for a y split).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import { gaussianFilter } from "../../src/ndimage/index.js";
import { planGroups } from "../../src/array/overlap-groups.js";
import { chooseGroups, estimateGroups, type GroupEstimate, type GroupModel } from "../../src/array/group-size.js";
import { haloBox } from "../../src/array/overlap.js";
import { planBoxes } from "../../src/ndimage/separable.js";
import type { AxisPass } from "../../src/ndimage/pass-geometry.js";
import type { LineFilter } from "../../src/ndimage/line-kernel.js";

const chunks = [32, 64, 64];
const depth = 40;
// Gaussian radii for σ 3 and 10 (truncate 4): int(4σ + 0.5).
const radii = [12, 40];
const none = { kind: "none" } as const;

function dog(shape: number[]): ta.Array {
  const volume = ta.zeros(shape, { chunks, dtype: "uint16" });
  const sharp = volume.mapOverlap(gaussianFilter, { depth }, { sigma: 3, order: 0, mode: "nearest" });
  const blurred = volume.mapOverlap(gaussianFilter, { depth }, { sigma: 10, order: 0, mode: "nearest" });
  return ta.subtract(sharp, blurred);
}

const size = (box: { start: readonly number[]; stop: readonly number[] }): number =>
  box.start.reduce((n, s, axis) => n * (box.stop[axis] - s), 1);

/** Taps × cells the kernel's passes compute, and cells read, over every group of `factors` blocks. */
function kernelWork(shape: readonly number[], factors: readonly number[]): { taps: number; read: number } {
  const group = factors.map((f, axis) => f * chunks[axis]);
  let taps = 0;
  let read = 0;
  const starts = shape.map((n, axis) => Array.from({ length: Math.ceil(n / group[axis]) }, (_, i) => i * group[axis]));
  for (const z of starts[0]) for (const y of starts[1]) for (const x of starts[2]) {
    const lo = [z, y, x];
    const hi = lo.map((l, axis) => Math.min(shape[axis], l + group[axis]));
    const halo = lo.map((l, axis) => haloBox(l, hi[axis], depth, none, shape[axis]));
    read += size({ start: halo.map((h) => h[0]), stop: halo.map((h) => h[1]) });
    const haloShape = halo.map(([a, b]) => b - a);
    const region = { start: lo.map((l, axis) => l - halo[axis][0]), stop: hi.map((h, axis) => h - halo[axis][0]) };
    for (const radius of radii) {
      const filter = { before: radius, after: radius, cumulative: false } as unknown as LineFilter;
      const passes: AxisPass[] = [0, 1, 2].map((axis) => ({ axis, filter, mode: "nearest", cval: 0 }));
      const { boxes } = planBoxes(haloShape, passes, region);
      taps += boxes.reduce((sum, box) => sum + size(box) * (2 * radius + 1), 0);
    }
  }
  return { taps, read };
}

describe("group shape of the DoG on a cluster", () => {
  it("64×256×256 on two threads: two groups whose filters compute no more than one group over the whole volume", () => {
    const shape = [64, 256, 256];
    const plan = planGroups(dog(shape), { threads: 2, memoryPerTask: 96 * 2 ** 20 });
    assert.ok(plan, "the DoG is grouped");
    assert.equal(plan.groups, 2, `one group per thread (plan ${JSON.stringify(plan)})`);
    const whole = kernelWork(shape, [2, 4, 4]);
    const chosen = kernelWork(shape, plan.factors);
    assert.ok(chosen.taps <= 1.02 * whole.taps, `factors ${plan.factors}: the filters compute ${(chosen.taps / whole.taps).toFixed(3)}× the whole volume's work`);
    // Both halves read the whole 64-deep z range at depth 40: 2× the volume, the price of a z split (copies, not filtering).
    const cells = shape.reduce((a, b) => a * b, 1);
    assert.ok(chosen.read <= 2 * cells, `reads ${(chosen.read / cells).toFixed(2)}× the volume`);
  });

  it("64×256×256 on one thread: the whole volume in one group", () => {
    const plan = planGroups(dog([64, 256, 256]), { threads: 1, memoryPerTask: 96 * 2 ** 20 });
    assert.deepEqual(plan?.factors, [2, 4, 4]);
  });

  it("128×512×512 on two threads: an even number of groups, with filter work close to the fewest groups that fit", () => {
    const shape = [128, 512, 512];
    const plan = planGroups(dog(shape), { threads: 2, memoryPerTask: 96 * 2 ** 20 });
    assert.ok(plan, "the DoG is grouped");
    assert.ok(plan.groups >= 2 && plan.groups % 2 === 0, `whole waves on two threads (plan ${JSON.stringify(plan)})`);
    assert.ok(plan.memoryBytes <= 96 * 2 ** 20);
    // One thread gets the same groups: the second thread adds no work.
    const single = planGroups(dog(shape), { threads: 1, memoryPerTask: 96 * 2 ** 20 });
    assert.ok(single);
    const chosen = kernelWork(shape, plan.factors);
    const alone = kernelWork(shape, single.factors);
    assert.ok(chosen.taps <= 1.02 * alone.taps, `factors ${plan.factors} vs ${single.factors} on one thread: ${(chosen.taps / alone.taps).toFixed(3)}×`);
  });

  it("chooses what estimating every grouping on its own chooses (the search shares each axis's sums between groupings)", () => {
    // The DoG at 128×512×512: 4 × 8 × 8 blocks, every factor a candidate.
    const model: GroupModel = {
      shape: [128, 512, 512], chunk: chunks, elementwise: 1, outItemsize: 2,
      overlaps: radii.map((radius) => ({ depth: [depth, depth, depth], boundary: [none, none, none], radius: [radius, radius, radius], inItemsize: 2, outItemsize: 2 })),
    };
    for (const capacity of [{ threads: 2, memoryPerTask: 96 * 2 ** 20 }, { threads: 16, memoryPerTask: 24 * 2 ** 20 }]) {
      let best: GroupEstimate = estimateGroups(model, [1, 1, 1], capacity);
      for (let z = 1; z <= 4; z++) for (let y = 1; y <= 8; y++) for (let x = 1; x <= 8; x++) {
        const estimate = estimateGroups(model, [z, y, x], capacity);
        if (estimate.memoryBytes <= capacity.memoryPerTask && estimate.wallNs < best.wallNs) best = estimate;
      }
      assert.deepEqual(chooseGroups(model, capacity), best, `on ${capacity.threads} threads`);
    }
  });
});
