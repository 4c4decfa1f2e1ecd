/**
 * toOmeZarr: a lazy array written as an OME-NGFF 0.4 image pyramid, as ome-zarr-py's
 * `write_image` writes a Dask array: the full-resolution level "0" and levels "1", "2", …
 * each downsampled 2× from the one before (ome-zarr-pyramid.ts says which axes and how many
 * levels), in Zarr v2 arrays with nested chunk keys (`dimension_separator: "/"`), and the
 * "multiscales" metadata (and "omero", when given) in the image group's attributes.
 *
 * Every level is a lazy array built on the previous one (coarsen, or a step-2 slice for
 * "nearest"), rechunked to the level's storage chunks, and all levels are written in ONE
 * graph through the store machinery (store.ts): each task writes one storage chunk on a
 * worker, nothing is gathered, and a block of level k feeds both its own write and level k+1.
 *
 * Values: levels keep the input's dtype, as ome-zarr-py's do. "mean" averages in float64 for
 * integer and bool inputs and rounds half to even (NumPy's rint) before casting back, where
 * ome-zarr-py's `astype` truncates (truncation darkens every level by half a grey value on
 * average, and the loss compounds level after level); float inputs are averaged in their
 * own dtype, as NumPy's mean. "max" and "min" keep the group's extreme; "nearest" keeps the
 * first pixel of each pair.
 *
 * Safety: the writer holds the image group's exclusive write lease throughout (a second
 * writer of the group or of any array in it fails at once), creates or (with `overwrite`)
 * replaces the group only after every option was checked, and writes the "multiscales"
 * attributes last, after the last chunk: a write that fails or is killed leaves a group that
 * no OME-Zarr reader takes for a complete image (rerun it with `overwrite: true`).
 */
import * as path from "node:path";
import { largestOf } from "./chunks.js";
import { InvalidOptionError } from "../core/errors.js";
import * as nd from "../ndarray/index.js";
import { isIntegerDType } from "../ndarray/dtype.js";
import {
  type CompressorSpec, type OmeAxis, axesToWrite, beginGroupWrite, checkOmero, createArrayHeld, createGroupHeld, multiscalesAttributes,
  resolveCompressor, writeGroupAttributesHeld,
} from "../zarr/index.js";
import { type ExecuteOptions, LazyArray, executorFor } from "./array.js";
import { coarsenNode } from "./coarsen.js";
import { checkRegularBlockGrid } from "./limits.js";
import { type DownsampleMethod, type PlannedLevel, numbersPerAxis, planPyramid } from "./ome-zarr-pyramid.js";
import { runStores } from "./store.js";
import { rint } from "./ufuncs.js";
import { refuseWritingOverSource } from "./write-over-source.js";

export interface ToOmeZarrOptions {
  /**
   * One axis per dimension: a string of t, c, z, y, x ("zyx"), a list of those names, or a
   * list of { name, type: "space" | "time" | "channel", unit }. Optional for 2-d ("yx") and
   * 5-d ("tczyx") arrays, as in ome-zarr-py.
   */
  axes?: string | ReadonlyArray<string | OmeAxis>;
  /** Level 0's pixel size per axis, in the axes' units (default 1 each). */
  scale?: readonly number[];
  /** Level 0's origin per axis (default: none written, i.e. 0). */
  translation?: readonly number[];
  /** Number of resolutions, level 0 included, or "auto" (the default: until a level fits one chunk in the downsampled axes). */
  levels?: number | "auto";
  /** How 2×… groups become one pixel: "mean" (default), "nearest", "max" or "min". */
  downsample?: DownsampleMethod;
  /** The space axes halved at every level, instead of the plane always and z when about isotropic. */
  downsampleAxes?: readonly string[];
  /** Storage chunk shape for every level (cut to its shape); default the array's chunks. */
  chunks?: readonly number[];
  compressor?: CompressorSpec | null;
  /** Replace an existing group or array at the target (its Zarr keys are deleted). Default false. */
  overwrite?: boolean;
  /** The multiscale's name (default: the group's directory name without ".zarr"). */
  name?: string;
  /** OME-NGFF "omero" rendering metadata: { channels: [{ color, window, label, active }], … }. */
  omero?: Record<string, unknown>;
  /** The image group's path inside the store (default: the store root). */
  component?: string;
}

