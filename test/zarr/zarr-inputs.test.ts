// Issue 12's Zarr input items, each against zarr-python 2.13 / NumPy writing the data at test
// time: zero-size arrays (reading a (0, 5) array failed) read and write, and zarr-python reads
// what tessera writes; big-endian data (">u2", ">f4", ">i8"… as Fiji/N5 tools write it, and
// v3's `bytes` codec with endian "big") reads with the values NumPy has, and writes back in
// big-endian; bz2-compressed arrays read (writing them is refused, naming the codecs tessera writes).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import * as path from "node:path";
import * as ta from "../../src/array/index.js";
import { NDArray } from "../../src/ndarray/ndarray.js";
import { dtypeInfo } from "../../src/ndarray/dtype.js";
import { openArray, readChunk, readRegion, writeChunk } from "../../src/zarr/index.js";
import { bytesOf, makeTempDirectory, runPythonCode } from "./python-anchor.js";

describe("zero-size Zarr arrays", () => {
  let temp: { path: string; remove(): Promise<void> };
  before(async () => {
    temp = await makeTempDirectory("zarr-zero");
  });
  after(() => temp.remove());

  const shapes: Array<{ shape: number[]; chunks: number[]; dtype: string }> = [
    { shape: [0, 5], chunks: [2, 5], dtype: "u2" },
    { shape: [0], chunks: [4], dtype: "f4" },
    { shape: [3, 0, 4], chunks: [2, 2, 2], dtype: "i8" },
  ];

  it("reads (0, 5), (0,) and (3, 0, 4) arrays written by zarr-python, lazily and eagerly", async () => {
    for (const [index, { shape, chunks, dtype }] of shapes.entries()) {
      const store = path.join(temp.path, `python-${index}.zarr`);
      await runPythonCode(
        "import sys, json, zarr\na = json.loads(sys.argv[2])\nzarr.open(sys.argv[1], mode='w', shape=a['shape'], chunks=a['chunks'], dtype=a['dtype'])",
        [store, JSON.stringify({ shape, chunks, dtype })],
      );
      const info = await openArray(store);
      assert.deepEqual(info.shape, shape);
      const lazy = await ta.fromZarr(store);
      const result = await lazy.compute();
      assert.deepEqual(result.shape, shape);
      assert.equal(result.size, 0);
      assert.equal(dtypeInfo(result.dtype).numpy.slice(1), dtype);
      assert.deepEqual((await readRegion({ path: store }, shape.map(() => 0), shape)).shape, shape);
      assert.equal(Number((await lazy.sum().compute()).item()), 0, "the sum of nothing is 0, as NumPy says");
    }
  });

  it("writes zero-size arrays with toZarr that zarr-python reads back with their shape and dtype", async () => {
    for (const [index, { shape, chunks, dtype }] of shapes.entries()) {
      const store = path.join(temp.path, `tessera-${index}.zarr`);
      const tesseraDtype = ({ u2: "uint16", f4: "float32", i8: "int64" } as const)[dtype as "u2"];
      await ta.zeros(shape, { chunks, dtype: tesseraDtype }).toZarr(store);
      const seen = await runPythonCode("import sys, zarr\nz = zarr.open_array(sys.argv[1], mode='r')\nprint(list(z.shape), z.dtype.str, list(z[...].shape))", [store]);
      assert.equal(seen.trim(), `${JSON.stringify(shape).replace(/,/g, ", ")} <${dtype} ${JSON.stringify(shape).replace(/,/g, ", ")}`);
      // Resuming a complete zero-size write has nothing to do and leaves it as it is.
      await ta.zeros(shape, { chunks, dtype: tesseraDtype }).toZarr(store, { resume: true });
      assert.deepEqual((await openArray(store)).shape, shape);
    }
  });
});

