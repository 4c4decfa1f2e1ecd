// Differential test of chunked filtering against scipy 1.10 on the whole array: ta.ndimage's rank
// filters and grey and binary morphology, and mapOverlap with the eager filters as block
// functions (depth from the filter's kernelRadius, sometimes deeper; boundary "none", "nearest",
// "reflect", "periodic" or a constant), on random chunkings with many blocks per axis and blocks
// smaller than the depth. With boundary "none" the reference is scipy on the whole array; with a
// padding boundary it is scipy on the array padded the same way (np.pad axis by axis, as Dask pads),
// then cropped. Bit for bit, except the uniform filter (see uniformTolerance).
import { describe, it } from "node:test";
import * as ta from "../../src/array/index.js";
import * as ndimage from "../../src/ndimage/index.js";
import * as nd from "../../src/ndarray/index.js";
import type { DType } from "../../src/ndarray/dtype.js";
import { randomArray, randomChunks } from "./differential-inputs.js";
import {
  type FilterCase, type Rng, allModes, bruteForce, differences, drawCval, drawFootprint, drawOrigin, fuzzSeed, integer, kwargs, maybe, mismatch, pick, report, rngOf,
} from "../ndimage/filter-differential.js";

const dtypes: readonly DType[] = ["uint8", "uint16", "int16", "int32", "float32", "float64"];

function drawChunked(rng: Rng, inputs: Record<string, nd.NDArray>, specials: boolean, dtype = pick(rng, dtypes)): [string, nd.NDArray, ta.Array] {
  const shape = Array.from({ length: integer(rng, 1, 3) }, () => pick(rng, [1, 3, 6, 11, 17, 24]));
  const name = `x${Object.keys(inputs).length}`;
  const x = randomArray(rng, dtype, shape, { specials });
  inputs[name] = x;
  const chunks = shape.map((n) => randomChunks(rng, n));
  return [name, x, ta.fromArray(x, { chunks })];
}

const chunksOf = (array: ta.Array): string => JSON.stringify(array.chunks);

const lazyRank = [
  ["minimumFilter", "minimum_filter"], ["maximumFilter", "maximum_filter"], ["medianFilter", "median_filter"], ["rankFilter", "rank_filter"],
  ["percentileFilter", "percentile_filter"], ["greyErosion", "grey_erosion"], ["greyDilation", "grey_dilation"], ["greyOpening", "grey_opening"],
  ["greyClosing", "grey_closing"], ["whiteTophat", "white_tophat"], ["blackTophat", "black_tophat"],
] as const;

function lazyRankCase(rng: Rng, inputs: Record<string, nd.NDArray>, label: string): FilterCase {
  // No NaN: a min/max over data with NaN depends on where scipy's line starts (ndimage-filters.ts).
  const [name, x, lazy] = drawChunked(rng, inputs, false);
  const [fn, scipyName] = pick(rng, lazyRank);
  const window: Record<string, unknown> = {};
  if (rng() < 0.5) {
    const sizes = Array.from({ length: x.ndim }, () => integer(rng, 2, 5));
    window.size = sizes;
    window.origin = maybe(rng, 0.5, () => sizes.map((s) => drawOrigin(rng, s, 0)));
  } else {
    let footprint = drawFootprint(rng, x.ndim);
    if (!JSON.stringify(footprint).includes("true")) footprint = drawFootprint(rng, x.ndim).map(() => footprint) as unknown[];
    const shape: number[] = [];
    for (let level: unknown = footprint; Array.isArray(level); level = level[0]) shape.push(level.length);
    if (shape.length === x.ndim) window.footprint = footprint;
    else window.size = 3;
    window.origin = maybe(rng, 0.5, () => (window.footprint ? shape : [3]).map((s) => drawOrigin(rng, s, 0)));
    if (window.size !== undefined && window.origin !== undefined) window.origin = (window.origin as number[])[0];
  }
  const options: Record<string, unknown> = {
    ...(fn === "rankFilter" ? { rank: integer(rng, -2, 1) } : {}),
    ...(fn === "percentileFilter" ? { percentile: pick(rng, [10, 50, 90]) } : {}),
    ...window,
    mode: maybe(rng, 0.8, () => pick(rng, allModes)),
    cval: maybe(rng, 0.4, () => drawCval(rng)),
  };
  const lazyFn = ta.ndimage[fn] as (a: ta.Array, o: unknown) => ta.Array;
  return {
    label: `${label} ta.ndimage.${fn} ${x.dtype}[${x.shape}] chunks ${chunksOf(lazy)} ${JSON.stringify(options)}`,
    run: () => lazyFn(lazy, options).compute(),
    python: `ndi.${scipyName}(${name}, ${kwargs(options)})`,
    // Rank filters with a footprint of one cell and tophats with an output of another kind refuse as the eager ones do.
    refusalAllowed: /All-zero|not supported/,
  };
}

