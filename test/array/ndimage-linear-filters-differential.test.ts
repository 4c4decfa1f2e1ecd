// Differential test of the chunked linear filters (ta.ndimage.gaussianFilter … correlate, convolve,
// prewitt, laplace) against scipy 1.10 on the whole array, bit for bit: 1–3-d arrays of the filter
// dtypes (NaN and ±inf now and then) on random chunkings — one block, irregular blocks, and many
// blocks of 1–3 cells (8 or more along an axis, smaller than the depth) — every mode and alias,
// per-axis modes, axis, order, origin, truncate/radius, output dtypes. The uniform filters are the
// exception, compared within a tolerance (see uniformTolerance). A sample runs on a LocalCluster
// of 2 workers × 1 thread, where blocks and their halos cross between processes.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import * as ndimage from "../../src/ndimage/index.js";
import type { DType } from "../../src/ndarray/dtype.js";
import { randomArray, randomChunks } from "./differential-inputs.js";
import {
  type FilterCase, type Rng, allModes, differences, drawCval, drawOrigin, fuzzSeed, integer, kwargs, maybe, mismatch, oneOrPerAxis, pick, py,
  report, rngOf,
} from "../ndimage/filter-differential.js";
import { useCluster2x1 } from "./cluster-sample.js";

const dtypes: readonly DType[] = ["uint8", "uint16", "int16", "int32", "float32", "float64", "int8", "uint32"];
const outputs: readonly DType[] = ["float32", "float64", "int16", "uint8", "int32"];

/** Chunks along an axis of n: one block, Dask-like irregular blocks, or many blocks of 1–3 cells. */
function drawAxisChunks(rng: Rng, n: number): number[] {
  if (rng() < 0.4 && n >= 8) {
    const sizes: number[] = [];
    for (let left = n; left > 0;) {
      const size = Math.min(left, integer(rng, 1, 3));
      sizes.push(size);
      left -= size;
    }
    return sizes;
  }
  return randomChunks(rng, n);
}

function drawChunked(rng: Rng, inputs: Record<string, nd.NDArray>, specials: boolean, dtype = pick(rng, dtypes)): [string, nd.NDArray, ta.Array] {
  const shape = Array.from({ length: integer(rng, 1, 3) }, () => pick(rng, [1, 3, 6, 11, 17, 24]));
  const name = `x${Object.keys(inputs).length}`;
  const x = randomArray(rng, dtype, shape, { specials });
  inputs[name] = x;
  return [name, x, ta.fromArray(x, { chunks: shape.map((n) => drawAxisChunks(rng, n)) })];
}

/**
 * scipy's uniform filter is a running sum from each line's start (uniform.ts): a block's line
 * starts in its halo, so a float result may differ from the whole array's in the last bits, as
 * dask-image's does. Allowed: 1e-9 relative to max(1, |value|), float64 data without NaN or ±inf
 * (which poison the rest of scipy's whole line but only the rest of the block's).
 */
function uniformTolerance(actual: nd.NDArray, expected: nd.NDArray): string | undefined {
  if (actual.dtype !== "float64" || expected.dtype !== "float64") return mismatch(actual, expected);
  const a = actual.toTypedArray() as Float64Array;
  const b = expected.toTypedArray() as Float64Array;
  if (actual.shape.join() !== expected.shape.join()) return `shape [${actual.shape}], scipy [${expected.shape}]`;
  for (let i = 0; i < b.length; i++) {
    if (Object.is(a[i], b[i]) || Math.abs(a[i] - b[i]) <= 1e-9 * Math.max(1, Math.abs(b[i]))) continue;
    return `element ${i} is ${a[i]}, scipy ${b[i]} (beyond the running sum's rounding)`;
  }
  return undefined;
}

const kinds = [
  "gaussianFilter", "gaussianFilter1d", "uniformFilter", "uniformFilter1d", "correlate1d", "convolve1d", "correlate", "convolve", "sobel", "prewitt",
  "laplace", "gaussianLaplace", "gaussianGradientMagnitude",
] as const;
type Kind = (typeof kinds)[number];

const scipyNames: Record<Kind, string> = {
  gaussianFilter: "gaussian_filter", gaussianFilter1d: "gaussian_filter1d", uniformFilter: "uniform_filter", uniformFilter1d: "uniform_filter1d",
  correlate1d: "correlate1d", convolve1d: "convolve1d", correlate: "correlate", convolve: "convolve", sobel: "sobel", prewitt: "prewitt",
  laplace: "laplace", gaussianLaplace: "gaussian_laplace", gaussianGradientMagnitude: "gaussian_gradient_magnitude",
};

