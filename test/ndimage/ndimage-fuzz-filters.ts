/**
 * The fuzzer's filters (ndimage-fuzz-draws.ts says how a case reads): linear (Gaussian and its
 * derivatives with order/truncate/radius, uniform, correlate/convolve in 1-D and n-D with random
 * small weights, sobel/prewitt/laplace) and rank (minimum/maximum with size or a footprint with
 * holes, rank/median/percentile), with random modes (per axis where scipy takes a sequence),
 * cval, origin and output dtype.
 */
import { integer, pick } from "../array/differential-inputs.js";
import { py } from "./differential-harness.js";
import { type Draw, type FuzzCase, X, defined, filterDtypes, kwargs, modeOrModes, originFor, pickCval, pickMode, randomFootprint, randomWeights } from "./ndimage-fuzz-draws.js";

type Op = (d: Draw) => FuzzCase | null;

const pySpelling = (options: Record<string, unknown>, names: Record<string, string>): string =>
  kwargs(Object.entries(options).map(([k, v]) => [names[k] ?? k, v]));

/** An output dtype now and then (scipy's `output=`), else the input's. */
const maybeOutput = (d: Draw): string | undefined => (d.rng() < 0.2 ? pick(d.rng, filterDtypes) : undefined);

function caseOf(fn: string, pyFn: string, d: Draw, positional: unknown[], options: Record<string, unknown>, extra: Partial<FuzzCase> = {}): FuzzCase {
  const opts = defined(options);
  const pyPositional = positional.map((p) => `, ${py(p)}`).join("");
  const python = `ndi.${pyFn}(x${pyPositional}${pySpelling(opts, { outputRegion: "output_region" })})`;
  return { label: `${fn} ${d.x.dtype}[${d.x.shape.join(",")}] ${positional.length ? JSON.stringify(positional.map((p) => (p && typeof p === "object" && "toArray" in p ? (p as { toArray(): unknown }).toArray() : p))) : ""} ${JSON.stringify(opts)}`, fn, args: [X, ...positional, opts], python, ...extra };
}

const sigmaOf = (d: Draw): number | number[] => (d.rng() < 0.3 && d.x.ndim > 1 ? Array.from({ length: d.x.ndim }, () => pick(d.rng, [0, 0.5, 1, 1.7, 3])) : pick(d.rng, [0.3, 0.8, 1, 1.5, 2.2, 4]));

const gaussianFilter: Op = (d) => {
  const n = d.x.ndim;
  const order = d.rng() < 0.5 ? undefined : d.rng() < 0.5 ? integer(d.rng, 0, 3) : Array.from({ length: n }, () => integer(d.rng, 0, 3));
  const radius = d.rng() < 0.15 ? integer(d.rng, 0, 6) : undefined;
  return caseOf("gaussianFilter", "gaussian_filter", d, [], {
    sigma: sigmaOf(d), order, mode: modeOrModes(d.rng, n, true), cval: pickCval(d.rng), truncate: d.rng() < 0.3 ? pick(d.rng, [0.5, 1.2, 2, 6]) : undefined, radius, output: maybeOutput(d),
  });
};

const gaussianFilter1d: Op = (d) => caseOf("gaussianFilter1d", "gaussian_filter1d", d, [], {
  sigma: pick(d.rng, [0.4, 1, 2.5]), axis: integer(d.rng, -d.x.ndim, d.x.ndim - 1), order: integer(d.rng, 0, 3), mode: pickMode(d.rng), cval: pickCval(d.rng),
  truncate: d.rng() < 0.3 ? pick(d.rng, [1, 3]) : undefined, radius: d.rng() < 0.15 ? integer(d.rng, 0, 5) : undefined, output: maybeOutput(d),
});

const gaussianDerivative = (fn: string, pyFn: string): Op => (d) => caseOf(fn, pyFn, d, [], {
  sigma: sigmaOf(d), mode: modeOrModes(d.rng, d.x.ndim, true), cval: pickCval(d.rng), truncate: d.rng() < 0.3 ? pick(d.rng, [1, 2.5]) : undefined, output: maybeOutput(d),
});

const uniformFilter: Op = (d) => {
  const sizes = Array.from({ length: d.x.ndim }, () => integer(d.rng, 1, 6));
  const scalar = d.rng() < 0.5;
  const size = scalar ? sizes[0] : sizes;
  const origin = scalar ? originFor(d.rng, sizes[0]) : sizes.map((s) => originFor(d.rng, s));
  return caseOf("uniformFilter", "uniform_filter", d, [], { size, mode: modeOrModes(d.rng, d.x.ndim, true), cval: pickCval(d.rng), origin, output: maybeOutput(d) });
};

const filter1d = (fn: string, pyFn: string): Op => (d) => {
  const size = integer(d.rng, 1, 7);
  return caseOf(fn, pyFn, d, [], { size, axis: integer(d.rng, -d.x.ndim, d.x.ndim - 1), mode: pickMode(d.rng), cval: pickCval(d.rng), origin: originFor(d.rng, size), ...(fn === "uniformFilter1d" ? { output: maybeOutput(d) } : {}) });
};