const lazyBinary = [["binaryErosion", "binary_erosion"], ["binaryDilation", "binary_dilation"], ["binaryOpening", "binary_opening"], ["binaryClosing", "binary_closing"]] as const;

function lazyBinaryCase(rng: Rng, inputs: Record<string, nd.NDArray>, label: string): FilterCase {
  const [name, x, lazy] = drawChunked(rng, inputs, false, pick(rng, ["uint8", "float64"] as const));
  const values = x.toTypedArray() as Float64Array;
  const density = pick(rng, [0.3, 0.6, 0.85]);
  for (let i = 0; i < values.length; i++) values[i] = rng() < density ? 1 : 0;
  const [fn, scipyName] = pick(rng, lazyBinary);
  const structure = maybe(rng, 0.6, () => ndimage.generateBinaryStructure(x.ndim, integer(rng, 1, x.ndim)).toArray());
  const options: Record<string, unknown> = {
    structure,
    iterations: maybe(rng, 0.5, () => integer(rng, 1, 3)),
    borderValue: maybe(rng, 0.4, () => pick(rng, [0, 1])),
    origin: maybe(rng, 0.3, () => Array.from({ length: x.ndim }, () => integer(rng, -1, 1))),
  };
  const lazyFn = ta.ndimage[fn] as (a: ta.Array, o: unknown) => ta.Array;
  return {
    label: `${label} ta.ndimage.${fn} ${x.dtype}[${x.shape}] chunks ${chunksOf(lazy)} ${JSON.stringify(options)}`,
    run: () => lazyFn(lazy, options).compute(),
    python: `ndi.${scipyName}(${[name, kwargs(options), bruteForce(options)].filter(Boolean).join(", ")})`,
  };
}

type Eager = ((x: nd.NDArray, o: never) => nd.NDArray) & { kernelRadius(options: unknown, ndim: number): number[] };
const padModes: Record<string, string> = { nearest: "edge", reflect: "symmetric", periodic: "wrap" };

/**
 * The uniform filter is a running sum from each line's start (uniform.ts): a block's line starts
 * at its halo, so a float result may differ from the whole array's in the last bits, as it does
 * for Dask with scipy's uniform_filter. Allowed: 1e-9 of the window's largest magnitude (float64
 * inputs); other cases compare exactly.
 */
function uniformTolerance(actual: nd.NDArray, expected: nd.NDArray): string | undefined {
  if (actual.dtype !== "float64" || expected.dtype !== "float64") return mismatch(actual, expected);
  const a = actual.toTypedArray() as Float64Array;
  const b = expected.toTypedArray() as Float64Array;
  for (let i = 0; i < b.length; i++) {
    if (Object.is(a[i], b[i]) || (Number.isNaN(a[i]) && Number.isNaN(b[i])) || Math.abs(a[i] - b[i]) <= 1e-9 * Math.max(1, Math.abs(b[i]))) continue;
    return `element ${i} is ${a[i]}, scipy ${b[i]} (beyond the running sum's rounding)`;
  }
  return undefined;
}

