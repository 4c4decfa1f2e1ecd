import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client, LocalCluster } from "../../src/index.js";
import * as ta from "../../src/array/index.js";
import * as ndimage from "../../src/ndimage/index.js";
import { NDArray } from "../../src/ndarray/ndarray.js";
import { randomArray, sameBits, seededRandom } from "../ndimage/helpers.js";

type Lazy = (array: ta.Array, options: never) => ta.Array;
type Eager = (array: NDArray, options: never) => NDArray;

const cross = ndimage.generateBinaryStructure(3, 1);
const offCentre = [[[1, 0], [1, 1]], [[0, 1], [1, 0]]];
const grey = [[[0, 1, 0], [1, 2, 1], [0, 1, 0]], [[1, 2, 1], [2, 3, 2], [1, 2, 1]], [[0, 1, 0], [1, 2, 1], [0, 1, 0]]];

/** [name, lazy, eager, options]: every option kind that changes the halo (size, footprint, origin, mode). */
const filters: Array<[string, Lazy, Eager, Record<string, unknown>]> = [
  ["minimumFilter size 3 reflect", ta.ndimage.minimumFilter, ndimage.minimumFilter, { size: 3 }],
  ["maximumFilter size [4, 1, 6] origin [1, 0, -2] wrap", ta.ndimage.maximumFilter, ndimage.maximumFilter, { size: [4, 1, 6], origin: [1, 0, -2], mode: "wrap" }],
  ["maximumFilter footprint mirror", ta.ndimage.maximumFilter, ndimage.maximumFilter, { footprint: cross, mode: "mirror" }],
  ["minimumFilter1d size 5 axis 1 origin 2 constant", ta.ndimage.minimumFilter1d, ndimage.minimumFilter1d, { size: 5, axis: 1, origin: 2, mode: "constant", cval: 40000 }],
  ["maximumFilter1d size 4 last axis mirror", ta.ndimage.maximumFilter1d, ndimage.maximumFilter1d, { size: 4, mode: "mirror" }],
  ["maximumFilter1d size 6 axis 0 wrap", ta.ndimage.maximumFilter1d, ndimage.maximumFilter1d, { size: 6, axis: 0, mode: "wrap" }],
  ["medianFilter size 3 nearest", ta.ndimage.medianFilter, ndimage.medianFilter, { size: 3, mode: "nearest" }],
  ["medianFilter size 5 constant", ta.ndimage.medianFilter, ndimage.medianFilter, { size: 5, mode: "constant", cval: 3 }],
  ["medianFilter off-centre footprint, modes per axis of a box", ta.ndimage.medianFilter, ndimage.medianFilter, { footprint: offCentre, origin: [-1, 0, -1] }],
  ["rankFilter rank 2 wrap", ta.ndimage.rankFilter, ndimage.rankFilter, { rank: 2, size: [2, 3, 2], mode: "wrap" }],
  ["percentileFilter 30", ta.ndimage.percentileFilter, ndimage.percentileFilter, { percentile: 30, size: 4 }],
  ["greyErosion structure", ta.ndimage.greyErosion, ndimage.greyErosion, { structure: grey, mode: "constant", cval: 10 }],
  ["greyDilation even size, origin", ta.ndimage.greyDilation, ndimage.greyDilation, { size: [2, 4, 3], origin: [-1, 1, 0] }],
  ["greyOpening (doubled halo)", ta.ndimage.greyOpening, ndimage.greyOpening, { size: 4, mode: "mirror" }],
  ["greyClosing wrap", ta.ndimage.greyClosing, ndimage.greyClosing, { footprint: cross, mode: "wrap" }],
  ["whiteTophat", ta.ndimage.whiteTophat, ndimage.whiteTophat, { size: 5 }],
  ["blackTophat", ta.ndimage.blackTophat, ndimage.blackTophat, { structure: grey }],
  ["morphologicalGradient (dilation's and erosion's halos)", ta.ndimage.morphologicalGradient, ndimage.morphologicalGradient, { size: [2, 5, 3], origin: [0, -2, 1], mode: "constant", cval: 7 }],
  ["morphologicalLaplace structure wrap", ta.ndimage.morphologicalLaplace, ndimage.morphologicalLaplace, { structure: grey, mode: "wrap" }],
];

const volume = randomArray([19, 23, 29], "uint16", seededRandom(7));

/** A bool mask with objects of many sizes: smoothed noise below its median. */
function blobMask(shape: number[], seed: number): NDArray {
  const smooth = ndimage.uniformFilter(randomArray(shape, "float32", seededRandom(seed)), { size: 3 }).data as Float32Array;
  const median = Float32Array.from(smooth).sort()[Math.floor(smooth.length / 2)];
  return new NDArray(Uint8Array.from(smooth, (v) => (v < median ? 1 : 0)), shape, { dtype: "bool" });
}

