// The chunked var, std, nanvar and nanstd equal Dask's bit for bit: same chunks, same
// split_every, same (n, total, M) partials combined in float64 and aggregated in the result
// dtype in the same grid order (dask/array/reductions.py: moment_chunk / moment_combine /
// moment_agg).
import { after, before, describe, it } from "node:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import type { ChunkSpec } from "../../src/array/index.js";
import { type DaskReductionCase, assertEqualsDask, daskReductions } from "./dask-reduction.js";

type MomentCase = DaskReductionCase & { op: "var" | "std" | "nanvar" | "nanstd" };

describe("chunked var, std, nanvar and nanstd equal Dask's bit for bit", () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), "tessera-var-dask-")); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const dask = (data: nd.NDArray, cases: MomentCase[]) => daskReductions(dir, data, cases);

  function tessera(x: ta.Array, c: MomentCase): ta.Array {
    const options = { axis: c.axis, keepdims: c.keepdims, splitEvery: c.splitEvery, ddof: c.ddof, ...(c.dtype ? { dtype: c.dtype } : {}) };
    if (c.op === "var") return x.var(options);
    if (c.op === "std") return x.std(options);
    return c.op === "nanvar" ? ta.nanvar(x, options) : ta.nanstd(x, options);
  }

  async function check(data: nd.NDArray, cases: MomentCase[]): Promise<void> {
    const expected = dask(data, cases);
    for (const [i, c] of cases.entries()) {
      const got = await tessera(ta.fromArray(data, { chunks: c.chunks }), c).compute();
      const what = `${data.dtype} ${JSON.stringify(c)}`;
      assertEqualsDask(got, expected[i], what);
    }
  }

  // Mixed signs and magnitudes (1 to 1e6) around a large offset: the rounding depends on the
  // order and dtype of every sum, so any other grouping than Dask's shows in the last bits.
  const base = nd.add(nd.multiply(nd.subtract(nd.random([150, 97], { seed: 3 }), 0.5), nd.power(10, nd.multiply(nd.random([150, 97], { seed: 4 }), 6))), 1e5);
  const irregular: ChunkSpec = [[7, 40, 3, 50, 25, 25], [30, 30, 30, 7]];

  it("float64: regular and irregular chunks, many blocks per axis, a single chunk, axes, keepdims, ddof, splitEvery", async () => {
    await check(base, [
      { op: "var", chunks: [5, 4] },
      { op: "std", chunks: [5, 4], splitEvery: 4 },
      { op: "var", chunks: [3, 7], axis: 0, ddof: 1 },
      { op: "std", chunks: [3, 7], axis: 1, keepdims: true, splitEvery: 3, ddof: 1 },
      { op: "var", chunks: irregular },
      { op: "std", chunks: irregular, axis: [1], splitEvery: { 1: 2 } },
      { op: "var", chunks: [6, 5], splitEvery: { 0: 5, 1: 3 }, keepdims: true },
      { op: "var", chunks: [150, 97] },
      { op: "std", chunks: [150, 97], axis: 0, ddof: 2 },
      { op: "var", chunks: [2, 97], axis: 0, splitEvery: 7 },
      { op: "var", chunks: [10, 10], ddof: 1.5 },
    ]);
  });

  it("float32 sums its chunks in float32, combines in float64 and aggregates in float32, as Dask's", async () => {
    const f32 = nd.astype(base, "float32");
    await check(f32, [
      { op: "var", chunks: [5, 4] },
      { op: "std", chunks: irregular, axis: 0 },
      { op: "var", chunks: [10, 10], dtype: "float64", splitEvery: 4 },
      { op: "std", chunks: [150, 97], axis: 1, ddof: 1 },
      { op: "var", chunks: [3, 97], axis: 0, keepdims: true },
    ]);
    await check(base, [{ op: "var", chunks: [9, 8], dtype: "float32", axis: 1 }]);
  });

  it("integer inputs (int32, uint8, int64) give float64, or float32 when asked", async () => {
    const values = nd.multiply(nd.random([150, 97], { seed: 5 }), 250);
    for (const dtype of ["int32", "uint8", "int64"] as const) {
      await check(nd.astype(values, dtype), [
        { op: "var", chunks: [5, 4] },
        { op: "std", chunks: irregular, axis: 1, keepdims: true, ddof: 1 },
        { op: "var", chunks: [9, 9], dtype: "float32" },
      ]);
    }
  });

  it("over two of three axes of a volume with 8192+-element blocks (NumPy's buffered casting)", async () => {
    const volume = nd.astype(nd.add(nd.multiply(nd.random([40, 64, 72], { seed: 8 }), 3.3), 7), "float32");
    await check(volume, [
      { op: "var", chunks: [20, 64, 72], axis: [0, 2] },
      { op: "std", chunks: [4, 16, 24], axis: [0, 2], dtype: "float64" },
      { op: "var", chunks: [8, 32, 9], axis: null, splitEvery: 8 },
    ]);
  });

  it("nanvar and nanstd: NaN skipped per block, NaN for an all-NaN slice and where ddof exceeds the count", async () => {
    const withNaN = nd.copy(base);
    const values = withNaN.data as Float64Array;
    for (let i = 0; i < values.length; i += 7) values[i] = NaN;
    for (let row = 0; row < 150; row++) values[row * 97 + 13] = NaN;
    for (let column = 0; column < 96; column++) values[40 * 97 + column] = NaN;
    await check(withNaN, [
      { op: "nanvar", chunks: [5, 4] },
      { op: "nanstd", chunks: irregular, axis: 0 },
      { op: "nanvar", chunks: [7, 9], axis: 1, keepdims: true, splitEvery: 3, ddof: 1 },
      { op: "nanstd", chunks: [150, 97], axis: 1, ddof: 2 },
      { op: "nanvar", chunks: [1, 97], axis: 1, ddof: 200 },
    ]);
    await check(nd.astype(withNaN, "float32"), [{ op: "nanvar", chunks: [10, 10], axis: 0 }, { op: "nanstd", chunks: [10, 10] }]);
  });
});
