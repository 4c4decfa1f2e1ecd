/**
 * Arrays that come from somewhere: a Zarr array, an in-memory NDArray, a constant or random
 * fill, or results already persisted on the cluster. Their blocks are root tasks (or, for
 * persisted arrays, no tasks at all: the keys already exist).
 */
import * as path from "node:path";
import { functionRefOf } from "../graph/function-travel.js";
import type { ZarrArrayInfo, ZarrRef } from "../zarr/index.js";
import { readChunk, readRegion } from "../zarr/index.js";
import * as nd from "../ndarray/index.js";
import type { NDArray } from "../ndarray/ndarray.js";
import type { DType } from "../ndarray/dtype.js";
import type { Scalar } from "../ndarray/creation.js";
import { blockIndices, blockCounts, blockRegion, chunkOffsets, sameChunks, type Chunks } from "./chunks.js";
import type { ArrayExpr, ArrayNode, Call, LowerContext } from "./expr.js";
import { refuseCancelled } from "../core/persisted-collection.js";
import { checkRegularBlockGrid } from "./limits.js";
import type { ZarrSourceIdentity } from "./zarr-source-identity.js";

export class FromZarrExpr implements ArrayExpr {
  readonly kind = "from-zarr";
  readonly inputs = [];
  /** `identity`: what the array's block names stand for (zarr-source-identity.ts). */
  constructor(readonly ref: ZarrRef, readonly storageChunks: readonly number[], readonly identity: ZarrSourceIdentity) {}

  lower(self: ArrayNode, ctx: LowerContext): void {
    const aligned = sameChunks(self.chunks, regularChunks(self.shape, this.storageChunks));
    const offsets = chunkOffsets(self.chunks);
    for (const index of blockIndices(blockCounts(self.chunks))) {
      const { start, stop } = blockRegion(offsets, index);
      // An empty block (a zero-length axis) has no chunk to read: readRegion gives the empty block.
      const empty = start.some((s, axis) => s === stop[axis]);
      if (aligned && !empty) ctx.addBlock(self, index, { fn: functionRefOf(readChunk), args: [this.ref, index] });
      else ctx.addBlock(self, index, { fn: functionRefOf(readRegion), args: [this.ref, start, stop] });
    }
  }

  /** Any box in one task: the storage chunks under it are decoded on the worker (with a cache budget, once per thread: read-region.ts). */
  readBox(_self: ArrayNode, start: readonly number[], stop: readonly number[], dropAxes: readonly number[], cacheBytes: number): Call {
    const options = { ...(dropAxes.length > 0 ? { dropAxes: [...dropAxes] } : {}), ...(cacheBytes > 0 ? { cacheBytes } : {}) };
    return { fn: functionRefOf(readRegion), args: Object.keys(options).length > 0 ? [this.ref, [...start], [...stop], options] : [this.ref, [...start], [...stop]] };
  }
}

export function regularChunks(shape: readonly number[], size: readonly number[]): Chunks {
  return shape.map((n, axis) => {
    const out: number[] = [];
    for (let s = 0; s < n; s += size[axis]) out.push(Math.min(size[axis], n - s));
    return out.length > 0 ? out : [0];
  });
}

/** The stored chunking of an opened Zarr array as lazy array chunks, bounded first (the sizes come from a file). */
export function storedChunksOf(info: ZarrArrayInfo): Chunks {
  const metadataFile = path.join(info.path, info.component ?? "", info.zarrFormat === 2 ? ".zarray" : "zarr.json");
  checkRegularBlockGrid(info.shape, info.chunks, `${metadataFile} ("shape" and "chunks")`);
  return regularChunks(info.shape, info.chunks);
}

export class FromArrayExpr implements ArrayExpr {
  readonly kind = "from-array";
  readonly inputs = [];
  constructor(readonly data: NDArray) {}

  lower(self: ArrayNode, ctx: LowerContext): void {
    const offsets = chunkOffsets(self.chunks);
    for (const index of blockIndices(blockCounts(self.chunks))) {
      const { start, stop } = blockRegion(offsets, index);
      const block = nd.ascontiguousarray(nd.slice(this.data, ...start.map((s, a) => ({ start: s, stop: stop[a] }))));
      ctx.addBlock(self, index, { fn: { builtin: "graph.identity" }, args: [block] });
    }
  }
}

export class FillExpr implements ArrayExpr {
  readonly kind = "fill";
  readonly inputs = [];
  constructor(readonly fill: { value: Scalar } | { random: number }) {}

  lower(self: ArrayNode, ctx: LowerContext): void {
    const offsets = chunkOffsets(self.chunks);
    for (const index of blockIndices(blockCounts(self.chunks))) {
      const { start, stop } = blockRegion(offsets, index);
      const shape = stop.map((s, a) => s - start[a]);
      if ("value" in this.fill) ctx.addBlock(self, index, { fn: functionRefOf(nd.full), args: [shape, this.fill.value, self.dtype as DType] });
      else ctx.addBlock(self, index, { fn: functionRefOf(nd.random), args: [shape, { seed: [this.fill.random, ...index], dtype: self.dtype }] });
    }
  }
}

/** Blocks computed earlier and kept on the cluster (persist): the keys exist, no tasks. */
export class PersistedExpr implements ArrayExpr {
  readonly kind = "persisted";
  readonly inputs = [];
  constructor(readonly release: () => void) {}

  lower(self: ArrayNode): void {
    refuseCancelled(self, `array ${self.name}`);
  }
}
