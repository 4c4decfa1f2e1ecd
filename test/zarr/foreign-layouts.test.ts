// Writing into Zarr arrays that zarr-python 2.13 made, in every layout it writes: F order,
// big-endian dtypes (complex included), fill values -0.0, NaN, ±Infinity and null, the filters
// tessera runs (delta, shuffle), dimension separator "/", every compressor tessera writes, over
// many chunks per axis with uneven edges. Each write must read back in zarr-python as exactly
// the values written, with chunk bytes (after the compressor) equal to those zarr-python stores
// for the same values; a layout tessera cannot write (a filter it does not implement or runs
// differently, a decode-only codec) must be refused by name with nothing written. The writes go
// through writeChunk, writeChunkPart (read-modify-write) and toZarr({ region }), the last one
// also on a LocalCluster of 2 workers × 1 thread into an F-order and a big-endian target.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { cp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import * as path from "node:path";
import * as ta from "../../src/array/index.js";
import { type DType, dtypeInfo } from "../../src/ndarray/dtype.js";
import { NDArray, allocate, shapeSize } from "../../src/ndarray/ndarray.js";
import { copyElements } from "../../src/zarr/element-copy.js";
import { readRegion, writeChunk, writeChunkPart } from "../../src/zarr/index.js";
import { useCluster2x1 } from "../array/cluster-sample.js";
import { bytesOf, makeTempDirectory, runPython } from "./python-anchor.js";
import { blockIndices } from "../../src/array/chunks.js";

interface LayoutCase {
  name: string;
  shape: number[];
  chunks: number[];
  dtype: DType;
  /** A fragment of the error that refuses the layout, or null for one tessera writes. */
  refused: string | null;
}

interface CheckReport {
  same_values: boolean;
  chunks: number;
  tessera_chunks: number;
  differing: string[];
}

/** A C-ordered array of `dtype` from the little-endian raw file Python wrote. */
async function rawArray(file: string, shape: number[], dtype: DType): Promise<NDArray> {
  const bytes = await readFile(file);
  const data = allocate(dtype, shapeSize(shape), false);
  assert.equal(bytes.length, data.byteLength, file);
  new Uint8Array(data.buffer, data.byteOffset, data.byteLength).set(bytes);
  return new NDArray(data, shape, { dtype });
}

function chunkGrid(shape: number[], chunks: number[]): number[][] {
  return [...blockIndices(shape.map((n, axis) => Math.ceil(n / chunks[axis])))];
}

/** The view of `values` over [start, start + extent). */
function view(values: NDArray, start: number[], extent: number[]): NDArray {
  const offset = values.offset + start.reduce((sum, s, axis) => sum + s * values.strides[axis], 0);
  return new NDArray(values.storage, extent, { strides: values.strides, offset, dtype: values.dtype });
}

/** Every file under a directory with its bytes: nothing may change when a write is refused. */
async function snapshot(directory: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(directory, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath ?? entry.path, entry.name);
    files.set(path.relative(directory, file), (await readFile(file)).toString("base64"));
  }
  return files;
}

