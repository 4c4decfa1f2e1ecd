// ta.toHdf5 read back by h5py: values, dtype, chunks and filters as written; both call forms;
// an existing file refused, replaced or appended to; a block that throws mid-write leaving
// the old file byte for byte and nothing beside it; the options refused by name.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { closeOpenFiles } from "../../src/hdf5/index.js";
import { assertSameComplex, assertSameValues, h5py, loadNpy } from "../hdf5/h5py.js";

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), "tessera-to-hdf5-"));
});
after(() => {
  closeOpenFiles();
  rmSync(dir, { recursive: true, force: true });
});

/** What h5py says of each dataset of `file`: dtype, shape, chunks, maxshape, compression, opts, shuffle, fletcher32; and saves its values. */
function describeWithH5py(file: string, names: string[]): Record<string, unknown[]> {
  return JSON.parse(h5py(dir, `
out = {}
with h5py.File(${JSON.stringify(file)}) as f:
    for k in ${JSON.stringify(names)}:
        d = f[k]
        out[k] = [str(d.dtype), list(d.shape), d.chunks and list(d.chunks), list(d.maxshape), d.compression, d.compression_opts, d.shuffle, d.fletcher32]
        save("read-" + k.strip("/").replace("/", "-"), d[()])
print(json.dumps(out))
`)) as Record<string, unknown[]>;
}

