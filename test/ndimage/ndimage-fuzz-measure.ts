/**
 * The fuzzer's measurement and interpolation cases (ndimage-fuzz-draws.ts says how a case
 * reads): per-label measurements with random label arrays and every index form, find_objects,
 * and zoom/shift/rotate/affine_transform/map_coordinates/spline_filter with order 0–5, every
 * mode (grid-* included), cval and prefilter.
 */
import * as nd from "../../src/ndarray/index.js";
import { integer, pick } from "../array/differential-inputs.js";
import { py } from "./differential-harness.js";
import { randomIndex, randomLabels } from "./measure-cases.js";
import { Chunked, type Draw, type FuzzCase, X, defined, filterModes, kwargs, pickCval } from "./ndimage-fuzz-draws.js";

type Op = (d: Draw) => FuzzCase | null;

const label = (d: Draw, fn: string, rest: string, options: Record<string, unknown> = {}): string =>
  `${fn} ${d.x.dtype}[${d.x.shape.join(",")}] ${rest} ${JSON.stringify(options)}`;

/** Cells of distinct values (a permutation), where the dtype holds them: position ties are scipy's unstable argsort's choice. */
function tieFree(d: Draw): nd.NDArray | null {
  const most = { bool: 1, int8: 127, uint8: 255, uint16: 65535, int16: 32767 }[d.x.dtype as string] ?? Infinity;
  if (d.x.size > most + 1) return null;
  const order = Array.from({ length: d.x.size }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = integer(d.rng, 0, i);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return nd.astype(nd.fromTypedArray(Float64Array.from(order, (v) => (d.x.dtype.startsWith("float") ? v / 4 - 3 : v)), [...d.x.shape]), d.x.dtype);
}

const measurement = (fn: string, pyFn: string): Op => (d) => {
  // Ties: tessera takes the first position in C order, scipy whatever its argsort (quicksort) left first (extrema-positions.ts).
  const distinct = fn.endsWith("Position") ? tieFree(d) : d.x;
  if (distinct === null) return null;
  const labelled = d.rng() < 0.85;
  const labels = labelled ? randomLabels(d.rng, [...d.x.shape], pick(d.rng, ["int32", "uint8", "int16", "int64", "uint16"] as nd.DType[])) : undefined;
  const { index, python } = labelled ? randomIndex(d.rng, labels?.dtype.startsWith("int") ?? false) : { index: undefined, python: "None" };
  // scipy gives a list of tuples for the positions and centre of mass; np.array makes them one array.
  const pyCall = `ndi.${pyFn}(x, ${labels ? py(labels) : "None"}, ${python})`;
  const positions = fn === "centerOfMass" || fn.endsWith("Position");
  return {
    label: label(d, fn, `labels ${labels?.dtype ?? "none"} index ${python}`), fn, args: labels ? [X, new Chunked(labels), index] : [X], inputOverride: distinct,
    python: positions ? `np.array(${pyCall}, dtype=float)` : pyCall,
    // The project's claim: sums are NumPy's (pairwise for float64 over all cells only); per-label sums accumulate in float64 in label order, as scipy's bincount.
    tolerance: fn === "variance" || fn === "standardDeviation" || fn === "centerOfMass" || fn === "mean" || fn === "sum" ? 1e-12 : 0,
  };
};

const histogram: Op = (d) => {
  const labels = d.rng() < 0.7 ? randomLabels(d.rng, [...d.x.shape], "int32") : undefined;
  const { index, python } = labels ? randomIndex(d.rng, true) : { index: undefined, python: "None" };
  const [min, max] = pick(d.rng, [[0, 10], [-5, 5], [0, 255], [-100, 1000]]);
  const bins = integer(d.rng, 1, 8);
  // scipy gives one histogram or an object array of them: stacked here (every label's bins are as many).
  const call = `ndi.histogram(x, ${min}, ${max}, ${bins}, ${labels ? py(labels) : "None"}, ${python})`;
  return {
    label: label(d, "histogram", `${min} ${max} ${bins} labels ${labels ? "int32" : "none"} index ${python}`), fn: "histogram", args: labels ? [X, min, max, bins, new Chunked(labels), index] : [X, min, max, bins],
    // An absent label's histogram is scipy's None (tessera's null): NaN bins on both sides.
    python: `np.array([np.full(${bins}, np.nan) if h is None else np.asarray(h) for h in (lambda r: list(r) if isinstance(r, (list, np.ndarray)) and np.asarray(r).dtype == object else [r])(${call})], dtype=float).reshape(-1, ${bins})`,
    pick: (r) => (Array.isArray(r) ? r : [r]).map((h: nd.NDArray | null) => (h === null ? new Array<number>(bins).fill(NaN) : Array.from(h.toTypedArray() as Float64Array, Number))),
    // scipy 1.10 fails on an empty index list (labeled_comprehension's minimum over no labels); tessera gives no histograms.
    scipyDefect: Array.isArray(index) && index.length === 0 ? /zero-size array to reduction/ : undefined,
  };
};

const findObjects: Op = (d) => {
  const labels = randomLabels(d.rng, [...d.x.shape], pick(d.rng, ["int32", "uint8", "int16"] as nd.DType[]));
  // Slices as [start, stop] pairs, absent labels as [-1, -1] per axis.
  const flat = (objects: unknown): number[][] => (objects as Array<Array<{ start: number; stop: number }> | null>).map((o) => (o === null ? labels.shape.flatMap(() => [-1, -1]) : o.flatMap((r) => [r.start, r.stop])));
  return {
    label: label(d, "findObjects", `labels ${labels.dtype}`), fn: "findObjects", args: [X], python: `np.array([[-1, -1] * ${labels.ndim} if s is None else [v for sl in s for v in (sl.start, sl.stop)] for s in ndi.find_objects(x)], dtype=float).reshape(-1, ${2 * labels.ndim})`,
    pick: flat, inputOverride: labels,
  };
};

/** scipy's interpolation options: order 0–5 (order 0 and 1 skip prefiltering), every mode, cval, prefilter. */
function interpolation(d: Draw): Record<string, unknown> {
  return defined({ order: integer(d.rng, 0, 5), mode: pick(d.rng, filterModes), cval: pickCval(d.rng), prefilter: d.rng() < 0.8 ? undefined : false, output: d.rng() < 0.15 ? pick(d.rng, ["float32", "float64", "int16", "uint8"]) : undefined });
}

const pyInterp = (options: Record<string, unknown>): string => kwargs(Object.entries(options).map(([k, v]) => [k === "gridMode" ? "grid_mode" : k === "outputShape" ? "output_shape" : k, v]));

function interpCase(fn: string, pyFn: string, d: Draw, positional: unknown[], options: Record<string, unknown>): FuzzCase {
  const opts = defined(options);
  return { label: label(d, fn, JSON.stringify(positional, (_, v: unknown) => (v instanceof nd.NDArray ? v.toArray() : v)), opts), fn, args: [X, ...positional, opts], python: `ndi.${pyFn}(x${positional.map((p) => `, ${py(p)}`).join("")}${pyInterp(opts)})` };
}

const zoom: Op = (d) => {
  const factors = d.x.shape.map((n) => pick(d.rng, [0.5, 1, 1.5, 2, 0.34, 2.7, 1 / n]));
  if (d.x.shape.reduce((a, n, i) => a * Math.max(1, Math.round(n * factors[i])), 1) > 3000) return null;
  return interpCase("zoom", "zoom", d, [], { zoom: factors.length > 1 || d.rng() < 0.5 ? factors : factors[0], gridMode: d.rng() < 0.3 ? true : undefined, ...interpolation(d) });
};

const shift: Op = (d) => interpCase("shift", "shift", d, [], { shift: d.x.shape.map(() => pick(d.rng, [0, 1, -2, 0.5, -1.25, 3.7])), ...interpolation(d) });

const rotate: Op = (d) => {
  if (d.x.ndim < 2) return null;
  const a = integer(d.rng, 0, d.x.ndim - 1);
  const b = (a + integer(d.rng, 1, d.x.ndim - 1)) % d.x.ndim;
  const angle = pick(d.rng, [0, 90, -90, 180, 30, 45.5, -123, 270, 360]);
  return interpCase("rotate", "rotate", d, [angle], { axes: [a, b], reshape: d.rng() < 0.5 ? false : undefined, ...interpolation(d) });
};

const affine: Op = (d) => {
  const n = d.x.ndim;
  const style = d.rng();
  const matrix = style < 0.3 ? d.x.shape.map(() => pick(d.rng, [1, 0.5, -1, 1.3])) : Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0) + pick(d.rng, [0, 0, 0.25, -0.4])));
  const outputShape = d.rng() < 0.3 ? d.x.shape.map((s) => Math.max(1, s + integer(d.rng, -2, 3))) : undefined;
  return interpCase("affineTransform", "affine_transform", d, [], { matrix, offset: d.rng() < 0.5 ? undefined : d.x.shape.map(() => pick(d.rng, [0, 1.5, -2])), outputShape, ...interpolation(d) });
};

