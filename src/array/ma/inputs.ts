/** In-memory inputs of ma functions become lazy arrays as da.asanyarray makes them. */
import { tokenize } from "../../core/ids.js";
import type { NDArray } from "../../ndarray/ndarray.js";
import { LazyArray } from "../array.js";
import { normalizeChunks } from "../chunks.js";
import { FromArrayExpr } from "../sources.js";

/** An NDArray chunked as given (an existing array's chunks) or "auto". */
export function chunkedLike(data: NDArray, chunks?: readonly (readonly number[])[]): LazyArray {
  const resolved = chunks !== undefined ? chunks.map((c) => [...c]) : normalizeChunks("auto", data.shape, data.itemsize);
  return new LazyArray(`array-${tokenize(data, resolved)}`, data.shape, resolved, data.dtype, new FromArrayExpr(data));
}
