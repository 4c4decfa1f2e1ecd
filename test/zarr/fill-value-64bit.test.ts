// int64 / uint64 fill values past 2^53 (src/zarr/metadata-json.ts, array-metadata.ts): JSON.parse
// rounds 9223372036854775807 to 2^63, which a BigInt64Array stores as −2^63, so missing chunks
// of an int64 array with fill value INT64_MAX read as INT64_MIN (and UINT64_MAX as 0). They
// are read exactly from the metadata's text now, and only the array's own fill_value, not a
// "fill_value" inside its attributes. Creating an array with a fill value its dtype cannot hold
// (which was written as given and read back wrapped, or refused by every later open) is refused.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import * as ta from "../../src/array/index.js";
import { createArray, openArray } from "../../src/zarr/index.js";
import { parseMetadataJson } from "../../src/zarr/metadata-json.js";
import { makeTempDirectory, runPythonCode } from "./python-anchor.js";

describe("int64 and uint64 fill values past 2^53", () => {
  let temp: { path: string; remove(): Promise<void> };
  before(async () => {
    temp = await makeTempDirectory("zarr-fill-64");
  });
  after(() => temp.remove());

  const cases: Array<[string, string]> = [
    ["<i8", String(2n ** 63n - 1n)], ["<i8", String(-(2n ** 63n))], ["<i8", String(2n ** 53n + 1n)],
    [">i8", String(-(2n ** 62n) - 3n)], ["<u8", String(2n ** 64n - 1n)], [">u8", String(2n ** 63n)],
  ];

  it("read exactly in the missing chunks of arrays zarr-python wrote", async () => {
    for (const [i, [dtype, fill]] of cases.entries()) {
      const store = path.join(temp.path, `a${i}.zarr`);
      // Chunks (2,) over 5 elements: only the first chunk is written, two chunks (one partial) are missing.
      await runPythonCode(
        "import sys, numpy as np, zarr\nstore, dtype, fill = sys.argv[1:4]\n" +
          "z = zarr.open(store, mode='w', shape=(5,), chunks=(2,), dtype=dtype, fill_value=int(fill))\nz[:2] = [1, 2]\n",
        [store, dtype, fill],
      );
      const expected = [1n, 2n, BigInt(fill), BigInt(fill), BigInt(fill)];
      assert.equal((await openArray(store)).fillValue, BigInt(fill), `${dtype} ${fill}: fill value`);
      const values = [...(await (await ta.fromZarr(store)).compute()).toTypedArray()];
      assert.deepEqual(values, expected, `${dtype} ${fill}`);
      const rechunked = [...(await (await ta.fromZarr(store, { chunks: 3 })).get({ start: 1 }).compute()).toTypedArray()];
      assert.deepEqual(rechunked, expected.slice(1), `${dtype} ${fill}, rechunked and sliced`);
    }
  });

  it("take the array's own fill_value, not a \"fill_value\" in its attributes (v3)", async () => {
    const store = path.join(temp.path, "v3.zarr");
    mkdirSync(store);
    const text = `{"zarr_format": 3, "node_type": "array", "shape": [3], "data_type": "uint64",
      "attributes": {"fill_value": 18446744073709551614, "note": "fill_value", "list": [9007199254740993]},
      "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": [2]}},
      "chunk_key_encoding": {"name": "default", "configuration": {"separator": "/"}},
      "fill_value": 18446744073709551615, "codecs": [{"name": "bytes", "configuration": {"endian": "little"}}]}`;
    writeFileSync(path.join(store, "zarr.json"), text);
    assert.deepEqual([...(await (await ta.fromZarr(store)).compute()).toTypedArray()], [2n ** 64n - 1n, 2n ** 64n - 1n, 2n ** 64n - 1n]);
    // Attributes keep JSON's numbers; small fill values stay numbers.
    const parsed = parseMetadataJson(new TextEncoder().encode(text), "zarr.json");
    assert.equal((parsed.attributes as { fill_value: unknown }).fill_value, 18446744073709551614);
    assert.equal(parseMetadataJson(new TextEncoder().encode(`{"fill_value": 7, "a": {"fill_value": 1e300}}`), "x").fill_value, 7);
  });

  it("are refused when an array is created with one its dtype cannot hold (src/zarr/create-array.ts)", async () => {
    const target = (name: string) => path.join(temp.path, name);
    await assert.rejects(createArray(target("u8.zarr"), { shape: [2], chunks: [2], dtype: "uint8", fillValue: 300 }), /fillValue: 300 is out of bounds for uint8 \(0 to 255\)/);
    await assert.rejects(createArray(target("i64.zarr"), { shape: [2], chunks: [2], dtype: "int64", fillValue: 2 ** 63 }), /fillValue: 9223372036854776000 is out of bounds for int64/);
    await assert.rejects(ta.zeros([2], { dtype: "int16" }).toZarr(target("i16.zarr"), { fillValue: -40000 }), /fillValue: -40000 is out of bounds for int16/);
    // 2^62 and −2^63 are exact numbers and in range: written and read back exactly.
    await createArray(target("big.zarr"), { shape: [2], chunks: [1], dtype: "uint64", fillValue: 2 ** 62 });
    assert.deepEqual([...(await (await ta.fromZarr(target("big.zarr"))).compute()).toTypedArray()], [2n ** 62n, 2n ** 62n]);
    await createArray(target("min.zarr"), { shape: [1], chunks: [1], dtype: "int64", fillValue: -(2 ** 63) });
    assert.equal((await openArray(target("min.zarr"))).fillValue, -(2n ** 63n));
    // Written in all their digits: zarr-python reads the same integers (JSON.stringify wrote 4611686018427388000).
    const read = await runPythonCode("import sys, zarr\nprint(zarr.open(sys.argv[1]).fill_value, zarr.open(sys.argv[2]).fill_value)", [target("big.zarr"), target("min.zarr")]);
    assert.equal(read.trim(), `${2n ** 62n} ${-(2n ** 63n)}`);
  });

  it("refuse a fill value outside the dtype's range, naming it", async () => {
    const store = path.join(temp.path, "bad.zarr");
    mkdirSync(store);
    writeFileSync(path.join(store, ".zarray"), `{"zarr_format": 2, "shape": [2], "chunks": [2], "dtype": "<i8", "compressor": null,
      "fill_value": 9223372036854775808, "order": "C", "filters": null}`);
    await assert.rejects(ta.fromZarr(store), /fill_value 9223372036854775808 is out of range for dtype int64/);
  });
});
