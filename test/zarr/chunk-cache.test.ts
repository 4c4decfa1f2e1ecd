/**
 * The per-thread cache of decoded chunks behind region reads (src/zarr/chunk-cache.ts): with a
 * budget, neighbouring regions that share storage chunks decode each chunk once on this
 * thread; a chunk rewritten since is decoded again; without a budget nothing is kept; a
 * thread busy computing between two reads keeps its chunks, an idle one drops them.
 */

/** Keeps this thread busy, as a filter running synchronously does between a task's read and the next task's. */
function computeFor(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) { /* busy, as a task is */ }
}
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { createArray, readRegion, writeChunk } from "../../src/zarr/index.js";
import { setTimeout as delay } from "node:timers/promises";
import {
  cachedStoredChunk, chunkCacheCap, chunkCacheDecodes, chunkCacheHeldBytes, chunkCacheBytes, dropChunkCache, setChunkCacheCap, setChunkCacheIdleMs,
} from "../../src/zarr/chunk-cache.js";
import { readStoredChunk } from "../../src/zarr/chunk-io.js";
import { openedArray } from "../../src/zarr/open-array.js";
import { resolveRef } from "../../src/zarr/zarr-ref.js";
import { NDArray } from "../../src/ndarray/ndarray.js";

const shape = [64, 96, 96];
const chunk = [32, 32, 32];
const MiB = 2 ** 20;

/** The value stored at (z, y, x): distinct across the volume, so a misplaced chunk shows. */
const valueAt = (z: number, y: number, x: number, generation = 0): number => (z * 97 + y * 31 + x * 7 + generation * 1000) % 65536;

function expectedBox(start: number[], stop: number[], generationOf: (z: number, y: number, x: number) => number = () => 0): Uint16Array {
  const out = new Uint16Array((stop[0] - start[0]) * (stop[1] - start[1]) * (stop[2] - start[2]));
  let i = 0;
  for (let z = start[0]; z < stop[0]; z++) for (let y = start[1]; y < stop[1]; y++) for (let x = start[2]; x < stop[2]; x++) out[i++] = valueAt(z, y, x, generationOf(z, y, x));
  return out;
}

async function writeChunkAt(path: string, coords: number[], generation: number): Promise<void> {
  const start = coords.map((c, axis) => c * chunk[axis]);
  const stop = start.map((s, axis) => s + chunk[axis]);
  await writeChunk({ path }, coords, new NDArray(expectedBox(start, stop, () => generation), chunk, { dtype: "uint16" }));
}