describe("lazy rank filters and grey morphology equal the eager filter on the whole array", () => {
  for (const chunks of [[5, 6, 7], [[4, 1, 9, 5], [23], [3, 13, 13]], [19, 23, 29]] as ta.ChunkSpec[]) {
    for (const [what, lazy, eager, options] of filters) {
      it(`${what}, chunks ${JSON.stringify(chunks)}`, async () => {
        const result = await lazy(ta.fromArray(volume, { chunks }), options as never).compute();
        assert.ok(sameBits(result, eager(volume, options as never)), "lazy result differs from the eager one");
      });
    }
  }
  it("filter int64 labels and bool masks chunked as whole (the eager filter is checked against scipy in test/ndimage)", async () => {
    const labels = new NDArray(BigInt64Array.from(volume.data as Uint16Array, (v) => BigInt(v % 40) * 3_000_000_000_000n), volume.shape, { dtype: "int64" });
    const mask = blobMask([19, 23, 29], 8);
    for (const [input, dtype] of [[labels, "int64"], [mask, "bool"]] as const) {
      for (const [lazy, eager, options] of [
        [ta.ndimage.medianFilter, ndimage.medianFilter, { size: 3, mode: "constant", cval: 2 }],
        [ta.ndimage.maximumFilter, ndimage.maximumFilter, { footprint: cross, mode: "wrap" }],
        [ta.ndimage.percentileFilter, ndimage.percentileFilter, { percentile: 30, size: [2, 4, 3] }],
      ] as Array<[Lazy, Eager, Record<string, unknown>]>) {
        const result = await lazy(ta.fromArray(input, { chunks: [[4, 1, 9, 5], [23], [3, 13, 13]] }), options as never).compute();
        assert.equal(result.dtype, dtype);
        assert.ok(sameBits(result, eager(input, options as never)), `${dtype} ${JSON.stringify(options)}: lazy result differs from the eager one`);
      }
    }
  });

  it("keep the input's chunks and report the filter's dtype", () => {
    const chunked = ta.fromArray(volume, { chunks: [5, 6, 7] });
    const filtered = ta.ndimage.medianFilter(chunked, { size: 3, output: "float32" });
    assert.deepEqual(filtered.chunks, chunked.chunks);
    assert.equal(filtered.dtype, "float32");
  });
});

describe("lazy binary morphology equals the eager one", () => {
  const input = blobMask([19, 23, 29], 8);
  const cases: Array<[string, Lazy, Eager, Record<string, unknown>]> = [
    ["binaryErosion", ta.ndimage.binaryErosion, ndimage.binaryErosion, {}],
    ["binaryDilation iterations 3 full structure", ta.ndimage.binaryDilation, ndimage.binaryDilation, { iterations: 3, structure: ndimage.generateBinaryStructure(3, 3) }],
    ["binaryOpening iterations 2 border 1", ta.ndimage.binaryOpening, ndimage.binaryOpening, { iterations: 2, borderValue: 1 }],
    ["binaryClosing off-centre", ta.ndimage.binaryClosing, ndimage.binaryClosing, { structure: offCentre, origin: [0, -1, 0] }],
    ["binaryHitOrMiss left edges (structure2 the default complement)", ta.ndimage.binaryHitOrMiss, ndimage.binaryHitOrMiss, { structure1: [[[0, 1, 1]]] }],
    ["binaryHitOrMiss background 3 cells along, own origins", ta.ndimage.binaryHitOrMiss, ndimage.binaryHitOrMiss, { structure1: [[[1]], [[1]]], origin1: [-1, 0, 0], structure2: [[[0, 0, 0, 0, 1]]], origin2: [0, 0, -1] }],
  ];
  for (const [what, lazy, eager, options] of cases) {
    it(`${what}, 4×4×5 blocks`, async () => {
      const result = await lazy(ta.fromArray(input, { chunks: [5, 6, 6] }), options as never).compute();
      assert.ok(sameBits(result, eager(input, options as never)));
    });
  }
  it("refuses what has no bounded halo or needs a whole-array mask", () => {
    const chunked = ta.fromArray(input, { chunks: 8 });
    assert.throws(() => ta.ndimage.binaryErosion(chunked, { iterations: 0 }), /no bounded reach/);
    assert.throws(() => ta.ndimage.binaryDilation(chunked, { mask: input } as never), /mask is not supported/);
  });
});

describe("lazy filters on a cluster (2 workers, Zarr input)", () => {
  let dir: string;
  let cluster: LocalCluster;
  let client: Client;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "tessera-ndimage-lazy-"));
    await ta.fromArray(volume, { chunks: [5, 6, 7] }).toZarr(join(dir, "volume.zarr"));
    cluster = await LocalCluster.start({ nWorkers: 2, threadsPerWorker: 1, dashboardAddress: false });
    client = await Client.connect(cluster);
  });
  after(async () => {
    await client?.close();
    await cluster?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  it("median, opening, tophat and gradient equal the eager filters", async () => {
    const stored = await ta.fromZarr(join(dir, "volume.zarr"));
    const median = ta.ndimage.medianFilter(stored, { size: 3 });
    const opening = ta.ndimage.greyOpening(stored, { size: 4, mode: "wrap" });
    const tophat = ta.ndimage.whiteTophat(stored, { footprint: cross });
    const gradient = ta.ndimage.morphologicalGradient(stored, { size: [3, 5, 2] });
    const [a, b, c, d] = await ta.compute([median, opening, tophat, gradient], { executor: client });
    assert.ok(sameBits(a, ndimage.medianFilter(volume, { size: 3 })));
    assert.ok(sameBits(b, ndimage.greyOpening(volume, { size: 4, mode: "wrap" })));
    assert.ok(sameBits(c, ndimage.whiteTophat(volume, { footprint: cross })));
    assert.ok(sameBits(d, ndimage.morphologicalGradient(volume, { size: [3, 5, 2] })));
  });
});
