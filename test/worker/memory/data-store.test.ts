import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DataStore } from "../../../src/worker/memory/data-store.js";
import { LostDataError } from "../../../src/worker/memory/lost-data-error.js";
import { mountTinyFilesystem, tinyFilesystemUnavailable } from "./tiny-filesystem.js";
import { until } from "./watched-cluster.js";
import { CompressionPolicy, compressionPays } from "../../../src/worker/memory/spill-compression.js";
import { readSpillFile, writeSpillFile } from "../../../src/worker/memory/spill-file.js";
import { NDArray, allocate } from "../../../src/ndarray/ndarray.js";

const MiB = 2 ** 20;

/** A 1 MiB float64 block: smooth, so zlib shrinks it; `seed` makes each different. */
function block(seed: number, elements = MiB / 8): NDArray {
  const data = allocate("float64", elements) as Float64Array;
  for (let i = 0; i < data.length; i++) data[i] = Math.round(Math.sin((i + seed) / 300) * 100);
  return new NDArray(data, [elements], { dtype: "float64" });
}

function random(bytes: number): Uint8Array {
  const data = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) data[i] = (Math.random() * 256) | 0;
  return data;
}

describe("spill files", () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), "tessera-spill-file-"))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("round-trip NDArrays, typed arrays and plain values, keeping shared memory shared", async () => {
    const value = { a: block(1), b: new Float32Array([1.5, 2.5]), c: [1, "two", null], d: new Map([["k", new Uint8Array([7])]]) };
    const path = join(dir, "1.spill");
    await writeSpillFile(path, value, new CompressionPolicy(false, false));
    const back = (await readSpillFile(path)) as typeof value;
    assert.deepEqual([...back.a.data.slice(0, 5)], [...value.a.data.slice(0, 5)]);
    assert.ok(back.a.data.buffer instanceof SharedArrayBuffer, "an NDArray comes back in shared memory, ready for compute threads");
    assert.ok(back.b.buffer instanceof ArrayBuffer && !(back.b.buffer instanceof SharedArrayBuffer));
    assert.deepEqual([...back.b], [1.5, 2.5]);
    assert.deepEqual(back.c, [1, "two", null]);
    assert.deepEqual([...(back.d.get("k") as Uint8Array)], [7]);
  });

  it("compress what shrinks (zlib mode) and store the rest as is", async () => {
    const compressible = join(dir, "2.spill");
    const incompressible = join(dir, "3.spill");
    await writeSpillFile(compressible, block(2), new CompressionPolicy("zlib", false));
    const noise = random(MiB);
    await writeSpillFile(incompressible, noise, new CompressionPolicy("zlib", false));
    assert.ok(statSync(compressible).size < MiB / 2, `smooth data shrinks (${statSync(compressible).size} bytes)`);
    assert.ok(statSync(incompressible).size > MiB, "noise is stored raw");
    assert.deepEqual([...((await readSpillFile(compressible)) as NDArray).data.slice(100, 104)], [...block(2).data.slice(100, 104)]);
    assert.deepEqual(await readSpillFile(incompressible), noise);
  });

  it("decide that compression pays only when it saves more time than it costs, or when space is short", () => {
    const fast = { ratio: 0.1, secondsPerByte: 1 / 1e9 };
    const slow = { ratio: 0.7, secondsPerByte: 1 / 50e6 };
    const disk = 1 / 500e6;
    assert.ok(compressionPays("auto", fast, disk, false), "a blank region compresses faster than the disk writes it");
    assert.ok(!compressionPays("auto", slow, disk, false), "numbers that shrink to 70% at 50 MB/s do not pay on a 500 MB/s disk");
    assert.ok(compressionPays("auto", slow, 1 / 10e6, false), "they do on a 10 MB/s disk");
    assert.ok(compressionPays("auto", slow, disk, true), "and when maxSpill bounds the space");
    assert.ok(!compressionPays("zlib", { ratio: 0.95, secondsPerByte: 0 }, disk, true), "never when it saves under 10%");
    assert.ok(!compressionPays(false, fast, disk, true));
  });

  it("refuse a truncated file with a clear error", async () => {
    const path = join(dir, "4.spill");
    await writeSpillFile(path, block(4), new CompressionPolicy(false, false));
    const { truncateSync } = await import("node:fs");
    truncateSync(path, 1000);
    await assert.rejects(readSpillFile(path), /is truncated: 1000 bytes of \d+/);
  });
});

