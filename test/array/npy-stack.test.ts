// Npy stacks both ways against Dask 2022.12 and NumPy 1.24: tessera's stacks read by
// da.from_npy_stack and np.load, Dask's stacks (its pickled info) read here, np.save's files
// of every dtype read here and ours read by np.load; and the refusals: Fortran order, object
// and big-endian data, missing or foreign info, missing or reshaped blocks, a write that fails.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { decodeNpy, encodeNpy } from "../../src/ndarray/npy-format.js";
import { evaluatePython, assertSameArray } from "./python-eval.js";
import { numberDtypes, randomArray, rngOf } from "./differential-inputs.js";
import { useCluster2x1 } from "./cluster-sample.js";

const rng = rngOf(20261208);
const X = randomArray(rng, "float64", [13, 7, 3], { specials: true });
const I = randomArray(rng, "uint16", [9, 11]);
let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), "tessera-npy-stack-"));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe("stacks written here, read by Dask and NumPy", () => {
  it("da.from_npy_stack reads them (chunks, dtype, values) and np.load reads every block", async () => {
    await ta.toNpyStack(join(dir, "ours-x"), ta.fromArray(X, { chunks: [4, 3, 2] }), { axis: 0 });
    await ta.toNpyStack(join(dir, "ours-i"), ta.fromArray(I, { chunks: [4, 3] }), { axis: -1 });
    assert.deepEqual(readdirSync(join(dir, "ours-x")).sort(), ["0.npy", "1.npy", "2.npy", "3.npy", "info"], "no temporary files are left");
    const python = evaluatePython({}, {
      x: `da.from_npy_stack(${JSON.stringify(join(dir, "ours-x"))})`,
      i: `da.from_npy_stack(${JSON.stringify(join(dir, "ours-i"))})`,
      block: `np.load(${JSON.stringify(join(dir, "ours-i", "3.npy"))})`,
    });
    assert.deepEqual(python.x.chunks, [[4, 4, 4, 1], [7], [3]]);
    assert.deepEqual(python.i.chunks, [[9], [3, 3, 3, 2]]);
    assertSameArray(python.x.array as nd.NDArray, X, "x");
    assertSameArray(python.i.array as nd.NDArray, I, "i");
    assertSameArray(python.block.array as nd.NDArray, nd.ascontiguousarray(nd.slice(I, ":", { start: 9, stop: 11 })), "block 3");
  });

  it("reads its own stacks back: chunks along the axis, whole along the others", async () => {
    const back = ta.fromNpyStack(join(dir, "ours-x"));
    assert.deepEqual(back.chunks, [[4, 4, 4, 1], [7], [3]]);
    assertSameArray(await back.compute(), X, "round trip");
  });
});