function mapOverlapCase(rng: Rng, inputs: Record<string, nd.NDArray>, label: string): FilterCase {
  const kind = pick(rng, ["gaussianFilter", "gaussianFilter", "gaussianFilter1d", "sobel", "gaussianLaplace", "gaussianGradientMagnitude", "uniformFilter", "medianFilter", "maximumFilter"] as const);
  const minMax = kind === "medianFilter" || kind === "maximumFilter";
  const uniform = kind === "uniformFilter";
  // No NaN or ±inf for the uniform filter: once one enters scipy's running sum, the rest of the line is NaN, which no block can reproduce.
  const [name, x, lazy] = drawChunked(rng, inputs, !minMax && !uniform && rng() < 0.3, uniform ? "float64" : undefined);
  const ndim = x.ndim;
  const boundaryKind = pick(rng, ["none", "none", "nearest", "reflect", "periodic", "constant"] as const);
  const cval = boundaryKind === "constant" ? pick(rng, [0, 1.5, -4]) : undefined;
  const sigma = () => pick(rng, [0.5, 1, 1.6, 2.5]);
  const mode = pick(rng, allModes);
  const options: Record<string, unknown> = {
    gaussianFilter: () => ({ sigma: rng() < 0.5 ? sigma() : Array.from({ length: ndim }, () => pick(rng, [0, 0.7, 1.3, 3])), order: maybe(rng, 0.4, () => integer(rng, 0, 2)), mode, truncate: maybe(rng, 0.3, () => pick(rng, [2, 3])) }),
    gaussianFilter1d: () => ({ sigma: sigma(), axis: integer(rng, -ndim, ndim - 1), order: integer(rng, 0, 3), mode }),
    sobel: () => ({ axis: integer(rng, 0, ndim - 1), mode }),
    gaussianLaplace: () => ({ sigma: sigma(), mode }),
    gaussianGradientMagnitude: () => ({ sigma: sigma(), mode }),
    uniformFilter: () => ({ size: integer(rng, 2, 6), mode }),
    medianFilter: () => ({ size: integer(rng, 2, 4), mode }),
    maximumFilter: () => ({ size: Array.from({ length: ndim }, () => integer(rng, 1, 5)), mode }),
  }[kind]();
  if (rng() < 0.3) options.output = pick(rng, ["float32", "float64", "int16"] as const);
  if (mode.includes("constant")) options.cval = pick(rng, [0, 2.5, NaN]);
  const fn = ndimage[kind] as unknown as Eager;
  const radius = fn.kernelRadius(options, ndim);
  const depth = radius.map((r) => r + (rng() < 0.5 ? 0 : integer(rng, 1, 3)));
  const boundary = boundaryKind === "constant" ? cval : boundaryKind;
  const scipyName = kind.replace(/[A-Z1]/g, (c) => (c === "1" ? "1" : `_${c.toLowerCase()}`));
  let python = name;
  const crop: string[] = [];
  if (boundaryKind !== "none") {
    // Dask pads axis by axis (axis 0 first), so corners hold padded padding: np.pad per axis does the same.
    for (let axis = 0; axis < ndim; axis++) {
      const width = x.shape.map((_, a) => (a === axis ? `(${depth[a]}, ${depth[a]})` : "(0, 0)")).join(", ");
      python = boundaryKind === "constant" ? `np.pad(${python}, [${width}], mode='constant', constant_values=${cval})` : `np.pad(${python}, [${width}], mode='${padModes[boundaryKind]}')`;
    }
    crop.push(...depth.map((d, a) => `${d}:${d + x.shape[a]}`));
  }
  python = `ndi.${scipyName}(${python}, ${kwargs(options)})${crop.length > 0 ? `[${crop.join(", ")}]` : ""}`;
  return {
    label: `${label} mapOverlap(${kind}) ${x.dtype}[${x.shape}] chunks ${chunksOf(lazy)} depth [${depth}] boundary ${JSON.stringify(boundary)} ${JSON.stringify(options)}`,
    run: () => lazy.mapOverlap(fn as never, { depth, boundary: boundary as ta.BoundarySpec }, options).compute(),
    python,
    ...(uniform ? { compare: uniformTolerance } : {}),
  };
}

describe("chunked filters against scipy 1.10 on the whole array (seeded differential)", () => {
  it("ta.ndimage rank filters and grey morphology on random chunkings equal scipy bit for bit", async () => {
    const rng = rngOf(fuzzSeed + 20);
    const inputs: Record<string, nd.NDArray> = {};
    const cases: FilterCase[] = [];
    for (let i = 0; i < 90; i++) cases.push(lazyRankCase(rng, inputs, `r${i}`));
    report(await differences(cases, inputs), "ta.ndimage rank filters and grey morphology", fuzzSeed + 20);
  });

  it("ta.ndimage binary morphology (structures, iterations, border value, origins) on random chunkings equals scipy", async () => {
    const rng = rngOf(fuzzSeed + 21);
    const inputs: Record<string, nd.NDArray> = {};
    const cases: FilterCase[] = [];
    for (let i = 0; i < 60; i++) cases.push(lazyBinaryCase(rng, inputs, `b${i}`));
    report(await differences(cases, inputs), "ta.ndimage binary morphology", fuzzSeed + 21);
  });

  it("mapOverlap with eager filters (depth from kernelRadius, boundary none/nearest/reflect/periodic/constant) equals scipy on the (padded) whole array", async () => {
    const rng = rngOf(fuzzSeed + 22);
    const inputs: Record<string, nd.NDArray> = {};
    const cases: Array<FilterCase> = [];
    for (let i = 0; i < 110; i++) cases.push(mapOverlapCase(rng, inputs, `o${i}`));
    report(await differences(cases, inputs), "mapOverlap", fuzzSeed + 22);
  });
});
