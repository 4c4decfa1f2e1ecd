// Atomic chunk writes: a writer killed with SIGKILL in the middle of writing many large chunks
// leaves only complete chunks (plus hidden temporary files no key names), and a reader racing
// a writer sees the old chunk or the new one, never a mix. Also the store's own contract.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { NDArray } from "../../src/ndarray/ndarray.js";
import { AtomicFileSystemStore, createArray, isPartialWrite, readChunk, writeChunk } from "../../src/zarr/index.js";
import { makeTempDirectory } from "./python-anchor.js";

const zarrModule = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../src/zarr/index.js");
const ndarrayModule = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../src/ndarray/ndarray.js");

const planes = 40;
const side = 1024;

/** Chunk z of the test array: a fixed pattern whose first row holds z, so a tear or mix shows. */
function planeValue(z: number, index: number): number {
  return index < 1024 ? z : (index * 31 + (index >>> 10)) & 0xffff;
}

const writerScript = `
import { writeChunk } from ${JSON.stringify(zarrModule)};
import { NDArray } from ${JSON.stringify(ndarrayModule)};
const [store] = process.argv.slice(2);
const side = ${side};
const planeValue = ${planeValue.toString()};
const base = new Uint16Array(side * side);
for (let i = 0; i < base.length; i++) base[i] = planeValue(0, i);
const writeOne = async (z) => {
  const data = base.slice();
  data.fill(z, 0, 1024);
  await writeChunk({ path: store }, [z, 0, 0], new NDArray(data, [1, side, side]));
};
// Eight writes in flight at a time, so the kill lands in the middle of some.
for (let z = 0; z < ${planes}; z += 8) await Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map((i) => writeOne(z + i)));
`;

describe("atomic chunk writes", () => {
  let temp: { path: string; remove(): Promise<void> };
  before(async () => {
    temp = await makeTempDirectory("zarr-atomic");
  });
  after(() => temp.remove());

  it("leaves only complete chunks when the writer is killed with SIGKILL mid-write", async () => {
    const store = path.join(temp.path, "killed.zarr");
    // Uncompressed, so every chunk is 2 MiB on disk and writes take long enough to interrupt.
    await createArray(store, { shape: [planes, side, side], chunks: [1, side, side], dtype: "uint16", compressor: null });
    const script = path.join(temp.path, "writer.mjs");
    await writeFile(script, writerScript);
    const child = spawn(process.execPath, [script, store], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on("exit", (code, signal) => resolve({ code, signal })));
    const deadline = Date.now() + 20_000;
    // Kill once some chunks are complete and another is caught half-written.
    const fullSize = side * side * 2;
    while (Date.now() < deadline) {
      const names = await readdir(store).catch(() => [] as string[]);
      if (names.filter((name) => /^\d+\.0\.0$/.test(name)).length < 6) continue;
      const sizes = await Promise.all(names.filter(isPartialWrite).map((name) => stat(path.join(store, name)).then((s) => s.size, () => fullSize)));
      if (sizes.some((size) => size < fullSize)) break;
    }
    child.kill("SIGKILL");
    const { signal } = await exited;
    assert.equal(signal, "SIGKILL", `the writer finished before it could be killed (stderr: ${stderr})`);

    const names = await readdir(store);
    const chunkNames = names.filter((name) => !name.startsWith("."));
    const partial = names.filter(isPartialWrite);
    assert.ok(chunkNames.length >= 6 && chunkNames.length < planes, `${chunkNames.length} chunks were written before the kill`);
    assert.deepEqual(names.filter((name) => name.startsWith(".") && name !== ".zarray" && !isPartialWrite(name)), []);
    const torn = (await Promise.all(partial.map((name) => stat(path.join(store, name))))).filter((file) => file.size < fullSize).length;
    // Torn temporaries are what a plain writeFile store would have left under chunk keys.
    console.log(`killed writer left ${chunkNames.length} chunk files and ${partial.length} temporary files (${torn} of them torn)`);
    for (const name of chunkNames) {
      const z = Number(name.split(".")[0]);
      const chunk = await readChunk({ path: store }, [z, 0, 0]);
      let wrong = 0;
      for (let i = 0; i < side * side; i++) if (chunk.data[i] !== planeValue(z, i)) wrong++;
      assert.equal(wrong, 0, `chunk ${name} is torn`);
    }
  });

  it("lets a reader racing a writer see the old chunk or the new one, never a mix", async () => {
    const store = path.join(temp.path, "raced.zarr");
    const raceSide = 256;
    await createArray(store, { shape: [raceSide, raceSide], chunks: [raceSide, raceSide], dtype: "uint16", compressor: null });
    const versions = [1, 2].map((v) => new NDArray(new Uint16Array(raceSide * raceSide).fill(v), [raceSide, raceSide]));
    await writeChunk({ path: store }, [0, 0], versions[0]);
    const seen = new Set<string>();
    const writer = (async () => {
      for (let i = 0; i < 40; i++) await writeChunk({ path: store }, [0, 0], versions[i % 2]);
    })();
    const reader = (async () => {
      for (let i = 0; i < 80; i++) {
        const chunk = await readChunk({ path: store }, [0, 0]);
        const first = chunk.data[0];
        seen.add(chunk.data.every((value) => value === first) ? String(first) : "mixed");
      }
    })();
    await Promise.all([writer, reader]);
    for (const values of seen) assert.ok(values === "1" || values === "2", `a reader saw a mixed chunk: values ${values}`);
  });
});

describe("AtomicFileSystemStore", () => {
  let temp: { path: string; remove(): Promise<void> };
  before(async () => {
    temp = await makeTempDirectory("zarr-store");
  });
  after(() => temp.remove());

  it("gets, sets through parent directories, ranges, has and deletes", async () => {
    const store = new AtomicFileSystemStore(path.join(temp.path, "s"));
    assert.equal(await store.get("/missing"), undefined);
    await store.set("/a/b/c", new Uint8Array([1, 2, 3, 4, 5]));
    assert.deepEqual([...(await store.get("/a/b/c"))!], [1, 2, 3, 4, 5]);
    assert.deepEqual([...(await store.getRange("/a/b/c", { offset: 1, length: 2 }))!], [2, 3]);
    assert.deepEqual([...(await store.getRange("/a/b/c", { suffixLength: 2 }))!], [4, 5]);
    assert.equal(await store.has("/a/b/c"), true);
    assert.equal(await store.has("/a/b"), false, "a directory is not a key");
    assert.equal(await store.get("/a/b/c/d"), undefined, "a key under a file does not exist");
    assert.deepEqual((await readdir(path.join(temp.path, "s", "a", "b"))), ["c"], "no temporary file remains");
    await store.set("/a/x", new Uint8Array([9]));
    assert.equal(await store.delete("/a/x"), true);
    assert.equal(await store.delete("/a/x"), false);
    await store.set("/a/b/again", new Uint8Array([7]));
    assert.deepEqual([...(await readFile(path.join(temp.path, "s", "a", "b", "again")))], [7]);
  });
});
