// binaryPropagation against scipy 1.10's binary_propagation, bit for bit, on seeded random cases:
// 1–3-d bool/integer/float inputs, drawn masks, structures, origins and border values. With an
// origin off zero scipy's default algorithm for iterations −1 differs from its own repeated
// dilation (brute_force=True), which tessera computes (the documented difference noted in
// test/ndimage/filter-differential.ts `bruteForce`); those cases compare with brute_force=True.
import { describe, it } from "node:test";
import * as ndimage from "../../src/ndimage/index.js";
import * as nd from "../../src/ndarray/index.js";
import { randomArray } from "../array/differential-inputs.js";
import { type FilterCase, type Rng, differences, drawFootprint, drawOrigin, fuzzSeed, integer, kwargs, maybe, pick, report, rngOf } from "./filter-differential.js";
import { gridShape, sizeOneOrigin } from "./morphology-draws.js";
import { assertInvalidOption } from "./helpers.js";

function bits(rng: Rng, shape: number[], density: number, dtype: nd.DType): nd.NDArray {
  const base = randomArray(rng, "float64", shape);
  const values = base.toTypedArray() as Float64Array;
  for (let i = 0; i < values.length; i++) values[i] = rng() < density ? (dtype === "float64" ? pick(rng, [1, -0.5, NaN]) : 1) : 0;
  return nd.astype(base, dtype);
}

function crossOf(ndim: number): unknown[] {
  const build = (axis: number, off: number): unknown[] => Array.from({ length: 3 }, (_, i) => (axis === ndim - 1 ? off + Math.abs(i - 1) <= 1 : build(axis + 1, off + Math.abs(i - 1))));
  return build(0, 0);
}

function setCentre(grid: unknown[], at: number[]): void {
  let level = grid;
  for (let a = 0; a < at.length - 1; a++) level = level[at[a]] as unknown[];
  level[at[at.length - 1]] = true;
}

function propagationCase(rng: Rng, inputs: Record<string, nd.NDArray>, label: string): FilterCase {
  const shape = Array.from({ length: integer(rng, 1, 3) }, () => pick(rng, [1, 2, 3, 5, 8, 11]));
  const name = `s${Object.keys(inputs).length}`;
  inputs[name] = bits(rng, shape, pick(rng, [0.02, 0.1, 0.4]), pick(rng, ["bool", "uint8", "float64", "int64"] as const));
  const maskName = `k${Object.keys(inputs).length}`;
  const withMask = rng() < 0.8;
  if (withMask) inputs[maskName] = bits(rng, shape, pick(rng, [0.4, 0.6, 0.8]), pick(rng, ["bool", "int32"] as const));
  let structure = maybe(rng, 0.5, () => drawFootprint(rng, shape.length));
  const structureShape = structure ? gridShape(structure) : new Array<number>(shape.length).fill(3);
  const origin = maybe(rng, 0.3, () => structureShape.map((n) => drawOrigin(rng, n, 0)));
  // The shifted centre stays on: with it off, repeating until stable can cycle and scipy never returns.
  if (origin !== undefined && structure === undefined) structure = crossOf(shape.length);
  if (structure !== undefined) setCentre(structure, structureShape.map((n, a) => Math.floor(n / 2) + (origin?.[a] ?? 0)));
  const borderValue = maybe(rng, 0.3, () => pick(rng, [0, 1]));
  const options = { structure, origin, borderValue, mask: withMask ? inputs[maskName] : undefined };
  const scipyKeywords = kwargs({ structure, origin, borderValue });
  const pyMask = withMask ? maskName : "None";
  const shifted = origin !== undefined && origin.some((o) => o !== 0);
  const python = shifted
    ? `ndi.binary_dilation(${name}, iterations=-1, mask=${pyMask}, brute_force=True, ${scipyKeywords})`
    : `ndi.binary_propagation(${name}, mask=${pyMask}, ${scipyKeywords})`;
  return {
    label: `${label} ${inputs[name].dtype}[${shape}] ${JSON.stringify({ structure, origin, borderValue, mask: withMask })}`,
    run: () => ndimage.binaryPropagation(inputs[name], options as ndimage.BinaryPropagationOptions),
    python,
    refusalAllowed: sizeOneOrigin,
  };
}

describe("binaryPropagation against scipy 1.10", () => {
  it("masks, structures, origins, border values, 1–3-d: bit for bit", async () => {
    const rng = rngOf(fuzzSeed + 321);
    const inputs: Record<string, nd.NDArray> = {};
    const cases = Array.from({ length: 200 }, (_, i) => propagationCase(rng, inputs, `p${i}`));
    report(await differences(cases, inputs), "binaryPropagation", fuzzSeed + 321);
  });

  it("refuses iterations (it always repeats until stable) and unknown options, naming them", () => {
    const x = nd.array([[1, 0], [0, 0]]);
    assertInvalidOption(() => ndimage.binaryPropagation(x, { iterations: 2 } as never), "iterations");
    assertInvalidOption(() => ndimage.binaryPropagation(x, { output: "bool" } as never), "output");
    assertInvalidOption(() => ndimage.binaryPropagation(x, { mask: nd.array([1, 1]) }), "mask shape");
  });
});
