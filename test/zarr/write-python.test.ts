// Arrays written by tessera (v2) must open in zarr-python 2.13 (the anchor) with the same
// shape, chunks, dtype, fill value and values, for every compressor, with edge chunks padded,
// missing chunks left to the fill value, and parent groups in place; the .zarray text must be
// the one zarr-python writes itself.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { type DType, dtypeInfo } from "../../src/ndarray/dtype.js";
import { NDArray, allocate, shapeSize } from "../../src/ndarray/ndarray.js";
import { type CompressorSpec, createArray, writeChunk } from "../../src/zarr/index.js";
import { copyStrided } from "../../src/ndarray/strided-copy.js";
import { fillWith } from "../../src/zarr/chunk-io.js";
import { bytesOf, makeTempDirectory, runPython } from "./python-anchor.js";

interface WriteCase {
  name: string;
  component: string;
  dtype: DType;
  shape: number[];
  chunks: number[];
  compressor?: CompressorSpec | null;
  fillValue?: number | null;
  /** Chunk coordinates left unwritten. */
  skip?: string[];
}

const writeCases: WriteCase[] = [
  { name: "default", component: "", dtype: "uint16", shape: [37, 45], chunks: [16, 20] },
  { name: "blosc-zstd-bitshuffle", component: "g/a", dtype: "float32", shape: [33, 50], chunks: [10, 16], compressor: { id: "blosc", cname: "zstd", clevel: 3, shuffle: "bitshuffle" } },
  { name: "blosc-zlib-noshuffle", component: "g/b", dtype: "int8", shape: [64, 70], chunks: [30, 32], compressor: { id: "blosc", cname: "zlib", clevel: 5, shuffle: 0 } },
  { name: "blosc-blosclz", component: "g/c", dtype: "float64", shape: [21, 19, 7], chunks: [8, 8, 4], compressor: { id: "blosc", cname: "blosclz", clevel: 9, shuffle: "shuffle" } },
  { name: "blosc-lz4hc", component: "g/d", dtype: "uint16", shape: [300, 280], chunks: [256, 256], compressor: { id: "blosc", cname: "lz4hc", clevel: 7, shuffle: 2 } },
  { name: "blosc-lz4-big", component: "big", dtype: "uint8", shape: [1000, 700], chunks: [1000, 600] },
  { name: "zstd", component: "0/0", dtype: "uint16", shape: [1, 1, 9, 40, 52], chunks: [1, 1, 4, 16, 16], compressor: { id: "zstd", level: 3 } },
  { name: "lz4", component: "codecs/lz4", dtype: "float32", shape: [37, 45], chunks: [16, 20], compressor: { id: "lz4" } },
  { name: "gzip", component: "codecs/gzip", dtype: "float64", shape: [37, 45], chunks: [16, 20], compressor: { id: "gzip", level: 5 } },
  { name: "zlib", component: "codecs/zlib", dtype: "int8", shape: [37, 45], chunks: [16, 20], compressor: { id: "zlib", level: 1 } },
  { name: "none", component: "codecs/none", dtype: "int32", shape: [37, 45], chunks: [16, 20], compressor: null },
  { name: "nan-fill-missing", component: "fills/nan", dtype: "float32", shape: [40, 50], chunks: [16, 20], fillValue: NaN, skip: ["0,1", "2,2", "1,0"] },
  { name: "int-fill-missing", component: "fills/int", dtype: "uint16", shape: [40, 50], chunks: [16, 20], fillValue: 1234, skip: ["1,1"] },
  { name: "int64", component: "types/i8", dtype: "int64", shape: [30, 20], chunks: [16, 16] },
  { name: "bool", component: "types/bool", dtype: "bool", shape: [30, 20], chunks: [16, 16], fillValue: 1, skip: ["0,0"] },
];

const numpyName: Record<DType, string> = {
  bool: "|b1", int8: "|i1", uint8: "|u1", int16: "<i2", uint16: "<u2", int32: "<i4", uint32: "<u4",
  int64: "<i8", uint64: "<u8", float32: "<f4", float64: "<f8", complex64: "<c8", complex128: "<c16",
};

/** The whole array's values as tessera writes them: a pattern, and the fill value in skipped chunks. */
function sourceValues(writeCase: WriteCase): NDArray {
  const size = shapeSize(writeCase.shape);
  const data = allocate(writeCase.dtype, size, false);
  for (let i = 0; i < size; i++) {
    const value = (i * 7 + (i % 13) * 5) % 251;
    if (writeCase.dtype === "int64" || writeCase.dtype === "uint64") (data as BigInt64Array)[i] = BigInt(value) * 1_000_000_007n;
    else if (writeCase.dtype === "bool") data[i] = value % 3 === 0 ? 1 : 0;
    else if (writeCase.dtype === "int8") data[i] = value - 125;
    else if (writeCase.dtype.startsWith("float")) data[i] = Math.sin(i / 37) * 1000;
    else data[i] = value + (i % 5) * 1000;
  }
  return new NDArray(data, writeCase.shape, { dtype: writeCase.dtype });
}

function chunkCoordsOf(shape: number[], chunks: number[]): number[][] {
  let list: number[][] = [[]];
  for (let axis = 0; axis < shape.length; axis++) {
    const count = Math.ceil(shape[axis] / chunks[axis]);
    list = list.flatMap((prefix) => Array.from({ length: count }, (_, c) => [...prefix, c]));
  }
  return list;
}

