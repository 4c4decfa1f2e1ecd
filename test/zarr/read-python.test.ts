// Arrays written by zarr-python 2.13 (the anchor) must read back in tessera with identical
// values: every compressor and shuffle, C and F order, "/" keys, fill values in missing
// chunks (NaN included), and an OME-Zarr-like group read through component "0/0".
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import * as path from "node:path";
import { NDArray, cStrides, shapeSize } from "../../src/ndarray/ndarray.js";
import { dtypeInfo } from "../../src/ndarray/dtype.js";
import { openArray, readChunk, readRegion } from "../../src/zarr/index.js";
import { copyStrided } from "../../src/ndarray/strided-copy.js";
import { bytesOf, makeTempDirectory, runPython } from "./python-anchor.js";

interface ManifestEntry {
  name: string;
  path: string;
  component: string;
  dtype: string;
  shape: number[];
  chunks: number[];
  order: "C" | "F";
  fill_value: number | string | boolean | null;
  compressor: Record<string, unknown> | null;
}

const numpyToTessera: Record<string, string> = {
  uint16: "uint16", float32: "float32", int8: "int8", float64: "float64", uint8: "uint8",
  int32: "int32", int64: "int64", bool: "bool",
};

describe("reading arrays written by zarr-python", () => {
  let temp: { path: string; remove(): Promise<void> };
  let manifest: ManifestEntry[] = [];

  before(async () => {
    temp = await makeTempDirectory("zarr-read");
    await runPython("write_python_arrays.py", [temp.path]);
    manifest = JSON.parse(await readFile(path.join(temp.path, "manifest.json"), "utf8")) as ManifestEntry[];
  });
  after(() => temp.remove());

  it("found the arrays the anchor wrote", () => {
    assert.ok(manifest.length >= 20, `manifest lists ${manifest.length} arrays`);
  });

  it("opens every array with zarr-python's shape, chunks, dtype, order and fill value", async () => {
    for (const entry of manifest) {
      const info = await openArray({ path: entry.path, component: entry.component });
      assert.deepEqual(info.shape, entry.shape, entry.name);
      assert.deepEqual(info.chunks, entry.chunks, entry.name);
      assert.equal(info.dtype, numpyToTessera[entry.dtype], entry.name);
      assert.equal(info.order, entry.order, entry.name);
      assert.equal(info.zarrFormat, 2);
      const fill = entry.fill_value === "NaN" ? NaN : typeof entry.fill_value === "boolean" ? Number(entry.fill_value) : entry.fill_value;
      assert.deepEqual(info.fillValue, fill, entry.name);
      if (entry.compressor === null) assert.equal(info.compressor, "none");
      else assert.ok(info.compressor.startsWith(String(entry.compressor.id)), `${entry.name}: ${info.compressor}`);
    }
  });

  it("reads every array whole with the anchor's exact values (bit for bit, NaN fill included)", async () => {
    for (const entry of manifest) {
      const expected = await readFile(path.join(temp.path, `${entry.name}.raw`));
      const region = await readRegion({ path: entry.path, component: entry.component }, entry.shape.map(() => 0), entry.shape);
      assert.deepEqual(region.shape, entry.shape);
      assert.ok(bytesOf(region.data).equals(expected), `${entry.name}: values differ from zarr-python's`);
    }
  });

  it("reads every chunk as the array sees it, edge chunks cut and missing chunks filled", async () => {
    for (const entry of manifest) {
      const info = await openArray({ path: entry.path, component: entry.component });
      const raw = await readFile(path.join(temp.path, `${entry.name}.raw`));
      const storage = dtypeInfo(info.dtype).array as unknown as new (buffer: ArrayBufferLike, offset: number, length: number) => NDArray["data"];
      const itemsize = dtypeInfo(info.dtype).itemsize;
      const copy = new Uint8Array(raw);
      const whole = new NDArray(new storage(copy.buffer, 0, raw.length / itemsize), info.shape, { dtype: info.dtype });
      const grid = info.shape.map((n, axis) => Math.ceil(n / info.chunks[axis]));
      const coordsList: number[][] = [[]];
      for (const count of grid) {
        const next: number[][] = [];
        for (const prefix of coordsList) for (let c = 0; c < count; c++) next.push([...prefix, c]);
        coordsList.splice(0, coordsList.length, ...next);
      }
      for (const coords of coordsList) {
        const chunk = await readChunk(info, coords);
        const extent = coords.map((c, axis) => Math.min(info.chunks[axis], info.shape[axis] - c * info.chunks[axis]));
        assert.deepEqual(chunk.shape, extent, `${entry.name} chunk ${coords}`);
        assert.ok(chunk.isContiguous() && chunk.offset === 0, `${entry.name} chunk ${coords} is C-contiguous`);
        assert.ok(chunk.data.buffer instanceof SharedArrayBuffer, "chunks live in shared memory");
        const expected = new storage(new ArrayBuffer(shapeSize(extent) * itemsize), 0, shapeSize(extent));
        const offset = coords.reduce((sum, c, axis) => sum + c * info.chunks[axis] * whole.strides[axis], 0);
        copyStrided({ data: whole.data, strides: whole.strides, offset }, { data: expected, strides: cStrides(extent), offset: 0 }, extent);
        assert.ok(bytesOf(chunk.data).subarray(0, expected.byteLength).equals(bytesOf(expected)), `${entry.name} chunk ${coords}`);
      }
    }
  });

  it("reads the OME-Zarr-like image through component \"0/0\" with its multiscales attributes", async () => {
    const level0 = manifest.find((entry) => entry.name === "ome_level0");
    assert.ok(level0);
    const info = await openArray(level0.path, { component: "0/0" });
    assert.deepEqual(info.shape, [1, 1, 9, 40, 52]);
    assert.equal(info.component, "0/0");
    const series = await import("node:fs/promises").then((fs) => fs.readFile(path.join(level0.path, "0", ".zattrs"), "utf8"));
    assert.equal((JSON.parse(series) as { multiscales: Array<{ datasets: unknown[] }> }).multiscales[0].datasets.length, 2);
    const box = await readRegion(info, [0, 0, 2, 5, 7], [1, 1, 6, 29, 50]);
    const expected = await readFile(path.join(temp.path, "ome_level0.raw"));
    const whole = new Uint16Array(new Uint8Array(expected).buffer);
    let mismatches = 0;
    for (let z = 2; z < 6; z++) for (let y = 5; y < 29; y++) for (let x = 7; x < 50; x++) {
      if (box.get(0, 0, z - 2, y - 5, x - 7) !== whole[(z * 40 + y) * 52 + x]) mismatches++;
    }
    assert.equal(mismatches, 0);
  });
});
