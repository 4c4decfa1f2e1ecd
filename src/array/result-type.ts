/**
 * np.result_type / da.result_type: the dtype NumPy's promotion gives a mix of arrays (lazy or
 * in memory), dtype names and scalars (ndarray/promotion.ts: scalars by NEP 50, as every
 * tessera operation promotes them).
 */
import { InvalidOptionError } from "../core/errors.js";
import * as nd from "../ndarray/index.js";
import type { DType } from "../ndarray/dtype.js";
import { LazyArray } from "./array.js";

export function resultType(...args: Array<LazyArray | nd.NDArray | DType | string | number | bigint | boolean>): DType {
  if (args.length === 0) throw new InvalidOptionError("resultType: give at least one array, dtype or scalar");
  return nd.resultType(...args.map((arg) => (arg instanceof LazyArray ? arg.dtype : arg)));
}
