/**
 * toHdf5's options, as the h5py create_dataset keywords Dask's to_hdf5 passes through, in
 * tessera's spelling, compiled once before anything is computed: `chunks` (true: the array's
 * chunks, Dask's default; false or null: contiguous; a shape), `compression` ("gzip" or a
 * gzip level 0–9), `compressionOpts` (the gzip level), `shuffle`, `fletcher32`, and
 * `overwrite` / `append` for an existing file. What h5py would refuse is refused the same
 * way (filters without chunks, a chunk larger than the dataset, two gzip levels); what the
 * writer (h5wasm) cannot do is refused by name: lzf and szip, and more than one filter on one
 * dataset (h5wasm sets one filter per dataset, so shuffle or fletcher32 with gzip is refused).
 */
import { InvalidOptionError } from "../core/errors.js";
import { refuseUnknownKeys } from "../ndarray/option-keys.js";
import { Hdf5UnsupportedError } from "./errors.js";

export interface ToHdf5Options {
  /** true (default): each axis's first block size, as Dask's chunks=True; false / null: contiguous; or a chunk shape. */
  chunks?: boolean | null | readonly number[];
  /** "gzip" (level 4, or compressionOpts) or a gzip level 0–9, as h5py; null / undefined: none. */
  compression?: "gzip" | number | null;
  /** The gzip level 0–9 with compression "gzip". */
  compressionOpts?: number | null;
  shuffle?: boolean;
  fletcher32?: boolean;
  /** Replace an existing file (written beside it and renamed over it once complete). */
  overwrite?: boolean;
  /** Add the datasets to an existing file (a copy of it is written and renamed over it once complete). */
  append?: boolean;
}

/** One dataset's layout and its single filter, as h5wasm's create_dataset takes them. */
export interface DatasetLayout {
  /** null: contiguous. */
  chunks: number[] | null;
  /** The HDF5 filter id (1 deflate, 2 shuffle, 3 fletcher32) and its parameters; null: none. */
  filter: { id: number; options: number[] } | null;
}

const optionKeys = ["chunks", "compression", "compressionOpts", "shuffle", "fletcher32", "overwrite", "append"];

export function checkToHdf5Options(options: ToHdf5Options): void {
  refuseUnknownKeys(options, optionKeys, "toHdf5");
  for (const key of ["shuffle", "fletcher32", "overwrite", "append"] as const) {
    if (options[key] !== undefined && typeof options[key] !== "boolean") throw new InvalidOptionError(`toHdf5: ${key} must be true or false, got ${JSON.stringify(options[key])}`);
  }
  if (options.overwrite && options.append) throw new InvalidOptionError("toHdf5: overwrite (replace the file) and append (add to it) exclude each other; give one");
}

function gzipLevel(options: ToHdf5Options): number | null {
  const { compression, compressionOpts } = options;
  const isLevel = (value: unknown): value is number => typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= 9;
  if (compression === undefined || compression === null) {
    if (compressionOpts !== undefined && compressionOpts !== null) throw new InvalidOptionError("toHdf5: compressionOpts without compression; give compression: \"gzip\"");
    return null;
  }
  if (typeof compression === "number") {
    if (!isLevel(compression)) throw new InvalidOptionError(`toHdf5: compression ${compression} is not a gzip level (0–9)`);
    if (compressionOpts !== undefined && compressionOpts !== null) throw new InvalidOptionError("toHdf5: compression given as a gzip level and compressionOpts too (h5py's \"Conflict in compression options\"); give one");
    return compression;
  }
  if (compression === "gzip") {
    if (compressionOpts === undefined || compressionOpts === null) return 4;
    if (!isLevel(compressionOpts)) throw new InvalidOptionError(`toHdf5: compressionOpts ${JSON.stringify(compressionOpts)} is not a gzip level (0–9)`);
    return compressionOpts;
  }
  if (compression === "lzf" || compression === "szip") {
    throw new Hdf5UnsupportedError(`toHdf5: compression "${compression}" is not written by tessera's HDF5 writer (h5wasm); use "gzip", or write Zarr (toZarr) for other codecs`);
  }
  throw new InvalidOptionError(`toHdf5: compression ${JSON.stringify(compression)} is not "gzip" or a gzip level 0–9`);
}

/** The layout of a dataset of `shape` written from an array with `arrayChunks`, or a refusal naming the option. */
export function datasetLayout(options: ToHdf5Options, shape: readonly number[], arrayChunks: readonly (readonly number[])[], where: string): DatasetLayout {
  const level = gzipLevel(options);
  const filters: Array<{ id: number; options: number[]; name: string }> = [];
  if (options.shuffle) filters.push({ id: 2, options: [], name: "shuffle" });
  if (level !== null) filters.push({ id: 1, options: [level], name: "gzip" });
  if (options.fletcher32) filters.push({ id: 3, options: [], name: "fletcher32" });
  if (filters.length > 1) {
    throw new Hdf5UnsupportedError(
      `toHdf5: ${filters.map((f) => f.name).join(" with ")} asks for ${filters.length} filters on one dataset; tessera's HDF5 writer (h5wasm) sets one per dataset. ` +
      "Give one of them (gzip alone compresses), or write Zarr (toZarr), whose codecs combine shuffle and compression",
    );
  }
  const filter = filters.length === 1 ? { id: filters[0].id, options: filters[0].options } : null;
  const spec = options.chunks ?? (options.chunks === null ? false : true);
  const empty = shape.length === 0 || shape.some((n) => n === 0);
  let chunks: number[] | null;
  if (spec === false) chunks = null;
  else if (spec === true) chunks = empty ? null : arrayChunks.map((sizes) => sizes[0]);
  else {
    if (!Array.isArray(spec) || spec.length !== shape.length || spec.some((n) => !Number.isInteger(n) || n <= 0)) {
      throw new InvalidOptionError(`toHdf5: chunks ${JSON.stringify(spec)} for ${where} must be true, false, null or ${shape.length} positive integers`);
    }
    if (spec.some((n, axis) => n > shape[axis])) {
      throw new InvalidOptionError(`toHdf5: chunks [${spec.join(", ")}] for ${where} exceed its shape [${shape.join(", ")}] (h5py refuses a chunk larger than a fixed-size dataset)`);
    }
    chunks = [...spec];
  }
  if (chunks === null && filter !== null) {
    throw new InvalidOptionError(`toHdf5: a filter (compression, shuffle or fletcher32) needs a chunked dataset, and ${where} would be contiguous${empty ? " (it is empty or 0-d)" : " (chunks: false)"}`);
  }
  return { chunks, filter };
}