describe("stacks and files written by Dask and NumPy, read here", () => {
  const files = numberDtypes.map((dtype) => ({ dtype, array: randomArray(rng, dtype, [5, 4]) }));
  let python: ReturnType<typeof evaluatePython>;
  before(() => {
    const inputs: Record<string, nd.NDArray> = { X };
    const expressions: Record<string, string> = {
      dask_stack: `(da.to_npy_stack(${JSON.stringify(join(dir, "dask"))}, da.from_array(X, chunks=(13, 2, 3)), axis=1), np.zeros(1))[1]`,
      fortran: `(np.save(${JSON.stringify(join(dir, "fortran.npy"))}, np.asfortranarray(X)), np.zeros(1))[1]`,
      big: `(np.save(${JSON.stringify(join(dir, "big.npy"))}, X.astype('>f8')), np.zeros(1))[1]`,
      object: `(np.save(${JSON.stringify(join(dir, "object.npy"))}, np.array([1, 'a'], dtype=object)), np.zeros(1))[1]`,
      scalar: `(np.save(${JSON.stringify(join(dir, "scalar.npy"))}, np.float32(2.5)), np.zeros(1))[1]`,
      ...Object.fromEntries([2, 3, 5].map((protocol) => [`protocol_${protocol}`, `(__import__('shutil').copytree(${JSON.stringify(join(dir, "dask"))}, ${JSON.stringify(join(dir, `dask-p${protocol}`))}), __import__('pickle').dump(__import__('pickle').load(open(${JSON.stringify(join(dir, "dask", "info"))}, 'rb')), open(${JSON.stringify(join(dir, `dask-p${protocol}`, "info"))}, 'wb'), protocol=${protocol}), np.zeros(1))[-1]`])),
      empty: `(np.save(${JSON.stringify(join(dir, "empty.npy"))}, np.zeros((0, 3), dtype=np.int16)), np.zeros(1))[1]`,
    };
    files.forEach(({ dtype, array }, i) => {
      inputs[`f${i}`] = array;
      expressions[`save_${dtype}`] = `(np.save(${JSON.stringify(join(dir, `np-${dtype}.npy`))}, f${i}), np.zeros(1))[1]`;
    });
    // And NumPy reading the files written here.
    files.forEach(({ dtype, array }) => {
      writeFileSync(join(dir, `ours-${dtype}.npy`), encodeNpy(nd.transpose(array)));
      expressions[`load_${dtype}`] = `np.load(${JSON.stringify(join(dir, `ours-${dtype}.npy`))})`;
    });
    python = evaluatePython(inputs, expressions);
  });

  it("reads Dask's stack (its pickled info, never run; protocols 2, 3 and 5 too)", async () => {
    assert.ok(python.dask_stack.array, python.dask_stack.error);
    const stack = ta.fromNpyStack(join(dir, "dask"));
    assert.deepEqual(stack.chunks, [[13], [2, 2, 2, 1], [3]]);
    assertSameArray(await stack.compute(), X, "Dask's stack");
    for (const protocol of [2, 3, 5]) {
      assert.ok(python[`protocol_${protocol}`].array, python[`protocol_${protocol}`].error);
      assertSameArray(await ta.fromNpyStack(join(dir, `dask-p${protocol}`)).compute(), X, `info pickled with protocol ${protocol}`);
    }
  });

  it("reads np.save's file of every dtype, and np.load reads ours (written from a transposed view)", () => {
    for (const { dtype, array } of files) {
      assert.ok(python[`save_${dtype}`].array, python[`save_${dtype}`].error);
      assertSameArray(decodeNpy(readFileSync(join(dir, `np-${dtype}.npy`))), array, `np.save ${dtype}`);
      assertSameArray(python[`load_${dtype}`].array as nd.NDArray, nd.ascontiguousarray(nd.transpose(array)), `np.load ${dtype}`);
    }
    assertSameArray(decodeNpy(readFileSync(join(dir, "scalar.npy"))), nd.array(2.5, { dtype: "float32" }), "0-d");
    assert.deepEqual(decodeNpy(readFileSync(join(dir, "empty.npy"))).shape, [0, 3]);
  });

  it("refuses Fortran order, big-endian and object data by name", () => {
    assert.throws(() => decodeNpy(readFileSync(join(dir, "fortran.npy"))), { name: "NpyFormatError", message: /Fortran-order data is not supported/ });
    assert.throws(() => decodeNpy(readFileSync(join(dir, "big.npy"))), { name: "NpyFormatError", message: /big-endian data \(descr ">f8"\)/ });
    assert.throws(() => decodeNpy(readFileSync(join(dir, "object.npy"))), { name: "NpyFormatError", message: /object arrays/ });
    assert.throws(() => decodeNpy(new Uint8Array([1, 2, 3])), { name: "NpyFormatError", message: /not an \.npy file/ });
    const truncated = readFileSync(join(dir, "np-float64.npy")).subarray(0, 150);
    assert.throws(() => decodeNpy(truncated), { name: "NpyFormatError", message: /but \d+ bytes follow it/ });
  });
});

describe("stacks of every dtype, both ways", () => {
  it("Dask reads tessera's stack and tessera reads Dask's, for every dtype (the info's dtype pickled and read)", async () => {
    const arrays = numberDtypes.map((dtype) => randomArray(rng, dtype, [6, 5]));
    const inputs: Record<string, nd.NDArray> = {};
    const expressions: Record<string, string> = {};
    for (const [i, array] of arrays.entries()) {
      await ta.toNpyStack(join(dir, `ours-${i}`), ta.fromArray(array, { chunks: [4, 2] }), { axis: 1 });
      inputs[`a${i}`] = array;
      expressions[`read_${i}`] = `da.from_npy_stack(${JSON.stringify(join(dir, `ours-${i}`))})`;
      expressions[`write_${i}`] = `(da.to_npy_stack(${JSON.stringify(join(dir, `dask-${i}`))}, da.from_array(a${i}, chunks=(4, 2))), np.zeros(1))[1]`;
    }
    const python = evaluatePython(inputs, expressions);
    for (const [i, array] of arrays.entries()) {
      assert.ok(python[`read_${i}`].array, python[`read_${i}`].error);
      assert.deepEqual(python[`read_${i}`].chunks, [[6], [2, 2, 1]], `${array.dtype}: Dask's chunks`);
      assertSameArray(python[`read_${i}`].array as nd.NDArray, array, `${array.dtype} read by Dask`);
      assert.ok(python[`write_${i}`].array, python[`write_${i}`].error);
      const theirs = ta.fromNpyStack(join(dir, `dask-${i}`));
      assert.deepEqual(theirs.chunks, [[4, 2], [5]], `${array.dtype}: chunks of Dask's stack`);
      assertSameArray(await theirs.compute(), array, `${array.dtype} written by Dask`);
    }
  });
});

