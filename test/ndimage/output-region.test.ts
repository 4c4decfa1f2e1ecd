import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ndimage from "../../src/ndimage/index.js";
import { planBoxes, runSeparableWithin } from "../../src/ndimage/separable.js";
import { gaussianAxes, gaussianPass } from "../../src/ndimage/gaussian.js";
import type { DType } from "../../src/ndarray/dtype.js";
import type { NDArray } from "../../src/ndarray/ndarray.js";
import { randomArray, randomRegion, sameBits, seededRandom, sliceRegion } from "./helpers.js";

type Run = (input: NDArray, extra: Record<string, unknown>) => NDArray;
const modes = ["reflect", "nearest", "mirror", "constant", "wrap"] as const;

/** Every separable filter with options that use the mode under test. */
function filters(mode: (typeof modes)[number]): Record<string, Run> {
  const common = { mode, cval: 4.5 };
  return {
    gaussianFilter: (x, e) => ndimage.gaussianFilter(x, { sigma: [1.5, 0.8, 2.6], order: [0, 1, 2], ...common, ...e }),
    gaussianFilter1d: (x, e) => ndimage.gaussianFilter1d(x, { sigma: 2, axis: 1, ...common, ...e }),
    correlate1d: (x, e) => ndimage.correlate1d(x, [0.5, -1, 2, 0.25], { axis: 0, origin: -1, ...common, ...e }),
    convolve1d: (x, e) => ndimage.convolve1d(x, [1, 2, 1], { axis: 2, ...common, ...e }),
    uniformFilter: (x, e) => ndimage.uniformFilter(x, { size: [3, 4, 2], origin: [0, 1, 0], ...common, ...e }),
    uniformFilter1d: (x, e) => ndimage.uniformFilter1d(x, { size: 5, axis: -1, ...common, ...e }),
    gaussianLaplace: (x, e) => ndimage.gaussianLaplace(x, { sigma: 1.2, ...common, ...e }),
    gaussianGradientMagnitude: (x, e) => ndimage.gaussianGradientMagnitude(x, { sigma: [0.7, 1.4, 1], ...common, ...e }),
    sobel: (x, e) => ndimage.sobel(x, { axis: 1, ...common, ...e }),
  };
}

describe("outputRegion equals filtering everything and slicing", () => {
  const dtypes: DType[] = ["float32", "uint16", "float64", "int16"];
  for (const backend of ["wasm", "js"] as const) {
    for (const mode of modes) {
      it(`every separable filter, mode ${mode}, ${dtypes.join("/")}, random regions (${backend})`, () => {
        const random = seededRandom(modes.indexOf(mode) * 7 + (backend === "js" ? 1 : 0));
        const failures: string[] = [];
        for (const dtype of dtypes) {
          const input = randomArray([9, 14, 11], dtype, random);
          for (const [name, run] of Object.entries(filters(mode))) {
            const full = run(input, { backend });
            const regions = [randomRegion(input.shape, random), randomRegion(input.shape, random),
              { start: [4, 0, 10], stop: [5, 14, 11] }, { start: [0, 0, 0], stop: [9, 14, 11] }, { start: [3, 3, 3], stop: [3, 9, 9] }];
            for (const region of regions) {
              const part = run(input, { backend, outputRegion: region });
              if (!sameBits(part, sliceRegion(full, region.start, region.stop))) failures.push(`${name} ${dtype} ${JSON.stringify(region)}`);
            }
          }
        }
        assert.deepEqual(failures, []);
      });
    }
  }

  it("handles a line shorter than the radius and a one-cell region", () => {
    const input = randomArray([3, 40], "float32", seededRandom(3));
    for (const mode of modes) {
      const full = ndimage.gaussianFilter(input, { sigma: 6, mode });
      const part = ndimage.gaussianFilter(input, { sigma: 6, mode, outputRegion: { start: [2, 17], stop: [3, 18] } });
      assert.ok(sameBits(part, sliceRegion(full, [2, 17], [3, 18])), mode);
    }
  });
});

