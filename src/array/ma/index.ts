/**
 * ta.ma: dask.array.ma (Dask 2022.12) with numpy.ma 1.24's semantics; masked-array.ts has the
 * design. Dask's ma module also re-exports asanyarray, blockwise, map_blocks, reduction and
 * normalize_token from dask.array; those are tessera's ordinary ta.* functions, which take
 * plain arrays (use ma.getdata / ma.getmaskarray / ma.filled to hand a masked array to them).
 */
export { MaskedArray } from "./masked-array.js";
export type { MaskedOperand } from "./parts.js";
export {
  maskedArray, maskedWhere, maskedEqual, maskedNotEqual, maskedGreater, maskedGreaterEqual, maskedLess, maskedLessEqual,
  maskedInside, maskedOutside, maskedInvalid, maskedValues, fixInvalid,
  type MaskedArrayOptions, type MaskedValuesOptions, type MaskedInput,
} from "./constructors.js";
export {
  filled, getdata, getmaskarray, setFillValue, count, average, emptyLike, onesLike, zerosLike, concatenate, stack,
  sqrt, log, log2, log10, tan, arcsin, arccos, arccosh, arctanh, exp, abs, negative, sin, cos, remainder, maximum, minimum,
  type MaskedAverageOptions,
} from "./functions.js";
export {
  add, subtract, multiply, divide, floorDivide, power, equal, notEqual, less, lessEqual, greater, greaterEqual, where,
} from "./operators.js";
export { defaultFillValue, minimumFillValue, maximumFillValue, type FillValue } from "../../ndarray/masked-fill-value.js";