describe("the chunk cache behind region reads", () => {
  let dir: string;
  let path: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "tessera-chunk-cache-"));
    path = join(dir, "volume.zarr");
    await createArray({ path }, { shape, chunks: chunk, dtype: "uint16", compressor: { id: "blosc", cname: "lz4", clevel: 5, shuffle: 1 } });
    for (let z = 0; z < 2; z++) for (let y = 0; y < 3; y++) for (let x = 0; x < 3; x++) await writeChunkAt(path, [z, y, x], 0);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  // Two halos of neighbouring groups: both overlap the 2 × 2 × 2 chunks at the origin.
  const first = { start: [0, 0, 0], stop: [40, 40, 40] };
  const second = { start: [24, 20, 8], stop: [64, 60, 48] };

  it("decodes a chunk shared by neighbouring regions once per thread, with the right values", async () => {
    const before = chunkCacheDecodes();
    const a = await readRegion({ path }, first.start, first.stop, { cacheBytes: 16 * MiB });
    assert.equal(chunkCacheDecodes() - before, 8, "the first region decodes its 8 chunks");
    const b = await readRegion({ path }, second.start, second.stop, { cacheBytes: 16 * MiB });
    assert.equal(chunkCacheDecodes() - before, 8, "the second decodes none again");
    assert.deepEqual(a.toTypedArray(), expectedBox(first.start, first.stop));
    assert.deepEqual(b.toTypedArray(), expectedBox(second.start, second.stop));
  });

  it("keeps no more than the thread's cap, whatever a read asks for, and nothing once dropped", async () => {
    const chunkBytes = chunk.reduce((a, b) => a * b, 2); // 64 KiB per decoded uint16 chunk
    try {
      dropChunkCache();
      setChunkCacheCap(3 * chunkBytes);
      assert.equal(chunkCacheCap(), 3 * chunkBytes);
      await readRegion({ path }, first.start, first.stop, { cacheBytes: 16 * MiB });
      assert.equal(chunkCacheHeldBytes(), 3 * chunkBytes, "8 chunks read, 3 kept: the cap, not the read's budget");
      dropChunkCache();
      assert.equal(chunkCacheHeldBytes(), 0);
      const before = chunkCacheDecodes();
      await readRegion({ path }, first.start, first.stop, { cacheBytes: 16 * MiB });
      assert.equal(chunkCacheDecodes() - before, 8, "dropped chunks are decoded again");
      assert.throws(() => setChunkCacheCap(-1), /chunk cache cap -1 must be a number of bytes/);
    } finally {
      setChunkCacheCap(chunkCacheBytes);
      dropChunkCache();
    }
  });

  it("decodes every region's chunks again without a budget", async () => {
    const before = chunkCacheDecodes();
    await readRegion({ path }, first.start, first.stop);
    await readRegion({ path }, second.start, second.stop);
    assert.equal(chunkCacheDecodes() - before, 16);
  });

  it("decodes a chunk again once it was rewritten, and reads the new values", async () => {
    await readRegion({ path }, first.start, first.stop, { cacheBytes: 16 * MiB });
    await writeChunkAt(path, [1, 1, 0], 1);
    const before = chunkCacheDecodes();
    const b = await readRegion({ path }, second.start, second.stop, { cacheBytes: 16 * MiB });
    assert.equal(chunkCacheDecodes() - before, 1, "only the rewritten chunk is decoded again");
    const rewritten = (z: number, y: number, x: number) => (z >= 32 && y >= 32 && y < 64 && x < 32 ? 1 : 0);
    assert.deepEqual(b.toTypedArray(), expectedBox(second.start, second.stop, rewritten));
  });

  it("keeps the chunks through a task that keeps the thread busy for longer than the idle time, and drops them once idle", async () => {
    const previous = setChunkCacheIdleMs(50);
    try {
      dropChunkCache();
      const before = chunkCacheDecodes();
      await readRegion({ path }, first.start, first.stop, { cacheBytes: 16 * MiB });
      computeFor(300);
      await delay(0); // the overdue idle timer runs now, after the busy stretch
      await readRegion({ path }, second.start, second.stop, { cacheBytes: 16 * MiB });
      assert.equal(chunkCacheDecodes() - before, 8, "the next task's read finds the chunks the previous one decoded");
      // Now idle: the chunks go (waited for as an event, with a generous deadline).
      const deadline = performance.now() + 30_000;
      while (chunkCacheHeldBytes() > 0 && performance.now() < deadline) await delay(10);
      assert.equal(chunkCacheHeldBytes(), 0, "an idle thread holds no chunks");
      assert.throws(() => setChunkCacheIdleMs(0), /idle time 0 must be a positive number/);
    } finally {
      setChunkCacheIdleMs(previous);
      dropChunkCache();
    }
  });

  it("keeps what a read decodes when its file or decode is slower than the idle time (a waiting read is not idle)", async () => {
    const previous = setChunkCacheIdleMs(20);
    try {
      dropChunkCache();
      const array = await openedArray(resolveRef({ path }));
      // A slow disk: the decode waits well past the idle time before it reads (the time passing is what is tested).
      const slowDecode = async (opened: typeof array, coords: readonly number[]) => {
        await delay(150);
        return readStoredChunk(opened, coords);
      };
      const chunkRead = await cachedStoredChunk(array, [0, 0, 0], slowDecode, 16 * MiB);
      assert.ok(chunkRead, "the chunk exists");
      assert.equal(chunkCacheHeldBytes(), chunkRead.data.byteLength, "the chunk is kept once its slow read ends");
      const decodes = chunkCacheDecodes();
      assert.equal(await cachedStoredChunk(array, [0, 0, 0], slowDecode, 16 * MiB), chunkRead, "the next read finds it");
      assert.equal(chunkCacheDecodes(), decodes, "without decoding it again");
    } finally {
      setChunkCacheIdleMs(previous);
      dropChunkCache();
    }
  });

  it("reads a region that is exactly one stored chunk without keeping it, and never hands out the cached chunk itself", async () => {
    dropChunkCache();
    const whole = { start: [32, 32, 0], stop: [64, 64, 32] }; // chunk [1, 1, 0] (rewritten above: generation 1)
    const values = expectedBox(whole.start, whole.stop, () => 1);
    try {
      // Cold: decoded once, returned as it is, not kept (the next whole read decodes again).
      let before = chunkCacheDecodes();
      const cold = await readRegion({ path }, whole.start, whole.stop, { cacheBytes: 16 * MiB });
      assert.deepEqual(cold.toTypedArray(), values);
      assert.equal(chunkCacheDecodes() - before, 1);
      assert.equal(chunkCacheHeldBytes(), 0, "a whole-chunk read keeps nothing");
      // Cached by a larger region read first: the whole-chunk read copies the cached chunk.
      await readRegion({ path }, [24, 24, 0], [64, 64, 40], { cacheBytes: 16 * MiB });
      before = chunkCacheDecodes();
      const shared = await readRegion({ path }, whole.start, whole.stop, { cacheBytes: 16 * MiB });
      assert.equal(chunkCacheDecodes() - before, 0, "served from the cache");
      (shared.data as Uint16Array).fill(7); // a consumer writing into its result must not change the cache
      const again = await readRegion({ path }, [30, 30, 0], [64, 64, 32], { cacheBytes: 16 * MiB });
      assert.equal(chunkCacheDecodes() - before, 0);
      assert.deepEqual(again.toTypedArray(), expectedBox([30, 30, 0], [64, 64, 32], (z, y) => (z >= 32 && y >= 32 ? 1 : 0)));
      // And with the dropped axes of a squeezed view, the same values.
      const squeezed = await readRegion({ path }, [0, 0, 0], [32, 32, 32], { cacheBytes: 16 * MiB });
      assert.deepEqual(squeezed.toTypedArray(), expectedBox([0, 0, 0], [32, 32, 32]));
    } finally {
      dropChunkCache();
    }
  });

  it("refuses a cache budget that is not a number of bytes, and options it does not know", async () => {
    await assert.rejects(readRegion({ path }, first.start, first.stop, { cacheBytes: -1 }), /cacheBytes -1 .* must be a number of bytes/);
    await assert.rejects(readRegion({ path }, first.start, first.stop, { cacheSize: 5 } as never), /does not take cacheSize/);
  });
});
