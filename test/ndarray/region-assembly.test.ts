import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";
import type { DType } from "../../src/ndarray/dtype.js";
import { type AxisBoundary, assembleRegion } from "../../src/ndarray/region-assembly.js";

// Dask's boundaries are np.pad modes under other names; a box reaching past every edge of the
// array must equal the padded array, whatever blocks it is assembled from.
const padModeOf = { nearest: "edge", reflect: "symmetric", periodic: "wrap", constant: "constant" } as const;

/** The [5, 6] array cut into blocks of [3, 4] (views, so offsets and strides vary). */
function blocksOf(base: nd.NDArray): { blocks: nd.NDArray[]; origins: number[][] } {
  const blocks: nd.NDArray[] = [];
  const origins: number[][] = [];
  for (const row of [0, 3]) {
    for (const column of [0, 4]) {
      blocks.push(nd.slice(base, { start: row, stop: row + 3 }, { start: column, stop: column + 4 }));
      origins.push([row, column]);
    }
  }
  return { blocks, origins };
}

describe("assembleRegion", () => {
  const dtypes: DType[] = ["float64", "float32", "int32", "uint8", "int64", "uint64"];
  for (const dtype of dtypes) {
    it(`fills a box past every edge as np.pad does, every boundary, ${dtype}`, () => {
      const base = nd.reshape(nd.arange(30, dtype), [5, 6]);
      for (const kind of ["nearest", "reflect", "periodic", "constant"] as const) {
        const boundary: AxisBoundary = { kind, value: 7 };
        const box = assembleRegion({
          ...blocksOf(base), start: [-2, -3], stop: [7, 9], shape: [5, 6], boundary: [boundary, boundary], dtype,
        });
        const expected = nd.pad(base, [[2, 2], [3, 3]], { mode: padModeOf[kind], constantValue: 7 });
        assert.equal(box.dtype, dtype);
        assert.deepEqual(box.toArray(), expected.toArray(), kind);
      }
    });
  }

  it("casts blocks to the requested dtype", () => {
    const base = nd.reshape(nd.arange(30, "int16"), [5, 6]);
    const box = assembleRegion({
      ...blocksOf(base), start: [1, 2], stop: [5, 6], shape: [5, 6], boundary: [{ kind: "none" }, { kind: "none" }], dtype: "float32",
    });
    assert.deepEqual(box.toArray(), nd.astype(nd.slice(base, { start: 1, stop: 5 }, { start: 2, stop: 6 }), "float32").toArray());
  });

  it("pads a box whose only padding is one constant cell before the start (index -1, the constant's own marker)", () => {
    const base = nd.fromTypedArray(Float64Array.from([10, 20, 30, 40, 50]), [5]);
    const blocks = [nd.slice(base, { start: 0, stop: 2 }), nd.slice(base, { start: 2, stop: 5 })];
    const box = assembleRegion({ blocks, origins: [[0], [2]], start: [-1], stop: [3], shape: [5], boundary: [{ kind: "constant", value: -4 }], dtype: "float64" });
    assert.deepEqual(box.toArray(), [-4, 10, 20, 30]);
  });

  it("pads each axis with its own constant, the last axis's where they meet (Dask pads the axes in order)", () => {
    const base = nd.reshape(nd.arange(30, "float64"), [5, 6]);
    const boundary: AxisBoundary[] = [{ kind: "constant", value: 100 }, { kind: "constant", value: 5 }];
    const box = assembleRegion({ ...blocksOf(base), start: [-1, -1], stop: [6, 7], shape: [5, 6], boundary, dtype: "float64" });
    const expected = nd.pad(nd.pad(base, [[1, 1], [0, 0]], { mode: "constant", constantValue: 100 }), [[0, 0], [1, 1]], { mode: "constant", constantValue: 5 });
    assert.deepEqual(box.toArray(), expected.toArray());
  });
});
