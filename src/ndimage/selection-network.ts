/**
 * Selection networks: the compare-exchange steps that put the value of one rank on one wire,
 * for the SIMD rank filters (simd-kernels.ts). Start from Batcher's odd–even merge sort on the
 * next power of two; the padding wires hold +∞, so a step between two of them, or from a value
 * to a +∞ wire, changes nothing, and a step from +∞ to a value only swaps the two wires' names.
 * Then walk back from the wire that ends up holding the rank and keep only the steps whose
 * outputs are still needed (a step may keep just its min or just its max).
 *
 * A step on (a, b) writes min into variable a and max into variable b. The network only moves
 * values, so each output is one of the inputs: with a total order and interchangeable equal
 * values (no NaN, no mix of +0 and −0) the result is the rank's value exactly.
 */

export interface SelectionStep {
  readonly a: number;
  readonly b: number;
  /** Whether the min (into a) and the max (into b) are used later. */
  readonly keepMin: boolean;
  readonly keepMax: boolean;
}

export interface SelectionNetwork {
  /** Variables 0…count−1 start with the inputs. */
  readonly count: number;
  readonly steps: SelectionStep[];
  /** The variable holding the rank's value after the steps. */
  readonly output: number;
}

const cache = new Map<string, SelectionNetwork>();

export function selectionNetwork(count: number, rank: number): SelectionNetwork {
  const key = `${count}|${rank}`;
  let network = cache.get(key);
  if (network === undefined) {
    network = build(count, rank);
    cache.set(key, network);
  }
  return network;
}

function build(count: number, rank: number): SelectionNetwork {
  let size = 1;
  while (size < count) size *= 2;
  // wire → variable; variables ≥ count are +∞ (padding).
  const variable = Array.from({ length: size }, (_, i) => i);
  const isInfinite = (v: number): boolean => v >= count;
  const raw: Array<[number, number]> = [];
  for (let p = 1; p < size; p *= 2) {
    for (let k = p; k >= 1; k = Math.floor(k / 2)) {
      for (let j = k % p; j + k < size; j += 2 * k) {
        for (let i = 0; i < Math.min(k, size - j - k); i++) {
          if (Math.floor((i + j) / (2 * p)) !== Math.floor((i + j + k) / (2 * p))) continue;
          const low = i + j;
          const high = i + j + k;
          const a = variable[low];
          const b = variable[high];
          if (isInfinite(b)) continue;
          if (isInfinite(a)) {
            variable[low] = b;
            variable[high] = a;
            continue;
          }
          raw.push([a, b]);
        }
      }
    }
  }
  const output = variable[rank];
  const needed = new Set<number>([output]);
  const kept: SelectionStep[] = [];
  for (let s = raw.length - 1; s >= 0; s--) {
    const [a, b] = raw[s];
    const keepMin = needed.has(a);
    const keepMax = needed.has(b);
    if (!keepMin && !keepMax) continue;
    kept.push({ a, b, keepMin, keepMax });
    needed.add(a);
    needed.add(b);
  }
  kept.reverse();
  return { count, steps: kept, output };
}
