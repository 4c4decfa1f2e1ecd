// createArray's layout options as zarr-python spells them: `order: "F"` (v2) and NumPy type
// strings naming the stored byte order (">f8", ">c16"), with fill values -0.0, NaN, ±Infinity
// and null. The .zarray must be the text zarr-python writes for the same options; values
// written by tessera read back exactly in zarr-python and the other way round, over many
// chunks per axis with uneven edges. Zarr v3 (which zarr-python 2.13 cannot read) is checked
// chunk by chunk against NumPy: big-endian `bytes` and `transpose` codecs, complex included,
// the stored bytes being the chunk transposed, in the stored byte order, padded with the fill.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import * as path from "node:path";
import * as ta from "../../src/array/index.js";
import { InvalidOptionError } from "../../src/core/errors.js";
import type { DType } from "../../src/ndarray/dtype.js";
import { NDArray, allocate, shapeSize } from "../../src/ndarray/ndarray.js";
import { type CreateArrayOptions, createArray, readRegion, writeChunk } from "../../src/zarr/index.js";
import { bytesOf, makeTempDirectory, runPythonCode } from "./python-anchor.js";
import { blockIndices } from "../../src/array/chunks.js";

/** Distinct values of any dtype (complex: re and im differ), C order. */
function pattern(shape: number[], dtype: DType, seed: number): NDArray {
  const size = shapeSize(shape);
  const data = allocate(dtype, size, false);
  const lanes = data.length / size;
  for (let i = 0; i < data.length; i++) {
    const value = ((i * (7 + seed) + 3 * seed) % 1001) - 300;
    if (data instanceof BigInt64Array) data[i] = BigInt(value) * 1_000_000_007n;
    else if (dtype.startsWith("uint")) data[i] = Math.abs(value);
    else data[i] = dtype.startsWith("int") ? value : value / (lanes === 2 && i % 2 ? 16 : 8);
  }
  return new NDArray(data, shape, { dtype });
}

function chunkGrid(shape: number[], chunks: number[]): number[][] {
  return [...blockIndices(shape.map((n, axis) => Math.ceil(n / chunks[axis])))];
}

async function writeAllChunks(store: string, values: NDArray, chunks: number[]): Promise<void> {
  for (const coords of chunkGrid([...values.shape], chunks)) {
    const start = coords.map((c, axis) => c * chunks[axis]);
    const extent = start.map((s, axis) => Math.min(chunks[axis], values.shape[axis] - s));
    const offset = start.reduce((sum, s, axis) => sum + s * values.strides[axis], 0);
    await writeChunk({ path: store }, coords, new NDArray(values.storage, extent, { strides: values.strides, offset, dtype: values.dtype }));
  }
}

interface V2Case {
  name: string;
  options: Omit<CreateArrayOptions, "shape" | "chunks">;
  /** zarr-python's keyword arguments for the same array, as Python source. */
  python: string;
}

const shape = [45, 17];
const chunks = [4, 5];
const v2Cases: V2Case[] = [
  { name: "f-order", options: { dtype: "float64", order: "F", compressor: null }, python: "dtype='<f8', order='F', compressor=None" },
  { name: "big-f8", options: { dtype: ">f8", fillValue: -0, compressor: null }, python: "dtype='>f8', fill_value=-0.0, compressor=None" },
  { name: "big-f4-f-order-nan", options: { dtype: ">f4", order: "F", fillValue: NaN }, python: "dtype='>f4', order='F', fill_value=np.nan" },
  { name: "big-c16-f-order", options: { dtype: ">c16", order: "F", fillValue: { re: Infinity, im: 2.5 }, compressor: { id: "zstd", level: 1 } }, python: "dtype='>c16', order='F', fill_value=complex(np.inf, 2.5), compressor=numcodecs.Zstd(level=1)" },
  { name: "big-i8-none", options: { dtype: ">i8", fillValue: null, compressor: { id: "gzip", level: 5 } }, python: "dtype='>i8', fill_value=None, compressor=numcodecs.GZip(level=5)" },
  { name: "big-u2-nested", options: { dtype: ">u2", order: "F", dimensionSeparator: "/", fillValue: 7 }, python: "dtype='>u2', order='F', dimension_separator='/', fill_value=7" },
  { name: "u1-lz4", options: { dtype: "|u1", compressor: { id: "lz4" } }, python: "dtype='|u1', compressor=numcodecs.LZ4()" },
  { name: "f8-minus-infinity", options: { dtype: "<f8", fillValue: -Infinity }, python: "dtype='<f8', fill_value=-np.inf" },
];

