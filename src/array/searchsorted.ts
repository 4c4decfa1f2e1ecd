/**
 * da.searchsorted(a, v, side) with Dask's graph: for every pair (block i of the sorted 1-d a,
 * block of v) the block's own insertion indices, 0s marked −1 (searchsortedBlock); block i's
 * offset (the length of the blocks before it) added to the others; the maximum over i; the
 * remaining −1s (v before every element of a) set to 0. Since a is sorted as a whole, the
 * last block whose elements lie before v gives the global index, for either side and NaN
 * (sorted last) alike. The result is int64, chunked as v.
 */
import { InvalidOptionError } from "../core/errors.js";
import { tokenize } from "../core/ids.js";
import * as nd from "../ndarray/index.js";
import { readSide, searchsortedBlock, type SearchsortedOptions } from "../ndarray/searchsorted.js";
import { LazyArray, mapBlocksOf } from "./array.js";
import { FromArrayExpr } from "./sources.js";
import { where } from "./ufuncs.js";

/** da.searchsorted(a, v, { side }): int64 insertion indices of the lazy v into the sorted lazy 1-d a, chunked as v. */
export function searchsorted(a: LazyArray, v: LazyArray, options: SearchsortedOptions = {}): LazyArray {
  if (!(a instanceof LazyArray) || !(v instanceof LazyArray)) throw new InvalidOptionError("searchsorted: a and v must be lazy arrays (ta.fromArray makes one)");
  if (a.ndim !== 1) throw new InvalidOptionError(`searchsorted: input array a must be one dimensional, got shape [${a.shape.join(", ")}]`);
  const side = readSide(options, "searchsorted");
  const blocks = a.chunks[0].length;
  const trailing = v.shape.map(() => 1);
  // a along a new leading axis, v behind it: each block of a meets every block of v.
  const perBlock = mapBlocksOf(searchsortedBlock, [a.reshape([a.shape[0], ...trailing]), v.reshape([1, ...v.shape])], {
    chunks: [new Array<number>(blocks).fill(1), ...v.chunks.map((sizes) => [...sizes])], dtype: "int64", name: "searchsorted",
  }, { side });
  const starts = new BigInt64Array(blocks);
  for (let i = 1; i < blocks; i++) starts[i] = starts[i - 1] + BigInt(a.chunks[0][i - 1]);
  const offsetData = nd.fromTypedArray(starts, [blocks, ...trailing]);
  const offsetChunks = [new Array<number>(blocks).fill(1), ...trailing.map(() => [1])];
  const offsets = new LazyArray(`searchsorted-offsets-${tokenize(offsetData)}`, offsetData.shape, offsetChunks, "int64", new FromArrayExpr(offsetData));
  const placed = where(perBlock.lt(0), perBlock, perBlock.add(offsets)).max({ axis: 0 });
  return where(placed.eq(-1), 0, placed);
}