const mapCoordinates: Op = (d) => {
  const count = integer(d.rng, 1, 20);
  const coordinates = nd.fromTypedArray(Float64Array.from({ length: d.x.ndim * count }, (_, i) => {
    const n = d.x.shape[Math.floor(i / count)];
    return d.rng() < 0.3 ? integer(d.rng, -2, n + 1) : (d.rng() * (n + 4)) - 2;
  }), [d.x.ndim, count]);
  return interpCase("mapCoordinates", "map_coordinates", d, [coordinates], interpolation(d));
};

const splineFilter: Op = (d) => {
  const { order, mode, output } = interpolation(d);
  const opts = defined({ order: order === 0 || order === 1 ? 3 : order, mode, output: output === "float32" || output === "float64" ? output : undefined });
  return interpCase("splineFilter", "spline_filter", d, [], opts);
};

const splineFilter1d: Op = (d) => {
  const opts = defined({ order: integer(d.rng, 2, 5), axis: integer(d.rng, -d.x.ndim, d.x.ndim - 1), mode: pick(d.rng, filterModes) });
  return interpCase("splineFilter1d", "spline_filter1d", d, [], opts);
};

export const measureOperations: ReadonlyArray<[string, Op]> = [
  ["sum", measurement("sum", "sum")], ["mean", measurement("mean", "mean")], ["variance", measurement("variance", "variance")],
  ["standardDeviation", measurement("standardDeviation", "standard_deviation")], ["minimum", measurement("minimum", "minimum")],
  ["maximum", measurement("maximum", "maximum")], ["median", measurement("median", "median")], ["centerOfMass", measurement("centerOfMass", "center_of_mass")],
  ["minimumPosition", measurement("minimumPosition", "minimum_position")], ["maximumPosition", measurement("maximumPosition", "maximum_position")],
  ["histogram", histogram], ["findObjects", findObjects],
];

export const interpolationOperations: ReadonlyArray<[string, Op]> = [
  ["zoom", zoom], ["shift", shift], ["rotate", rotate], ["affineTransform", affine], ["mapCoordinates", mapCoordinates],
  ["splineFilter", splineFilter], ["splineFilter1d", splineFilter1d],
];
