// Differential test of minimumPosition, maximumPosition, extrema, median, histogram and area
// (eager, src/ndimage) against Debian's scipy.ndimage 1.10: seeded random cases
// (TESSERA_FUZZ_SEED reruns another seed) over every value dtype, label dtypes with negative and
// sparse labels, every index form (none, scalar, list with absent labels, 0 and repeats, an
// array), NaN, −0 and inf among floats; one Python process per test. Values are compared bit for
// bit; positions after moving scipy's to the first of equal values (label-stats-cases.ts).
import { describe, it } from "node:test";
import * as nd from "../../src/ndarray/index.js";
import * as ndimage from "../../src/ndimage/index.js";
import { type Rng, integer, pick } from "../array/differential-inputs.js";
import { seededRandom } from "./helpers.js";
import { type DiffCase, differences, fuzzSeed, py, report } from "./differential-harness.js";
import { randomIndex, randomLabels, randomShape, randomValues } from "./measure-cases.js";
import { firstOfTiesPy, histogramRows, histogramRowsPy } from "./label-stats-cases.js";

type Inputs = Record<string, nd.NDArray>;
type Fn = "minimumPosition" | "maximumPosition" | "extremaValues" | "extremaPositions" | "median" | "histogram" | "area";
const fns: readonly Fn[] = ["minimumPosition", "maximumPosition", "extremaValues", "extremaPositions", "median", "histogram", "area"];
const valueDtypes: readonly nd.DType[] = ["bool", "uint8", "int8", "uint16", "int16", "int32", "uint32", "int64", "uint64", "float32", "float64"];
const labelDtypes: readonly nd.DType[] = ["bool", "uint8", "int8", "uint16", "int32", "int64", "uint32"];

// scipy's one-group positions index an empty selection when the minimum or maximum is NaN.
const nanPositionDefect = /IndexError: index 0 is out of bounds/;

