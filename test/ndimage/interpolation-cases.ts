/**
 * Seeded cases for the interpolation differential tests: zoom, shift, affineTransform,
 * mapCoordinates, splineFilter and splineFilter1d with every order and mode, cval, prefilter,
 * gridMode, outputShape and output dtype, on small arrays of every dtype scipy interpolates
 * (size-1 axes included) and zoom factors at rounding edges (0.5, 1/3, 2.0000001 …). Each case
 * carries its tessera options, the scipy call, and a `lazy` twin for the chunked tests.
 */
import * as nd from "../../src/ndarray/index.js";
import * as ndimage from "../../src/ndimage/index.js";
import { type Rng, integer, pick } from "../array/differential-inputs.js";
import { py } from "./differential-harness.js";
import { randomShape } from "./measure-cases.js";

export const modes = ["constant", "nearest", "reflect", "mirror", "wrap", "grid-wrap", "grid-constant", "grid-mirror"] as const;
const dtypes: readonly nd.DType[] = ["uint8", "uint16", "int8", "int16", "int32", "float32", "float64"];

export interface InterpolationCase {
  fn: "zoom" | "shift" | "affineTransform" | "mapCoordinates" | "splineFilter" | "splineFilter1d";
  input: string;
  options: Record<string, unknown>;
  coordinates?: string;
  python: string;
  label: string;
  /** Whether the result depends on the whole array through the spline prefilter (orders > 1 with prefilter). */
  prefiltered: boolean;
}

export function randomInput(rng: Rng, shape: number[], dtype: nd.DType): nd.NDArray {
  const size = shape.reduce((a, b) => a * b, 1);
  const float = dtype.startsWith("float");
  const data = Float64Array.from({ length: size }, () =>
    float ? (rng() - 0.3) * 10 ** integer(rng, 0, 3) : dtype.startsWith("u") ? integer(rng, 0, dtype === "uint8" ? 255 : 3000) : integer(rng, dtype === "int8" ? -128 : -3000, dtype === "int8" ? 127 : 3000));
  return nd.astype(nd.fromTypedArray(data, shape), dtype);
}

const zoomFactors = [0.5, 1 / 3, 2 / 3, 2.0000001, 2, 1.5, 0.7, 3, 1, 0.25, 1.25, 0.9999999];