describe("createArray with zarr-python's order and byte-order options (v2)", () => {
  let temp: { path: string; remove(): Promise<void> };
  const store = (name: string, who: string) => path.join(temp.path, `${name}.${who}`);
  const dtypeOf = (options: V2Case["options"]) => ({ "|u1": "uint8", "<f8": "float64", ">f8": "float64", ">f4": "float32", ">c16": "complex128", ">i8": "int64", ">u2": "uint16" } as Record<string, DType>)[options.dtype] ?? (options.dtype as DType);

  before(async () => {
    temp = await makeTempDirectory("create-layouts");
    for (const { name, options } of v2Cases) {
      await createArray(store(name, "tessera"), { shape, chunks, ...options });
      await writeAllChunks(store(name, "tessera"), pattern(shape, dtypeOf(options), 1), chunks);
    }
    // zarr-python makes the same arrays, writes the same values into a copy of its own, and its values into ours.
    const script = ["import sys, json, numpy as np, numcodecs, zarr", "root = sys.argv[1]", "out = {}"];
    for (const { name, python } of v2Cases) {
      script.push(
        `z = zarr.open(root + '/${name}.zarr-python', mode='w', shape=${JSON.stringify(shape)}, chunks=${JSON.stringify(chunks)}, ${python})`,
        `ours = zarr.open_array(root + '/${name}.tessera', mode='r')`,
        `z[:] = ours[:]`,
        `out['${name}'] = dict(zarray=open(root + '/${name}.tessera/.zarray').read(), python_zarray=open(root + '/${name}.zarr-python/.zarray').read(),`,
        `  stored=sorted(k for k in ours.store.keys() if not k.startswith('.')) == sorted(k for k in z.store.keys() if not k.startswith('.')),`,
        `  raw=[(bytes(ours.compressor.decode(ours.store[k])) if ours.compressor else ours.store[k]) == (bytes(z.compressor.decode(z.store[k])) if z.compressor else z.store[k]) for k in z.store.keys() if not k.startswith('.')])`,
        `np.ascontiguousarray(ours[:]).astype(ours.dtype.newbyteorder('<')).tofile(root + '/${name}.read.raw')`,
        `zarr.open_array(root + '/${name}.tessera', mode='r+')[:] = np.ascontiguousarray(ours[:])[::-1].copy()`,
      );
    }
    script.push("print(json.dumps(out))");
    report = JSON.parse(await runPythonCode(script.join("\n"), [temp.path])) as typeof report;
  });
  after(() => temp.remove());
  let report: Record<string, { zarray: string; python_zarray: string; stored: boolean; raw: boolean[] }>;

  it("writes the .zarray text zarr-python writes for the same options", () => {
    for (const { name } of v2Cases) assert.equal(report[name].zarray, report[name].python_zarray, name);
  });

  it("stores the chunks zarr-python stores for the same values, which it reads back exactly", async () => {
    for (const { name, options } of v2Cases) {
      assert.ok(report[name].stored, `${name}: chunk keys`);
      assert.equal(report[name].raw.length, chunkGrid(shape, chunks).length, name);
      assert.ok(report[name].raw.every(Boolean), `${name}: chunk bytes`);
      const read = await readFile(store(name, "read.raw"));
      assert.ok(read.equals(bytesOf(pattern(shape, dtypeOf(options), 1).storage)), `${name}: zarr-python read other values`);
    }
  });

  it("reads back exactly what zarr-python wrote into the arrays it made", async () => {
    for (const { name, options } of v2Cases) {
      const values = pattern(shape, dtypeOf(options), 1);
      const read = await readRegion({ path: store(name, "tessera") }, [0, 0], shape);
      const rowBytes = (values.storage.byteLength / shape[0]);
      for (let row = 0; row < shape[0]; row++) {
        const theirs = bytesOf(read.storage).subarray(row * rowBytes, (row + 1) * rowBytes);
        const ours = bytesOf(values.storage).subarray((shape[0] - 1 - row) * rowBytes, (shape[0] - row) * rowBytes);
        assert.ok(theirs.equals(ours), `${name}: row ${row}`);
      }
    }
  });

  it("toZarr passes order on as Dask's to_zarr(order=…) does, and refuses it with region (the array exists)", async () => {
    const target = path.join(temp.path, "to-zarr-f");
    const values = pattern(shape, "float32", 3);
    await ta.fromArray(values, { chunks: [9, 5] }).toZarr(target, { order: "F", chunks });
    const seen = JSON.parse(await runPythonCode(
      "import sys, json, numpy as np, zarr\nz = zarr.open_array(sys.argv[1], mode='r')\n" +
        "np.ascontiguousarray(z[:]).tofile(sys.argv[1] + '.raw')\nprint(json.dumps(dict(order=z.order, nchunks=z.nchunks_initialized)))",
      [target],
    )) as { order: string; nchunks: number };
    assert.deepEqual(seen, { order: "F", nchunks: chunkGrid(shape, chunks).length });
    assert.ok((await readFile(`${target}.raw`)).equals(bytesOf(values.storage)), "zarr-python read other values");
    await assert.rejects(ta.fromArray(values, { chunks }).toZarr(target, { region: [null, null], order: "F" }), /order describes a new array and cannot be used with region/);
  });

  it("refuses what zarr-python would not write, naming the option", async () => {
    const refused = async (options: Record<string, unknown>, fragment: string) => {
      await assert.rejects(createArray(path.join(temp.path, "refused"), { shape, chunks, dtype: "float64", ...options } as CreateArrayOptions),
        (error: unknown) => error instanceof InvalidOptionError && error.message.includes(fragment), fragment);
    };
    await refused({ order: "F", zarrFormat: 3 }, 'order: "F" is a Zarr v2 option');
    await refused({ order: "K" }, 'order: "K" must be "C" or "F"');
    await refused({ dtype: ">f2" }, 'unknown dtype ">f2"');
    await refused({ dtype: "f8" }, 'unknown dtype "f8"');
    await refused({ filters: [{ id: "delta" }] }, 'unknown option "filters"');
    await refused({ endian: "big" }, 'unknown option "endian"');
  });
});