type Nested = number | Nested[];

function drawWeights(rng: Rng, shape: readonly number[]): Nested {
  const build = (axis: number): Nested => (axis === shape.length ? (rng() < 0.2 ? 0 : Math.round((rng() - 0.4) * 1e4) / 1e3) : Array.from({ length: shape[axis] }, () => build(axis + 1)));
  return build(0);
}

function lazyCase(rng: Rng, inputs: Record<string, nd.NDArray>, label: string, kind: Kind = pick(rng, kinds)): FilterCase {
  const uniform = kind === "uniformFilter" || kind === "uniformFilter1d";
  const [name, x, lazy] = drawChunked(rng, inputs, !uniform && rng() < 0.3, uniform ? "float64" : undefined);
  const ndim = x.ndim;
  const mode = () => pick(rng, allModes);
  const sigma = () => pick(rng, [0, 0.6, 1, 1.7, 2.6]);
  const axis = () => integer(rng, -ndim, ndim - 1);
  let weights: Nested | undefined;
  let options: Record<string, unknown>;
  switch (kind) {
    case "gaussianFilter":
      options = { sigma: oneOrPerAxis(rng, ndim, sigma), order: maybe(rng, 0.4, () => oneOrPerAxis(rng, ndim, () => integer(rng, 0, 3))), mode: oneOrPerAxis(rng, ndim, mode), truncate: maybe(rng, 0.3, () => pick(rng, [1.5, 2, 3])), radius: maybe(rng, 0.15, () => oneOrPerAxis(rng, ndim, () => integer(rng, 0, 6))) };
      break;
    case "gaussianFilter1d":
      options = { sigma: pick(rng, [0.5, 1, 2.2, 3]), axis: axis(), order: integer(rng, 0, 3), mode: mode() };
      break;
    case "uniformFilter": {
      const sizes = Array.from({ length: ndim }, () => integer(rng, 1, 6));
      options = { size: sizes, origin: maybe(rng, 0.5, () => sizes.map((s) => drawOrigin(rng, s, 0))), mode: oneOrPerAxis(rng, ndim, mode) };
      break;
    }
    case "uniformFilter1d": {
      const size = integer(rng, 1, 7);
      options = { size, axis: axis(), origin: maybe(rng, 0.5, () => drawOrigin(rng, size, 0)), mode: mode() };
      break;
    }
    case "correlate1d":
    case "convolve1d": {
      const length = integer(rng, 1, 7);
      weights = drawWeights(rng, [length]);
      options = { axis: axis(), origin: maybe(rng, 0.5, () => drawOrigin(rng, length, 0)), mode: mode() };
      break;
    }
    case "correlate":
    case "convolve": {
      const shape = Array.from({ length: ndim }, () => integer(rng, 1, 5));
      weights = drawWeights(rng, shape);
      options = { origin: maybe(rng, 0.5, () => shape.map((n) => drawOrigin(rng, n, 0))), mode: mode() };
      break;
    }
    case "sobel":
    case "prewitt":
      options = { axis: axis(), mode: oneOrPerAxis(rng, ndim, mode) };
      break;
    case "laplace":
      options = { mode: oneOrPerAxis(rng, ndim, mode) };
      break;
    default: {
      // Term i of a Gaussian derivative uses mode[i] on every axis: chunked, wrap is all or none.
      const modes = oneOrPerAxis(rng, ndim, mode);
      options = { sigma: oneOrPerAxis(rng, ndim, sigma), mode: Array.isArray(modes) && modes.some((m) => m.includes("wrap")) ? "wrap" : modes };
    }
  }
  if (JSON.stringify(options.mode ?? "").includes("constant")) options.cval = drawCval(rng);
  if (rng() < 0.3) options.output = uniform ? "float64" : pick(rng, outputs);
  for (const key of Object.keys(options)) if (options[key] === undefined) delete options[key];
  const lazyFn = ta.ndimage[kind] as (...args: unknown[]) => ta.Array;
  const args = weights === undefined ? [lazy, options] : [lazy, weights, options];
  return {
    label: `${label} ta.ndimage.${kind} ${x.dtype}[${x.shape}] chunks ${JSON.stringify(lazy.chunks)}${weights === undefined ? "" : ` weights ${JSON.stringify(weights)}`} ${JSON.stringify(options)}`,
    run: () => lazyFn(...args).compute(),
    python: `ndi.${scipyNames[kind]}(${name}, ${weights === undefined ? "" : `np.array(${py(weights)}, dtype=float), `}${kwargs(options)})`,
    ...(uniform ? { compare: uniformTolerance } : {}),
  };
}