function randomCases(rng: Rng, inputs: Inputs, count: number): DiffCase[] {
  const cases: DiffCase[] = [];
  for (let i = 0; i < count; i++) {
    const ndim = integer(rng, 1, 3);
    const shape = randomShape(rng, ndim, [0, 40, 10, 5][ndim]);
    const valueDtype = pick(rng, valueDtypes);
    const labelDtype = pick(rng, labelDtypes);
    const v = `v${i}`;
    const l = `l${i}`;
    inputs[v] = randomValues(rng, shape, valueDtype);
    inputs[l] = randomLabels(rng, shape, labelDtype);
    const withLabels = rng() < 0.9;
    const { index, python: indexPy } = withLabels ? randomIndex(rng, labelDtype.startsWith("int")) : { index: undefined, python: "None" };
    const list = index !== undefined && typeof index !== "number";
    const fn = pick(rng, fns);
    const labels = withLabels ? inputs[l] : undefined;
    const labelsPy = withLabels ? l : "None";
    const args = `${v}, ${labelsPy}, ${indexPy}`;
    const label = `${fn} values ${valueDtype} labels ${withLabels ? labelDtype : "none"} index ${indexPy} [${shape.join(", ")}]`;
    const kase = (python: string, run: () => ReturnType<DiffCase["run"]>, extra: Partial<DiffCase> = {}) =>
      cases.push({ label, python, run, errorNames: /no cells|index|non-empty/, ...extra });
    const call = <T>(f: (input: nd.NDArray, labels?: nd.NDArray, index?: never) => T) => () => f(inputs[v], labels, index as never);
    switch (fn) {
      case "minimumPosition":
      case "maximumPosition": {
        const scipy = `ndi.${fn === "minimumPosition" ? "minimum_position" : "maximum_position"}(${args})`;
        kase(list ? firstOfTiesPy(v, l, indexPy, scipy) : `np.array(${scipy}, dtype=float)`, call(ndimage[fn] as never) as never, { scipyDefect: nanPositionDefect });
        break;
      }
      case "extremaValues":
        kase(`(lambda r: np.concatenate([np.ravel(r[0]), np.ravel(r[1])]))(ndi.extrema(${args}))`, () => {
          const [low, high] = ndimage.extrema(inputs[v], labels as nd.NDArray, index as never) as unknown as [nd.NDArray | number, nd.NDArray | number];
          return typeof low === "number" ? [low, high as number] : nd.concatenate([low, high as nd.NDArray]);
        }, { scipyDefect: nanPositionDefect });
        break;
      case "extremaPositions": {
        const positions = (k: number) => (list ? firstOfTiesPy(v, l, indexPy, `ndi.extrema(${args})[${k}]`) : `np.array(ndi.extrema(${args})[${k}], dtype=float)`);
        kase(`np.concatenate([np.ravel(${positions(2)}), np.ravel(${positions(3)})])`, () => {
          const r = ndimage.extrema(inputs[v], labels as nd.NDArray, index as never) as unknown as [unknown, unknown, number[] | number[][], number[] | number[][]];
          return [...r[2].flat(), ...r[3].flat()];
        }, { scipyDefect: nanPositionDefect });
        break;
      }
      case "median":
        kase(`np.array(ndi.median(${args}))`, call(ndimage.median as never) as never);
        break;
      case "histogram": {
        // A third of the ranges are the data's own [min, max] (the usual call): values land on the last edge.
        const finite = Array.from(inputs[v].toTypedArray() as ArrayLike<number | bigint>, Number).filter(Number.isFinite);
        const own = finite.length > 0 && rng() < 0.35 ? [Math.min(...finite), Math.max(...finite)] : undefined;
        const [min, max] = own ?? pick(rng, [[0, 100], [-50, 50], [0.5, 4.7], [3, 3], [-1000, 30000], [0, 1]]);
        const bins = pick(rng, [1, 2, 3, 7, 10, 0]);
        kase(histogramRowsPy(`ndi.histogram(${v}, ${min}, ${max}, ${bins}, ${labelsPy}, ${indexPy})`),
          () => histogramRows(ndimage.histogram(inputs[v], min, max, bins, labels as nd.NDArray, index as never)), {
            // scipy 1.10's labeled_comprehension takes index.min() of an empty index list; tessera gives the empty result.
            scipyDefect: Array.isArray(index) && index.length === 0 ? /zero-size array to reduction operation minimum/ : undefined,
            // scipy's check casts an index array to the labels' dtype and back: uint8 232 passes for int8 labels and
            // measures label −24. tessera refuses the index instead of measuring a label it does not name.
            refusalAllowed: /index \d+ does not fit the labels' dtype/,
          });
        break;
      }
      case "area":
        kase(list ? `np.array(ndi.sum(np.ones(${v}.shape), ${args.slice(v.length + 2)})).astype(np.int64)` : `int(ndi.sum(np.ones(${v}.shape), ${args.slice(v.length + 2)}))`,
          call(ndimage.area as never) as never);
        break;
    }
  }
  return cases;
}

/** x and its neighbouring doubles. */
function around(x: number): number[] {
  const bits = new BigInt64Array(Float64Array.of(x).buffer);
  const next = (step: bigint) => new Float64Array(BigInt64Array.of(bits[0] + step).buffer)[0];
  return [next(-1n), x, next(1n)];
}

