/**
 * Morphology built from erosions and dilations (scipy.ndimage `morphological_gradient`,
 * `morphological_laplace`, `binary_hit_or_miss`), as region kernels so the chunked forms run
 * them block by block with the union of their steps' halos.
 *
 * - morphologicalGradient: grey dilation − grey erosion, subtracted in the input's dtype
 *   (integers wrap, as NumPy's `tmp - erosion` does). morphologicalLaplace: dilation + erosion
 *   − input − input, each step stored in the input's dtype as scipy's in-place NumPy calls do (so
 *   uint8 wraps and float32 rounds after every step). bool inputs are refused: NumPy refuses to
 *   subtract booleans. scipy uses `output` only when it is an array to write into (a dtype is
 *   ignored there), so `output` is refused here: cast the result instead.
 * - binaryHitOrMiss: the cells where structure1 fits the foreground and structure2 the
 *   background — the erosion of the input by structure1 (cells outside count as 0) and of its
 *   complement by structure2 (cells outside count as 1), which is what scipy's inverted erosion
 *   computes (checked against scipy). structure2 defaults to structure1's complement, origin2 to
 *   origin1; an origin2 left to default that does not fit structure2 is refused (scipy reads out
 *   of bounds there).
 */
import { InvalidOptionError } from "../core/errors.js";
import { NDArray, allocate } from "../ndarray/ndarray.js";
import type { TypedArray } from "../ndarray/dtype.js";
import { binaryErosion } from "./binary-morphology.js";
import { generateBinaryStructure } from "./binary-structure.js";
import { type Grid, footprintOf, readOrigins } from "./footprint.js";
import { type GreyMorphologyOptions, greyDilation, greyErosion } from "./grey-morphology.js";
import { footprintFilterKeys } from "./min-max-filter.js";
import { type Backend, type OutputRegion, resolveOutputRegion } from "./options.js";
import { defineRegionKernel } from "./region-kernel.js";
import { copyRegion } from "./separable.js";

export type MorphologyCompositionOptions = Omit<GreyMorphologyOptions, "output">;

export interface HitOrMissOptions {
  /** What must be on around a cell; default the faces-only cross of the input's rank. */
  structure1?: Grid;
  /** What must be off around a cell; default structure1's complement. */
  structure2?: Grid;
  origin1?: number | readonly number[];
  /** Default: origin1. */
  origin2?: number | readonly number[];
  outputRegion?: OutputRegion;
  backend?: Backend;
}

const greyKeys = ["structure", ...footprintFilterKeys.filter((key) => key !== "output")];
const hitOrMissKeys = ["structure1", "structure2", "origin1", "origin2", "outputRegion", "backend"];

function checkNumeric(input: NDArray, what: string): void {
  if (input.dtype === "bool") throw new InvalidOptionError(`${what}: a bool input cannot be subtracted (NumPy refuses it, so scipy does): cast it to uint8 first`);
}

/** Both steps' results on the region (outputRegion, else the whole array), in the input's dtype. */
function steps(input: NDArray, options: MorphologyCompositionOptions): { dilated: TypedArray; eroded: TypedArray; shape: number[] } {
  const dilated = greyDilation(input, options);
  const eroded = greyErosion(input, options);
  return { dilated: dilated.toTypedArray(), eroded: eroded.toTypedArray(), shape: [...dilated.shape] };
}

function gradient(input: NDArray, options: MorphologyCompositionOptions): NDArray {
  checkNumeric(input, "morphologicalGradient");
  const { dilated, eroded, shape } = steps(input, options);
  const out = allocate(input.dtype, dilated.length) as unknown as number[];
  const d = dilated as unknown as number[];
  const e = eroded as unknown as number[];
  // A typed array's store wraps integers (bigints too) and rounds float32, as NumPy's subtraction does.
  for (let i = 0; i < out.length; i++) out[i] = d[i] - e[i];
  return new NDArray(out as unknown as TypedArray, shape, { dtype: input.dtype });
}

function laplace(input: NDArray, options: MorphologyCompositionOptions): NDArray {
  checkNumeric(input, "morphologicalLaplace");
  const { dilated, eroded, shape } = steps(input, options);
  const region = resolveOutputRegion(options.outputRegion, input.shape);
  const original = copyRegion(input, region, input.dtype).toTypedArray() as unknown as number[];
  const out = allocate(input.dtype, dilated.length) as unknown as number[];
  const d = dilated as unknown as number[];
  const e = eroded as unknown as number[];
  // Three stores, as scipy's add(tmp1, tmp2, tmp2), subtract(tmp2, input, tmp2) twice.
  for (let i = 0; i < out.length; i++) {
    out[i] = d[i] + e[i];
    out[i] = out[i] - original[i];
    out[i] = out[i] - original[i];
  }
  return new NDArray(out as unknown as TypedArray, shape, { dtype: input.dtype });
}

