// Differential test of the chunked zoom, shift, affineTransform and mapCoordinates
// (ta.ndimage.*) against Debian's scipy.ndimage on the whole array, and of ta.coarsen against
// dask.array.coarsen: random input and output chunkings with many blocks per axis, every order
// and mode. Seeded (TESSERA_FUZZ_SEED reruns another seed), one Python process per test.
import { describe, it } from "node:test";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { type Rng, integer, pick, pyChunks } from "./differential-inputs.js";
import { seededRandom } from "../ndimage/helpers.js";
import { type DiffCase, differences, fuzzSeed, py, report } from "../ndimage/differential-harness.js";
import { type InterpolationCase, drawInterpolationCase, randomInput } from "../ndimage/interpolation-cases.js";
import { manyChunks, randomShape } from "../ndimage/measure-cases.js";

type Inputs = Record<string, nd.NDArray>;

function runLazy(kase: InterpolationCase, inputs: Inputs, chunks: number[][], outputChunks: number | undefined): Promise<nd.NDArray> {
  const input = ta.fromArray(inputs[kase.input], { chunks });
  const options = { ...kase.options, ...(outputChunks === undefined ? {} : { outputChunks }) } as never;
  switch (kase.fn) {
    case "zoom": return ta.ndimage.zoom(input, options).compute();
    case "shift": return ta.ndimage.shift(input, options).compute();
    case "affineTransform": return ta.ndimage.affineTransform(input, options).compute();
    default: return ta.ndimage.mapCoordinates(input, inputs[kase.coordinates as string], options).compute();
  }
}

/**
 * How far a chunked result may be from scipy's: nothing without the prefilter (the blocks read
 * the same cells with the same coordinates); with it, each window is prefiltered on its own
 * (ndimage-interpolation.ts), off by about |pole|^depth (< 1e-8) times the data's range, so 1e-6
 * of the largest input magnitude, and one unit where the output is an integer dtype (a value
 * that close to .5 may round the other way).
 */
function lazyTolerance(kase: InterpolationCase, input: nd.NDArray): number {
  if (!kase.prefiltered) return 0;
  const values = nd.astype(input, "float64").toTypedArray() as Float64Array;
  const largest = values.reduce((m, v) => Math.max(m, Math.abs(v)), 1);
  const output = (kase.options.output as string | undefined) ?? input.dtype;
  return 1e-6 * Math.max(largest, Math.abs(Number(kase.options.cval ?? 0))) + (output.startsWith("float") ? 0 : 1);
}

const coarsenReductions = ["sum", "mean", "max", "min"] as const;

function coarsenCases(rng: Rng, inputs: Inputs, count: number): DiffCase[] {
  const cases: DiffCase[] = [];
  for (let i = 0; i < count; i++) {
    const ndim = integer(rng, 1, 3);
    const shape = randomShape(rng, ndim, [0, 40, 14, 8][ndim]);
    const dtype = pick(rng, ["uint8", "uint16", "int16", "int32", "float32", "float64", "bool"] as nd.DType[]);
    const name = `c${i}`;
    inputs[name] = dtype === "bool" ? nd.astype(randomInput(rng, shape, "uint8"), "bool") : randomInput(rng, shape, dtype);
    const trimExcess = rng() < 0.5;
    const factors = shape.map((n) => {
      const divisors = Array.from({ length: n }, (_, k) => k + 1).filter((f) => trimExcess || n % f === 0);
      return rng() < 0.3 ? 1 : pick(rng, divisors);
    });
    const chunks = shape.map((n) => manyChunks(rng, n));
    const reduction = pick(rng, coarsenReductions);
    const axes = Object.fromEntries(factors.map((f, a) => [a, f]));
    cases.push({
      label: `coarsen ${reduction} ${dtype} [${shape.join(", ")}] chunks ${JSON.stringify(chunks)} factors ${JSON.stringify(factors)} trimExcess ${trimExcess}`,
      python: `da.coarsen(np.${reduction}, da.from_array(${name}, chunks=${pyChunks(chunks)}), {${factors.map((f, a) => `${a}: ${f}`).join(", ")}}, trim_excess=${py(trimExcess)})`,
      chunks: () => ta.coarsen(nd[reduction] as never, ta.fromArray(inputs[name], { chunks }), axes, { trimExcess }).chunks.map((sizes) => [...sizes]),
      run: () => ta.coarsen(nd[reduction] as never, ta.fromArray(inputs[name], { chunks }), axes, { trimExcess }).compute(),
      // Float sums and means: NumPy reduces each group of a block pairwise along the reshaped axes; tessera's nd.sum may pair them otherwise.
      tolerance: dtype.startsWith("float") && (reduction === "sum" || reduction === "mean") ? 1e-12 : 0,
    });
  }
  return cases;
}

describe("chunked interpolation against scipy.ndimage of the whole array (seeded differential)", () => {
  (["zoom", "shift", "affineTransform", "mapCoordinates"] as const).forEach((fn, f) => {
    it(`${fn}: random chunkings and output chunks, every order and mode`, async () => {
      const rng = seededRandom(fuzzSeed + 10 + f);
      const inputs: Inputs = {};
      const cases: DiffCase[] = Array.from({ length: 70 }, (_, i) => {
        const kase = drawInterpolationCase(rng, inputs, `x${i}`, fn, [0, 24, 10, 6]);
        const chunks = inputs[kase.input].shape.map((n) => manyChunks(rng, n));
        const outputChunks = fn === "mapCoordinates" || rng() < 0.5 ? undefined : integer(rng, 1, 5);
        return {
          label: `${kase.label} chunks ${JSON.stringify(chunks)} outputChunks ${JSON.stringify(outputChunks)}`,
          python: kase.python,
          run: () => runLazy(kase, inputs, chunks, outputChunks),
          absolute: lazyTolerance(kase, inputs[kase.input]),
          errorNames: /order|mode|matrix|offset|output|zoom|shift|coordinates/,
        };
      });
      report(await differences(cases, inputs), `chunked ${fn}`, fuzzSeed + 10 + f);
    });
  });

  it("coarsen equals dask.array.coarsen (sum, mean, max, min; trimExcess; many blocks)", async () => {
    const inputs: Inputs = {};
    report(await differences(coarsenCases(seededRandom(fuzzSeed + 20), inputs, 100), inputs), "coarsen", fuzzSeed + 20);
  });
});
