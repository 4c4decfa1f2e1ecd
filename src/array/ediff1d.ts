/**
 * Lazy np.ediff1d, built as Dask 2022.12 builds it, for its chunks: the array flattened,
 * `flat[1:] − flat[:−1]` (the two slices' chunks refined against each other), and the
 * `toBegin` / `toEnd` values as one block each, concatenated. Values and dtype are NumPy's
 * (ndarray/ediff1d.ts): the edge values are cast to the array's dtype under same_kind, where
 * Dask's concatenate would promote (its int8 array with int64 edges gives int64).
 */
import { edgeIn, readEdiff1d, type EdgeValues, type Ediff1dOptions } from "../ndarray/ediff1d.js";
import { InvalidOptionError } from "../core/errors.js";
import { LazyArray } from "./array.js";
import { concatenateNodes } from "./concatenate.js";
import { FromArrayExpr } from "./sources.js";
import { tokenize } from "../core/ids.js";

/** flat[1:] − flat[:−1] with toBegin before and toEnd after (da.ediff1d; NumPy's dtype). */
export function ediff1d(ary: LazyArray, options?: Ediff1dOptions): LazyArray {
  if (!(ary instanceof LazyArray)) throw new InvalidOptionError(`ediff1d: expected a tessera array, got ${String(ary)} (wrap an NDArray with ta.fromArray)`);
  const given = readEdiff1d("ediff1d", ary, options);
  const flat = ary.reshape([-1]);
  const parts: LazyArray[] = [flat.get({ start: 1 }).sub(flat.get({ stop: -1 }))];
  const edge = (name: string, values: EdgeValues) => {
    // One block, as Dask's asarray(to_begin).flatten().
    const data = edgeIn("ediff1d", name, values, ary.dtype);
    const chunks = [[data.size]];
    return new LazyArray(`array-${tokenize(data, chunks)}`, data.shape, chunks, data.dtype, new FromArrayExpr(data));
  };
  if (given.toBegin !== undefined && given.toBegin !== null) parts.unshift(edge("toBegin", given.toBegin));
  if (given.toEnd !== undefined && given.toEnd !== null) parts.push(edge("toEnd", given.toEnd));
  return parts.length === 1 ? parts[0] : LazyArray.of(concatenateNodes(parts, 0));
}
