/**
 * reduceElementwisePartial (tree-reduction.ts): the first level of a reduction of a binary
 * operation, with the operation's result in a reused scratch buffer. It must give exactly
 * what reducing the operation's own result gives, and, for sums, exactly NumPy's
 * np.sum(a ⊕ b, axis, keepdims=True), for transposed operands (a strided view, as in
 * x + x.T), every dtype class and blocks of changing sizes (a stale or short scratch would
 * show as wrong values).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as nd from "../../src/ndarray/index.js";
import { type TreeOptions, reduceElementwisePartial, reducePartial } from "../../src/ndarray/tree-reduction.js";
import { isMomentPartial } from "../../src/ndarray/moment-partials.js";
import { isMeanPartial } from "../../src/ndarray/mean-partials.js";
import { binaryOperations } from "../../src/ndarray/arithmetic.js";
import { applyElementwise } from "../../src/ndarray/elementwise.js";

const operations = { "ndarray.add": nd.add, "ndarray.subtract": nd.subtract, "ndarray.multiply": nd.multiply, "ndarray.divide": nd.divide, "ndarray.maximum": nd.maximum } as const;
type OperationName = keyof typeof operations;

interface Case { operation: OperationName; dtype: "float64" | "float32" | "int32"; shape: number[]; transposeB: boolean; axes: number[] }

function operandsOf(c: Case, seed: number): [nd.NDArray, nd.NDArray] {
  const scaled = (s: number) => {
    const values = nd.random(c.shape, { seed: [seed, s] });
    return c.dtype === "int32" ? nd.astype(nd.subtract(nd.multiply(values, 2000), 1000), "int32") : nd.astype(values, c.dtype);
  };
  // Cases with a transposed b are square: b.T has the shape of a.
  return [scaled(1), scaled(2)];
}

/** Every element of a partial (NDArray, a mean's count and total, or the (n, total, M) of moments), as numbers. */
function partialValues(partial: unknown): number[] {
  if (partial instanceof nd.NDArray) return Array.from(nd.copy(partial).toTypedArray() as ArrayLike<number | bigint>, Number);
  if (isMomentPartial(partial)) return [...partialValues(partial.n), ...partialValues(partial.total), ...partialValues(partial.m)];
  if (isMeanPartial(partial)) return [...partialValues(partial.n), ...partialValues(partial.total)];
  throw new Error(`unexpected partial ${String(partial)}`);
}

const numpySums = String.raw`
import json, sys
import numpy as np
ops = {"ndarray.add": np.add, "ndarray.subtract": np.subtract, "ndarray.multiply": np.multiply, "ndarray.divide": np.divide, "ndarray.maximum": np.maximum}
out = []
for case in json.loads(sys.stdin.read()):
    a = np.array(case["a"], dtype=case["dtype"]).reshape(case["shape"])
    b = np.array(case["b"], dtype=case["dtype"]).reshape(case["bShape"])
    if case["transposeB"]:
        b = b.T
    result = np.sum(ops[case["operation"]](a, b), axis=tuple(case["axes"]), keepdims=True)
    out.append([float(v) for v in result.ravel()])
print(json.dumps(out))
`;

const cases: Case[] = [
  { operation: "ndarray.add", dtype: "float64", shape: [120, 120], transposeB: true, axes: [0, 1] },
  { operation: "ndarray.add", dtype: "float64", shape: [37, 45], transposeB: false, axes: [0] },
  { operation: "ndarray.subtract", dtype: "float64", shape: [64, 300], transposeB: false, axes: [1] },
  { operation: "ndarray.multiply", dtype: "float32", shape: [50, 50], transposeB: true, axes: [0, 1] },
  { operation: "ndarray.divide", dtype: "float64", shape: [3, 4, 5], transposeB: false, axes: [0, 2] },
  { operation: "ndarray.add", dtype: "int32", shape: [33, 17], transposeB: false, axes: [0, 1] },
  { operation: "ndarray.maximum", dtype: "float32", shape: [9, 200], transposeB: false, axes: [1] },
];

