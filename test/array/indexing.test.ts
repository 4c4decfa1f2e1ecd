// x.get(...): every index form against NumPy (values, dtype, shape) and Dask (chunks), on
// several dtypes and chunkings; the wrong results as regressions; refusals by name.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { InvalidOptionError } from "../../src/core/errors.js";
import { assertSameArray, evaluatePython } from "./python-eval.js";

const rowMask = [true, false, true, true, false, false, false, false, false, true];

function dataOf(dtype: nd.DType, shape: number[], seed: number): nd.NDArray {
  const uniform = nd.random(shape, { seed });
  if (dtype === "bool") return nd.greater(uniform, 0.5);
  if (dtype === "float64" || dtype === "float32") return nd.astype(nd.subtract(nd.multiply(uniform, 200), 100), dtype);
  return nd.astype(nd.multiply(uniform, 100), dtype);
}

const data2d = {
  float64: dataOf("float64", [10, 12], 1),
  int16: dataOf("int16", [10, 12], 2),
  uint8: dataOf("uint8", [10, 12], 3),
  bool: dataOf("bool", [10, 12], 4),
};
const fullMask = nd.greater(nd.random([10, 12], { seed: 9 }), 0.6);

const chunkings: Array<[string, ta.ChunkSpec, string]> = [
  ["regular", [4, 5], "(4, 5)"],
  ["irregular", [[3, 1, 6], [5, 2, 5]], "((3, 1, 6), (5, 2, 5))"],
  ["single chunk", [-1, -1], "(-1, -1)"],
];

// [label, tessera index, Python index, compare Dask's chunks]
const cases: Array<[string, ta.IndexItem[], string, boolean]> = [
  ["integer list (the issue's call)", [[1, 3, 5]], "[1, 3, 5]", true],
  ["unsorted list with repeats", [[5, 1, 1, 9, 8]], "[5, 1, 1, 9, 8]", true],
  ["list on the second axis, negative entries", [":", [11, 0, 3, -1]], ":, [11, 0, 3, -1]", true],
  ["1-D boolean mask (the issue's call)", [rowMask], "np.array(ROWMASK)", true],
  ["mask with the array's shape", [fullMask], "FULLMASK", false],
  ["newaxis and ellipsis", [null, "...", null], "None, ..., None", true],
  ["negative step with a list", [{ step: -2 }, [3, 1]], "::-2, [3, 1]", false],
  ["integer next to a list", [2, [4, 0, 4]], "2, [4, 0, 4]", false],
  ["empty list", [[], ":"], "np.array([], dtype=int), :", true],
  ["ellipsis then integer", ["...", 0], "..., 0", true],
  ["empty slice", [{ start: 7, stop: 2 }], "7:2", true],
  ["negative step over chunk edges", [{ start: -2, stop: 1, step: -3 }, { step: 5 }], "-2:1:-3, ::5", false],
  ["slice and newaxis in the middle", [{ start: 1, stop: 9 }, null, { start: -4 }], "1:9, None, -4:", true],
];

