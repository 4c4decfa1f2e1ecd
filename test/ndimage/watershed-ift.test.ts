// watershedIft against scipy 1.10's watershed_ift, bit for bit, on seeded random cases: uint8 and
// uint16 images with plateaus (few grey levels) and full ranges (65535 included: scipy's uint16
// cost wraps), 1–3-d, many markers of both signs (values beyond the output dtype and beyond 32
// bits), default and drawn 3×…×3 structures, every signed output dtype. Then the refusals.
import { describe, it } from "node:test";
import * as ndimage from "../../src/ndimage/index.js";
import * as nd from "../../src/ndarray/index.js";
import { type FilterCase, type Rng, differences, fuzzSeed, integer, maybe, pick, py, report, rngOf } from "./filter-differential.js";
import { assertInvalidOption } from "./helpers.js";

const signed = ["int8", "int16", "int32", "int64"] as const;

function image(rng: Rng, shape: number[]): nd.NDArray {
  const dtype = pick(rng, ["uint8", "uint16"] as const);
  const size = shape.reduce((a, b) => a * b, 1);
  const top = pick(rng, [1, 3, 8, dtype === "uint8" ? 255 : 65535, dtype === "uint8" ? 255 : 1000]);
  const values = Array.from({ length: size }, () => integer(rng, 0, top));
  return nd.reshape(nd.array(values, { dtype }), shape);
}

function markerArray(rng: Rng, shape: number[]): nd.NDArray {
  const dtype = pick(rng, signed);
  const size = shape.reduce((a, b) => a * b, 1);
  const density = pick(rng, [0.02, 0.1, 0.3, 0.6]);
  const wide = dtype === "int64" && rng() < 0.3;
  const limits = { int8: 127, int16: 32767, int32: 2 ** 31 - 1, int64: 2 ** 31 - 1 }[dtype];
  const big = rng() < 0.3 ? limits : 9;
  if (wide) {
    // Beyond 32 bits: scipy's C int keeps the low 32 bits (2**32 + 3 labels as 3; 2**32 − 1 as −1).
    const data = BigInt64Array.from({ length: size }, () => (rng() < density ? BigInt(pick(rng, [2 ** 32 + 3, 2 ** 32 - 1, -(2 ** 33) + 5, 7])) : 0n));
    return nd.fromTypedArray(data, shape);
  }
  const values = Array.from({ length: size }, () => (rng() < density ? integer(rng, -big, big) : 0));
  return nd.reshape(nd.array(values, { dtype }), shape);
}

function drawStructure(rng: Rng, ndim: number): boolean[] | unknown[] {
  const density = pick(rng, [0.3, 0.6, 1]);
  const build = (axis: number): unknown[] => Array.from({ length: 3 }, () => (axis === ndim - 1 ? rng() < density : build(axis + 1)));
  return build(0);
}

function watershedCase(rng: Rng, inputs: Record<string, nd.NDArray>, label: string): FilterCase {
  const shape = Array.from({ length: integer(rng, 1, 3) }, () => pick(rng, [1, 2, 3, 5, 8, 13]));
  const name = `i${Object.keys(inputs).length}`;
  inputs[name] = image(rng, shape);
  const markers = `m${Object.keys(inputs).length}`;
  inputs[markers] = markerArray(rng, shape);
  const structure = maybe(rng, 0.5, () => drawStructure(rng, shape.length));
  const output = maybe(rng, 0.3, () => pick(rng, signed));
  const options = { structure, output } as ndimage.WatershedIftOptions;
  const pyStructure = structure === undefined ? "None" : `np.array(${py(structure)}, dtype=bool)`;
  const pyOutput = output === undefined ? "None" : `np.zeros(${py(shape)}, dtype=np.${output})`;
  return {
    label: `${label} ${inputs[name].dtype}[${shape}] markers ${inputs[markers].dtype} ${JSON.stringify(options)}`,
    run: () => ndimage.watershedIft(inputs[name], inputs[markers], options),
    python: `ndi.watershed_ift(${name}, ${markers}, structure=${pyStructure}, output=${pyOutput})`,
  };
}

describe("watershedIft against scipy 1.10", () => {
  it("plateaus, many markers of both signs, structures, output dtypes, 1–3-d: bit for bit", async () => {
    const rng = rngOf(fuzzSeed + 301);
    const inputs: Record<string, nd.NDArray> = {};
    const cases = Array.from({ length: 300 }, (_, i) => watershedCase(rng, inputs, `w${i}`));
    report(await differences(cases, inputs), "watershedIft", fuzzSeed + 301);
  });

  it("a larger image with few grey levels: queue order decides most cells", async () => {
    const rng = rngOf(fuzzSeed + 302);
    const inputs: Record<string, nd.NDArray> = { a: image(rng, [40, 50]), m: markerArray(rng, [40, 50]) };
    const cases: FilterCase[] = [{ label: "40×50", run: () => ndimage.watershedIft(inputs.a, inputs.m), python: "ndi.watershed_ift(a, m)" }];
    report(await differences(cases, inputs), "watershedIft large", fuzzSeed + 302);
  });

  it("refuses what scipy refuses, naming it", () => {
    const a = nd.array([[1, 2], [3, 4]], { dtype: "uint8" });
    const m = nd.array([[1, 0], [0, -1]], { dtype: "int32" });
    assertInvalidOption(() => ndimage.watershedIft(nd.astype(a, "float64"), m), "input dtype float64");
    assertInvalidOption(() => ndimage.watershedIft(a, nd.astype(m, "uint8")), "markers dtype uint8");
    assertInvalidOption(() => ndimage.watershedIft(a, m, { output: "uint16" }), "output dtype uint16");
    assertInvalidOption(() => ndimage.watershedIft(a, nd.array([1, 0], { dtype: "int32" })), "markers shape");
    assertInvalidOption(() => ndimage.watershedIft(a, m, { structure: [[1, 1], [1, 1]] }), "structure shape");
    assertInvalidOption(() => ndimage.watershedIft(a, m, { structure: [1, 1, 1] }), "structure has 1 dimensions");
    assertInvalidOption(() => ndimage.watershedIft(a, m, { connectivity: 2 } as never), "connectivity");
  });
});