/** One random case of `fn` on a new input `name` (added to `inputs`). */
export function drawInterpolationCase(rng: Rng, inputs: Record<string, nd.NDArray>, name: string, fn: InterpolationCase["fn"], most = [0, 12, 7, 5]): InterpolationCase {
  const ndim = integer(rng, 1, 3);
  const shape = randomShape(rng, ndim, most[ndim]);
  // One case in eight has a long last axis, for code that works on whole lines.
  if (rng() < 0.125) shape[ndim - 1] = integer(rng, 40, 150);
  const dtype = pick(rng, dtypes);
  inputs[name] = randomInput(rng, shape, dtype);
  const order = integer(rng, 0, 5);
  const mode = pick(rng, modes);
  const cval = pick(rng, [0, 0, 1.5, -7, 100]);
  const prefilter = rng() < 0.75;
  const output = rng() < 0.25 ? pick(rng, ["float32", "float64", "uint8", "int16", "int32", "uint16"] as nd.DType[]) : undefined;
  const common: Record<string, unknown> = { order, mode, cval, prefilter, ...(output === undefined ? {} : { output }) };
  const pyCommon = `output=${output === undefined ? "None" : JSON.stringify(output)}, order=${order}, mode=${JSON.stringify(mode)}, cval=${py(cval)}, prefilter=${py(prefilter)}`;
  const label = `${fn} ${dtype} [${shape.join(", ")}] order ${order} ${mode} cval ${cval} prefilter ${prefilter} output ${output}`;
  const prefiltered = order > 1 && prefilter;
  if (fn === "zoom") {
    const zoom = rng() < 0.3 ? pick(rng, zoomFactors) : shape.map(() => pick(rng, zoomFactors));
    const gridMode = rng() < 0.3;
    return { fn, input: name, options: { ...common, zoom, gridMode }, python: `ndi.zoom(${name}, ${py(zoom)}, ${pyCommon}, grid_mode=${py(gridMode)})`, label: `${label} zoom ${JSON.stringify(zoom)} gridMode ${gridMode}`, prefiltered };
  }
  if (fn === "shift") {
    const one = () => pick(rng, [0, 1, -2, 0.5, -0.25, 1.75, 3.3, -12]);
    const shift = rng() < 0.3 ? one() : shape.map(one);
    return { fn, input: name, options: { ...common, shift }, python: `ndi.shift(${name}, ${py(shift)}, ${pyCommon})`, label: `${label} shift ${JSON.stringify(shift)}`, prefiltered };
  }
  if (fn === "affineTransform") {
    const style = integer(rng, 0, 3);
    const entry = () => pick(rng, [0, 1, -1, 0.5, 1.25, -0.3, 2]);
    // Now and then an output of another rank (a full ndim × rank matrix; scipy reads ndim × (ndim + 1) as homogeneous).
    const otherRank = style === 1 && rng() < 0.3 ? integer(rng, 1, 3) : ndim;
    const outputShape = otherRank !== ndim ? Array.from({ length: otherRank }, () => integer(rng, 1, 6)) : rng() < 0.4 ? shape.map((n) => Math.max(1, n + integer(rng, -2, 3))) : undefined;
    const offset = rng() < 0.5 ? undefined : rng() < 0.5 ? pick(rng, [0.5, -1, 2]) : shape.map(() => pick(rng, [0, 0.5, -1.5, 2]));
    let matrix: number[] | number[][];
    if (style === 0) matrix = shape.map(() => pick(rng, [1, 0.5, 2, -1, 1.5]));
    else if (style === 1) matrix = shape.map((_, r) => Array.from({ length: otherRank }, (_, c) => (r === c ? pick(rng, [1, 0.8, 1.2]) : entry())));
    else if (style === 2) matrix = shape.map((_, r) => [...shape.map((_, c) => (r === c ? 1 : entry())), entry()]);
    else matrix = [...shape.map((_, r) => [...shape.map((_, c) => (r === c ? 1 : entry())), entry()]), [...shape.map(() => 0), 1]];
    const homogeneous = style >= 2;
    const options = { ...common, matrix, ...(outputShape ? { outputShape } : {}), ...(offset === undefined || homogeneous ? {} : { offset }) };
    return {
      fn, input: name, options,
      python: `ndi.affine_transform(${name}, np.array(${py(matrix)}), offset=${py(homogeneous || offset === undefined ? 0 : offset)}, output_shape=${outputShape ? py(outputShape) : "None"}, ${pyCommon})`,
      label: `${label} matrix ${JSON.stringify(matrix)} offset ${JSON.stringify(offset)} outputShape ${JSON.stringify(outputShape)}`, prefiltered,
    };
  }
  if (fn === "mapCoordinates") {
    const outShape = rng() < 0.5 ? [integer(rng, 1, 12)] : [integer(rng, 1, 4), integer(rng, 1, 4)];
    const count = outShape.reduce((a, b) => a * b, 1);
    const values = Float64Array.from({ length: ndim * count }, (_, i) => {
      const n = shape[Math.floor(i / count)];
      const r = rng();
      // NaN coordinates only where scipy maps them to cval: in nearest and grid-constant its C code
      // indexes with the NaN cast to an integer (undefined behaviour; scipy 1.10 may crash).
      const nanAllowed = mode !== "nearest" && mode !== "grid-constant";
      return r < 0.2 ? integer(rng, -1, n) : r < 0.35 ? integer(rng, -1, n) + 0.5 : r < 0.4 && nanAllowed ? NaN : (rng() * (n + 3)) - 1.5;
    });
    const coordinates = `${name}c`;
    inputs[coordinates] = nd.fromTypedArray(values, [ndim, ...outShape]);
    return { fn, input: name, coordinates, options: common, python: `ndi.map_coordinates(${name}, ${coordinates}, ${pyCommon})`, label, prefiltered };
  }
  const splineOutput = pick(rng, [undefined, "float32", "float64"] as Array<nd.DType | undefined>);
  const splineOrder = integer(rng, 0, 5);
  const options = { order: splineOrder, mode, ...(splineOutput === undefined ? {} : { output: splineOutput }) };
  const pyOutput = splineOutput === undefined ? "" : `, output=${JSON.stringify(splineOutput)}`;
  if (fn === "splineFilter") {
    return { fn, input: name, options, python: `ndi.spline_filter(${name}, order=${splineOrder}, mode=${JSON.stringify(mode)}${pyOutput})`, label: `${fn} ${dtype} [${shape.join(", ")}] order ${splineOrder} ${mode} output ${splineOutput}`, prefiltered: true };
  }
  const axis = integer(rng, -ndim, ndim - 1);
  return { fn, input: name, options: { ...options, axis }, python: `ndi.spline_filter1d(${name}, order=${splineOrder}, axis=${axis}, mode=${JSON.stringify(mode)}${pyOutput})`, label: `${fn} ${dtype} [${shape.join(", ")}] order ${splineOrder} axis ${axis} ${mode} output ${splineOutput}`, prefiltered: true };
}

/** The eager call of a case. */
export function runEager(kase: InterpolationCase, inputs: Record<string, nd.NDArray>): nd.NDArray {
  const input = inputs[kase.input];
  const options = kase.options as never;
  switch (kase.fn) {
    case "zoom": return ndimage.zoom(input, options);
    case "shift": return ndimage.shift(input, options);
    case "affineTransform": return ndimage.affineTransform(input, options);
    case "mapCoordinates": return ndimage.mapCoordinates(input, inputs[kase.coordinates as string], options);
    case "splineFilter": return ndimage.splineFilter(input, options);
    case "splineFilter1d": return ndimage.splineFilter1d(input, options);
  }
}