describe("writing into arrays of every layout zarr-python 2.13 writes", () => {
  let temp: { path: string; remove(): Promise<void> };
  let cases: LayoutCase[];
  const store = (name: string) => path.join(temp.path, name);

  before(async () => {
    temp = await makeTempDirectory("foreign-layouts");
    cases = JSON.parse(await runPython("foreign_layouts.py", ["make", temp.path])) as LayoutCase[];
  });
  after(() => temp.remove());

  it("reads the values zarr-python wrote, in every layout it writes", async () => {
    for (const layout of cases.filter((c) => c.refused === null)) {
      const old = await rawArray(`${store(layout.name)}.old.raw`, layout.shape, layout.dtype);
      const read = await readRegion({ path: store(layout.name) }, layout.shape.map(() => 0), layout.shape);
      assert.ok(bytesOf(read.storage).equals(bytesOf(old.storage)), `${layout.name}: tessera read other values`);
    }
  });

  it("reads a missing chunk of an array whose fill value is -0.0 as -0.0, sign included, as zarr-python does", async () => {
    for (const name of ["fill-negative-zero", "fill-negative-zero-big-f4-f-order"]) {
      const copy = `${store(name)}.missing`;
      await cp(store(name), copy, { recursive: true });
      await rm(path.join(copy, "1.1"));
      const read = await readRegion({ path: copy }, [4, 7], [8, 14]);
      assert.ok([...read.storage].every((x) => Object.is(x, -0)), `${name}: ${[...read.storage].slice(0, 4).join(", ")}`);
      const kept = await readRegion({ path: copy }, [0, 0], [4, 7]);
      assert.ok([...kept.storage].some((x) => x !== 0), `${name}: a stored chunk reads its values`);
    }
  });

  it("writes values zarr-python reads back exactly, stored as zarr-python stores them (writeChunk and writeChunkPart)", async () => {
    const written = cases.filter((c) => c.refused === null);
    assert.ok(written.length >= 25);
    for (const layout of written) {
      const values = await rawArray(`${store(layout.name)}.new.raw`, layout.shape, layout.dtype);
      const ref = { path: store(layout.name) };
      for (const [index, coords] of chunkGrid(layout.shape, layout.chunks).entries()) {
        const start = coords.map((c, axis) => c * layout.chunks[axis]);
        const extent = start.map((s, axis) => Math.min(layout.chunks[axis], layout.shape[axis] - s));
        if (index % 2 === 0 || extent[0] === 1) {
          await writeChunk(ref, coords, view(values, start, extent));
          continue;
        }
        // Two halves along axis 0: each reads the stored chunk (old, then half new) and writes it back.
        const half = Math.floor(extent[0] / 2);
        const inside = start.map(() => 0);
        await writeChunkPart(ref, coords, inside, view(values, start, [half, ...extent.slice(1)]));
        await writeChunkPart(ref, coords, [half, ...inside.slice(1)], view(values, [start[0] + half, ...start.slice(1)], [extent[0] - half, ...extent.slice(1)]));
      }
    }
    const report = JSON.parse(await runPython("foreign_layouts.py", ["check", temp.path, ...written.map((c) => c.name)])) as Record<string, CheckReport>;
    for (const layout of written) {
      const seen = report[layout.name];
      assert.ok(seen.same_values, `${layout.name}: zarr-python reads other values`);
      assert.deepEqual(seen.differing, [], `${layout.name}: chunks stored unlike zarr-python's`);
      assert.equal(seen.tessera_chunks, seen.chunks, `${layout.name}: chunk files`);
      assert.equal(seen.chunks, chunkGrid(layout.shape, layout.chunks).length, layout.name);
    }
  });

  it("refuses layouts it cannot write by name, before anything is written", async () => {
    const refused = cases.filter((c) => c.refused !== null);
    assert.ok(refused.length >= 7);
    for (const layout of refused) {
      const before = await snapshot(store(layout.name));
      const values = await rawArray(`${store(layout.name)}.new.raw`, layout.shape, layout.dtype);
      const ref = { path: store(layout.name) };
      const named = (error: unknown) => error instanceof Error && error.message.includes(layout.refused!) && error.message.includes(store(layout.name));
      await assert.rejects(writeChunk(ref, layout.shape.map(() => 0), view(values, layout.shape.map(() => 0), layout.chunks)), named, `${layout.name}: writeChunk`);
      await assert.rejects(writeChunkPart(ref, layout.shape.map(() => 0), layout.shape.map(() => 0), view(values, layout.shape.map(() => 0), layout.shape.map(() => 1))), named, `${layout.name}: writeChunkPart`);
      await assert.rejects(ta.fromArray(values, { chunks: layout.chunks }).toZarr(store(layout.name), { region: layout.shape.map(() => null) }), named, `${layout.name}: toZarr region`);
      assert.deepEqual(await snapshot(store(layout.name)), before, `${layout.name}: a refused write changed files`);
    }
  });
});

describe("toZarr({ region }) into F-order and big-endian arrays zarr-python made", () => {
  let temp: { path: string; remove(): Promise<void> };
  let cases: LayoutCase[];
  useCluster2x1();

  before(async () => {
    temp = await makeTempDirectory("foreign-layouts-cluster");
    cases = JSON.parse(await runPython("foreign_layouts.py", ["make", temp.path])) as LayoutCase[];
  });
  after(() => temp.remove());

  for (const name of ["f-order-f8", "big-c16-f-order-3d", "blosc-default-f-order-big", "big-i8"]) {
    it(`${name}: a region cutting its first and last chunk rows (safeChunks: false), written by 2 workers, read back exactly by zarr-python and tessera`, async () => {
      const layout = cases.find((c) => c.name === name)!;
      const target = path.join(temp.path, name);
      const old = await rawArray(`${target}.old.raw`, layout.shape, layout.dtype);
      const values = await rawArray(`${target}.new.raw`, layout.shape, layout.dtype);
      // Rows 1 … n-2 cut the first and last chunk of axis 0; the source's blocks are not the storage chunks.
      const rows = layout.shape[0] - 2;
      const source = view(values, layout.shape.map((_, axis) => (axis === 0 ? 1 : 0)), [rows, ...layout.shape.slice(1)]);
      const copy = new NDArray(allocate(layout.dtype, shapeSize(source.shape), false), source.shape, { dtype: layout.dtype });
      copyElements({ data: source.storage, strides: source.strides, offset: source.offset }, { data: copy.storage, strides: copy.strides, offset: 0 }, source.shape, dtypeInfo(layout.dtype).lanes);
      await ta.fromArray(copy, { chunks: [5, ...layout.shape.slice(1).map((n) => Math.ceil(n / 2))] })
        .toZarr(target, { region: [{ start: 1, stop: rows + 1 }], safeChunks: false });
      const expected = new NDArray(allocate(layout.dtype, shapeSize(layout.shape), false), layout.shape, { dtype: layout.dtype });
      expected.storage.set(old.storage as never);
      copyElements({ data: copy.storage, strides: copy.strides, offset: 0 }, { data: expected.storage, strides: expected.strides, offset: expected.strides[0] }, copy.shape, dtypeInfo(layout.dtype).lanes);
      await writeFile(`${target}.expected.raw`, bytesOf(expected.storage));
      const report = JSON.parse(await runPython("foreign_layouts.py", ["check", temp.path, name])) as Record<string, CheckReport>;
      assert.ok(report[name].same_values, `${name}: zarr-python reads other values`);
      assert.deepEqual(report[name].differing, [], `${name}: chunks stored unlike zarr-python's`);
      const read = await readRegion({ path: target }, layout.shape.map(() => 0), layout.shape);
      assert.ok(bytesOf(read.storage).equals(bytesOf(expected.storage)), `${name}: tessera reads other values back`);
    });
  }
});
