// Issue 12 item 2's `store` / `toZarr({ region })`: a lazy array written into a box of an existing
// Zarr array, as Dask's `to_zarr(region=…)` and `da.store(sources, targets, regions=…)`. The
// anchor is zarr-python doing the same assignment (`z[region] = source`) on a copy of the store
// at test time; the two stores must read back identical. Regions that cut storage chunks are
// refused unless `safeChunks: false`, and shape, dtype and option mistakes are clear errors.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { cp, readFile } from "node:fs/promises";
import * as path from "node:path";
import { InvalidOptionError } from "../../src/core/errors.js";
import * as ta from "../../src/array/index.js";
import { NDArray } from "../../src/ndarray/ndarray.js";
import { ZarrNotFoundError, openArray, readRegion } from "../../src/zarr/index.js";
import { makeTempDirectory, runPythonCode } from "./python-anchor.js";

type Box = Array<[number, number]>;

const shape = [37, 50];

/** zarr-python: a (37, 50) int32 array chunked (8, 10) with known values, and a source block for `box`. */
async function makeTarget(store: string, box: Box, sourceRaw: string): Promise<NDArray> {
  await runPythonCode(
    "import sys, json, numpy as np, zarr\n" +
      "store, box, raw = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3]\n" +
      "z = zarr.open(store, mode='w', shape=(37, 50), chunks=(8, 10), dtype='<i4', fill_value=-1)\n" +
      "z[:] = np.arange(37 * 50, dtype='<i4').reshape(37, 50)\n" +
      "source = (np.arange((box[0][1] - box[0][0]) * (box[1][1] - box[1][0]), dtype='<i4') * 7 + 100000)\n" +
      "open(raw, 'wb').write(source.tobytes())\n",
    [store, JSON.stringify(box), sourceRaw],
  );
  const bytes = await readFile(sourceRaw);
  return new NDArray(new Int32Array(new Uint8Array(bytes).buffer), [box[0][1] - box[0][0], box[1][1] - box[1][0]]);
}

/** zarr-python assigns the same source into a copy of the store: the anchor. Returns its whole array. */
async function anchorAfterAssignment(store: string, copy: string, box: Box, sourceRaw: string): Promise<number[]> {
  await cp(store, copy, { recursive: true });
  const out = await runPythonCode(
    "import sys, json, numpy as np, zarr\n" +
      "copy, box, raw = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3]\n" +
      "z = zarr.open_array(copy, mode='r+')\n" +
      "region = tuple(slice(a, b) for a, b in box)\n" +
      "z[region] = np.frombuffer(open(raw, 'rb').read(), dtype='<i4').reshape(box[0][1] - box[0][0], box[1][1] - box[1][0])\n" +
      "print(json.dumps(z[:].ravel().tolist()))\n",
    [copy, JSON.stringify(box), sourceRaw],
  );
  return JSON.parse(out) as number[];
}

async function whole(store: string): Promise<number[]> {
  return [...(await readRegion({ path: store }, [0, 0], shape)).data].map(Number);
}

/** What zarr-python reads from the store tessera wrote. */
async function zarrPythonReads(store: string): Promise<number[]> {
  return JSON.parse(await runPythonCode("import sys, json, zarr\nprint(json.dumps(zarr.open_array(sys.argv[1], mode='r')[:].ravel().tolist()))", [store])) as number[];
}