describe("x.get: NumPy indexing of lazy arrays", () => {
  for (const [chunkLabel, chunks, daskChunks] of chunkings) {
    it(`matches NumPy (values, dtype, shape) and Dask (chunks) with ${chunkLabel} chunks, on float64, int16, uint8 and bool`, async () => {
      const expressions: Record<string, string> = {};
      const computed: Record<string, { array: ta.Array; result: nd.NDArray }> = {};
      for (const [dtype, data] of Object.entries(data2d)) {
        const x = ta.fromArray(data, { chunks });
        for (const [i, [, index, python, withChunks]] of cases.entries()) {
          const label = `${dtype}_${i}`;
          const pythonIndex = python.replace("ROWMASK", JSON.stringify(rowMask).replaceAll("true", "True").replaceAll("false", "False"));
          expressions[label] = withChunks ? `da.from_array(${dtype}, chunks=${daskChunks})[${pythonIndex}]` : `${dtype}[${pythonIndex}]`;
          const array = x.get(...index);
          computed[label] = { array, result: await array.compute() };
        }
      }
      const reference = evaluatePython({ ...data2d, FULLMASK: fullMask }, expressions);
      for (const [label, { array, result }] of Object.entries(computed)) {
        const expected = reference[label];
        const name = `${label} (${cases[Number(label.split("_")[1])][0]})`;
        assert.equal(expected.error, undefined, `${name}: Python raised ${expected.error}`);
        assertSameArray(result, expected.array as nd.NDArray, name);
        assert.deepEqual([...array.shape], [...(expected.array as nd.NDArray).shape], `${name}: lazy shape`);
        if (expected.chunks) assert.deepEqual(array.chunks, expected.chunks, `${name}: chunks equal Dask's`);
      }
    });
  }

  it("puts the selected axis first when the integer and the list are not adjacent, an ellipsis for no axis between them too (NumPy's rule; Dask differs)", async () => {
    const cube = nd.reshape(nd.arange(0, 60, 1, "int32"), [3, 4, 5]);
    const x = ta.fromArray(cube, { chunks: [2, 3, 2] });
    const leadingMask = nd.greater(nd.random([3, 4], { seed: 3 }), 0.4);
    const cases3d: Array<[ta.IndexItem[], string]> = [
      [[0, ":", [1, 2]], "0, :, [1, 2]"],
      [[":", 0, [1, 2]], ":, 0, [1, 2]"],
      [[[2, 0], null, 1], "[2, 0], None, 1"],
      [[leadingMask], "MASK"],
      [[1, [true, false, true, true], ":"], "1, [True, False, True, True], :"],
      [["...", [4, 4, 0]], "..., [4, 4, 0]"],
      [[":", [1, 2], "...", 0], ":, [1, 2], ..., 0"],
      [[[true, false, true], "...", 1, 2], "[True, False, True], ..., 1, 2"],
      [[":", "...", [1, 2], 0], ":, ..., [1, 2], 0"],
    ];
    const reference = evaluatePython({ cube, MASK: leadingMask }, Object.fromEntries(cases3d.map(([, python], i) => [`c${i}`, `cube[${python}]`])));
    for (const [i, [index, python]] of cases3d.entries()) {
      assertSameArray(await x.get(...index).compute(), reference[`c${i}`].array as nd.NDArray, `cube[${python}]`);
    }
  });

  it("takes an integer NDArray or a bool NDArray as NumPy does, and a 0-d integer array as an integer", async () => {
    const x = ta.fromArray(data2d.float64, { chunks: [3, 5] });
    assertSameArray(await x.get(nd.array([7, 2], { dtype: "int64" })).compute(), nd.take(data2d.float64, [7, 2], { axis: 0 }), "int64 index array");
    assertSameArray(await x.get(":", nd.array([4], { dtype: "uint8" })).compute(), nd.take(data2d.float64, [4], { axis: 1 }), "uint8 index array");
    assert.deepEqual(x.get(nd.array(3, { dtype: "int32" })).shape, [12]);
  });

  it("x.get([1, 3, 5]) returns rows 1, 3 and 5, not the whole array (issue 9 item 11)", async () => {
    const x = ta.fromArray(data2d.float64, { chunks: [4, 5] });
    const rows = await x.get([1, 3, 5]).compute();
    assert.deepEqual(rows.shape, [3, 12]);
    assert.equal(rows.item(2, 0), data2d.float64.item(5, 0));
    const masked = await x.get(rowMask).compute();
    assert.deepEqual(masked.shape, [4, 12]);
    assert.equal(masked.item(3, 7), data2d.float64.item(9, 7));
  });

  it("refuses every other index form by name", () => {
    const x = ta.fromArray(data2d.float64, { chunks: [4, 5] });
    const lazyMask = ta.fromArray(fullMask, { chunks: 5 });
    const refused: Array<[unknown[], RegExp]> = [
      [[1.5], /1\.5 is not an integer/],
      [[true], /boolean scalar \(true\)/],
      [["a"], /"a" is not an index/],
      [[{ begin: 2 }], /unknown keys: begin/],
      [[new Map()], /a Map is not an index/],
      [[[1, 2], [3]], /2 integer lists or masks at once/],
      [[[[1], [2]]], /nested lists/],
      [[[1, true]], /mixes types/],
      [[[0.5, 1]], /holds 0\.5/],
      [[[NaN, 1]], /index 0: the list \[NaN, 1\] holds NaN/],
      [[nd.array([1.0, 2.0])], /integer or boolean type, got float64/],
      [[nd.zeros([2, 2], "int32")], /shape \[2, 2\] is not supported/],
      // A lazy boolean mask is taken (test/array/lazy-mask.test.ts); lazy integer indices are not.
      [[lazyMask.astype("int32")], /a lazy index must be a boolean mask \(dtype bool\), got dtype int32; integer lazy indices are not supported: compute them first/],
      [[10], /index 10 is out of bounds for axis 0 with size 10/],
      [[":", -13], /index -13 is out of bounds for axis 1 with size 12/],
      [[[0, 10]], /index 10 is out of bounds for axis 0/],
      [[[true, false]], /boolean index did not match the indexed array along axis 0: the axis has 10 elements but the mask 2/],
      [["...", "..."], /single ellipsis/],
      [[0, 0, 0], /too many indices/],
      [[{ step: 0 }], /step for axis 0 must not be 0/],
      [[{ start: 1.5 }], /start 1\.5 for axis 0 must be an integer/],
    ];
    for (const [index, pattern] of refused) {
      assert.throws(() => x.get(...(index as ta.IndexItem[])), (error: Error) => error instanceof InvalidOptionError && pattern.test(error.message), `get(${String(index)})`);
    }
  });
});

