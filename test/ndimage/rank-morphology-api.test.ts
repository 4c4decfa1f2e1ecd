import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ndimage from "../../src/ndimage/index.js";
import { builtinNameOf } from "../../src/core/builtin.js";
import { NDArray } from "../../src/ndarray/ndarray.js";
import { assertInvalidOption, randomArray, seededRandom } from "./helpers.js";

const volume = randomArray([5, 6, 7], "float32", seededRandom(3));
const labels = new NDArray(Int32Array.from({ length: 210 }, (_, i) => i % 4), [5, 6, 7]);

describe("rank filters and morphology travel by name and state their halo", () => {
  const kernels = {
    minimumFilter: ndimage.minimumFilter, maximumFilter: ndimage.maximumFilter, minimumFilter1d: ndimage.minimumFilter1d,
    maximumFilter1d: ndimage.maximumFilter1d, medianFilter: ndimage.medianFilter, rankFilter: ndimage.rankFilter,
    percentileFilter: ndimage.percentileFilter, greyErosion: ndimage.greyErosion, greyDilation: ndimage.greyDilation,
    greyOpening: ndimage.greyOpening, greyClosing: ndimage.greyClosing, whiteTophat: ndimage.whiteTophat, blackTophat: ndimage.blackTophat,
    binaryErosion: ndimage.binaryErosion, binaryDilation: ndimage.binaryDilation, binaryOpening: ndimage.binaryOpening,
    binaryClosing: ndimage.binaryClosing,
  };
  for (const [name, fn] of Object.entries(kernels)) {
    it(`${name} is builtin "ndimage.${name}" with a kernelRadius`, () => {
      assert.equal(builtinNameOf(fn), `ndimage.${name}`);
      assert.ok(ndimage.isRegionKernel(fn));
    });
  }
  it("binaryFillHoles travels by name (it has no bounded halo)", () => {
    assert.equal(builtinNameOf(ndimage.binaryFillHoles), "ndimage.binaryFillHoles");
    assert.equal(ndimage.isRegionKernel(ndimage.binaryFillHoles), false);
  });
  it("kernelRadius: box reach with origins, footprints, doubled for openings, times iterations", () => {
    assert.deepEqual(ndimage.minimumFilter.kernelRadius({ size: [3, 1, 4] }, 3), [1, 0, 2]);
    assert.deepEqual(ndimage.maximumFilter.kernelRadius({ size: 5, origin: [2, -2, 0] }, 3), [4, 4, 2]);
    assert.deepEqual(ndimage.medianFilter.kernelRadius({ footprint: [[1, 0, 0], [0, 0, 1]] }, 2), [1, 1]);
    assert.deepEqual(ndimage.rankFilter.kernelRadius({ rank: 1, size: 4, origin: 1 }, 1), [3]);
    assert.deepEqual(ndimage.greyDilation.kernelRadius({ size: 4 }, 2), [2, 2]);
    assert.deepEqual(ndimage.greyOpening.kernelRadius({ size: [3, 5] }, 2), [2, 4]);
    assert.deepEqual(ndimage.whiteTophat.kernelRadius({ structure: [[0, 1, 0, 1]] }, 2), [0, 4]);
    assert.deepEqual(ndimage.binaryErosion.kernelRadius({ iterations: 3 }, 3), [3, 3, 3]);
    assert.deepEqual(ndimage.binaryClosing.kernelRadius({ iterations: 2, structure: [[1, 1, 1, 1, 1]] }, 2), [0, 8]);
    assert.deepEqual(ndimage.minimumFilter1d.kernelRadius({ size: 6, axis: 0 }, 2), [3, 0]);
  });
});

describe("results", () => {
  it("are new arrays of the filter's dtype; the input is unchanged", () => {
    const before = Float32Array.from(volume.data as Float32Array);
    assert.equal(ndimage.medianFilter(volume, { size: 3, output: "uint8" }).dtype, "uint8");
    assert.equal(ndimage.binaryErosion(volume).dtype, "bool");
    assert.equal(ndimage.distanceTransformEdt(volume).dtype, "float64");
    assert.equal(ndimage.label(volume)[0].dtype, "int32");
    assert.deepEqual(volume.data, before);
  });
  it("read views (reversed and strided) like copies", () => {
    const reversed = new NDArray(volume.data, [5, 6, 7], { strides: [-42, 7, -1], offset: 4 * 42 + 6 });
    const copy = new NDArray(reversed.toTypedArray(), [5, 6, 7]);
    for (const run of [(x: NDArray) => ndimage.medianFilter(x, { size: 3 }), (x: NDArray) => ndimage.maximumFilter(x, { size: [2, 3, 4] }),
      (x: NDArray) => ndimage.greyErosion(x, { footprint: ndimage.generateBinaryStructure(3, 1) })]) {
      assert.deepEqual(run(reversed).data, run(copy).data);
    }
  });
});

