// morphologicalGradient, morphologicalLaplace and binaryHitOrMiss against scipy 1.10, bit for bit,
// on seeded random cases: 1–3-d shapes, every shared dtype with NaN/±inf/−0 (integers wrapping in
// the subtractions), sizes, footprints and grey structures with origins, every mode and cval; hit
// or miss with drawn or default structures and origins on bool, integer and float inputs (NaN is
// foreground). Then outputRegion (the region of the whole result) and the refusals.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ndimage from "../../src/ndimage/index.js";
import * as nd from "../../src/ndarray/index.js";
import { randomArray } from "../array/differential-inputs.js";
import { type FilterCase, type Rng, allModes, differences, drawCval, drawFootprint, drawInput, drawOrigin, fuzzSeed, integer, kwargs, maybe, pick, py, report, rngOf } from "./filter-differential.js";
import { drawGreyWindow, gridShape, sizeOneOrigin } from "./morphology-draws.js";
import { assertInvalidOption } from "./helpers.js";

const greyFunctions = [["morphologicalGradient", "morphological_gradient"], ["morphologicalLaplace", "morphological_laplace"]] as const;

function greyCase(rng: Rng, inputs: Record<string, nd.NDArray>, label: string): FilterCase {
  const [name, x] = drawInput(rng, inputs);
  const [fn, scipyName] = pick(rng, greyFunctions);
  const options: Record<string, unknown> = { ...drawGreyWindow(rng, x.ndim), mode: maybe(rng, 0.8, () => pick(rng, allModes)), cval: maybe(rng, 0.5, () => drawCval(rng)) };
  return {
    label: `${label} ${fn} ${x.dtype}[${x.shape}] ${JSON.stringify(options)}`,
    run: () => ndimage[fn](x, options),
    python: `ndi.${scipyName}(${name}, ${kwargs(options)})`,
    refusalAllowed: sizeOneOrigin,
  };
}

/** A bool, integer or float input whose nonzero cells (NaN among them) are the foreground. */
function binaryInput(rng: Rng, inputs: Record<string, nd.NDArray>): [string, nd.NDArray] {
  const shape = Array.from({ length: integer(rng, 1, 3) }, () => pick(rng, [1, 2, 3, 5, 8, 11]));
  const dtype = pick(rng, ["bool", "bool", "uint8", "float64", "int64"] as const);
  const bits = randomArray(rng, "float64", shape);
  const values = bits.toTypedArray() as Float64Array;
  const density = pick(rng, [0.3, 0.6, 0.85]);
  for (let i = 0; i < values.length; i++) values[i] = rng() < density ? (dtype === "float64" ? pick(rng, [1, -0.5, NaN]) : 1) : 0;
  const name = `b${Object.keys(inputs).length}`;
  inputs[name] = nd.astype(bits, dtype);
  return [name, inputs[name]];
}

function hitOrMissCase(rng: Rng, inputs: Record<string, nd.NDArray>, label: string): FilterCase {
  const [name, x] = binaryInput(rng, inputs);
  const structure1 = maybe(rng, 0.8, () => drawFootprint(rng, x.ndim));
  const shape1 = structure1 ? gridShape(structure1) : new Array<number>(x.ndim).fill(3);
  // structure2: the default (structure1's complement), one of structure1's shape (origin2 may default), or any with its own origin2.
  const kind = pick(rng, ["default", "same shape", "own"] as const);
  let structure2: unknown;
  let origin2: number[] | undefined;
  if (kind === "same shape") structure2 = drawFootprint(rng, x.ndim);
  while (kind === "same shape" && gridShape(structure2).join() !== shape1.join()) structure2 = drawFootprint(rng, x.ndim);
  if (kind === "own") {
    structure2 = drawFootprint(rng, x.ndim);
    origin2 = gridShape(structure2).map((n) => drawOrigin(rng, n, 0));
  }
  const origin1 = maybe(rng, 0.5, () => shape1.map((n) => drawOrigin(rng, n, 0)));
  const options = { structure1, structure2, origin1, origin2 };
  const array = (grid: unknown): string => (grid === undefined ? "None" : `np.array(${py(grid)}, dtype=bool)`);
  const origin = (o: number[] | undefined, fallback: string): string => (o === undefined ? fallback : py(o));
  return {
    label: `${label} hitOrMiss ${x.dtype}[${x.shape}] ${JSON.stringify(options)}`,
    run: () => ndimage.binaryHitOrMiss(x, options as ndimage.HitOrMissOptions),
    python: `ndi.binary_hit_or_miss(${name}, structure1=${array(structure1)}, structure2=${array(structure2)}, origin1=${origin(origin1, "0")}, origin2=${origin(origin2, "None")})`,
  };
}

