/**
 * The fuzzer's morphology, segmentation and distance cases (ndimage-fuzz-draws.ts says how a
 * case reads): grey morphology with size/footprint/structure and origin, binary morphology with
 * structures, iterations, border_value, origin and mask, hit-or-miss, propagation, fill_holes,
 * the three distance transforms with sampling/metric/return_indices, label with structures,
 * watershed_ift with markers.
 */
import * as nd from "../../src/ndarray/index.js";
import * as ndimage from "../../src/ndimage/index.js";
import { integer, pick } from "../array/differential-inputs.js";
import { py } from "./differential-harness.js";
import { randomStructure } from "./measure-cases.js";
import { Chunked, type Draw, type FuzzCase, X, defined, kwargs, originFor, pickCval, pickMode, randomFootprint } from "./ndimage-fuzz-draws.js";

type Op = (d: Draw) => FuzzCase | null;

const names: Record<string, string> = { borderValue: "border_value", returnIndices: "return_indices", returnDistances: "return_distances", structure1: "structure1", structure2: "structure2" };
const pyOptions = (options: Record<string, unknown>): string =>
  kwargs(Object.entries(options).map(([k, v]) => [names[k] ?? k, v instanceof Chunked ? v.array : v]));
const text = (options: Record<string, unknown>): string =>
  JSON.stringify(options, (_, v: unknown) => (v instanceof nd.NDArray ? v.toArray() : v instanceof Chunked ? v.array.toArray() : v));

function caseOf(fn: string, pyFn: string, d: Draw, options: Record<string, unknown>, extra: Partial<FuzzCase> = {}, pySuffix = ""): FuzzCase {
  const opts = defined(options);
  return { label: `${fn} ${d.x.dtype}[${d.x.shape.join(",")}] ${text(opts)}`, fn, args: [X, opts], python: `ndi.${pyFn}(x${pyOptions(opts)})${pySuffix}`, ...extra };
}

const grey = (fn: string, pyFn: string): Op => (d) => {
  const shape = Array.from({ length: d.x.ndim }, () => integer(d.rng, 1, d.x.ndim === 3 ? 3 : 4));
  const style = d.rng();
  const window: Record<string, unknown> = style < 0.4 ? { size: shape } : style < 0.75 ? { footprint: randomFootprint(d.rng, shape) } : { structure: nd.astype(nd.fromTypedArray(Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => integer(d.rng, -2, 3)), shape), "float64") };
  const origin = d.rng() < 0.5 ? 0 : shape.map((s) => originFor(d.rng, s));
  return caseOf(fn, pyFn, d, { ...window, mode: pickMode(d.rng), cval: pickCval(d.rng), origin });
};

/** A structure of the input's rank: none, a connectivity, or a random symmetric one; now and then an even-sized box. */
function structureFor(d: Draw): nd.NDArray | undefined {
  if (d.rng() < 0.15) return randomFootprint(d.rng, Array.from({ length: d.x.ndim }, () => integer(d.rng, 1, 4)));
  return randomStructure(d.rng, d.x.ndim);
}

/**
 * The structure with its centre cell set: repeating a dilation or erosion until nothing changes
 * (iterations < 1, propagation, fill_holes) then only grows or only shrinks; without the centre
 * scipy's loop can oscillate forever (seen: binary_closing, iterations −1).
 */
function centred(structure: nd.NDArray | undefined): nd.NDArray | undefined {
  if (structure === undefined) return undefined;
  const data = Uint8Array.from(structure.toTypedArray() as Uint8Array, (v) => (v ? 1 : 0));
  let at = 0;
  for (const n of structure.shape) at = at * n + Math.floor(n / 2);
  data[at] = 1;
  return nd.fromTypedArray(data, [...structure.shape], { dtype: "bool" });
}

const boolMask = (d: Draw): nd.NDArray => nd.astype(nd.fromTypedArray(Float64Array.from({ length: d.x.size }, () => (d.rng() < 0.7 ? 1 : 0)), [...d.x.shape]), "bool");

const binary = (fn: string, pyFn: string): Op => (d) => {
  let iterations = pick(d.rng, [1, 1, 2, 3, 0, -1]);
  const structure = iterations < 1 ? centred(structureFor(d)) : structureFor(d);
  // scipy 1.10's iterated erosion wraps into the next line where the structure is longer than the
  // array (binary-erosion.ts): no reference there, so one iteration.
  if (structure?.shape.some((n, axis) => n > d.x.shape[axis])) iterations = 1;
  const shape = structure ? [...structure.shape] : new Array<number>(d.x.ndim).fill(3);
  // Until nothing changes, scipy needs the centre set after the origin (centred, origin 0), or may never return.
  const origin = d.rng() < 0.6 || iterations < 1 ? 0 : shape.map((s) => originFor(d.rng, s));
  const withMask = (fn === "binaryErosion" || fn === "binaryDilation") && d.rng() < 0.3;
  return caseOf(fn, pyFn, d, {
    structure, iterations, borderValue: fn.endsWith("Opening") || fn.endsWith("Closing") ? undefined : pick(d.rng, [0, 1]),
    origin, mask: withMask ? new Chunked(boolMask(d)) : undefined,
  }, { eagerOnly: withMask ? "the chunked binary morphology takes no mask (ndimage-filters.ts refuses it)" : undefined });
};

const hitOrMiss: Op = (d) => {
  const structure1 = structureFor(d);
  return caseOf("binaryHitOrMiss", "binary_hit_or_miss", d, { structure1, structure2: d.rng() < 0.5 ? undefined : structure1 && nd.logicalNot(structure1), origin1: 0, origin2: d.rng() < 0.3 && structure1 ? [...structure1.shape].map((s) => originFor(d.rng, s)) : 0 });
};

