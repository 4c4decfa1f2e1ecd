/**
 * Zarr data types ↔ tessera's DType. v2 stores NumPy type strings ("<u2", ">f4", "|b1"), v3
 * plain names ("uint16") with the byte order in the `bytes` codec. Big-endian data (what
 * Fiji/N5 tools and Java write) is read and written through the `bytes` codec, which swaps
 * bytes on the way in and out; the DType itself is always the machine's (little-endian)
 * order. Types tessera has no storage for (float16, complex, strings, datetimes, structured)
 * are refused with an error that names the type and the array.
 */
import { type DType, dtypeInfo, isComplexDType, isDType } from "../ndarray/dtype.js";
import { ZarrUnsupportedError } from "./errors.js";

const v2Kinds: Record<string, DType> = {
  b1: "bool", i1: "int8", u1: "uint8", i2: "int16", u2: "uint16", i4: "int32", u4: "uint32",
  i8: "int64", u8: "uint64", f4: "float32", f8: "float64",
};

const supportedList = "bool, int8, uint8, int16, uint16, int32, uint32, int64, uint64, float32, float64";

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

/** A v3 `data_type` as a DType; the byte order is the `bytes` codec's, read by the pipeline. */
export function dtypeFromV3(value: unknown, where: string): DType {
  // complex64 / complex128 are tessera dtypes, but its Zarr codecs hold real dtypes only.
  if (typeof value !== "string" || !isDType(value) || isComplexDType(value)) refuse(JSON.stringify(value), where);
  return value;
}

/** The name zarrita's codecs know a DType by; bool travels as uint8 so chunks stay Uint8Arrays. */
export function codecDataType(dtype: DType): string {
  return dtype === "bool" ? "uint8" : dtype;
}
