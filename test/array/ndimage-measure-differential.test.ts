// Differential test of the chunked label, measurements, findObjects, distanceTransformEdt and
// binaryFillHoles (ta.ndimage.*) against Debian's scipy.ndimage on the whole array: random
// chunkings with many blocks per axis (blocks of 1 and 2 cells included), so objects cross
// several block borders and touch only at block corners. Seeded (TESSERA_FUZZ_SEED reruns
// another seed), one Python process per test. tessera promises scipy's label numbering itself
// (label.ts), so labels are compared cell for cell, not up to a renumbering.
import { describe, it } from "node:test";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { type Rng, integer, pick } from "./differential-inputs.js";
import { seededRandom } from "../ndimage/helpers.js";
import { type DiffCase, differences, fuzzSeed, py, report } from "../ndimage/differential-harness.js";
import { manyChunks, maskDtypes, randomLabels, randomMask, randomShape, randomStructure, structurePy } from "../ndimage/measure-cases.js";

type Inputs = Record<string, nd.NDArray>;

/** A lazy array of `array` in random chunks; the chunks go into the label so a failure shows them. */
function chunked(rng: Rng, array: nd.NDArray): { lazy: () => ta.Array; chunks: number[][] } {
  const chunks = array.shape.map((n) => manyChunks(rng, n));
  return { lazy: () => ta.fromArray(array, { chunks }), chunks };
}

function labelCases(rng: Rng, inputs: Inputs, count: number): DiffCase[] {
  const cases: DiffCase[] = [];
  for (let i = 0; i < count; i++) {
    const ndim = integer(rng, 1, 3);
    // Every tenth volume larger (up to 24³ in blocks of 1–4 cells): components that wind through many blocks.
    const shape = randomShape(rng, ndim, i % 10 === 9 ? [0, 400, 60, 24][ndim] : [0, 40, 14, 7][ndim]);
    if (i % 10 === 4) shape[ndim - 1] = integer(rng, 60, 200);
    const dtype = pick(rng, maskDtypes);
    const name = `m${i}`;
    inputs[name] = randomMask(rng, shape, dtype, pick(rng, [0.3, 0.5, 0.65]));
    const structure = randomStructure(rng, ndim);
    const options = structure === undefined ? {} : { structure };
    const { lazy, chunks } = chunked(rng, inputs[name]);
    const call = `ndi.label(${name}, structure=${structurePy(structure)})`;
    const label = `label ${dtype} [${shape.join(", ")}] chunks ${JSON.stringify(chunks)}`;
    cases.push({
      label: `${label} labels and count`,
      python: `(lambda r: np.concatenate([r[0].ravel(), [r[1]]]).astype(float) if r[0].dtype == np.int32 else None)(${call})`,
      run: async () => {
        const [labels, n] = ta.ndimage.label(lazy(), options);
        const [cells, total] = await ta.compute([labels, n]);
        if (cells.dtype !== "int32") throw new Error(`labels dtype ${cells.dtype}, expected int32`);
        return nd.fromTypedArray(Float64Array.from([...(cells.toTypedArray() as Int32Array), Number(total.item())]), [cells.size + 1]);
      },
      errorNames: /structure/,
    });
  }
  return cases;
}

type Measure = "sum" | "sumLabels" | "mean" | "minimum" | "maximum" | "centerOfMass";
const scipyNames: Record<Measure, string> = { sum: "sum", sumLabels: "sum_labels", mean: "mean", minimum: "minimum", maximum: "maximum", centerOfMass: "center_of_mass" };

/**
 * Values for the chunked measurements. Floats are non-negative (intensities): each block's float64
 * partial sums are added in another order than scipy's one C-order bincount, and without
 * cancellation the relative difference stays below cells × 2⁻⁵³ (< 1e-13 here), so 1e-12 holds.
 */
function intensities(rng: Rng, shape: number[], dtype: nd.DType): nd.NDArray {
  const size = shape.reduce((a, b) => a * b, 1);
  if (dtype === "uint64" && rng() < 0.5) {
    // Past 2⁵³: minimum and maximum must stay exact; the sums are float64 as scipy's bincount's.
    return nd.fromTypedArray(BigUint64Array.from({ length: size }, () => BigInt(integer(rng, 0, 2 ** 30)) * 2n ** 32n + BigInt(integer(rng, 0, 2 ** 31))), shape);
  }
  const float = dtype.startsWith("float");
  const data = Float64Array.from({ length: size }, () =>
    dtype === "bool" ? (rng() < 0.5 ? 1 : 0) : float ? (rng() < 0.02 ? NaN : rng() * 10 ** integer(rng, 0, 4)) : dtype.startsWith("u") ? integer(rng, 0, dtype === "uint8" ? 255 : 65535) : integer(rng, dtype === "int8" ? -128 : -32768, dtype === "int8" ? 127 : 32767));
  return nd.astype(nd.fromTypedArray(data, shape), dtype);
}

