// The lazy rank filters, grey and binary morphology of issue 12 item 3 against scipy 1.10 itself
// (Debian's python3-scipy, run at test time on the same bytes), not only against tessera's eager
// functions: every dtype × mode, with even and odd sizes, footprints, structures and origins,
// each case on one of three chunkings (regular, irregular with chunks of 1, a single chunk).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as ndimage from "../../src/ndimage/index.js";
import type { DType } from "../../src/ndarray/dtype.js";
import * as nd from "../../src/ndarray/index.js";
import { randomArray, seededRandom } from "../ndimage/helpers.js";
import { assertSameArray, evaluatePython } from "./python-eval.js";

const shape = [11, 13, 9];
const chunkings: ta.ChunkSpec[] = [[4, 5, 3], [[3, 1, 7], [6, 2, 5], [2, 4, 1, 2]], -1];
const dtypes: DType[] = ["float32", "float64", "uint8", "int8", "uint16", "int16", "int32", "uint32"];
const modes = ["reflect", "nearest", "mirror", "constant", "wrap"] as const;

const cross = ndimage.generateBinaryStructure(3, 1).toArray();
const grey = [[[0, 1, 0], [1, 3, 1], [0, 1, 0]], [[1, 2, 1], [2, 5, 2], [1, 2, 1]]];
const offCentre = [[[1, 0], [1, 1]], [[0, 1], [1, 0]]];

type Lazy = (array: ta.Array, options: never) => ta.Array;
// [tessera name, lazy function, scipy name, options: sizes and origins chosen to span what scipy allows]
const filters: Array<[string, Lazy, string, Record<string, unknown>]> = [
  ["medianFilter", ta.ndimage.medianFilter, "median_filter", { size: 3, origin: [1, 0, -1] }],
  ["minimumFilter", ta.ndimage.minimumFilter, "minimum_filter", { size: [2, 3, 4], origin: [-1, 1, -2] }],
  ["maximumFilter", ta.ndimage.maximumFilter, "maximum_filter", { size: 4, origin: 1 }],
  ["rankFilter", ta.ndimage.rankFilter, "rank_filter", { rank: 4, footprint: cross, origin: [0, -1, 1] }],
  ["percentileFilter", ta.ndimage.percentileFilter, "percentile_filter", { percentile: 20, size: [3, 1, 2], origin: [1, 0, 0] }],
  ["greyErosion", ta.ndimage.greyErosion, "grey_erosion", { structure: grey, origin: [0, 1, 0] }],
  ["greyDilation", ta.ndimage.greyDilation, "grey_dilation", { size: 3, origin: -1 }],
  ["greyOpening", ta.ndimage.greyOpening, "grey_opening", { size: [2, 3, 2], origin: [-1, 0, 0] }],
  ["greyClosing", ta.ndimage.greyClosing, "grey_closing", { footprint: offCentre }],
  ["whiteTophat", ta.ndimage.whiteTophat, "white_tophat", { footprint: cross }],
  ["blackTophat", ta.ndimage.blackTophat, "black_tophat", { size: 3, origin: [0, 0, 1] }],
];

const pythonNames: Record<string, string> = { borderValue: "border_value" };
/** tessera's options as scipy keyword arguments (grids as NumPy arrays, booleans as 0/1). */
function kwargs(options: Record<string, unknown>): string {
  return Object.entries(options).map(([key, value]) => {
    const text = JSON.stringify(value, (_, v: unknown) => (typeof v === "boolean" ? Number(v) : v));
    const python = key === "footprint" ? `np.array(${text}, dtype=bool)` : key === "structure" ? `np.array(${text})` : typeof value === "string" ? `'${value}'` : text;
    return `${pythonNames[key] ?? key}=${python}`;
  }).join(", ");
}

