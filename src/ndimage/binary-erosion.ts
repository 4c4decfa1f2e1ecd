/**
 * The binary erosion engine behind every binary morphology call (scipy's NI_BinaryErosion and
 * NI_BinaryErosion2). Values are 0/1 bytes in an internal polarity: dilation is erosion of the
 * complement with the border value complemented (`invert`), so one engine serves both.
 *
 * One pass, for each point p (C order):
 *   mask false            → out = v[p]
 *   centre set, v[p] = 0  → out = 0
 *   otherwise             → out = 1 unless some structure cell reads 0 (outside: the border value)
 *
 * Iterations. With the structure's centre set, erosion only removes cells, and a cell can be
 * removed at iteration k+1 only if a cell of its neighbourhood was removed at iteration k. After
 * one full pass, later iterations therefore visit just the neighbourhoods of the cells the
 * previous iteration removed (scipy's coordinate lists), which is what makes `iterations < 1`
 * (until nothing changes) and fill-holes linear in the volume. Without the centre, every
 * iteration is a full pass.
 *
 * Where the structure is longer than the array along some axis, scipy 1.10's coordinate lists
 * (iterations ≠ 1) visit a removed cell's neighbours by flat offset, past the end of its line and
 * into the next one: its result then differs from repeating the erosion (binary_erosion of
 * [[1,1,1],[0,1,1],[1,1,0]] with structure [[0,1,1,0]], border_value 1: iterations=3 clears
 * (2, 0), three single erosions keep it). Here the neighbourhoods stay within the array, so
 * iterations = k is k erosions, as scipy documents (found by test/ndimage/ndimage-fuzz.test.ts).
 */
import { InvalidOptionError } from "../core/errors.js";
import { type NDArray, cStrides } from "../ndarray/ndarray.js";
import { compiledRowFold } from "./fold-compiler.js";
import { type Neighborhood, forEachNeighborhoodLine, rowLength } from "./neighborhood.js";
import type { Backend, NumericArray } from "./options.js";
import { foldKernel, simdAvailable, staging } from "./simd-kernels.js";
import { stagedWalk } from "./staged-lines.js";

export interface ErosionProblem {
  readonly shape: readonly number[];
  /** 0/1 per cell, C order, internal polarity. */
  readonly values: Uint8Array;
  readonly hood: Neighborhood;
  /** The border value in internal polarity (0 or 1). */
  readonly border: number;
  /** 0/1 per cell or null (no mask). */
  readonly mask: Uint8Array | null;
  /** The structure's centre (after the origin shift) is set. */
  readonly centreSet: boolean;
  readonly backend: Backend;
  /** The calling function's name, for errors. */
  readonly what: string;
}

/** Runs `iterations` erosions (< 1: until no change) and returns the result (internal polarity). */
export function erodeIterated(problem: ErosionProblem, iterations: number): Uint8Array {
  const first = erodeOnce(problem, problem.values, iterations !== 1);
  if (iterations === 1) return first.values;
  if (problem.centreSet) return propagateRemovals(problem, first.values, first.removed, iterations);
  let current = first;
  // Without the centre a pass may set cells as well as clear them, so "until nothing changes"
  // can cycle for ever (scipy then never returns): a state seen before is refused instead.
  const seen = iterations < 1 ? new Set<string>([stateKey(problem.values)]) : null;
  for (let done = 1; iterations < 1 ? current.removed.length > 0 : done < iterations; done++) {
    if (seen !== null) {
      const key = stateKey(current.values);
      if (seen.has(key)) {
        throw new InvalidOptionError(
          `${problem.what}: iterations < 1 (until nothing changes) never settles here: with this structure (its centre, after the origin, is off) the result cycles; give a number of iterations`,
        );
      }
      seen.add(key);
    }
    current = erodeOnce(problem, current.values, true);
  }
  return current.values;
}

