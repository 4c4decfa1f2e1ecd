/**
 * The block kernels of pointwise indexing (dask.array's `x.vindex[...]`, src/array/vindex.ts):
 * each block the points fall in gives the rows at its points (`vindexSlice`: the indexed axes
 * replaced by one leading axis of points, the other axes whole, in order), and one merge per
 * block of the other axes puts every point's row in its place in the points' order
 * (`vindexMerge`). A block thus holds only its own points' rows once sliced, and the merge
 * only the points.
 */
import { InvalidOptionError } from "../core/errors.js";
import { defineBuiltin } from "../core/builtin.js";
import { requireArray } from "./copy.js";
import { dtypeInfo, type DType } from "./dtype.js";
import { NDArray, empty } from "./ndarray.js";
import { gatherRows } from "./take.js";
import { transpose } from "./views.js";

function refuseComplex(dtype: DType, what: string): void {
  if (dtypeInfo(dtype).lanes > 1) throw new InvalidOptionError(`${what}: pointwise indexing of ${dtype} is not supported; index the real and imaginary parts (ta.real, ta.imag) separately`);
}

/**
 * The rows of `block` at the points: `coords[k][p]` is point p's position along `indexedAxes[k]`
 * (inside the block). The result has one leading axis of points, then the block's other axes.
 */
export const vindexSlice = defineBuiltin("ndarray.vindexSlice", function vindexSlice(block: NDArray, coords: readonly (readonly number[])[], indexedAxes: readonly number[]): NDArray {
  requireArray(block, "vindexSlice");
  refuseComplex(block.dtype, "vindex");
  if (coords.length !== indexedAxes.length || coords.length === 0) {
    throw new InvalidOptionError(`vindexSlice: ${coords.length} coordinate lists for indexed axes [${indexedAxes.join(", ")}]; give one list per indexed axis`);
  }
  const others = block.shape.map((_, axis) => axis).filter((axis) => !indexedAxes.includes(axis));
  const moved = transpose(block, [...indexedAxes, ...others]);
  const points = coords[0].length;
  const offsets = new Float64Array(points);
  coords.forEach((along, k) => {
    const length = moved.shape[k];
    if (along.length !== points) throw new InvalidOptionError(`vindexSlice: coordinate list ${k} has ${along.length} points, list 0 has ${points}`);
    for (let p = 0; p < points; p++) {
      const at = along[p];
      if (!Number.isInteger(at) || at < 0 || at >= length) throw new InvalidOptionError(`vindexSlice: position ${at} is outside axis ${indexedAxes[k]} of a block of shape [${block.shape.join(", ")}]`);
      offsets[p] += at * moved.strides[k];
    }
  });
  return gatherRows(moved, 0, coords.length, offsets);
});

/**
 * The points' rows in order: `values[i]` (from vindexSlice) holds the rows of the points at
 * positions `locations[i]`; every position in [0, total) is given once. `rest` is the shape
 * after the points axis (the block's other axes), used when there are no points at all.
 */
export const vindexMerge = defineBuiltin("ndarray.vindexMerge", function vindexMerge(locations: readonly (readonly number[])[], values: readonly NDArray[], rest: readonly number[], dtype: DType): NDArray {
  const total = locations.reduce((sum, list) => sum + list.length, 0);
  const out = empty([total, ...rest], dtype);
  const width = rest.reduce((a, b) => a * b, 1);
  const target = out.data as Float64Array;
  const filled = new Uint8Array(total);
  values.forEach((rows, i) => {
    requireArray(rows, "vindexMerge");
    const at = locations[i];
    if (rows.dtype !== dtype || rows.shape[0] !== at.length || rows.shape.slice(1).some((n, axis) => n !== rest[axis])) {
      throw new InvalidOptionError(`vindexMerge: rows of shape [${rows.shape.join(", ")}] (${rows.dtype}) do not fit ${at.length} points of shape [${rest.join(", ")}] (${dtype})`);
    }
    const source = rows.toTypedArray() as Float64Array;
    for (let j = 0; j < at.length; j++) {
      target.set(source.subarray(j * width, (j + 1) * width), at[j] * width);
      filled[at[j]] = 1;
    }
  });
  const missing = filled.indexOf(0);
  if (missing >= 0) throw new InvalidOptionError(`vindexMerge: point ${missing} of ${total} has no rows`);
  return out;
});
