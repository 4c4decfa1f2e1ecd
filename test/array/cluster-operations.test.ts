// The array operations of issues 9 and 12 on a LocalCluster (two worker processes' threads,
// tasks shipped by name with their arguments): each gives what the local executor gives, which
// the other tests check against NumPy, Dask and scipy; Zarr reads and region writes on the
// workers are checked against zarr-python itself.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client, LocalCluster } from "../../src/index.js";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import * as ndimage from "../../src/ndimage/index.js";
import { LocalExecutor } from "../../src/graph/local-executor.js";
import { unixSeconds } from "../../src/core/clock.js";
import { runPythonCode } from "../zarr/python-anchor.js";
import { assertSameArray, evaluatePython } from "./python-eval.js";

describe("array operations on a LocalCluster", () => {
  let cluster: LocalCluster;
  let client: Client;
  const local = new LocalExecutor();
  before(async () => {
    cluster = await LocalCluster.start({ nWorkers: 2, threadsPerWorker: 1, dashboardAddress: false });
    client = await Client.connect(cluster);
  });
  after(async () => {
    await client?.close();
    await cluster?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const dir = mkdtempSync(join(tmpdir(), "tessera-cluster-operations-"));

  /** The workers that ran tasks whose key matches `pattern` since `since`. */
  async function workersRunning(pattern: RegExp, since: number): Promise<Set<string>> {
    const stream = (await client.getTaskStream({ since: since - 1 })) as Array<{ key: string; worker: string }>;
    return new Set(stream.filter((record) => pattern.test(record.key)).map((record) => record.worker));
  }

  it("computes the same arrays as the local executor", async () => {
    const x = ta.random([12, 15], { chunks: [5, 4], seed: 91 }).mul(20).sub(10);
    const i = ta.arange(0, 180, { chunks: 40, dtype: "int32" }).reshape([12, 15]);
    const mask = await x.gt(3).compute({ executor: local });
    const irregular = [[3, 1, 8], [6, 2, 7]];
    const u8 = x.add(10).mul(12).astype("uint8").rechunk(irregular);
    const i16 = x.mul(300).astype("int16").rechunk(irregular);
    const f32 = x.astype("float32").rechunk(irregular);
    const cases: Array<[string, ta.Array]> = [
      ["sqrt/abs", ta.sqrt(ta.abs(x))], ["sin, round", ta.round(ta.sin(x), 3)], ["isnan of log", ta.isnan(ta.log(x))],
      ["floorDivide/remainder", ta.floorDivide(i, x.astype("int32")).add(ta.remainder(i, -7))],
      ["where/clip", ta.where(x.gt(0), ta.clip(x, 1, 2), i)],
      ["reshape", i.rechunk([5, 4]).reshape([3, 4, 15])],
      ["concatenate/stack", ta.stack([ta.concatenate([x, i.astype("float64")], 1), ta.concatenate([i.astype("float64"), x], 1)])],
      ["linspace/zerosLike", ta.linspace(0, 1, 15, { chunks: 4 }).add(ta.onesLike(x))],
      ["coarsen", ta.coarsen(nd.mean, x, { 0: 3, 1: 5 })],
      ["get: list and newaxis", x.get([11, 0, 0, 5]).get(null, "...", null)],
      ["get: integer next to a list, put first", x.reshape([3, 4, 15]).get(1, ":", [3, 1])],
      ["get: mask", x.get(mask)],
      ["mapBlocks over different chunkings", ta.mapBlocks(nd.add, [x, i.rechunk([3, 7])])],
      // Other dtypes, on an irregular chunking.
      ["sqrt of uint8 (float32)", ta.sqrt(u8)], ["exp of float32, isnan", ta.isnan(ta.exp(f32.mul(100)))], ["round float32 to 1", ta.round(f32, 1)],
      ["int16 // and % by int16 (zeros, signs)", ta.floorDivide(i16, i16.sub(3)).add(ta.mod(i16, i16.add(2)))],
      ["where over uint8 and int16, clip of float32 by an array", ta.where(u8.gt(100), u8, i16).add(ta.clip(f32, f32.mul(0.5), null).astype("int16"))],
      ["reshape and stack of uint8", ta.stack([u8.reshape([15, 12]), u8.reshape([15, 12])], 2)],
      ["coarsen of int16 by max, trimmed", ta.coarsen(nd.max, i16, { 0: 5, 1: 4 }, { trimExcess: true })],
      ["arange int16 and fullLike uint8", ta.arange(-90, 90, { chunks: [[7, 100, 73]], dtype: "int16" }).reshape([12, 15]).add(ta.fullLike(u8, 3))],
    ];
    for (const [label, array] of cases) {
      assertSameArray(await array.compute(), await array.compute({ executor: local }), label);
    }
  });

  it("computes the ndimage filters and morphology of issue 12 as the eager whole-volume functions, on float32, int16 and bool volumes", async () => {
    const volume = ta.random([14, 17, 19], { chunks: [[5, 4, 5], [6, 11], [7, 7, 5]], seed: 92 }).mul(200).sub(100);
    const [f32, i16, sparse] = [volume.astype("float32"), volume.astype("int16"), volume.gt(90).astype("int16")];
    const [f32Whole, i16Whole, sparseWhole] = await ta.compute([f32, i16, sparse], { executor: new LocalExecutor() });
    // Blobs of many sizes (smoothed noise above its mean), so that morphology keeps and removes some.
    const maskWhole = nd.greater(ndimage.uniformFilter(f32Whole, { size: 3 }), 0);
    const mask = ta.fromArray(maskWhole, { chunks: [[4, 6, 4], [5, 7, 5], [10, 9]] });
    const cross = ndimage.generateBinaryStructure(3, 1);
    // Background stripes reaching the faces, 22 of them closed off by two bars (holes): many seeds.
    const stripesWhole = new nd.NDArray(Uint8Array.from({ length: 9 * 2200 }, (_, i) => (i % 2 === 0 || ([2, 6].includes(Math.floor(i / 2200)) && i % 100 === 51) ? 1 : 0)), [9, 2200], { dtype: "bool" });
    const stripes = ta.fromArray(stripesWhole, { chunks: [4, 300] });
    const grey = [[[0, 1, 0], [1, 2, 1], [0, 1, 0]]];
    const plane = nd.subtract(nd.multiply(nd.random([3, 9, 11], { seed: 94 }), 20), 2);
    // [label, lazy on the cluster, the eager function on the whole volume (scipy's bits: test/ndimage)]
    const cases: Array<[string, ta.Array, () => nd.NDArray]> = [
      ["maximumFilter f32 even size, origin, constant", ta.ndimage.maximumFilter(f32, { size: [2, 3, 4], origin: [-1, 1, 1], mode: "constant", cval: -7.5 }),
        () => ndimage.maximumFilter(f32Whole, { size: [2, 3, 4], origin: [-1, 1, 1], mode: "constant", cval: -7.5 })],
      ["minimumFilter i16 wrap", ta.ndimage.minimumFilter(i16, { size: 3, mode: "wrap" }), () => ndimage.minimumFilter(i16Whole, { size: 3, mode: "wrap" })],
      ["rankFilter i16 footprint mirror", ta.ndimage.rankFilter(i16, { rank: 3, footprint: cross, mode: "mirror" }), () => ndimage.rankFilter(i16Whole, { rank: 3, footprint: cross, mode: "mirror" })],
      ["percentileFilter f32 nearest origin", ta.ndimage.percentileFilter(f32, { percentile: 70, size: 4, mode: "nearest", origin: -1 }),
        () => ndimage.percentileFilter(f32Whole, { percentile: 70, size: 4, mode: "nearest", origin: -1 })],
      ["greyErosion i16 structure", ta.ndimage.greyErosion(i16, { structure: grey }), () => ndimage.greyErosion(i16Whole, { structure: grey })],
      ["greyDilation f32 size, origin", ta.ndimage.greyDilation(f32, { size: [3, 2, 3], origin: [0, -1, 1] }), () => ndimage.greyDilation(f32Whole, { size: [3, 2, 3], origin: [0, -1, 1] })],
      ["greyClosing i16", ta.ndimage.greyClosing(i16, { size: 3, mode: "nearest" }), () => ndimage.greyClosing(i16Whole, { size: 3, mode: "nearest" })],
      ["blackTophat f32", ta.ndimage.blackTophat(f32, { footprint: cross }), () => ndimage.blackTophat(f32Whole, { footprint: cross })],
      ["binaryErosion bool, 2 iterations, border 1", ta.ndimage.binaryErosion(mask, { iterations: 2, borderValue: 1 }), () => ndimage.binaryErosion(maskWhole, { iterations: 2, borderValue: 1 })],
      ["binaryDilation of int16 (nonzero is true), origin", ta.ndimage.binaryDilation(sparse, { structure: ndimage.generateBinaryStructure(3, 2), origin: [1, 0, -1] }),
        () => ndimage.binaryDilation(sparseWhole, { structure: ndimage.generateBinaryStructure(3, 2), origin: [1, 0, -1] })],
      ["binaryOpening bool", ta.ndimage.binaryOpening(mask, { iterations: 2 }), () => ndimage.binaryOpening(maskWhole, { iterations: 2 })],
      ["binaryClosing bool full structure", ta.ndimage.binaryClosing(mask, { structure: ndimage.generateBinaryStructure(3, 3) }),
        () => ndimage.binaryClosing(maskWhole, { structure: ndimage.generateBinaryStructure(3, 3) })],
      ["binaryFillHoles (background labelled across blocks on the workers)", await ta.ndimage.binaryFillHoles(mask), () => ndimage.binaryFillHoles(maskWhole)],
      ["binaryFillHoles with 1 100 face labels (the seeds one shared task)", await ta.ndimage.binaryFillHoles(stripes), () => ndimage.binaryFillHoles(stripesWhole)],
      ["distanceTransformEdt, sampled (a rechunk and a pass per axis on the workers)", ta.ndimage.distanceTransformEdt(mask, { sampling: [1.5, 0.5, 1] }),
        () => ndimage.distanceTransformEdt(maskWhole, { sampling: [1.5, 0.5, 1] })],
      ["shift order 1 grid-wrap", ta.shift(f32, { shift: [2.5, -4.25, 7], order: 1, mode: "grid-wrap" }), () => ndimage.shift(f32Whole, { shift: [2.5, -4.25, 7], order: 1, mode: "grid-wrap" })],
      ["mapCoordinates order 1 mirror", ta.mapCoordinates(f32, plane, { order: 1, mode: "mirror", outputChunks: [4, 5] }), () => ndimage.mapCoordinates(f32Whole, plane, { order: 1, mode: "mirror" })],
      ["zoom order 0 nearest", ta.zoom(i16, { zoom: [0.5, 1.5, 0.8], order: 0, mode: "nearest" }), () => ndimage.zoom(i16Whole, { zoom: [0.5, 1.5, 0.8], order: 0, mode: "nearest" })],
    ];
    const since = unixSeconds();
    const onCluster = await ta.compute(cases.map(([, array]) => array));
    cases.forEach(([label, , eager], i) => assertSameArray(onCluster[i], eager(), label));
    assert.equal((await workersRunning(/./, since)).size, 2, "both workers ran blocks");
  });

  it("reads big-endian and bz2 Zarr arrays on the workers, rechunked Dask's dict way, as NumPy holds them", async () => {
    const bigEndian = join(dir, "big-endian.zarr");
    const bz2 = join(dir, "bz2.zarr");
    const empty = join(dir, "empty.zarr");
    await runPythonCode(
      "import sys, numpy as np, zarr\nfrom numcodecs import BZ2\n" +
        "values = (np.arange(40 * 30).reshape(40, 30) * 977 % 65521)\n" +
        "zarr.array(values.astype('>u2'), chunks=(7, 8), store=sys.argv[1])\n" +
        "zarr.array((values * 0.25 - 900).astype('>f8'), chunks=(9, 11), compressor=BZ2(level=5), store=sys.argv[2])\n" +
        "zarr.open(sys.argv[3], mode='w', shape=(0, 5), chunks=(4, 5), dtype='>i4')\n",
      [bigEndian, bz2, empty],
    );
    const values = nd.reshape(nd.remainder(nd.multiply(nd.arange(0, 1200, 1, "int64"), 977), 65521), [40, 30]);
    const u2 = (await ta.fromZarr(bigEndian)).rechunk({ 0: 13, 1: -1 });
    const f8 = (await ta.fromZarr(bz2)).rechunk({ 1: [4, 26] });
    const zero = await ta.fromZarr(empty);
    const since = unixSeconds();
    const [u2Read, f8Read, u2Sum, zeroRead, zeroSum] = await ta.compute([u2, f8, u2.astype("int64").sum({ axis: 0 }), zero, zero.sum({ axis: 0 })]);
    assert.deepEqual(u2.chunks, [[13, 13, 13, 1], [30]]);
    assertSameArray(u2Read, nd.astype(values, "uint16"), ">u2 read on the workers");
    assertSameArray(f8Read, nd.subtract(nd.multiply(nd.astype(values, "float64"), 0.25), 900), ">f8 bz2 read on the workers");
    assertSameArray(u2Sum, nd.sum(values, { axis: 0 }), "a reduction over the >u2 blocks");
    assertSameArray(zeroRead, nd.zeros([0, 5], "int32"), "a (0, 5) array");
    assertSameArray(zeroSum, nd.zeros([5], "int64"), "its sum along the empty axis (NumPy: zeros)");
    assert.equal((await workersRunning(/from-zarr|zarr/, since)).size, 2, "both workers read chunks");
  });

  it("writes toZarr({ region }) and store() from both workers into arrays zarr-python created and reads back", async () => {
    const target = join(dir, "target.zarr");
    const bigEndian = join(dir, "target-be.zarr");
    await runPythonCode(
      "import sys, numpy as np, zarr\n" +
        "zarr.open(sys.argv[1], mode='w', shape=(30, 40), chunks=(5, 8), dtype='<f4', fill_value=-1)[:] = np.arange(1200, dtype='<f4').reshape(30, 40)\n" +
        "zarr.open(sys.argv[2], mode='w', shape=(12, 9), chunks=(4, 3), dtype='>i2', fill_value=0)\n",
      [target, bigEndian],
    );
    const source = ta.random([20, 24], { chunks: [7, 9], seed: 93 }).mul(1000).astype("float32");
    const labels = ta.arange(-54, 54, { chunks: 20, dtype: "int16" }).reshape([12, 9]);
    const since = unixSeconds();
    await source.toZarr(target, { region: [{ start: 5, stop: 25 }, { start: 8, stop: 32 }] });
    await ta.store([labels], [bigEndian]);
    const expected = evaluatePython({ source: await source.compute({ executor: new LocalExecutor() }) }, {
      target: `__import__('zarr').open_array(${JSON.stringify(target)}, mode='r')[:]`,
      anchor: "(lambda a: (a.__setitem__((slice(5, 25), slice(8, 32)), source), a)[1])(np.arange(1200, dtype='<f4').reshape(30, 40))",
      bigEndian: `__import__('zarr').open_array(${JSON.stringify(bigEndian)}, mode='r')[:].astype('<i2')`,
    });
    assertSameArray(expected.target.array as nd.NDArray, expected.anchor.array as nd.NDArray, "zarr-python reads the region written on the workers");
    assertSameArray(expected.bigEndian.array as nd.NDArray, nd.reshape(nd.arange(-54, 54, 1, "int16"), [12, 9]), "zarr-python reads the >i2 array written on the workers");
    assert.equal((await workersRunning(/store|zarr/, since)).size, 2, "both workers wrote chunks");
  });
});