describe("bad options are InvalidOptionErrors that name the value", () => {
  const bool = new NDArray(new Uint8Array(8), [8], { dtype: "bool" });
  const cases: Array<[string, () => unknown, string]> = [
    ["size 0", () => ndimage.medianFilter(volume, { size: 0 }), "size 0"],
    ["negative size in a list", () => ndimage.minimumFilter(volume, { size: [3, -1, 3] }), "size -1"],
    ["fractional size", () => ndimage.maximumFilter1d(volume, { size: 2.5 }), "size 2.5"],
    ["size list of the wrong length", () => ndimage.rankFilter(volume, { rank: 1, size: [3, 3] }), "size [3,3]"],
    ["neither size nor footprint", () => ndimage.medianFilter(volume, {}), "needs size or footprint"],
    ["both size and footprint", () => ndimage.maximumFilter(volume, { size: 3, footprint: [[[1]]] }), "not both"],
    ["footprint of the wrong rank", () => ndimage.medianFilter(volume, { footprint: [[1, 1], [1, 1]] }), "footprint has shape [2, 2]"],
    ["all-zero footprint", () => ndimage.minimumFilter(volume, { footprint: [[[0, 0]]] }), "no true cell"],
    ["ragged footprint", () => ndimage.maximumFilter(volume, { footprint: [[[1, 1], [1]]] }), "ragged"],
    ["origin beyond the footprint", () => ndimage.medianFilter(volume, { size: 3, origin: 2 }), "origin 2"],
    ["origin beyond an even footprint", () => ndimage.greyDilation(volume, { size: [2, 2, 2], origin: [0, 1, 0] }), "origin 1"],
    ["mode list with a non-box footprint", () => ndimage.maximumFilter(volume, { footprint: [[[1, 0, 1]]], mode: ["wrap", "wrap", "wrap"] }), "list of modes"],
    ["mode list for a rank filter", () => ndimage.medianFilter(volume, { size: 3, mode: ["wrap", "wrap", "wrap"] }), "list of modes"],
    ["unknown mode", () => ndimage.minimumFilter(volume, { size: 3, mode: "edge" as never }), '"edge"'],
    ["bool grey morphology into another dtype", () => ndimage.greyErosion(bool, { size: 3, output: "float64" }), "bool only"],
    ["uint64 grey morphology with a structure", () => ndimage.greyDilation(new NDArray(new BigUint64Array(4), [4], { dtype: "uint64" }), { structure: [1, 0, 2] }), "uint64 input with a structure"],
    ["int64 grey morphology with a structure beyond 2^53", () => ndimage.greyOpening(new NDArray(BigInt64Array.of(0n, 2n ** 53n, 5n), [3]), { structure: [1, 0, 2] }), "within 2^53"],
    ["int64 grey morphology with a structure and a NaN cval", () => ndimage.greyErosion(new NDArray(new BigInt64Array(4), [4]), { structure: [1, 0, 2], cval: Number.NaN }), "cval null"],
    ["int64 input filtered into another dtype", () => ndimage.maximumFilter(new NDArray(new BigInt64Array(4), [4]), { size: 3, output: "float64" }), "int64 only"],
    ["uint64 input with a negative cval", () => ndimage.medianFilter(new NDArray(new BigUint64Array(4), [4], { dtype: "uint64" }), { size: 3, mode: "constant", cval: -2 }), "cval -2"],
    ["int64 input with a NaN cval", () => ndimage.minimumFilter1d(new NDArray(new BigInt64Array(4), [4]), { size: 3, cval: Number.NaN }), "cval null"],
    ["rank beyond the footprint", () => ndimage.rankFilter(volume, { rank: 27, size: 3 }), "rank 27"],
    ["rank not an integer", () => ndimage.rankFilter(volume, { rank: 1.5, size: 3 }), "rank 1.5"],
    ["percentile above 100", () => ndimage.percentileFilter(volume, { percentile: 101, size: 3 }), "percentile 101"],
    ["tophat output of another dtype", () => ndimage.whiteTophat(volume, { size: 3, output: "uint8" }), "output uint8"],
    ["grey structure of the wrong rank", () => ndimage.greyErosion(volume, { structure: [1, 2, 1] }), "structure has shape [3]"],
    ["binary iterations not an integer", () => ndimage.binaryErosion(volume, { iterations: 1.5 }), "iterations 1.5"],
    ["binary mask of another shape", () => ndimage.binaryDilation(volume, { mask: bool }), "mask shape [8]"],
    ["binary structure of the wrong rank", () => ndimage.binaryOpening(volume, { structure: [[1, 1, 1]] }), "structure has shape [1, 3]"],
    ["binary origin out of range", () => ndimage.binaryErosion(volume, { origin: [0, 2, 0] }), "origin 2"],
    ["iterations < 1 that never settles", () => ndimage.binaryErosion(new NDArray(Uint8Array.from([0, 1, 0, 1, 0, 1, 0]), [7], { dtype: "uint8" }), { structure: [1, 0, 1], borderValue: 1, iterations: 0 }), "iterations < 1"],
    ["EDT sampling of the wrong length", () => ndimage.distanceTransformEdt(volume, { sampling: [1, 1] }), "sampling [1,1]"],
    ["EDT sampling not finite", () => ndimage.distanceTransformEdt(volume, { sampling: Number.NaN }), "sampling"],
    ["findObjects on floats", () => ndimage.findObjects(volume), "float32"],
    ["measurement labels of another shape", () => ndimage.sumLabels(volume, bool), "labels shape [8]"],
    ["measurement labels that are floats", () => ndimage.mean(volume, volume), "labels must hold integers"],
    ["measurement index without labels", () => ndimage.mean(volume, undefined, 1), "index needs labels"],
    ["fractional label index", () => ndimage.variance(volume, labels, [1, 2.5]), "index 2.5"],
    ["minimum of an empty group", () => ndimage.minimum(volume, labels, 9), "no cells"],
    ["generateBinaryStructure rank 1.5", () => ndimage.generateBinaryStructure(1.5, 1), "rank 1.5"],
  ];
  for (const [what, call, named] of cases) it(what, () => assertInvalidOption(call, named));
});

