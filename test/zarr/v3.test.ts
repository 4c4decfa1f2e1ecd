// Zarr v3. zarr-python 2.13 (our anchor) has no final v3 support, so v3 is tested two ways:
// `zarr.json` fixtures written here by hand from the v3.0 core spec (chunk bytes made by
// node:zlib, raw little-endian bytes, or numcodecs' c-blosc), and round trips through
// createArray/writeChunk/readChunk.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import { NDArray, allocate, shapeSize } from "../../src/ndarray/ndarray.js";
import type { DType } from "../../src/ndarray/dtype.js";
import {
  type CompressorSpec, ZarrUnknownCodecError, ZarrUnsupportedError, createArray, openArray, readChunk, readRegion, writeChunk,
} from "../../src/zarr/index.js";
import { bytesOf, makeTempDirectory, runPythonCode } from "./python-anchor.js";

async function writeNode(directory: string, document: unknown): Promise<void> {
  await mkdir(directory, { recursive: true });
  await writeFile(path.join(directory, "zarr.json"), JSON.stringify(document, null, 2));
}

async function writeChunkFile(file: string, bytes: Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, bytes);
}

const arrayDocument = (fields: Record<string, unknown>) => ({
  zarr_format: 3,
  node_type: "array",
  chunk_key_encoding: { name: "default", configuration: { separator: "/" } },
  codecs: [{ name: "bytes", configuration: { endian: "little" } }],
  attributes: {},
  ...fields,
});

