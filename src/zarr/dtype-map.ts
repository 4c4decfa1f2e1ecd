/**
 * Zarr data types ↔ tessera's DType. v2 stores NumPy type strings ("<u2", ">f4", "|b1"), v3
 * plain names ("uint16") with the byte order in the `bytes` codec. Big-endian data (what
 * Fiji/N5 tools and Java write) is read and written through the `bytes` codec, which swaps
 * bytes on the way in and out; the DType itself is always the machine's (little-endian)
 * order. complex64 / complex128 ("<c8", "<c16", ">c8", ">c16"; v3 "complex64", "complex128") are
 * stored as NumPy lays them out, (re, im) pairs of float32 / float64: the codecs see them as
 * their real halves with a trailing axis of length 2 (codecDataType, chunk-pipeline.ts), so a
 * big-endian complex swaps each half, as NumPy's ">c16" does. Types tessera has no storage for
 * (float16, strings, datetimes, structured) are refused with an error that names the type and
 * the array.
 */
import { InvalidOptionError } from "../core/errors.js";
import { type DType, complexPartDType, dtypeInfo, isComplexDType, isDType } from "../ndarray/dtype.js";
import { ZarrUnsupportedError } from "./errors.js";

const v2Kinds: Record<string, DType> = {
  b1: "bool", i1: "int8", u1: "uint8", i2: "int16", u2: "uint16", i4: "int32", u4: "uint32",
  i8: "int64", u8: "uint64", f4: "float32", f8: "float64", c8: "complex64", c16: "complex128",
};

const supportedList = "bool, int8, uint8, int16, uint16, int32, uint32, int64, uint64, float32, float64, complex64, complex128";

function refuse(zarrType: string, where: string, why = ""): never {
  throw new ZarrUnsupportedError(
    `${where} has data type ${zarrType}${why}, which tessera cannot hold; ` +
      `convert it to one of ${supportedList}, e.g. with zarr-python's astype`,
  );
}

export type ByteOrder = "little" | "big";

/** A v2 `.zarray` dtype ("<u2", ">f4") as a DType and the byte order of the stored chunks. */
export function dtypeFromV2(value: unknown, where: string): { dtype: DType; endian: ByteOrder } {
  if (typeof value !== "string") refuse(JSON.stringify(value), where, " (a structured type)");
  const match = /^([<>|=])([a-zA-Z]\d+)$/.exec(value);
  const dtype = match ? v2Kinds[match[2]] : undefined;
  if (!match || !dtype) refuse(`"${value}"`, where);
  // "=" is the writer's native order; every platform zarr-python runs on today is little-endian.
  return { dtype, endian: match[1] === ">" && dtypeInfo(dtype).itemsize > 1 ? "big" : "little" };
}

/**
 * A new array's dtype option: a tessera DType (stored little-endian) or a NumPy type string as
 * zarr-python takes it (`dtype=">f8"`, "<u2", "|u1"), which also names the stored byte order.
 */
export function dtypeOption(value: unknown): { dtype: DType; endian: ByteOrder } {
  if (isDType(value)) return { dtype: value, endian: "little" };
  if (typeof value === "string" && /^[<>|=]/.test(value)) {
    try {
      return dtypeFromV2(value, "dtype");
    } catch {
      // Falls through to the refusal below, which names both spellings.
    }
  }
  throw new InvalidOptionError(
    `dtype: unknown dtype ${JSON.stringify(value)}; use one of ${supportedList}, or a NumPy type string with its byte order ` +
      `as zarr-python takes it ("<u2", ">f8", "|u1"; big-endian ">" for 2 bytes and more)`,
  );
}

/** The v2 `.zarray` dtype string of a DType stored in `endian` order ("<f8", ">f8", "|u1"). */
export function v2TypeString(dtype: DType, endian: ByteOrder): string {
  const numpy = dtypeInfo(dtype).numpy;
  return endian === "big" && numpy.startsWith("<") ? `>${numpy.slice(1)}` : numpy;
}

/** A v3 `data_type` as a DType; the byte order is the `bytes` codec's, read by the pipeline. */
export function dtypeFromV3(value: unknown, where: string): DType {
  if (typeof value !== "string" || !isDType(value)) refuse(JSON.stringify(value), where);
  return value;
}

/**
 * The name zarrita's codecs know a DType by; bool travels as uint8 so chunks stay Uint8Arrays,
 * complex as its real halves (float32 / float64, with the chunk's trailing pair axis).
 */
export function codecDataType(dtype: DType): string {
  if (dtype === "bool") return "uint8";
  return isComplexDType(dtype) ? complexPartDType(dtype) : dtype;
}
