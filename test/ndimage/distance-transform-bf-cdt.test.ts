// distanceTransformCdt and distanceTransformBf against scipy 1.10's distance_transform_cdt and
// distance_transform_bf, bit for bit, distances and indices (scipy's tie order decides which of
// equally near zero cells an index names): seeded random 1–3-d inputs of several dtypes (NaN is
// foreground), sparse and dense, all-foreground and all-background; cdt with "chessboard",
// "taxicab" and drawn 3×…×3 structures; bf with each metric (any case) and sampling. Then refusals.
import { describe, it } from "node:test";
import * as ndimage from "../../src/ndimage/index.js";
import * as nd from "../../src/ndarray/index.js";
import { randomArray } from "../array/differential-inputs.js";
import { type FilterCase, type Rng, differences, fuzzSeed, integer, maybe, pick, py, report, rngOf } from "./filter-differential.js";
import { assertInvalidOption } from "./helpers.js";

function binaryInput(rng: Rng, inputs: Record<string, nd.NDArray>): [string, nd.NDArray] {
  const shape = Array.from({ length: integer(rng, 1, 3) }, () => pick(rng, [1, 2, 3, 5, 8, 11]));
  const dtype = pick(rng, ["bool", "uint8", "float64", "int64", "int16"] as const);
  const bits = randomArray(rng, "float64", shape);
  const values = bits.toTypedArray() as Float64Array;
  const density = pick(rng, [0.05, 0.3, 0.7, 0.95, 1, 0]);
  for (let i = 0; i < values.length; i++) values[i] = rng() < density ? (dtype === "float64" ? pick(rng, [1, -0.5, NaN]) : 1) : 0;
  const name = `b${Object.keys(inputs).length}`;
  inputs[name] = nd.astype(bits, dtype);
  return [name, inputs[name]];
}

function drawStructure(rng: Rng, ndim: number): unknown[] {
  const density = pick(rng, [0.3, 0.6, 1]);
  const build = (axis: number): unknown[] => Array.from({ length: 3 }, () => (axis === ndim - 1 ? rng() < density : build(axis + 1)));
  return build(0);
}

type Part = "distances" | "indices";

function pick2(result: nd.NDArray | ndimage.DistanceTransformResult, part: Part, both: boolean): nd.NDArray {
  if (!both) return result as nd.NDArray;
  const array = (result as ndimage.DistanceTransformResult)[part];
  if (array === undefined) throw new Error(`no ${part} returned`);
  return array;
}

function cdtCase(rng: Rng, inputs: Record<string, nd.NDArray>, label: string): FilterCase {
  const [name, x] = binaryInput(rng, inputs);
  const metric = pick(rng, ["chessboard", "taxicab", "cityblock", "manhattan", "structure", undefined] as const);
  const structure = metric === "structure" ? drawStructure(rng, x.ndim) : undefined;
  const part: Part = pick(rng, ["distances", "indices"]);
  const both = part === "indices" || rng() < 0.3;
  const options = { metric: structure ?? metric, returnIndices: both ? true : undefined, returnDistances: part === "indices" && rng() < 0.3 ? false : undefined };
  const pyMetric = structure ? `np.array(${py(structure)}, dtype=bool)` : `'${metric ?? "chessboard"}'`;
  const pyReturns = `return_indices=${options.returnIndices ? "True" : "False"}, return_distances=${options.returnDistances === false ? "False" : "True"}`;
  const index = both && options.returnDistances !== false ? (part === "indices" ? "[1]" : "[0]") : "";
  return {
    label: `${label} cdt ${part} ${x.dtype}[${x.shape}] ${JSON.stringify(options)}`,
    run: () => pick2(ndimage.distanceTransformCdt(x, options as ndimage.DistanceTransformCdtOptions), part, both),
    python: `ndi.distance_transform_cdt(${name}, metric=${pyMetric}, ${pyReturns})${index}`,
  };
}

function bfCase(rng: Rng, inputs: Record<string, nd.NDArray>, label: string): FilterCase {
  const [name, x] = binaryInput(rng, inputs);
  const metric = pick(rng, ["euclidean", "Euclidean", "taxicab", "cityblock", "manhattan", "chessboard", "CHESSBOARD", undefined] as const);
  const sampling = maybe(rng, 0.4, () => (rng() < 0.5 ? pick(rng, [0.5, 1.7, 3]) : Array.from({ length: x.ndim }, () => pick(rng, [0.3, 1, 2.25, 0.1]))));
  const part: Part = pick(rng, ["distances", "indices"]);
  const both = part === "indices" || rng() < 0.3;
  const options = { metric, sampling, returnIndices: both ? true : undefined, returnDistances: part === "indices" && rng() < 0.3 ? false : undefined };
  const pyReturns = `return_indices=${options.returnIndices ? "True" : "False"}, return_distances=${options.returnDistances === false ? "False" : "True"}`;
  const index = both && options.returnDistances !== false ? (part === "indices" ? "[1]" : "[0]") : "";
  return {
    label: `${label} bf ${part} ${x.dtype}[${x.shape}] ${JSON.stringify(options)}`,
    run: () => pick2(ndimage.distanceTransformBf(x, options as ndimage.DistanceTransformBfOptions), part, both),
    python: `ndi.distance_transform_bf(${name}, metric='${metric ?? "euclidean"}', sampling=${sampling === undefined ? "None" : py(sampling)}, ${pyReturns})${index}`,
  };
}

describe("distanceTransformCdt and distanceTransformBf against scipy 1.10", () => {
  it("cdt: chessboard, taxicab and drawn structures; distances and indices bit for bit", async () => {
    const rng = rngOf(fuzzSeed + 311);
    const inputs: Record<string, nd.NDArray> = {};
    const cases = Array.from({ length: 300 }, (_, i) => cdtCase(rng, inputs, `c${i}`));
    report(await differences(cases, inputs), "distanceTransformCdt", fuzzSeed + 311);
  });

  it("bf: every metric and sampling; distances and indices bit for bit", async () => {
    const rng = rngOf(fuzzSeed + 312);
    const inputs: Record<string, nd.NDArray> = {};
    const cases = Array.from({ length: 300 }, (_, i) => bfCase(rng, inputs, `f${i}`));
    report(await differences(cases, inputs), "distanceTransformBf", fuzzSeed + 312);
  });

  it("refuses unknown metrics, options and bad structures, naming them", () => {
    const x = nd.array([[1, 0], [1, 1]]);
    assertInvalidOption(() => ndimage.distanceTransformCdt(x, { metric: "euclidean" as never }), "metric");
    assertInvalidOption(() => ndimage.distanceTransformCdt(x, { metric: [[1, 1], [1, 1]] }), "metric structure shape");
    assertInvalidOption(() => ndimage.distanceTransformCdt(x, { metric: [1, 1, 1] }), "metric structure has 1 dimensions");
    assertInvalidOption(() => ndimage.distanceTransformCdt(x, { returnDistances: false }), "returnIndices");
    assertInvalidOption(() => ndimage.distanceTransformCdt(x, { sampling: 2 } as never), "sampling");
    assertInvalidOption(() => ndimage.distanceTransformBf(x, { metric: "hamming" as never }), "metric");
    assertInvalidOption(() => ndimage.distanceTransformBf(x, { sampling: [1, 2, 3] }), "sampling");
    assertInvalidOption(() => ndimage.distanceTransformBf(x, { distances: true } as never), "distances");
    assertInvalidOption(() => ndimage.distanceTransformBf(nd.array(1), {}), "0-d");
  });
});
