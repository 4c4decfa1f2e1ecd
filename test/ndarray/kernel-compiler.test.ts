/**
 * The compiled elementwise loops over operands that run against the output's order: a
 * transposed block (x + x.T in every chunked x + x.T) or a strided output, which the loops
 * walk in tiles (kernel-compiler.ts). The values must be NumPy's, bit for bit, whatever the
 * shape's remainder against the tile and the strides' signs.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as nd from "../../src/ndarray/index.js";
import { runElementwise } from "../../src/ndarray/kernel-compiler.js";

/** A view of `a` as NumPy writes it: transpose by axes, then a step (negative: reversed) per axis. */
interface View { axes: number[]; steps: number[] }

interface Case { op: "add" | "subtract" | "multiply"; dtype: "float64" | "float32" | "int32" | "int64"; aShape: number[]; bShape: number[]; aView: View; bView: View }

const numpyScript = String.raw`
import json, sys
import numpy as np
out = []
for case in json.loads(sys.stdin.read()):
    def view(values, shape, v):
        x = np.array(values, dtype=case["dtype"]).reshape(shape).transpose(v["axes"])
        return x[tuple(slice(None, None, s) for s in v["steps"])]
    a = view(case["a"], case["aShape"], case["aView"])
    b = view(case["b"], case["bShape"], case["bView"])
    out.append([str(v) if case["dtype"] == "int64" else float(v) for v in getattr(np, case["op"])(a, b).ravel()])
print(json.dumps(out))
`;

function operand(shape: number[], dtype: Case["dtype"], seed: number): nd.NDArray {
  const values = nd.random(shape, { seed });
  if (dtype === "float64" || dtype === "float32") return nd.astype(nd.multiply(values, 1000), dtype);
  return nd.astype(nd.subtract(nd.multiply(values, 2 ** 31), 2 ** 30), dtype);
}

function viewOf(a: nd.NDArray, v: View): nd.NDArray {
  return nd.slice(nd.transpose(a, v.axes), ...v.steps.map((step) => ({ step })));
}

const plain = (rank: number): View => ({ axes: Array.from({ length: rank }, (_, i) => i), steps: Array.from({ length: rank }, () => 1) });
const transposed: View = { axes: [1, 0], steps: [1, 1] };

const cases: Case[] = [
  // Whole tiles, remainders on both axes, fewer rows than a tile, a long thin block.
  { op: "add", dtype: "float64", aShape: [96, 64], bShape: [64, 96], aView: plain(2), bView: transposed },
  { op: "add", dtype: "float64", aShape: [67, 45], bShape: [45, 67], aView: plain(2), bView: transposed },
  { op: "subtract", dtype: "float64", aShape: [20, 300], bShape: [300, 20], aView: plain(2), bView: transposed },
  { op: "subtract", dtype: "float64", aShape: [300, 33], bShape: [33, 300], aView: transposed, bView: plain(2) },
  // Both transposed, reversed and strided views, float32, 32- and 64-bit integers.
  { op: "multiply", dtype: "float32", aShape: [70, 90], bShape: [90, 70], aView: { axes: [1, 0], steps: [-1, 1] }, bView: { axes: [0, 1], steps: [1, -1] } },
  { op: "add", dtype: "int32", aShape: [100, 81], bShape: [100, 162], aView: transposed, bView: { axes: [1, 0], steps: [2, 1] } },
  { op: "add", dtype: "int64", aShape: [40, 50], bShape: [50, 40], aView: plain(2), bView: { axes: [1, 0], steps: [-1, -1] } },
  // A broadcast row beside a transposed operand, and alone (outer stride 0: row by row).
  { op: "add", dtype: "float64", aShape: [90, 70], bShape: [90], aView: transposed, bView: plain(1) },
  { op: "subtract", dtype: "float64", aShape: [70, 90], bShape: [90], aView: plain(2), bView: plain(1) },
  // A 3-d transpose: after merging axes two remain, the last strided.
  { op: "add", dtype: "float64", aShape: [6, 40, 50], bShape: [50, 6, 40], aView: plain(3), bView: { axes: [1, 2, 0], steps: [1, 1, 1] } },
];