// Found by test/ndimage/rank-morphology-differential.test.ts; expected values from scipy 1.10.
describe("rank filters and grey morphology corners (differential-test regressions)", () => {
  it("a footprint reaching wholly past a short axis reads the mode's cells (it threw a RangeError)", () => {
    const column = new NDArray(Float64Array.from([1, 2, 3, 4, 5]), [5, 1]);
    for (const backend of ["js", "wasm"] as const) {
      assert.deepEqual(ndimage.minimumFilter(column, { footprint: [[1, 0, 0, 0]], mode: "mirror", backend }).toArray(), [[1], [2], [3], [4], [5]]);
      const fp = [[0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 0]];
      assert.deepEqual(ndimage.greyErosion(column, { footprint: fp, origin: [1, 1], mode: "mirror", backend }).toArray(), [[2], [1], [1], [2], [3]]);
    }
  });

  it("int32 values plus a grey structure wrap as C's int32 addition (INT32_MIN − 1 is INT32_MAX, not INT32_MIN)", () => {
    const x = new NDArray(Int32Array.from([5, -7, 100000, 3]), [1, 4]);
    assert.deepEqual(ndimage.greyErosion(x, { structure: [[0.5, 2, 1]], mode: "constant", cval: NaN }).toArray(), [[-2147483648, -9, -7, 1]]);
  });

  it("tophats with an output dtype subtract in the promoted dtype and refuse what NumPy's same_kind rule refuses", () => {
    const x = new NDArray(Int8Array.from([3, -7, 100, 3, 9, -2]), [1, 6], { dtype: "int8" });
    const white = ndimage.whiteTophat(x, { size: [1, 3], output: "float64" });
    assert.equal(white.dtype, "float64");
    assert.deepEqual(white.toArray(), [[10, 0, 97, 0, 6, 0]]);
    assert.deepEqual(ndimage.blackTophat(x, { size: [1, 3], output: "int16" }).toArray(), [[0, 10, 0, 6, 0, 11]]);
    assertInvalidOption(() => ndimage.whiteTophat(x, { size: [1, 3], output: "uint8" }), "output uint8");
  });

  it("minimum/maximumFilter1d of size 1 store through C's cast as scipy's 1-D loop does (minimumFilter of size 1 copies as NumPy)", () => {
    const x = new NDArray(Uint32Array.from([3000000091, 5, 2147483648, 2147483647, 4294967295]), [5], { dtype: "uint32" });
    assert.deepEqual(ndimage.minimumFilter1d(x, { size: 1, output: "uint8" }).toArray(), [0, 5, 0, 255, 0]);
    assert.deepEqual(ndimage.maximumFilter1d(x, { size: 1, output: "int16" }).toArray(), [0, 5, 0, -1, 0]);
    assert.deepEqual(ndimage.minimumFilter(x, { size: 1, output: "uint8" }).toArray(), [91, 5, 0, 255, 255]);
  });
});

