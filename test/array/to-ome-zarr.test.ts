// toOmeZarr (issue 12 item 4): OME-NGFF 0.4 pyramids checked by zarr-python 2.13 and NumPy at
// test time (test/fixtures/array/check_ome_zarr.py: the spec's rules as checks, every level read
// back and recomputed from the input). ome-zarr-py and napari are not installable here; see
// the README's testing section.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { InvalidOptionError } from "../../src/core/errors.js";
import { LocalExecutor } from "../../src/graph/local-executor.js";
import type { GraphExecutor } from "../../src/graph/executor.js";
import { ZarrArrayExistsError, ZarrForeignFilesError, ZarrMetadataError, ZarrWriteConflictError } from "../../src/zarr/index.js";
import { assertSameArray } from "./python-eval.js";
import { checkOmeZarr } from "./ome-zarr-check.js";

function scaled(shape: number[], seed: number, dtype: nd.DType, low: number, high: number): nd.NDArray {
  return nd.astype(nd.add(nd.multiply(nd.random(shape, { seed }), high - low), low), dtype);
}

/** The checks every written image must pass; returns the checked levels. */
async function writeAndCheck(dir: string, name: string, data: nd.NDArray, chunks: number[], options: ta.ToOmeZarrOptions) {
  const path = join(dir, `${name}.ome.zarr`);
  const written = await ta.toOmeZarr(ta.fromArray(data, { chunks }), path, options);
  const check = checkOmeZarr(path, data, options.downsample ?? "mean");
  assert.deepEqual(check.violations, [], `${name}: NGFF 0.4 violations`);
  assert.equal(check.levels.length, written.levels.length, `${name}: levels`);
  for (const [k, level] of check.levels.entries()) {
    assert.deepEqual(level.shape, written.levels[k].shape, `${name} level ${k}: shape`);
    if (data.dtype.startsWith("float") && k > 0) {
      assert.ok((level.max_ulps_vs_previous ?? Infinity) <= 1, `${name} level ${k}: ${level.max_ulps_vs_previous} ulps from NumPy's downsampling of level ${k - 1}`);
    } else {
      assert.equal(level.mismatches_vs_chain, 0, `${name} level ${k}: differs from NumPy's pyramid in ${level.mismatches_vs_chain} elements`);
    }
    // What tessera reads back is what zarr-python read.
    const image = await ta.fromOmeZarr(path, { level: k });
    assertSameArray(await image.array.compute(), level.values, `${name} level ${k} read back`);
    assert.deepEqual(image.scale, written.levels[k].scale, `${name} level ${k}: scale read back`);
  }
  return { path, written, check };
}

