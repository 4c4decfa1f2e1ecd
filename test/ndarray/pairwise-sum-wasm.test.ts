/**
 * The WebAssembly pairwise sum (pairwise-sum-wasm.ts) behind the fused float64 sum of an
 * elementwise result (reduceElementwisePartial): the same bits as the JS reduction loop and as
 * NumPy's np.sum of the materialised a + b.T, for sizes around every boundary of NumPy's
 * algorithm (8, 128, 8192) and values whose sum depends on the order of the additions; and its
 * memory counted, capped and released with the thread's scratch buffer.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as nd from "../../src/ndarray/index.js";
import { reduceElementwisePartial, reducePartial } from "../../src/ndarray/tree-reduction.js";
import { releaseScratch, scratchHeldBytes, scratchKeepCap, setScratchKeepCap } from "../../src/ndarray/scratch-buffer.js";
import { stagedBlockCount, sumWasmScratch, wasmPairwiseAvailable, wasmScratch, wasmScratchBytes } from "../../src/ndarray/pairwise-sum-wasm.js";

/** Values of both signs over twenty decades: their float64 sum changes with the order of the additions. */
function wideValues(shape: number[], seed: number): nd.NDArray {
  const u = nd.random(shape, { seed: [seed, 1] }).toTypedArray() as Float64Array;
  const v = nd.random(shape, { seed: [seed, 2] }).toTypedArray() as Float64Array;
  return nd.fromTypedArray(u.map((x, i) => (v[i] < 0.5 ? -1 : 1) * x * 10 ** (20 * v[i] - 10)), shape);
}

function sequentialSum(values: Float64Array): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

/**
 * The JS reduction loop's sum of `values`: summed through a stride-2 view, which the staged
 * WebAssembly path (unit-stride runs only) never takes.
 */
function jsPairwiseSum(values: Float64Array): number {
  const spaced = new Float64Array(2 * values.length);
  values.forEach((v, i) => (spaced[2 * i] = v));
  return nd.sum(nd.slice(nd.fromTypedArray(spaced, [spaced.length]), { step: 2 })).item() as number;
}

const sizes = [1, 2, 7, 8, 9, 15, 16, 17, 63, 64, 127, 128, 129, 130, 136, 255, 256, 257, 1000, 1024, 8191, 8192, 8193, 16384, 16391, 30000, 250_000];

describe("WebAssembly pairwise sum", () => {
  it("runs here (Node 20 has WebAssembly SIMD)", () => {
    assert.equal(wasmPairwiseAvailable(), true);
  });

  it("gives the JS reduction's bits (NumPy's pairwise order) for sizes around 8, 128 and 8192, where a plain loop differs", () => {
    let orderMatters = 0;
    for (const size of sizes) {
      for (const seed of [1, 2, 3]) {
        const values = wideValues([size], seed * 1000 + size);
        const data = values.toTypedArray() as Float64Array;
        const scratch = wasmScratch(size);
        assert.ok(scratch);
        scratch.set(data);
        const expected = jsPairwiseSum(data);
        assert.ok(Object.is(sumWasmScratch(size), expected), `size ${size} seed ${seed}: ${sumWasmScratch(size)} against ${expected}`);
        if (!Object.is(sequentialSum(data), expected)) orderMatters++;
      }
    }
    assert.ok(orderMatters > sizes.length, `only ${orderMatters} cases where the order of additions matters`);
  });

  it("keeps NaN and infinities as NumPy does", () => {
    for (const special of [NaN, Infinity, -Infinity]) {
      const data = new Float64Array(1000).fill(0.25);
      data[777] = special;
      wasmScratch(1000)?.set(data);
      assert.ok(Object.is(sumWasmScratch(1000), jsPairwiseSum(data)));
    }
  });
});

const numpyScript = String.raw`
import json, sys
import numpy as np
cases = json.loads(sys.argv[1])
blob = sys.stdin.buffer.read()
at = 0
out = []
for case in cases:
    n = int(np.prod(case["shape"]))
    a = np.frombuffer(blob, dtype="<f8", count=n, offset=at).reshape(case["shape"]); at += 8 * n
    b = np.frombuffer(blob, dtype="<f8", count=n, offset=at).reshape(case["shape"][::-1]); at += 8 * n
    out.append(float(np.sum(a + b.T, axis=tuple(case["axes"]), keepdims=True).ravel()[0]))
print(json.dumps([repr(v) for v in out]))
`;

interface Case { shape: number[]; axes: number[] }