describe("big-endian Zarr data", () => {
  let temp: { path: string; remove(): Promise<void> };
  before(async () => {
    temp = await makeTempDirectory("zarr-big-endian");
  });
  after(() => temp.remove());

  // Values that show a missed swap: every byte of every element differs.
  const cases = [
    { dtype: ">u2", compressor: "None", order: "C" },
    { dtype: ">i2", compressor: "Blosc(cname='lz4', clevel=5, shuffle=1)", order: "F" },
    { dtype: ">u4", compressor: "Zlib(level=1)", order: "C" },
    { dtype: ">i4", compressor: "Blosc(cname='zstd', clevel=3, shuffle=2)", order: "C" },
    { dtype: ">f4", compressor: "GZip(level=1)", order: "C" },
    { dtype: ">f8", compressor: "Blosc(cname='lz4', clevel=5, shuffle=1)", order: "F" },
    { dtype: ">i8", compressor: "None", order: "C" },
    { dtype: ">u8", compressor: "Zstd(level=1)", order: "C" },
  ];

  it("reads >u2, >i2, >u4, >i4, >f4, >f8, >i8 and >u8 arrays written by zarr-python with NumPy's values", async () => {
    for (const { dtype, compressor, order } of cases) {
      const name = `${dtype.slice(1)}-${order}`;
      const store = path.join(temp.path, `${name}.zarr`);
      await runPythonCode(
        "import sys, numpy as np, zarr\nfrom numcodecs import Blosc, Zlib, GZip, Zstd\n" +
          "store, dtype, compressor, order, raw = sys.argv[1:6]\n" +
          "values = (np.arange(37 * 23, dtype='f8').reshape(37, 23) * 1234.5678 - 9999).astype(dtype)\n" +
          "z = zarr.open(store, mode='w', shape=values.shape, chunks=(10, 8), dtype=dtype, compressor=eval(compressor), order=order, fill_value=7)\n" +
          "z[:36, :] = values[:36, :]\n" + // the last row stays missing: the fill value, also big-endian
          "values[36, :] = 7\n" +
          "open(raw, 'wb').write(values.astype(values.dtype.newbyteorder('<')).tobytes())\n",
        [store, dtype, compressor, order, path.join(temp.path, `${name}.raw`)],
      );
      const expected = await readFile(path.join(temp.path, `${name}.raw`));
      const info = await openArray(store);
      assert.equal(dtypeInfo(info.dtype).numpy, `<${dtype.slice(1)}`, name);
      assert.equal(info.order, order);
      const whole = await readRegion(info, [0, 0], [37, 23]);
      assert.ok(bytesOf(whole.data).equals(expected), `${name}: values differ from NumPy's`);
      const computed = await (await ta.fromZarr(store, { chunks: [16, 16] })).compute();
      assert.ok(bytesOf(computed.data).equals(expected), `${name}: fromZarr with other chunks`);
    }
  });

  it("writes into a big-endian array in big-endian, so zarr-python reads the values written", async () => {
    const store = path.join(temp.path, "write.zarr");
    await runPythonCode("import sys, zarr\nzarr.open(sys.argv[1], mode='w', shape=(12, 9), chunks=(4, 3), dtype='>i4', fill_value=0)", [store]);
    const values = ta.fromArray(new NDArray(Int32Array.from({ length: 12 * 9 }, (_, i) => (i - 50) * 70_001), [12, 9]), { chunks: [5, 5] });
    await ta.store([values], [store]);
    const seen = await runPythonCode(
      "import sys, json, zarr\nz = zarr.open_array(sys.argv[1], mode='r')\nprint(json.dumps([z.dtype.str, z[:].astype('<i4').ravel().tolist()]))",
      [store],
    );
    const [dtype, read] = JSON.parse(seen) as [string, number[]];
    assert.equal(dtype, ">i4");
    assert.deepEqual(read, Array.from({ length: 12 * 9 }, (_, i) => (i - 50) * 70_001));
  });

  it("reads and writes a v3 array whose bytes codec says endian \"big\" (chunk bytes from NumPy)", async () => {
    const store = path.join(temp.path, "v3-big.zarr");
    await mkdir(path.join(store, "c", "0"), { recursive: true });
    await writeFile(path.join(store, "zarr.json"), JSON.stringify({
      zarr_format: 3, node_type: "array", shape: [4, 6], data_type: "float32",
      chunk_grid: { name: "regular", configuration: { chunk_shape: [4, 3] } },
      chunk_key_encoding: { name: "default", configuration: { separator: "/" } }, fill_value: 0,
      codecs: [{ name: "bytes", configuration: { endian: "big" } }, { name: "gzip", configuration: { level: 1 } }], attributes: {},
    }));
    await runPythonCode(
      "import sys, gzip, numpy as np\nvalues = ((np.arange(12).reshape(4, 3) - 5.5) * 3.25).astype('>f4')\n" +
        "open(sys.argv[1], 'wb').write(gzip.compress(values.tobytes()))",
      [path.join(store, "c", "0", "0")],
    );
    const chunk = await readChunk({ path: store }, [0, 0]);
    assert.deepEqual([...chunk.data], Array.from({ length: 12 }, (_, i) => (i - 5.5) * 3.25));
    await writeChunk({ path: store }, [0, 1], new NDArray(Float32Array.from({ length: 12 }, (_, i) => i + 0.5), [4, 3]));
    const numpySees = await runPythonCode(
      "import sys, gzip, numpy as np\nprint(np.frombuffer(gzip.decompress(open(sys.argv[1], 'rb').read()), dtype='>f4').tolist())",
      [path.join(store, "c", "0", "1")],
    );
    assert.deepEqual(JSON.parse(numpySees), Array.from({ length: 12 }, (_, i) => i + 0.5));
  });
});