describe("toOmeZarr", () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), "tessera-omezarr-")); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("writes an isotropic uint16 volume as a pyramid halving z, y and x: NumPy's means rounded half to even, in uint16", async () => {
    const data = scaled([21, 75, 102], 11, "uint16", 0, 65535);
    const { check, written } = await writeAndCheck(dir, "iso", data, [8, 16, 16], { axes: "zyx", scale: [0.5, 0.5, 0.5] });
    // "auto": until a level fits one storage chunk in its halved axes (here [2, 9, 12] in [8, 16, 16]).
    assert.deepEqual(check.levels.map((level) => level.shape), [[21, 75, 102], [10, 37, 51], [5, 18, 25], [2, 9, 12]]);
    assert.deepEqual(check.levels.map((level) => level.factors), [[1, 1, 1], [2, 2, 2], [2, 2, 2], [2, 2, 2]]);
    assert.deepEqual(written.levels.map((level) => level.translation), [[0, 0, 0], [0.25, 0.25, 0.25], [0.75, 0.75, 0.75], [1.75, 1.75, 1.75]]);
    assert.ok(check.levels.every((level) => level.dtype === "uint16"));
  });

  it("keeps an anisotropic z (given in another unit) until the plane's pixels catch up, then halves it too", async () => {
    // z steps of 1 µm over 250 nm pixels: z is 4× coarser, so levels 1 and 2 halve y and x only.
    const data = scaled([12, 64, 80], 12, "int16", -3000, 3000);
    const axes = [{ name: "z", type: "space", unit: "micrometer" }, { name: "y", type: "space", unit: "nanometer" }, { name: "x", type: "space", unit: "nanometer" }];
    const { check } = await writeAndCheck(dir, "aniso", data, [4, 16, 16], { axes, scale: [1, 250, 250], levels: 4 });
    assert.deepEqual(check.levels.map((level) => level.factors), [[1, 1, 1], [1, 2, 2], [1, 2, 2], [2, 2, 2]]);
    assert.deepEqual(check.levels.map((level) => level.scale), [[1, 250, 250], [1, 500, 500], [1, 1000, 1000], [2, 2000, 2000]]);
  });

  it("downsamples float32 by mean within an ulp of NumPy, and uint8 by nearest, max and min exactly", async () => {
    await writeAndCheck(dir, "float", scaled([130, 97], 13, "float32", -1, 1), [32, 20], { levels: 3 });
    for (const downsample of ["nearest", "max", "min"] as const) {
      const { written } = await writeAndCheck(dir, downsample, scaled([3, 50, 45], 14, "uint8", 0, 255), [1, 16, 16], { axes: "cyx", downsample, levels: 3 });
      // "nearest" keeps the first pixel of each pair, so the origin stays; the others move to the pair's centre.
      assert.deepEqual(written.levels[2].translation, downsample === "nearest" ? [0, 0, 0] : [0, 1.5, 1.5], downsample);
    }
  });

  it("writes a 5-d tczyx image with omero channels; time and channel are never downsampled", async () => {
    const data = scaled([2, 3, 10, 40, 44], 15, "uint8", 0, 255);
    const omero = { channels: ["FF0000", "00FF00", "0000FF"].map((color, i) => ({ color, label: `c${i}`, active: true, window: { start: 0, end: 200, min: 0, max: 255 } })) };
    const axes = [{ name: "t", type: "time", unit: "second" }, { name: "c", type: "channel" }, "z", "y", "x"] as const;
    const { path, check } = await writeAndCheck(dir, "tczyx", data, [1, 1, 5, 20, 20], { axes: [...axes], levels: 3, omero, name: "cells" });
    assert.deepEqual(check.levels.map((level) => level.factors), [[1, 1, 1, 1, 1], [1, 1, 2, 2, 2], [1, 1, 2, 2, 2]]);
    const image = await ta.fromOmeZarr(path, { level: 2 });
    assert.deepEqual(image.omero, omero);
    assert.equal(image.name, "cells");
    assert.deepEqual(image.axes.map((axis) => axis.type), ["time", "channel", "space", "space", "space"]);
  });

  it("runs one graph of store tasks for all levels: nothing is gathered to the client", async () => {
    const local = new LocalExecutor();
    const calls: string[][] = [];
    // The writes wait for their store tasks (persist, then release) and never compute:
    // computing would gather every store task's result to the client.
    const counting: GraphExecutor = {
      compute: async () => { throw new Error("toOmeZarr gathered results it does not use"); },
      persist: async (graph, keys, options) => {
        calls.push([...keys]);
        return local.persist(graph, keys, options);
      },
      holds: (key) => local.holds(key),
    };
    const data = scaled([40, 52], 16, "uint16", 0, 1000);
    const { levels } = await ta.toOmeZarr(ta.fromArray(data, { chunks: [8, 8] }), join(dir, "graph.ome.zarr"), { executor: counting, levels: 4 });
    assert.equal(calls.length, 1, "one graph submitted");
    const storageChunks = levels.reduce((total, level) => total + level.shape.reduce((n, length, a) => n * Math.ceil(length / level.chunks[a]), 1), 0);
    assert.equal(calls[0].length, storageChunks, "one task per storage chunk of every level");
    assert.ok(calls[0].every((key) => key.startsWith("('store-")), "only write tasks are asked for");
  });

  it("refuses bad input by name, before anything is written", async () => {
    const x = ta.fromArray(scaled([6, 20, 20], 17, "uint16", 0, 100), { chunks: 8 });
    const target = join(dir, "refused.ome.zarr");
    const cases: Array<[string, () => Promise<unknown>, RegExp]> = [
      ["axes count", () => ta.toOmeZarr(x, target, { axes: "yx" }), /2 axes \(y, x\) for an array of 3 dimensions/],
      ["3-d without axes", () => ta.toOmeZarr(x, target), /3-dimensional array needs its axes named/],
      ["unknown type", () => ta.toOmeZarr(x, target, { axes: [{ name: "z", type: "depth" }, "y", "x"] as never }), /type "depth" of axis "z" is not one OME-NGFF 0.4 defines/],
      ["unknown name", () => ta.toOmeZarr(x, target, { axes: ["q", "y", "x"] }), /"q" has no known type/],
      ["wrong order", () => ta.toOmeZarr(x, target, { axes: "ycx" }), /out of order: OME-NGFF 0.4 orders them time, then channel, then the space axes/],
      ["two channels", () => ta.toOmeZarr(ta.zeros([2, 2, 4, 4], { chunks: 2 }), target, { axes: [{ name: "c", type: "channel" }, { name: "d", type: "channel" }, "y", "x"] }), /at most one axis of type "channel"/],
      ["six axes", () => ta.toOmeZarr(ta.zeros([1, 1, 1, 1, 2, 2], { chunks: 1 }), target, { axes: "tczyxx" }), /2 to 5 axes, got 6/],
      ["duplicate name", () => ta.toOmeZarr(x, target, { axes: "yyx" }), /axis name "y" appears twice/],
      ["unit misspelt", () => ta.toOmeZarr(x, target, { axes: [{ name: "z", type: "space", unit: "micron" }, "y", "x"] }), /"micron" of axis "z" is not a space unit.*did you mean "micrometer"/],
      ["channel unit", () => ta.toOmeZarr(x, target, { axes: [{ name: "c", type: "channel", unit: "second" }, "y", "x"] }), /channel axis "c" has a unit/],
      ["too many levels", () => ta.toOmeZarr(x, target, { axes: "zyx", levels: 4 }), /levels: 4 would halve axis "z" of length 1 at level 3 to nothing; at most 3 levels fit/],
      ["zero levels", () => ta.toOmeZarr(x, target, { axes: "zyx", levels: 0 }), /levels: 0 must be "auto" or a positive integer/],
      ["method", () => ta.toOmeZarr(x, target, { axes: "zyx", downsample: "gaussian" as never }), /downsample: "gaussian" must be one of "mean", "nearest", "max", "min"/],
      ["scale", () => ta.toOmeZarr(x, target, { axes: "zyx", scale: [1, -1, 1] }), /scale: \[1,-1,1\] must list 3 finite positive numbers/],
      ["downsampleAxes", () => ta.toOmeZarr(x, target, { axes: "cyx", downsampleAxes: ["c"] }), /downsampleAxes: \["c"\] must name one or more space axes \(y, x\)/],
      ["omero channels", () => ta.toOmeZarr(x, target, { axes: "cyx", omero: { channels: [] } }), /omero: 0 channels described for an image of 6 channels/],
      ["omero color", () => ta.toOmeZarr(x, target, { axes: "zyx", omero: { channels: [{ color: "red", window: { start: 0, end: 1, min: 0, max: 1 } }] } }), /color "red" must be six hex digits/],
      ["chunks", () => ta.toOmeZarr(x, target, { axes: "zyx", chunks: [8, 8] }), /chunks: \[8,8\] must be one positive integer per axis/],
      ["compressor", () => ta.toOmeZarr(x, target, { axes: "zyx", compressor: { id: "blosc", clevel: 12 } }), /clevel/],
      ["unknown option", () => ta.toOmeZarr(x, target, { axes: "zyx", zarrFormat: 3 } as never), /unknown option zarrFormat/],
      ["empty image", () => ta.toOmeZarr(ta.zeros([0, 4], { chunks: 2 }), target), /shape \[0, 4\] is empty/],
    ];
    for (const [label, attempt, message] of cases) {
      await assert.rejects(attempt, (error: Error) => error instanceof InvalidOptionError && message.test(error.message), label);
      assert.equal(existsSync(target), false, `${label}: nothing written`);
    }
  });

  it("refuses an existing image unless overwrite, which replaces it whole (its extra levels go); never writes among other files", async () => {
    const path = join(dir, "again.ome.zarr");
    const x = ta.fromArray(scaled([64, 64], 18, "uint16", 0, 100), { chunks: 16 });
    await ta.toOmeZarr(x, path, { levels: 4 });
    await assert.rejects(ta.toOmeZarr(x, path, { levels: 2 }), (e: Error) => e instanceof ZarrArrayExistsError && /pass overwrite: true/.test(e.message));
    assert.equal((await ta.fromOmeZarr(path)).levels, 4, "the refused write left the image as it was");
    await ta.toOmeZarr(x.mul(2).astype("uint16"), path, { levels: 2, overwrite: true });
    assert.deepEqual(readdirSync(path).filter((name) => !name.startsWith(".")).sort(), ["0", "1"]);
    const image = await ta.fromOmeZarr(path, { level: 1 });
    assert.equal(image.levels, 2);
    assert.ok(Number((await image.array.max().compute()).item()) > 100, "the new values");

    // An image computed from the image it would replace: its chunks would be deleted before they are read.
    await assert.rejects(ta.toOmeZarr((await ta.fromOmeZarr(path)).array.add(1), path, { overwrite: true }),
      (e: Error) => e instanceof InvalidOptionError && /computed from its array "0", whose chunks would be deleted before they are read/.test(e.message));
    assert.equal((await ta.fromOmeZarr(path)).levels, 2, "left as it was");

    const folder = join(dir, "data-folder");
    mkdirSync(folder);
    writeFileSync(join(folder, "notes.txt"), "keep me");
    await assert.rejects(ta.toOmeZarr(x, folder, { overwrite: true }), ZarrForeignFilesError);
    assert.equal(readFileSync(join(folder, "notes.txt"), "utf8"), "keep me");
  });

  it("holds the image's write lease: a second writer of the image or of one of its levels fails at once", async () => {
    const path = join(dir, "leased.ome.zarr");
    const local = new LocalExecutor();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    let started!: () => void;
    const running = new Promise<void>((resolve) => { started = resolve; });
    // The writes wait for their store tasks through persist (store.ts): that is where the gate is.
    const gated: GraphExecutor = {
      compute: (graph, keys, options) => local.compute(graph, keys, options),
      persist: async (graph, keys, options) => {
        started();
        await gate;
        return local.persist(graph, keys, options);
      },
      holds: (key) => local.holds(key),
    };
    const x = ta.fromArray(scaled([32, 32], 19, "uint16", 0, 100), { chunks: 16 });
    const first = ta.toOmeZarr(x, path, { executor: gated });
    await running;
    await assert.rejects(ta.toOmeZarr(x, path, { overwrite: true }), ZarrWriteConflictError);
    await assert.rejects(x.toZarr(path, { component: "0", overwrite: true }), ZarrWriteConflictError);
    await assert.rejects(x.toZarr(path, { component: "0", region: [] }), ZarrWriteConflictError);
    release();
    await first;
    assert.deepEqual(checkOmeZarr(path, (await x.compute()), "mean").violations, []);
  });

  it("writes the multiscales metadata last: a failed write is no image to a reader, and overwrite redoes it", async () => {
    const path = join(dir, "failed.ome.zarr");
    const failing: GraphExecutor = {
      compute: async () => { throw new Error("unused"); },
      persist: async () => { throw new Error("worker killed at its walltime"); },
      holds: () => false,
    };
    const data = scaled([40, 40], 20, "uint16", 0, 100);
    const x = ta.fromArray(data, { chunks: 16 });
    await assert.rejects(ta.toOmeZarr(x, path, { executor: failing }), /walltime/);
    await assert.rejects(ta.fromOmeZarr(path), (e: Error) => e instanceof ZarrMetadataError && /no "multiscales".*did not finish/.test(e.message));
    await ta.toOmeZarr(x, path, { overwrite: true });
    assert.deepEqual(checkOmeZarr(path, data, "mean").violations, []);
  });
});
