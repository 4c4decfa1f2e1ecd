/**
 * "auto" chunks next to the chunks an array already has (Dask 2022.12's auto_chunks with
 * previous_chunks: from_array of an HDF5 or Zarr dataset with its stored chunks, rechunk to
 * "auto"): each auto axis starts at the median of its previous chunk sizes, and all of them
 * grow or shrink together by one factor until a block holds the byte limit, each rounded down
 * to a multiple of the axis's usual previous size (its most frequent one, when at least half
 * the chunks have it) or, when smaller than that size, to a whole number; an axis that would
 * outgrow its length takes its length and leaves the factor to the others. So the blocks keep
 * the stored chunks' proportions and boundaries, as Dask's do, and an array read here has
 * Dask's chunks.
 */

/** The chunk size of each axis in `autoAxes`, as Dask's auto_chunks gives it with previous chunks. */
export function autoSizesFromPrevious(
  shape: readonly number[], autoAxes: readonly number[], fixedElements: number, limitBytes: number, itemsize: number, previous: ReadonlyArray<readonly number[]>,
): Map<number, number> {
  const limit = Math.max(1, limitBytes);
  let largest = fixedElements;
  const result = new Map<number, number>(autoAxes.map((axis) => [axis, median(previous[axis])]));
  const ideal = shape.map((length, axis) => {
    const { mode, count } = mostFrequent(previous[axis] ?? [length]);
    return mode > 1 && count >= (previous[axis]?.length ?? 1) / 2 ? mode : length;
  });
  const sizes = new Map<number, number>();
  const autos = new Set(autoAxes);
  const multiplierOf = (): number => limit / itemsize / largest / [...result.values()].reduce((product, r) => (r ? product * r : product), 1);
  let multiplier = multiplierOf();
  let lastMultiplier = 0;
  let lastAutos = new Set<number>();
  // Dask's loop: until neither the factor nor the set of growing axes changes (a few rounds).
  for (let round = 0; round < 1000 && (multiplier !== lastMultiplier || !sameSet(autos, lastAutos)); round++) {
    lastMultiplier = multiplier;
    lastAutos = new Set(autos);
    for (const axis of [...autos].sort((a, b) => a - b)) {
      if (ideal[axis] === 0) {
        result.set(axis, 0);
        continue;
      }
      const proposed = result.get(axis)! * Math.pow(multiplier, 1 / autos.size);
      if (proposed > shape[axis]) {
        autos.delete(axis);
        largest *= shape[axis];
        sizes.set(axis, shape[axis]);
        result.delete(axis);
      } else {
        result.set(axis, roundTo(proposed, ideal[axis]));
      }
    }
    multiplier = multiplierOf();
  }
  for (const [axis, size] of result) sizes.set(axis, Math.trunc(size));
  return sizes;
}

/** Dask's round_to: below `s` a whole number (at least 1), above it the largest multiple of `s` not past `c`. */
function roundTo(c: number, s: number): number {
  return c <= s ? Math.max(1, Math.trunc(c)) : Math.floor(c / s) * s;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The most frequent value (the first seen, among equals, as toolz's frequencies and Python's max keep). */
function mostFrequent(values: readonly number[]): { mode: number; count: number } {
  const counts = new Map<number, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  let best = { mode: values[0], count: 0 };
  for (const [mode, count] of counts) if (count > best.count) best = { mode, count };
  return best;
}

function sameSet(a: ReadonlySet<number>, b: ReadonlySet<number>): boolean {
  return a.size === b.size && [...a].every((value) => b.has(value));
}
