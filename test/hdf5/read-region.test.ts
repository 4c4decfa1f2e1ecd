// hdf5.readRegion and the dataset checks behind fromHdf5, against h5py: every dtype in both
// byte orders, every filter h5wasm decodes, the refusals (by name, before any read, and never
// HDF5-DIAG on stderr), and a file changed under a cached handle.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  Hdf5FileChangedError, Hdf5NotFoundError, Hdf5UnsupportedError, closeOpenFiles, describeDataset, findDataset, openFile, readRegion, stampOf,
} from "../../src/hdf5/index.js";
import type { DType } from "../../src/ndarray/dtype.js";
import { assertSameComplex, assertSameValues, h5py, loadNpy } from "./h5py.js";

async function readWhole(path: string, name: string) {
  const stamp = stampOf(path, "test");
  const file = await openFile(path, stamp, "test");
  let info;
  try {
    info = describeDataset(findDataset(file, name, "test"), "test");
  } finally {
    file.close();
  }
  return { info, array: await readRegion(path, name, stamp, info.shape.map(() => 0), info.shape, info.dtype) };
}

/**
 * Runs `body` (ESM source, with `hdf5` bound to src/hdf5) in a child process and returns
 * what it printed on stdout and stderr: h5wasm prints HDF5-DIAG straight to file descriptor 2,
 * which no in-process hook of process.stderr sees.
 */
function inChild(body: string): { stdout: string; stderr: string } {
  const module = new URL("../../src/hdf5/index.js", import.meta.url).href;
  const source = `import * as hdf5 from ${JSON.stringify(module)};\n${body}\nprocess.exit(0);`;
  const result = spawnSync(process.execPath, ["--input-type=module", "-e", source], { encoding: "utf8" });
  assert.equal(result.status, 0, result.stderr);
  return { stdout: result.stdout, stderr: result.stderr };
}

/** The child's source that reads `name` of `path` whole and prints the error's name and message. */
function readAndReport(path: string, name: string): string {
  return `try {
  const stamp = hdf5.stampOf(${JSON.stringify(path)}, "test");
  const file = await hdf5.openFile(${JSON.stringify(path)}, stamp, "test");
  const info = hdf5.describeDataset(hdf5.findDataset(file, ${JSON.stringify(name)}, "test"), "test");
  file.close();
  await hdf5.readRegion(${JSON.stringify(path)}, ${JSON.stringify(name)}, stamp, info.shape.map(() => 0), info.shape, info.dtype);
  console.log("read");
} catch (error) { console.log(error.name + ": " + error.message); }`;
}

