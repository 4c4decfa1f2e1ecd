/**
 * complex64 / complex128 in Zarr, against zarr-python 2.13 both ways: arrays zarr-python writes
 * ("<c8", "<c16", ">c8", ">c16"; C and F order; blosc with shuffle, zlib, none; fill values
 * [re, im] with NaN and infinities in missing chunks) read in tessera eagerly (readRegion,
 * readChunk) and lazily (ta.fromZarr); arrays tessera writes (ta.toZarr over many blocks with
 * uneven edge chunks, createArray + writeChunk / writeChunkPart) read by zarr-python with the same values, dtype
 * and fill value. Zarr v3 complex64 / complex128 round trip in tessera (zarr-python 2.13 writes
 * no v3), with their zarr.json. zarr-python 2.13 decodes a fill value [re, im] as re + 1j·im,
 * which makes [1, NaN] NaN + NaN·j; tessera reads the parts as written, so the read cases keep
 * to fill values that both read alike.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import * as path from "node:path";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { createArray, openArray, readChunk, readRegion, writeChunk, writeChunkPart } from "../../src/zarr/index.js";
import { assertCloseArray, randomComplex } from "../ndarray/complex-compare.js";
import { makeTempDirectory, runPythonCode } from "./python-anchor.js";

/** zarr-python writes each array and saves its values (complex128, little-endian) beside it. */
const writer = String.raw`
import sys, json, numpy as np, zarr, numcodecs
root = sys.argv[1]
re = np.arange(23 * 17, dtype=np.float64).reshape(23, 17) / 8 - 20
im = np.sin(np.arange(23 * 17)).reshape(23, 17) * 50
values = re + 1j * im
cases = {
  "c8-blosc": dict(dtype="<c8", chunks=(2, 5), compressor=numcodecs.Blosc("lz4", 5, shuffle=1), fill_value=complex(float("nan"), float("nan")), order="C"),
  "c16-big-F-zlib": dict(dtype=">c16", chunks=(3, 4), compressor=numcodecs.Zlib(3), fill_value=complex(float("inf"), -2.5), order="F"),
  "c8-big-none": dict(dtype=">c8", chunks=(5, 17), compressor=None, fill_value=0, order="C"),
  "c16-nested-bitshuffle": dict(dtype="<c16", chunks=(4, 6), compressor=numcodecs.Blosc("zstd", 3, shuffle=2), fill_value=complex(-1, 1), order="C", dimension_separator="/"),
}
report = {}
for name, options in cases.items():
  a = zarr.open(root + "/" + name + ".zarr", mode="w", shape=values.shape, **options)
  # Leave the last rows' chunks unwritten: they read as the fill value.
  a[:16] = values[:16]
  np.ascontiguousarray(a[:], dtype="<c16").tofile(root + "/" + name + ".bin")
  report[name] = json.load(open(root + "/" + name + ".zarr/.zarray"))
print(json.dumps(report))
`;

const reader = String.raw`
import sys, json, numpy as np, zarr
out = {}
for name in sys.argv[2:]:
  a = zarr.open(sys.argv[1] + "/" + name, mode="r")
  np.ascontiguousarray(a[:], dtype="<c16").tofile(sys.argv[1] + "/" + name + ".bin")
  out[name] = {"dtype": a.dtype.str, "shape": list(a.shape), "chunks": list(a.chunks), "fill": [str(a.fill_value.real), str(a.fill_value.imag)], "initialized": a.nchunks_initialized}
print(json.dumps(out))
`;

async function savedValues(file: string, shape: number[]): Promise<nd.NDArray> {
  const bytes = await readFile(file);
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return nd.fromTypedArray(new Float64Array(copy.buffer), shape, { dtype: "complex128" });
}

const widen = (a: nd.NDArray) => nd.astype(a, "complex128");