describe("reading hand-written Zarr v3 (zarr.json per the core spec)", () => {
  let temp: { path: string; remove(): Promise<void> };
  let store: string;

  before(async () => {
    temp = await makeTempDirectory("zarr-v3");
    store = path.join(temp.path, "hand.zarr");
    await writeNode(store, { zarr_format: 3, node_type: "group", attributes: { ome: { version: "0.5" } } });

    // uint16 [5, 7] in [2, 3] chunks, raw bytes, "c/i/j" keys, fill 42; only chunks (0,0) and (2,2) exist.
    await writeNode(path.join(store, "raw"), arrayDocument({
      shape: [5, 7], data_type: "uint16", chunk_grid: { name: "regular", configuration: { chunk_shape: [2, 3] } }, fill_value: 42,
    }));
    await writeChunkFile(path.join(store, "raw", "c", "0", "0"), bytesOf(new Uint16Array([1, 2, 3, 4, 5, 6])));
    await writeChunkFile(path.join(store, "raw", "c", "2", "2"), bytesOf(new Uint16Array([7, 8, 9, 10, 11, 12])));

    // float32 [4, 6], one F-ordered chunk of [4, 4] through transpose + bytes + gzip, "." keys, NaN fill.
    await writeNode(path.join(store, "fortran"), arrayDocument({
      shape: [4, 6], data_type: "float32", chunk_grid: { name: "regular", configuration: { chunk_shape: [4, 4] } }, fill_value: "NaN",
      chunk_key_encoding: { name: "default", configuration: { separator: "." } },
      codecs: [{ name: "transpose", configuration: { order: [1, 0] } }, { name: "bytes", configuration: { endian: "little" } }, { name: "gzip", configuration: { level: 5 } }],
    }));
    // Element (i, j) = 10 i + j, stored column-major: (0,0) (1,0) (2,0) (3,0) (0,1) ...
    const fortran = new Float32Array(16);
    for (let j = 0; j < 4; j++) for (let i = 0; i < 4; i++) fortran[j * 4 + i] = 10 * i + j;
    await writeChunkFile(path.join(store, "fortran", "c.0.0"), gzipSync(bytesOf(fortran)));

    // int8 [10] in [4] chunks with v2-style keys and blosc(zstd, bitshuffle) written by c-blosc.
    await writeNode(path.join(store, "blosc"), arrayDocument({
      shape: [10], data_type: "int8", chunk_grid: { name: "regular", configuration: { chunk_shape: [4] } }, fill_value: -1,
      chunk_key_encoding: { name: "v2", configuration: { separator: "." } },
      codecs: [{ name: "bytes" }, { name: "blosc", configuration: { cname: "zstd", clevel: 3, shuffle: "bitshuffle", typesize: 1, blocksize: 0 } }],
    }));
    await runPythonCode(
      "import sys, numpy as np\nfrom numcodecs import blosc\n" +
        "for c in range(3):\n" +
        "    data = (np.arange(4, dtype='i1') + 4 * c - 5)\n" +
        "    open(sys.argv[1] + '/' + str(c), 'wb').write(blosc.compress(data, b'zstd', 3, blosc.BITSHUFFLE, 0))\n",
      [path.join(store, "blosc")],
    );

    // float64 with a hex-encoded fill value (the spec's bit-pattern form) under a nested path.
    await writeNode(path.join(store, "a"), { zarr_format: 3, node_type: "group", attributes: {} });
    await writeNode(path.join(store, "a", "b"), arrayDocument({
      shape: [3], data_type: "float64", chunk_grid: { name: "regular", configuration: { chunk_shape: [2] } }, fill_value: "0xc000000000000000",
    }));

    // Things tessera refuses.
    const refused = (name: string, fields: Record<string, unknown>) =>
      writeNode(path.join(store, "refused", name), arrayDocument({ shape: [4], chunk_grid: { name: "regular", configuration: { chunk_shape: [2] } }, fill_value: 0, ...fields }));
    await refused("float16", { data_type: "float16" });
    // complex64 is read (test/zarr/complex-zarr has its values): no chunks here, all fill value.
    await refused("complex", { data_type: "complex64", fill_value: [1.5, "-Infinity"] });
    await refused("sharded", {
      data_type: "uint8",
      codecs: [{ name: "sharding_indexed", configuration: { chunk_shape: [1], codecs: [{ name: "bytes" }], index_codecs: [{ name: "bytes" }] } }],
    });
    await refused("unknown-codec", { data_type: "uint8", codecs: [{ name: "bytes" }, { name: "lzma-xz" }] });
  });
  after(() => temp.remove());

  it("reads raw chunks with default keys and fills missing chunks with fill_value", async () => {
    const info = await openArray({ path: store, component: "raw" });
    assert.equal(info.zarrFormat, 3);
    assert.equal(info.fillValue, 42);
    assert.equal(info.compressor, "none");
    const all = await readRegion(info, [0, 0], [5, 7]);
    assert.deepEqual([...all.data].slice(0, 7), [1, 2, 3, 42, 42, 42, 42]);
    assert.deepEqual([...all.data].slice(7, 14), [4, 5, 6, 42, 42, 42, 42]);
    const corner = await readChunk(info, [2, 2]);
    assert.deepEqual(corner.shape, [1, 1]);
    assert.equal(corner.get(0, 0), 7);
  });

  it("reads transpose + gzip chunks into C order and cuts them to the array", async () => {
    const info = await openArray({ path: store, component: "fortran" });
    assert.equal(info.order, "F");
    assert.ok(Number.isNaN(info.fillValue));
    const chunk = await readChunk(info, [0, 0]);
    assert.deepEqual(chunk.shape, [4, 4]);
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) assert.equal(chunk.get(i, j), 10 * i + j);
    const edge = await readChunk(info, [0, 1]);
    assert.deepEqual(edge.shape, [4, 2]);
    assert.ok([...edge.data].every(Number.isNaN));
  });

  it("reads v2-style keys and c-blosc chunks configured with a string shuffle", async () => {
    const info = await openArray({ path: store, component: "blosc" });
    assert.equal(info.compressor, "blosc(zstd, clevel=3, bitshuffle)");
    const all = await readRegion(info, [0], [10]);
    assert.deepEqual([...all.data], [-5, -4, -3, -2, -1, 0, 1, 2, 3, 4]);
  });

  it("reads a hex bit-pattern fill value and a nested component", async () => {
    const info = await openArray(store, { component: "a/b" });
    assert.equal(info.fillValue, -2);
    assert.deepEqual([...(await readRegion(info, [0], [3])).data], [-2, -2, -2]);
  });

  it("refuses float16 data naming the type and the array; reads complex64 with its [re, im] fill value", async () => {
    await assert.rejects(openArray({ path: store, component: "refused/float16" }), (e: Error) =>
      e instanceof ZarrUnsupportedError && e.message.includes("refused/float16") && e.message.includes("float16"));
    const info = await openArray({ path: store, component: "refused/complex" });
    assert.equal(info.dtype, "complex64");
    assert.deepEqual((await readRegion(info, [1], [3])).toArray(), [{ re: 1.5, im: -Infinity }, { re: 1.5, im: -Infinity }]);
  });

  it("refuses sharded arrays and unknown codecs with errors that say so", async () => {
    await assert.rejects(openArray({ path: store, component: "refused/sharded" }), (e: Error) => e instanceof ZarrUnsupportedError && /sharded/.test(e.message));
    await assert.rejects(openArray({ path: store, component: "refused/unknown-codec" }), (e: Error) => e instanceof ZarrUnknownCodecError && e.message.includes('"lzma-xz"'));
  });
});

