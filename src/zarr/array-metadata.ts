/**
 * Array metadata of both Zarr versions, read into one normalized form and written back.
 *
 * Reading accepts what zarr-python 2.x and OME-Zarr write for v2 (`.zarray` + `.zattrs`,
 * dimension separator "." or "/", C or F order, either byte order, filters, NaN/Infinity/null
 * fill values) and the v3 core spec's `zarr.json` (regular chunk grid, "default" or "v2" chunk
 * keys, a codec list, fill values as numbers, "NaN"-style strings or hex bit patterns).
 *
 * Every number that later sizes something is bounded here, before anything is allocated from
 * it: shape and chunk entries are safe integers (a JSON 1e300 is an "integer" to JavaScript),
 * and one chunk fits in one buffer. `where` names the metadata file in these errors.
 */
import { constants as bufferConstants } from "node:buffer";
import type { DType } from "../ndarray/dtype.js";
import { complexPartDType, dtypeInfo, isComplexDType } from "../ndarray/dtype.js";
import type { ComplexValue } from "../ndarray/ndarray.js";
import type { ZarrFillValue } from "./element-copy.js";
import {
  type CodecEntryMetadata, type ResolvedCompressor, describeCodec, v2CompressorJson, v3CompressorCodecs,
} from "./compressor-spec.js";
import { type ByteOrder, dtypeFromV2, dtypeFromV3, v2TypeString } from "./dtype-map.js";
import { ZarrMetadataError } from "./errors.js";
import { checkV2Filter } from "./v2-filters.js";
import { PythonFloat, attributesJson } from "./metadata-json.js";

export interface ArrayMetadata {
  zarrFormat: 2 | 3;
  shape: number[];
  chunks: number[];
  dtype: DType;
  /** A bigint only for an int64/uint64 fill value past 2^53, read exactly (metadata-json.ts); { re, im } for complex. */
  fillValue: ZarrFillValue;
  order: "C" | "F";
  /** The whole chain in v3 form: array codecs, `bytes`, byte codecs. */
  codecs: CodecEntryMetadata[];
  /** The chunk key relative to the array's node ("0.0", "c/0/0"). */
  chunkKey: (coords: readonly number[]) => string;
  compressor: string;
  attributes: Record<string, unknown>;
}

/** The most bytes one decoded chunk may have: what one buffer can hold. */
export const maxChunkBytes = bufferConstants.MAX_LENGTH;

/** Axes an array may have (NumPy's limit). */
const maxDimensions = 32;

function integerList(value: unknown, field: string, where: string, minimum: number): number[] {
  if (!Array.isArray(value) || value.length > maxDimensions || !value.every((n) => Number.isSafeInteger(n) && n >= minimum)) {
    throw new ZarrMetadataError(
      `${where}: "${field}" must be a list of at most ${maxDimensions} integers from ${minimum} to 2^53 - 1, found ${JSON.stringify(value)}`,
    );
  }
  return value as number[];
}

function checkChunks(shape: number[], chunks: number[], dtype: DType, where: string, field: string): void {
  if (chunks.length !== shape.length) {
    throw new ZarrMetadataError(`${where}: ${field} [${chunks.join(", ")}] and shape [${shape.join(", ")}] differ in length`);
  }
  const bytes = chunks.reduce((product, n) => product * n, dtypeInfo(dtype).itemsize);
  if (bytes > maxChunkBytes) {
    throw new ZarrMetadataError(
      `${where}: "${field}" [${chunks.join(", ")}] makes chunks of ${bytes} bytes of ${dtype}, more than one buffer holds ` +
        `(${maxChunkBytes}); tessera cannot decode such chunks: rewrite the array with smaller chunks`,
    );
  }
}

const namedNumbers: Record<string, number> = { NaN: NaN, Infinity: Infinity, "-Infinity": -Infinity };

function hexFloat(text: string, dtype: DType): number | undefined {
  if (!/^0x[0-9a-fA-F]+$/.test(text)) return undefined;
  const view = new DataView(new ArrayBuffer(8));
  if (dtype === "float32") {
    view.setUint32(0, Number.parseInt(text.slice(2), 16));
    return view.getFloat32(0);
  }
  if (dtype === "float64") {
    view.setBigUint64(0, BigInt(text));
    return view.getFloat64(0);
  }
  return undefined;
}