/** Hand-picked corners: ties across the whole array, NaN-only labels, absent labels, 0-d input, bad arguments. */
function cornerCases(inputs: Inputs): DiffCase[] {
  // Values on and beside every way of computing the edges of linspace(0, 0.7, 8): only NumPy's own counts them all alike.
  const onEdges = Array.from({ length: 8 }, (_, i) => [...around(i * (0.7 / 7)), ...around((i * 0.7) / 7), ...around(i / 10)]).flat();
  Object.assign(inputs, {
    onEdges: nd.fromTypedArray(Float64Array.from(onEdges)),
    ties: nd.fromTypedArray(Float64Array.of(3, 1, 1, 3, NaN, NaN, 2, -0, 0), [3, 3]),
    tieLabels: nd.fromTypedArray(Int32Array.of(1, 1, 1, 1, 2, 2, 3, 3, 3), [3, 3]),
    f32: nd.fromTypedArray(Float32Array.of(3e38, 3e38, 1, 2, 5, 6), [6]),
    f32Labels: nd.fromTypedArray(Int32Array.of(1, 1, 2, 2, -4, 2), [6]),
    scalar: nd.fromTypedArray(Float32Array.of(3), []),
    big: nd.fromTypedArray(BigInt64Array.of(2n ** 62n + 1n, 2n ** 62n, 3n, 2n ** 53n + 1n, 2n ** 53n), [5]),
    bigLabels: nd.fromTypedArray(BigInt64Array.of(7n, 7n, 0n, 2n ** 40n, 2n ** 40n), [5]),
    u8Labels: nd.fromTypedArray(Uint8Array.of(1, 1, 0, 2, 2), [5], { dtype: "uint8" }),
  });
  const { ties, tieLabels, f32, f32Labels, scalar, big, bigLabels, u8Labels } = inputs;
  return [
    { label: "minimumPosition, ties and a NaN-only label", python: firstOfTiesPy("ties", "tieLabels", "[1, 2, 3, 4]", "ndi.minimum_position(ties, tieLabels, [1, 2, 3, 4])"), run: () => ndimage.minimumPosition(ties, tieLabels, [1, 2, 3, 4]) },
    { label: "maximumPosition, ties", python: firstOfTiesPy("ties", "tieLabels", "[1, 2, 3]", "ndi.maximum_position(ties, tieLabels, [1, 2, 3])"), run: () => ndimage.maximumPosition(ties, tieLabels, [1, 2, 3]) },
    { label: "maximumPosition, one group of ties", python: "np.array(ndi.maximum_position(ties, tieLabels, 1), dtype=float)", run: () => ndimage.maximumPosition(ties, tieLabels, 1) },
    { label: "median of float32 near the top of the range (scipy's (a + b) / 2 overflows)", python: "ndi.median(f32, f32Labels, [1, 2, -4, 9])", run: () => ndimage.median(f32, f32Labels, [1, 2, -4, 9]) },
    { label: "median of one float32 group", python: "np.array(ndi.median(f32, f32Labels, 1), dtype=float)", run: () => ndimage.median(f32, f32Labels, 1) },
    { label: "median of an absent label: the smallest value of the smallest label", python: "ndi.median(ties, tieLabels, [9, 3])", run: () => ndimage.median(ties, tieLabels, [9, 3]) },
    // One group holding NaN: scipy 1.10 raises (positions[vals == nan] is empty); tessera gives NaN's first position, as np.argmin / np.argmax.
    { label: "minimumPosition, one group with NaN: np.argmin's", python: "np.array(np.unravel_index(np.argmin(ties), ties.shape), dtype=float)", run: () => ndimage.minimumPosition(ties) },
    { label: "maximumPosition, one group with NaN: np.argmax's", python: "np.array(np.unravel_index(np.argmax(ties), ties.shape), dtype=float)", run: () => ndimage.maximumPosition(ties) },
    { label: "minimumPosition of a 0-d array", python: "np.array(ndi.minimum_position(scalar), dtype=float)", run: () => ndimage.minimumPosition(scalar) },
    { label: "int64 extrema past 2⁵³ with int64 labels past 2³²", python: "np.concatenate(ndi.extrema(big, bigLabels, [7, 2**40])[:2])", run: () => nd.concatenate(ndimage.extrema(big, bigLabels, [7, 2 ** 40]).slice(0, 2) as nd.NDArray[]) },
    { label: "int64 positions past 2⁵³", python: "np.array(ndi.extrema(big, bigLabels, [7, 2**40])[2:], dtype=float)", run: () => (ndimage.extrema(big, bigLabels, [7, 2 ** 40]) as unknown[]).slice(2) as number[][][] },
    { label: "int64 median past 2⁵³", python: "ndi.median(big, bigLabels, [7, 2**40, 0])", run: () => ndimage.median(big, bigLabels, [7, 2 ** 40, 0]) },
    ...(["sum", "mean", "variance", "standardDeviation", "minimum", "maximum", "median", "area"] as const).flatMap((fn) => [
      { shape: [2, 2], python: "np.array([[1, 2], [3, 9]])" }, { shape: [], python: "np.array(3)" }, { shape: [1, 3, 1], python: "np.array([[[1], [9], [3]]])" },
    ].map(({ shape, python }): DiffCase => {
      const index = nd.reshape(nd.fromTypedArray(Int32Array.from(python.match(/\d+/g)?.map(Number) ?? []), [shape.reduce((a, b) => a * b, 1)]), shape);
      const scipy = fn === "area" ? `np.array(ndi.sum(np.ones(ties.shape), tieLabels, ${python})).astype(np.int64)` : `ndi.${fn === "standardDeviation" ? "standard_deviation" : fn}(ties, tieLabels, ${python})`;
      return {
        label: `${fn} keeps the index array's shape [${shape.join(", ")}]`, python: scipy, run: () => (ndimage[fn] as (a: nd.NDArray, l: nd.NDArray, i: nd.NDArray) => nd.NDArray)(ties, tieLabels, index),
        // scipy 1.10's _stats assigns into the 0-d result of a 0-d index (sum, mean, variance); tessera gives the 0-d result.
        scipyDefect: /object does not support item assignment/,
      };
    })),
    { label: "histogram with an index past uint8 labels", python: "ndi.histogram(big, 0, 10, 2, u8Labels, [1, 300])", run: () => histogramRows(ndimage.histogram(big, 0, 10, 2, u8Labels, [1, 300])), errorNames: /index 300/ },
    { label: "histogram, values on the last edge", python: histogramRowsPy("ndi.histogram(ties, 0, 3, 3, tieLabels, [1, 2, 3, 4])"), run: () => histogramRows(ndimage.histogram(ties, 0, 3, 3, tieLabels, [1, 2, 3, 4])) },
    { label: "histogram, values on NumPy's linspace edges", python: histogramRowsPy("ndi.histogram(onEdges, 0, 0.7, 7)"), run: () => histogramRows(ndimage.histogram(inputs.onEdges, 0, 0.7, 7)) },
    { label: "histogram, min = max", python: histogramRowsPy("ndi.histogram(ties, 3, 3, 2)"), run: () => histogramRows(ndimage.histogram(ties, 3, 3, 2)) },
    { label: "histogram, min above max", python: "ndi.histogram(ties, 5, 0, 2)", run: () => histogramRows(ndimage.histogram(ties, 5, 0, 2)), errorNames: /min/ },
    { label: "histogram, bins -1 (empty)", python: histogramRowsPy("ndi.histogram(ties, 0, 5, -1)"), run: () => histogramRows(ndimage.histogram(ties, 0, 5, -1)) },
    { label: "histogram, bins -2", python: "ndi.histogram(ties, 0, 5, -2)", run: () => histogramRows(ndimage.histogram(ties, 0, 5, -2)), errorNames: /bins/ },
    { label: "histogram, bins 2.5", python: "ndi.histogram(ties, 0, 5, 2.5)", run: () => histogramRows(ndimage.histogram(ties, 0, 5, 2.5)), errorNames: /bins/ },
    { label: "minimumPosition, labels of another shape", python: "ndi.minimum_position(ties, tieLabels[:2], [1])", run: () => ndimage.minimumPosition(ties, nd.fromTypedArray(Int32Array.of(1, 1, 1, 1, 2, 2), [2, 3]), [1]), errorNames: /labels shape/ },
    { label: "median, empty array with an index list", python: "ndi.median(ties[:0], tieLabels[:0], [1])", run: () => ndimage.median(nd.zeros([0, 3]), nd.zeros([0, 3], "int32"), [1]), errorNames: /non-empty/ },
    { label: "extrema of an empty group", python: "ndi.extrema(ties, tieLabels, 9)", run: () => ndimage.extrema(ties, tieLabels, 9) as unknown as number[], errorNames: /no cells/ },
    { label: "median, float index", python: `ndi.median(ties, tieLabels, ${py([1.5])})`, run: () => ndimage.median(ties, tieLabels, [1.5]), errorNames: /index 1.5/, refusalAllowed: /index 1.5 must hold integer labels/ },
  ];
}

describe("minimumPosition, maximumPosition, extrema, median, histogram, area against scipy.ndimage (seeded differential)", () => {
  it("hand-picked corners", async () => {
    const inputs: Inputs = {};
    report(await differences(cornerCases(inputs), inputs), "corners", 0);
  });

  it("random values, labels and index forms", async () => {
    const inputs: Inputs = {};
    report(await differences(randomCases(seededRandom(fuzzSeed + 10), inputs, 500), inputs), "label statistics", fuzzSeed + 10);
  });
});