interface V3Case {
  name: string;
  dtype: DType;
  /** The stored type as NumPy names it. */
  numpy: string;
  shape: number[];
  chunks: number[];
  /** The transpose codec's order, or undefined for none. */
  transpose?: number[];
  /** The fill value as zarr.json spells it (JSON text: -0.0 keeps its sign). */
  fill: string;
}

const v3Cases: V3Case[] = [
  { name: "big-f8", dtype: "float64", numpy: ">f8", shape: [41, 9], chunks: [4, 4], fill: '"-Infinity"' },
  { name: "transpose-f", dtype: "int16", numpy: "<i2", shape: [33, 7], chunks: [3, 4], transpose: [1, 0], fill: "-5" },
  { name: "transpose-3d-big", dtype: "uint32", numpy: ">u4", shape: [23, 5, 7], chunks: [2, 3, 4], transpose: [2, 0, 1], fill: "3" },
  { name: "transpose-3d-big-c16", dtype: "complex128", numpy: ">c16", shape: [21, 4, 6], chunks: [2, 3, 4], transpose: [1, 2, 0], fill: '["NaN", -0.0]' },
  { name: "transpose-big-f4-negzero", dtype: "float32", numpy: ">f4", shape: [31, 6], chunks: [3, 4], transpose: [1, 0], fill: "-0.0" },
];

