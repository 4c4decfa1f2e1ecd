// Public entry point `tessera/ndarray`: the eager block type and its operations.
export { NDArray, isNDArray, empty, allocate, cStrides, shapeSize } from "./ndarray.js";
export type { Shape } from "./ndarray.js";
export { dtypes, dtypeInfo, isDType, toDType } from "./dtype.js";
export type { DType, TypedArray } from "./dtype.js";