function measureCases(rng: Rng, inputs: Inputs, count: number): DiffCase[] {
  const cases: DiffCase[] = [];
  for (let i = 0; i < count; i++) {
    const ndim = integer(rng, 1, 3);
    const shape = randomShape(rng, ndim, [0, 40, 12, 6][ndim]);
    const valueDtype = pick(rng, ["bool", "uint8", "int8", "uint16", "int16", "int32", "uint32", "int64", "uint64", "float32", "float64"] as nd.DType[]);
    const labelDtype = pick(rng, ["bool", "uint8", "int8", "uint16", "int32", "int64", "uint32"] as nd.DType[]);
    const v = `v${i}`;
    const l = `l${i}`;
    inputs[v] = intensities(rng, shape, valueDtype);
    inputs[l] = randomLabels(rng, shape, labelDtype);
    const signed = labelDtype.startsWith("int");
    const index = Array.from({ length: integer(rng, 0, 6) }, () => pick(rng, [0, 1, 2, 3, 4, 5, 9, 1000, ...(signed ? [-1, -2] : [])]));
    const asArray = rng() < 0.3 && index.length > 0;
    const indexArg = asArray ? nd.astype(nd.fromTypedArray(Float64Array.from(index), [index.length]), "int32") : index;
    const fn = pick(rng, Object.keys(scipyNames) as Measure[]);
    const values = chunked(rng, inputs[v]);
    const splitEvery = pick(rng, [undefined, 2, 3]);
    const float = valueDtype.startsWith("float");
    cases.push({
      label: `${fn} values ${valueDtype} labels ${labelDtype} index ${py(index)} [${shape.join(", ")}] chunks ${JSON.stringify(values.chunks)} splitEvery ${splitEvery}`,
      python: `np.array(ndi.${scipyNames[fn]}(${v}, ${l}, ${asArray ? `np.array(${py(index)}, dtype="int32")` : py(index)}))${fn === "centerOfMass" ? `.reshape(${index.length}, ${ndim})` : ""}`,
      run: () => {
        // The labels in other chunks than the values: the fold must align them.
        const labels = ta.fromArray(inputs[l], { chunks: inputs[l].shape.map((n) => manyChunks(rng, n)) });
        const call = ta.ndimage[fn] as (input: ta.Array, labels: ta.Array, index: unknown, options?: object) => ta.Array;
        return call(values.lazy(), labels, indexArg, splitEvery === undefined ? undefined : { splitEvery }).compute();
      },
      tolerance: (float || valueDtype === "uint64") && fn !== "minimum" && fn !== "maximum" ? 1e-12 : 0,
    });
  }
  return cases;
}

const objectsPy = (name: string, ndim: number, maxLabel: number | undefined) =>
  `(lambda r: np.array([[v for s in o for v in (s.start, s.stop)] if o is not None else [-1] * ${2 * ndim} for o in r], dtype=float).reshape(len(r), ${2 * ndim}))` +
  `(ndi.find_objects(${name}${maxLabel === undefined ? "" : `, max_label=${maxLabel}`}))`;

function findObjectsCases(rng: Rng, inputs: Inputs, count: number): DiffCase[] {
  const cases: DiffCase[] = [];
  for (let i = 0; i < count; i++) {
    const ndim = integer(rng, 1, 3);
    const shape = randomShape(rng, ndim, [0, 30, 9, 5][ndim]);
    const dtype = pick(rng, ["uint8", "int8", "int16", "uint16", "int32", "uint32", "int64"] as nd.DType[]);
    const name = `o${i}`;
    inputs[name] = randomLabels(rng, shape, dtype);
    const maxLabel = pick(rng, [undefined, undefined, 0, -1, 2, 4, 9]);
    const { lazy, chunks } = chunked(rng, inputs[name]);
    cases.push({
      label: `findObjects ${dtype} [${shape.join(", ")}] chunks ${JSON.stringify(chunks)} maxLabel ${maxLabel}`,
      python: objectsPy(name, ndim, maxLabel),
      run: async () => {
        const objects = await ta.ndimage.findObjects(lazy(), maxLabel === undefined ? {} : { maxLabel });
        return nd.fromTypedArray(Float64Array.from(objects.flatMap((o) => (o === null ? new Array<number>(2 * ndim).fill(-1) : o.flatMap((r) => [r.start, r.stop])))), [objects.length, 2 * ndim]);
      },
    });
  }
  return cases;
}

