// Differential test of label, findObjects, the per-label measurements, distanceTransformEdt and
// binaryFillHoles (eager, src/ndimage) against Debian's scipy.ndimage on the same arrays: seeded
// random cases (TESSERA_FUZZ_SEED reruns another seed) plus hand-picked corners, one Python
// process per test. Values are compared bit for bit: tessera repeats NumPy's arithmetic here
// (pairwise sums for one group, bincount's C-order float64 sums for an index list).
import { describe, it } from "node:test";
import * as nd from "../../src/ndarray/index.js";
import * as ndimage from "../../src/ndimage/index.js";
import { type Rng, integer, pick } from "../array/differential-inputs.js";
import { seededRandom } from "./helpers.js";
import { type DiffCase, differences, fuzzSeed, py, report } from "./differential-harness.js";
import { maskDtypes, randomIndex, randomLabels, randomMask, randomShape, randomStructure, randomValues, structurePy } from "./measure-cases.js";

type Inputs = Record<string, nd.NDArray>;

function labelCases(rng: Rng, inputs: Inputs, count: number): DiffCase[] {
  const cases: DiffCase[] = [];
  for (let i = 0; i < count; i++) {
    const ndim = integer(rng, 1, 3);
    const shape = randomShape(rng, ndim, [0, 40, 12, 6][ndim]);
    // Every fifth mask has long lines (up to 300 cells): runs are found a machine word at a time.
    if (i % 5 === 4) shape[ndim - 1] = integer(rng, 60, 300);
    const dtype = pick(rng, maskDtypes);
    const name = `m${i}`;
    inputs[name] = randomMask(rng, shape, dtype, pick(rng, [0.2, 0.45, 0.6, 0.8]));
    const structure = randomStructure(rng, ndim);
    const options = structure === undefined ? {} : { structure };
    const call = `ndi.label(${name}, structure=${structurePy(structure)})`;
    const label = `label ${dtype} [${shape.join(", ")}]`;
    cases.push({ label: `${label} labels`, python: `${call}[0]`, run: () => ndimage.label(inputs[name], options)[0], errorNames: /structure/ });
    cases.push({ label: `${label} count`, python: `${call}[1]`, run: () => ndimage.label(inputs[name], options)[1], errorNames: /structure/ });
  }
  return cases;
}

/** find_objects' slices as rows [start0, stop0, …] (−1 for an absent label). */
const objectsPy = (name: string, ndim: number, maxLabel: number | undefined) =>
  `(lambda r: np.array([[v for s in o for v in (s.start, s.stop)] if o is not None else [-1] * ${2 * ndim} for o in r], dtype=float).reshape(len(r), ${2 * ndim}))` +
  `(ndi.find_objects(${name}${maxLabel === undefined ? "" : `, max_label=${maxLabel}`}))`;
const objectRows = (objects: Array<ndimage.AxisRange[] | null>, ndim: number) =>
  nd.fromTypedArray(Float64Array.from(objects.flatMap((o) => (o === null ? new Array<number>(2 * ndim).fill(-1) : o.flatMap((r) => [r.start, r.stop])))), [objects.length, 2 * ndim]);

function findObjectsCases(rng: Rng, inputs: Inputs, count: number): DiffCase[] {
  const cases: DiffCase[] = [];
  for (let i = 0; i < count; i++) {
    const ndim = integer(rng, 1, 3);
    const shape = randomShape(rng, ndim, [0, 30, 9, 5][ndim]);
    const dtype = pick(rng, ["uint8", "int8", "int16", "uint16", "int32", "uint32", "int64"] as nd.DType[]);
    const name = `o${i}`;
    inputs[name] = randomLabels(rng, shape, dtype);
    const maxLabel = pick(rng, [undefined, undefined, 0, -1, 2, 4, 9]);
    cases.push({
      label: `findObjects ${dtype} [${shape.join(", ")}] maxLabel ${maxLabel}`,
      python: objectsPy(name, ndim, maxLabel),
      run: () => objectRows(ndimage.findObjects(inputs[name], maxLabel === undefined ? {} : { maxLabel }), ndim),
    });
  }
  return cases;
}

