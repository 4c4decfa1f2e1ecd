/**
 * The masked var's tree steps on their own: partials of masked blocks merged level by level
 * give the exact variance of the unmasked elements to a few ulps even far from 0 (where the
 * rounding of each block's mean would otherwise enter at first order), a fully masked block
 * adds nothing, and the last step masks as numpy.ma's var (count − ddof).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";
import { maskedVarAggregate, maskedVarChunk, maskedVarCombine, maskedVarFinish } from "../../src/ndarray/masked-moment-partials.js";

const steps = { axis: [0], keepdims: true };
type Block = [nd.NDArray, nd.NDArray];
const block = (values: number[], mask: boolean[]): Block => [nd.array(values, { dtype: "float64" }), nd.array(mask, { dtype: "bool" })];

/** Two combining levels, then the aggregate (0-d) and the last step. */
function variance(blocks: Block[], ddof: number, scalar = true): [number, boolean] {
  const partials = blocks.map((b) => maskedVarChunk(b, steps));
  const levels = [maskedVarCombine(partials.slice(0, 2), steps), maskedVarCombine(partials.slice(2), steps)];
  const [data, mask] = maskedVarFinish(maskedVarAggregate(levels, { axis: [0], keepdims: false }), { ddof, scalar, dtype: "float64" });
  return [data.toArray() as number, mask.toArray() as boolean];
}

/** The exact variance of 1e8 + k/8 (exact in float64) over the unmasked k: (n·Σk² − (Σk)²) / n² / 64, in integers. */
function exactVariance(ks: number[]): number {
  const n = BigInt(ks.length);
  const sum = ks.reduce((s, k) => s + BigInt(k), 0n);
  const squares = ks.reduce((s, k) => s + BigInt(k) * BigInt(k), 0n);
  return Number(n * squares - sum * sum) / Number(n * n) / 64;
}

describe("masked var partials", () => {
  // Four blocks of uneven length; the third fully masked; values 1e8 + k/8 with k in [−20, 20].
  const ks = [[3, -7, 12, 5, 0], [19, -20, 4], [1, 2, 3, 4], [-3, 8, 8, 15, -11, 6, 2]];
  const masks = [[false, true, false, false, false], [false, false, true], [true, true, true, true], [false, false, true, false, false, false, false]];
  const blocks = ks.map((k, i) => block(k.map((v) => 1e8 + v / 8), masks[i]));
  const unmasked = ks.flatMap((k, i) => k.filter((_, j) => !masks[i][j]));

  it("merges block partials into the exact variance of the unmasked elements, far from 0", () => {
    const [value, mask] = variance(blocks, 0);
    const exact = exactVariance(unmasked);
    assert.equal(mask, false);
    assert.ok(Math.abs(value - exact) <= 4 * Number.EPSILON * exact, `variance ${value}, exactly ${exact}`);
  });

  it("adds nothing for a fully masked block", () => {
    const without = [blocks[0], blocks[1], block([1e8], [true]), blocks[3]];
    assert.deepEqual(variance(blocks, 1), variance(without, 1));
  });

  it("over every element divides by count − ddof unmasked below 0 and masks at 0, as numpy.ma's divide", () => {
    const n = unmasked.length;
    const [negative, negativeMasked] = variance(blocks, n + 2);
    assert.equal(negativeMasked, false);
    assert.ok(Math.abs(negative - (exactVariance(unmasked) * n) / -2) <= 1e-12 * Math.abs(negative), `${negative}`);
    assert.equal(variance(blocks, n)[1], true);
  });

  it("along an axis masks where count − ddof ≤ 0 or nothing is unmasked", () => {
    const n = unmasked.length;
    assert.equal(variance(blocks, n + 2, false)[1], true);
    assert.equal(variance(blocks, n - 1, false)[1], false);
    assert.equal(variance(blocks.map(([data, mask]) => [data, nd.logicalNot(nd.logicalOr(mask, nd.logicalNot(mask)))] as Block), 0, false)[1], false);
    assert.equal(variance(blocks.map(([data, mask]) => [data, nd.logicalOr(mask, nd.logicalNot(mask))] as Block), 0, false)[1], true);
  });
});