describe("the bz2 codec (read-only)", () => {
  let temp: { path: string; remove(): Promise<void> };
  before(async () => {
    temp = await makeTempDirectory("zarr-bz2");
  });
  after(() => temp.remove());

  it("reads arrays zarr-python compressed with numcodecs' BZ2, with NumPy's values, eagerly and lazily", async () => {
    const store = path.join(temp.path, "bz2.zarr");
    await runPythonCode(
      "import sys, numpy as np, zarr\nfrom numcodecs import BZ2\n" +
        "zarr.array((np.arange(3000, dtype='>u2') * 7 % 1009).reshape(30, 100), chunks=(7, 40), compressor=BZ2(level=9), store=sys.argv[1])",
      [store],
    );
    const expected = Array.from({ length: 3000 }, (_, i) => (i * 7) % 1009);
    const lazy = await ta.fromZarr(store, { chunks: [11, 33] });
    const result = await lazy.compute();
    assert.equal(result.dtype, "uint16");
    assert.deepEqual(Array.from(result.data as Uint16Array), expected);
    const region = await readRegion({ path: store }, [5, 90], [9, 100]);
    assert.deepEqual(Array.from(region.data as Uint16Array), [5, 6, 7, 8].flatMap((row) => expected.slice(row * 100 + 90, row * 100 + 100)));
  });

  it("refuses a corrupt chunk and a chunk that decodes past its size, naming the codec problem", async () => {
    const store = path.join(temp.path, "bz2-bad.zarr");
    await runPythonCode(
      "import sys, bz2, numpy as np, zarr\nfrom numcodecs import BZ2\n" +
        "z = zarr.array(np.arange(100, dtype='u2'), chunks=(10,), compressor=BZ2(level=9), store=sys.argv[1])\n" +
        "open(sys.argv[1] + '/1', 'wb').write(bz2.compress(b'\\0' * 10_000_000))",
      [store],
    );
    const chunk = path.join(store, "0");
    const bytes = await readFile(chunk);
    bytes[bytes.length - 8] ^= 0xff;
    await writeFile(chunk, bytes);
    const info = { path: store };
    await assert.rejects(readChunk(info, [0]), /bz2 chunk cannot be decoded/);
    await assert.rejects(readChunk(info, [1]), /decodes to more than a chunk of this array holds \(20 bytes\)/);
    assert.deepEqual(Array.from((await readChunk(info, [2])).data as Uint16Array), [20, 21, 22, 23, 24, 25, 26, 27, 28, 29]);
  });

  it("refuses to write into a bz2 array, naming the codecs tessera writes, and leaves the chunk as it was", async () => {
    const store = path.join(temp.path, "bz2-write.zarr");
    await runPythonCode(
      "import sys, numpy as np, zarr\nfrom numcodecs import BZ2\nzarr.array(np.arange(20, dtype='u2'), chunks=(10,), compressor=BZ2(), store=sys.argv[1])",
      [store],
    );
    const before = await readFile(path.join(store, "0"));
    const info = { path: store };
    const block = new NDArray(new Uint16Array(10), [10]);
    await assert.rejects(writeChunk(info, [0], block), /bz2 codec, which tessera reads but cannot write; nothing was written\. Write the data to a new array \(blosc, zstd, lz4, gzip or zlib\)/);
    assert.deepEqual(await readFile(path.join(store, "0")), before);
  });
});
