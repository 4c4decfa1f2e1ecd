// linspace, and arange / linspace computed piece by piece (what chunked ranges do), against
// NumPy 1.24 bit for bit.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";
import { assertSameArray, evaluatePython } from "../array/python-eval.js";

const linspaces: Array<[number, number, number, boolean, nd.DType]> = [
  [0, 1, 7, true, "float64"], [-3.3, 7.1, 50, false, "float64"], [2, 2, 5, true, "float64"], [0, 1e-320, 10, true, "float64"],
  [5, -5, 1, true, "float64"], [5, -5, 0, true, "float64"], [1, 2, 1, false, "float64"], [-3, 7, 5, true, "uint8"],
  [0, 1, 7, true, "int32"], [-10.5, 10.5, 21, true, "int64"], [0.1, 0.7, 9, true, "float32"], [-1, 1, 4, false, "int16"],
];
const aranges: Array<[number, number, number, nd.DType]> = [
  [0, 1, 0.1, "float64"], [-2.5, 3.1, 0.37, "float32"], [0, 100000, 7, "int16"], [250, 300, 3, "uint8"], [10, -10, -3, "int64"],
  [0.5, 9.5, 1, "int32"], [1, 50, 1.9, "float32"],
];

/** Pieces of lengths 3, 1, 4, … covering n values. */
function pieces(n: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let offset = 0, i = 0; offset < n; i++) {
    const count = Math.min([3, 1, 4][i % 3], n - offset);
    out.push([offset, count]);
    offset += count;
  }
  return out;
}

describe("ranges", () => {
  it("linspace equals np.linspace, whole and piece by piece", () => {
    const reference = evaluatePython({}, Object.fromEntries(linspaces.map(([start, stop, num, endpoint, dtype], i) =>
      [`l${i}`, `np.linspace(${start}, ${stop}, ${num}, endpoint=${endpoint ? "True" : "False"}, dtype='${dtype}')`])));
    linspaces.forEach(([start, stop, num, endpoint, dtype], i) => {
      const label = `linspace(${start}, ${stop}, ${num}, endpoint ${endpoint}, ${dtype})`;
      const expected = reference[`l${i}`].array as nd.NDArray;
      assertSameArray(nd.linspace(start, stop, num, { endpoint, dtype }), expected, label);
      if (num === 0) return;
      const joined = nd.concatenate(pieces(num).map(([offset, count]) => nd.linspaceBlock({ start, stop, num, endpoint, offset, count, dtype })));
      assertSameArray(joined, expected, `${label} in pieces`);
    });
  });

  it("arange pieces join to np.arange (float rounding and integer wrapping included)", () => {
    const reference = evaluatePython({}, Object.fromEntries(aranges.map(([start, stop, step, dtype], i) => [`a${i}`, `np.arange(${start}, ${stop}, ${step}, dtype='${dtype}')`])));
    aranges.forEach(([start, stop, step, dtype], i) => {
      const expected = reference[`a${i}`].array as nd.NDArray;
      assertSameArray(nd.arange(start, stop, step, dtype), expected, `arange(${start}, ${stop}, ${step}, ${dtype})`);
      const joined = nd.concatenate(pieces(expected.size).map(([offset, count]) => nd.arangeBlock({ start, step, offset, count, dtype })));
      assertSameArray(joined, expected, `arange(${start}, ${stop}, ${step}, ${dtype}) in pieces`);
    });
  });

  it("refuses impossible sizes and bad arguments by name", () => {
    assert.throws(() => nd.linspace(0, 1, -1), /number of samples -1 must be a non-negative integer/);
    assert.throws(() => nd.linspace(0, 1, 2 ** 40), /linspace: shape \[1099511627776\]/);
    assert.throws(() => nd.arangeBlock({ start: 0, step: 1, offset: -1, count: 2, dtype: "int8" }), /offset -1 and count 2/);
  });
});