/** Two independent 32-bit FNV-1a hashes of a 0/1 state: enough to recognise a repeated state. */
function stateKey(values: Uint8Array): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ values.length;
  for (let i = 0; i < values.length; i++) {
    a = Math.imul(a ^ values[i], 0x01000193);
    b = Math.imul(b ^ (values[i] + i), 0x5bd1e995);
  }
  return `${a >>> 0}:${b >>> 0}`;
}

interface Pass {
  values: Uint8Array;
  /** Flat indices of the cells this pass changed (mask true only). */
  removed: Int32Array;
}

function erodeOnce(problem: ErosionProblem, input: Uint8Array, trackChanges: boolean): Pass {
  const { shape, hood, border, mask, centreSet, backend } = problem;
  const out = new Uint8Array(input.length);
  const changed = trackChanges ? new GrowingList() : null;
  const source = { data: input as NumericArray, shape, strides: cStrides(shape), offset: 0 };
  const width = shape[shape.length - 1];
  const region = { start: shape.map(() => 0), stop: [...shape] };
  const simd = simdAvailable() && backend !== "js";
  const staged = simd ? stagedWalk("u8", source, hood, "constant", border, region) : null;
  const stage = simd && staged === null ? staging("u8", hood.rows, rowLength(hood, width), width) : null;
  const kernel = simd ? foldKernel("and", hood, "u8") : null;
  const fold = simd ? null : compiledRowFold("and", hood.rowOf, hood.shift);
  const all = staged?.out ?? stage?.out ?? new Uint8Array(width);
  const outAddress = staged?.outAddress ?? stage?.outAddress ?? 0;
  const groups = staged?.groups ?? stage?.groups ?? 0;
  const visit = (rowAddresses: readonly number[] | null, rows: readonly Uint8Array[] | null, base: number): void => {
    // Whether every structure cell is set (cells outside read the border).
    if (kernel !== null && rowAddresses !== null) kernel(rowAddresses, outAddress, groups);
    else fold?.(rows as Uint8Array[], all, width);
    if (mask === null && changed === null) {
      // With the centre set, the fold already read the cell itself: all[i] ≤ input[i].
      out.set(all.subarray(0, width), base);
      return;
    }
    for (let i = 0; i < width; i++) {
      const p = base + i;
      const v = input[p];
      let result: number;
      if (mask !== null && mask[p] === 0) result = v;
      else if (centreSet && v === 0) result = 0;
      else {
        result = all[i];
        if (result !== v && changed !== null) changed.push(p);
      }
      out[p] = result;
    }
  };
  if (staged !== null) staged.run((line) => visit(line.rowAddresses, null, line.outputIndex));
  else forEachNeighborhoodLine(source, hood, "constant", border, region, (line) => visit(stage?.rowAddresses ?? null, line.rows, line.outputIndex), stage?.rows as Uint8Array[] | undefined);
  return { values: out, removed: changed === null ? new Int32Array(0) : changed.toArray() };
}

/** An append-only list of cell indices. */
class GrowingList {
  private items = new Int32Array(1024);
  private size = 0;

  push(value: number): void {
    if (this.size === this.items.length) {
      const grown = new Int32Array(this.items.length * 2);
      grown.set(this.items);
      this.items = grown;
    }
    this.items[this.size++] = value;
  }

  toArray(): Int32Array {
    return this.items.slice(0, this.size);
  }
}

/**
 * Iterations after the first, for structures with their centre set: the cells whose
 * neighbourhood holds a cell removed in the previous iteration, and only those, are removed now.
 * A breadth-first walk over a copy padded by the structure's reach: its frame is never
 * removable, so neighbours need no bounds checks; each level of the walk is one iteration.
 */
