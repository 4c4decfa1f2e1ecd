/**
 * da.unify_chunks (Dask 2022.12): arrays given with an index string each (`unifyChunks(x,
 * "ij", y, "jk")`), the common chunking of every index letter and the arrays rechunked to it.
 *
 * Per letter, Dask's broadcast_dimensions + common_blockdim: the set of the chunk tuples of
 * the axes labelled with it, without the trivial (1,) when there are others; one non-trivial
 * tuple (more than one chunk) is the answer as it is; none: the one with the largest first
 * chunk; several: their common refinement (every boundary of each), which needs equal totals.
 * An axis of length 0 or 1 keeps its single chunk. A null index passes the argument through.
 */
import { InvalidOptionError } from "../core/errors.js";
import { LazyArray } from "./array.js";
import { refineChunks } from "./broadcasting.js";

type Pair = { array: LazyArray; index: string } | { value: unknown; index: null };

function pairsOf(args: readonly unknown[]): Pair[] {
  if (args.length % 2 !== 0) throw new InvalidOptionError(`unifyChunks: expected arrays each followed by its index string (x, "ij", y, "jk"), got ${args.length} arguments`);
  const pairs: Pair[] = [];
  for (let i = 0; i < args.length; i += 2) {
    const [value, index] = [args[i], args[i + 1]];
    if (index === null) {
      pairs.push({ value, index: null });
      continue;
    }
    if (!(value instanceof LazyArray)) throw new InvalidOptionError(`unifyChunks: argument ${i} must be a tessera array, got ${String(value)}`);
    if (typeof index !== "string" || index.length !== value.ndim) {
      throw new InvalidOptionError(`unifyChunks: argument ${i + 1} must be an index string of one letter per axis (${value.ndim}), got ${JSON.stringify(index)}`);
    }
    pairs.push({ array: value, index });
  }
  return pairs;
}

/** Dask's common_blockdim over the distinct chunk tuples of one letter. */
function commonBlockdim(letter: string, tuples: number[][]): number[] {
  const nonTrivial = tuples.filter((t) => t.length > 1);
  if (nonTrivial.length === 1) return nonTrivial[0];
  if (nonTrivial.length === 0) return tuples.reduce((best, t) => (t[0] > best[0] ? t : best));
  const totals = new Set(nonTrivial.map((t) => t.reduce((a, b) => a + b, 0)));
  if (totals.size > 1) throw new InvalidOptionError(`unifyChunks: the chunks of index "${letter}" do not add up to the same length: ${JSON.stringify(nonTrivial)}`);
  return refineChunks(nonTrivial);
}

/** [the chunks of each index letter, the arguments with their arrays rechunked to them] (da.unify_chunks). */
export function unifyChunks(...args: unknown[]): [Record<string, number[]>, unknown[]] {
  const pairs = pairsOf(args);
  const byLetter = new Map<string, Map<string, number[]>>();
  for (const pair of pairs) {
    if (pair.index === null) continue;
    [...pair.index].forEach((letter, axis) => {
      const chunks = pair.array.chunks[axis];
      const set = byLetter.get(letter) ?? new Map<string, number[]>();
      set.set(chunks.join(","), [...chunks]);
      byLetter.set(letter, set);
    });
  }
  const common: Record<string, number[]> = {};
  for (const [letter, set] of byLetter) {
    let tuples = [...set.values()];
    if (tuples.length > 1) tuples = tuples.filter((t) => !(t.length === 1 && t[0] === 1));
    common[letter] = commonBlockdim(letter, tuples);
  }
  const arrays = pairs.map((pair) => {
    if (pair.index === null) return pair.value;
    const { array, index } = pair;
    const chunks = [...index].map((letter, axis) => (array.shape[axis] > 1 ? common[letter] : [array.shape[axis]]));
    const same = chunks.every((c, axis) => c.join() === array.chunks[axis].join());
    if (!same && chunks.some((c, axis) => c.reduce((a, b) => a + b, 0) !== array.shape[axis])) {
      throw new InvalidOptionError(`unifyChunks: index "${index}" of an array of shape [${array.shape.join(", ")}] does not fit the common chunks ${JSON.stringify(chunks)}`);
    }
    return same ? array : array.rechunk(chunks);
  });
  return [common, arrays];
}