describe("ta.toHdf5", () => {
  it("writes what h5py reads back: values, dtype, chunks (true: the array's; a shape; false: contiguous) and one filter", async () => {
    const values = nd.reshape(nd.arange(0, 41 * 23, 1, { dtype: "float32" }), [41, 23]);
    const x = ta.fromArray(values, { chunks: [4, 2] });
    const file = join(dir, "filters.h5");
    await ta.toHdf5(file, {
      "/plain": x, "/group/gzip": x.astype("int16"),
    }, { compression: "gzip", compressionOpts: 7 });
    await ta.toHdf5(file, "/contiguous", x.astype("uint8"), { chunks: false, append: true });
    await ta.toHdf5(file, "/shaped", x.astype("int64"), { chunks: [10, 5], compression: 3, append: true });
    await ta.toHdf5(file, "/shuffled", x, { shuffle: true, append: true });
    await ta.toHdf5(file, "/checked", x.astype("uint64"), { fletcher32: true, chunks: [41, 23], append: true });
    const seen = describeWithH5py(file, ["/plain", "/group/gzip", "/contiguous", "/shaped", "/shuffled", "/checked"]);
    assert.deepEqual(seen["/plain"], ["float32", [41, 23], [4, 2], [41, 23], "gzip", 7, false, false]);
    assert.deepEqual(seen["/group/gzip"], ["int16", [41, 23], [4, 2], [41, 23], "gzip", 7, false, false]);
    assert.deepEqual(seen["/contiguous"], ["uint8", [41, 23], null, [41, 23], null, null, false, false]);
    assert.deepEqual(seen["/shaped"], ["int64", [41, 23], [10, 5], [41, 23], "gzip", 3, false, false]);
    assert.deepEqual(seen["/shuffled"], ["float32", [41, 23], [4, 2], [41, 23], null, null, true, false]);
    assert.deepEqual(seen["/checked"], ["uint64", [41, 23], [41, 23], [41, 23], null, null, false, true]);
    assert.ok(x.numblocks[0] >= 10 && 41 % 4 !== 0 && 23 % 2 !== 0, "≥ 10 blocks, uneven edges");
    assertSameValues(loadNpy(dir, "read-plain"), values, "float32");
    for (const [name, dtype] of [["group-gzip", "int16"], ["contiguous", "uint8"], ["shaped", "int64"], ["shuffled", "float32"], ["checked", "uint64"]] as const) {
      assertSameValues(loadNpy(dir, `read-${name}`), await x.astype(dtype).compute(), name);
    }
  });

  it("writes complex as h5py's complex, 0-d and empty arrays, and uint64 extremes", async () => {
    const file = join(dir, "kinds.h5");
    const complex = ta.fromArray(nd.fromTypedArray(new Float64Array([1, -2, 3.5, 4, -0, 6, 7, 8]) as never, [4], { dtype: "complex128" }), { chunks: [3] });
    const big = ta.fromArray(nd.fromTypedArray(new BigUint64Array([0n, 2n ** 64n - 1n, 2n ** 63n]) as never, [3], { dtype: "uint64" }), { chunks: [2] });
    await ta.toHdf5(file, { "/c16": complex, "/c8": complex.astype("complex64"), "/scalar": ta.fromArray(nd.array(2.5, { dtype: "float32" })), "/empty": ta.zeros([0, 3], { dtype: "int32" }), "/u8": big });
    const seen = describeWithH5py(file, ["/c16", "/c8", "/scalar", "/empty", "/u8"]);
    assert.deepEqual(seen["/c16"].slice(0, 3), ["complex128", [4], [3]]);
    assert.deepEqual(seen["/c8"].slice(0, 3), ["complex64", [4], [3]]);
    assert.deepEqual(seen["/scalar"].slice(0, 3), ["float32", [], null]);
    assert.deepEqual(seen["/empty"].slice(0, 3), ["int32", [0, 3], null]);
    assertSameComplex(await complex.compute(), loadNpy(dir, "read-c16"), "complex128");
    assertSameComplex(await complex.astype("complex64").compute(), loadNpy(dir, "read-c8"), "complex64");
    assertSameValues(loadNpy(dir, "read-scalar"), nd.array(2.5, { dtype: "float32" }), "0-d");
    assertSameValues(loadNpy(dir, "read-u8"), await big.compute(), "uint64");
  });

  it("computes every dataset in one graph: an upstream block shared by two datasets runs once", async () => {
    const counter = globalThis as { hdf5UpstreamRuns?: number };
    counter.hdf5UpstreamRuns = 0;
    // The local executor runs functions in this process, so the count is seen here.
    const x = ta.arange(0, 10, 1, { chunks: 5 }).mapBlocks((block: nd.NDArray) => {
      (globalThis as { hdf5UpstreamRuns?: number }).hdf5UpstreamRuns! += 1;
      return block;
    }, { dtype: "int64" });
    await ta.toHdf5(join(dir, "shared.h5"), { "/a": x, "/b": x.mul(2) });
    assert.equal(counter.hdf5UpstreamRuns, 2, "two blocks, each computed once for both datasets");
    delete counter.hdf5UpstreamRuns;
  });

  it("refuses an existing file unless overwrite or append, and an existing dataset on append before computing", async () => {
    const file = join(dir, "exists.h5");
    const x = ta.arange(0, 12, 1, { chunks: 5 });
    await ta.toHdf5(file, "/x", x);
    await assert.rejects(ta.toHdf5(file, "/y", x), (error: Error) => error.name === "Hdf5ExistsError" && /overwrite: true/.test(error.message));
    await assert.rejects(ta.toHdf5(file, "/x", x.mapBlocks(() => { throw new Error("computed"); }, { dtype: x.dtype }), { append: true }), (error: Error) => error.name === "Hdf5ExistsError" && /holds \/x/.test(error.message));
    await ta.toHdf5(file, "/y", x.mul(2), { append: true });
    assert.deepEqual(Object.keys(describeWithH5py(file, ["/x", "/y"])), ["/x", "/y"]);
    assert.deepEqual(loadNpy(dir, "read-y").toArray(), (await x.mul(2).compute()).toArray());
    await ta.toHdf5(file, "/z", x, { overwrite: true });
    assert.equal(h5py(dir, `with h5py.File("exists.h5") as f: print(sorted(f.keys()))`).trim(), "['z']");
  });

  it("leaves the old file byte for byte, and no staging or temporary files, when a block throws mid-write", async () => {
    const folder = mkdtempSync(join(dir, "failing-"));
    const file = join(folder, "out.h5");
    await ta.toHdf5(file, "/x", ta.arange(0, 100, 1, { chunks: 10 }));
    const before = readFileSync(file);
    const failing = ta.arange(0, 100, 1, { chunks: 10 }).mapBlocks((block: nd.NDArray) => {
      if (block.storage[0] === 70) throw new Error("block 7 fails");
      return block;
    });
    await assert.rejects(ta.toHdf5(file, "/x", failing, { overwrite: true }), /block 7 fails/);
    assert.deepEqual(readFileSync(file), before, "the old file is intact");
    assert.deepEqual(readdirSync(folder), ["out.h5"], "nothing left beside it");
    await assert.rejects(ta.toHdf5(join(folder, "new.h5"), "/x", failing), /block 7 fails/);
    assert.deepEqual(readdirSync(folder), ["out.h5"], "no half-written new file");
  });

  it("refuses by name what h5py or the writer would not take", async () => {
    const file = join(dir, "refused.h5");
    const x = ta.ones([6, 4], { chunks: [3, 2] });
    const cases: Array<[unknown, RegExp]> = [
      [{ maxshape: [null, 4] }, /unknown option "maxshape"/],
      [{ compression: "lzf" }, /"lzf" is not written/],
      [{ compression: "gzip", shuffle: true }, /shuffle with gzip asks for 2 filters/],
      [{ compression: "gzip", chunks: false }, /needs a chunked dataset/],
      [{ chunks: [7, 4] }, /exceed its shape/],
      [{ compression: 10 }, /not a gzip level/],
      [{ compression: 4, compressionOpts: 5 }, /Conflict in compression options/],
      [{ overwrite: true, append: true }, /exclude each other/],
    ];
    for (const [options, pattern] of cases) await assert.rejects(ta.toHdf5(file, "/x", x, options as never), pattern, JSON.stringify(options));
    await assert.rejects(ta.toHdf5(file, "/b", x.gt(0)), /bool.*astype\("uint8"\)/);
    await assert.rejects(ta.toHdf5(file, "/", x), /must name a dataset/);
    assert.deepEqual(readdirSync(dir).filter((name) => name.includes("refused")), [], "nothing written");
  });
});