describe("ta.ndimage linear filters against scipy 1.10 on the whole array (seeded differential)", () => {
  it("every linear filter on random chunkings (blocks smaller than the depth, ≥ 8 blocks per axis), every mode, equals scipy bit for bit", async () => {
    const rng = rngOf(fuzzSeed + 50);
    const inputs: Record<string, nd.NDArray> = {};
    const cases: FilterCase[] = [];
    for (let i = 0; i < 2 * kinds.length; i++) cases.push(lazyCase(rng, inputs, `f${i}`, kinds[i % kinds.length]));
    for (let i = 0; i < 130; i++) cases.push(lazyCase(rng, inputs, `r${i}`));
    report(await differences(cases, inputs), "ta.ndimage linear filters", fuzzSeed + 50);
  });

  it("refuses what the eager filters refuse, by name, before building a graph", () => {
    const lazy = ta.fromArray(nd.fromTypedArray(Float64Array.from({ length: 24 }, (_, i) => i), [4, 6]), { chunks: [2, 3] });
    assert.throws(() => ta.ndimage.gaussianFilter(lazy, { sigma: 1, sigam: 2 } as never), /gaussianFilter: unknown option "sigam"/);
    assert.throws(() => ta.ndimage.uniformFilter(lazy, { size: 3, outputRegion: { start: [0, 0], stop: [1, 1] } }), /outputRegion is set per block/);
    assert.throws(() => ta.ndimage.correlate(lazy, [1, 2]), /correlate: weights have 1 dimension .* the input has 2/);
    assert.throws(() => ta.ndimage.convolve(lazy, [[]]), /convolve: weights of shape \[1, 0\] are empty/);
    assert.throws(() => ta.ndimage.correlate(lazy, [[1, 2]], { origin: [0, 1] }), /origin 1 on axis 1 is invalid for weights of length 2/);
    assert.throws(() => ta.ndimage.correlate1d(lazy, [1, 2], { origin: 3 }), /origin 3 is invalid for 2 weights/);
    assert.throws(() => ta.ndimage.convolve1d(lazy, [1, 2], { size: 3 } as never), /convolve1d: unknown option "size"/);
    assert.throws(() => ta.ndimage.gaussianLaplace(lazy, { sigma: 1, mode: ["wrap", "reflect"] }), /gaussianLaplace: mode \["wrap","reflect"\] mixes wrap/);
    // The same through a user's own mapOverlap, where the halo would otherwise be wrong for one of the terms, silently.
    assert.throws(() => lazy.mapOverlap(ndimage.gaussianGradientMagnitude, { depth: 4 }, { sigma: 1, mode: ["reflect", "grid-wrap"] }),
      /gaussianGradientMagnitude: mode \["reflect","grid-wrap"\] mixes wrap/);
    assert.ok(ndimage.gaussianLaplace(nd.ones([4, 6]), { sigma: 1, mode: ["wrap", "reflect"] }), "the eager filter takes the list");
    assert.throws(() => ta.ndimage.prewitt(lazy, { axis: 2 }), /axis 2 is out of range/);
    assert.throws(() => ta.ndimage.laplace(lazy, "reflect" as never), /laplace takes an options object/);
  });

  it("names the graph by the weights' values, however they were given", () => {
    const lazy = ta.fromArray(nd.fromTypedArray(Float64Array.from({ length: 24 }, (_, i) => i), [4, 6]), { chunks: [2, 3] });
    const fromList = ta.ndimage.correlate(lazy, [[1, 2], [3, 4]]);
    const fromArray = ta.ndimage.correlate(lazy, nd.fromTypedArray(Float64Array.of(1, 2, 3, 4), [2, 2]));
    assert.equal(fromList.name, fromArray.name);
    assert.notEqual(fromList.name, ta.ndimage.correlate(lazy, [[1, 2], [3, 5]]).name);
    assert.equal(ta.ndimage.correlate1d(lazy, Float64Array.of(1, 2)).name, ta.ndimage.correlate1d(lazy, [1, 2]).name);
  });
});

describe("ta.ndimage linear filters on a cluster of 2 workers × 1 thread", () => {
  const client = useCluster2x1();

  it("equals scipy on the whole array when blocks and halos cross between worker processes", async () => {
    const rng = rngOf(fuzzSeed + 51);
    const inputs: Record<string, nd.NDArray> = {};
    const cases = kinds.filter((k) => k !== "uniformFilter" && k !== "uniformFilter1d").map((kind, i) => lazyCase(rng, inputs, `c${i}`, kind));
    report(await differences(cases, inputs), "ta.ndimage linear filters on a cluster", fuzzSeed + 51);
    assert.ok(client());
  });
});
