/**
 * np.tile and np.repeat on lazy arrays, built as dask.array builds them so the chunks are
 * Dask's: tile joins copies of the array along each axis (a view of it, no task per copy);
 * repeat cuts each chunk along the axis into `repeats − 1` slabs at the points
 * np.linspace(start, stop, repeats).round() gives, and repeats each slab within one chunk.
 */
import { InvalidOptionError } from "../core/errors.js";
import { tokenize } from "../core/ids.js";
import { normalizeAxis } from "../ndarray/axes.js";
import { dtypeInfo } from "../ndarray/dtype.js";
import { LazyArray } from "./array.js";
import { normalizeChunks } from "./chunks.js";
import { concatenateNodes } from "./concatenate.js";
import { alongAxis } from "./manipulation.js";
import { FillExpr } from "./sources.js";

function checkArray(x: unknown, what: string): LazyArray {
  if (!(x instanceof LazyArray)) throw new InvalidOptionError(`${what}: expected a lazy array (ta.fromArray wraps an NDArray)`);
  return x;
}

/** np.tile(x, reps): the array repeated reps[k] times along axis k (reps aligned to the last axes). */
export function tile(x: LazyArray, reps: number | readonly number[]): LazyArray {
  checkArray(x, "tile");
  const given = typeof reps === "number" ? [reps] : [...reps];
  if (given.some((r) => !Number.isSafeInteger(r))) throw new InvalidOptionError(`tile: reps ${JSON.stringify(reps)} must be integers`);
  if (given.some((r) => r < 0)) throw new InvalidOptionError(`tile: negative reps are not allowed, got ${JSON.stringify(reps)}`);
  const ndim = Math.max(x.ndim, given.length);
  const counts = [...new Array<number>(ndim - given.length).fill(1), ...given];
  let result = x.ndim < ndim ? x.reshape([...new Array<number>(ndim - x.ndim).fill(1), ...x.shape]) : x;
  if (counts.some((r) => r === 0)) {
    // Dask gives an empty array of the tiled shape with its default chunks.
    const shape = result.shape.map((n, axis) => n * counts[axis]);
    const chunks = normalizeChunks("auto", shape, dtypeInfo(x.dtype).itemsize);
    return new LazyArray(`tile-${tokenize(x.name, shape)}`, shape, chunks, x.dtype, new FillExpr({ value: 0 }));
  }
  for (let axis = ndim - 1; axis >= 0; axis--) {
    if (counts[axis] === 1) continue;
    result = LazyArray.of(concatenateNodes(new Array<LazyArray>(counts[axis]).fill(result), axis, "tile"));
  }
  return result;
}

/** np.round of NumPy's linspace(start, stop, num): half to even, the last point exactly stop. */
function linspaceCuts(start: number, stop: number, num: number): number[] {
  const step = (stop - start) / (num - 1);
  return Array.from({ length: num }, (_, i) => {
    const value = i === num - 1 ? stop : i * step + start;
    const floor = Math.floor(value);
    const diff = value - floor;
    return diff > 0.5 || (diff === 0.5 && floor % 2 !== 0) ? floor + 1 : floor;
  });
}

/** np.repeat(x, repeats, axis) with an integer count (Dask's form; axis may be left out for 1-d arrays). */
export function repeat(x: LazyArray, repeats: number, axis?: number): LazyArray {
  checkArray(x, "repeat");
  if (!Number.isSafeInteger(repeats) || repeats < 0) {
    throw new InvalidOptionError(`repeat: repeats must be a non-negative integer (Dask takes no per-element counts), got ${JSON.stringify(repeats)}`);
  }
  if (axis === undefined && x.ndim !== 1) throw new InvalidOptionError("repeat: give an axis (Dask repeats along one axis; ravel the array first to repeat it flat)");
  const a = normalizeAxis(axis ?? 0, x.ndim, "repeat");
  if (repeats === 0) return alongAxis(x, a, { stop: 0 });
  if (repeats === 1) return x;
  const slabs: LazyArray[] = [];
  let start = 0;
  for (const size of x.chunks[a]) {
    const cuts = linspaceCuts(start, start + size, repeats);
    for (let i = 1; i < cuts.length; i++) {
      if (cuts[i] === cuts[i - 1]) continue;
      // Each slab's elements, each `repeats` times, gathered into one chunk along the axis.
      const positions = Array.from({ length: (cuts[i] - cuts[i - 1]) * repeats }, (_, k) => cuts[i - 1] + Math.floor(k / repeats));
      slabs.push(alongAxis(x, a, positions).rechunk({ [a]: -1 }));
    }
    start += size;
  }
  if (slabs.length === 0) return alongAxis(x, a, { stop: 0 });
  return slabs.length === 1 ? slabs[0] : LazyArray.of(concatenateNodes(slabs, a, "repeat"));
}
