/**
 * Binary morphology (scipy.ndimage `binary_erosion`, `binary_dilation`, `binary_opening`,
 * `binary_closing`, `binary_fill_holes`). Inputs of any dtype count nonzero cells as true; results
 * are bool arrays. The structure defaults to the faces-only cross (`generateBinaryStructure(ndim, 1)`);
 * dilation uses it reversed with mirrored origins, as scipy does. `iterations < 1` repeats until
 * nothing changes; `mask` limits the cells that may change; `borderValue` is what cells outside
 * the array count as. `iterations < 1` with a structure whose centre is off repeats full passes
 * until nothing changes, as scipy does; where the result cycles (scipy never returns) it is refused.
 */
import { fillHolesByFlood } from "./fill-holes.js";
import { definePublicBuiltin } from "./public-parameters.js";
import { InvalidOptionError } from "../core/errors.js";
import { NDArray, allocate, isNDArray } from "../ndarray/ndarray.js";
import { generateBinaryStructure } from "./binary-structure.js";
import { bitsOf, checkIterations, erodeIterated } from "./binary-erosion.js";
import { type Footprint, type Grid, footprintOf, readOrigins, reflectedOrigins, reversedGrid } from "./footprint.js";
import { neighborhoodOf, neighborhoodReach } from "./neighborhood.js";
import { refuseUnknownOptions } from "./option-names.js";
import { type Backend, type OutputRegion, resolveBackend, resolveOutputRegion } from "./options.js";
import { defineRegionKernel } from "./region-kernel.js";

export interface BinaryMorphologyOptions {
  /** Structuring element (nonzero = on); default: the faces-only cross of the input's rank. */
  structure?: Grid;
  /** Repetitions; < 1 repeats until nothing changes. Default 1. */
  iterations?: number;
  /** Only cells where the mask is nonzero may change. Same shape as the input. */
  mask?: NDArray;
  /** Value of cells outside the array (0 or 1; any nonzero counts as 1). Default 0. */
  borderValue?: number | boolean;
  origin?: number | readonly number[];
  /** Compute only this box of the result (the whole result is computed, then cut). */
  outputRegion?: OutputRegion;
  backend?: Backend;
}

export interface FillHolesOptions {
  structure?: Grid;
  origin?: number | readonly number[];
  outputRegion?: OutputRegion;
  backend?: Backend;
}

interface Setup {
  readonly footprint: Footprint;
  readonly origins: number[];
}

function setup(structure: Grid | undefined, origin: unknown, ndim: number, what: string): Setup {
  if (ndim < 1) throw new InvalidOptionError(`${what} needs an array with at least one dimension`);
  const footprint = footprintOf(structure ?? generateBinaryStructure(ndim, 1), ndim, "structure");
  return { footprint, origins: readOrigins(origin, footprint.shape) };
}

function maskBits(mask: unknown, shape: readonly number[], what: string): Uint8Array | null {
  if (mask === undefined || mask === null) return null;
  if (!isNDArray(mask)) throw new InvalidOptionError(`${what}: mask must be an NDArray of the input's shape`);
  if (mask.shape.join() !== shape.join()) {
    throw new InvalidOptionError(`${what}: mask shape [${mask.shape.join(", ")}] differs from the input shape [${shape.join(", ")}]`);
  }
  return bitsOf(mask, false);
}

function borderBit(value: unknown, what: string): number {
  if (value === undefined) return 0;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value !== "number" || Number.isNaN(value)) throw new InvalidOptionError(`${what}: borderValue ${JSON.stringify(value)} must be 0 or 1`);
  return value !== 0 ? 1 : 0;
}

/**
 * Erosion (invert = false) or dilation (invert = true) of a 0/1 array, `iterations` times.
 * For dilation the structure is reversed and the origins mirrored before the centre test.
 */
function erodeBits(
  bits: Uint8Array, shape: readonly number[], base: Setup, invert: boolean, iterations: number, mask: Uint8Array | null,
  border: number, backend: Backend, what: string,
): Uint8Array {
  const values = invert ? complementInto(bits, new Uint8Array(bits.length)) : bits;
  const result = erodeInternal(values, shape, base, invert, iterations, mask, invert ? 1 - border : border, backend, what);
  return invert ? complementInto(result, result) : result;
}

