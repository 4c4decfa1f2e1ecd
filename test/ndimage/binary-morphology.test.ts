import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ndimage from "../../src/ndimage/index.js";
import * as nd from "../../src/ndarray/index.js";
import { stagedLimit } from "../../src/ndimage/staged-lines.js";
import { type Fixtures, generateFixtures } from "./scipy-fixtures.js";
import { type CaseRunner, compareArrays, failingCases } from "./fixture-cases.js";

let fixtures: Fixtures;
before(() => {
  fixtures = generateFixtures("generate-binary-fixtures.py");
});
after(() => fixtures?.close());

/** The case's mask input (named in extra.mask), if any. */
const withMask: (fn: (x: Parameters<CaseRunner>[0], o: ndimage.BinaryMorphologyOptions) => ReturnType<CaseRunner>) => CaseRunner =
  (fn) => (x, o, c) => {
    const mask = c.extra?.mask;
    return fn(x, { ...o, ...(typeof mask === "string" ? { mask: fixtures.load(fixtures.inputs[mask]) } : {}) } as ndimage.BinaryMorphologyOptions);
  };

const functions: Record<string, CaseRunner> = {
  binaryErosion: withMask((x, o) => ndimage.binaryErosion(x, o)),
  binaryDilation: withMask((x, o) => ndimage.binaryDilation(x, o)),
  binaryOpening: withMask((x, o) => ndimage.binaryOpening(x, o)),
  binaryClosing: withMask((x, o) => ndimage.binaryClosing(x, o)),
  binaryFillHoles: (x, o) => ndimage.binaryFillHoles(x, o as ndimage.FillHolesOptions),
  generateBinaryStructure: (_x, o) => ndimage.generateBinaryStructure(o.rank as number, o.connectivity as number),
  iterateStructure: (_x, o) => ndimage.iterateStructure(o.structure as ndimage.Grid, o.iterations as number).structure,
};

for (const [backend, staged] of [["wasm", true], ["wasm", false], ["js", false]] as const) {
  describe(`binary morphology and structures are identical to scipy 1.10 (${backend} loops${backend === "wasm" ? (staged ? ", source rows staged once" : ", rows staged per line") : ""})`, () => {
    const limit = stagedLimit.bytes;
    before(() => {
      stagedLimit.bytes = staged ? limit : 0;
    });
    after(() => {
      stagedLimit.bytes = limit;
    });
    for (const [fn, run] of Object.entries(functions)) {
      it(`${fn}: every fixture case`, () => {
        const { failures, total } = failingCases(fixtures, fn, (x, o, c) => run(x, { ...o, backend }, c));
        assert.deepEqual(failures.slice(0, 10), [], `${failures.length} of ${total} ${fn} cases differ from scipy`);
      });
    }
  });
}

describe("distanceTransformEdt is bit-identical to scipy 1.10", () => {
  it("distances (float64) and feature indices (int32), with and without sampling", () => {
    const { failures, total } = failingCases(fixtures, "distanceTransformEdt", (x, o, c) => {
      const result = ndimage.distanceTransformEdt(x, { ...o, returnIndices: true });
      const indices = fixtures.load(c.outputs?.indices ?? c.expected);
      const mismatch = compareArrays(result.indices as ndimage.DistanceTransformResult["indices"] & object, indices);
      if (mismatch) throw new Error(`indices: ${mismatch}`);
      return result.distances as NonNullable<ndimage.DistanceTransformResult["distances"]>;
    });
    assert.deepEqual(failures.slice(0, 10), [], `${failures.length} of ${total} cases differ from scipy`);
  });
  it("distances alone and indices alone are the same as with both", () => {
    const distances = failingCases(fixtures, "distanceTransformEdt", (x, o) => ndimage.distanceTransformEdt(x, o));
    assert.deepEqual(distances.failures.slice(0, 10), [], `${distances.failures.length} of ${distances.total} cases differ from scipy`);
    const indices = failingCases(fixtures, "distanceTransformEdt", (x, o, c) => {
      const result = ndimage.distanceTransformEdt(x, { ...o, returnIndices: true, returnDistances: false });
      assert.equal(result.distances, undefined);
      const mismatch = compareArrays(result.indices as NonNullable<ndimage.DistanceTransformResult["indices"]>, fixtures.load(c.outputs?.indices ?? c.expected));
      if (mismatch) throw new Error(`indices: ${mismatch}`);
      return fixtures.load(c.expected);
    });
    assert.deepEqual(indices.failures.slice(0, 10), [], `${indices.failures.length} of ${indices.total} cases differ from scipy`);
  });
  it("returns the distances alone by default and refuses asking for nothing", () => {
    const input = fixtures.load(fixtures.inputs.edt_plane);
    const distances = ndimage.distanceTransformEdt(input);
    assert.equal(distances.dtype, "float64");
    const onlyIndices = ndimage.distanceTransformEdt(input, { returnDistances: false, returnIndices: true });
    assert.equal(onlyIndices.distances, undefined);
    assert.deepEqual(onlyIndices.indices?.shape, [2, ...input.shape]);
    assert.throws(() => ndimage.distanceTransformEdt(input, { returnDistances: false }), /at least one of/);
    assert.throws(() => ndimage.distanceTransformEdt(input, { sampling: [1, 2, 3] }), /sampling \[1,2,3\] has 3 entries/);
  });
});