const line = nd.astype(nd.arange(0, 40, 1, "float64"), "int32");
const irregular = [3, 1, 4, 0, 2, 2, 2, 9, 1, 1, 5, 10];

// Strided selections (views.ts stridedSliceNode): chunks as Dask's _slice_1d gives them, and
// empty selections on a strided axis, which used to read a region before the view's start.
describe("strided slices of lazy arrays", () => {
  it("give each output chunk what one input block holds, as Dask does (irregular chunks, both step signs)", async () => {
    const cases: Array<[number | number[], ta.IndexItem, string]> = [
      [irregular, { start: 37, stop: 2, step: -3 }, "37:2:-3"],
      [[1, 2, 4, 3, 1, 1, 28], { stop: 1e15, step: 3 }, ":1000000000000000:3"],
      [10, { start: 1, step: 3 }, "1::3"],
      [10, { step: -4 }, "::-4"],
      [3, { step: -7 }, "::-7"],
    ];
    const expressions = Object.fromEntries(cases.map(([chunks, , python], i) => {
      const x = ta.fromArray(line, { chunks: [chunks] });
      return [`s${i}`, `da.from_array(line, chunks=(${JSON.stringify(x.chunks[0]).replace("[", "(").replace("]", ",)")},))[${python}]`];
    }));
    const reference = evaluatePython({ line }, expressions);
    for (const [i, [chunks, index, python]] of cases.entries()) {
      const y = ta.fromArray(line, { chunks: [chunks] }).get(index);
      assert.deepEqual(y.chunks, reference[`s${i}`].chunks, `[${python}] chunks`);
      assertSameArray(await y.compute(), reference[`s${i}`].array as nd.NDArray, `[${python}]`);
    }
  });

  it("select nothing without error when a strided axis's selection is empty, next to other axes", async () => {
    const grid = nd.reshape(nd.arange(0, 20, 1, "float64"), [4, 5]);
    const x = ta.fromArray(grid, { chunks: [2, 2] });
    for (const [index, shape] of [
      [[{ start: 1, stop: 1, step: -1 }, { step: 2 }], [0, 3]],
      [[{ stop: 0, step: 2 }], [0, 5]],
      [[":", { start: 4, stop: 0, step: 3 }], [4, 0]],
    ] as Array<[ta.IndexItem[], number[]]>) {
      const y = x.get(...index);
      assert.deepEqual(y.shape, shape);
      assert.deepEqual((await y.compute()).shape, shape);
    }
    const empty = ta.fromArray(nd.zeros([0, 5], "float64"), { chunks: [1, 2] }).get({ step: -1 }, { start: 1, step: 2 });
    assert.deepEqual((await empty.compute()).shape, [0, 2]);
  });
});