describe("writing Zarr v3 arrays with big-endian bytes and transpose codecs (chunks checked in NumPy)", () => {
  let temp: { path: string; remove(): Promise<void> };
  let report: Record<string, { bad: string[]; chunks: number }>;

  before(async () => {
    temp = await makeTempDirectory("create-layouts-v3");
    for (const layout of v3Cases) {
      const directory = path.join(temp.path, layout.name);
      await mkdir(directory, { recursive: true });
      const endian = layout.numpy.startsWith(">") ? "big" : "little";
      await writeFile(path.join(directory, "zarr.json"), `{"zarr_format": 3, "node_type": "array", "shape": ${JSON.stringify(layout.shape)}, ` +
        `"data_type": "${layout.dtype}", "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": ${JSON.stringify(layout.chunks)}}}, ` +
        `"chunk_key_encoding": {"name": "default", "configuration": {"separator": "/"}}, "fill_value": ${layout.fill}, ` +
        `"codecs": [${layout.transpose ? `{"name": "transpose", "configuration": {"order": ${JSON.stringify(layout.transpose)}}}, ` : ""}` +
        `{"name": "bytes", "configuration": {"endian": "${endian}"}}], "attributes": {}}`);
      const values = pattern(layout.shape, layout.dtype, 2);
      await writeAllChunks(directory, values, layout.chunks);
      await writeFile(path.join(directory, "values.raw"), bytesOf(values.storage));
    }
    report = JSON.parse(await runPythonCode([
      "import sys, json, itertools, numpy as np",
      "root, cases = sys.argv[1], json.loads(sys.argv[2])",
      "def number(v): return complex(number(v[0]), number(v[1])) if isinstance(v, list) else float(v) if isinstance(v, str) else v",
      "def fill(text): return number(json.loads(text))",
      "out = {}",
      "for c in cases:",
      "    d = root + '/' + c['name']",
      "    stored = np.dtype(c['numpy'])",
      "    values = np.fromfile(d + '/values.raw', dtype=stored.newbyteorder('<')).reshape(c['shape'])",
      "    bad, n = [], 0",
      "    for coords in itertools.product(*[range(-(-s // k)) for s, k in zip(c['shape'], c['chunks'])]):",
      "        chunk = np.full(c['chunks'], fill(c['fill']), dtype=stored)",
      "        box = tuple(slice(i * k, min((i + 1) * k, s)) for i, k, s in zip(coords, c['chunks'], c['shape']))",
      "        chunk[tuple(slice(0, b.stop - b.start) for b in box)] = values[box]",
      "        expected = np.ascontiguousarray(chunk.transpose(c['transpose']) if c.get('transpose') else chunk).tobytes()",
      "        n += 1",
      "        if open(d + '/c/' + '/'.join(map(str, coords)), 'rb').read() != expected: bad.append(coords)",
      "    out[c['name']] = dict(bad=bad[:5], chunks=n)",
      "print(json.dumps(out))",
    ].join("\n"), [temp.path, JSON.stringify(v3Cases)])) as typeof report;
  });
  after(() => temp.remove());

  it("stores each chunk as NumPy lays it out: transposed, in the stored byte order, the edge padded with the fill value", () => {
    for (const layout of v3Cases) {
      assert.deepEqual(report[layout.name].bad, [], layout.name);
      assert.equal(report[layout.name].chunks, chunkGrid(layout.shape, layout.chunks).length, layout.name);
    }
  });

  it("reads back what it wrote", async () => {
    for (const layout of v3Cases) {
      const read = await readRegion({ path: path.join(temp.path, layout.name) }, layout.shape.map(() => 0), layout.shape);
      assert.ok(bytesOf(read.storage).equals(bytesOf(pattern(layout.shape, layout.dtype, 2).storage)), layout.name);
    }
  });

  it("createArray writes a big-endian v3 array's bytes codec as big", async () => {
    const store = path.join(temp.path, "created-big");
    await createArray(store, { shape: [5], chunks: [2], dtype: ">i4", zarrFormat: 3, compressor: null });
    const document = JSON.parse(await readFile(path.join(store, "zarr.json"), "utf8")) as { data_type: string; codecs: unknown[] };
    assert.equal(document.data_type, "int32");
    assert.deepEqual(document.codecs, [{ name: "bytes", configuration: { endian: "big" } }]);
  });
});