type Measure = "sum" | "sumLabels" | "mean" | "variance" | "standardDeviation" | "minimum" | "maximum" | "centerOfMass" | "labeledComprehension";
const scipyNames: Record<Measure, string> = {
  sum: "sum", sumLabels: "sum_labels", mean: "mean", variance: "variance", standardDeviation: "standard_deviation",
  minimum: "minimum", maximum: "maximum", centerOfMass: "center_of_mass", labeledComprehension: "labeled_comprehension",
};

/** np.max: NaN wins, an empty list is an error. */
function npMax(values: Float64Array): number {
  if (values.length === 0) throw new Error("zero-size array to reduction operation maximum");
  return values.reduce((a, b) => (Number.isNaN(a) ? a : b > a || Number.isNaN(b) ? b : a));
}

function measureCases(rng: Rng, inputs: Inputs, count: number): DiffCase[] {
  const cases: DiffCase[] = [];
  for (let i = 0; i < count; i++) {
    const ndim = integer(rng, 1, 3);
    const shape = randomShape(rng, ndim, [0, 40, 10, 5][ndim]);
    const valueDtype = pick(rng, ["bool", "uint8", "int8", "uint16", "int16", "int32", "uint32", "int64", "uint64", "float32", "float64"] as nd.DType[]);
    const labelDtype = pick(rng, ["bool", "uint8", "int8", "uint16", "int32", "int64", "uint32"] as nd.DType[]);
    const v = `v${i}`;
    const l = `l${i}`;
    inputs[v] = randomValues(rng, shape, valueDtype);
    inputs[l] = randomLabels(rng, shape, labelDtype);
    const withLabels = rng() < 0.9;
    const { index, python: indexPy } = withLabels ? randomIndex(rng, labelDtype.startsWith("int")) : { index: undefined, python: "None" };
    const fn = pick(rng, Object.keys(scipyNames) as Measure[]);
    const label = `${fn} values ${valueDtype} labels ${withLabels ? labelDtype : "none"} index ${indexPy} [${shape.join(", ")}]`;
    const labelsPy = withLabels ? l : "None";
    if (fn === "labeledComprehension") {
      // np.max: independent of the order scipy visits a label's values in (its sort is not stable).
      cases.push({
        label,
        python: `ndi.labeled_comprehension(${v}, ${labelsPy}, ${indexPy}, np.max, np.float64, -1.5)`,
        run: () => ndimage.labeledComprehension(inputs[v], withLabels ? inputs[l] : undefined, index, npMax, "float64", -1.5),
        errorNames: /index|zero-size/,
        // scipy 1.10 takes index.min() of an empty index list; tessera gives the empty result the other measurements give.
        scipyDefect: Array.isArray(index) && index.length === 0 ? /zero-size array to reduction operation minimum/ : undefined,
      });
      continue;
    }
    const call = ndimage[fn] as (input: nd.NDArray, labels?: nd.NDArray, index?: unknown) => unknown;
    cases.push({
      label,
      python: `np.array(ndi.${scipyNames[fn]}(${v}, ${labelsPy}, ${indexPy}))`,
      run: () => call(inputs[v], withLabels ? inputs[l] : undefined, index) as nd.NDArray,
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
    inputs[name] = randomMask(rng, shape, dtype, pick(rng, [0.5, 0.8, 0.95, 1]));
    const sampling = pick(rng, [undefined, 1, 0.5, 2.5, shape.map(() => pick(rng, [0.3, 1, 1.7, 4]))]);
    const what = pick(rng, ["distances", "indices", "both"]);
    const options = { ...(sampling === undefined ? {} : { sampling }), ...(what === "distances" ? {} : { returnIndices: true, returnDistances: what === "both" }) };
    const call = `ndi.distance_transform_edt(${name}, sampling=${py(sampling)}, return_distances=${py(what !== "indices")}, return_indices=${py(what !== "distances")})`;
    const label = `distanceTransformEdt ${dtype} [${shape.join(", ")}] sampling ${JSON.stringify(sampling)} ${what}`;
    if (what === "distances") cases.push({ label, python: call, run: () => ndimage.distanceTransformEdt(inputs[name], options) as nd.NDArray });
    else if (what === "indices") cases.push({ label, python: call, run: () => (ndimage.distanceTransformEdt(inputs[name], options) as ndimage.DistanceTransformResult).indices as nd.NDArray });
    else {
      cases.push({ label: `${label} distances`, python: `${call}[0]`, run: () => (ndimage.distanceTransformEdt(inputs[name], options) as ndimage.DistanceTransformResult).distances as nd.NDArray });
      cases.push({ label: `${label} indices`, python: `${call}[1]`, run: () => (ndimage.distanceTransformEdt(inputs[name], options) as ndimage.DistanceTransformResult).indices as nd.NDArray });
    }
  }
  return cases;
}

function fillHolesCases(rng: Rng, inputs: Inputs, count: number): DiffCase[] {
  const cases: DiffCase[] = [];
  for (let i = 0; i < count; i++) {
    const ndim = integer(rng, 1, 3);
    const shape = randomShape(rng, ndim, [0, 30, 12, 7][ndim]);
    const dtype = pick(rng, maskDtypes);
    if (i % 6 === 5) shape[ndim - 1] = integer(rng, 60, 200);
    const name = `f${i}`;
    inputs[name] = randomMask(rng, shape, dtype, pick(rng, [0.4, 0.6, 0.75]));
    const structure = randomStructure(rng, ndim);
    cases.push({
      label: `binaryFillHoles ${dtype} [${shape.join(", ")}] structure ${structure?.toArray().toString()}`,
      python: `ndi.binary_fill_holes(${name}, structure=${structurePy(structure)})`,
      run: () => ndimage.binaryFillHoles(inputs[name], structure === undefined ? {} : { structure }),
      errorNames: /structure/,
      // Without its centre scipy's fill iterates a dilation that need not settle; tessera refuses it (eager and chunked).
      refusalAllowed: /centre/,
    });
  }
  return cases;
}

/** Hand-picked corners: 0-d and empty arrays, odd structures and samplings, int64 values past 2⁵³. */
function cornerCases(inputs: Inputs): DiffCase[] {
  const grid = nd.fromTypedArray(Uint8Array.of(1, 0, 0, 0, 0, 1, 0, 1, 1), [3, 3], { dtype: "uint8" });
  Object.assign(inputs, {
    grid, scalar: nd.fromTypedArray(Int32Array.of(5), []), empty: nd.zeros([0, 3], "uint8"),
    ones: nd.fromTypedArray(Uint8Array.of(1, 1, 0, 1, 1, 1), [2, 3], { dtype: "uint8" }),
    big: nd.fromTypedArray(BigInt64Array.of(2n ** 62n, 2n ** 62n, 3n, -5n, 2n ** 53n + 1n, 7n), [6]),
    bigLabels: nd.fromTypedArray(Int32Array.of(1, 1, 1, 0, 2, 2), [6]),
  });
  const asymmetric = nd.fromTypedArray(Uint8Array.of(1, 1, 0, 1, 1, 0, 0, 0, 0), [3, 3], { dtype: "uint8" });
  const wide = nd.ones([3, 5], "uint8");
  const cases: DiffCase[] = [
    { label: "label of a 0-d array", python: "ndi.label(scalar)[0]", run: () => ndimage.label(inputs.scalar)[0] },
    { label: "count of a 0-d array", python: "ndi.label(scalar)[1]", run: () => ndimage.label(inputs.scalar)[1] },
    { label: "label of a [0, 3] array", python: "ndi.label(empty)[0]", run: () => ndimage.label(inputs.empty)[0] },
    { label: "label, asymmetric structure", python: `ndi.label(grid, structure=${py(asymmetric)})[0]`, run: () => ndimage.label(grid, { structure: asymmetric })[0], errorNames: /symmetric/ },
    { label: "label, 3×5 structure", python: `ndi.label(grid, structure=${py(wide)})[0]`, run: () => ndimage.label(grid, { structure: wide })[0], errorNames: /structure/ },
    { label: "label, 1-d structure for 2-d input", python: "ndi.label(grid, structure=[1, 1, 1])[0]", run: () => ndimage.label(grid, { structure: [1, 1, 1] })[0], errorNames: /structure/ },
    { label: "distanceTransformEdt sampling with a 0", python: "ndi.distance_transform_edt(ones, sampling=[0, 1])", run: () => ndimage.distanceTransformEdt(inputs.ones, { sampling: [0, 1] }) },
    { label: "distanceTransformEdt negative sampling", python: "ndi.distance_transform_edt(ones, sampling=[-1, 2])", run: () => ndimage.distanceTransformEdt(inputs.ones, { sampling: [-1, 2] }) },
    { label: "distanceTransformEdt sampling of the wrong length", python: "ndi.distance_transform_edt(ones, sampling=[1, 2, 3])", run: () => ndimage.distanceTransformEdt(inputs.ones, { sampling: [1, 2, 3] }), errorNames: /sampling/ },
    { label: "distanceTransformEdt of a 0-d array", python: "ndi.distance_transform_edt(scalar)", run: () => ndimage.distanceTransformEdt(inputs.scalar) },
    { label: "findObjects of a 0-d array", python: objectsPy("scalar", 0, undefined), run: () => ndimage.findObjects(inputs.scalar).length, refusalAllowed: /at least one dimension/ },
    { label: "int64 sum past 2⁵³, one group", python: "ndi.sum(big, bigLabels, 1)", run: () => ndimage.sum(inputs.big, inputs.bigLabels, 1) },
    { label: "int64 sum past 2⁵³, index list", python: "ndi.sum(big, bigLabels, [1, 2])", run: () => ndimage.sum(inputs.big, inputs.bigLabels, [1, 2]) },
    { label: "int64 maximum, index list", python: "ndi.maximum(big, bigLabels, [1, 2])", run: () => ndimage.maximum(inputs.big, inputs.bigLabels, [1, 2]) },
    { label: "int64 maximum, one group", python: "ndi.maximum(big, bigLabels, 2)", run: () => ndimage.maximum(inputs.big, inputs.bigLabels, 2) },
    { label: "int64 mean, one group", python: "ndi.mean(big, bigLabels, 2)", run: () => ndimage.mean(inputs.big, inputs.bigLabels, 2) },
    { label: "sum with an index but no labels", python: "ndi.sum(grid, None, [1, 2])", run: () => ndimage.sum(grid, undefined, [1, 2] as never), refusalAllowed: /index needs labels/ },
  ];
  return cases;
}

describe("segmentation and measurements against scipy.ndimage (seeded differential)", () => {
  it("hand-picked corners", async () => {
    const inputs: Inputs = {};
    report(await differences(cornerCases(inputs), inputs), "corners", 0);
  });

  it("label: labels and count of random masks (every dtype, 1–3-d, every connectivity and random symmetric structures)", async () => {
    const inputs: Inputs = {};
    report(await differences(labelCases(seededRandom(fuzzSeed), inputs, 150), inputs), "label", fuzzSeed);
  });

  it("findObjects of label arrays of every integer dtype, with and without maxLabel", async () => {
    const inputs: Inputs = {};
    report(await differences(findObjectsCases(seededRandom(fuzzSeed + 1), inputs, 80), inputs), "findObjects", fuzzSeed + 1);
  });

  it("sum, mean, variance, standardDeviation, minimum, maximum, centerOfMass, labeledComprehension over every index form", async () => {
    const inputs: Inputs = {};
    report(await differences(measureCases(seededRandom(fuzzSeed + 2), inputs, 400), inputs), "measurements", fuzzSeed + 2);
  });

  it("distanceTransformEdt: distances and indices with per-axis sampling", async () => {
    const inputs: Inputs = {};
    report(await differences(distanceCases(seededRandom(fuzzSeed + 3), inputs, 80), inputs), "distanceTransformEdt", fuzzSeed + 3);
  });

  it("binaryFillHoles with every connectivity and random structures", async () => {
    const inputs: Inputs = {};
    report(await differences(fillHolesCases(seededRandom(fuzzSeed + 4), inputs, 80), inputs), "binaryFillHoles", fuzzSeed + 4);
  });
});
