// ta.overlap against Dask 2022.12's da.overlap: the chunks and values of overlap, boundaries and
// the one-axis pads, trimInternal undoing overlap, and a user pipeline overlap → mapBlocks →
// trimInternal, on many blocks per axis with uneven last chunks, 1-d to 3-d, every boundary kind.
import { before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import * as ndimage from "../../src/ndimage/index.js";
import { assertSameArray, evaluatePython, type PythonResult } from "./python-eval.js";
import { describeOnCluster } from "./cluster-sample.js";

const x1 = nd.random([103], { seed: 1 });
const x2 = nd.random([37, 25], { seed: 2 });
const x3 = nd.random([12, 23, 9], { seed: 3, dtype: "float32" });
const i2 = nd.astype(nd.multiply(nd.random([31, 14], { seed: 4 }), 1000), "int32");
const a1 = ta.fromArray(x1, { chunks: [10] }); // 11 blocks, the last of 3
const a2 = ta.fromArray(x2, { chunks: [3, 7] }); // 13 blocks on axis 0, the last of 1
const a3 = ta.fromArray(x3, { chunks: [5, 2, 4] }); // 12 blocks on axis 1, the last of 1
const ai = ta.fromArray(i2, { chunks: [4, 5] });
const d1 = "da.from_array(x1, chunks=(10,))";
const d2 = "da.from_array(x2, chunks=(3, 7))";
const d3 = "da.from_array(x3, chunks=(5, 2, 4))";
const di = "da.from_array(i2, chunks=(4, 5))";

/** Each case: the tessera array and the Dask expression that should give the same chunks and values. */
const cases: Record<string, [() => ta.Array, string]> = {
  none1: [() => ta.overlap.overlap(a1, 2), `da.overlap.overlap(${d1}, 2, None)`],
  reflect1: [() => ta.overlap.overlap(a1, 3, "reflect"), `da.overlap.overlap(${d1}, 3, 'reflect')`],
  periodic1: [() => ta.overlap.overlap(a1, 3, "periodic"), `da.overlap.overlap(${d1}, 3, 'periodic')`],
  nearest1: [() => ta.overlap.overlap(a1, 3, "nearest"), `da.overlap.overlap(${d1}, 3, 'nearest')`],
  constant1: [() => ta.overlap.overlap(a1, 3, -7.5), `da.overlap.overlap(${d1}, 3, -7.5)`],
  // Depth 4 is more than the last chunk (3): Dask rechunks (ensure_minimum_chunksize) first.
  deep1: [() => ta.overlap.overlap(a1, 4, "reflect"), `da.overlap.overlap(${d1}, 4, 'reflect')`],
  deepNone1: [() => ta.overlap.overlap(a1, 12), `da.overlap.overlap(${d1}, 12, 'none')`],
  asymmetric1: [() => ta.overlap.overlap(a1, [[1, 3]]), `da.overlap.overlap(${d1}, {0: (1, 3)}, 'none')`],
  mixed2: [() => ta.overlap.overlap(a2, { 0: 2, 1: 3 }, { 0: "reflect", 1: 100 }), `da.overlap.overlap(${d2}, {0: 2, 1: 3}, {0: 'reflect', 1: 100})`],
  corners2: [() => ta.overlap.overlap(a2, [1, 2], { 0: 100, 1: 5 }), `da.overlap.overlap(${d2}, (1, 2), {0: 100, 1: 5})`],
  oneAxis2: [() => ta.overlap.overlap(a2, { 1: 2 }, "periodic"), `da.overlap.overlap(${d2}, {1: 2}, 'periodic')`],
  asymmetric2: [() => ta.overlap.overlap(a2, [[0, 2], [3, 1]], "none"), `da.overlap.overlap(${d2}, {0: (0, 2), 1: (3, 1)}, 'none')`],
  corners3: [() => ta.overlap.overlap(a3, 1, [100, 5, "reflect"]), `da.overlap.overlap(${d3}, 1, (100, 5, 'reflect'))`],
  kinds3: [() => ta.overlap.overlap(a3, 1, ["periodic", "nearest", "none"]), `da.overlap.overlap(${d3}, 1, ('periodic', 'nearest', 'none'))`],
  deep3: [() => ta.overlap.overlap(a3, [2, 3, 1], ["reflect", 0.25, "none"]), `da.overlap.overlap(${d3}, (2, 3, 1), ('reflect', 0.25, 'none'))`],
  intConstant: [() => ta.overlap.overlap(ai, 2, 2.7), `da.overlap.overlap(${di}, 2, 2.7)`],
  trimNone: [() => ta.overlap.trimInternal(ta.overlap.overlap(a2, { 0: 2, 1: 3 }), { 0: 2, 1: 3 }), `da.overlap.trim_internal(da.overlap.overlap(${d2}, {0: 2, 1: 3}, 'none'), {0: 2, 1: 3})`],
  trimMixed: [() => ta.overlap.trimInternal(ta.overlap.overlap(a3, [2, 3, 1], ["reflect", 0.25, "none"]), [2, 3, 1], ["reflect", 0.25, "none"]),
    `da.overlap.trim_internal(da.overlap.overlap(${d3}, (2, 3, 1), ('reflect', 0.25, 'none')), {0: 2, 1: 3, 2: 1}, ('reflect', 0.25, 'none'))`],
  trimAsymmetric: [() => ta.overlap.trimOverlap(ta.overlap.overlap(a2, [[0, 2], [3, 1]]), [[0, 2], [3, 1]]),
    `da.overlap.trim_overlap(da.overlap.overlap(${d2}, {0: (0, 2), 1: (3, 1)}, 'none'), {0: (0, 2), 1: (3, 1)})`],
  // Trimming what overlap did not add: Dask trims every inner side (a user's own halo layout).
  trimOnly: [() => ta.overlap.trimInternal(a1, 1, "reflect"), `da.overlap.trim_internal(${d1}, {0: 1}, 'reflect')`],
  pipeline: [
    () => ta.overlap.trimInternal(ta.mapBlocks(ndimage.gaussianFilter, ta.overlap.overlap(a2, 4, "reflect"), {}, { sigma: 1 }), 4, "reflect"),
    `da.overlap.trim_internal(da.overlap.overlap(${d2}, 4, 'reflect').map_blocks(ndi.gaussian_filter, sigma=1), {0: 4, 1: 4}, 'reflect')`,
  ],
  pipelineNone: [
    () => ta.overlap.trimInternal(ta.mapBlocks(ndimage.gaussianFilter, ta.overlap.overlap(a3, [2, 3, 2]), {}, { sigma: [0.5, 0.7, 0.5], mode: "nearest" }), [2, 3, 2]),
    `da.overlap.trim_internal(da.overlap.overlap(${d3}, (2, 3, 2), 'none').map_blocks(ndi.gaussian_filter, sigma=(0.5, 0.7, 0.5), mode='nearest'), {0: 2, 1: 3, 2: 2}, 'none')`,
  ],
  // mapOverlap's halos are assembled the same way: its corners too take the last constant axis's value.
  mapOverlapCorners: [() => a2.mapOverlap(ndimage.uniformFilter, { depth: 1, boundary: { 0: 100, 1: 5 } }, { size: 3 }), `${d2}.map_overlap(ndi.uniform_filter, depth=1, boundary={0: 100, 1: 5}, size=3)`],
  boundaries2: [() => ta.overlap.boundaries(a2, { 0: 2, 1: 3 }, { 0: "periodic", 1: "nearest" }), `da.overlap.boundaries(${d2}, {0: 2, 1: 3}, {0: 'periodic', 1: 'nearest'})`],
  boundaries3: [() => ta.overlap.boundaries(a3, 2, ["reflect", 9, "none"]), `da.overlap.boundaries(${d3}, 2, {0: 'reflect', 1: 9, 2: 'none'})`],
  periodic2: [() => ta.overlap.periodic(a2, 1, 4), `da.overlap.periodic(${d2}, 1, 4)`],
  reflect2: [() => ta.overlap.reflect(a2, 0, 5), `da.overlap.reflect(${d2}, 0, 5)`],
  reflectOne: [() => ta.overlap.reflect(a1, 0, 1), `da.overlap.reflect(${d1}, 0, 1)`],
  nearest3: [() => ta.overlap.nearest(a3, 2, 3), `da.overlap.nearest(${d3}, 2, 3)`],
  constant2: [() => ta.overlap.constant(ai, 1, 2, -3.9), `da.overlap.constant(${di}, 1, 2, -3.9)`],
};

/** Cases whose values are floating-point sums: the same kernel as scipy's, not always its last bit. */
const filtered = new Set(["pipeline", "pipelineNone", "mapOverlapCorners"]);

function assertClose(actual: nd.NDArray, expected: nd.NDArray, label: string): void {
  assert.equal(actual.dtype, expected.dtype, `${label}: dtype`);
  assert.deepEqual([...actual.shape], [...expected.shape], `${label}: shape`);
  const a = nd.ascontiguousarray(actual).data as Float64Array;
  const b = nd.ascontiguousarray(expected).data as Float64Array;
  for (let i = 0; i < b.length; i++) {
    const tolerance = (actual.dtype === "float32" ? 1e-6 : 1e-13) * Math.max(1, Math.abs(b[i]));
    if (!(Math.abs(a[i] - b[i]) <= tolerance)) assert.fail(`${label}: element ${i} is ${a[i]}, Dask gives ${b[i]}`);
  }
}

describe("ta.overlap against Dask 2022.12's da.overlap", () => {
  let dask: Record<string, PythonResult>;
  before(() => {
    dask = evaluatePython({ x1, x2, x3, i2 }, Object.fromEntries(Object.entries(cases).map(([label, [, expression]]) => [label, expression])));
  });

  for (const [label, [make]] of Object.entries(cases)) {
    it(`${label}: Dask's chunks and values`, async () => {
      const expected = dask[label];
      assert.equal(expected.error, undefined, `Dask refused ${label}: ${expected.error}`);
      const array = make();
      assert.deepEqual(array.chunks, expected.chunks, `${label}: chunks`);
      const value = await array.compute();
      if (filtered.has(label)) assertClose(value, expected.array as nd.NDArray, label);
      else assertSameArray(value, expected.array as nd.NDArray, label);
    });
  }

  it("the pipeline equals the eager filter of the whole array (depth covers the radius)", async () => {
    const result = await cases.pipeline[0]().compute();
    assertSameArray(result, ndimage.gaussianFilter(x2, { sigma: 1, mode: "reflect" }), "pipeline vs whole-array filter");
  });
});

describe("trimInternal(overlap(x)) gives x back", () => {
  const forms: Array<[string, ta.Array, ta.overlap.DepthSpec, ta.overlap.BoundariesSpec | undefined]> = [
    ["1-d none, rechunked", a1, 12, undefined],
    ["1-d constant", a1, 3, 4],
    ["2-d asymmetric none", a2, [[2, 0], [1, 3]], "none"],
    ["2-d reflect / periodic", a2, { 0: 3, 1: 5 }, ["reflect", "periodic"]],
    ["3-d every kind", a3, [2, 2, 3], ["nearest", "none", -1]],
  ];
  for (const [label, array, depth, boundary] of forms) {
    it(label, async () => {
      const back = ta.overlap.trimInternal(ta.overlap.overlap(array, depth, boundary), depth, boundary);
      assert.equal(back.shape.join(), array.shape.join());
      assertSameArray(await back.compute(), await array.compute(), label);
    });
  }
});

describe("allowRechunk: false keeps chunks smaller than the depth (Dask refuses)", () => {
  const small = ta.fromArray(x1, { chunks: [[5, ...new Array<number>(31).fill(3), 5]] });
  it("each block grows by the depth on both sides, read from several neighbours", async () => {
    const grown = ta.overlap.overlap(small, 5, "reflect", { allowRechunk: false });
    assert.deepEqual(grown.chunks[0], small.chunks[0].map((c) => c + 10));
    const offsets = [0];
    for (const c of small.chunks[0]) offsets.push(offsets[offsets.length - 1] + c);
    const windows = offsets.slice(0, -1).map((lo, i) => `p[${lo}:${offsets[i + 1] + 10}]`).join(", ");
    const reference = evaluatePython({ x1 }, {
      padded: `(lambda p: np.concatenate([${windows}]))(np.pad(x1, 5, mode='symmetric'))`,
      dask: `da.overlap.overlap(da.from_array(x1, chunks=(${small.chunks[0].join(", ")},)), 5, 'reflect', allow_rechunk=False)`,
    });
    assert.match(reference.dask.error ?? "", /Overlap depth is larger than smallest chunksize/);
    assertSameArray(await grown.compute(), reference.padded.array as nd.NDArray, "kept chunks");
    assertSameArray(await ta.overlap.trimInternal(grown, 5, "reflect").compute(), x1, "trimmed back");
  });

  it('with boundary "none", the edge chunks must hold the depth', () => {
    assert.throws(() => ta.overlap.overlap(ta.fromArray(x1, { chunks: [3] }), 4, "none", { allowRechunk: false }),
      /first and last chunks along axis 0 \(3, 1\) must hold the depth \(4, 4\)/);
  });
});

describe("ta.overlap refusals", () => {
  it("a depth larger than the array, as Dask", () => {
    assert.throws(() => ta.overlap.overlap(a1, 104, "reflect"), /depth 104 along axis 0 is larger than the array \(103 cells\)/);
    assert.throws(() => ta.overlap.ensureMinimumChunksize(4, [1, 1, 1]), /The overlapping depth 4 is larger than your array 3\./);
  });
  it("an asymmetric depth with a padding boundary (Dask: TypeError deep inside)", () => {
    assert.throws(() => ta.overlap.overlap(a1, [[1, 2]], "reflect"), /asymmetric depth \[1, 2\] \(axis 0\) needs boundary "none"/);
  });
  it("unknown boundaries, wrong-length lists, negative or fractional depths, unknown axes", () => {
    assert.throws(() => ta.overlap.overlap(a1, 1, "wrap" as never), /boundary "wrap" for axis 0 is not one of/);
    assert.throws(() => ta.overlap.overlap(a2, [1, 2, 3]), /depth \[1,2,3\] has 3 entries; the array has 2 axes/);
    assert.throws(() => ta.overlap.overlap(a1, [1, 2]), /a \[before, after\] pair for one axis is written inside the list/);
    assert.throws(() => ta.overlap.overlap(a2, 1, ["reflect"]), /boundary \["reflect"\] has 1 entries/);
    assert.throws(() => ta.overlap.overlap(a1, -1), /depth -1 for axis 0 must be a non-negative integer/);
    assert.throws(() => ta.overlap.overlap(a1, 1.5), /depth 1.5 for axis 0/);
    assert.throws(() => ta.overlap.overlap(a2, { 2: 1 }), /depth names axis 2, which the array \(2 axes\) does not have/);
    assert.throws(() => ta.overlap.periodic(a2, 2, 1), /axis 2 does not exist/);
    assert.throws(() => ta.overlap.reflect(a1, 0, 104), /depth 104 along axis 0 is larger than the array \(103 cells\) for boundary "reflect"/);
    assert.throws(() => ta.overlap.overlap(x1 as never, 1), /takes a ta.Array; wrap an in-memory array with ta.fromArray/);
  });
  it("a trim larger than a block (Dask returns negative chunks)", () => {
    assert.throws(() => ta.overlap.trimInternal(a1, 2, "reflect"), /block 10 along axis 0 has 3 cells, fewer than the 2 \+ 2 to cut off/);
  });
  it("unknown option keys and extra arguments", () => {
    assert.throws(() => ta.overlap.overlap(a1, 1, "none", { allow_rechunk: false } as never), /allow_rechunk/);
    assert.throws(() => (ta.overlap.trimInternal as (...args: unknown[]) => unknown)(a1, 1, "none", { trim: true }), /takes at most 3 arguments/);
    assert.throws(() => (ta.overlap.constant as (...args: unknown[]) => unknown)(a1, 0, 1, 2, "float32"), /takes at most 4 arguments/);
    assert.throws(() => (ta.overlap.ensureMinimumChunksize as (...args: unknown[]) => unknown)(3, [1, 3], 1), /takes at most 2 arguments/);
  });
});

describe("ta.overlap.ensureMinimumChunksize", () => {
  const inputs: Array<[number, number[]]> = [[10, [20, 20, 1]], [3, [1, 1, 3]], [4, [3, 3, 3, 1]], [5, [2, 9, 1, 1, 1, 7, 3]], [2, [4, 4]], [0, [1, 2]]];
  it("gives Dask's chunks", () => {
    const dask = evaluatePython({}, Object.fromEntries(inputs.map(([size, chunks], i) => [`c${i}`, `np.array(da.overlap.ensure_minimum_chunksize(${size}, (${chunks.join(", ")},)))`])));
    inputs.forEach(([size, chunks], i) => assert.deepEqual(ta.overlap.ensureMinimumChunksize(size, chunks), [...(dask[`c${i}`].array as nd.NDArray).data].map(Number), `${size}, ${chunks}`));
  });
});

describeOnCluster("ta.overlap's overlap, pads and trims", () => [
  cases.mixed2[0](), cases.kinds3[0](), cases.pipeline[0](), cases.trimAsymmetric[0](), cases.boundaries3[0](), cases.constant2[0](),
  ta.overlap.overlap(ta.fromArray(x1, { chunks: [3] }), 5, "periodic", { allowRechunk: false }),
]);
