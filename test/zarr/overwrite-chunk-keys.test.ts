// Which entries an overwrite deletes from the replaced array's directory: the chunk keys its
// own metadata can produce, symbolic links among them (the link, never its target), and
// nothing else. zarr-python's mode='w' is the anchor for the links: it removes them too.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { cp, lstat, mkdir, readFile, readdir, rename, symlink, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { NDArray } from "../../src/ndarray/ndarray.js";
import { createArray, readChunk, writeChunk } from "../../src/zarr/index.js";
import { makeTempDirectory, runPythonCode } from "./python-anchor.js";

/** Every path under `root`, directories with a trailing "/", links as "name -> target". */
async function listing(root: string, relative = ""): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(path.join(root, relative), { withFileTypes: true })) {
    const child = relative === "" ? entry.name : `${relative}/${entry.name}`;
    if (entry.name.startsWith(".tessera-done")) continue; // tessera's completion markers
    if (entry.isSymbolicLink()) found.push(`${child} -> link`);
    else if (entry.isDirectory()) found.push(`${child}/`, ...(await listing(root, child)));
    else found.push(child);
  }
  return found.sort();
}

const chunkData = () => new NDArray(new Uint8Array([10, 20, 30, 52]), [2, 2]); // sums to 112

/** The sum of every element of the 4×4 array at `ref`, chunk by chunk through tessera. */
async function total(ref: { path: string; component?: string }): Promise<number> {
  let sum = 0;
  for (const i of [0, 1]) for (const j of [0, 1]) for (const value of (await readChunk(ref, [i, j])).data) sum += Number(value);
  return sum;
}