describe("broken stacks and failed writes", () => {
  const make = async (name: string) => {
    await ta.toNpyStack(join(dir, name), ta.fromArray(I, { chunks: [3, 11] }));
    return join(dir, name);
  };

  it("refuses a directory without info, and one missing a block file", async () => {
    assert.throws(() => ta.fromNpyStack(join(dir, "nowhere")), { name: "NpyStackError", message: /has no info file/ });
    const stack = await make("missing");
    rmSync(join(stack, "1.npy"));
    assert.throws(() => ta.fromNpyStack(stack), { name: "NpyStackError", message: /lacks 1\.npy of the 3 block files/ });
  });

  it("refuses a block whose shape or dtype is not the info's when it is read", async () => {
    const stack = await make("reshaped");
    writeFileSync(join(stack, "2.npy"), encodeNpy(nd.zeros([2, 11], "uint16")));
    await assert.rejects(ta.fromNpyStack(stack).compute(), /2\.npy has shape \[2, 11\], the stack's info says \[3, 11\]/);
    writeFileSync(join(stack, "2.npy"), encodeNpy(nd.zeros([3, 11], "int16")));
    await assert.rejects(ta.fromNpyStack(stack).compute(), /2\.npy holds int16, the stack's info says uint16/);
  });

  it("reads info without executing it: any other pickle is refused by name", async () => {
    const stack = await make("evil");
    const marker = join(dir, "pwned");
    writeFileSync(join(stack, "info"), Buffer.from(`cos\nsystem\n(S'touch ${marker}'\ntR.`, "latin1"));
    assert.throws(() => ta.fromNpyStack(stack), { name: "NpyStackError", message: /the global os\.system/ });
    assert.equal(existsSync(marker), false);
    writeFileSync(join(stack, "info"), Buffer.from([0x80, 0x04, 0x7d, 0x2e]));
    assert.throws(() => ta.fromNpyStack(stack), { name: "NpyStackError", message: /chunks is not a tuple/ });
  });

  it("a write that fails leaves no info (the stack does not read as complete) and no temporary file", async () => {
    const stack = await make("failed");
    // Block 2 (rows 6–8) starts with the value 66.
    const failing = ta.blockwise(function failOnThird(b: nd.NDArray) {
      if (b.data[0] === 66) throw new Error("disk full");
      return b;
    }, "ij", [ta.fromArray(nd.reshape(nd.arange(99, { dtype: "float64" }), [9, 11]), { chunks: [3, 11] }), "ij"], { dtype: "float64" });
    await assert.rejects(ta.toNpyStack(stack, failing), /disk full/);
    assert.throws(() => ta.fromNpyStack(stack), { name: "NpyStackError", message: /has no info file/ });
    assert.deepEqual(readdirSync(stack).filter((f) => f.endsWith(".tmp")), []);
  });

  // Each output block reads an input block written by another task: written in place, a late
  // task would read a block already overwritten (Dask's to_npy_stack does, silently).
  it("writes an array read from the same stack back over it (flipped, rechunked), with the right values", async () => {
    const stack = join(dir, "overwrite");
    const values = nd.reshape(nd.arange(13 * 5, { dtype: "int32" }), [13, 5]);
    await ta.toNpyStack(stack, ta.fromArray(values, { chunks: [2, 5] }));
    await ta.toNpyStack(stack, ta.flip(ta.fromNpyStack(stack), 0).rechunk([3, 5]));
    const flipped = await ta.flip(ta.fromArray(values), 0).compute();
    const back = ta.fromNpyStack(stack);
    assert.deepEqual(back.chunks, [[3, 3, 3, 3, 1], [5]]);
    assertSameArray(await back.compute(), flipped, "flipped over itself");
    assert.deepEqual(readdirSync(stack).sort(), ["0.npy", "1.npy", "2.npy", "3.npy", "4.npy", "5.npy", "6.npy", "info"], "the new blocks, the old 5.npy and 6.npy beyond them, no staging folder");
  });

  it("refuses bad options by name", async () => {
    assert.throws(() => ta.fromNpyStack(join(dir, "ours-x"), { mmapMode: "r+" as never }), /mmapMode "r\+" is not supported/);
    await assert.rejects(ta.toNpyStack(join(dir, "x"), ta.fromArray(I), { axis: 2 }), /axis 2 is out of bounds/);
    await assert.rejects(ta.toNpyStack(join(dir, "x"), ta.fromArray(I), { axes: 0 } as never), /unknown option "axes"/);
  });
});

describe("an npy stack on a LocalCluster of 2 workers × 1 thread", () => {
  useCluster2x1();

  it("is written by the workers and read back by them, equal to the array", async () => {
    await ta.toNpyStack(join(dir, "cluster"), ta.fromArray(X, { chunks: [2, 7, 3] }));
    const back = ta.fromNpyStack(join(dir, "cluster"));
    assert.equal(back.chunks[0].length, 7);
    assertSameArray(await back.compute(), X, "on the cluster");
  });
});
