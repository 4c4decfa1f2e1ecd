// Issue 9 item 1, as the mistake happened: `toZarr(home, { overwrite: true })` and
// `toZarr(home, { component: "results" })` aimed at a directory full of someone's files. The
// user keeps every file byte for byte; a Zarr store that also holds the user's own files loses
// only its Zarr keys when overwritten (zarr-python reads the new array).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { lstat, mkdir, readdir, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import * as path from "node:path";
import * as ta from "../../src/array/index.js";
import { NDArray } from "../../src/ndarray/ndarray.js";
import { ZarrArrayExistsError, ZarrForeignFilesError, createArray, readChunk, writeChunk } from "../../src/zarr/index.js";
import { makeTempDirectory, runPythonCode } from "./python-anchor.js";

/** Every file under `root` (relative path → sha256 of its bytes). */
async function snapshot(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const walk = async (directory: string) => {
    for (const entry of await readdir(directory, { withFileTypes: true })) {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) await walk(full);
      else files.set(path.relative(root, full), createHash("sha256").update(await readFile(full)).digest("hex"));
    }
  };
  await walk(root);
  return files;
}

/** The user's files: a shell config, a private key, a thesis. */
async function makeHome(home: string): Promise<Map<string, string>> {
  await mkdir(path.join(home, ".ssh"), { recursive: true });
  await writeFile(path.join(home, ".bashrc"), "export PATH=$HOME/bin:$PATH\n");
  await writeFile(path.join(home, ".ssh", "id_rsa"), randomBytes(1679));
  await writeFile(path.join(home, "thesis.tex"), "\\documentclass{article}\n% four years of work\n");
  return snapshot(home);
}

function assertKept(before: Map<string, string>, after: Map<string, string>): void {
  for (const [file, digest] of before) assert.equal(after.get(file), digest, `${file} was changed or deleted`);
}