describe("lazy rank filters and grey morphology equal scipy 1.10 bit for bit", () => {
  for (const [d, dtype] of dtypes.entries()) {
    it(`${dtype}: every filter in every mode, with sizes, footprints, structures and origins, on regular, irregular and single chunks`, async () => {
      const input = randomArray(shape, dtype, seededRandom(100 + d));
      const cval = dtype.startsWith("u") ? 7.25 : -2.5;
      const cases: Array<{ label: string; lazy: ta.Array; python: string }> = [];
      for (const [m, mode] of modes.entries()) {
        for (const [f, [name, lazy, scipyName, base]] of filters.entries()) {
          const options = { ...base, mode, ...(mode === "constant" ? { cval } : {}) };
          const chunks = chunkings[(d + m + f) % chunkings.length];
          cases.push({
            label: `${name} ${JSON.stringify(options)} chunks ${JSON.stringify(chunks)}`,
            lazy: lazy(ta.fromArray(input, { chunks }), options as never),
            python: `ndi.${scipyName}(x, ${kwargs(options)})`,
          });
        }
      }
      const reference = evaluatePython({ x: input }, Object.fromEntries(cases.map((c, i) => [`c${i}`, c.python])));
      const results = await ta.compute(cases.map((c) => c.lazy));
      cases.forEach((c, i) => {
        const expected = reference[`c${i}`];
        assert.equal(expected.error, undefined, `${c.label}: scipy raised ${expected.error}`);
        assertSameArray(results[i], expected.array as nd.NDArray, c.label);
      });
    });
  }
});

describe("lazy binary morphology equals scipy 1.10 bit for bit", () => {
  it("erosion, dilation, opening and closing of bool and uint8 blobs: structures, origins, iterations and border values, on three chunkings", async () => {
    const smooth = ndimage.uniformFilter(randomArray(shape, "float32", seededRandom(120)), { size: 3 });
    const blobs = nd.greater(smooth, 100);
    const sparse = nd.astype(nd.greater(randomArray(shape, "float32", seededRandom(121)), 185), "uint8");
    const optionSets: Array<Record<string, unknown>> = [
      {},
      { structure: ndimage.generateBinaryStructure(3, 3).toArray(), iterations: 2 },
      { structure: offCentre, origin: [0, -1, 0] },
      { structure: cross, origin: [1, 0, -1], borderValue: 1 },
      { iterations: 3, borderValue: 1 },
    ];
    const functions: Array<[Lazy, string]> = [
      [ta.ndimage.binaryErosion, "binary_erosion"], [ta.ndimage.binaryDilation, "binary_dilation"],
      [ta.ndimage.binaryOpening, "binary_opening"], [ta.ndimage.binaryClosing, "binary_closing"],
    ];
    const cases: Array<{ label: string; lazy: ta.Array; python: string }> = [];
    for (const [inputName, input] of [["blobs", blobs], ["sparse", sparse]] as const) {
      for (const [f, [lazy, scipyName]] of functions.entries()) {
        for (const [o, options] of optionSets.entries()) {
          const chunks = chunkings[(f + o) % chunkings.length];
          cases.push({
            label: `${scipyName} ${inputName} ${JSON.stringify(options)} chunks ${JSON.stringify(chunks)}`,
            lazy: lazy(ta.fromArray(input, { chunks }), options as never),
            python: `ndi.${scipyName}(${inputName}, ${kwargs(options)})`,
          });
        }
      }
    }
    const reference = evaluatePython({ blobs, sparse }, Object.fromEntries(cases.map((c, i) => [`c${i}`, c.python])));
    const results = await ta.compute(cases.map((c) => c.lazy));
    let changed = 0;
    cases.forEach((c, i) => {
      const expected = reference[`c${i}`];
      assert.equal(expected.error, undefined, `${c.label}: scipy raised ${expected.error}`);
      assertSameArray(results[i], expected.array as nd.NDArray, c.label);
      if (Number(nd.sum(nd.notEqual(expected.array as nd.NDArray, c.label.includes("sparse") ? nd.astype(sparse, "bool") : blobs)).item()) > 0) changed++;
    });
    assert.equal(changed, cases.length, "every case changes its input (the data is not degenerate for morphology)");
  });
});