describe("toZarr({ region }) and store() write into a box of an existing array", () => {
  let temp: { path: string; remove(): Promise<void> };
  let case_ = 0;
  before(async () => {
    temp = await makeTempDirectory("zarr-region");
  });
  after(() => temp.remove());

  const prepare = async (box: Box) => {
    const name = `case-${case_++}`;
    const store = path.join(temp.path, `${name}.zarr`);
    const sourceRaw = path.join(temp.path, `${name}.raw`);
    const source = await makeTarget(store, box, sourceRaw);
    return { store, source, expected: () => anchorAfterAssignment(store, path.join(temp.path, `${name}-anchor.zarr`), box, sourceRaw) };
  };

  it("writes a chunk-aligned region (to the array's ragged end) from blocks that do not match the storage chunks", async () => {
    const box: Box = [[8, 37], [10, 40]];
    const { store, source, expected } = await prepare(box);
    const anchor = await expected();
    await ta.fromArray(source, { chunks: [7, 13] }).toZarr(store, { region: [{ start: 8, stop: 37 }, { start: 10, stop: 40 }] });
    assert.deepEqual(await whole(store), anchor);
    assert.deepEqual(await zarrPythonReads(store), anchor);
    assert.deepEqual((await openArray(store)).shape, shape, "the array's metadata is unchanged");
  });

  it("refuses a region that cuts storage chunks, naming the axis and the chunk, and writes it with safeChunks: false", async () => {
    const box: Box = [[3, 29], [5, 47]];
    const { store, source, expected } = await prepare(box);
    const before_ = await whole(store);
    const region = [{ start: 3, stop: 29 }, { start: 5, stop: 47 }];
    await assert.rejects(ta.fromArray(source, { chunks: [9, 9] }).toZarr(store, { region }), (error: Error) => {
      assert.ok(error instanceof InvalidOptionError, error.message);
      assert.match(error.message, /region \[3, 29\) on axis 0 .* cuts its storage chunks of 8 at 3/);
      assert.match(error.message, /safeChunks: false/);
      return true;
    });
    assert.deepEqual(await whole(store), before_, "nothing was written");
    await ta.fromArray(source, { chunks: [9, 9] }).toZarr(store, { region, safeChunks: false });
    const anchor = await expected();
    assert.deepEqual(await whole(store), anchor);
    assert.deepEqual(await zarrPythonReads(store), anchor);
  });

  it("reads region bounds as Python slices: negative indices count from the end, missing axes are whole", async () => {
    const box: Box = [[16, 32], [0, 50]];
    const { store, source, expected } = await prepare(box);
    await ta.fromArray(source, { chunks: [16, 25] }).toZarr(store, { region: [{ start: -21, stop: -5 }] });
    assert.deepEqual(await whole(store), await expected());
  });

  it("store() writes several sources into regions of their targets in one graph, like da.store", async () => {
    const box: Box = [[0, 16], [20, 50]];
    const { store, source, expected } = await prepare(box);
    const anchor = await expected();
    const second = path.join(temp.path, "second.zarr");
    await ta.zeros([6, 4], { chunks: [3, 2], dtype: "int32" }).toZarr(second, { component: "labels" });
    const lower = ta.fromArray(new NDArray(new Int32Array(16 * 30).fill(-5), [16, 30]), { chunks: [8, 15] });
    await ta.store(
      [ta.fromArray(source, { chunks: [5, 30] }), ta.full([6, 4], 9, { chunks: [6, 4], dtype: "int32" }), lower],
      [store, { path: second, component: "labels" }, store],
      { regions: [[{ start: 0, stop: 16 }, { start: 20, stop: 50 }], null, [{ start: 16, stop: 32 }, { start: 20, stop: 50 }]] },
    );
    const withLower = anchor.map((value, i) => (Math.floor(i / 50) >= 16 && Math.floor(i / 50) < 32 && i % 50 >= 20 ? -5 : value));
    assert.deepEqual(await whole(store), withLower);
    assert.deepEqual([...(await readRegion({ path: second, component: "labels" }, [0, 0], [6, 4])).data], new Array(24).fill(9));
  });

  it("refuses mistakes with errors that name them, writing nothing", async () => {
    const { store } = await prepare([[0, 8], [0, 10]]);
    const before_ = await whole(store);
    const block = ta.ones([8, 10], { chunks: [8, 10], dtype: "int32" });
    const refusals: Array<[() => Promise<void>, RegExp]> = [
      [() => block.toZarr(store, { region: [{ start: 0, stop: 16 }, { start: 0, stop: 10 }] }), /region of shape \[16, 10\] .* does not match the array written into it, of shape \[8, 10\]/],
      [() => ta.ones([8, 10], { chunks: [8, 10] }).toZarr(store, { region: [{ start: 0, stop: 8 }, { start: 0, stop: 10 }] }), /the array written is float64 but .* holds int32; cast it first with astype\("int32"\)/],
      [() => block.toZarr(store, { region: [{ start: 0, stop: 8 }, { start: 0, stop: 10 }], overwrite: true }), /overwrite describes a new array and cannot be used with region/],
      [() => block.toZarr(store, { region: [{ start: 0, stop: 8 }, { start: 0, stop: 10 }], chunks: [4, 5], compressor: null }), /compressor, chunks describe a new array/],
      [() => block.toZarr(store, { region: [3 as never, { start: 0, stop: 10 }] }), /region item 3 for axis 0 is not a slice/],
      [() => block.toZarr(store, { region: [{ begin: 0 } as never] }), /region item \{"begin":0\} for axis 0 is not a slice/],
      [() => block.toZarr(store, { region: [{ start: 0, stop: 16, step: 2 }] }), /region step 2 for axis 0: a Zarr region is a contiguous box/],
      [() => block.toZarr(store, { region: [null, null, null] }), /at most 2 slices/],
      [() => ta.store([block, block], [store, store], { regions: [[{ start: 0, stop: 8 }, { start: 0, stop: 10 }], [{ start: 0, stop: 8 }, { start: 0, stop: 10 }]] }), /targets 0 and 1 write the same storage chunks/],
      [() => ta.store([block], [store, store]), /as many targets as sources/],
    ];
    for (const [write, message] of refusals) await assert.rejects(write(), (error: Error) => error instanceof InvalidOptionError && message.test(error.message));
    await assert.rejects(block.toZarr(path.join(temp.path, "missing.zarr"), { region: [] }), (error: Error) =>
      error instanceof ZarrNotFoundError && /A region write goes into an existing array: create it first/.test(error.message));
    assert.deepEqual(await whole(store), before_, "nothing was written by any refused call");
  });
});