/** A complex fill value: [re, im] as zarr-python 2.13 writes it (each part a number or "NaN" / "Infinity" / "-Infinity"), or one number. */
function parseComplexFillValue(value: unknown, dtype: DType, where: string): ZarrFillValue {
  if (value === null || value === undefined) return null;
  const part = complexPartDType(dtype);
  if (Array.isArray(value) && value.length === 2) {
    const [re, im] = value.map((half) => parseFillValue(half, part, where));
    if (typeof re === "number" && typeof im === "number") return { re, im };
  }
  const single = parseFillValue(value, part, where);
  if (typeof single === "number") return { re: single, im: 0 };
  throw new ZarrMetadataError(`${where}: fill_value ${JSON.stringify(value)} is not [re, im] for dtype ${dtype}`);
}

function parseFillValue(value: unknown, dtype: DType, where: string): ZarrFillValue {
  if (value === null || value === undefined) return null;
  if (isComplexDType(dtype)) return parseComplexFillValue(value, dtype, where);
  if (typeof value === "bigint") {
    const bits = BigInt(dtypeInfo(dtype).itemsize * 8);
    const range = dtype === "int64" ? [-(1n << (bits - 1n)), (1n << (bits - 1n)) - 1n] : dtype === "uint64" ? [0n, (1n << bits) - 1n] : undefined;
    if (range && value >= range[0] && value <= range[1]) return value;
    if (!range && dtypeInfo(dtype).kind === "f") return Number(value);
    throw new ZarrMetadataError(`${where}: fill_value ${value} is out of range for dtype ${dtype}`);
  }
  if (typeof value === "number") return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "string") {
    if (value in namedNumbers) return namedNumbers[value];
    const bits = hexFloat(value, dtype);
    if (bits !== undefined) return bits;
  }
  throw new ZarrMetadataError(`${where}: fill_value ${JSON.stringify(value)} is not a number for dtype ${dtype}`);
}

function v2ChunkKey(separator: string): (coords: readonly number[]) => string {
  return (coords) => (coords.length === 0 ? "0" : coords.join(separator));
}

/** A chunk key separator: only "." and "/" exist in either version, anything else is refused. */
function separatorOf(value: unknown, fallback: "." | "/", where: string, field: string): "." | "/" {
  const separator = value ?? fallback;
  if (separator !== "." && separator !== "/") {
    throw new ZarrMetadataError(`${where}: ${field} ${JSON.stringify(separator)} must be "." or "/"`);
  }
  return separator;
}

/** Normalizes a parsed `.zarray` (and `.zattrs`). `where` names the array in errors. */
export function parseV2ArrayMetadata(zarray: Record<string, unknown>, attributes: Record<string, unknown>, where: string): ArrayMetadata {
  if (zarray.zarr_format !== 2) throw new ZarrMetadataError(`${where}: .zarray says zarr_format ${JSON.stringify(zarray.zarr_format)}, expected 2`);
  const shape = integerList(zarray.shape, "shape", where, 0);
  const chunks = integerList(zarray.chunks, "chunks", where, 1);
  const { dtype, endian } = dtypeFromV2(zarray.dtype, where);
  checkChunks(shape, chunks, dtype, where, "chunks");
  const order = zarray.order === "F" ? "F" : "C";
  if (zarray.order !== "C" && zarray.order !== "F") throw new ZarrMetadataError(`${where}: order ${JSON.stringify(zarray.order)} must be "C" or "F"`);
  const separator = separatorOf(zarray.dimension_separator, ".", where, "dimension_separator");
  const codecs: CodecEntryMetadata[] = [];
  const described: string[] = [];
  if (order === "F") codecs.push({ name: "transpose", configuration: { order: "F" } });
  const itemsize = dtypeInfo(dtype).itemsize;
  const numcodecsEntry = (config: unknown, field: string): CodecEntryMetadata => {
    if (config === null || typeof config !== "object" || typeof (config as { id?: unknown }).id !== "string") {
      throw new ZarrMetadataError(`${where}: ${field} ${JSON.stringify(config)} must be an object with an "id"`);
    }
    const { id, ...configuration } = config as Record<string, unknown>;
    if (field === "filter") checkV2Filter(String(id), configuration, String(zarray.dtype), dtype, where);
    described.push(describeCodec(String(id), configuration, itemsize));
    return { name: `numcodecs.${String(id)}`, configuration };
  };
  const filters = zarray.filters ?? [];
  if (!Array.isArray(filters)) throw new ZarrMetadataError(`${where}: filters must be null or a list`);
  // Listed as zarrita's own v2 conversion lists them; the pipeline sorts codecs by kind.
  codecs.push(...filters.map((filter) => numcodecsEntry(filter, "filter")));
  codecs.push({ name: "bytes", configuration: { endian } });
  if (zarray.compressor !== null && zarray.compressor !== undefined) codecs.push(numcodecsEntry(zarray.compressor, "compressor"));
  return {
    zarrFormat: 2, shape, chunks, dtype, order,
    fillValue: parseFillValue(zarray.fill_value, dtype, where),
    codecs,
    chunkKey: v2ChunkKey(separator),
    compressor: described.length === 0 ? "none" : described.join(" + "),
    attributes,
  };
}