describe("complex Zarr written by zarr-python, read by tessera", () => {
  let temp: { path: string; remove(): Promise<void> };
  let zarray: Record<string, { dtype: string; fill_value: unknown }>;
  before(async () => {
    temp = await makeTempDirectory("complex-zarr-read");
    zarray = JSON.parse(await runPythonCode(writer, [temp.path])) as typeof zarray;
  });
  after(() => temp.remove());

  const expectedFill: Record<string, { re: number; im: number }> = {
    "c8-blosc": { re: NaN, im: NaN }, "c16-big-F-zlib": { re: Infinity, im: -2.5 }, "c8-big-none": { re: 0, im: 0 }, "c16-nested-bitshuffle": { re: -1, im: 1 },
  };

  it("reads dtype, fill value [re, im] and every element eagerly and lazily", async () => {
    for (const name of Object.keys(expectedFill)) {
      const store = path.join(temp.path, `${name}.zarr`);
      const expected = await savedValues(path.join(temp.path, `${name}.bin`), [23, 17]);
      const info = await openArray({ path: store });
      assert.equal(info.dtype, zarray[name].dtype.endsWith("c8") ? "complex64" : "complex128", name);
      assert.deepEqual(info.fillValue, expectedFill[name], `${name}: fill value from ${JSON.stringify(zarray[name].fill_value)}`);
      assertCloseArray(widen(await readRegion(info, [0, 0], [23, 17])), expected, `${name} readRegion`);
      assertCloseArray(widen(await readRegion(info, [3, 2], [21, 15])), nd.copy(nd.slice(expected, { start: 3, stop: 21 }, { start: 2, stop: 15 })), `${name} inner box`);
      const lazy = await ta.fromZarr(store);
      assert.equal(lazy.dtype, info.dtype);
      assertCloseArray(widen(await lazy.compute()), expected, `${name} fromZarr`);
      assertCloseArray(widen(await lazy.get({ start: 5 }, { step: 3 }).compute()), nd.copy(nd.slice(expected, { start: 5 }, { step: 3 })), `${name} fromZarr slice`);
    }
    // An edge chunk cut to the array, from the F-ordered big-endian array.
    const info = await openArray({ path: path.join(temp.path, "c16-big-F-zlib.zarr") });
    const edge = await readChunk(info, [7, 4]);
    assert.deepEqual(edge.shape, [2, 1]);
    assert.deepEqual(edge.toArray(), [[{ re: Infinity, im: -2.5 }], [{ re: Infinity, im: -2.5 }]]);
  });
});

