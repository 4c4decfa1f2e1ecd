// distanceTransformEdt on chunked arrays (issue 12 item 3) against scipy 1.10's
// distance_transform_edt of the whole array, run at test time, bit for bit: blob masks of
// several dtypes in 2-d and 3-d, no sampling, one spacing and one per axis, regular, irregular
// (chunks of 1) and single chunks; an array without any zero cell; refusals by name.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import * as ndimage from "../../src/ndimage/index.js";
import type { DType } from "../../src/ndarray/dtype.js";
import { lowerArrays } from "../../src/array/lower.js";
import { randomArray, seededRandom } from "../ndimage/helpers.js";
import { assertSameArray, evaluatePython } from "./python-eval.js";

/** Blobs of smoothed noise in `dtype` (nonzero: the objects whose distances are measured). */
function blobs(shape: number[], seed: number, dtype: DType): nd.NDArray {
  const smooth = ndimage.uniformFilter(randomArray(shape, "float32", seededRandom(seed)), { size: 3 });
  return nd.astype(nd.multiply(nd.greater(smooth, 96), 3), dtype);
}

const volume = blobs([17, 21, 13], 190, "bool");
const volumeU8 = blobs([17, 21, 13], 191, "uint8");
const plane = blobs([31, 26], 192, "float32");
const samplings: Array<[string, number | number[] | undefined, string]> = [
  ["no sampling", undefined, "None"], ["sampling 0.7", 0.7, "0.7"], ["sampling per axis", [1.5, 0.7, 2.25], "[1.5, 0.7, 2.25]"],
];

describe("lazy distanceTransformEdt equals scipy's distance_transform_edt bit for bit", () => {
  it("3-d bool and uint8 blobs, with and without sampling, on regular, irregular and single chunks", async () => {
    const expressions: Record<string, string> = {};
    samplings.forEach(([, , python], s) => {
      expressions[`bool${s}`] = `ndi.distance_transform_edt(volume, sampling=${python})`;
      expressions[`u8${s}`] = `ndi.distance_transform_edt(volumeU8, sampling=${python})`;
    });
    const reference = evaluatePython({ volume, volumeU8 }, expressions);
    for (const chunks of [[4, 5, 3], [[1, 9, 7], [10, 1, 10], [13]], -1] as ta.ChunkSpec[]) {
      for (const [s, [name, sampling]] of samplings.entries()) {
        for (const [label, input] of [["bool", volume], ["u8", volumeU8]] as const) {
          const lazy = ta.ndimage.distanceTransformEdt(ta.fromArray(input, { chunks }), sampling === undefined ? {} : { sampling });
          assert.deepEqual(lazy.chunks, ta.fromArray(input, { chunks }).chunks, "the input's chunks");
          assertSameArray(await lazy.compute(), reference[`${label}${s}`].array as nd.NDArray, `${label} ${name}, chunks ${JSON.stringify(chunks)}`);
        }
      }
    }
  });

  it("a 2-d float32 mask, and arrays without a zero cell (scipy measures from the feature (−1, 0))", async () => {
    const ones = nd.ones([6, 9], "bool");
    const reference = evaluatePython({ plane, ones }, {
      plane: "ndi.distance_transform_edt(plane, sampling=[0.3, 1.9])",
      ones: "ndi.distance_transform_edt(ones)",
      onesSampled: "ndi.distance_transform_edt(ones, sampling=[2.5, 0.5])",
    });
    assertSameArray(await ta.ndimage.distanceTransformEdt(ta.fromArray(plane, { chunks: [[3, 17, 11], [8, 8, 10]] }), { sampling: [0.3, 1.9] }).compute(), reference.plane.array as nd.NDArray, "plane");
    assertSameArray(await ta.ndimage.distanceTransformEdt(ta.fromArray(ones, { chunks: [4, 2] })).compute(), reference.ones.array as nd.NDArray, "no zero cell");
    assertSameArray(await ta.ndimage.distanceTransformEdt(ta.fromArray(ones, { chunks: [5, 4] }), { sampling: [2.5, 0.5] }).compute(), reference.onesSampled.array as nd.NDArray, "no zero cell, sampled");
  });

  it("runs each pass on blocks whole along its axis only: never a block of the whole volume", () => {
    const lazy = ta.ndimage.distanceTransformEdt(ta.fromArray(volume, { chunks: [4, 5, 3] }));
    const { graph } = lowerArrays([lazy], () => false, (node) => (node as ta.Array).blockKeys());
    // 5 × 5 × 5 input blocks: 25 blocks of whole lines per pass, three passes (the last one
    // fused with the square roots).
    const passes = [...graph.tasks.keys()].filter((key) => key.includes("edtLinePass") || key.includes("edtFinish"));
    assert.equal(passes.length, 3 * 25, `${passes.length} pass tasks`);
  });

  it("refuses what the chunked version does not do, naming it", () => {
    const x = ta.fromArray(volume, { chunks: 5 });
    assert.throws(() => ta.ndimage.distanceTransformEdt(x, { returnIndices: true } as never), /distanceTransformEdt: returnIndices is not supported on chunked arrays/);
    assert.throws(() => ta.ndimage.distanceTransformEdt(x, { metric: "taxicab" } as never), /distanceTransformEdt: unknown option "metric"; it takes sampling/);
    assert.throws(() => ta.ndimage.distanceTransformEdt(x, { sampling: [1, 2] }), /sampling \[1,2\] has 2 entries, expected 3/);
    assert.throws(() => ta.ndimage.distanceTransformEdt(volume as never), /needs a tessera array; for an NDArray use ndimage.distanceTransformEdt/);
  });
});
