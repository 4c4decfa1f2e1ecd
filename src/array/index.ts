// Public entry point `tessera/array`: lazy chunked arrays (dask.array's counterpart).
import { InvalidOptionError } from "../core/errors.js";
import { tokenize } from "../core/ids.js";
import * as nd from "../ndarray/index.js";
import type { DType } from "../ndarray/dtype.js";
import { dtypeInfo, toDType } from "../ndarray/dtype.js";
import type { NDArray } from "../ndarray/ndarray.js";
import { openArray } from "../zarr/index.js";
import { LazyArray, binary, computeArrays, mapBlocksOf, persistArrays, type MapBlocksOptions } from "./array.js";
import { normalizeChunks, type ChunkSpec } from "./chunks.js";
import { FillExpr, FromArrayExpr, FromZarrExpr, regularChunks } from "./sources.js";
import type { MapOverlapOptions } from "./map-overlap.js";

export { LazyArray as Array, computeArrays as compute, persistArrays as persist };
export type { ExecuteOptions, MapBlocksOptions, IndexItem } from "./array.js";
export type { MapOverlapOptions, BoundarySpec } from "./map-overlap.js";
export type { ReductionCallOptions } from "./reductions.js";
export type { ToZarrOptions } from "./store.js";
export { toZarrProgress } from "./resume.js";
export * as ndimage from "./ndimage.js";
export type { ChunkSpec } from "./chunks.js";

/** Opens a Zarr array lazily; `chunks` defaults to the stored chunks. */
export async function fromZarr(path: string, options: { component?: string; chunks?: ChunkSpec } = {}): Promise<LazyArray> {
  const info = await openArray({ path, ...(options.component ? { component: options.component } : {}) });
  const stored = regularChunks(info.shape, info.chunks);
  const chunks = options.chunks !== undefined ? normalizeChunks(options.chunks, info.shape, dtypeInfo(info.dtype).itemsize, stored) : stored;
  const name = `from-zarr-${tokenize(info.path, info.component ?? "", info.shape, info.dtype, chunks)}`;
  return new LazyArray(name, info.shape, chunks, info.dtype, new FromZarrExpr({ path: info.path, ...(info.component ? { component: info.component } : {}) }, info.chunks));
}

/** Chunks an in-memory NDArray (each block travels with its task). */
export function fromArray(data: NDArray, options: { chunks?: ChunkSpec } = {}): LazyArray {
  const chunks = normalizeChunks(options.chunks ?? "auto", data.shape, data.itemsize);
  return new LazyArray(`array-${tokenize(data, chunks)}`, data.shape, chunks, data.dtype, new FromArrayExpr(data));
}

export interface CreationOptions {
  chunks?: ChunkSpec;
  dtype?: DType | string;
}

function filled(kind: string, shape: number[], options: CreationOptions, fill: { value: number } | { random: number }, defaultDtype: DType): LazyArray {
  for (const n of shape) if (!Number.isInteger(n) || n < 0) throw new InvalidOptionError(`${kind}: shape [${shape.join(", ")}] must hold non-negative integers`);
  const dtype = options.dtype !== undefined ? toDType(options.dtype, `${kind} dtype`) : defaultDtype;
  const chunks = normalizeChunks(options.chunks ?? "auto", shape, dtypeInfo(dtype).itemsize);
  return new LazyArray(`${kind}-${tokenize(shape, chunks, dtype, fill)}`, shape, chunks, dtype, new FillExpr(fill));
}

export const zeros = (shape: number[], options: CreationOptions = {}): LazyArray => filled("zeros", shape, options, { value: 0 }, "float64");
export const ones = (shape: number[], options: CreationOptions = {}): LazyArray => filled("ones", shape, options, { value: 1 }, "float64");
export const full = (shape: number[], value: number, options: CreationOptions = {}): LazyArray => filled("full", shape, options, { value }, "float64");
/** Uniform random numbers in [0, 1), deterministic for a seed (each block seeded by its index). */
export const random = (shape: number[], options: CreationOptions & { seed?: number } = {}): LazyArray =>
  filled("random", shape, options, { random: options.seed ?? Math.floor(Math.random() * 2 ** 31) }, "float64");

/** fn applied block by block to one or more arrays (matched by block index). */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export function mapBlocks(fn: Function, arrays: LazyArray | LazyArray[], options: MapBlocksOptions = {}, fnOptions?: Record<string, unknown>): LazyArray {
  return mapBlocksOf(fn, Array.isArray(arrays) ? arrays : [arrays], options, fnOptions);
}

/** fn applied to each block extended by `depth` cells of its neighbours, then trimmed. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export function mapOverlap(fn: Function, array: LazyArray, options: MapOverlapOptions, fnOptions?: Record<string, unknown>): LazyArray {
  return array.mapOverlap(fn, options, fnOptions);
}

type Operand = LazyArray | number;
export const add = (a: Operand, b: Operand): LazyArray => binary(nd.add, a, b);
export const subtract = (a: Operand, b: Operand): LazyArray => binary(nd.subtract, a, b);
export const multiply = (a: Operand, b: Operand): LazyArray => binary(nd.multiply, a, b);
export const divide = (a: Operand, b: Operand): LazyArray => binary(nd.divide, a, b);
export const maximum = (a: Operand, b: Operand): LazyArray => binary(nd.maximum, a, b);
export const minimum = (a: Operand, b: Operand): LazyArray => binary(nd.minimum, a, b);

