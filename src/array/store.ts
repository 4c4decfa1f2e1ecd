/**
 * Preparing `toZarr`: the storage chunking (the array's own chunks when they are regular,
 * else the largest chunk per axis), creating (or, with overwrite, replacing) the Zarr array,
 * and the store expression that writes each storage chunk once and marks it complete. With
 * `resume`, chunks an interrupted run of the same computation completed are left out
 * (resume.ts).
 */
import { InvalidOptionError } from "../core/errors.js";
import { tokenize } from "../core/ids.js";
import { createArray, type CompressorSpec } from "../zarr/index.js";
import { blockCounts, blockIndices, type Chunks } from "./chunks.js";
import type { ArrayNode } from "./expr.js";
import { regularChunks } from "./sources.js";
import { StoreExpr } from "./to-zarr.js";
import { blockKey } from "../graph/keys.js";
import { prepareResumableTarget, resumeTokenFor } from "./resume.js";

export interface ToZarrOptions {
  component?: string;
  overwrite?: boolean;
  zarrFormat?: 2 | 3;
  compressor?: CompressorSpec | null;
  /** Storage chunk shape (default: the array's chunks when regular). */
  chunks?: number[];
  fillValue?: number | null;
  attributes?: Record<string, unknown>;
  /**
   * Write only the chunks that an interrupted run of the same computation left unwritten
   * (a crash, a walltime kill). A different computation at the path is refused unless
   * `overwrite` is also true, which then starts again.
   */
  resume?: boolean;
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
  const encoding = { zarrFormat: options.zarrFormat ?? null, compressor: options.compressor ?? null, fillValue: options.fillValue ?? null };
  const resumeToken = resumeTokenFor(array, storageShape, encoding);
  const complete = await prepareResumableTarget(ref, resumeToken, options, async () => {
    await createArray(ref, {
      shape: [...array.shape], chunks: storageShape, dtype: array.dtype, overwrite: options.overwrite ?? false,
      ...(options.zarrFormat ? { zarrFormat: options.zarrFormat } : {}),
      ...(options.compressor !== undefined ? { compressor: options.compressor } : {}),
      ...(options.fillValue !== undefined ? { fillValue: options.fillValue } : {}),
      ...(options.attributes ? { attributes: options.attributes } : {}),
    });
  });
  const name = `store-${tokenize(array.name, path, options.component ?? "", storageShape)}`;
  const store: ArrayNode = { name, shape: array.shape, chunks: storageChunks, dtype: array.dtype, expr: new StoreExpr(array, ref, storageChunks, complete, resumeToken.token) };
  const keys = [...blockIndices(blockCounts(storageChunks))].filter((index) => !complete.has(index.join("."))).map((index) => blockKey(name, index));
  return { store, keys };
}