describe("a block with a halo ≥ the radius, filtered on its core, equals the whole-array result", () => {
  it("for Gaussian σ = 3 (radius 12) on halo blocks of a 40³ volume, every mode, both backends", () => {
    const volume = randomArray([40, 40, 40], "float32", seededRandom(11));
    for (const backend of ["wasm", "js"] as const) {
      for (const mode of modes) {
        const whole = ndimage.gaussianFilter(volume, { sigma: 3, mode, backend });
        for (const [core0, core1] of [[14, 28], [0, 15], [28, 40]]) {
          // At the volume's true edges, wrap reads the far end of the volume, which a block lacks
          // (Dask pads such blocks with boundary "periodic"); every other mode reads only nearby cells.
          if (mode === "wrap" && (core0 === 0 || core1 === 40)) continue;
          // The block: the core plus up to 12 cells of halo, clipped to the volume (as mapOverlap cuts it).
          const low = Math.max(0, core0 - 12);
          const high = Math.min(40, core1 + 12);
          const block = sliceRegion(volume, [low, low, low], [high, high, high]);
          const local = [core0 - low, core0 - low, core0 - low];
          const stop = local.map((s) => s + core1 - core0);
          const result = ndimage.gaussianFilter(block, { sigma: 3, mode, backend, outputRegion: { start: local, stop } });
          assert.ok((core0 === 0 || core0 - low >= 12) && (core1 === 40 || high - core1 >= 12), "halo ≥ radius");
          assert.ok(sameBits(result, sliceRegion(whole, [core0, core0, core0], [core1, core1, core1])), `${backend} ${mode} ${core0}-${core1}`);
        }
      }
    }
  });
});

describe("shrinking passes do only the region's work", () => {
  it("a 144³ halo block with a 64³ core: pass 0 on the core rows, pass 1 on core × core, pass 2 on the core", () => {
    const passes = gaussianAxes({ sigma: 3, mode: "nearest" }, 3).map((axis) => gaussianPass(axis, 0));
    const { boxes, inputBox } = planBoxes([144, 144, 144], passes, { start: [40, 40, 40], stop: [104, 104, 104] });
    // radius 12: each later pass widens its own axis by 12 on both sides.
    assert.deepEqual(boxes.map((b) => [b.start, b.stop]), [
      [[40, 28, 28], [104, 116, 116]],
      [[40, 40, 28], [104, 104, 116]],
      [[40, 40, 40], [104, 104, 104]],
    ]);
    assert.deepEqual([inputBox.start, inputBox.stop], [[28, 28, 28], [116, 116, 116]]);
    // performance.md §5: (E1·E2/(c1·c2) + E2/c2 + 1)/3 with E = 64 + 2·12 = 88, instead of 144³/64³ = 11.4.
    const work = boxes.reduce((sum, b) => sum + b.stop.reduce((p, s, i) => p * (s - b.start[i]), 1), 0);
    assert.equal(work / (3 * 64 ** 3), ((88 * 88) / (64 * 64) + 88 / 64 + 1) / 3);
  });

  it("reads across the array for wrap mode at the edge, and only what the taps reach elsewhere", () => {
    const passes = gaussianAxes({ sigma: 1, mode: ["wrap", "nearest"] }, 2).map((axis) => gaussianPass(axis, 0));
    const { inputBox } = planBoxes([50, 50], passes, { start: [0, 20], stop: [5, 30] });
    assert.deepEqual([inputBox.start, inputBox.stop], [[0, 16], [50, 34]]);
  });
});

describe("regions too large for one WASM memory", () => {
  it("are split along the last pass's axis and give the same bits", () => {
    const input = randomArray([12, 30, 40], "uint16", seededRandom(21));
    const passes = gaussianAxes({ sigma: [1, 2, 3], order: [0, 0, 1], mode: "mirror" }, 3).map((axis) => gaussianPass(axis, 0));
    const region = { start: [0, 0, 0], stop: [12, 30, 40] };
    const whole = runSeparableWithin(input, passes, "float32", region, "wasm", 2 ** 30);
    for (const limit of [120_000, 60_000, 1]) {
      assert.ok(sameBits(runSeparableWithin(input, passes, "float32", region, "wasm", limit), whole), `limit ${limit}`);
    }
  });
});
