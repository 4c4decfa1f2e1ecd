/**
 * The masked block ([data, mask], ndarray/masked-kernels.ts) and the masked reduction steps
 * (ndarray/masked-partials.ts) on their own: a masked block arrives unchanged through each way a
 * task result travels (the wire's payload encoding, the thread codec, a spill file), and the
 * steps give numpy.ma's results (reduced by one chunk, or by chunks combined).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as nd from "../../src/ndarray/index.js";
import { maskedBlock, maskedBlockPart } from "../../src/ndarray/masked-kernels.js";
import { maskedReductionSteps } from "../../src/ndarray/masked-partials.js";
import { packPayload, unpackPayload } from "../../src/protocol/payload.js";
import { fromThreadValue, toThreadValue } from "../../src/worker/executor/thread-codec.js";
import { readSpillFile, writeSpillFile } from "../../src/worker/memory/spill-file.js";
import { CompressionPolicy } from "../../src/worker/memory/spill-compression.js";
import { loadBuiltin } from "../../src/graph/builtin-catalog.js";
import { builtinModuleOf } from "../../src/graph/builtin-modules.js";

const data = nd.array([[1.5, -2, 3], [4, 5, 6]]);
const mask = nd.array([[false, true, false], [true, true, true]], { dtype: "bool" });

function assertSameBlock(actual: unknown, label: string): void {
  assert.ok(Array.isArray(actual) && actual.length === 2, `${label}: a two-element array`);
  const [d, m] = actual as [nd.NDArray, nd.NDArray];
  assert.ok(d instanceof nd.NDArray && m instanceof nd.NDArray, `${label}: NDArrays`);
  assert.equal(d.dtype, "float64");
  assert.equal(m.dtype, "bool");
  assert.deepEqual(d.toArray(), data.toArray(), `${label}: data`);
  assert.deepEqual(m.toArray(), mask.toArray(), `${label}: mask`);
}

describe("a masked block", () => {
  it("holds data and mask, a smaller mask stretched to the data", () => {
    assertSameBlock(maskedBlock(data, mask), "maskedBlock");
    const row = maskedBlock(data, nd.array([true, false, true], { dtype: "bool" }));
    assert.deepEqual(maskedBlockPart(row, { part: 1 }).toArray(), [[true, false, true], [true, false, true]]);
    assert.equal(maskedBlockPart(row, { part: 0 }), data);
  });

  it("travels unchanged through the wire's payload encoding, the thread codec and a spill file", async () => {
    const frames: Uint8Array[] = [];
    const tree = packPayload(maskedBlock(data, mask), frames, "a masked block");
    assertSameBlock(unpackPayload(tree, frames.map((f) => new Uint8Array(f))), "payload");
    assertSameBlock(fromThreadValue(toThreadValue(maskedBlock(data, mask))), "thread codec");
    const dir = mkdtempSync(join(tmpdir(), "maskfuse-spill-"));
    try {
      const path = join(dir, "block");
      await writeSpillFile(path, maskedBlock(data, mask), new CompressionPolicy("zlib", false));
      assertSameBlock(await readSpillFile(path), "spill file");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("steps are built-ins a worker finds by name", async () => {
    for (const name of ["ndarray.maskedBlock", "ndarray.maskedBlockPart", "ndarray.maskedMeanChunk", "ndarray.maskedMinCombine", "ndarray.maskedAllAggregate"]) {
      assert.ok(builtinModuleOf.has(name), `${name} listed with its module`);
      assert.equal(typeof (await loadBuiltin(name)), "function", `${name} loads by name`);
    }
  });
});

describe("masked reduction steps", () => {
  const options = { axis: [1], keepdims: true };
  // Column-wise halves of the block, each reduced by a chunk step, then aggregated (keepdims false).
  const halves = [nd.slice(data, ":", { start: 0, stop: 2 }), nd.slice(data, ":", { start: 2, stop: 3 })];
  const maskHalves = [nd.slice(mask, ":", { start: 0, stop: 2 }), nd.slice(mask, ":", { start: 2, stop: 3 })];
  const reduce = (kind: keyof typeof maskedReductionSteps) => {
    const [chunk, , aggregate] = maskedReductionSteps[kind];
    const partials = halves.map((h, i) => chunk([nd.ascontiguousarray(h), nd.ascontiguousarray(maskHalves[i])], options));
    // ta.reduction's nesting with concatenate false: one list per reduced axis.
    return aggregate(partials, { axis: [1], keepdims: false });
  };

  it("give numpy.ma's row results: the second row fully masked", () => {
    // np.ma.masked_array([[1.5, -2, 3], [4, 5, 6]], mask=[[0, 1, 0], [1, 1, 1]]).sum(axis=1) etc.
    const expected: Record<string, [unknown, boolean[]]> = {
      sum: [[4.5, 0], [false, true]],
      mean: [[2.25, 0], [false, true]],
      min: [[1.5, 1e20], [false, true]],
      max: [[3, 1e20], [false, true]],
      prod: [[4.5, 1], [false, true]],
    };
    for (const [kind, [values, masked]] of Object.entries(expected)) {
      const [d, m] = reduce(kind as keyof typeof maskedReductionSteps);
      assert.deepEqual(m.toArray(), masked, `${kind} mask`);
      assert.deepEqual((d.toArray() as number[])[0], (values as number[])[0], `${kind} unmasked value`);
    }
  });
});