describe("compiled elementwise loops over transposed and strided operands", () => {
  it("give NumPy's values bit for bit, tile remainders, reversed steps and integer dtypes included", () => {
    const inputs = cases.map((c, i) => ({ c, a: operand(c.aShape, c.dtype, 2 * i + 1), b: operand(c.bShape, c.dtype, 2 * i + 2) }));
    const values = (x: nd.NDArray) => Array.from(x.toTypedArray() as ArrayLike<number | bigint>, (v) => (typeof v === "bigint" ? String(v) : v));
    const request = inputs.map(({ c, a, b }) => ({ ...c, a: values(a), b: values(b) }));
    const expected = JSON.parse(execFileSync("/usr/bin/python3", ["-B", "-c", numpyScript], { input: JSON.stringify(request), maxBuffer: 1 << 26 }).toString()) as Array<Array<number | string>>;
    inputs.forEach(({ c, a, b }, i) => {
      const result = nd[c.op](viewOf(a, c.aView), viewOf(b, c.bView));
      const got = Array.from(result.toTypedArray() as ArrayLike<number | bigint>, (v) => (typeof v === "bigint" ? String(v) : v));
      assert.equal(got.length, expected[i].length, `case ${i}: ${c.op} ${c.dtype}`);
      assert.deepEqual(got, expected[i], `case ${i}: ${c.op} ${c.dtype} [${c.aShape}] ${JSON.stringify(c.aView)} with [${c.bShape}] ${JSON.stringify(c.bView)}`);
    });
  });

  it("write a transposed (strided) output in place, leaving the elements outside the view alone", () => {
    const a = nd.random([70, 45], { seed: 3 });
    const b = nd.random([70, 45], { seed: 4 });
    // The output: a 45 × 70 block whose transpose is written, inside a larger buffer with guards around it.
    const storage = nd.full([45 * 70 + 16], -1);
    const out = { data: storage.data, offset: 8, strides: [1, 70] };
    runElementwise({ key: "test-add-transposed-out(float64)", arity: 2, expression: "x0 + x1" }, [70, 45], out, [
      { data: a.data, offset: 0, strides: [45, 1] },
      { data: b.data, offset: 0, strides: [45, 1] },
    ]);
    const sums = nd.add(a, b).toTypedArray() as Float64Array;
    const written = storage.data as Float64Array;
    for (let r = 0; r < 70; r++) {
      for (let k = 0; k < 45; k++) assert.equal(written[8 + r + k * 70], sums[r * 45 + k], `element [${r}, ${k}]`);
    }
    assert.deepEqual([...written.subarray(0, 8), ...written.subarray(8 + 45 * 70)], Array(16).fill(-1));
  });

  it("keep the row order when the output shares its buffer with an input (a block set from its own transpose)", () => {
    const a = nd.random([70, 70], { seed: 5 });
    // Row by row, element [r, k] (stored at [r, k + 1]) reads [k, r] after rows above r were written.
    const expected = Float64Array.from(a.data as Float64Array);
    for (let r = 0; r < 64; r++) for (let k = 0; k < 64; k++) expected[r * 70 + k + 1] = expected[k * 70 + r];
    nd.setRegion(a, [0, 1], nd.slice(nd.transpose(a), { stop: 64 }, { stop: 64 }));
    assert.deepEqual(a.data, expected);
  });

  it("give the same values in the unrolled loops' remainders (contiguous lengths 1 to 9, tiles with 1 to 3 left over)", () => {
    for (let length = 1; length <= 9; length++) {
      const a = nd.random([length], { seed: length });
      const sum = nd.add(a, a).toTypedArray() as Float64Array;
      assert.deepEqual([...sum], [...(a.data as Float64Array)].map((v) => v + v), `length ${length}`);
    }
    for (const columns of [33, 34, 35, 36]) {
      const a = nd.random([40, columns], { seed: columns });
      const b = nd.random([columns, 40], { seed: columns + 1 });
      const sum = nd.add(a, nd.transpose(b)).toTypedArray() as Float64Array;
      const av = a.data as Float64Array;
      const bv = b.data as Float64Array;
      for (let r = 0; r < 40; r++) for (let k = 0; k < columns; k++) assert.equal(sum[r * columns + k], av[r * columns + k] + bv[k * 40 + r], `[${r}, ${k}] of 40 × ${columns}`);
    }
  });
});
