/**
 * Preparing `toZarr`: the storage chunking (the array's own chunks when they are regular,
 * else the largest chunk per axis), creating (or, with overwrite, replacing) the Zarr array,
 * and the store expression that writes each storage chunk once.
 */
import { InvalidOptionError } from "../core/errors.js";
import { tokenize } from "../core/ids.js";
import { createArray, type CompressorSpec } from "../zarr/index.js";
import { blockCounts, blockIndices, type Chunks } from "./chunks.js";
import type { ArrayNode } from "./expr.js";
import { regularChunks } from "./sources.js";
import { StoreExpr } from "./to-zarr.js";
import { blockKey } from "../graph/keys.js";

export interface ToZarrOptions {
  component?: string;
  overwrite?: boolean;
  zarrFormat?: 2 | 3;
  compressor?: CompressorSpec | null;
  /** Storage chunk shape (default: the array's chunks when regular). */
  chunks?: number[];
  fillValue?: number | null;
  attributes?: Record<string, unknown>;
}

function isRegular(sizes: readonly number[]): boolean {
  return sizes.slice(0, -1).every((s) => s === sizes[0]) && sizes[sizes.length - 1] <= sizes[0];
}

export async function prepareStore(array: ArrayNode, path: string, options: ToZarrOptions): Promise<{ store: ArrayNode; keys: string[] }> {
  if (array.shape.some((n) => !Number.isFinite(n))) throw new InvalidOptionError("toZarr needs an array of known shape");
  const storageShape = options.chunks ?? array.chunks.map((sizes) => (isRegular(sizes) ? Math.max(sizes[0], 1) : Math.max(...sizes, 1)));
  if (storageShape.length !== array.shape.length || storageShape.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new InvalidOptionError(`toZarr chunks [${storageShape.join(", ")}] must be one positive integer per axis`);
  }
  const storageChunks: Chunks = regularChunks(array.shape, storageShape);
  const ref = { path, ...(options.component ? { component: options.component } : {}) };
  await createArray(ref, {
    shape: [...array.shape], chunks: storageShape, dtype: array.dtype, overwrite: options.overwrite ?? false,
    ...(options.zarrFormat ? { zarrFormat: options.zarrFormat } : {}),
    ...(options.compressor !== undefined ? { compressor: options.compressor } : {}),
    ...(options.fillValue !== undefined ? { fillValue: options.fillValue } : {}),
    ...(options.attributes ? { attributes: options.attributes } : {}),
  });
  const name = `store-${tokenize(array.name, path, options.component ?? "", storageShape)}`;
  const store: ArrayNode = { name, shape: array.shape, chunks: storageChunks, dtype: array.dtype, expr: new StoreExpr(array, ref, storageChunks) };
  const keys = [...blockIndices(blockCounts(storageChunks))].map((index) => blockKey(name, index));
  return { store, keys };
}
