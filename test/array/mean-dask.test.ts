// The chunked mean and nanmean equal Dask's bit for bit: same chunks, same split_every, same
// per-block (count, pairwise total) partials combined in the same grid order.
import { after, before, describe, it } from "node:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import type { ChunkSpec } from "../../src/array/index.js";
import { type DaskReductionCase, assertEqualsDask, daskReductions } from "./dask-reduction.js";

type MeanCase = DaskReductionCase & { op: "mean" | "nanmean" };

describe("chunked mean and nanmean equal Dask's bit for bit", () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), "tessera-mean-dask-")); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const dask = (data: nd.NDArray, cases: MeanCase[]) => daskReductions(dir, data, cases);

  async function check(data: nd.NDArray, cases: MeanCase[]): Promise<void> {
    const expected = dask(data, cases);
    for (const [i, c] of cases.entries()) {
      const x = ta.fromArray(data, { chunks: c.chunks });
      const options = { axis: c.axis, keepdims: c.keepdims, splitEvery: c.splitEvery, ...(c.dtype ? { dtype: c.dtype } : {}) };
      const got = await (c.op === "mean" ? x.mean(options) : ta.nanmean(x, options)).compute();
      const what = `${data.dtype} ${JSON.stringify(c)}`;
      assertEqualsDask(got, expected[i], what);
    }
  }

  // Mixed signs and magnitudes (1 to 1e6): rounding depends on the order of the additions, so
  // any other grouping than Dask's shows in the last bits.
  const base = nd.multiply(nd.subtract(nd.random([150, 97], { seed: 3 }), 0.5), nd.power(10, nd.multiply(nd.random([150, 97], { seed: 4 }), 6)));
  const irregular: ChunkSpec = [[7, 40, 3, 50, 25, 25], [30, 30, 30, 7]];

  it("float64: regular and irregular chunks, every axis choice, keepdims, splitEvery as a number and per axis", async () => {
    await check(base, [
      { op: "mean", chunks: [5, 4] },
      { op: "mean", chunks: [5, 4], splitEvery: 4 },
      { op: "mean", chunks: [3, 7], axis: 0 },
      { op: "mean", chunks: [3, 7], axis: 1, keepdims: true, splitEvery: 3 },
      { op: "mean", chunks: irregular },
      { op: "mean", chunks: irregular, axis: [1], splitEvery: { 1: 2 } },
      { op: "mean", chunks: [6, 5], splitEvery: { 0: 5, 1: 3 } },
      { op: "mean", chunks: [150, 97] },
      { op: "mean", chunks: [2, 97], axis: 0, splitEvery: 7 },
    ]);
  });

  it("float32 accumulates in float32 as Dask's does; float64 when asked", async () => {
    const f32 = nd.astype(base, "float32");
    await check(f32, [
      { op: "mean", chunks: [5, 4] },
      { op: "mean", chunks: irregular, axis: 0 },
      { op: "mean", chunks: [10, 10], dtype: "float64", splitEvery: 4 },
    ]);
  });

  it("integer inputs (int32, uint8, int64) reduce to float64, or float32 when asked", async () => {
    const values = nd.multiply(nd.random([150, 97], { seed: 5 }), 250);
    for (const dtype of ["int32", "uint8", "int64"] as const) {
      await check(nd.astype(values, dtype), [
        { op: "mean", chunks: [5, 4] },
        { op: "mean", chunks: irregular, axis: 1, keepdims: true },
        { op: "mean", chunks: [9, 9], dtype: "float32" },
      ]);
    }
  });

  it("over two of three axes of a volume with 8192+-element blocks (NumPy's buffered casting)", async () => {
    const volume = nd.astype(nd.add(nd.multiply(nd.random([40, 64, 72], { seed: 8 }), 3.3), 7), "float32");
    await check(volume, [
      { op: "mean", chunks: [20, 64, 72], axis: [0, 2] },
      { op: "mean", chunks: [4, 16, 24], axis: [0, 2], dtype: "float64" },
      { op: "mean", chunks: [8, 32, 9], axis: null, splitEvery: 8 },
    ]);
  });

  it("nanmean: NaN skipped per block, NaN for an all-NaN slice", async () => {
    const withNaN = nd.copy(base);
    const values = withNaN.data as Float64Array;
    for (let i = 0; i < values.length; i += 7) values[i] = NaN;
    for (let row = 0; row < 150; row++) values[row * 97 + 13] = NaN;
    await check(withNaN, [
      { op: "nanmean", chunks: [5, 4] },
      { op: "nanmean", chunks: irregular, axis: 0 },
      { op: "nanmean", chunks: [7, 9], axis: 1, keepdims: true, splitEvery: 3 },
    ]);
    await check(nd.astype(withNaN, "float32"), [{ op: "nanmean", chunks: [10, 10], axis: 0 }]);
  });
});