/** What was written: the levels (their array paths, shapes, chunks, pixel sizes) and the group attributes. */
export interface OmeZarrWritten {
  levels: Array<Omit<PlannedLevel, "factors">>;
  attributes: Record<string, unknown>;
}

const knownOptions = new Set([
  "axes", "scale", "translation", "levels", "downsample", "downsampleAxes", "chunks", "compressor", "overwrite", "name", "omero", "component",
  "executor", "retries", "priority", "signal", "label",
]);

const reductions = { mean: nd.mean, max: nd.max, min: nd.min } as const;

function defaultAxes(ndim: number): string {
  if (ndim === 2) return "yx";
  if (ndim === 5) return "tczyx";
  throw new InvalidOptionError(`axes: a ${ndim}-dimensional array needs its axes named, e.g. "zyx", "cyx", "tyx" or "czyx" (as ome-zarr-py, only 2-d and 5-d are guessed)`);
}

function storageChunksOf(array: LazyArray, given: unknown): number[] {
  if (given === undefined) {
    // As toZarr: the array's chunks when regular, else its largest.
    return array.chunks.map((sizes) => Math.max(largestOf(sizes), 1));
  }
  if (!Array.isArray(given) || given.length !== array.ndim || !given.every((n) => Number.isSafeInteger(n) && n >= 1)) {
    throw new InvalidOptionError(`chunks: ${JSON.stringify(given)} must be one positive integer per axis of [${array.shape.join(", ")}]`);
  }
  return [...(given as number[])];
}

/** Level k + 1 from level k, lazily, rechunked to its storage chunks. */
function downsampled(previous: LazyArray, level: PlannedLevel, method: DownsampleMethod): LazyArray {
  let next: LazyArray;
  if (method === "nearest") {
    next = previous.get(...level.factors.map((f, a) => (f === 1 ? ":" : { start: 0, stop: level.shape[a] * f, step: f })));
  } else {
    next = LazyArray.of(coarsenNode(reductions[method], previous, level.factors, { trimExcess: true }));
    if (next.dtype !== previous.dtype) next = (isIntegerDType(previous.dtype) || previous.dtype === "bool" ? rint(next) : next).astype(previous.dtype);
  }
  const regular = next.chunks.every((sizes, a) => sizes.slice(0, -1).every((s) => s === level.chunks[a]) && sizes[sizes.length - 1] <= level.chunks[a]);
  return regular ? next : next.rechunk(level.chunks);
}

function defaultName(storePath: string, component: string): string {
  const last = component === "" ? path.basename(path.resolve(storePath)) : component.split("/").filter(Boolean).pop() ?? "";
  return last.replace(/(\.ome)?\.zarr$/i, "") || "image";
}

/**
 * Writes `array` as an OME-NGFF 0.4 multiscale image at `storePath` (one graph for all
 * levels, on the current client or `options.executor`), e.g.
 * `await ta.toOmeZarr(volume, "out.ome.zarr", { axes: "zyx", scale: [2, 0.5, 0.5] })`.
 */