// Found by test/ndimage/rank-morphology-differential.test.ts; expected values from scipy 1.10.
describe("binary morphology corners scipy computes (differential-test regressions)", () => {
  const bits = [1, 0, 1, 1, 0, 1, 1, 1, 0];
  const input = nd.astype(nd.fromTypedArray(Uint8Array.from(bits), [9]), "bool");
  const asNumbers = (x: nd.NDArray) => (x.toArray() as boolean[]).map(Number);

  it("an all-false structure erodes to all true and dilates to all false (the mask still holds cells)", () => {
    assert.deepEqual(asNumbers(ndimage.binaryErosion(input, { structure: [0, 0, 0] })), [1, 1, 1, 1, 1, 1, 1, 1, 1]);
    assert.deepEqual(asNumbers(ndimage.binaryErosion(input, { structure: [0, 0, 0], iterations: -1, borderValue: 1 })), [1, 1, 1, 1, 1, 1, 1, 1, 1]);
    const mask = nd.astype(nd.fromTypedArray(Uint8Array.from([1, 1, 0, 0, 1, 1, 0, 0, 1]), [9]), "bool");
    assert.deepEqual(asNumbers(ndimage.binaryDilation(input, { structure: [0, 0, 0], mask })), [0, 0, 1, 1, 0, 0, 1, 1, 0]);
  });

  it("iterations < 1 with a structure whose centre is off repeats until nothing changes, as scipy does", () => {
    assert.deepEqual(asNumbers(ndimage.binaryErosion(input, { structure: [1, 1, 0], iterations: -1 })), [0, 0, 0, 0, 0, 0, 0, 0, 0]);
    assert.deepEqual(asNumbers(ndimage.binaryDilation(input, { structure: [0, 0, 1], iterations: 0, borderValue: 1 })), [1, 1, 1, 1, 1, 1, 1, 1, 1]);
  });

  it("refuses iterations < 1 where the result cycles for ever (scipy never returns), naming iterations", () => {
    const alternating = nd.astype(nd.fromTypedArray(Uint8Array.from([0, 1, 0, 1, 0, 1, 0]), [7]), "bool");
    assert.throws(() => ndimage.binaryErosion(alternating, { structure: [1, 0, 1], borderValue: 1, iterations: -1 }), /iterations < 1 .*never settles/);
  });
});

// scipy 1.10's iterated erosion wraps a removed cell's neighbours into the next line where the
// structure is longer than the array (binary-erosion.ts; found by ndimage-fuzz.test.ts, seed
// 400329): iterations = k here is k single erosions, scipy's documented meaning, which scipy's
// own single erosions give.
describe("iterated erosion with a structure longer than the array", () => {
  it("is the erosion repeated, as scipy's single erosions give it", async () => {
    const { evaluatePython } = await import("../array/python-eval.js");
    const x = nd.astype(nd.fromTypedArray(Float64Array.of(1, 1, 1, 0, 1, 1, 1, 1, 0), [3, 3]), "bool");
    const structure = nd.astype(nd.fromTypedArray(Float64Array.of(0, 1, 1, 0), [1, 4]), "bool");
    const once = "lambda v: ndi.binary_erosion(v, structure=s, border_value=1)";
    const reference = evaluatePython({ x, s: structure }, {
      three: `(lambda f: f(f(f(x))))(${once})`,
      settled: `(lambda f: f(f(f(f(x)))))(${once})`,
    });
    for (const [iterations, key] of [[3, "three"], [0, "settled"], [-1, "settled"]] as const) {
      const ours = ndimage.binaryErosion(x, { structure, iterations, borderValue: 1 });
      assert.deepEqual(ours.toArray(), (reference[key].array as nd.NDArray).toArray(), `iterations ${iterations}`);
    }
  });
});
