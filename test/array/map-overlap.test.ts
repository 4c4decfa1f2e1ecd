import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import * as ndimage from "../../src/ndimage/index.js";
import { InvalidOptionError } from "../../src/core/errors.js";

function assertSame(actual: nd.NDArray, expected: nd.NDArray, what: string): void {
  assert.deepEqual([...actual.shape], [...expected.shape], `${what}: shape`);
  assert.equal(actual.dtype, expected.dtype, `${what}: dtype`);
  const a = nd.ascontiguousarray(actual).data;
  const b = nd.ascontiguousarray(expected).data;
  let mismatches = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) mismatches++;
  assert.equal(mismatches, 0, `${what}: ${mismatches} of ${a.length} values differ`);
}

const volume = nd.random([23, 37, 41], { seed: 5, dtype: "float32" });
const chunked = ta.fromArray(volume, { chunks: [8, 10, 12] });

describe("mapOverlap", () => {
  const modes: Array<[ta.BoundarySpec, "reflect" | "wrap" | "nearest" | "constant"]> = [
    ["reflect", "reflect"], ["periodic", "wrap"], ["nearest", "nearest"], [0, "constant"], [2.5, "constant"],
  ];
  for (const [boundary, mode] of modes) {
    it(`equals the whole-array filter with boundary ${JSON.stringify(boundary)} (scipy mode ${mode})`, async () => {
      const cval = typeof boundary === "number" ? boundary : 0;
      const result = await chunked.mapOverlap(ndimage.gaussianFilter, { depth: 8, boundary }, { sigma: 2, mode, cval }).compute();
      assertSame(result, ndimage.gaussianFilter(volume, { sigma: 2, mode, cval }), String(boundary));
    });
  }

  it('equals the whole-array filter with boundary "none" (the filter\'s own mode at the edges)', async () => {
    const result = await chunked.mapOverlap(ndimage.gaussianFilter, { depth: 8 }, { sigma: 2, mode: "mirror" }).compute();
    assertSame(result, ndimage.gaussianFilter(volume, { sigma: 2, mode: "mirror" }), "none");
  });

  it("handles a depth larger than a chunk by reading several neighbours, keeping the chunks", async () => {
    const small = ta.fromArray(volume, { chunks: [4, 5, 6] });
    const filtered = small.mapOverlap(ndimage.gaussianFilter, { depth: 12, boundary: "nearest" }, { sigma: 3, mode: "nearest" });
    assert.deepEqual(filtered.chunks, small.chunks);
    assertSame(await filtered.compute(), ndimage.gaussianFilter(volume, { sigma: 3, mode: "nearest" }), "deep halo");
  });

  it("works with functions that are not region kernels (trimmed after the call)", async () => {
    const doubled = chunked.mapOverlap((block: nd.NDArray) => nd.multiply(block, 2), { depth: { 0: 2, 2: 1 }, boundary: "reflect" });
    assertSame(await doubled.compute(), nd.multiply(volume, 2), "plain function");
  });

  it("returns halo-sized blocks with trim: false", async () => {
    const untrimmed = chunked.mapOverlap((block: nd.NDArray) => block, { depth: 2, boundary: "none", trim: false });
    assert.deepEqual(untrimmed.chunks[0], [10, 12, 9], "edge blocks grow on their inner side only");
    const result = await untrimmed.compute();
    assert.equal(result.shape[0], 31);
  });

  it("checks the depth against 200 000 chunks on one axis (a spread into Math.min overflowed the stack)", () => {
    const long = ta.zeros([400_000], { chunks: 2, dtype: "float32" });
    assert.throws(() => long.mapOverlap(ndimage.gaussianFilter, { depth: 3, allowRechunk: false }, { sigma: 1 }),
      /overlap depth 3 is larger than the smallest chunk \(2\) along axis 0/);
  });

  it("refuses a filter option the filter does not read when building the graph, not on the workers", () => {
    assert.throws(() => chunked.mapOverlap(ndimage.gaussianFilter, { depth: 8 }, { sigma: 2, mode: "mirror", truncat: 3 } as never),
      (error: Error) => error instanceof InvalidOptionError && /gaussianFilter: unknown option "truncat" \(did you mean truncate\?\)/.test(error.message));
  });

  it("refuses a depth larger than a chunk with allowRechunk: false, naming both", () => {
    const small = ta.fromArray(volume, { chunks: [4, 5, 6] });
    assert.throws(() => small.mapOverlap(ndimage.gaussianFilter, { depth: 5, allowRechunk: false }, { sigma: 1 }),
      (error: Error) => error instanceof InvalidOptionError && /depth 5 is larger than the smallest chunk \(3\) along axis 0/.test(error.message));
  });

  it("refuses an unknown boundary and a negative depth", () => {
    assert.throws(() => chunked.mapOverlap(ndimage.gaussianFilter, { depth: 2, boundary: "mirror" as ta.BoundarySpec }, { sigma: 1 }), /boundary "mirror"/);
    assert.throws(() => chunked.mapOverlap(ndimage.gaussianFilter, { depth: -1 }, { sigma: 1 }), /depth -1/);
  });

  it("refuses an unknown mode and a negative sigma before running anything", () => {
    assert.throws(() => chunked.mapOverlap(ndimage.gaussianFilter, { depth: 2 }, { sigma: 1, mode: "sideways" }), /sideways/);
    assert.throws(() => chunked.mapOverlap(ndimage.gaussianFilter, { depth: 2 }, { sigma: -3 }), /-3/);
  });

  // Found by test/array/filter-chunked-differential.test.ts.
  it("a constant boundary one cell deep pads the first block (it came back unpadded and shifted)", async () => {
    const line = nd.fromTypedArray(Float64Array.from([10, 20, 30, 40, 50]), [5]);
    const halos = await ta.fromArray(line, { chunks: [[2, 3]] }).mapOverlap((block: nd.NDArray) => block, { depth: 1, boundary: -4, trim: false }).compute();
    assert.deepEqual(halos.toArray(), [-4, 10, 20, 30, 20, 30, 40, 50, -4]);
    const median = await ta.fromArray(line, { chunks: [[1, 1, 1, 1, 1]] }).mapOverlap(ndimage.medianFilter, { depth: 1, boundary: -4 }, { size: 3 }).compute();
    assert.deepEqual(median.toArray(), [10, 20, 30, 40, 40]);
  });

  it('boundary "none" with a filter that wraps (mode "wrap"/"grid-wrap") reads the far side of the array, as the whole-array filter does', async () => {
    for (const [fn, options] of [[ndimage.gaussianFilter, { sigma: 1.5, mode: "wrap" }], [ndimage.maximumFilter, { size: [3, 4, 5], mode: "grid-wrap" }], [ndimage.sobel, { axis: 1, mode: ["nearest", "wrap", "reflect"] }]] as const) {
      const result = await chunked.mapOverlap(fn as never, { depth: 6 }, options).compute();
      assertSame(result, (fn as (x: nd.NDArray, o: unknown) => nd.NDArray)(volume, options), `${JSON.stringify(options)}`);
    }
  });
});

