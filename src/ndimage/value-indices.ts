/**
 * `valueIndices`: scipy.ndimage.value_indices (scipy 1.10): for every distinct value of an integer
 * array, the coordinates of its cells as one int64 index array per axis, in C order — what
 * `np.nonzero(arr == value)` gives, for all values in one pass. The Map's keys come in ascending
 * order (scipy's dict does too); keys are numbers, or bigints for int64/uint64 arrays.
 */
import { InvalidOptionError } from "../core/errors.js";
import { NDArray, cStrides } from "../ndarray/ndarray.js";
import { refuseUnknownOptions } from "./option-names.js";

export interface ValueIndicesOptions {
  /** A value to leave out of the result (scipy's ignore_value), e.g. the background 0. */
  ignoreValue?: number | bigint;
}

const integerDtypes = new Set(["int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64"]);

/** Each value → one int64 array of coordinates per axis (C order of the cells). */
export function valueIndices(input: NDArray, options: ValueIndicesOptions = {}): Map<number | bigint, NDArray[]> {
  if (options === null || typeof options !== "object") throw new InvalidOptionError(`valueIndices options must be an object, got ${JSON.stringify(options)}`);
  refuseUnknownOptions(options, ["ignoreValue"], "valueIndices");
  if (!integerDtypes.has(input.dtype)) {
    throw new InvalidOptionError(`valueIndices: input dtype ${input.dtype} is not an integer dtype; scipy takes only integer arrays`);
  }
  const wide = input.dtype === "int64" || input.dtype === "uint64";
  const ignore = options.ignoreValue;
  if (ignore !== undefined && typeof ignore !== "number" && typeof ignore !== "bigint") {
    throw new InvalidOptionError(`valueIndices: ignoreValue must be a number or bigint, got ${JSON.stringify(ignore)}`);
  }
  const flat = input.toTypedArray() as ArrayLike<number | bigint>;
  const cells = new Map<number | bigint, number[]>();
  for (let p = 0; p < flat.length; p++) {
    const value = flat[p];
    if (ignore !== undefined && (wide ? value === BigInt(ignore) : value === Number(ignore))) continue;
    let list = cells.get(value);
    if (list === undefined) cells.set(value, (list = []));
    list.push(p);
  }
  const ndim = input.ndim;
  const strides = cStrides(input.shape);
  const keys = [...cells.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const result = new Map<number | bigint, NDArray[]>();
  for (const key of keys) {
    const list = cells.get(key) as number[];
    const axes = Array.from({ length: ndim }, () => new BigInt64Array(list.length));
    for (let i = 0; i < list.length; i++) {
      let rest = list[i];
      for (let a = 0; a < ndim; a++) {
        const c = Math.floor(rest / strides[a]);
        axes[a][i] = BigInt(c);
        rest -= c * strides[a];
      }
    }
    result.set(key, axes.map((axis) => new NDArray(axis, [axis.length], { dtype: "int64" })));
  }
  return result;
}