describe("complex Zarr written by tessera, read by zarr-python", () => {
  let temp: { path: string; remove(): Promise<void> };
  before(async () => {
    temp = await makeTempDirectory("complex-zarr-write");
  });
  after(() => temp.remove());

  it("ta.toZarr over many blocks and createArray + writeChunk give zarr-python the same values and fill value", async () => {
    const z64 = randomComplex([41, 9], "complex64", 7);
    const z128 = randomComplex([41, 9], "complex128", 8);
    await ta.fromArray(z64, { chunks: [3, 4] }).toZarr(path.join(temp.path, "lazy64.zarr"), { fillValue: { re: NaN, im: -Infinity } });
    await ta.toZarr(ta.fromArray(z128, { chunks: [4, 9] }).rechunk([7, 5]), path.join(temp.path, "lazy128.zarr"), { fillValue: 2.5, compressor: null });
    const eager = path.join(temp.path, "eager.zarr");
    const ref = await createArray({ path: eager }, { shape: [5, 3], chunks: [2, 2], dtype: "complex128", fillValue: { re: 0.5, im: -1 } });
    const block = nd.complex(nd.reshape(nd.arange(4, undefined, undefined, "float64"), [2, 2]), nd.full([2, 2], -3));
    await writeChunk(ref, [0, 1], nd.slice(block, ":", { stop: 1 }));
    await writeChunk(ref, [2, 0], nd.slice(block, { stop: 1 }));
    // Part of a chunk: the rest of it keeps the fill value.
    await writeChunkPart(ref, [1, 1], [1, 0], nd.full([1, 1], { re: 7, im: 8 }, "complex128"));
    const report = JSON.parse(await runPythonCode(reader, [temp.path, "lazy64.zarr", "lazy128.zarr", "eager.zarr"])) as Record<string, { dtype: string; shape: number[]; chunks: number[]; fill: string[]; initialized: number }>;
    assert.deepEqual(report["lazy64.zarr"], { dtype: "<c8", shape: [41, 9], chunks: [3, 4], fill: ["nan", "-inf"], initialized: 14 * 3 });
    assert.deepEqual(report["lazy128.zarr"], { dtype: "<c16", shape: [41, 9], chunks: [7, 5], fill: ["2.5", "0.0"], initialized: 6 * 2 });
    assert.deepEqual(report["eager.zarr"], { dtype: "<c16", shape: [5, 3], chunks: [2, 2], fill: ["0.5", "-1.0"], initialized: 3 });
    assertCloseArray(await savedValues(path.join(temp.path, "lazy64.zarr.bin"), [41, 9]), widen(z64), "lazy64");
    assertCloseArray(await savedValues(path.join(temp.path, "lazy128.zarr.bin"), [41, 9]), z128, "lazy128");
    const fill = { re: 0.5, im: -1 };
    assert.deepEqual((await savedValues(path.join(temp.path, "eager.zarr.bin"), [5, 3])).toArray(), [
      [fill, fill, { re: 0, im: -3 }], [fill, fill, { re: 2, im: -3 }], [fill, fill, fill], [fill, fill, { re: 7, im: 8 }], [{ re: 0, im: -3 }, { re: 1, im: -3 }, fill],
    ]);
    const zattrs = JSON.parse(await readFile(path.join(temp.path, "lazy64.zarr", ".zarray"), "utf8")) as { fill_value: unknown; compressor: { shuffle: number } };
    assert.deepEqual(zattrs.fill_value, ["NaN", "-Infinity"]);
    // The blosc header's typesize (byte 3): numcodecs shuffles complex64 by its itemsize, 8 bytes.
    assert.equal((await readFile(path.join(temp.path, "lazy64.zarr", "0.0")))[3], 8);
  });

  it("round-trips Zarr v3 complex64 / complex128 with data_type and fill_value [re, im]", async () => {
    for (const dtype of ["complex64", "complex128"] as const) {
      const z = randomComplex([25, 6], dtype, 9);
      const store = path.join(temp.path, `v3-${dtype}.zarr`);
      await ta.fromArray(z, { chunks: [2, 4] }).toZarr(store, { zarrFormat: 3, fillValue: { re: -0.5, im: NaN } });
      const document = JSON.parse(await readFile(path.join(store, "zarr.json"), "utf8")) as { data_type: string; fill_value: unknown; codecs: Array<{ name: string; configuration?: { typesize?: number } }> };
      assert.equal(document.data_type, dtype);
      assert.deepEqual(document.fill_value, [-0.5, "NaN"]);
      assert.equal(document.codecs.find((codec) => codec.name === "blosc")?.configuration?.typesize, dtype === "complex64" ? 8 : 16);
      const back = await ta.fromZarr(store);
      assert.equal(back.dtype, dtype);
      assertCloseArray(await back.compute(), z, `v3 ${dtype}`);
      const info = await openArray({ path: store });
      assert.deepEqual(info.fillValue, { re: -0.5, im: NaN });
    }
  });

  it("refuses a fill value that is not a number or { re, im }", async () => {
    await assert.rejects(createArray({ path: path.join(temp.path, "bad.zarr") }, { shape: [2], chunks: [2], dtype: "complex64", fillValue: [1, 2] as never }), /fillValue: \[1,2\] is not a valid complex64 value/);
  });
});