describe("overwrite deletes the replaced array's own chunk keys, links included, and nothing else", () => {
  let temp: { path: string; remove(): Promise<void> };
  before(async () => {
    temp = await makeTempDirectory("zarr-overwrite-keys");
  });
  after(() => temp.remove());

  const layouts = [
    { name: "v2 \".\"", directory: "v2-dot", options: { zarrFormat: 2 as const }, key: "1.1", linkedDirectory: undefined },
    { name: "v2 \"/\"", directory: "v2-nested", options: { zarrFormat: 2 as const, dimensionSeparator: "/" as const }, key: "1/1", linkedDirectory: "0" },
    { name: "v3 \"c/\"", directory: "v3", options: { zarrFormat: 3 as const }, key: "c/1/1", linkedDirectory: "c/0" },
  ];
  for (const layout of layouts) {
    it(`${layout.name}: a chunk key that is a symlink is unlinked, its target kept, and the new array reads as fill`, async () => {
      const root = path.join(temp.path, `links-${layout.directory}`);
      const ref = { path: path.join(root, "data.zarr") };
      const elsewhere = path.join(root, "elsewhere");
      await mkdir(elsewhere, { recursive: true });
      const shape = { shape: [4, 4], chunks: [2, 2], dtype: "uint8" as const, ...layout.options };
      await createArray(ref, shape);
      for (const [i, j] of [[0, 0], [0, 1], [1, 1]]) await writeChunk(ref, [i, j], chunkData());
      assert.equal(await total(ref), 3 * 112);
      // Chunk (1, 1) becomes a link to a file outside the store; in a nested layout the
      // directory of row 0's chunks becomes a link to a directory outside it.
      await rename(path.join(ref.path, layout.key), path.join(elsewhere, "chunk-1-1"));
      await symlink(path.join(elsewhere, "chunk-1-1"), path.join(ref.path, layout.key));
      if (layout.linkedDirectory !== undefined) {
        await rename(path.join(ref.path, layout.linkedDirectory), path.join(elsewhere, "row-0"));
        await symlink(path.join(elsewhere, "row-0"), path.join(ref.path, layout.linkedDirectory));
      }
      assert.equal(await total(ref), 3 * 112, "the links are read as the chunks");
      const targets = await listing(elsewhere);
      const targetBytes = await readFile(path.join(elsewhere, "chunk-1-1"));

      await createArray(ref, { ...shape, overwrite: true });
      assert.deepEqual(await listing(ref.path), [layout.options.zarrFormat === 2 ? ".zarray" : "zarr.json"], "only the new metadata is left");
      assert.equal(await total(ref), 0, "no old chunk shows through the new array");
      assert.deepEqual(await listing(elsewhere), targets, "the links' targets are untouched");
      assert.deepEqual(await readFile(path.join(elsewhere, "chunk-1-1")), targetBytes);
    });
  }

  it("zarr-python's mode='w' also removes a linked chunk and keeps its target (the anchor)", async () => {
    const root = path.join(temp.path, "python-anchor");
    const ref = { path: path.join(root, "data.zarr") };
    await mkdir(path.join(root, "elsewhere"), { recursive: true });
    await createArray(ref, { shape: [4, 4], chunks: [2, 2], dtype: "uint8" });
    await writeChunk(ref, [1, 1], chunkData());
    await rename(path.join(ref.path, "1.1"), path.join(root, "elsewhere", "chunk"));
    await symlink(path.join(root, "elsewhere", "chunk"), path.join(ref.path, "1.1"));
    await cp(ref.path, path.join(root, "python.zarr"), { recursive: true, verbatimSymlinks: true });
    assert.ok((await lstat(path.join(root, "python.zarr", "1.1"))).isSymbolicLink());
    const read = await runPythonCode(
      "import sys, os, zarr\n" +
        "z = zarr.open(sys.argv[1], mode='w', shape=(4, 4), chunks=(2, 2), dtype='u1')\n" +
        "print(sorted(os.listdir(sys.argv[1])), int(z[:].sum()), os.path.getsize(sys.argv[2]) > 0)",
      [path.join(root, "python.zarr"), path.join(root, "elsewhere", "chunk")],
    );
    assert.equal(read.trim(), "['.zarray'] 0 True");
    await createArray(ref, { shape: [4, 4], chunks: [2, 2], dtype: "uint8", overwrite: true });
    assert.deepEqual(await listing(ref.path), [".zarray"]);
    const again = await runPythonCode("import sys, zarr; print(int(zarr.open_array(sys.argv[1], mode='r')[:].sum()))", [ref.path]);
    assert.equal(again.trim(), "0");
  });

  it("v2 \".\": a user's folders named like numbers or \"c\", and a file named like a key of another dimension count, survive", async () => {
    const ref = { path: path.join(temp.path, "user-folders-dot.zarr") };
    await createArray(ref, { shape: [4, 4], chunks: [2, 2], dtype: "uint8" });
    for (const [i, j] of [[0, 0], [0, 1], [1, 0], [1, 1]]) await writeChunk(ref, [i, j], chunkData());
    const user = ["2024/1", "2024/2", "c/0", "5", "0.0.0", "0/1"];
    await mkdir(path.join(ref.path, "2024"));
    await mkdir(path.join(ref.path, "c"));
    await mkdir(path.join(ref.path, "0"));
    for (const file of user) await writeFile(path.join(ref.path, file), `the user's ${file}\n`);

    await createArray(ref, { shape: [4, 4], chunks: [2, 2], dtype: "uint8", overwrite: true });
    assert.deepEqual(await listing(ref.path), [".zarray", "0.0.0", "0/", "0/1", "2024/", "2024/1", "2024/2", "5", "c/", "c/0"]);
    for (const file of user) assert.equal(await readFile(path.join(ref.path, file), "utf8"), `the user's ${file}\n`);
    assert.equal(await total(ref), 0);
    const read = await runPythonCode("import sys, zarr; z = zarr.open_array(sys.argv[1], mode='r'); print(z.shape, int(z[:].sum()))", [ref.path]);
    assert.equal(read.trim(), "(4, 4) 0");
  });

  it("v2 \"/\" and v3: only paths of exactly the array's depth and prefix are taken as chunk keys", async () => {
    for (const options of [{ zarrFormat: 2 as const, dimensionSeparator: "/" as const }, { zarrFormat: 3 as const }]) {
      const ref = { path: path.join(temp.path, `user-folders-v${options.zarrFormat}.zarr`) };
      await createArray(ref, { shape: [4, 4], chunks: [2, 2], dtype: "uint8", ...options });
      for (const [i, j] of [[0, 0], [0, 1], [1, 0], [1, 1]]) await writeChunk(ref, [i, j], chunkData());
      // Deeper ("1/5/7") or shallower (a file "3") than a key, flat names, and in v3 keys without "c".
      const base = options.zarrFormat === 2 ? "" : "c/";
      const user = [`${base}1/5/7`, `${base}3`, "1.1", ...(options.zarrFormat === 3 ? ["0/1", "c.0.0"] : [])];
      for (const file of user) {
        await mkdir(path.dirname(path.join(ref.path, file)), { recursive: true });
        await writeFile(path.join(ref.path, file), `the user's ${file}\n`);
      }
      await createArray(ref, { shape: [4, 4], chunks: [2, 2], dtype: "uint8", ...options, overwrite: true });
      const expected = options.zarrFormat === 2
        ? [".zarray", "1.1", "1/", "1/5/", "1/5/7", "3"]
        : ["0/", "0/1", "1.1", "c.0.0", "c/", "c/1/", "c/1/5/", "c/1/5/7", "c/3", "zarr.json"];
      assert.deepEqual(await listing(ref.path), expected, `v${options.zarrFormat}: every chunk is gone, every user file stays`);
      for (const file of user) assert.equal(await readFile(path.join(ref.path, file), "utf8"), `the user's ${file}\n`);
      assert.equal(await total(ref), 0);
    }
  });

  it("an array whose metadata cannot be read is still replaced: its chunks by the grammar of both versions, other files kept", async () => {
    const ref = { path: path.join(temp.path, "corrupt-metadata.zarr") };
    await createArray(ref, { shape: [4, 4], chunks: [2, 2], dtype: "uint8" });
    await writeChunk(ref, [1, 1], chunkData());
    await writeFile(path.join(ref.path, ".zarray"), "{ truncated by a full disk");
    await writeFile(path.join(ref.path, "notes.txt"), "mine\n");
    await createArray(ref, { shape: [4, 4], chunks: [2, 2], dtype: "uint8", overwrite: true });
    assert.deepEqual(await listing(ref.path), [".zarray", "notes.txt"]);
    assert.equal(await total(ref), 0);
  });
});