function v3CodecList(value: unknown, where: string): CodecEntryMetadata[] {
  if (!Array.isArray(value)) throw new ZarrMetadataError(`${where}: "codecs" must be a list`);
  return value.map((entry) => {
    if (typeof entry === "string") return { name: entry };
    if (entry === null || typeof entry !== "object" || typeof (entry as { name?: unknown }).name !== "string") {
      throw new ZarrMetadataError(`${where}: codec ${JSON.stringify(entry)} must be an object with a "name"`);
    }
    const { name, configuration } = entry as { name: string; configuration?: Record<string, unknown> };
    return { name, configuration };
  });
}

/** Normalizes a parsed v3 `zarr.json` whose node_type is "array". */
export function parseV3ArrayMetadata(document: Record<string, unknown>, where: string): ArrayMetadata {
  if (document.zarr_format !== 3) throw new ZarrMetadataError(`${where}: zarr.json says zarr_format ${JSON.stringify(document.zarr_format)}, expected 3`);
  const shape = integerList(document.shape, "shape", where, 0);
  const grid = document.chunk_grid as { name?: unknown; configuration?: { chunk_shape?: unknown } } | undefined;
  if (grid?.name !== "regular") throw new ZarrMetadataError(`${where}: chunk_grid ${JSON.stringify(grid?.name)} is not "regular"`);
  const chunks = integerList(grid.configuration?.chunk_shape, "chunk_shape", where, 1);
  const codecs = v3CodecList(document.codecs, where);
  const dtype = dtypeFromV3(document.data_type, where);
  checkChunks(shape, chunks, dtype, where, "chunk_shape");
  const endian = codecs.find((codec) => codec.name === "bytes")?.configuration?.endian;
  if (endian !== undefined && endian !== "little" && endian !== "big") {
    throw new ZarrMetadataError(`${where}: the bytes codec's endian ${JSON.stringify(endian)} must be "little" or "big"`);
  }
  const encoding = (document.chunk_key_encoding ?? { name: "default" }) as { name?: unknown; configuration?: { separator?: unknown } };
  let chunkKey: ArrayMetadata["chunkKey"];
  if (encoding.name === "default") {
    const separator = separatorOf(encoding.configuration?.separator, "/", where, "chunk_key_encoding separator");
    chunkKey = (coords) => ["c", ...coords].join(separator);
  } else if (encoding.name === "v2") {
    chunkKey = v2ChunkKey(separatorOf(encoding.configuration?.separator, ".", where, "chunk_key_encoding separator"));
  } else {
    throw new ZarrMetadataError(`${where}: chunk_key_encoding ${JSON.stringify(encoding.name)} is not "default" or "v2"`);
  }
  const transpose = codecs.find((codec) => codec.name === "transpose");
  const transposeOrder = transpose?.configuration?.order;
  const reversed = Array.isArray(transposeOrder) && transposeOrder.every((axis, i) => axis === shape.length - 1 - i);
  const order = transposeOrder === "F" || (reversed && shape.length > 1) ? "F" : "C";
  const itemsize = dtypeInfo(dtype).itemsize;
  const described = codecs
    .filter((codec) => codec.name !== "bytes" && codec.name !== "transpose")
    .map((codec) => describeCodec(codec.name, codec.configuration, itemsize));
  const attributes = document.attributes;
  return {
    zarrFormat: 3, shape, chunks, dtype, order, codecs, chunkKey,
    fillValue: parseFillValue(document.fill_value, dtype, where),
    compressor: described.length === 0 ? "none" : described.join(" + "),
    attributes: attributes !== null && typeof attributes === "object" ? (attributes as Record<string, unknown>) : {},
  };
}

