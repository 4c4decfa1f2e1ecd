/**
 * What a dataset is, as tessera reads it: its shape, the dtype h5py would give it, its HDF5
 * chunks and filters, checked before any data is read so that what cannot be read is refused
 * by name. dtypes: the integers and floats of 1 to 8 bytes in either byte order (read as
 * values, native order), h5py's bool (an enum {FALSE: 0, TRUE: 1} of int8) and h5py's complex
 * (a compound {r, i} of two floats of one size). Filters: those the HDF5 library in h5wasm
 * decodes; a dataset with any other filter (lzf, blosc, bitshuffle, zstd, … plugins) would
 * read as garbage or fail mid-compute, so it is refused up front.
 */
import type { Dataset, Entity, File, Group, Metadata } from "h5wasm/node";
import type { DType } from "../ndarray/dtype.js";
import { Hdf5FormatError, Hdf5NotFoundError, Hdf5UnsupportedError } from "./errors.js";
import { hdf5Failure } from "./h5wasm-module.js";

export interface DatasetInfo {
  readonly shape: number[];
  readonly dtype: DType;
  /** The dataset's HDF5 chunk shape; null for a contiguous or compact dataset. */
  readonly storedChunks: number[] | null;
  readonly filters: Array<{ id: number; name: string }>;
}

/** The filters the HDF5 library inside h5wasm applies itself (deflate, shuffle, fletcher32, szip, nbit, scaleoffset). */
export const decodedFilterIds: ReadonlySet<number> = new Set([1, 2, 3, 4, 5, 6]);

/** Registered plugin filters users meet most, for the message when the file does not name one. */
const pluginFilterNames: Readonly<Record<number, string>> = {
  305: "lzo", 307: "bzip2", 32000: "lzf", 32001: "blosc", 32004: "lz4", 32008: "bitshuffle", 32013: "zfp",
  32015: "zstd", 32017: "sz", 32018: "fcidecomp", 32026: "blosc2", 32028: "sz3",
};

const classNames = ["integer", "float", "time", "string", "bitfield", "opaque", "compound", "reference", "enum", "variable-length", "array"];

/** A dtype in words, as a refusal names it: "string of 2 bytes", "compound {x: integer, y: float}". */
function describeType(metadata: Metadata): string {
  const name = classNames[metadata.type] ?? `class ${metadata.type}`;
  if (metadata.type === 6 && metadata.compound_type) return `compound {${metadata.compound_type.members.map((m) => `${m.name}: ${describeType(m)}`).join(", ")}}`;
  if (metadata.type === 3) return `${metadata.vlen ? "variable-length" : "fixed-length"} string${metadata.vlen ? "" : ` of ${metadata.size} bytes`}`;
  if (metadata.type === 8 && metadata.enum_type) return `enum {${Object.entries(metadata.enum_type.members).map(([k, v]) => `${k}: ${v}`).join(", ")}} of ${metadata.size} bytes`;
  return `${name} of ${metadata.size} bytes`;
}

const integerTypes: Record<string, DType> = { "1s": "int8", "2s": "int16", "4s": "int32", "8s": "int64", "1u": "uint8", "2u": "uint16", "4u": "uint32", "8u": "uint64" };

/** The tessera dtype of a dataset's HDF5 type, or a refusal naming the type. */
export function dtypeOfMetadata(metadata: Metadata, where: string): DType {
  if (metadata.type === 0) {
    const dtype = integerTypes[`${metadata.size}${metadata.signed ? "s" : "u"}`];
    if (dtype) return dtype;
  }
  if (metadata.type === 1 && (metadata.size === 4 || metadata.size === 8)) return metadata.size === 4 ? "float32" : "float64";
  if (metadata.type === 8 && metadata.enum_type && metadata.size === 1) {
    const members = metadata.enum_type.members;
    const keys = Object.keys(members).sort();
    if (metadata.enum_type.type === 0 && keys.length === 2 && keys[0] === "FALSE" && keys[1] === "TRUE" && members.FALSE === 0 && members.TRUE === 1) return "bool";
  }
  if (metadata.type === 6 && metadata.compound_type && metadata.compound_type.nmembers === 2) {
    const [real, imag] = metadata.compound_type.members;
    const half = metadata.size / 2;
    const isFloat = (m: Metadata) => m.type === 1 && m.size === half;
    if (real.name === "r" && imag.name === "i" && isFloat(real) && isFloat(imag) && real.offset === 0 && imag.offset === half && (half === 4 || half === 8)) {
      return half === 4 ? "complex64" : "complex128";
    }
  }
  throw new Hdf5UnsupportedError(
    `${where} holds ${describeType(metadata)}, which tessera does not read: it reads integers and floats (1 to 8 bytes, either byte order), ` +
    "bool (h5py's enum) and complex (h5py's {r, i}); convert the dataset with h5py (e.g. astype) to one of those",
  );
}