const correlate1d = (fn: string, pyFn: string): Op => (d) => {
  const length = integer(d.rng, 1, 6);
  const weights = Array.from(randomWeights(d.rng, [length]).toTypedArray() as Float64Array);
  return caseOf(fn, pyFn, d, [weights], { axis: integer(d.rng, -d.x.ndim, d.x.ndim - 1), mode: pickMode(d.rng), cval: pickCval(d.rng), origin: originFor(d.rng, length), output: maybeOutput(d) });
};

const correlateNd = (fn: string, pyFn: string): Op => (d) => {
  const shape = Array.from({ length: d.x.ndim }, () => integer(d.rng, 1, d.x.ndim === 3 ? 3 : 5));
  const weights = randomWeights(d.rng, shape);
  const origin = d.rng() < 0.5 ? 0 : shape.map((s) => originFor(d.rng, s));
  return caseOf(fn, pyFn, d, [weights], { mode: pickMode(d.rng), cval: pickCval(d.rng), origin, output: maybeOutput(d) });
};

const derivative = (fn: string, pyFn: string): Op => (d) => caseOf(fn, pyFn, d, [], {
  axis: fn === "laplace" ? undefined : integer(d.rng, -d.x.ndim, d.x.ndim - 1), mode: modeOrModes(d.rng, d.x.ndim, true), cval: pickCval(d.rng), output: maybeOutput(d),
});

/** size or a footprint with holes, and an origin that fits it. */
function window(d: Draw): { size?: number | number[]; footprint?: unknown; origin: number | number[] } {
  const shape = Array.from({ length: d.x.ndim }, () => integer(d.rng, 1, d.x.ndim === 3 ? 3 : 5));
  const origin = d.rng() < 0.5 ? 0 : shape.map((s) => originFor(d.rng, s));
  if (d.rng() < 0.5) return { size: d.rng() < 0.4 ? shape[0] : shape, origin: Array.isArray(origin) && d.rng() < 0.4 ? 0 : origin };
  return { footprint: randomFootprint(d.rng, shape), origin };
}

const minMax = (fn: string, pyFn: string): Op => (d) => {
  const w = window(d);
  // A scalar size with a per-axis origin is fine in scipy; keep the origin within the scalar size.
  if (typeof w.size === "number") w.origin = originFor(d.rng, w.size);
  return caseOf(fn, pyFn, d, [], { ...w, mode: modeOrModes(d.rng, d.x.ndim, true), cval: pickCval(d.rng) });
};

const rankLike = (fn: "rankFilter" | "medianFilter" | "percentileFilter", pyFn: string): Op => (d) => {
  const w = window(d);
  if (typeof w.size === "number") w.origin = originFor(d.rng, w.size);
  const cells = w.footprint ? Array.from((w.footprint as { toTypedArray(): Uint8Array }).toTypedArray()).filter(Boolean).length : (Array.isArray(w.size) ? w.size : new Array<number>(d.x.ndim).fill(w.size as number)).reduce((a, b) => a * b, 1);
  const own = fn === "rankFilter" ? { rank: integer(d.rng, -cells, cells - 1) } : fn === "percentileFilter" ? { percentile: pick(d.rng, [0, 10, 50, 73.5, 100, -20]) } : {};
  // scipy's rank filters take one mode for all axes (a sequence is refused in 1.10).
  return caseOf(fn, pyFn, d, [], { ...own, ...w, mode: pickMode(d.rng), cval: pickCval(d.rng) });
};

export const filterOperations: ReadonlyArray<[string, Op]> = [
  ["gaussianFilter", gaussianFilter], ["gaussianFilter1d", gaussianFilter1d],
  ["gaussianLaplace", gaussianDerivative("gaussianLaplace", "gaussian_laplace")],
  ["gaussianGradientMagnitude", gaussianDerivative("gaussianGradientMagnitude", "gaussian_gradient_magnitude")],
  ["uniformFilter", uniformFilter], ["uniformFilter1d", filter1d("uniformFilter1d", "uniform_filter1d")],
  ["minimumFilter1d", filter1d("minimumFilter1d", "minimum_filter1d")], ["maximumFilter1d", filter1d("maximumFilter1d", "maximum_filter1d")],
  ["correlate1d", correlate1d("correlate1d", "correlate1d")], ["convolve1d", correlate1d("convolve1d", "convolve1d")],
  ["correlate", correlateNd("correlate", "correlate")], ["convolve", correlateNd("convolve", "convolve")],
  ["sobel", derivative("sobel", "sobel")], ["prewitt", derivative("prewitt", "prewitt")], ["laplace", derivative("laplace", "laplace")],
  ["minimumFilter", minMax("minimumFilter", "minimum_filter")], ["maximumFilter", minMax("maximumFilter", "maximum_filter")],
  ["rankFilter", rankLike("rankFilter", "rank_filter")], ["medianFilter", rankLike("medianFilter", "median_filter")],
  ["percentileFilter", rankLike("percentileFilter", "percentile_filter")],
];