describe("fused float64 sum of a + b.T (reduceElementwisePartial)", () => {
  const cases: Case[] = [
    { shape: [500, 500], axes: [0, 1] },
    { shape: [129, 70], axes: [0, 1] },
    { shape: [3, 8193], axes: [1, 0] },
    { shape: [9, 40, 30], axes: [0, 1, 2] },
    { shape: [9, 40, 30], axes: [-1, 0, -2] },
    { shape: [1, 1], axes: [0, 1] },
  ];

  function operands(c: Case, i: number): [nd.NDArray, nd.NDArray] {
    return [wideValues(c.shape, 50 + i), wideValues([...c.shape].reverse(), 90 + i)];
  }

  function fusedSums(): number[] {
    return cases.map((c, i) => {
      const [a, b] = operands(c, i);
      const partial = reduceElementwisePartial("ndarray.add", [a, nd.transpose(b)], { op: "sum", axes: c.axes }) as nd.NDArray;
      assert.equal(partial.dtype, "float64");
      assert.deepEqual(partial.shape, c.shape.map(() => 1));
      return partial.item() as number;
    });
  }

  function numpySums(): number[] {
    const blob = Buffer.concat(cases.flatMap((c, i) => operands(c, i).map((array) => Buffer.from((array.toTypedArray() as Float64Array).buffer.slice(0)))));
    const output = execFileSync("/usr/bin/python3", ["-B", "-c", numpyScript, JSON.stringify(cases)], { input: blob, maxBuffer: 1 << 24 });
    return (JSON.parse(output.toString()) as string[]).map(Number);
  }

  it("equals NumPy's np.sum(a + b.T) bit for bit, over every axis in any order", () => {
    const ours = fusedSums();
    const theirs = numpySums();
    cases.forEach((c, i) => assert.ok(Object.is(ours[i], theirs[i]), `${JSON.stringify(c)}: ${ours[i]} against NumPy's ${theirs[i]}`));
    assert.ok(wasmScratchBytes() >= 500 * 500 * 8, "the sums ran in the WebAssembly scratch");
  });

  it("takes the general path, with the same bits, for a block over the scratch cap, and for a sum over some axes", () => {
    const before = fusedSums();
    const cap = scratchKeepCap();
    setScratchKeepCap(4096);
    try {
      assert.equal(wasmScratchBytes(), 0, "a cap below the module's memory lets it go");
      assert.deepEqual(fusedSums(), before);
      assert.equal(wasmScratchBytes(), 0, "blocks over the cap do not grow it again");
    } finally {
      setScratchKeepCap(cap);
    }
    const a = wideValues([60, 50], 7);
    const b = wideValues([50, 60], 8);
    const partial = reduceElementwisePartial("ndarray.add", [a, nd.transpose(b)], { op: "sum", axes: [1] }) as nd.NDArray;
    const expected = reducePartial(nd.add(a, nd.transpose(b)), { op: "sum", axes: [1] }) as nd.NDArray;
    assert.deepEqual(partial.shape, [60, 1]);
    assert.deepEqual(partial.toTypedArray(), expected.toTypedArray());
  });

  it("counts the module's memory as held scratch, and releaseScratch lets it go", () => {
    fusedSums();
    assert.ok(scratchHeldBytes() >= wasmScratchBytes() && wasmScratchBytes() >= 500 * 500 * 8);
    releaseScratch();
    assert.equal(wasmScratchBytes(), 0);
    assert.equal(scratchHeldBytes(), 0);
    assert.equal(fusedSums().length, cases.length, "works again after a release");
  });
});

describe("float64 sums of contiguous runs, staged block by block into WebAssembly (pairwiseSumStaged)", () => {
  it("give the JS loop's bits for runs around 512, 8192 and its multiples, at any offset, one or many per output", () => {
    let orderMatters = 0;
    for (const size of [511, 512, 513, 1000, 8191, 8192, 8193, 16391, 250_000]) {
      const values = wideValues([size], 7000 + size);
      const data = values.toTypedArray() as Float64Array;
      const expected = jsPairwiseSum(data);
      const stagedBefore = stagedBlockCount();
      const total = nd.sum(values).item();
      const stagedNow = stagedBlockCount() - stagedBefore;
      assert.ok(Object.is(total, expected), `size ${size}: ${total} against the JS loop's ${expected}`);
      // Blocks of 8192 (NumPy's buffer) of at least 512 elements take the WebAssembly path.
      const stagedBlocks = Math.floor(size / 8192) + (size % 8192 >= 512 ? 1 : 0);
      assert.equal(stagedNow, stagedBlocks, `size ${size}: the blocks of ≥ 512 went through the WebAssembly staging`);
      assert.ok(Object.is(nd.sum(values, { dtype: "float64" }).item(), expected));
      if (!Object.is(sequentialSum(data), expected)) orderMatters++;
      // A run that starts inside its buffer (a sliced view), and rows of a matrix: one run per output.
      const inner = nd.slice(values, { start: 3, stop: size - 2 });
      assert.ok(Object.is(nd.sum(inner).item(), jsPairwiseSum(data.subarray(3, size - 2))), `size ${size}, sliced`);
    }
    assert.ok(orderMatters >= 7, `only ${orderMatters} sizes where the order of additions matters`);
    const rows = wideValues([5, 9000], 77);
    const data = rows.toTypedArray() as Float64Array;
    const rowSums = nd.sum(rows, { axis: 1 }).toTypedArray() as Float64Array;
    rowSums.forEach((sum, row) => assert.ok(Object.is(sum, jsPairwiseSum(data.subarray(row * 9000, (row + 1) * 9000))), `row ${row}`));
  });

  it("keeps NaN, infinities and the sign of zero as the JS loop does", () => {
    for (const special of [NaN, Infinity, -Infinity, -0]) {
      const data = new Float64Array(20_000).fill(special === -0 ? -0 : 0.25);
      data[12_345] = special;
      assert.ok(Object.is(nd.sum(nd.fromTypedArray(data, [data.length])).item(), jsPairwiseSum(data)), `with ${special}`);
    }
  });

  it("leaves an elementwise result waiting in the scratch untouched", () => {
    const waiting = wideValues([20_000], 5).toTypedArray() as Float64Array;
    const scratch = wasmScratch(waiting.length);
    assert.ok(scratch);
    scratch.set(waiting);
    nd.sum(wideValues([30_000], 6));
    assert.ok(Object.is(sumWasmScratch(waiting.length), jsPairwiseSum(waiting)));
  });
});