/** The names a group holds, for a message: "a, b, c" or "nothing". */
function listing(group: Group): string {
  const keys = group.keys();
  const names = keys.map((key) => JSON.stringify(key));
  return names.length === 0 ? "nothing" : names.length > 20 ? `${names.slice(0, 20).join(", ")} and ${names.length - 20} more` : names.join(", ");
}

/** The dataset `name` of `file` (a path such as "/t00000/s00/0/cells"), or an error listing what the file holds at that level. */
export function findDataset(file: File, name: string, where: string): Dataset {
  const parts = name.split("/").filter((part) => part !== "");
  const path = `/${parts.join("/")}`;
  let group: Group = file;
  let walked = "";
  for (const [i, part] of parts.entries()) {
    const found: Entity | null = group.keys().includes(part) ? group.get(part) : null;
    const here = `${walked}/${part}`;
    // References have no `type`: they are values, not objects a path names.
    const entity = found as (Entity & { type?: string }) | null;
    if (entity === null) throw new Hdf5NotFoundError(`${where}: no dataset ${path}: ${walked || "/"} holds ${listing(group)}`);
    if (i === parts.length - 1) {
      if (entity.type === "Dataset") return entity as Dataset;
      if (entity.type === "Group") throw new Hdf5NotFoundError(`${where}: ${path} is a group, not a dataset; it holds ${listing(entity as Group)}: name a dataset inside it`);
      throw new Hdf5UnsupportedError(`${where}: ${path} is ${entity.type === "ExternalLink" ? "an external link" : entity.type === "BrokenSoftLink" ? "a broken soft link" : `a ${entity.type}`}, not a dataset; name the dataset it points to`);
    }
    if (entity.type !== "Group") throw new Hdf5NotFoundError(`${where}: no dataset ${path}: ${here} is a ${entity.type}, not a group`);
    group = entity as Group;
    walked = here;
  }
  throw new Hdf5NotFoundError(`${where}: ${JSON.stringify(name)} names the root group, not a dataset; it holds ${listing(file)}`);
}

/** Shape, dtype, chunks and filters of `dataset`, refusing what tessera cannot read. */
export function describeDataset(dataset: Dataset, where: string): DatasetInfo {
  let metadata: Metadata;
  let stored: Array<{ id: number; name: string }>;
  try {
    metadata = dataset.metadata;
    stored = dataset.filters;
  } catch (error) {
    throw new Hdf5FormatError(`${where}: HDF5 cannot open the dataset: ${hdf5Failure(error)}`, { cause: error });
  }
  if (metadata.shape === null) throw new Hdf5UnsupportedError(`${where} has a null dataspace (h5py.Empty): it holds no array, not even a 0-d one`);
  if (metadata.virtual_sources && metadata.virtual_sources.length > 0) {
    throw new Hdf5UnsupportedError(`${where} is a virtual dataset (its data lives in ${metadata.virtual_sources.map((s) => s.file_name).join(", ")}); read the source datasets, or copy it into a real one with h5py or h5repack`);
  }
  const dtype = dtypeOfMetadata(metadata, where);
  const filters = stored.map(({ id, name }) => ({ id, name }));
  const unread = filters.filter(({ id }) => !decodedFilterIds.has(id));
  if (unread.length > 0) {
    const names = unread.map(({ id, name }) => `${name || pluginFilterNames[id] || "an unregistered filter"} (filter id ${id})`).join(", ");
    throw new Hdf5UnsupportedError(
      `${where} is compressed with ${names}, which tessera's HDF5 reader (h5wasm) cannot decode; it reads deflate/gzip, shuffle, fletcher32, szip, nbit and scaleoffset. ` +
      "Convert the file first, e.g. `h5repack -f GZIP=4 in.h5 out.h5` (or `-f NONE`), or copy the dataset to Zarr and use fromZarr",
    );
  }
  return { shape: [...metadata.shape], dtype, storedChunks: metadata.chunks ? [...metadata.chunks] : null, filters };
}
