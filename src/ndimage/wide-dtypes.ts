/**
 * int64, uint64 and bool inputs of the rank filters (median, rank, percentile, minimum,
 * maximum and their 1-d forms), filtered as scipy 1.10 filters them: its rank and min/max
 * loops read every value into a double and store the double result with a C cast. So an
 * int64/uint64 input is filtered as float64 (values past 2^53 round to the nearest double, as
 * in scipy) and cast back; the cast of the cval to the input type is C's truncation, and the
 * selection commutes with it. bool (npy_bool, one byte) is filtered as uint8: its cval is cast
 * to a byte as scipy casts it, and the result keeps the bytes scipy stores (a cval of 7 at the
 * border stays the byte 7, which NumPy reads as True).
 * The output dtype of these inputs is the input's; another is refused (cast the input first).
 */
import { InvalidOptionError } from "../core/errors.js";
import { astype } from "../ndarray/copy.js";
import { NDArray } from "../ndarray/ndarray.js";

const wideDtypes: ReadonlySet<string> = new Set(["int64", "uint64", "bool"]);

interface WideOptions {
  output?: unknown;
  cval?: unknown;
}

/**
 * The filter `run` of an int64, uint64 or bool input, through a dtype the filter loops take;
 * null for any other input (the caller filters it directly).
 */
export function filterWideDtype<O extends WideOptions>(input: NDArray, options: O | undefined, run: (input: NDArray, options: O) => NDArray, what: string): NDArray | null {
  const dtype = input.dtype;
  if (!wideDtypes.has(dtype)) return null;
  const output = options?.output;
  if (output !== undefined && output !== dtype) {
    throw new InvalidOptionError(`${what}: a ${dtype} input is filtered into ${dtype} only, got output ${JSON.stringify(output)}; cast the input to the dtype you want first`);
  }
  const { output: _output, ...rest } = (options ?? {}) as O;
  if (dtype === "bool") {
    const result = run(astype(input, "uint8"), rest as O);
    return new NDArray(result.data, result.shape, { dtype: "bool" });
  }
  const cval = options?.cval ?? 0;
  if (typeof cval !== "number" || !Number.isFinite(cval) || (dtype === "uint64" && cval <= -1)) {
    throw new InvalidOptionError(`${what}: cval ${JSON.stringify(cval)} has no ${dtype} value (C's cast of it is undefined in scipy); use a finite${dtype === "uint64" ? ", non-negative" : ""} cval`);
  }
  const truncated = BigInt(Math.trunc(cval));
  const cvalInInputType = Number(dtype === "int64" ? BigInt.asIntN(64, truncated) : BigInt.asUintN(64, truncated));
  const result = run(astype(input, "float64"), { ...rest, cval: cvalInInputType } as O);
  const values = result.toTypedArray() as Float64Array;
  // Every result is an input value or the cval, both whole numbers: the cast back is exact
  // (2^63, where int64 values near the top round to, wraps as x86's conversion does).
  const data = dtype === "int64" ? BigInt64Array.from(values, (x) => BigInt(x)) : BigUint64Array.from(values, (x) => BigInt(x));
  return new NDArray(data, result.shape, { dtype });
}