/** to[i] = 1 − from[i] for 0/1 bytes (four at a time where both are word-aligned); returns `to`. */
function complementInto(from: Uint8Array, to: Uint8Array): Uint8Array {
  let i = 0;
  if (from.byteOffset % 4 === 0 && to.byteOffset % 4 === 0) {
    const words = from.length >> 2;
    const source = new Uint32Array(from.buffer, from.byteOffset, words);
    const target = new Uint32Array(to.buffer, to.byteOffset, words);
    for (let w = 0; w < words; w++) target[w] = source[w] ^ 0x01010101;
    i = words << 2;
  }
  for (; i < from.length; i++) to[i] = from[i] ^ 1;
  return to;
}

/** The erosion engine on values already in its polarity (complemented for a dilation). */
function erodeInternal(
  values: Uint8Array, shape: readonly number[], base: Setup, invert: boolean, iterations: number, mask: Uint8Array | null,
  border: number, backend: Backend, what: string,
): Uint8Array {
  const { footprint } = base;
  const mask0 = invert ? reversedGrid(footprint.mask, footprint.shape) : footprint.mask;
  const origins = invert ? reflectedOrigins(base.origins, footprint.shape) : base.origins;
  const centreIndex = footprint.shape.reduce((flat, n, a) => flat * n + Math.floor(n / 2) + origins[a], 0);
  const centreSet = mask0[centreIndex] === 1;
  // An empty structure: no cell can read a 0, so every cell the mask lets change is 1 (scipy's
  // vacuous erosion: all true, its dilation all false), whatever the iterations.
  if (footprint.count === 0) return mask === null ? new Uint8Array(values.length).fill(1) : values.map((v, i) => (mask[i] === 1 ? 1 : v));
  const hood = neighborhoodOf({ ...footprint, mask: mask0 }, origins);
  return erodeIterated({ shape, values, hood, border, mask, centreSet, backend, what }, iterations);
}

function asBool(bits: Uint8Array, shape: readonly number[], region: OutputRegion): NDArray {
  const out = allocate("bool", bits.length) as Uint8Array;
  out.set(bits);
  const whole = new NDArray(out, shape, { dtype: "bool" });
  if (region.start.every((s) => s === 0) && region.stop.every((s, a) => s === shape[a])) return whole;
  const regionShape = region.start.map((s, a) => region.stop[a] - s);
  const cut = allocate("bool", regionShape.reduce((a, b) => a * b, 1)) as Uint8Array;
  let o = 0;
  const position = [...region.start];
  if (cut.length === 0) return new NDArray(cut, regionShape, { dtype: "bool" });
  for (;;) {
    cut[o++] = out[whole.index(position)];
    let a = position.length - 1;
    for (; a >= 0; a--) {
      if (++position[a] < region.stop[a]) break;
      position[a] = region.start[a];
    }
    if (a < 0) break;
  }
  return new NDArray(cut, regionShape, { dtype: "bool" });
}

type Kind = "erosion" | "dilation" | "opening" | "closing";

function morphology(input: NDArray, options: BinaryMorphologyOptions | undefined, kind: Kind, what: string): NDArray {
  const o = options ?? {};
  const base = setup(o.structure, o.origin, input.ndim, what);
  const iterations = checkIterations(o.iterations ?? 1);
  const mask = maskBits(o.mask, input.shape, what);
  const border = borderBit(o.borderValue, what);
  const region = resolveOutputRegion(o.outputRegion, input.shape);
  const order: boolean[] = { erosion: [false], dilation: [true], opening: [false, true], closing: [true, false] }[kind];
  let bits = bitsOf(input, false);
  const backend = resolveBackend(o.backend);
  for (const invert of order) bits = erodeBits(bits, input.shape, base, invert, iterations, mask, border, backend, what);
  return asBool(bits, input.shape, region);
}

function reach(options: BinaryMorphologyOptions | undefined, ndim: number, steps: number, what: string): number[] {
  const base = setup(options?.structure, options?.origin, ndim, what);
  const iterations = checkIterations(options?.iterations ?? 1);
  if (iterations < 1) {
    throw new InvalidOptionError(`${what}: iterations < 1 (until nothing changes) has no bounded reach, so it cannot run block by block`);
  }
  return neighborhoodReach(neighborhoodOf(base.footprint, base.origins)).map((r) => r * iterations * steps);
}

