/**
 * Options and arguments a lazy function does not take are refused, naming them (no silent
 * defaults): JavaScript drops extra arguments unseen, so before this `ta.add(x, y, { dtype })`
 * gave float64, `ta.ravel(x, "F")` raveled in C order, `x.rechunk(c, { balance: true })`
 * ignored the balance, `ta.linalg.qr(a, { mode: "complete" })` gave the reduced QR, and
 * `mapOverlap(fn, { depth, boundry: "reflect" })` ran with boundary "none". An undefined past
 * the end still counts as not given, as a default parameter takes it.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";

const x = ta.random([12, 10], { chunks: [4, 5], seed: 1 });
const y = ta.random([12, 10], { chunks: [4, 5], seed: 2 });
const identity = (block: unknown) => block;

/** Asserts `call` throws (or rejects) an InvalidOptionError whose message matches `pattern`. */
async function refused(call: () => unknown, pattern: RegExp): Promise<void> {
  await assert.rejects(async () => call(), (error: Error) => {
    assert.equal(error.name, "InvalidOptionError", error.message);
    assert.match(error.message, pattern);
    return true;
  });
}

describe("options objects refuse keys they do not take", () => {
  it("mapOverlap and mapBlocks, in both spellings", async () => {
    const overlapKeys = /^mapOverlap: unknown option "boundry"; mapOverlap takes depth, boundary, trim, allowRechunk, dtype, name$/;
    await refused(() => x.mapOverlap(identity, { depth: 1, boundry: "reflect" } as never), overlapKeys);
    await refused(() => ta.mapOverlap(identity, x, { depth: 1, boundry: "reflect" } as never), overlapKeys);
    const blocksKeys = /^mapBlocks: unknown option "chnks"; mapBlocks takes dtype, chunks, dropAxis, newAxis, blockInfo, name$/;
    await refused(() => x.mapBlocks(identity, { chnks: [4, 5] } as never), blocksKeys);
    await refused(() => ta.mapBlocks(identity, [x, y], { chnks: [4, 5] } as never), blocksKeys);
  });

  it("arange and linspace", async () => {
    await refused(() => ta.arange(0, 10, 1, { chunk: 5 } as never), /^arange: unknown option "chunk"; arange takes chunks, dtype$/);
    await refused(() => ta.linspace(0, 1, 10, { retstep: true } as never), /^linspace: unknown option "retstep"; linspace takes chunks, dtype, endpoint$/);
  });
});

describe("functions and methods refuse arguments beyond their own", () => {
  it("elementwise functions: NumPy's ufunc keywords as an options object", async () => {
    await refused(() => (ta.add as (...args: unknown[]) => unknown)(x, y, { dtype: "float32" }), /^add takes 2 operands and no options .*got also \["dtype"\]/);
    await refused(() => (ta.sin as (...args: unknown[]) => unknown)(x, { where: x.gt(0.5) }), /^sin takes 1 operand and no options .*got also \["where"\]/);
    await refused(() => (ta.power as (...args: unknown[]) => unknown)(x, 2, {}), /^power takes 2 operands/);
    await refused(() => (ta.clip as (...args: unknown[]) => unknown)(x, 0, 1, { out: x }), /^ta\.clip\(x, min, max\) takes at most 3 arguments; got also an object with \["out"\], which it would ignore/);
  });

  it("array methods, synchronous ones throwing and asynchronous ones rejecting", async () => {
    const call = (name: string, ...args: unknown[]) => (x as unknown as Record<string, (...a: unknown[]) => unknown>)[name](...args);
    await refused(() => call("add", y, { dtype: "float32" }), /^x\.add\(other\) takes at most 1 argument; got also an object with \["dtype"\]/);
    await refused(() => call("rechunk", [6, 5], { balance: true }), /^x\.rechunk\(chunks\) takes at most 1 argument; got also an object with \["balance"\]/);
    await refused(() => call("astype", "uint8", { casting: "safe" }), /^x\.astype\(dtype\) takes at most 1 argument/);
    await refused(() => call("ravel", "F"), /^x\.ravel\(\) takes no arguments; got also "F"/);
    const rejection = call("compute", {}, { optimize: false });
    assert.ok(rejection instanceof Promise, "compute rejects rather than throwing");
    await refused(() => rejection, /^x\.compute\(options\) takes at most 1 argument/);
  });

  it("fixed-arity functions: NumPy's order, out and mode", async () => {
    const loose = ta as unknown as Record<string, (...args: unknown[]) => unknown>;
    await refused(() => loose.ravel(x, "F"), /^ta\.ravel\(x\) takes at most 1 argument; got also "F"/);
    await refused(() => loose.reshape(x, [10, 12], "F"), /^ta\.reshape\(x, shape\) takes at most 2 arguments/);
    await refused(() => loose.where(x.gt(0.5), x, y, {}), /^ta\.where\(condition, x, y\)/);
    await refused(() => loose.vstack([x, y], { dtype: "float32" }), /^ta\.vstack\(arrays\)/);
    await refused(() => loose.moveaxis(x, 0, 1, {}), /^ta\.moveaxis\(x, source, destination\)/);
    const linalg = ta.linalg as unknown as Record<string, (...args: unknown[]) => unknown>;
    const tall = ta.random([12, 4], { chunks: [4, 4], seed: 3 });
    await refused(() => linalg.qr(tall, { mode: "complete" }), /^ta\.linalg\.qr\(a\) takes at most 1 argument; got also an object with \["mode"\]/);
    await refused(() => linalg.tsqr(tall, { computeSvd: true }), /^ta\.linalg\.tsqr\(a\)/);
  });

  it("takes an undefined past the end as not given, with the defaults' results", async () => {
    const loose = ta as unknown as Record<string, (...args: unknown[]) => ta.Array>;
    assert.deepEqual((await loose.flip(x, undefined, undefined).compute()).data, (await ta.flip(x).compute()).data);
    assert.deepEqual((await x.round(undefined).compute()).data, (await x.round().compute()).data);
    assert.deepEqual((await x.clip(0.5, undefined).compute()).data, (await x.clip(0.5).compute()).data);
  });

  it("names an axis given as an options object where the axis itself belongs", async () => {
    await refused(() => ta.squeeze(ta.ones([1, 4], { chunks: 2 }), { axis: 0 } as never), /^squeeze: axis \{"axis":0\} must be an integer or a list of integers/);
    await refused(() => ta.roll(x, 1, { axis: 0 } as never), /^roll: axis \{"axis":0\} must be an integer or a list of integers/);
    await refused(() => ta.concatenate([x, y], { axis: 0 } as never), /^concatenate: axis \{"axis":0\} must be an integer/);
  });
});