function propagateRemovals(problem: ErosionProblem, values: Uint8Array, removed: Int32Array, iterations: number): Uint8Array {
  const { shape, hood, mask } = problem;
  const ndim = shape.length;
  const reach = shape.map((_, a) => Math.max(-hood.low[a], hood.high[a], 0));
  const padded = shape.map((n, a) => n + 2 * reach[a]);
  const strides = cStrides(shape);
  const paddedStrides = cStrides(padded);
  const { count, offsets } = hood;
  // Cell q reads p = q + offset_k, so a removal at p reaches q = p − offset_k.
  const step = new Int32Array(count);
  const paddedStep = new Int32Array(count);
  for (let k = 0; k < count; k++) {
    for (let a = 0; a < ndim; a++) {
      step[k] += offsets[k * ndim + a] * strides[a];
      paddedStep[k] += offsets[k * ndim + a] * paddedStrides[a];
    }
  }
  // removable[padded q] = 1 for cells still set that the mask lets change.
  const removable = new Uint8Array(padded.reduce((a, b) => a * b, 1));
  const last = ndim - 1;
  const n = shape[last];
  const position = new Array<number>(ndim).fill(0);
  for (let p = 0; p < values.length; p += n) {
    let q = 0;
    for (let a = 0; a < ndim; a++) q += (position[a] + reach[a]) * paddedStrides[a];
    for (let x = 0; x < n; x++) removable[q + x] = values[p + x] & (mask === null ? 1 : mask[p + x]);
    for (let a = last - 1; a >= 0; a--) {
      if (++position[a] < shape[a]) break;
      position[a] = 0;
    }
  }
  const paddedOf = (p: number): number => {
    let q = 0;
    let rest = p;
    for (let a = 0; a < ndim; a++) {
      const c = Math.floor(rest / strides[a]);
      rest -= c * strides[a];
      q += (c + reach[a]) * paddedStrides[a];
    }
    return q;
  };
  const { queue, paddedQueue } = queues(values.length);
  let tail = 0;
  for (let i = 0; i < removed.length; i++) {
    queue[tail] = removed[i];
    paddedQueue[tail++] = paddedOf(removed[i]);
  }
  let head = 0;
  for (let done = 1; head < tail && (iterations < 1 || done < iterations); done++) {
    const levelEnd = tail;
    for (; head < levelEnd; head++) {
      const p = queue[head];
      const pp = paddedQueue[head];
      for (let k = 0; k < count; k++) {
        const qq = pp - paddedStep[k];
        if (removable[qq] === 0) continue;
        removable[qq] = 0;
        const q = p - step[k];
        values[q] = 0;
        queue[tail] = q;
        paddedQueue[tail++] = qq;
      }
    }
  }
  return values;
}

let queueScratch = { queue: new Int32Array(0), paddedQueue: new Int32Array(0) };

/** Breadth-first queues for `size` cells, kept between calls (they are large and short-lived). */
function queues(size: number): { queue: Int32Array; paddedQueue: Int32Array } {
  if (queueScratch.queue.length < size) queueScratch = { queue: new Int32Array(size), paddedQueue: new Int32Array(size) };
  return queueScratch;
}

/** The nonzero cells of an array (any dtype and strides) as 0/1 in C order, complemented when asked. */
export function bitsOf(array: NDArray, complement: boolean): Uint8Array {
  const flat = array.toTypedArray();
  const bits = new Uint8Array(flat.length);
  if (array.dtype === "bool") {
    const bytes = flat as Uint8Array;
    if (complement) for (let i = 0; i < bits.length; i++) bits[i] = 1 - bytes[i];
    else bits.set(bytes);
    return bits;
  }
  const on = complement ? 0 : 1;
  const off = 1 - on;
  if (typeof flat[0] === "bigint") {
    const wide = flat as BigInt64Array;
    for (let i = 0; i < bits.length; i++) bits[i] = wide[i] !== 0n ? on : off;
  } else {
    const numbers = flat as Float64Array;
    for (let i = 0; i < bits.length; i++) bits[i] = numbers[i] !== 0 ? on : off;
  }
  return bits;
}

export function checkIterations(iterations: unknown): number {
  if (typeof iterations !== "number" || !Number.isInteger(iterations)) {
    throw new InvalidOptionError(`iterations ${JSON.stringify(iterations)} must be an integer (< 1: repeat until nothing changes)`);
  }
  return iterations;
}