describe("Zarr v3 round trips", () => {
  let temp: { path: string; remove(): Promise<void> };
  before(async () => {
    temp = await makeTempDirectory("zarr-v3-rt");
  });
  after(() => temp.remove());

  const compressors: Array<CompressorSpec | null> = [
    undefined as unknown as CompressorSpec, { id: "blosc", cname: "zstd", shuffle: "bitshuffle" }, { id: "zstd", level: 5 },
    { id: "gzip" }, { id: "zlib" }, { id: "lz4" }, null,
  ];
  for (const [index, compressor] of compressors.entries()) {
    for (const dtype of ["uint16", "float64", "int8"] as DType[]) {
      it(`writes and reads back ${dtype} through ${compressor === undefined ? "the default" : JSON.stringify(compressor)}`, async () => {
        const ref = { path: path.join(temp.path, "rt.zarr"), component: `c${index}/${dtype}` };
        const info = await createArray(ref, { shape: [9, 11], chunks: [4, 5], dtype, zarrFormat: 3, compressor, fillValue: 3 });
        assert.equal(info.zarrFormat, 3);
        const block = new NDArray(allocate(dtype, 20, false), [4, 5], { dtype });
        for (let i = 0; i < 20; i++) block.data[i] = i * 3 - 7;
        await writeChunk(ref, [1, 1], block);
        const edge = new NDArray(allocate(dtype, 1, false), [1, 1], { dtype });
        edge.data[0] = 99;
        await writeChunk(ref, [2, 2], edge);
        const back = await readChunk(ref, [1, 1]);
        assert.deepEqual([...back.data], [...block.data]);
        const all = await readRegion(ref, [0, 0], [9, 11]);
        assert.equal(all.get(8, 10), 99);
        assert.equal(all.get(0, 0), 3);
        const chunkDirectory = path.join(ref.path, ref.component, "c");
        assert.deepEqual((await readdir(chunkDirectory)).sort(), ["1", "2"]);
        const document = JSON.parse(await readFile(path.join(ref.path, ref.component, "zarr.json"), "utf8")) as Record<string, unknown>;
        assert.equal(document.data_type, dtype);
        assert.deepEqual(document.chunk_key_encoding, { name: "default", configuration: { separator: "/" } });
      });
    }
  }

  it("writes blosc's v3 configuration with a string shuffle and the dtype's typesize", async () => {
    const ref = { path: path.join(temp.path, "cfg.zarr") };
    await createArray(ref, { shape: [10], chunks: [10], dtype: "uint16", zarrFormat: 3 });
    const document = JSON.parse(await readFile(path.join(ref.path, "zarr.json"), "utf8")) as { codecs: unknown[] };
    assert.deepEqual(document.codecs, [
      { name: "bytes", configuration: { endian: "little" } },
      { name: "blosc", configuration: { blocksize: 0, clevel: 5, cname: "lz4", shuffle: "shuffle", typesize: 2 } },
    ]);
  });

  it("stores edge chunks whole, padded with the fill value", async () => {
    const ref = { path: path.join(temp.path, "pad.zarr") };
    await createArray(ref, { shape: [5], chunks: [4], dtype: "int32", zarrFormat: 3, compressor: null, fillValue: -9 });
    await writeChunk(ref, [1], new NDArray(new Int32Array([5]), [1]));
    const stored = new Int32Array(new Uint8Array(await readFile(path.join(ref.path, "c", "1"))).buffer);
    assert.deepEqual([...stored], [5, -9, -9, -9]);
    assert.equal(shapeSize([4]) * 4, stored.byteLength);
  });
});