describe("hdf5.readRegion against h5py", () => {
  let dir: string;
  let file: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "tessera-hdf5-"));
    file = join(dir, "types.h5");
    h5py(dir, `
rng = np.random.default_rng(5)
with h5py.File("types.h5", "w") as f:
    for code in ["u1", "u2", "u4", "u8", "i1", "i2", "i4", "i8", "f4", "f8"]:
        for order in "<>":
            kind = np.dtype(code).kind
            if kind == "f":
                a = rng.standard_normal((7, 5)).astype(order + code)
                a[0, 0] = -0.0; a[0, 1] = np.nan; a[0, 2] = np.inf
            else:
                info = np.iinfo(code)
                a = rng.integers(info.min, info.max, (7, 5), dtype=code, endpoint=True).astype(order + code)
                a[0, 0] = info.min; a[0, 1] = info.max
            name = code + ("le" if order == "<" else "be")
            f.create_dataset(name, data=a, chunks=(3, 2))
            save(name, f[name][...])
    f["bool"] = rng.integers(0, 2, (6, 4)).astype(bool); save("bool", f["bool"][...])
    for code in ["<c8", ">c8", "<c16", ">c16"]:
        name = "c" + code[2:] + ("le" if code[0] == "<" else "be")
        f.create_dataset(name, data=(rng.standard_normal((5, 3)) + 1j * rng.standard_normal((5, 3))).astype(code))
        save(name, f[name][...])
    f["scalar"] = np.float32(2.5); save("scalar", f["scalar"][...])
    f["empty"] = np.zeros((0, 4), "i2"); save("empty", f["empty"][...])
    v = rng.integers(0, 4000, (40, 30)).astype("u2")
    f.create_dataset("gzip", data=v, chunks=(7, 9), compression="gzip", compression_opts=7)
    f.create_dataset("shuffled", data=v, chunks=(7, 9), compression="gzip", shuffle=True, fletcher32=True)
    f.create_dataset("szip", data=v.astype("f4"), chunks=(8, 10), compression="szip")
    f.create_dataset("scaleint", data=v.astype("i4"), chunks=(7, 9), scaleoffset=0)
    f.create_dataset("scalefloat", data=v.astype("f8") / 7, chunks=(7, 9), scaleoffset=3)
    save("v", v); save("scalefloat", f["scalefloat"][...])
    dcpl = h5p.create(h5p.DATASET_CREATE); dcpl.set_chunk((7, 9)); dcpl.set_filter(5, 0, ())
    t = h5t.STD_U16LE.copy(); t.set_precision(12)
    h5d.create(f.id, b"nbit", t, h5s.create_simple(v.shape), dcpl=dcpl).write(h5s.ALL, h5s.ALL, v)
    f.create_dataset("lzf", data=v, chunks=(7, 9), compression="lzf")
    for fid in (32001, 32008, 32015):
        plugin_dataset(f, "plugin%d" % fid, fid, v, (7, 9))
    f["text"] = np.array([b"ab", b"cd"])
    f.create_dataset("vlen", data=["a", "bcd"], dtype=h5py.string_dtype())
    f["pairs"] = np.zeros(3, dtype=[("x", "i4"), ("y", "f4")])
    f["refs"] = np.array([f["text"].ref], dtype=h5py.ref_dtype)
    f["half"] = np.zeros(3, "f2")
    f["null"] = h5py.Empty("f4")
    f.create_group("t00000/s00/0").create_dataset("cells", data=v)
    f["t00000/s00/1"] = np.zeros(2)
`);
  });
  after(() => {
    closeOpenFiles();
    rmSync(dir, { recursive: true, force: true });
  });

  it("reads every integer and float dtype in both byte orders as h5py's values, in native order", async () => {
    for (const code of ["u1", "u2", "u4", "u8", "i1", "i2", "i4", "i8", "f4", "f8"]) {
      for (const order of ["le", "be"]) {
        const { array } = await readWhole(file, `${code}${order}`);
        assertSameValues(array, loadNpy(dir, `${code}${order}`), `${code}${order}`);
      }
    }
  });

  it("reads h5py's bool (an int8 enum) as bool and h5py's complex ({r, i}) as complex, both byte orders", async () => {
    const { info, array } = await readWhole(file, "bool");
    assert.equal(info.dtype, "bool" satisfies DType);
    assertSameValues(array, loadNpy(dir, "bool"), "bool");
    for (const name of ["c8le", "c8be", "c16le", "c16be"]) assertSameComplex((await readWhole(file, name)).array, loadNpy(dir, name), name);
  });

  it("reads 0-d and empty datasets as NumPy does", async () => {
    assertSameValues((await readWhole(file, "scalar")).array, loadNpy(dir, "scalar"), "0-d");
    assertSameValues((await readWhole(file, "empty")).array, loadNpy(dir, "empty"), "empty");
  });

  it("decodes gzip, shuffle + gzip + fletcher32, szip, scaleoffset and nbit, and reads any box", async () => {
    const v = loadNpy(dir, "v");
    assertSameValues((await readWhole(file, "gzip")).array, v, "gzip");
    assertSameValues((await readWhole(file, "shuffled")).array, v, "shuffle+gzip+fletcher32");
    assert.deepEqual((await readWhole(file, "szip")).array.toArray(), v.toArray(), "szip");
    assert.deepEqual((await readWhole(file, "scaleint")).array.toArray(), v.toArray(), "scaleoffset int");
    assertSameValues((await readWhole(file, "scalefloat")).array, loadNpy(dir, "scalefloat"), "scaleoffset float (lossy, as h5py reads it)");
    assert.deepEqual((await readWhole(file, "nbit")).array.toArray(), v.toArray(), "nbit");
    const stamp = stampOf(file, "test");
    const box = await readRegion(file, "/shuffled", stamp, [5, 8], [19, 23], "uint16");
    const rows = v.toArray() as number[][];
    assert.deepEqual(box.toArray(), rows.slice(5, 19).map((row) => row.slice(8, 23)));
  });

  it("refuses plugin filters (lzf, blosc, bitshuffle, zstd) by name before reading, without HDF5-DIAG on stderr", () => {
    for (const [name, filter] of [["lzf", "lzf"], ["plugin32001", "32001"], ["plugin32008", "32008"], ["plugin32015", "32015"]]) {
      const { stdout, stderr } = inChild(readAndReport(file, name));
      assert.match(stdout, /^Hdf5UnsupportedError: /, name);
      assert.match(stdout, new RegExp(filter), name);
      assert.match(stdout, /h5repack/, name);
      assert.equal(stderr, "", `${name}: nothing on stderr`);
    }
  });

  it("refuses strings, vlen strings, other compounds, references, float16 and null dataspaces naming the dtype", async () => {
    const cases: Array<[string, RegExp]> = [
      ["text", /fixed-length string of 2 bytes/], ["vlen", /variable-length string/], ["pairs", /compound \{x: integer of 4 bytes, y: float of 4 bytes\}/],
      ["refs", /reference/], ["half", /float of 2 bytes/], ["null", /null dataspace/],
    ];
    for (const [name, pattern] of cases) await assert.rejects(readWhole(file, name), (error: Error) => error instanceof Hdf5UnsupportedError && pattern.test(error.message), name);
  });

  it("names a missing dataset with what the file holds at that level, and a group given for a dataset", async () => {
    await assert.rejects(readWhole(file, "/t00000/s00/2/cells"), (error: Error) => error instanceof Hdf5NotFoundError && /\/t00000\/s00 holds "0", "1"/.test(error.message));
    await assert.rejects(readWhole(file, "/t00000/s00"), (error: Error) => error instanceof Hdf5NotFoundError && /is a group.*"0", "1"/.test(error.message));
    await assert.rejects(readWhole(file, "/t00000/s00/1/cells"), (error: Error) => error instanceof Hdf5NotFoundError && /is a Dataset, not a group/.test(error.message));
  });

  it("names a missing file, a file that is not HDF5 and one HDF5 cannot open, without HDF5-DIAG on stderr", () => {
    const text = join(dir, "notes.txt");
    writeFileSync(text, "not hdf5\n".repeat(200));
    // A file cut short after its signature: HDF5 itself fails, and says so in the error, not on stderr.
    const cut = join(dir, "cut.h5");
    writeFileSync(cut, readFileSync(file).subarray(0, 1200));
    const expected: Array<[string, RegExp]> = [
      [join(dir, "missing.h5"), /^Hdf5NotFoundError: test: no file at .*missing\.h5/],
      [text, /^Hdf5FormatError: test: .*notes\.txt is not an HDF5 file/],
      [cut, /^Hdf5FormatError: test: HDF5 cannot open .*cut\.h5: H5\w+\(\): /],
    ];
    for (const [path, pattern] of expected) {
      const { stdout, stderr } = inChild(readAndReport(path, "/u1le"));
      assert.match(stdout, pattern);
      assert.equal(stderr, "", `${path}: nothing on stderr`);
    }
  });

  it("refuses a read of a file changed since the array's stamp, and reopens a cached handle after a change", async () => {
    const path = join(dir, "changing.h5");
    h5py(dir, `with h5py.File("changing.h5", "w") as f: f["x"] = np.arange(6, dtype="i4")`);
    const old = stampOf(path, "test");
    assert.deepEqual((await readRegion(path, "/x", old, [0], [6], "int32")).toArray(), [0, 1, 2, 3, 4, 5]);
    h5py(dir, `import os, time\nst = os.stat("changing.h5")\nwith h5py.File("changing.h5", "w") as f:\n    f["before"] = np.arange(5000, dtype="i4")\n    f["x"] = np.arange(6, dtype="i4") * 10\nos.utime("changing.h5", ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))`);
    await assert.rejects(readRegion(path, "/x", old, [0], [6], "int32"), Hdf5FileChangedError);
    assert.deepEqual((await readRegion(path, "/x", stampOf(path, "test"), [0], [6], "int32")).toArray(), [0, 10, 20, 30, 40, 50], "the new version, not the cached handle's");
  });
});
