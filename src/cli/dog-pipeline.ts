/**
 * The course's difference-of-Gaussians pipeline, as its script writes it: open the volume,
 * squeeze the singleton axes, rechunk to (32, 64, 64), Gaussian filters with sigma 3 and 10
 * (mode "nearest") through mapOverlap with depth 40 and no `boundary` (Dask's default,
 * "none": halos stop at the volume's edges, where the filter's own mode takes over),
 * subtract, write to Zarr. With uint16 input the subtraction wraps exactly as NumPy's does
 * (the result Dask + scipy give).
 */
import * as ta from "../array/index.js";
import type { BoundarySpec } from "../array/map-overlap.js";
import { gaussianFilter } from "../ndimage/index.js";
import type { GraphExecutor } from "../graph/executor.js";
import { haloAdvice, type HaloAdvice } from "../array/halo-advice.js";

export interface DogOptions {
  input: string;
  component?: string;
  output: string;
  chunks?: number[];
  depth?: number;
  sigmas?: [number, number];
  /** mapOverlap's boundary; omitted as in the course's script (Dask's default "none"). */
  boundary?: BoundarySpec;
  executor?: GraphExecutor;
}

/** The lazy DoG array of the course's script (nothing computed yet). */
export async function dogArray(options: Omit<DogOptions, "output" | "executor">): Promise<ta.Array> {
  const data = await ta.fromZarr(options.input, { component: options.component ?? "0/0" });
  const volume = data.squeeze().rechunk(options.chunks ?? [32, 64, 64]);
  const overlap = { depth: options.depth ?? 40, ...(options.boundary !== undefined ? { boundary: options.boundary } : {}) };
  const [small, large] = options.sigmas ?? [3, 10];
  const sharp = volume.mapOverlap(gaussianFilter, overlap, { sigma: small, order: 0, mode: "nearest" });
  const blurred = volume.mapOverlap(gaussianFilter, overlap, { sigma: large, order: 0, mode: "nearest" });
  return ta.subtract(sharp, blurred);
}

export interface DogResult {
  shape: readonly number[];
  /** Output chunks written. */
  tasks: number;
  /** The pipeline's chunks (the rechunk's, capped at the shape) and depth per axis. */
  chunks: number[];
  depth: number[];
  /** Cells read per cell written with a task per chunk, and the chunking that would bring it under 2×. */
  halo: HaloAdvice;
}

export async function runDogPipeline(options: DogOptions): Promise<DogResult> {
  const dog = await dogArray(options);
  await dog.toZarr(options.output, { overwrite: true, ...(options.executor ? { executor: options.executor } : {}) });
  const chunks = dog.chunks.map((sizes) => sizes[0] ?? 0);
  const depth = dog.shape.map(() => options.depth ?? 40);
  return { shape: dog.shape, tasks: dog.numblocks.reduce((a, b) => a * b, 1), chunks, depth, halo: haloAdvice(dog.shape, chunks, depth) };
}
