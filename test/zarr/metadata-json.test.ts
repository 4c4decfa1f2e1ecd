// Attributes holding -0 (src/zarr/metadata-json.ts): JSON.stringify writes -0 as `0`, which
// Python reads as the int 0. Written as Python writes the float -0.0, a tessera attribute -0
// reads in zarr-python as -0.0, and a Python-written -0.0 survives a tessera read and rewrite,
// its `.zattrs` byte for byte as zarr-python's.
// Python's bare NaN and ±Infinity attributes are read as those numbers.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { createArray, createGroupHeld, beginGroupWrite, openArray, readGroupAttributes, writeGroupAttributesHeld } from "../../src/zarr/index.js";
import { makeTempDirectory, runPythonCode } from "./python-anchor.js";

/** What Python reads of each attribute: its type and, for floats, the sign (math.copysign). */
const describeAttributes = `
import json, math
def describe(value):
    if isinstance(value, dict): return {k: describe(v) for k, v in value.items()}
    if isinstance(value, list): return [describe(v) for v in value]
    if isinstance(value, float): return "-0.0" if value == 0 and math.copysign(1, value) < 0 else repr(value)
    return type(value).__name__ + ":" + repr(value)
`;

const attributes = { offset: -0, zero: 0, list: [-0, 1.5, 0, -2], nested: { scale: [1, -0], label: "x" } };
const asPythonReads = { offset: "-0.0", zero: "int:0", list: ["-0.0", "1.5", "int:0", "int:-2"], nested: { scale: ["int:1", "-0.0"], label: "str:'x'" } };

describe("-0 in Zarr attributes", () => {
  let dir: { path: string; remove(): Promise<void> };
  before(async () => { dir = await makeTempDirectory("negative-zero"); });
  after(async () => dir.remove());

  it("writes an attribute -0 as -0.0, read by zarr-python as the float -0.0 (v2 array and group, v3 array)", async () => {
    const v2 = path.join(dir.path, "v2.zarr");
    await ta.fromArray(nd.arange(0, 4, 1, "float64"), { chunks: [2] }).toZarr(v2, { attributes });
    const read = await runPythonCode(`${describeAttributes}
import sys, zarr
print(json.dumps(describe(dict(zarr.open_array(sys.argv[1], mode='r').attrs))))`, [v2]);
    assert.deepEqual(JSON.parse(read), asPythonReads);

    const group = { path: path.join(dir.path, "group.zarr") };
    const lease = await beginGroupWrite(group);
    try {
      await createGroupHeld(group, { overwrite: false });
      await writeGroupAttributesHeld(group, attributes);
    } finally {
      await lease.release();
    }
    const readGroup = await runPythonCode(`${describeAttributes}
import sys, zarr
print(json.dumps(describe(dict(zarr.open_group(sys.argv[1], mode='r').attrs))))`, [group.path]);
    assert.deepEqual(JSON.parse(readGroup), asPythonReads);
    assert.ok(Object.is((await readGroupAttributes(group)).offset, -0), "tessera reads its own -0 back");

    // zarr-python 2.13 reads no v3: Python's json reads the attributes of zarr.json.
    const v3 = path.join(dir.path, "v3.zarr");
    await createArray(v3, { shape: [4], chunks: [2], dtype: "int16", zarrFormat: 3, fillValue: -0, attributes });
    const readV3 = await runPythonCode(`${describeAttributes}
import sys
document = json.load(open(sys.argv[1] + "/zarr.json"))
print(json.dumps([describe(document["attributes"]), describe(document["fill_value"])]))`, [v3]);
    // An integer array's fill value -0 is the integer 0.
    assert.deepEqual(JSON.parse(readV3), [asPythonReads, "int:0"]);
  });

  it("keeps a Python-written -0.0 through a tessera read and rewrite, the .zattrs byte for byte as zarr-python's", async () => {
    const source = path.join(dir.path, "python.zarr");
    await runPythonCode(`
import sys, zarr
a = zarr.open_array(sys.argv[1], mode='w', shape=(4,), chunks=(2,), dtype='f8')
a.attrs.put({"offset": -0.0, "zero": 0, "list": [-0.0, 1.5, 0, -2], "nested": {"scale": [1, -0.0], "label": "x"}})`, [source]);
    const read = (await openArray(source)).attributes;
    assert.ok(Object.is(read.offset, -0), "JSON.parse reads -0.0 as -0");
    const rewritten = path.join(dir.path, "rewritten.zarr");
    await (await ta.fromZarr(source)).toZarr(rewritten, { attributes: read });
    assert.equal(readFileSync(path.join(rewritten, ".zattrs"), "utf8"), readFileSync(path.join(source, ".zattrs"), "utf8"));
    const back = await runPythonCode(`${describeAttributes}
import sys, zarr
print(json.dumps(describe(dict(zarr.open_array(sys.argv[1], mode='r').attrs))))`, [rewritten]);
    assert.deepEqual(JSON.parse(back), asPythonReads);
  });

  it("writes other non-integer attributes as Python writes floats (1e-05, not 0.00001), the .zattrs byte for byte as zarr-python's", async () => {
    // Pixel sizes in metres are this small; JSON.stringify writes fixed notation down to 1e-6 and `1e-7` below.
    const source = path.join(dir.path, "small.zarr");
    await runPythonCode(`
import sys, zarr
a = zarr.open_array(sys.argv[1], mode='w', shape=(4,), chunks=(2,), dtype='f8')
a.attrs.put({"pixel": [1e-05, 2.5e-06, 1.2345e-07, 0.0001, 0.5], "big": 4503599627370495.5, "count": 3, "negative": -7.5e-05})`, [source]);
    const rewritten = path.join(dir.path, "small-rewritten.zarr");
    await (await ta.fromZarr(source)).toZarr(rewritten, { attributes: (await openArray(source)).attributes });
    assert.equal(readFileSync(path.join(rewritten, ".zattrs"), "utf8"), readFileSync(path.join(source, ".zattrs"), "utf8"));
  });

  it("reads Python's bare NaN and ±Infinity attributes as those numbers, a quoted \"NaN\" as the string", async () => {
    const source = path.join(dir.path, "non-finite.zarr");
    await runPythonCode(`
import sys, zarr
a = zarr.open_array(sys.argv[1], mode='w', shape=(4,), chunks=(2,), dtype='f8', fill_value=float('nan'))
a.attrs.put({"missing": float('nan'), "range": [float('-inf'), 0, float('inf')], "label": "NaN"})`, [source]);
    const opened = await openArray(source);
    assert.ok(Number.isNaN(opened.attributes.missing), `missing: ${String(opened.attributes.missing)}`);
    assert.deepEqual(opened.attributes.range, [-Infinity, 0, Infinity]);
    assert.equal(opened.attributes.label, "NaN");
    assert.ok(Number.isNaN(opened.fillValue), "the quoted fill value \"NaN\" is still read as NaN");
  });
});