export interface NewArrayDescription {
  shape: number[];
  chunks: number[];
  dtype: DType;
  fillValue: number | ComplexValue | null;
  compressor: ResolvedCompressor | null;
  attributes: Record<string, unknown>;
  /** v2 chunk keys: "0.1" (default) or nested "0/1". */
  dimensionSeparator?: "." | "/";
  /** v2 only: the stored layout of each chunk's elements (default "C"). */
  order?: "C" | "F";
  /** The stored byte order (default little): a v2 dtype's ">", a v3 `bytes` codec's endian. */
  endian?: ByteOrder;
}

/**
 * A fill value as zarr-python writes it: true/false for bool, a Python float for float types,
 * an integer in all its digits (a bigint past 2^53, which JSON.stringify would round in its text).
 */
function fillValueJson(dtype: DType, value: number | ComplexValue | null): unknown {
  if (value === null) return null;
  // complex: [re, im], each a Python float (zarr-python 2.13's encode_fill_value for kind "c").
  if (isComplexDType(dtype)) {
    const [re, im] = typeof value === "number" ? [value, 0] : [value.re, value.im];
    return [new PythonFloat(re), new PythonFloat(im)];
  }
  if (typeof value !== "number") throw new ZarrMetadataError(`fill_value ${JSON.stringify(value)} is not a number for dtype ${dtype}`);
  if (dtype === "bool") return value !== 0;
  if (dtypeInfo(dtype).kind === "f") return new PythonFloat(value);
  return Number.isSafeInteger(value) ? value : BigInt(value);
}

/**
 * A v2 fill value as zarr-python 2.13 stores it: one equal to zero (-0.0, complex(0, -0.0))
 * becomes zero itself (its normalize_fill_value), so the .zarray text and the edge padding are its.
 */
function zarrPythonFill(value: number | ComplexValue | null): number | ComplexValue | null {
  if (typeof value === "number") return value === 0 ? 0 : value;
  return value !== null && value.re === 0 && value.im === 0 ? { re: 0, im: 0 } : value;
}

/** The `.zarray` zarr-python 2.13 writes for these options (which names the separator only when it is "/"). */
export function v2ArrayDocument(array: NewArrayDescription): Record<string, unknown> {
  return {
    ...(array.dimensionSeparator === "/" ? { dimension_separator: "/" } : {}),
    zarr_format: 2,
    shape: array.shape,
    chunks: array.chunks,
    dtype: v2TypeString(array.dtype, array.endian ?? "little"),
    compressor: v2CompressorJson(array.compressor),
    fill_value: fillValueJson(array.dtype, zarrPythonFill(array.fillValue)),
    order: array.order ?? "C",
    filters: null,
  };
}

/** A v3 `zarr.json` for an array, per the v3.0 core spec. */
export function v3ArrayDocument(array: NewArrayDescription): Record<string, unknown> {
  return {
    zarr_format: 3,
    node_type: "array",
    shape: array.shape,
    data_type: array.dtype,
    chunk_grid: { name: "regular", configuration: { chunk_shape: array.chunks } },
    chunk_key_encoding: { name: "default", configuration: { separator: "/" } },
    fill_value: fillValueJson(array.dtype, array.fillValue ?? 0),
    codecs: [{ name: "bytes", configuration: { endian: array.endian ?? "little" } }, ...v3CompressorCodecs(array.compressor, array.dtype)],
    attributes: attributesJson(array.attributes, 3),
  };
}

export const v2GroupDocument = { zarr_format: 2 };
export const v3GroupDocument = { zarr_format: 3, node_type: "group", attributes: {} };
