/**
 * da.unravel_index and da.ravel_multi_index: blockwise over the indices' chunks, as Dask's
 * (each coordinate array keeps the indices' chunks; the flat index takes the broadcast
 * coordinates' chunks). Bounds are checked per block when computed, with NumPy's messages;
 * dims, modes and dtypes are checked here, when the graph is built. unravelIndex of a 0-d lazy
 * argmax gives 0-d coordinates: "where is the brightest voxel" stays lazy.
 */
import { InvalidOptionError } from "../core/errors.js";
import { dtypeInfo } from "../ndarray/dtype.js";
import { checkDims, checkModes, ravelMultiIndexBlock, refuseEmptyDims, unravelIndexAxis, type RavelMultiIndexOptions } from "../ndarray/unravel-index.js";
import { LazyArray } from "./array.js";
import { elementwiseNode } from "./elementwise.js";
import { refuseUnknownOptions } from "./option-checks.js";

function requireIntegerArray(x: unknown, what: string, i?: number): LazyArray {
  const which = i === undefined ? "indices" : `multiIndex item ${i}`;
  if (!(x instanceof LazyArray)) throw new InvalidOptionError(`${what}: ${which} must be a lazy array`);
  // Dask's ravel_multi_index refuses unsigned coordinates too; NumPy would cast them.
  const kind = dtypeInfo(x.dtype).kind;
  if (kind === "f" || (i !== undefined && kind !== "i")) throw new InvalidOptionError(`${what}: only int indices permitted, ${which} has dtype ${x.dtype}`);
  return x;
}

/** da.unravel_index(indices, shape): one lazy int64 coordinate array per dimension, chunked as the indices. */
export function unravelIndex(indices: LazyArray, shape: readonly number[] | number): LazyArray[] {
  const x = requireIntegerArray(indices, "unravelIndex");
  const dims = checkDims(shape, "unravelIndex");
  return dims.map((_, axis) => LazyArray.of(elementwiseNode(unravelIndexAxis, [x], "int64", { shape: dims, axis })));
}

/** da.ravel_multi_index(multiIndex, dims, { mode }): the lazy int64 flat index of each broadcast coordinate tuple. */
export function ravelMultiIndex(multiIndex: readonly LazyArray[], dims: readonly number[] | number, options: RavelMultiIndexOptions = {}): LazyArray {
  refuseUnknownOptions("ravelMultiIndex", options, ["mode"]);
  const sizes = checkDims(dims, "ravelMultiIndex");
  refuseEmptyDims(sizes);
  if (!Array.isArray(multiIndex) || multiIndex.length !== sizes.length) throw new InvalidOptionError(`ravelMultiIndex: parameter multi_index must be a sequence of length ${sizes.length}`);
  const coordinates = multiIndex.map((c, i) => requireIntegerArray(c, "ravelMultiIndex", i));
  const mode = checkModes(options.mode, sizes.length, "ravelMultiIndex");
  return LazyArray.of(elementwiseNode(ravelMultiIndexBlock, coordinates, "int64", { dims: sizes, mode }));
}