function distanceCases(rng: Rng, inputs: Inputs, count: number): DiffCase[] {
  const cases: DiffCase[] = [];
  for (let i = 0; i < count; i++) {
    const ndim = integer(rng, 1, 3);
    const shape = randomShape(rng, ndim, [0, 40, 12, 6][ndim]);
    const dtype = pick(rng, maskDtypes);
    if (i % 6 === 5) shape[ndim - 1] = integer(rng, 60, 200);
    const name = `e${i}`;
    inputs[name] = randomMask(rng, shape, dtype, pick(rng, [0.5, 0.85, 0.97, 1]));
    const sampling = pick(rng, [undefined, 0.5, shape.map(() => pick(rng, [0.3, 1, 1.7, 4]))]);
    const { lazy, chunks } = chunked(rng, inputs[name]);
    cases.push({
      label: `distanceTransformEdt ${dtype} [${shape.join(", ")}] chunks ${JSON.stringify(chunks)} sampling ${JSON.stringify(sampling)}`,
      python: `ndi.distance_transform_edt(${name}, sampling=${py(sampling)})`,
      run: () => ta.ndimage.distanceTransformEdt(lazy(), sampling === undefined ? {} : { sampling }).compute(),
    });
  }
  return cases;
}

function fillHolesCases(rng: Rng, inputs: Inputs, count: number): DiffCase[] {
  const cases: DiffCase[] = [];
  for (let i = 0; i < count; i++) {
    const ndim = integer(rng, 1, 3);
    const shape = randomShape(rng, ndim, [0, 30, 14, 7][ndim]);
    const dtype = pick(rng, maskDtypes);
    if (i % 6 === 5) shape[ndim - 1] = integer(rng, 60, 200);
    const name = `f${i}`;
    inputs[name] = randomMask(rng, shape, dtype, pick(rng, [0.4, 0.6, 0.75]));
    const structure = randomStructure(rng, ndim);
    const { lazy, chunks } = chunked(rng, inputs[name]);
    cases.push({
      label: `binaryFillHoles ${dtype} [${shape.join(", ")}] chunks ${JSON.stringify(chunks)} structure ${structure?.toArray().toString()}`,
      python: `ndi.binary_fill_holes(${name}, structure=${structurePy(structure)})`,
      run: async () => (await ta.ndimage.binaryFillHoles(lazy(), structure === undefined ? {} : { structure })).compute(),
      errorNames: /structure/,
      refusalAllowed: /centre/,
    });
  }
  return cases;
}

describe("chunked segmentation and measurements against scipy.ndimage of the whole array (seeded differential)", () => {
  it("label: scipy's labels (its numbering) and count, blocks of 1–4 cells, every connectivity", async () => {
    const inputs: Inputs = {};
    report(await differences(labelCases(seededRandom(fuzzSeed), inputs, 90), inputs), "chunked label", fuzzSeed);
  });

  it("sum, mean, minimum, maximum, centerOfMass: labels chunked unlike the values, index lists with absent labels and 0", async () => {
    const inputs: Inputs = {};
    report(await differences(measureCases(seededRandom(fuzzSeed + 1), inputs, 160), inputs), "chunked measurements", fuzzSeed + 1);
  });

  it("findObjects with and without maxLabel", async () => {
    const inputs: Inputs = {};
    report(await differences(findObjectsCases(seededRandom(fuzzSeed + 2), inputs, 60), inputs), "chunked findObjects", fuzzSeed + 2);
  });

  it("distanceTransformEdt with per-axis sampling", async () => {
    const inputs: Inputs = {};
    report(await differences(distanceCases(seededRandom(fuzzSeed + 3), inputs, 50), inputs), "chunked distanceTransformEdt", fuzzSeed + 3);
  });

  it("binaryFillHoles with holes and background crossing many blocks", async () => {
    const inputs: Inputs = {};
    report(await differences(fillHolesCases(seededRandom(fuzzSeed + 4), inputs, 60), inputs), "chunked binaryFillHoles", fuzzSeed + 4);
  });
});
