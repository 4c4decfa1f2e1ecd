/**
 * The v2 `filters` entries tessera runs, checked against the array before any chunk is read
 * or written: a filter that zarrita's codec would run differently from numcodecs is refused,
 * naming the filter and what to do, instead of reading or writing garbage.
 *
 * - delta: zarrita's Delta differences the array's own values and ignores `dtype` and
 *   `astype`; numcodecs views the chunk as `dtype` and stores the differences as `astype`. Only
 *   a delta whose dtype and astype are the array's own type (byte order included) is the same
 *   codec; a complex or bool delta differences (re, im) halves or fails, so it is refused too.
 * - shuffle: shuffle-filter.ts (numcodecs' elementsize, any dtype).
 * - bitround: lossy, decoding is the identity; tessera reads such arrays but cannot write them
 *   (codec-registry.ts's decodeOnlyCodecs).
 *
 * Anything else (fixedscaleoffset, quantize, astype, packbits, categorize, …) is refused by name.
 */
import { type DType, isComplexDType } from "../ndarray/dtype.js";
import { dtypeFromV2 } from "./dtype-map.js";
import { ZarrUnknownCodecError, ZarrUnsupportedError } from "./errors.js";

const runnableFilters = ["delta", "shuffle", "bitround"];

const rewrite = "rewrite the array without it (zarr-python: zarr.array(source[:], filters=None, …)) or keep reading and writing it with zarr-python";

/** Whether two v2 type strings name one NumPy type ("|u1" and "<u1" do). */
function sameV2Type(a: unknown, b: string, where: string): boolean {
  if (a === b) return true;
  if (typeof a !== "string") return false;
  try {
    const [left, right] = [dtypeFromV2(a, where), dtypeFromV2(b, where)];
    return left.dtype === right.dtype && left.endian === right.endian;
  } catch {
    return false;
  }
}

/** Refuses a v2 filter tessera would not run as numcodecs does; `arrayType` is the .zarray dtype ("<i4", ">f8"). */
export function checkV2Filter(id: string, configuration: Record<string, unknown>, arrayType: string, dtype: DType, where: string): void {
  if (!runnableFilters.includes(id)) {
    throw new ZarrUnknownCodecError(
      `${where} has the ${id} filter, which tessera does not implement (it runs the ${runnableFilters.join(", ")} filters); ${rewrite}`,
    );
  }
  if (id !== "delta") return;
  const { dtype: deltaType, astype = deltaType } = configuration;
  if (isComplexDType(dtype) || dtype === "bool") {
    throw new ZarrUnsupportedError(`${where} has a delta filter on ${dtype} data, which tessera cannot run as numcodecs does; ${rewrite}`);
  }
  if (!sameV2Type(deltaType, arrayType, where) || !sameV2Type(astype, arrayType, where)) {
    throw new ZarrUnsupportedError(
      `${where} has a delta filter with dtype ${JSON.stringify(deltaType)} and astype ${JSON.stringify(astype)}; tessera runs delta ` +
        `only in the array's own type ${JSON.stringify(arrayType)} (the stored differences would have another type); ${rewrite}`,
    );
  }
}