function greyReach(options: MorphologyCompositionOptions, ndim: number): number[] {
  const up = greyDilation.kernelRadius(options, ndim);
  const down = greyErosion.kernelRadius(options, ndim);
  return up.map((r, a) => Math.max(r, down[a]));
}

/** The two erosions' options: structure2 and origin2 defaulted as scipy does. */
function hitOrMissSteps(options: HitOrMissOptions | undefined, ndim: number): [Record<string, unknown>, Record<string, unknown>] {
  const o = options ?? {};
  if (ndim < 1) throw new InvalidOptionError("binaryHitOrMiss needs an array with at least one dimension");
  const structure1 = o.structure1 ?? generateBinaryStructure(ndim, 1);
  const first = footprintOf(structure1, ndim, "structure1");
  const complement = (): Grid => {
    const off = Array.from(first.mask, (on) => (on ? 0 : 1));
    const nest = (offset: number, axis: number): unknown => axis === first.shape.length
      ? off[offset]
      : Array.from({ length: first.shape[axis] }, (_, i) => nest(offset * first.shape[axis] + i, axis + 1));
    return nest(0, 0) as Grid;
  };
  const structure2 = o.structure2 ?? complement();
  const second = footprintOf(structure2, ndim, "structure2");
  const origin1 = o.origin1 ?? 0;
  if (o.origin2 === undefined) {
    // scipy applies origin1 to structure2 then, reading outside it when it does not fit (a crash): say which to give.
    try {
      readOrigins(origin1, second.shape);
    } catch {
      throw new InvalidOptionError(`binaryHitOrMiss: origin1 ${JSON.stringify(origin1)} does not fit structure2 of shape [${second.shape.join(", ")}]; give origin2`);
    }
  }
  const common = { ...(o.outputRegion ? { outputRegion: o.outputRegion } : {}), ...(o.backend ? { backend: o.backend } : {}) };
  return [
    { structure: structure1, origin: origin1, borderValue: 0, ...common },
    { structure: structure2, origin: o.origin2 ?? origin1, borderValue: 1, ...common },
  ];
}

function hitOrMiss(input: NDArray, options?: HitOrMissOptions): NDArray {
  const [fits, missesFit] = hitOrMissSteps(options, input.ndim);
  const hit = binaryErosion(input, fits).toTypedArray() as Uint8Array;
  const values = input.toTypedArray() as ArrayLike<number | bigint>;
  // Nonzero is foreground, NaN included (C's truth of a double).
  const complement = new NDArray(Uint8Array.from(values as ArrayLike<number>, (v) => (v === 0 || (v as unknown) === 0n ? 1 : 0)), [...input.shape], { dtype: "bool" });
  const miss = binaryErosion(complement, missesFit);
  const out = miss.toTypedArray() as Uint8Array;
  for (let i = 0; i < out.length; i++) out[i] = hit[i] & out[i];
  return new NDArray(out, [...miss.shape], { dtype: "bool" });
}

/** Morphological gradient (scipy.ndimage.morphological_gradient): dilation − erosion. */
export const morphologicalGradient = defineRegionKernel("ndimage.morphologicalGradient",
  (input: NDArray, options: MorphologyCompositionOptions): NDArray => gradient(input, options),
  (options: MorphologyCompositionOptions, ndim: number) => greyReach(options, ndim), { optionKeys: greyKeys });

/** Morphological Laplace (scipy.ndimage.morphological_laplace): dilation + erosion − 2·input. */
export const morphologicalLaplace = defineRegionKernel("ndimage.morphologicalLaplace",
  (input: NDArray, options: MorphologyCompositionOptions): NDArray => laplace(input, options),
  (options: MorphologyCompositionOptions, ndim: number) => greyReach(options, ndim), { optionKeys: greyKeys });

/** Binary hit-or-miss transform (scipy.ndimage.binary_hit_or_miss). */
export const binaryHitOrMiss = defineRegionKernel("ndimage.binaryHitOrMiss",
  (input: NDArray, options?: HitOrMissOptions): NDArray => hitOrMiss(input, options),
  (options: HitOrMissOptions | undefined, ndim: number) => {
    const [fits, missesFit] = hitOrMissSteps(options, ndim);
    const a = binaryErosion.kernelRadius(fits, ndim);
    const b = binaryErosion.kernelRadius(missesFit, ndim);
    return a.map((r, axis) => Math.max(r, b[axis]));
  }, { optionKeys: hitOrMissKeys });
