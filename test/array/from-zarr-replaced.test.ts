// Arrays replaced on disk while a LocalCluster's workers have them open (issue: stale cached
// opens). A worker caches an array's metadata and checks it against its file at most once a
// second, so a read within that second of a replacement decoded the new chunks with the old
// layout (silently wrong values), and toOmeZarr's overwrite wrote blocks of the new dtype into
// the old layout (a dtype error). The graphs' refs now carry the stamp of the metadata they
// were built from (zarr/open-array.ts): the workers reopen a replaced array, and a graph built
// before the replacement refuses (ZarrArrayChangedError) instead of reading it.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as path from "node:path";
import { Client, LocalCluster } from "../../src/index.js";
import * as ta from "../../src/array/index.js";
import { LocalExecutor } from "../../src/graph/local-executor.js";
import { NDArray } from "../../src/ndarray/ndarray.js";
import { writeForeignArray } from "../zarr/foreign-writer.js";
import { makeTempDirectory, runPythonCode } from "../zarr/python-anchor.js";

const first = Array.from({ length: 100 }, (_, i) => i);
const second = Array.from({ length: 100 }, (_, i) => 1000 + 3 * i);
const third = Array.from({ length: 100 }, (_, i) => -7 * i);

describe("fromZarr and toOmeZarr on a LocalCluster when the array is replaced under the workers", { timeout: 180_000 }, () => {
  let temp: { path: string; remove(): Promise<void> };
  let cluster: LocalCluster;
  let client: Client;
  before(async () => {
    temp = await makeTempDirectory("zarr-replaced-cluster");
    cluster = await LocalCluster.start({ nWorkers: 2, threadsPerWorker: 1, dashboardAddress: false });
    client = await Client.connect(cluster);
    await client.waitForWorkers(2, { timeout: "120s" });
  });
  after(async () => {
    await client?.close();
    await cluster?.close();
    await temp?.remove();
  });

  async function readOnCluster(store: string): Promise<{ dtype: string; values: number[] }> {
    const result = await (await ta.fromZarr(store)).compute({ executor: client });
    return { dtype: result.dtype, values: [...result.data].map(Number) };
  }

  /** The first array, float64 0..99 in chunks of 10, read on the cluster: both workers open and cache it. */
  async function writeFirst(store: string): Promise<void> {
    await ta.fromArray(new NDArray(Float64Array.from(first), [100]), { chunks: [10] }).toZarr(store, { executor: new LocalExecutor() });
    assert.deepEqual(await readOnCluster(store), { dtype: "float64", values: first });
  }

  // int32 in chunks of 20 has the chunk files of float64 in chunks of 10: decoded with the old layout, no error, wrong values.
  it("reads an array that toZarr (in this process) replaced with another dtype and chunking at once", async () => {
    const store = path.join(temp.path, "tessera.zarr");
    await writeFirst(store);
    await ta.fromArray(new NDArray(Int32Array.from(second), [100]), { chunks: [20] }).toZarr(store, { overwrite: true, executor: new LocalExecutor() });
    assert.deepEqual(await readOnCluster(store), { dtype: "int32", values: second });
  });

  it("reads an array that zarr-python replaced with another dtype and chunking at once", async () => {
    const store = path.join(temp.path, "python.zarr");
    await writeFirst(store);
    await runPythonCode(
      "import sys, numpy as np, zarr\n" +
        "z = zarr.open(sys.argv[1], mode='w', shape=(100,), chunks=(20,), dtype='<i4', compressor=None)\n" +
        "z[:] = 1000 + 3 * np.arange(100, dtype='<i4')\n",
      [store],
    );
    assert.deepEqual(await readOnCluster(store), { dtype: "int32", values: second });
  });

  it("refuses to compute a graph built before the array was replaced, rather than read the new array with its layout", async () => {
    const store = path.join(temp.path, "changed.zarr");
    await writeFirst(store);
    const built = (await ta.fromZarr(store)).mul(2);
    await writeForeignArray(store, "int32", 20, second);
    await assert.rejects(built.compute({ executor: client }), (error: Error) => {
      assert.equal(error.name, "ZarrArrayChangedError", String(error));
      // Refused by the client before submission (changed-sources.ts); a task that meets a
      // replaced array refuses too (open-array-stamp.test.ts).
      assert.match(error.message, /changed\.zarr was written after fromZarr opened it \(its metadata changed\).*Call fromZarr again/);
      return true;
    });
    // Built again, it reads the new array; and again after another foreign replacement.
    assert.deepEqual(await readOnCluster(store), { dtype: "int32", values: second });
    await writeForeignArray(store, "float64", 10, third);
    assert.deepEqual(await readOnCluster(store), { dtype: "float64", values: third });
  });

  it("toOmeZarr overwrites an image with another dtype at once: the workers write into the new levels", async () => {
    const store = path.join(temp.path, "image.ome.zarr");
    const image = (values: ArrayLike<number>, dtype: "uint8" | "float32") =>
      ta.fromArray(new NDArray(dtype === "uint8" ? Uint8Array.from(values) : Float32Array.from(values), [10, 10]), { chunks: [5, 5] });
    const options = { axes: "yx", levels: 2, overwrite: true, executor: client } as const;
    await ta.toOmeZarr(image(first, "uint8"), store, options);
    const read = async () => (await ta.fromZarr(store, { component: "0" })).compute({ executor: client });
    assert.deepEqual([...(await read()).data], first);
    await ta.toOmeZarr(image(second, "float32"), store, options);
    const level0 = await read();
    assert.equal(level0.dtype, "float32");
    assert.deepEqual([...level0.data], second);
  });
});
