// ta.fromHdf5 against h5py (values) and Dask (auto chunks): a chunked gzip volume read in many
// uneven blocks, names that follow the file, relative paths, refusals before any read, and
// a 2 × 1 LocalCluster reading the volume and running a DoG on it, checked against scipy.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, utimesSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import * as ta from "../../src/array/index.js";
import { config } from "../../src/config/index.js";
import { gaussianFilter } from "../../src/ndimage/index.js";
import { closeOpenFiles } from "../../src/hdf5/index.js";
import { assertSameValues, h5py, loadNpy } from "../hdf5/h5py.js";
import { describeOnCluster, useCluster2x1 } from "./cluster-sample.js";

let dir: string;
let volume: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), "tessera-from-hdf5-"));
  volume = join(dir, "bdv.h5");
  // A BigDataViewer-like layout: /t00000/s00/<level>/cells, chunked and gzip-compressed.
  h5py(dir, `
rng = np.random.default_rng(11)
v = rng.integers(0, 4000, (45, 37, 52)).astype("u2")
with h5py.File("bdv.h5", "w") as f:
    f.create_dataset("t00000/s00/0/cells", data=v, chunks=(4, 3, 5), compression="gzip", shuffle=True)
    f.create_dataset("t00000/s00/1/cells", data=v[::2, ::2, ::2], chunks=(8, 8, 8), compression="gzip")
    f.create_dataset("lzf", data=v, chunks=(4, 3, 5), compression="lzf")
    f.create_dataset("auto/cubic", shape=(300, 200, 100), dtype="u2", chunks=(16, 16, 16))
    f.create_dataset("auto/contiguous", shape=(300, 200, 100), dtype="f4")
save("v", v)
save("dog", ndi.gaussian_filter(v.astype("f4"), 1, mode="nearest") - ndi.gaussian_filter(v.astype("f4"), 1.5, mode="nearest"))
`.replace("rng =", "import scipy.ndimage as ndi\nrng ="));
});
after(() => {
  closeOpenFiles();
  rmSync(dir, { recursive: true, force: true });
});

describe("ta.fromHdf5", () => {
  it("reads a chunked gzip volume in ≥ 10 blocks per axis with uneven edges, as h5py reads it", async () => {
    for (const chunks of [[4, 3, 5], [7, 4, 6]]) {
      const x = await ta.fromHdf5(volume, "/t00000/s00/0/cells", { chunks });
      assert.ok(x.numblocks.some((n) => n >= 10), `blocks ${x.numblocks.join("×")}`);
      if (chunks[0] === 4) assert.deepEqual(x.numblocks, [12, 13, 11], "≥ 10 blocks on every axis");
      assert.ok(x.chunks.some((sizes) => sizes[sizes.length - 1] !== sizes[0]), "uneven last chunks");
      assertSameValues(await x.compute(), loadNpy(dir, "v"), `chunks ${chunks.join(",")}`);
    }
    // A selection reads only its blocks' boxes.
    const x = await ta.fromHdf5(volume, "t00000/s00/0/cells", { chunks: [4, 3, 5] });
    const slab = await x.get({ start: 5, stop: 17 }, { start: 3, stop: 30 }, 9).compute();
    const v = loadNpy(dir, "v").toArray() as number[][][];
    assert.deepEqual(slab.toArray(), v.slice(5, 17).map((plane) => plane.slice(3, 30).map((row) => row[9])));
  });

  it("defaults to Dask's from_array \"auto\" chunks, the dataset's chunks as previous chunks", async () => {
    const reference = JSON.parse(h5py(dir, `
import dask, dask.array as da
with dask.config.set({"array.chunk-size": "256KiB"}), h5py.File("bdv.h5") as f:
    print(json.dumps({k: [list(map(int, c)) for c in da.from_array(f["auto/" + k]).chunks] for k in ["cubic", "contiguous"]}))
`)) as Record<string, number[][]>;
    const override = config.set({ "array.chunk-size": "256KiB" });
    try {
      for (const name of ["cubic", "contiguous"]) assert.deepEqual((await ta.fromHdf5(volume, `/auto/${name}`)).chunks, reference[name], name);
    } finally {
      override.dispose();
    }
  });

  it("names the array from the resolved path, dataset, size and mtime: a relative path names the same, a rewritten file another", async () => {
    const a = await ta.fromHdf5(volume, "/t00000/s00/1/cells");
    const b = await ta.fromHdf5(relative(process.cwd(), volume), "t00000/s00/1/cells/");
    assert.equal(b.name, a.name);
    assertSameValues(await b.compute(), await a.compute(), "relative path");
    assert.notEqual((await ta.fromHdf5(volume, "/t00000/s00/0/cells")).name, a.name);
    const { atime, mtime } = statSync(volume);
    utimesSync(volume, atime, new Date(mtime.getTime() + 10_000));
    try {
      assert.notEqual((await ta.fromHdf5(volume, "/t00000/s00/1/cells")).name, a.name, "a touched file gives new names");
      await assert.rejects(a.compute(), (error: Error) => error.name === "Hdf5FileChangedError", "the old array refuses the changed file");
    } finally {
      utimesSync(volume, atime, mtime);
    }
  });

  it("refuses an lzf dataset, a missing dataset and unknown options when the array is made", async () => {
    await assert.rejects(ta.fromHdf5(volume, "/lzf"), (error: Error) => error.name === "Hdf5UnsupportedError" && /lzf \(filter id 32000\)/.test(error.message));
    await assert.rejects(ta.fromHdf5(volume, "/t00000/s00/2/cells"), (error: Error) => error.name === "Hdf5NotFoundError" && /holds "0", "1"/.test(error.message));
    await assert.rejects(ta.fromHdf5(volume, "/t00000/s00/0/cells", { chunk: [4, 4, 4] } as never), /unknown option "chunk"/);
    await assert.rejects(ta.fromHdf5(join(dir, "nope.h5"), "/x"), (error: Error) => error.name === "Hdf5NotFoundError");
  });
});

describe("ta.fromHdf5 and a DoG on a LocalCluster", () => {
  let cells: ta.Array;
  let dog: ta.Array;
  before(async () => {
    cells = await ta.fromHdf5(volume, "/t00000/s00/0/cells", { chunks: [4, 10, 13] });
    const v = cells.astype("float32");
    const hi = v.mapOverlap(gaussianFilter, { depth: 6, boundary: "nearest" }, { sigma: 1, mode: "nearest" });
    const lo = v.mapOverlap(gaussianFilter, { depth: 6, boundary: "nearest" }, { sigma: 1.5, mode: "nearest" });
    dog = ta.subtract(hi, lo);
  });
  describeOnCluster("the gzip volume and its DoG", () => [cells, dog]);

  describe("against scipy", () => {
    useCluster2x1();
    it("reads h5py's values on the workers, and the DoG equals scipy's on h5py's array bit for bit", async () => {
      assertSameValues(await cells.compute(), loadNpy(dir, "v"), "volume");
      // Bit for bit: tessera's float32 Gaussian is scipy's, and boundary "nearest" under mode "nearest" pads nothing.
      assertSameValues(await dog.compute(), loadNpy(dir, "dog"), "DoG");
    });
  });
});
