/** The `--resources` form dask-worker reads, and the checks every layer shares. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { combineResourceNeeds, parseResourceSpec } from "../../src/protocol/resources.js";

describe("parseResourceSpec (tessera worker --resources)", () => {
  it("reads comma- or space-separated NAME=amount pairs, with exponents", () => {
    assert.deepEqual(parseResourceSpec("GPU=2,MEM=64e9"), { GPU: 2, MEM: 64e9 });
    assert.deepEqual(parseResourceSpec("GPU=2 MEM=64e9"), { GPU: 2, MEM: 64e9 });
  });

  it("refuses malformed pairs, negative, NaN and repeated names, naming them", () => {
    assert.throws(() => parseResourceSpec("GPU"), /"GPU" is not NAME=amount/);
    assert.throws(() => parseResourceSpec("GPU=-1"), /resource GPU: the amount must not be negative/);
    assert.throws(() => parseResourceSpec("GPU=two"), /resource GPU has amount "two", which is not a number/);
    assert.throws(() => parseResourceSpec("GPU=1,GPU=2"), /resource GPU is given twice/);
    assert.throws(() => parseResourceSpec(""), /--resources is empty/);
  });

  it("combines the needs of fused steps as the most any step asks for", () => {
    assert.deepEqual(combineResourceNeeds([{ GPU: 1 }, undefined, { GPU: 2, MEM: 5 }]), { GPU: 2, MEM: 5 });
    assert.equal(combineResourceNeeds([undefined, undefined]), undefined);
  });
});