describe("reduceElementwisePartial", () => {
  it("equals reducing the operation's own result, bit for bit, for sums, extrema, moments and arg reductions, with blocks of changing sizes", () => {
    const ops: TreeOptions["op"][] = ["sum", "max", "mean", "var"];
    // Large, small, large again: the scratch buffer is reused and outgrown between calls.
    for (const c of [...cases, ...cases.slice().reverse()]) {
      const [a, b] = operandsOf(c, 7);
      const bOperand = c.transposeB ? nd.transpose(b) : b;
      for (const op of ops) {
        const options: TreeOptions = { op, axes: c.axes };
        const fused = reduceElementwisePartial(c.operation, [a, bOperand], options);
        const plain = reducePartial(operations[c.operation](a, bOperand), options);
        assert.deepEqual(partialValues(fused), partialValues(plain), `${op} of ${c.operation}(${c.dtype} [${c.shape}]${c.transposeB ? ", b.T" : ""}) over ${JSON.stringify(c.axes)}`);
      }
    }
    const [a, b] = operandsOf(cases[0], 3);
    const origin = { start: [0, 0], shape: [...a.shape] };
    const arg = reduceElementwisePartial("ndarray.add", [a, b], { op: "argmax", axes: [0, 1] }, origin);
    assert.deepEqual(arg, reducePartial(nd.add(a, b), { op: "argmax", axes: [0, 1] }, origin));
  });

  it("sums exactly as NumPy sums a ⊕ b (pairwise, bit for bit), scalars included", () => {
    const inputs = cases.map((c) => {
      const [a, b] = operandsOf(c, 11);
      return { c, a, b, values: (x: nd.NDArray) => Array.from(x.toTypedArray() as ArrayLike<number>) };
    });
    const request = inputs.map(({ c, a, b, values }) => ({ ...c, a: values(a), b: values(b), bShape: c.shape }));
    const expected = JSON.parse(execFileSync("/usr/bin/python3", ["-B", "-c", numpySums], { input: JSON.stringify(request), maxBuffer: 1 << 26 }).toString()) as number[][];
    inputs.forEach(({ c, a, b }, i) => {
      const fused = reduceElementwisePartial(c.operation, [a, c.transposeB ? nd.transpose(b) : b], { op: "sum", axes: c.axes });
      assert.deepEqual(partialValues(fused), expected[i], `sum of ${c.operation}(${c.dtype} [${c.shape}]${c.transposeB ? ", b.T" : ""}) over ${JSON.stringify(c.axes)}`);
    });
    const [a] = operandsOf(cases[1], 5);
    assert.deepEqual(partialValues(reduceElementwisePartial("ndarray.multiply", [a, 2.5], { op: "sum", axes: [0] })), partialValues(nd.sum(nd.multiply(a, 2.5), { axis: [0], keepdims: true })));
  });

  it("writes an operation's result into a given array (the scratch path), and refuses one of the wrong shape, dtype or layout", () => {
    const a = nd.random([6, 7], { seed: 1 });
    const b = nd.random([7, 6], { seed: 2 });
    const into = nd.zeros([6, 7]);
    assert.equal(applyElementwise(binaryOperations["ndarray.add"], [a, nd.transpose(b)], into), into);
    assert.deepEqual(into.toTypedArray(), nd.add(a, nd.transpose(b)).toTypedArray());
    const add = binaryOperations["ndarray.add"];
    assert.throws(() => applyElementwise(add, [a, a], nd.zeros([7, 6])), { name: "InvalidOptionError", message: /add: the output must be a C-contiguous float64 array of shape \[6, 7\], got float64 \[7, 6\]/ });
    assert.throws(() => applyElementwise(add, [a, a], nd.zeros([6, 7], "float32")), { message: /got float32 \[6, 7\]/ });
    assert.throws(() => applyElementwise(add, [a, a], nd.transpose(nd.zeros([7, 6]))), { message: /C-contiguous/ });
  });

  it("refuses an operation it does not run and a wrong number of operands, naming them", () => {
    const a = nd.ones([2, 2]);
    assert.throws(() => reduceElementwisePartial("ndarray.power", [a, a], { op: "sum", axes: [0] }), { name: "InvalidOptionError", message: /operation "ndarray.power" is not one of ndarray.add/ });
    assert.throws(() => reduceElementwisePartial("ndarray.add", [a], { op: "sum", axes: [0] }), { name: "InvalidOptionError", message: /add takes 2 operands, got 1/ });
  });
});
