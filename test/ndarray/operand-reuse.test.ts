// An elementwise step of a fused task writes its result over an operand that dies with it
// (src/ndarray/operand-reuse.ts, lent by graph/task-runner.ts): the DoG's difference goes into
// the sharp Gaussian's buffer. Never over an operand a later step reads, one a live view
// reaches, one another operand reads in another layout, or one of another dtype; never
// inside a step that is not itself elementwise; and the values are always a new buffer's.
import { afterEach, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";
import { NDArray } from "../../src/ndarray/ndarray.js";
import { releaseRecycled } from "../../src/ndarray/block-recycling.js";
import { sharedBytesAllocated } from "../../src/ndarray/allocation-ledger.js";
import { endOperandLoan, lendDyingOperands, mayWriteOverOperands, operandAsOutput } from "../../src/ndarray/operand-reuse.js";
import { gaussianFilter } from "../../src/ndimage/index.js";
import { fusedBuiltin, runTask, stepRef, type FusedStep } from "../../src/graph/task-runner.js";

// float64 blocks of 2 MiB.
const shape = [16, 128, 128];
const bytes = 16 * 128 * 128 * 8;
const random = (seed: number): FusedStep => ({ fn: { builtin: "ndarray.random" }, args: [shape, { seed: [seed, 0, 0], dtype: "float64" }] });
const gaussian = (step: number, sigma: number): FusedStep => ({ fn: { builtin: "ndimage.gaussianFilter" }, args: [stepRef(step), { sigma, mode: "nearest" }] });
const binary = (name: string, a: number, b: number): FusedStep => ({ fn: { builtin: `ndarray.${name}` }, args: [stepRef(a), stepRef(b)] });
const transpose = (step: number): FusedStep => ({ fn: { builtin: "ndarray.transpose" }, args: [stepRef(step), { axes: [0, 2, 1] }] });
const fused = (steps: FusedStep[]) => runTask({ builtin: fusedBuiltin }, [{ steps }]) as Promise<NDArray>;
const values = (array: NDArray) => Array.from(nd.ascontiguousarray(array).data as Float64Array);
const block = (seed: number) => nd.random(shape, { seed: [seed, 0, 0] });

describe("an elementwise step written over an operand that dies with it", () => {
  beforeEach(() => releaseRecycled());
  afterEach(() => {
    endOperandLoan();
    releaseRecycled();
  });

  it("writes the DoG's difference into the sharp Gaussian's buffer: one block fewer, the values a new buffer's", async () => {
    const sharp = gaussianFilter(block(1), { sigma: 1, mode: "nearest" });
    const expected = values(nd.subtract(sharp, gaussianFilter(block(1), { sigma: 2, mode: "nearest" })));
    releaseRecycled();
    const before = sharedBytesAllocated();
    const dog = await fused([random(1), gaussian(0, 1), gaussian(0, 2), binary("subtract", 1, 2)]);
    // The random block and the two Gaussians: the difference took no buffer, new or kept.
    assert.equal(sharedBytesAllocated() - before, 3 * bytes, "the difference was not written over an operand");
    assert.deepEqual(values(dog), expected);
  });

  it("never writes over an operand a later step still reads", async () => {
    const a = block(2);
    const b = block(3);
    const expected = values(nd.add(nd.subtract(a, b), a));
    // Step 0 is read by steps 2 and 3: only step 1 dies at step 2 (and is taken); step 0 must stay intact.
    const result = await fused([random(2), random(3), binary("subtract", 0, 1), binary("add", 2, 0)]);
    assert.deepEqual(values(result), expected);
  });

  it("never writes over an operand another operand reads in another layout, nor one a live view reaches", async () => {
    const a = block(4);
    const expected = values(nd.subtract(a, nd.transpose(a, { axes: [0, 2, 1] })));
    // Step 0 and its transposed view (step 1) both die at step 2: one buffer, read two ways.
    assert.deepEqual(values(await fused([random(4), transpose(0), binary("subtract", 0, 1)])), expected);
    // Step 1 (a view of step 0) is still read by step 3 when step 0 dies at step 2.
    const b = block(5);
    const viewed = values(nd.add(nd.subtract(a, b), nd.transpose(a, { axes: [0, 2, 1] })));
    assert.deepEqual(values(await fused([random(4), transpose(0), random(5), binary("subtract", 0, 2), binary("add", 3, 1)])), viewed);
  });

  it("never writes over an operand laid out in another order, even alone on its buffer", async () => {
    const a = block(8);
    const b = block(9);
    const expected = values(nd.subtract(nd.transpose(a, { axes: [0, 2, 1] }), b));
    // Step 1 (a transposed view, the result's shape) is lent at step 3: step 0 died at step 1 and
    // no other operand shares its buffer. Written in C order, element (i, j, k) would overwrite
    // (i, k, j) before it is read.
    assert.deepEqual(values(await fused([random(8), transpose(0), random(9), binary("subtract", 1, 2)])), expected);
  });

  it("takes only an operand of the result's dtype, shape and whole contiguous buffer", () => {
    const floats = block(6);
    const ints = nd.astype(floats, "int32");
    const unrelated = nd.astype(floats, "int32");
    // int32 − float64 is float64: only the float64 operand can hold the result.
    lendDyingOperands([ints], [], () => true);
    assert.equal(operandAsOutput([ints, floats], shape, "float64"), undefined);
    endOperandLoan();
    lendDyingOperands([floats], [], () => true);
    assert.equal(operandAsOutput([floats], [16, 128, 64], "float64"), undefined, "a result of another shape took the operand");
    const taken = operandAsOutput([unrelated, floats], shape, "float64");
    assert.equal(taken?.data.buffer, floats.data.buffer);
    assert.equal(operandAsOutput([floats], shape, "float64"), undefined, "an operand was lent twice");
  });

  it("lends nothing a live result reaches, nothing made before the task, nothing once the step is over", () => {
    const a = block(7);
    assert.equal(lendDyingOperands([a], [nd.transpose(a)], () => true), false);
    assert.equal(lendDyingOperands([a], [], () => false), false);
    assert.equal(lendDyingOperands([a], [], () => true), true);
    endOperandLoan();
    assert.equal(operandAsOutput([a], shape, "float64"), undefined);
  });

  it("is lent only to the elementwise builtins, never to a step that may read its input after writing", () => {
    assert.equal(mayWriteOverOperands("ndarray.subtract"), true);
    assert.equal(mayWriteOverOperands("ndimage.gaussianFilter"), false);
    assert.equal(mayWriteOverOperands("ndarray.transpose"), false);
  });
});