export async function toOmeZarr(array: LazyArray, storePath: string, options: ToOmeZarrOptions & ExecuteOptions = {}): Promise<OmeZarrWritten> {
  if (!(array instanceof LazyArray)) throw new InvalidOptionError(`toOmeZarr writes a lazy array (ta.Array), got ${String(array)}`);
  if (options === null || typeof options !== "object") throw new InvalidOptionError("toOmeZarr options must be an object");
  const unknown = Object.keys(options).filter((key) => !knownOptions.has(key));
  if (unknown.length > 0) throw new InvalidOptionError(`toOmeZarr: unknown option${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")}; known: ${[...knownOptions].join(", ")}`);
  if (options.overwrite !== undefined && typeof options.overwrite !== "boolean") throw new InvalidOptionError(`overwrite: ${JSON.stringify(options.overwrite)} must be true or false`);
  if (options.name !== undefined && (typeof options.name !== "string" || options.name === "")) throw new InvalidOptionError(`name: ${JSON.stringify(options.name)} must be a non-empty string`);
  if (options.component !== undefined && typeof options.component !== "string") throw new InvalidOptionError(`component: ${JSON.stringify(options.component)} must be a string such as "images/0"`);

  const ndim = array.ndim;
  const axes = axesToWrite(options.axes ?? defaultAxes(ndim), ndim);
  const method = options.downsample ?? "mean";
  const storageChunks = storageChunksOf(array, options.chunks);
  const plan = planPyramid({
    shape: array.shape, axes, storageChunks, downsample: method, levels: options.levels ?? "auto",
    scale: options.scale === undefined ? axes.map(() => 1) : numbersPerAxis(options.scale, ndim, "scale", true),
    translation: options.translation === undefined ? axes.map(() => 0) : numbersPerAxis(options.translation, ndim, "translation", false),
    ...(options.downsampleAxes !== undefined ? { downsampleAxes: options.downsampleAxes } : {}),
  });
  const channelAxis = axes.findIndex((axis) => axis.type === "channel");
  const omero = options.omero === undefined ? undefined : checkOmero(options.omero, channelAxis >= 0 ? array.shape[channelAxis] : 1);
  resolveCompressor(options.compressor);
  for (const level of plan) checkRegularBlockGrid(level.shape, level.chunks, `level ${level.path} in storage chunks of [${level.chunks.join(", ")}]`);

  const arrays = [array];
  for (const level of plan.slice(1)) arrays.push(downsampled(arrays[arrays.length - 1], level, method));

  const component = (options.component ?? "").split("/").filter((part) => part !== "" && part !== ".").join("/");
  const group = { path: storePath, component };
  const levelRef = (level: PlannedLevel) => ({ path: storePath, component: component === "" ? level.path : `${component}/${level.path}` });
  const withTranslation = plan.some((level) => level.translation.some((t) => t !== 0));
  const attributes = multiscalesAttributes({
    name: options.name ?? defaultName(storePath, component),
    axes,
    datasets: plan.map((level) => ({ path: level.path, scale: level.scale, ...(withTranslation ? { translation: level.translation } : {}) })),
    type: method,
    metadata: {
      description: `each level ${method === "nearest" ? "takes the first pixel of" : `is the ${method} of`} 2-pixel groups of the level before ` +
        `along its halved axes, a last odd pixel dropped${method === "mean" ? "; integer types rounded half to even" : ""}`,
      method: method === "nearest" ? "tessera.array.Array.get (step 2)" : "tessera.array.coarsen",
      kwargs: { reduction: method, trimExcess: true, factors: plan.slice(1).map((level) => level.factors) },
    },
  }, omero);

  refuseWritingOverSource(array, group, true, "toOmeZarr");
  const lease = await beginGroupWrite(group);
  try {
    await createGroupHeld(group, { overwrite: options.overwrite ?? false });
    for (const level of plan) {
      await createArrayHeld(levelRef(level), {
        shape: level.shape, chunks: level.chunks, dtype: array.dtype, dimensionSeparator: "/",
        ...(options.compressor !== undefined ? { compressor: options.compressor } : {}),
      });
    }
    const { retries, priority, signal, label } = options;
    await runStores(
      plan.map((level, k) => ({ array: arrays[k], target: levelRef(level), options: { region: [] }, underCallerLease: lease, operation: "toOmeZarr" })),
      executorFor(options),
      { ...(retries !== undefined ? { retries } : {}), ...(priority !== undefined ? { priority } : {}), ...(signal ? { signal } : {}), label: label ?? "toOmeZarr" },
    );
    await writeGroupAttributesHeld(group, attributes);
  } finally {
    await lease.release();
  }
  return { levels: plan.map(({ factors: _factors, ...level }) => level), attributes: structuredClone(attributes) };
}
