/**
 * Seeded random thresholdLocal calls and their scipy compositions, as skimage's threshold_local
 * and dask-image's threshold_local compute them: the image cast to float64, one scipy.ndimage
 * filter (gaussian_filter with σ = param or (block_size − 1) / 6.0, uniform_filter, median_filter
 * or generic_filter of size block_size), minus offset. Shared by the eager and the chunked tests.
 */
import type * as ndimage from "../../src/ndimage/index.js";
import { type Rng, allModes, drawCval, integer, maybe, pick, py } from "./filter-differential.js";
import { twins } from "./generic-twins.js";

export const methods = ["gaussian", "mean", "median", "generic"] as const;

export interface ThresholdCall {
  blockSize: number | number[];
  options: ndimage.ThresholdLocalOptions;
  /** The scipy composition over the input named `name`. */
  python: (name: string) => string;
  /** What the call was, for a failure's message (the function by its twin's name). */
  label: string;
}

/** Functions of the values without extra arguments (thresholdLocal passes none), each self-contained so it travels. */
const genericTwins = twins.filter((twin) => twin.extra === undefined);

export function drawThresholdCall(rng: Rng, ndim: number, method = pick(rng, methods)): ThresholdCall {
  const sizes = Array.from({ length: ndim }, () => pick(rng, [1, 3, 3, 5, 7]));
  const blockSize = rng() < 0.5 ? sizes[0] : sizes;
  const mode = maybe(rng, 0.8, () => pick(rng, allModes));
  const cval = maybe(rng, 0.4, () => drawCval(rng));
  const offset = maybe(rng, 0.6, () => pick(rng, [0, 2.5, -3, 0.001, 17, -0.1]));
  const options: ndimage.ThresholdLocalOptions = { method: rng() < 0.15 && method === "gaussian" ? undefined : method, mode, cval, offset };
  const bs = py(blockSize);
  const keywords = [mode === undefined ? "" : `mode=${py(mode)}`, cval === undefined ? "" : `cval=${py(cval)}`].filter(Boolean).join(", ");
  const tail = `${keywords ? `, ${keywords}` : ""})${offset === undefined ? "" : ` - ${py(offset)}`}`;
  let filter: (name: string) => string;
  let paramLabel = "";
  if (method === "gaussian") {
    const param = maybe(rng, 0.4, () => (rng() < 0.5 ? pick(rng, [0, 0.5, 1.3, 2]) : Array.from({ length: ndim }, () => pick(rng, [0, 0.7, 1.5]))));
    options.param = param;
    paramLabel = JSON.stringify(param) ?? "";
    // dask-image's default sigma, spelled as it spells it.
    const sigma = param === undefined ? `(np.asarray(${bs}) - 1) / 6.0` : py(param);
    filter = (name) => `ndi.gaussian_filter(${name}.astype(np.float64), ${sigma}${tail}`;
  } else if (method === "generic") {
    const twin = pick(rng, genericTwins);
    options.param = twin.ts;
    paramLabel = twin.name;
    filter = (name) => `ndi.generic_filter(${name}.astype(np.float64), ${twin.python}, ${bs}${tail}`;
  } else {
    const scipy = method === "mean" ? "uniform_filter" : "median_filter";
    filter = (name) => `ndi.${scipy}(${name}.astype(np.float64), ${bs}${tail}`;
  }
  return { blockSize, options, python: filter, label: `blockSize ${JSON.stringify(blockSize)} ${JSON.stringify({ ...options, param: undefined })} param ${paramLabel}` };
}

/** A shape of `ndim` axes, small enough for the Python generic filter, some axes shorter than the block. */
export const drawShape = (rng: Rng, ndim: number): number[] => Array.from({ length: ndim }, () => pick(rng, [1, 2, 4, 6, 9, 13, integer(rng, 3, 17)]));