describe("morphologicalGradient, morphologicalLaplace and binaryHitOrMiss against scipy 1.10", () => {
  it("grey gradient and Laplace: sizes, footprints, grey structures, origins, modes, cval, every dtype", async () => {
    const rng = rngOf(fuzzSeed + 60);
    const inputs: Record<string, nd.NDArray> = {};
    const cases = Array.from({ length: 200 }, (_, i) => greyCase(rng, inputs, `g${i}`));
    report(await differences(cases, inputs), "morphological gradient and Laplace", fuzzSeed + 60);
  });

  it("hit or miss: drawn and default structures and origins, bool/integer/float inputs", async () => {
    const rng = rngOf(fuzzSeed + 61);
    const inputs: Record<string, nd.NDArray> = {};
    const cases = Array.from({ length: 200 }, (_, i) => hitOrMissCase(rng, inputs, `h${i}`));
    report(await differences(cases, inputs), "binary hit or miss", fuzzSeed + 61);
  });

  it("compute an outputRegion as that box of the whole result", () => {
    const x = randomArray(rngOf(3), "uint8", [9, 10]);
    const b = nd.astype(randomArray(rngOf(4), "uint8", [9, 10]), "bool");
    const region = { start: [2, 3], stop: [7, 9] };
    const cut = (a: nd.NDArray) => nd.slice(a, { start: 2, stop: 7 }, { start: 3, stop: 9 });
    for (const [fn, input, options] of [
      [ndimage.morphologicalGradient, x, { size: [3, 4], mode: "constant", cval: 9 }],
      [ndimage.morphologicalLaplace, x, { structure: [[1, 0, 2]], mode: "wrap" }],
      [ndimage.binaryHitOrMiss, b, { structure1: [[1, 1], [0, 1]] }],
    ] as const) {
      const call = fn as (input: nd.NDArray, options: object) => nd.NDArray;
      assert.deepEqual(Array.from(call(input, { ...options, outputRegion: region }).toTypedArray() as ArrayLike<number>), Array.from(nd.ascontiguousarray(cut(call(input, options))).toTypedArray() as ArrayLike<number>), fn.name);
    }
  });

  it("refuse what scipy cannot do or would ignore, naming it", () => {
    const x = nd.zeros([4, 4], "uint8");
    assertInvalidOption(() => ndimage.morphologicalGradient(nd.zeros([4, 4], "bool"), { size: 3 }), "a bool input cannot be subtracted");
    assertInvalidOption(() => ndimage.morphologicalLaplace(x, { size: 3, output: "float64" } as never), 'unknown option "output"');
    assertInvalidOption(() => ndimage.morphologicalGradient(x, {}), "size");
    assertInvalidOption(() => ndimage.binaryHitOrMiss(x, { structure1: [[1, 1, 1]], structure2: [[1]], origin1: [0, 1] }), "origin1 [0,1] does not fit structure2 of shape [1, 1]; give origin2");
    assertInvalidOption(() => ndimage.binaryHitOrMiss(x, { structure: [[1]] } as never), 'unknown option "structure"');
  });
});