describe("arrays written by tessera, read by zarr-python", () => {
  let temp: { path: string; remove(): Promise<void> };
  let storePath: string;
  let report: Record<string, {
    shape: number[]; chunks: number[]; dtype: string; fill_value: number | string | boolean | null; order: string;
    compressor: Record<string, unknown> | null; groups: string[]; nchunks_initialized: number; zarray: string; python_zarray: string;
  }>;
  const expected = new Map<string, NDArray>();

  before(async () => {
    temp = await makeTempDirectory("zarr-write");
    storePath = path.join(temp.path, "written.zarr");
    const written: Array<{ name: string; path: string; component: string }> = [];
    for (const writeCase of writeCases) {
      const target = writeCase.component === "" ? path.join(temp.path, "root.zarr") : storePath;
      const info = await createArray({ path: target, component: writeCase.component }, {
        shape: writeCase.shape, chunks: writeCase.chunks, dtype: writeCase.dtype, compressor: writeCase.compressor, fillValue: writeCase.fillValue,
      });
      const source = sourceValues(writeCase);
      const values = new NDArray(allocate(writeCase.dtype, shapeSize(writeCase.shape), false), writeCase.shape, { dtype: writeCase.dtype });
      copyStrided(source, values, writeCase.shape);
      for (const coords of chunkCoordsOf(writeCase.shape, writeCase.chunks)) {
        const start = coords.map((c, axis) => c * writeCase.chunks[axis]);
        const extent = start.map((s, axis) => Math.min(writeCase.chunks[axis], writeCase.shape[axis] - s));
        const offset = start.reduce((sum, s, axis) => sum + s * values.strides[axis], 0);
        if (writeCase.skip?.includes(coords.join(","))) {
          const fill = allocate(writeCase.dtype, 1, false);
          fillWith(fill, writeCase.dtype, writeCase.fillValue ?? 0);
          copyStrided({ data: fill, strides: extent.map(() => 0), offset: 0 }, { data: values.data, strides: values.strides, offset }, extent);
          continue;
        }
        // A strided view of the source: writeChunk must gather it.
        const block = new NDArray(source.data, extent, { strides: source.strides, offset, dtype: writeCase.dtype });
        await writeChunk(info, coords, block);
      }
      expected.set(writeCase.name, values);
      written.push({ name: writeCase.name, path: target, component: writeCase.component });
    }
    await writeFile(path.join(temp.path, "written.json"), JSON.stringify(written));
    report = JSON.parse(await runPython("read_tessera_arrays.py", [temp.path])) as typeof report;
  });
  after(() => temp.remove());

  it("zarr-python sees the same shape, chunks, dtype, fill value and C order", () => {
    for (const writeCase of writeCases) {
      const seen = report[writeCase.name];
      assert.deepEqual(seen.shape, writeCase.shape, writeCase.name);
      assert.deepEqual(seen.chunks, writeCase.chunks, writeCase.name);
      assert.equal(seen.dtype, numpyName[writeCase.dtype], writeCase.name);
      assert.equal(seen.order, "C");
      const fill = writeCase.fillValue === undefined ? 0 : Number.isNaN(writeCase.fillValue) ? "NaN" : writeCase.fillValue;
      assert.deepEqual(writeCase.dtype === "bool" ? Number(seen.fill_value) : seen.fill_value, fill, writeCase.name);
    }
  });

  it("zarr-python sees the compressor that was asked for (zarr-python 2's default when none was)", () => {
    const spec = (writeCase: WriteCase) => writeCase.compressor === undefined ? { id: "blosc", cname: "lz4", clevel: 5, shuffle: 1, blocksize: 0 } : writeCase.compressor;
    const shuffleNumber = (shuffle: unknown) => ({ noshuffle: 0, shuffle: 1, bitshuffle: 2 } as Record<string, number>)[String(shuffle)] ?? shuffle;
    for (const writeCase of writeCases) {
      const asked = spec(writeCase);
      const seen = report[writeCase.name].compressor;
      if (asked === null) {
        assert.equal(seen, null);
        continue;
      }
      for (const [key, value] of Object.entries(asked)) {
        assert.deepEqual(seen?.[key], key === "shuffle" ? shuffleNumber(value) : value, `${writeCase.name} ${key}`);
      }
    }
  });

  it("zarr-python reads the values tessera wrote, with edge chunks cut and skipped chunks at the fill value", async () => {
    for (const writeCase of writeCases) {
      const values = expected.get(writeCase.name)!;
      const read = await readFile(path.join(temp.path, `${writeCase.name}.python.raw`));
      assert.equal(read.length, shapeSize(writeCase.shape) * dtypeInfo(writeCase.dtype).itemsize);
      assert.ok(read.equals(bytesOf(values.data)), `${writeCase.name}: zarr-python read different values`);
      const chunkCount = chunkCoordsOf(writeCase.shape, writeCase.chunks).length;
      assert.equal(report[writeCase.name].nchunks_initialized, chunkCount - (writeCase.skip?.length ?? 0), `${writeCase.name}: chunk files`);
    }
  });

  it("writes .zarray exactly as zarr-python writes it for the same array", () => {
    for (const writeCase of writeCases) {
      assert.equal(report[writeCase.name].zarray, report[writeCase.name].python_zarray, writeCase.name);
    }
  });

  it("writes a .zgroup at every level above a component, so zarr-python opens the groups", () => {
    assert.deepEqual(report.zstd.groups, ["", "0"]);
    assert.deepEqual(report["blosc-zstd-bitshuffle"].groups, ["", "g"]);
  });
});