const binaryKeys = ["structure", "iterations", "mask", "borderValue", "origin", "outputRegion", "backend"];

/** Binary erosion (scipy.ndimage.binary_erosion). */
export const binaryErosion = defineRegionKernel("ndimage.binaryErosion",
  (input: NDArray, options?: BinaryMorphologyOptions): NDArray => morphology(input, options, "erosion", "binaryErosion"),
  (options: BinaryMorphologyOptions | undefined, ndim: number) => reach(options, ndim, 1, "binaryErosion"), { optionKeys: binaryKeys });

/** Binary dilation (scipy.ndimage.binary_dilation). */
export const binaryDilation = defineRegionKernel("ndimage.binaryDilation",
  (input: NDArray, options?: BinaryMorphologyOptions): NDArray => morphology(input, options, "dilation", "binaryDilation"),
  (options: BinaryMorphologyOptions | undefined, ndim: number) => reach(options, ndim, 1, "binaryDilation"), { optionKeys: binaryKeys });

/** Binary opening (scipy.ndimage.binary_opening): dilation of the erosion, each `iterations` times. */
export const binaryOpening = defineRegionKernel("ndimage.binaryOpening",
  (input: NDArray, options?: BinaryMorphologyOptions): NDArray => morphology(input, options, "opening", "binaryOpening"),
  (options: BinaryMorphologyOptions | undefined, ndim: number) => reach(options, ndim, 2, "binaryOpening"), { optionKeys: binaryKeys });

/** Binary closing (scipy.ndimage.binary_closing): erosion of the dilation, each `iterations` times. */
export const binaryClosing = defineRegionKernel("ndimage.binaryClosing",
  (input: NDArray, options?: BinaryMorphologyOptions): NDArray => morphology(input, options, "closing", "binaryClosing"),
  (options: BinaryMorphologyOptions | undefined, ndim: number) => reach(options, ndim, 2, "binaryClosing"), { optionKeys: binaryKeys });

/**
 * Fills holes (scipy.ndimage.binary_fill_holes): the background not reachable from outside the
 * array through background cells (neighbours by the structure) becomes foreground.
 */
export const binaryFillHoles = definePublicBuiltin("binaryFillHoles", function binaryFillHoles(input: NDArray, options?: FillHolesOptions): NDArray {
  const o = options ?? {};
  refuseUnknownOptions(o, ["structure", "origin", "outputRegion", "backend"], "binaryFillHoles");
  const base = setup(o.structure, o.origin, input.ndim, "binaryFillHoles");
  const region = resolveOutputRegion(o.outputRegion, input.shape);
  const background = bitsOf(input, true);
  // scipy: dilate an empty array from a border of 1s, only into the background, until stable,
  // and complement. In the engine's polarity (complemented) that is eroding all-ones from a
  // border of 0s, and the complement of the complement is the engine's result itself.
  // The iterated erosion's fixed point is the background reachable from outside: a flood
  // fill finds it in one pass (fill-holes.ts). With a structure whose centre (after the origin)
  // is off, the engine repeats full passes as scipy does, refusing a result that cycles.
  const { footprint } = base;
  const reversed = reversedGrid(footprint.mask, footprint.shape);
  const origins = reflectedOrigins(base.origins, footprint.shape);
  const centreIndex = footprint.shape.reduce((flat, n, a) => flat * n + Math.floor(n / 2) + origins[a], 0);
  if (reversed[centreIndex] === 1 && input.size > 0) {
    const hood = neighborhoodOf({ ...footprint, mask: reversed }, origins);
    if (region.start.some((s) => s !== 0) || region.stop.some((s, a) => s !== input.shape[a])) {
      return asBool(fillHolesByFlood(background, input.shape, hood), input.shape, region);
    }
    return new NDArray(fillHolesByFlood(background, input.shape, hood, allocate("bool", background.length) as Uint8Array), input.shape, { dtype: "bool" });
  }
  const ones = new Uint8Array(background.length).fill(1);
  const filled = erodeInternal(ones, input.shape, base, true, -1, background, 0, resolveBackend(o.backend), "binaryFillHoles");
  return asBool(filled, input.shape, region);
});
