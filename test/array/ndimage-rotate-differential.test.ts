// Differential test of the chunked ta.ndimage.rotate against Debian's scipy.ndimage.rotate on
// the whole array (random cases of rotate-cases.ts on random chunkings with many blocks per
// axis), its output chunks against Dask's normalisation of dask-image's default (the input's
// chunk size on every axis) or of `outputChunks`, and one LocalCluster sample.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import * as ndimage from "../../src/ndimage/index.js";
import { integer } from "./differential-inputs.js";
import { describeOnCluster } from "./cluster-sample.js";
import { seededRandom } from "../ndimage/helpers.js";
import { type DiffCase, differences, fuzzSeed, report } from "../ndimage/differential-harness.js";
import { randomInput } from "../ndimage/interpolation-cases.js";
import { manyChunks } from "../ndimage/measure-cases.js";
import { type RotateCase, drawRotateCase } from "../ndimage/rotate-cases.js";

type Inputs = Record<string, nd.NDArray>;

/**
 * Nothing without the prefilter (each plane reads the same cells with the same coordinates);
 * with it each window is prefiltered on its own (array/ndimage-interpolation.ts), off by about
 * |pole|^depth (< 1e-8) of the data's range: 1e-6 of the largest magnitude, and one unit for
 * an integer output (a value that close to .5 may round the other way).
 */
function tolerance(kase: RotateCase, input: nd.NDArray): number {
  if (!kase.prefiltered) return 0;
  const values = nd.astype(input, "float64").toTypedArray() as Float64Array;
  const largest = values.reduce((m, v) => Math.max(m, Math.abs(v)), 1);
  const output = (kase.options.output as string | undefined) ?? input.dtype;
  return 1e-6 * Math.max(largest, Math.abs(Number(kase.options.cval ?? 0))) + (output.startsWith("float") ? 0 : 1);
}

const largest = (sizes: readonly number[]): number => Math.max(1, ...sizes);

describe("ta.ndimage.rotate against scipy.ndimage.rotate on the whole array", () => {
  it("matches random cases on many blocks per axis, with dask-image's output chunks", async () => {
    const rng = seededRandom(fuzzSeed + 7);
    const inputs: Inputs = {};
    const cases: DiffCase[] = [];
    for (let i = 0; i < 90; i++) {
      const kase = drawRotateCase(rng, inputs, `r${i}`);
      const input = inputs[kase.input];
      const chunks = input.shape.map((n) => manyChunks(rng, n));
      const own = rng() < 0.4 ? integer(rng, 1, 4) : undefined;
      const lazy = () => ta.ndimage.rotate(ta.fromArray(input, { chunks }), kase.angle, { ...kase.options, ...(own === undefined ? {} : { outputChunks: own }) } as never);
      // dask-image: output_chunks defaults to input_arr.chunksize (the largest chunk per axis).
      const outputChunks = own === undefined ? `(${chunks.map((sizes) => largest(sizes)).join(", ")},)` : String(own);
      cases.push({
        label: `${kase.label} chunks ${JSON.stringify(chunks)} outputChunks ${own}`,
        python: `da.from_array(${kase.python}, chunks=${outputChunks})`,
        run: () => lazy().compute(),
        chunks: () => lazy().chunks.map((sizes) => [...sizes]),
        tolerance: tolerance(kase, input),
      });
    }
    report(await differences(cases, inputs), "ta.ndimage.rotate", fuzzSeed);
  });

  it("equals the eager rotate on each block without the prefilter, bit for bit, on a 3-d volume with blocks of 2", async () => {
    const volume = randomInput(seededRandom(9), [7, 9, 8], "float32");
    for (const axes of [[0, 1], [2, 0], [1, 2]] as const) {
      for (const options of [{ order: 1 }, { order: 3, prefilter: false, mode: "nearest" as const }, { order: 0, reshape: false, mode: "grid-wrap" as const }]) {
        const lazy = await ta.ndimage.rotate(ta.fromArray(volume, { chunks: [2, 2, 2] }), 33.3, { axes: [...axes], ...options }).compute();
        const eager = ndimage.rotate(volume, 33.3, { axes: [...axes], ...options });
        assert.deepEqual([...lazy.toTypedArray()], [...eager.toTypedArray()], `${JSON.stringify(axes)} ${JSON.stringify(options)}`);
      }
    }
  });

  it("refuses an angle option, a NDArray and bad lazy options, naming them", () => {
    const array = ta.fromArray(randomInput(seededRandom(1), [4, 5], "float64"), { chunks: 2 });
    assert.throws(() => ta.ndimage.rotate(array, 10, { angle: 5 } as never), /angle/);
    assert.throws(() => ta.ndimage.rotate(randomInput(seededRandom(1), [4, 5], "float64") as never, 10), /tessera Array/);
    assert.throws(() => ta.ndimage.rotate(array, 10, { order: 1, prefilterDepth: 3 }), /prefilterDepth/);
    assert.throws(() => ta.ndimage.rotate(array, 10, { outputRegion: { start: [0, 0], stop: [1, 1] } } as never), /outputRegion/);
    assert.throws(() => ta.ndimage.rotate(array, 10, { axes: [0, 2] }), /axes/);
    assert.throws(() => ta.ndimage.rotate(array, 10, { bogus: 1 } as never), /bogus/);
  });
});

describeOnCluster("ta.ndimage.rotate", () => {
  const volume = randomInput(seededRandom(11), [6, 7, 5], "uint16");
  return [
    ta.ndimage.rotate(ta.fromArray(volume, { chunks: [2, 3, 2] }), 30, { axes: [2, 0], order: 1 }),
    ta.ndimage.rotate(ta.fromArray(volume, { chunks: [3, 2, 5] }), -45.5, { mode: "reflect", output: "float64" }),
  ];
});