describe("toZarr never deletes or writes among files it did not create", () => {
  let temp: { path: string; remove(): Promise<void> };
  before(async () => {
    temp = await makeTempDirectory("zarr-overwrite-safety");
  });
  after(() => temp.remove());

  const volume = () => ta.random([20, 30], { chunks: [8, 10], seed: 3 });

  it("refuses toZarr(home, { overwrite: true }) and keeps the home directory byte for byte", async () => {
    const home = path.join(temp.path, "home-overwrite");
    const kept = await makeHome(home);
    for (const attempt of [{ overwrite: true }, {}, { overwrite: true, zarrFormat: 3 as const }, { resume: true, overwrite: true }]) {
      await assert.rejects(volume().toZarr(home, attempt), (error: Error) => {
        assert.ok(error instanceof ZarrForeignFilesError, `${error.name}: ${error.message}`);
        assert.match(error.message, new RegExp(`${home.replace(/[/.]/g, "\\$&")} is not a Zarr store`));
        assert.match(error.message, /"\.bashrc"/);
        assert.match(error.message, /Choose a new path/);
        return true;
      });
    }
    assert.deepEqual(await snapshot(home), kept, "nothing was added, changed or deleted");
  });

  it("refuses toZarr(home, { component: \"results\" }) and a later overwrite of home", async () => {
    const home = path.join(temp.path, "home-component");
    const kept = await makeHome(home);
    await assert.rejects(volume().toZarr(home, { component: "results" }), ZarrForeignFilesError);
    await assert.rejects(volume().toZarr(home, { component: "results", overwrite: true }), ZarrForeignFilesError);
    await assert.rejects(volume().toZarr(home, { overwrite: true }), ZarrForeignFilesError);
    await assert.rejects(createArray({ path: home, component: "a/b" }, { shape: [2], chunks: [2], dtype: "uint8" }), ZarrForeignFilesError);
    assert.deepEqual(await snapshot(home), kept);
  });

  it("overwriting a home that zarr-python made a group (component \"results\") deletes only the Zarr keys", async () => {
    // What the old behaviour left: Zarr files among the user's, written here by zarr-python itself.
    const home = path.join(temp.path, "home-legacy");
    const kept = await makeHome(home);
    await runPythonCode(
      "import sys, zarr, numpy as np\n" +
        "g = zarr.open_group(sys.argv[1], mode='a')\n" +
        "g.create_dataset('results', data=np.arange(600, dtype='f8').reshape(20, 30), chunks=(8, 10))\n",
      [home],
    );
    assert.ok((await readdir(home)).includes(".zgroup"));
    const written = volume();
    await written.toZarr(home, { overwrite: true });
    assertKept(kept, await snapshot(home));
    const names = (await readdir(home)).sort();
    assert.ok(!names.includes("results") && !names.includes(".zgroup"), `the old group's keys are gone: ${names.join(", ")}`);
    const read = await runPythonCode("import sys, zarr; z = zarr.open_array(sys.argv[1], mode='r'); print(z.shape, float(z[:].sum()))", [home]);
    const expected = (await written.compute()).data as Float64Array;
    assert.equal(read.trim().split(" ").slice(0, 2).join(" "), "(20, 30)");
    assert.ok(Math.abs(Number(read.trim().split(" ").pop()) - expected.reduce((a, b) => a + b, 0)) < 1e-9);
  });

  it("overwriting a Zarr store the user also keeps notes in deletes its keys and keeps the notes", async () => {
    const store = path.join(temp.path, "project.zarr");
    await volume().toZarr(store, { component: "raw" });
    await volume().toZarr(store, { component: "results/labels", zarrFormat: 2 });
    await writeFile(path.join(store, "notes.txt"), "acquired on the 3rd\n");
    await writeFile(path.join(store, "raw", "README"), "do not delete\n");
    await mkdir(path.join(store, "figures"));
    await writeFile(path.join(store, "figures", "plot.png"), randomBytes(512));
    const userFiles = new Map([...(await snapshot(store))].filter(([file]) => ["notes.txt", "raw/README", "figures/plot.png"].includes(file)));
    assert.equal(userFiles.size, 3);

    // Replacing one array keeps the file beside its chunks.
    await ta.zeros([5], { chunks: [5], dtype: "uint8" }).toZarr(store, { component: "raw", overwrite: true });
    const markers = (name: string) => name.startsWith(".tessera-done"); // toZarr's completion markers
    assert.deepEqual((await readdir(path.join(store, "raw"))).filter((name) => !markers(name)).sort(), [".zarray", "0", "README"]);
    // Replacing the root group with an array removes every Zarr key below it and nothing else.
    await ta.ones([4, 4], { chunks: [2, 2] }).toZarr(store, { overwrite: true });
    assertKept(userFiles, await snapshot(store));
    const left = [...(await snapshot(store)).keys()].filter((name) => !markers(name)).sort();
    assert.deepEqual(left, [".zarray", "0.0", "0.1", "1.0", "1.1", "figures/plot.png", "notes.txt", "raw/README"]);
    const read = await runPythonCode("import sys, zarr; z = zarr.open_array(sys.argv[1], mode='r'); print(z.shape, int(z[:].sum()))", [store]);
    assert.equal(read.trim(), "(4, 4) 16");
  });

  it("writes into an empty directory, and replaces nothing without overwrite", async () => {
    const empty = path.join(temp.path, "empty-dir");
    await mkdir(empty);
    await volume().toZarr(empty);
    await assert.rejects(volume().toZarr(empty), ZarrArrayExistsError);
    assert.ok((await stat(path.join(empty, ".zarray"))).isFile());
  });

  it("createArray with overwrite keeps a file the user put beside the chunks, in v2 \"/\" keys and v3 keys", async () => {
    for (const zarrFormat of [2, 3] as const) {
      const ref = { path: path.join(temp.path, `beside-v${zarrFormat}.zarr`), component: "a" };
      await createArray(ref, { shape: [4, 4], chunks: [2, 2], dtype: "uint8", zarrFormat });
      await writeChunk(ref, [1, 1], new NDArray(new Uint8Array([1, 2, 3, 4]), [2, 2]));
      await writeFile(path.join(ref.path, "a", "mine.txt"), "mine");
      await createArray(ref, { shape: [4, 4], chunks: [2, 2], dtype: "uint8", zarrFormat, overwrite: true });
      assert.equal(await readFile(path.join(ref.path, "a", "mine.txt"), "utf8"), "mine");
      assert.deepEqual([...(await readChunk(ref, [1, 1])).data], [0, 0, 0, 0], "the old chunk is gone");
      assert.deepEqual((await readdir(path.join(ref.path, "a"))).sort(), zarrFormat === 2 ? [".zarray", "mine.txt"] : ["mine.txt", "zarr.json"]);
    }
  });

  it("deletes every one of many chunk files when an array with hundreds of chunks is replaced (unlinked many at a time)", async () => {
    for (const zarrFormat of [2, 3] as const) {
      const ref = { path: path.join(temp.path, `many-v${zarrFormat}.zarr`) };
      // 300 chunk files: v2 flat ("i.j") beside a user's file, v3 nested ("c/i/j").
      await ta.random([30, 100], { chunks: [1, 10], seed: 5 }).toZarr(ref.path, { zarrFormat });
      await writeFile(path.join(ref.path, "mine.txt"), "mine");
      const before = (await snapshot(ref.path)).size;
      assert.ok(before >= 301, `${before} files written`);
      await createArray(ref, { shape: [30, 100], chunks: [30, 100], dtype: "uint8", zarrFormat, overwrite: true });
      const left = [...(await snapshot(ref.path)).keys()].filter((name) => !name.startsWith(".tessera-done")).sort();
      assert.deepEqual(left, zarrFormat === 2 ? [".zarray", "mine.txt"] : ["mine.txt", "zarr.json"], `v${zarrFormat}: only the new metadata and the user's file are left`);
    }
  });

  it("an overwrite unlinks a completion-marker directory that is a link, and never empties its target", async () => {
    const outside = path.join(temp.path, "precious");
    await mkdir(path.join(outside, "sub"), { recursive: true });
    await writeFile(path.join(outside, "precious.txt"), "keep me");
    await writeFile(path.join(outside, "sub", "also.txt"), "keep me too");
    const kept = await snapshot(outside);
    const store = path.join(temp.path, "linked-markers.zarr");
    await createArray({ path: store }, { shape: [4], chunks: [2], dtype: "float64", zarrFormat: 2 });
    await rm(path.join(store, ".tessera-done"), { recursive: true, force: true });
    await symlink(outside, path.join(store, ".tessera-done"));
    await createArray({ path: store }, { shape: [4], chunks: [2], dtype: "float64", zarrFormat: 2, overwrite: true });
    assert.deepEqual(await snapshot(outside), kept, "the link's target keeps every file");
    assert.equal((await lstat(path.join(store, ".tessera-done")).catch(() => null))?.isSymbolicLink() ?? false, false, "the link is gone");
  });

  it("an overwrite removes a stray file where the completion markers go, and the write completes", async () => {
    const store = path.join(temp.path, "stray-marker-file.zarr");
    await volume().toZarr(store);
    await rm(path.join(store, ".tessera-done"), { recursive: true, force: true });
    await writeFile(path.join(store, ".tessera-done"), "not a directory");
    await volume().toZarr(store, { overwrite: true, resume: true });
    const back = await (await ta.fromZarr(store)).compute();
    assert.deepEqual(back.data, (await volume().compute()).data);
  });
});