describe("DataStore", () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), "tessera-data-store-"))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  function storeIn(name: string, options: { targetBytes?: number; maxSpillBytes?: number | false } = {}): { store: DataStore; spillDirectory: string } {
    const spillDirectory = mkdtempSync(join(dir, `${name}-`));
    return { store: new DataStore({ spillDirectory, compression: false, ...options }), spillDirectory };
  }

  it("keeps managed bytes at the target by spilling the least recently used, and reads them back transparently", async () => {
    const { store, spillDirectory } = storeIn("lru", { targetBytes: 3 * MiB });
    for (let i = 0; i < 3; i++) store.set(`k${i}`, block(i));
    await store.get("k0"); // k0 is now the most recently used: k1 goes first
    const { diskWrite } = await store.put("k3", block(3));
    assert.ok(diskWrite && diskWrite.stop >= diskWrite.start, "the insert that passed the target waited for the disk");
    assert.equal(store.managedBytes, 3 * MiB);
    assert.equal(store.spilledBytes, MiB);
    assert.ok(!store.isInMemory("k1") && store.isInMemory("k0"));
    assert.equal(readdirSync(spillDirectory).length, 1);
    const back = (await store.get("k1")) as NDArray;
    assert.deepEqual([...back.data.slice(0, 8)], [...block(1).data.slice(0, 8)]);
    await store.settle();
    assert.equal(store.statistics.unspills, 1);
    assert.ok(store.managedBytes <= 3 * MiB, "reading back evicted another");
  });

  it("tells the memory check about every value it brings into memory: inserts with the inserter's outside growth, and values read back from disk", async () => {
    const { store } = storeIn("after-insert", { targetBytes: Infinity });
    const seen: [unknown, number, number][] = [];
    store.afterInsert = (value, nbytes, outsideBytes) => seen.push([value, nbytes, outsideBytes]);
    const stored = block(1);
    await store.put("a", stored, 5 * MiB);
    assert.deepEqual(seen, [[stored, MiB, 5 * MiB]]);
    assert.equal(await store.evictOne(), MiB);
    const back = await store.get("a");
    assert.equal(seen.length, 2, "reading the spilled value back into memory was not reported");
    assert.equal(seen[1][0], back);
    assert.deepEqual(seen[1].slice(1), [MiB, 0]);
  });

  it("keeps a file once written, so evicting a value read back costs no second write", async () => {
    const { store } = storeIn("reuse", { targetBytes: Infinity });
    store.set("a", block(1));
    assert.equal(await store.evictOne(), MiB);
    await store.get("a");
    assert.equal(store.statistics.spills, 1);
    assert.equal(await store.evictOne(), MiB);
    assert.equal(store.statistics.spills, 1, "the same file served twice");
    assert.equal(store.spilledBytes, MiB);
  });

  it("does not spill pinned values, and deletes files with their keys", async () => {
    const { store, spillDirectory } = storeIn("pins", { targetBytes: Infinity });
    store.set("a", block(1));
    store.set("b", block(2));
    await store.pin(["a"]);
    assert.equal(await store.evictOne(), MiB);
    assert.ok(store.isInMemory("a") && !store.isInMemory("b"));
    assert.equal(await store.evictOne(), 0, "only a pinned value is left");
    store.unpin(["a"]);
    store.delete("b");
    await store.settle();
    // delete() does not wait for the file's removal: wait for it here.
    await until(() => readdirSync(spillDirectory).length === 0, "b's spill file to be removed");
    assert.equal(store.spilledBytes, 0);
    assert.equal(store.diskBytes, 0);
  });

  it("stops spilling at maxSpill and keeps the rest in memory", async () => {
    const { store } = storeIn("cap", { targetBytes: MiB, maxSpillBytes: 2.5 * MiB });
    for (let i = 0; i < 6; i++) await store.put(`k${i}`, block(i));
    assert.equal(store.statistics.spills, 2, "two 1 MiB files fit under 2.5 MiB");
    assert.ok(store.diskBytes <= 2.5 * MiB);
    assert.equal(store.managedBytes, 4 * MiB);
    assert.equal(store.evictableBytes, 0, "the memory monitor knows there is nothing left to spill");
    assert.equal(await store.evictOne(), 0);
  });

  it("keeps a value it cannot serialise in memory", async () => {
    const { store } = storeIn("unserialisable", { targetBytes: Infinity });
    store.set("f", { call: () => 1 });
    assert.equal(await store.evictOne(), 0);
    assert.ok(store.isInMemory("f"));
  });

  it("loses a key whose spill file is damaged, cut short or gone: drops it, reports it, never returns a wrong value", async () => {
    const { store, spillDirectory } = storeIn("lost", { targetBytes: Infinity });
    const lost: Array<{ key: string; reason: string }> = [];
    store.onLost = (key, reason) => lost.push({ key, reason });
    for (const key of ["flipped", "cut", "gone", "fine"]) store.set(key, block(key.length));
    for (let i = 0; i < 4; i++) assert.equal(await store.evictOne(), MiB);
    // Files are numbered in spill order: 1 flipped, 2 cut, 3 gone, 4 fine.
    const file = (n: number) => join(spillDirectory, `${n}.spill`);
    const bytes = readFileSync(file(1));
    bytes[bytes.byteLength - 100] ^= 0x10;
    writeFileSync(file(1), bytes);
    truncateSync(file(2), 5000);
    rmSync(file(3));
    const damage = { flipped: /fails its checksum/, cut: /truncated/, gone: /cannot be opened \(ENOENT\)/ };
    for (const [key, cause] of Object.entries(damage)) {
      await assert.rejects(store.get(key), (error: Error) => {
        assert.ok(error instanceof LostDataError, error.message);
        assert.equal(error.key, key);
        assert.match(error.message, new RegExp(`^${key} was lost on this worker: its spill file could not be read back`));
        assert.match(error.message, cause);
        return true;
      });
      assert.ok(!store.has(key), `${key} is no longer held`);
    }
    assert.deepEqual(lost.map((l) => l.key), ["flipped", "cut", "gone"], "each loss reported once");
    assert.match(lost[0].reason, /fails its checksum/);
    await assert.rejects(store.pin(["fine", "flipped"]), /flipped is not held by this worker/, "a lost key is gone, not half there");
    store.unpin(["fine"]);
    assert.deepEqual([...((await store.get("fine")) as NDArray).data.slice(0, 4)], [...block(4).data.slice(0, 4)], "the intact one reads back");
    // delete() does not wait for the files' removal: wait for it here.
    await until(() => readdirSync(spillDirectory).length === 1, "the damaged files to be removed");
    assert.deepEqual(readdirSync(spillDirectory), ["4.spill"], "the damaged files went with their keys");
    assert.equal(store.spilledBytes, 0);
  });

  const noTinyFilesystem = tinyFilesystemUnavailable();
  if (noTinyFilesystem) console.log(`# skipping the full spill disk test of DataStore: ${noTinyFilesystem}`);
  it("stops spilling at once when its directory is full, naming it and the room left, and keeps the values", { skip: noTinyFilesystem }, async () => {
    const disk = mountTinyFilesystem(2.5 * MiB);
    try {
      const warnings: string[] = [];
      const store = new DataStore({ spillDirectory: disk.path, compression: false, targetBytes: Infinity });
      store.onSpillStopped = (message) => warnings.push(message);
      for (let i = 0; i < 4; i++) store.set(`k${i}`, block(i));
      const freed = [await store.evictOne(), await store.evictOne(), await store.evictOne(), await store.evictOne()];
      assert.deepEqual(freed, [MiB, MiB, 0, 0], "two files fit; the third write fails and nothing more is tried");
      assert.equal(warnings.length, 1, warnings.join("\n"));
      assert.match(warnings[0], new RegExp(`^spill directory ${disk.path} is full \\(\\d+(\\.\\d+)? kiB free, ENOSPC writing a spill file\\): this worker writes no more spill files`));
      assert.match(warnings[0], /Free space there and restart the worker, or give the workers a larger node-local directory \(localDirectory, --local-directory\)/);
      assert.match(store.spillStopped ?? "", /is full/);
      assert.equal(store.evictableBytes, 0, "the memory monitor sees nothing left to spill");
      assert.equal(store.managedBytes, 2 * MiB, "the two values that did not fit stay in memory");
      assert.equal(store.statistics.spills, 2);
      assert.deepEqual(readdirSync(disk.path).sort(), ["1.spill", "2.spill"], "the failed write left no partial file");
      for (let i = 0; i < 4; i++) assert.deepEqual([...((await store.get(`k${i}`)) as NDArray).data.slice(0, 3)], [...block(i).data.slice(0, 3)]);
    } finally {
      disk.unmount();
    }
  });

  it("spills nothing without a spill directory", async () => {
    const store = new DataStore({ targetBytes: 1 });
    store.set("a", block(1));
    assert.equal(await store.evictOne(), 0);
    assert.equal(store.managedBytes, MiB);
  });
});