const propagation: Op = (d) => caseOf("binaryPropagation", "binary_propagation", d, {
  structure: centred(structureFor(d)), mask: d.rng() < 0.7 ? boolMask(d) : undefined, borderValue: pick(d.rng, [0, 1]),
}, { eagerOnly: "no chunked binaryPropagation" });

const fillHoles: Op = (d) => caseOf("binaryFillHoles", "binary_fill_holes", d, { structure: centred(structureFor(d)) });

const composition = (fn: string, pyFn: string): Op => (d) => {
  const size = Array.from({ length: d.x.ndim }, () => integer(d.rng, 1, 3));
  return caseOf(fn, pyFn, d, { size, mode: pickMode(d.rng), cval: pickCval(d.rng) });
};

const sampling = (d: Draw): number | number[] | undefined => (d.rng() < 0.5 ? undefined : d.rng() < 0.5 ? pick(d.rng, [0.5, 2, 1.3]) : Array.from({ length: d.x.ndim }, () => pick(d.rng, [0.5, 1, 2.5, 3])));

const edt: Op = (d) => {
  const indices = d.rng() < 0.3;
  // scipy returns (distances, indices): each is compared alone, as the case picks it.
  return caseOf("distanceTransformEdt", "distance_transform_edt", d, { sampling: sampling(d), returnIndices: indices || undefined },
    indices ? { pick: (r) => (r as { indices: unknown }).indices, eagerOnly: "the chunked distanceTransformEdt refuses returnIndices (ndimage-distance.ts)" } : {}, indices ? "[1]" : "");
};

const cdt: Op = (d) => {
  const metric = d.rng() < 0.7 ? pick(d.rng, ["chessboard", "taxicab", "cityblock", "manhattan"]) : structureFor(d);
  const indices = d.rng() < 0.3;
  return caseOf("distanceTransformCdt", "distance_transform_cdt", d, { metric, returnIndices: indices || undefined },
    { eagerOnly: "no chunked distanceTransformCdt", ...(indices ? { pick: (r: unknown) => (r as { indices: unknown }).indices } : {}) }, indices ? "[1]" : "");
};

const bf: Op = (d) => {
  if (d.x.size > 400) return null; // brute force is quadratic in scipy as here
  const metric = pick(d.rng, ["euclidean", "taxicab", "chessboard"]);
  const indices = d.rng() < 0.3;
  return caseOf("distanceTransformBf", "distance_transform_bf", d, { metric, sampling: metric === "euclidean" ? sampling(d) : undefined, returnIndices: indices || undefined },
    { eagerOnly: "no chunked distanceTransformBf", ...(indices ? { pick: (r: unknown) => (r as { indices: unknown }).indices } : {}) }, indices ? "[1]" : "");
};

const label: Op = (d) => caseOf("label", "label", d, { structure: randomStructure(d.rng, d.x.ndim) }, { pick: (r) => (r as unknown[])[0] }, "[0]");

const watershed: Op = (d) => {
  if (d.x.dtype !== "uint8" && d.x.dtype !== "uint16") return null; // scipy: input must be uint8 or uint16
  const markers = nd.astype(nd.fromTypedArray(Float64Array.from({ length: d.x.size }, () => (d.rng() < 0.08 ? integer(d.rng, -2, 4) : 0)), [...d.x.shape]), pick(d.rng, ["int32", "int16", "uint8"] as nd.DType[]));
  const structure = d.rng() < 0.5 ? undefined : ndimage.generateBinaryStructure(d.x.ndim, integer(d.rng, 1, d.x.ndim));
  const opts = defined({ structure });
  return { label: `watershedIft ${d.x.dtype}[${d.x.shape.join(",")}] markers ${markers.dtype} ${text(opts)}`, fn: "watershedIft", args: [X, markers, opts], python: `ndi.watershed_ift(x, ${py(markers)}${pyOptions(opts)})`, eagerOnly: "no chunked watershedIft" };
};

export const morphologyOperations: ReadonlyArray<[string, Op, "bool" | "any"]> = [
  ["greyErosion", grey("greyErosion", "grey_erosion"), "any"], ["greyDilation", grey("greyDilation", "grey_dilation"), "any"],
  ["greyOpening", grey("greyOpening", "grey_opening"), "any"], ["greyClosing", grey("greyClosing", "grey_closing"), "any"],
  ["whiteTophat", grey("whiteTophat", "white_tophat"), "any"], ["blackTophat", grey("blackTophat", "black_tophat"), "any"],
  ["morphologicalGradient", composition("morphologicalGradient", "morphological_gradient"), "any"],
  ["morphologicalLaplace", composition("morphologicalLaplace", "morphological_laplace"), "any"],
  ["binaryErosion", binary("binaryErosion", "binary_erosion"), "bool"], ["binaryDilation", binary("binaryDilation", "binary_dilation"), "bool"],
  ["binaryOpening", binary("binaryOpening", "binary_opening"), "bool"], ["binaryClosing", binary("binaryClosing", "binary_closing"), "bool"],
  ["binaryHitOrMiss", hitOrMiss, "bool"], ["binaryPropagation", propagation, "bool"], ["binaryFillHoles", fillHoles, "bool"],
  ["distanceTransformEdt", edt, "bool"], ["distanceTransformCdt", cdt, "bool"], ["distanceTransformBf", bf, "bool"],
  ["label", label, "bool"], ["watershedIft", watershed, "any"],
];
