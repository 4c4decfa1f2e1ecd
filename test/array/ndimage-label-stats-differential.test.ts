// Differential test of the chunked variance, standardDeviation, area, minimumPosition,
// maximumPosition, extrema, median and histogram (ta.ndimage.*) against Debian's scipy.ndimage
// 1.10 on the whole array: at least 8 blocks per axis (blocks of 1 cell included), labels chunked
// unlike the values, objects that span many block borders (boxes of a few cells) or are strewn
// over every block, labels with gaps, negatives and int64 labels past 2³², index lists with
// absent labels, 0 and repeats, NaN among the floats. Seeded (TESSERA_FUZZ_SEED reruns another
// seed), one Python process per test.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import * as ndimage from "../../src/ndimage/index.js";
import { type Rng, integer, pick } from "./differential-inputs.js";
import { assertSameArray } from "./python-eval.js";
import { seededRandom } from "../ndimage/helpers.js";
import { type DiffCase, differences, fuzzSeed, py, report } from "../ndimage/differential-harness.js";
import { randomLabels } from "../ndimage/measure-cases.js";
import { firstOfTiesPy } from "../ndimage/label-stats-cases.js";
import { useCluster2x1 } from "./cluster-sample.js";

type Inputs = Record<string, nd.NDArray>;
type Fn = "variance" | "standardDeviation" | "area" | "minimumPosition" | "maximumPosition" | "extremaValues" | "extremaPositions" | "median" | "histogram";
const fns: readonly Fn[] = ["variance", "standardDeviation", "area", "minimumPosition", "maximumPosition", "extremaValues", "extremaPositions", "median", "histogram"];

/** Sizes of at least 8 blocks along an axis of n ≥ 8: equal blocks of 1…n/8 cells, or a random partition into such. */
export function eightOrMoreBlocks(rng: Rng, n: number): number[] {
  const most = Math.max(1, Math.floor(n / 8));
  if (rng() < 0.5) {
    const size = integer(rng, 1, most);
    return Array.from({ length: Math.ceil(n / size) }, (_, i) => Math.min(size, n - i * size));
  }
  const sizes: number[] = [];
  for (let left = n; left > 0;) {
    const next = Math.min(left, integer(rng, 1, most));
    sizes.push(next);
    left -= next;
  }
  return sizes;
}

/** Labels as boxes of 2–5 cells per axis (each a label, gaps and 0 among them), crossing many block borders. */
function boxLabels(rng: Rng, shape: number[], dtype: nd.DType): nd.NDArray {
  const side = shape.map(() => integer(rng, 2, 5));
  const boxes = new Map<string, number>();
  const size = shape.reduce((a, b) => a * b, 1);
  const data = new Float64Array(size);
  const position = new Array<number>(shape.length).fill(0);
  const signed = dtype.startsWith("int");
  const big = dtype === "int64" || dtype === "uint32" ? 2 ** 31 + 5 : 120;
  for (let p = 0; p < size; p++) {
    const key = position.map((x, axis) => Math.floor(x / side[axis])).join();
    if (!boxes.has(key)) boxes.set(key, rng() < 0.2 ? 0 : rng() < 0.1 ? (signed && rng() < 0.5 ? -3 : big) : integer(rng, 1, 9));
    data[p] = boxes.get(key) as number;
    for (let axis = shape.length - 1; axis >= 0; axis--) {
      if (++position[axis] < shape[axis]) break;
      position[axis] = 0;
    }
  }
  return dtype === "int64" ? nd.fromTypedArray(BigInt64Array.from(data, (x) => BigInt(x)), shape) : nd.astype(nd.fromTypedArray(data, shape), dtype);
}

/** Values: floats (intensities, negatives, an offset far from 0, NaN now and then) or integers of every width, int64 past 2⁵³. */
function values(rng: Rng, shape: number[], dtype: nd.DType): nd.NDArray {
  const size = shape.reduce((a, b) => a * b, 1);
  if (dtype === "int64" && rng() < 0.5) {
    return nd.fromTypedArray(BigInt64Array.from({ length: size }, () => BigInt(integer(rng, -(2 ** 20), 2 ** 20)) * 2n ** 33n + BigInt(integer(rng, 0, 3))), shape);
  }
  const offset = pick(rng, [0, 0, -0.5, 1000]);
  const scale = 10 ** integer(rng, -2, 4);
  const small = rng() < 0.4; // few distinct values: ties for positions and medians
  const data = Float64Array.from({ length: size }, () => {
    if (dtype === "bool") return rng() < 0.5 ? 1 : 0;
    if (dtype.startsWith("float")) return rng() < 0.02 ? NaN : small ? integer(rng, 0, 3) : (rng() + offset) * scale;
    if (small) return integer(rng, 0, 3);
    if (dtype.startsWith("u")) return integer(rng, 0, dtype === "uint8" ? 255 : 65535);
    return integer(rng, dtype === "int8" ? -128 : -32768, dtype === "int8" ? 127 : 32767);
  });
  return nd.astype(nd.fromTypedArray(data, shape), dtype);
}

const valueDtypes: readonly nd.DType[] = ["bool", "uint8", "int8", "uint16", "int16", "int32", "uint32", "int64", "float32", "float64"];
const labelDtypes: readonly nd.DType[] = ["uint8", "int8", "uint16", "int32", "int64", "uint32"];

/** The largest squared magnitude among the finite values (the scale of a variance's rounding). */
function squareScale(array: nd.NDArray): number {
  let most = 0;
  for (const v of Array.from(array.toTypedArray() as ArrayLike<number | bigint>, Number)) if (Number.isFinite(v)) most = Math.max(most, v ** 2);
  return most;
}

function randomCases(rng: Rng, inputs: Inputs, count: number): DiffCase[] {
  const cases: DiffCase[] = [];
  for (let i = 0; i < count; i++) {
    const ndim = integer(rng, 1, 3);
    // Blocks of 2 or more cells on a leading axis (n ≥ 16) make block order differ from C order.
    const shape = Array.from({ length: ndim }, () => integer(rng, [0, 8, 16, 8][ndim], [0, 100, 40, 16][ndim]));
    const valueDtype = pick(rng, valueDtypes);
    const labelDtype = pick(rng, labelDtypes);
    const v = `v${i}`;
    const l = `l${i}`;
    inputs[v] = values(rng, shape, valueDtype);
    inputs[l] = rng() < 0.6 ? boxLabels(rng, shape, labelDtype) : randomLabels(rng, shape, labelDtype);
    const signed = labelDtype.startsWith("int");
    const index = Array.from({ length: integer(rng, 0, 6) }, () => pick(rng, [0, 1, 2, 3, 4, 5, 9, 120, 1000, ...(signed ? [-1, -3] : []), ...(labelDtype === "int64" || labelDtype === "uint32" ? [2 ** 31 + 5] : [])]));
    const asArray = rng() < 0.3 && index.length > 0;
    const indexArg = asArray ? nd.astype(nd.fromTypedArray(Float64Array.from(index), [index.length]), index.some((label) => label >= 2 ** 31) ? "int64" : "int32") : index;
    const indexPy = py(index);
    const fn = pick(rng, fns);
    const valueChunks = shape.map((n) => eightOrMoreBlocks(rng, n));
    const labelChunks = shape.map((n) => eightOrMoreBlocks(rng, n));
    const splitEvery = pick(rng, [undefined, 2, 3, 16]);
    const options = splitEvery === undefined ? undefined : { splitEvery };
    const lazy = () => ({ x: ta.fromArray(inputs[v], { chunks: valueChunks }), labels: ta.fromArray(inputs[l], { chunks: labelChunks }) });
    const args = `${v}, ${l}, ${indexPy}`;
    const label = `${fn} values ${valueDtype} labels ${labelDtype} index ${indexPy}${asArray ? " (array)" : ""} [${shape.join(", ")}] chunks ${JSON.stringify(valueChunks)} labels ${JSON.stringify(labelChunks)} splitEvery ${splitEvery}`;
    const positions = (result: nd.NDArray) => {
      if (result.dtype !== "int64" || result.shape.join() !== `${index.length},${ndim}`) throw new Error(`positions ${result.dtype} [${result.shape.join(", ")}], expected int64 [${index.length}, ${ndim}]`);
      return nd.astype(result, "float64");
    };
    const kase = (python: string, run: () => Promise<nd.NDArray>, extra: Partial<DiffCase> = {}) => cases.push({ label, python, run, ...extra });
    switch (fn) {
      case "variance":
      case "standardDeviation":
        // scipy centres on each label's mean over the whole array; the fold centres each block on its own mean and merges
        // (Chan et al.). Both are backward stable: they differ by rounding of the squares' sum (relative, ≤ cells × 2⁻⁵³ <
        // 1e-12 here) and of the merge term δ²·na·nb/n (absolute, ~2⁻⁵³ × the largest value², as δ is a difference of means).
        kase(`np.array(ndi.${fn === "variance" ? "variance" : "standard_deviation"}(${args}))`, () => ta.ndimage[fn](lazy().x, lazy().labels, indexArg, options).compute(), {
          tolerance: 1e-12, absolute: (fn === "variance" ? 1 : 0) * 1e-14 * squareScale(inputs[v]) + (fn === "standardDeviation" ? 1e-7 * Math.sqrt(squareScale(inputs[v])) : 0),
        });
        break;
      case "area":
        kase(`np.array(ndi.sum(np.ones(${v}.shape), ${l}, ${indexPy})).astype(np.int64)`, () => ta.ndimage.area(lazy().x, lazy().labels, indexArg, options).compute());
        break;
      case "minimumPosition":
      case "maximumPosition":
        kase(firstOfTiesPy(v, l, indexPy, `ndi.${fn === "minimumPosition" ? "minimum_position" : "maximum_position"}(${args})`),
          async () => positions(await ta.ndimage[fn](lazy().x, lazy().labels, indexArg, options).compute()));
        break;
      case "extremaValues":
        kase(`(lambda r: np.concatenate([r[0], r[1]]))(ndi.extrema(${args}))`, async () => {
          const [low, high] = await ta.compute(ta.ndimage.extrema(lazy().x, lazy().labels, indexArg, options).slice(0, 2));
          return nd.concatenate([low, high]);
        });
        break;
      case "extremaPositions":
        kase(`np.concatenate([${firstOfTiesPy(v, l, indexPy, `ndi.extrema(${args})[2]`)}, ${firstOfTiesPy(v, l, indexPy, `ndi.extrema(${args})[3]`)}])`, async () => {
          const [low, high] = await ta.compute(ta.ndimage.extrema(lazy().x, lazy().labels, indexArg, options).slice(2));
          return nd.concatenate([positions(low), positions(high)]);
        });
        break;
      case "median":
        kase(`ndi.median(${args})`, () => ta.ndimage.median(lazy().x, lazy().labels, indexArg, options).compute());
        break;
      case "histogram": {
        const finite = Array.from(inputs[v].toTypedArray() as ArrayLike<number | bigint>, Number).filter(Number.isFinite);
        const [min, max] = rng() < 0.4 && finite.length > 0 ? [Math.min(...finite), Math.max(...finite)] : pick(rng, [[0, 100], [-50, 50], [0.5, 4.7], [3, 3], [0, 1]]);
        const bins = pick(rng, [1, 2, 5, 10]);
        kase(`(lambda r: np.array([np.zeros(${bins}, np.int64) if h is None else h for h in r], dtype=np.int64).reshape(${index.length}, ${bins}))(ndi.histogram(${v}, ${min}, ${max}, ${bins}, ${l}, ${indexPy}))`,
          () => ta.ndimage.histogram(lazy().x, min, max, bins, lazy().labels, indexArg, options).compute(), {
            scipyDefect: index.length === 0 ? /zero-size array to reduction operation minimum/ : undefined,
            refusalAllowed: /index -?\d+ does not fit the labels' dtype/,
          });
        break;
      }
    }
  }
  return cases;
}

describe("chunked variance, standardDeviation, area, positions, extrema, median, histogram against scipy.ndimage of the whole array (seeded differential)", () => {
  it("≥ 8 blocks per axis, labels chunked unlike the values, every index list form", async () => {
    const inputs: Inputs = {};
    report(await differences(randomCases(seededRandom(fuzzSeed + 20), inputs, 180), inputs), "chunked label statistics", fuzzSeed + 20);
  });
});

/** Ties that block order gets wrong: the first minimum in C order lies in the second block. */
function cornerCases(inputs: Inputs): DiffCase[] {
  // Blocks [2, 2]: (1, 0) in block (0, 0) ties with (0, 2) in block (0, 1), which comes first in C order.
  inputs.tied = nd.fromTypedArray(Float64Array.of(5, 5, 1, 5, 1, 5, 5, 1, 9, 9, 9, 9, 1, 9, 9, 9), [4, 4]);
  inputs.one = nd.astype(nd.ones([4, 4], "int32"), "int32");
  const lazy = () => [ta.fromArray(inputs.tied, { chunks: [2, 2] }), ta.fromArray(inputs.one, { chunks: [3, 1] })] as const;
  const asFloat = async (array: ta.Array) => nd.astype(await array.compute(), "float64");
  return [
    { label: "minimumPosition, tie across blocks against block order", python: "np.array(ndi.minimum_position(tied, one, [1]), dtype=float)", run: () => asFloat(ta.ndimage.minimumPosition(...lazy(), [1])) },
    { label: "maximumPosition, tie across blocks against block order", python: "np.array(ndi.maximum_position(tied, one, 1), dtype=float).reshape(1, 2)", run: () => asFloat(ta.ndimage.maximumPosition(...lazy(), [1])) },
    { label: "median, even count", python: "ndi.median(tied, one, [1, 0, 2])", run: () => ta.ndimage.median(...lazy(), [1, 0, 2]).compute() },
    { label: "variance of equal values is 0", python: "ndi.variance(one, one, [1])", run: () => ta.ndimage.variance(lazy()[1], lazy()[1], [1]).compute() },
  ];
}

describe("chunked label statistics, hand-picked corners", () => {
  it("ties against block order, even counts, zero variance", async () => {
    const inputs: Inputs = {};
    report(await differences(cornerCases(inputs), inputs), "chunked corners", 0);
  });

  it("refuses what it cannot read: an index that is no label, float labels, another shape, unknown options, a median too big", () => {
    const x = ta.fromArray(nd.ones([8, 8]), { chunks: 2 });
    const labels = ta.fromArray(nd.ones([8, 8], "int32"), { chunks: 4 });
    assert.throws(() => ta.ndimage.variance(x, labels, "1" as never), /variance: index must be a label, a list of labels or a 1-d index array/);
    assert.throws(() => ta.ndimage.median(x, labels, { 0: 1 } as never), /median: index must be a label, a list of labels/);
    assert.throws(() => ta.ndimage.median(x, undefined, [1]), /median: an index needs labels/);
    assert.throws(() => ta.ndimage.minimumPosition(x, labels, [1.5]), /minimumPosition: index 1\.5 must hold integer labels/);
    assert.throws(() => ta.ndimage.maximumPosition(x, ta.fromArray(nd.ones([8, 8]), { chunks: 4 }), [1]), /maximumPosition: labels must hold integers, got float64/);
    assert.throws(() => ta.ndimage.area(x, ta.fromArray(nd.ones([8, 4], "int32"), { chunks: 4 }), [1]), /area: labels shape \[8, 4\] differs from the input shape \[8, 8\]/);
    assert.throws(() => ta.ndimage.standardDeviation(x, labels, [1], { splitEvry: 2 } as never), /standardDeviation: unknown option "splitEvry"/);
    assert.throws(() => ta.ndimage.median(x, labels, [1], { maxValue: 2 } as never), /median: unknown option "maxValue"/);
    assert.throws(() => ta.ndimage.histogram(x, 0, 1, 2.5, labels, [1]), /histogram: bins must be an integer/);
    assert.throws(() => ta.ndimage.histogram(x, 2, 1, 2, labels, [1]), /histogram: min 2 is above max 1/);
    assert.throws(() => ta.ndimage.histogram(x, 0, 1, 2, ta.fromArray(nd.ones([8, 8], "uint8"), { chunks: 4 }), [300]), /histogram: index 300 does not fit the labels' dtype uint8/);
    assert.throws(() => ta.ndimage.median(x, labels, [1], { maxValues: -1 }), /median: maxValues must be a non-negative integer/);
    assert.throws(() => ta.ndimage.variance(x, labels, nd.fromTypedArray(Int32Array.of(1, 2, 3, 4), [2, 2])), /variance: an index array must be 1-d, got shape \[2, 2\]/);
  });

  it("median refuses, naming maxValues, when the labels measured hold more values than it allows", async () => {
    const x = ta.fromArray(nd.ones([8, 8]), { chunks: 2 });
    const labels = ta.fromArray(nd.ones([8, 8], "int32"), { chunks: 4 });
    await assert.rejects(ta.ndimage.median(x, labels, [1], { maxValues: 40 }).compute(), /median: the labels measured hold more than maxValues = 40 values/);
    assert.equal((await ta.ndimage.median(x, labels, [1], { maxValues: 64 }).compute()).item(), 1);
  });
});

describe("chunked label statistics on a cluster (2 workers × 1 thread)", () => {
  useCluster2x1();

  it("every new measurement gives the eager function's result (checked against scipy above and in test/ndimage)", async () => {
    const rng = seededRandom(fuzzSeed + 21);
    const shape = [24, 20];
    const x = values(rng, shape, "float64");
    const labels = boxLabels(rng, shape, "int32");
    const index = [0, 1, 2, 3, 5, 8, 9, 1000];
    const lazy = () => [ta.fromArray(x, { chunks: [3, 2] }), ta.fromArray(labels, { chunks: [2, 3] })] as const;
    const positions = (list: number[][]) => nd.fromTypedArray(BigInt64Array.from(list.flat(), BigInt), [list.length, 2]);
    const histogramRows = (rows: Array<nd.NDArray | null>) => nd.fromTypedArray(BigInt64Array.from(rows.flatMap((r) => (r === null ? new Array<bigint>(4).fill(0n) : Array.from(r.toTypedArray() as BigInt64Array)))), [rows.length, 4]);
    const [variance, std, area, low, high, median, histogram] = await ta.compute([
      ta.ndimage.variance(...lazy(), index), ta.ndimage.standardDeviation(...lazy(), index, { splitEvery: 3 }), ta.ndimage.area(...lazy(), index),
      ta.ndimage.minimumPosition(...lazy(), index), ta.ndimage.maximumPosition(...lazy(), index), ta.ndimage.median(...lazy(), index, { splitEvery: 2 }),
      ta.ndimage.histogram(lazy()[0], -1000, 5000, 4, lazy()[1], index),
    ]);
    const close = (actual: nd.NDArray, expected: nd.NDArray, what: string) => {
      const a = actual.toTypedArray() as Float64Array;
      const e = expected.toTypedArray() as Float64Array;
      assert.equal(actual.dtype, expected.dtype, what);
      a.forEach((value, i) => assert.ok(Object.is(value, e[i]) || Math.abs(value - e[i]) <= 1e-9 * Math.abs(e[i]), `${what}[${i}]: ${value}, eager ${e[i]}`));
    };
    close(variance, ndimage.variance(x, labels, index), "variance");
    close(std, ndimage.standardDeviation(x, labels, index), "standardDeviation");
    assertSameArray(area, ndimage.area(x, labels, index), "area");
    assertSameArray(low, positions(ndimage.minimumPosition(x, labels, index)), "minimumPosition");
    assertSameArray(high, positions(ndimage.maximumPosition(x, labels, index)), "maximumPosition");
    assertSameArray(median, ndimage.median(x, labels, index), "median");
    assertSameArray(histogram, histogramRows(ndimage.histogram(x, -1000, 5000, 4, labels, index)), "histogram");
  });
});

// Found by the ndimage fuzzer (ndimage-fuzz.test.ts, seed 20261210's family): one label is
// np.median of one group — NaN for a label without cells or holding a NaN — where the index
// list's rule reads the whole array's lowest cell for an absent label (scipy 1.10:
// median(x, labels, 3) is nan, median(x, labels, [3]) is [3.]).
describe("median of one label (a number, labels only, no labels) against scipy", () => {
  it("is np.median of the group: NaN without cells or with a NaN value, over blocks of 1 and 2", async () => {
    const x = nd.fromTypedArray(Float64Array.of(1, 2, 3, 4, NaN, 6), [6]);
    const labels = nd.fromTypedArray(Int32Array.of(1, 1, 0, 2, 5, 5), [6]);
    const y = nd.fromTypedArray(Float64Array.of(4, 1, 3, 2, 8, 5), [6]);
    const inputs = { x, y, labels };
    const cases: DiffCase[] = [];
    for (const chunks of [[1, 1, 1, 1, 1, 1], [2, 2, 2]]) {
      const lazy = (a: nd.NDArray) => ta.fromArray(a, { chunks: [chunks] });
      const run = (index: number | number[] | undefined, withLabels = true) => async () => (await ta.ndimage.median(lazy(x), withLabels ? lazy(labels) : undefined, index).compute());
      cases.push(
        { label: `absent label 3, chunks ${chunks}`, python: "np.float64(ndi.median(x, labels, 3))", run: async () => Number((await run(3)()).item()) },
        { label: `absent label [3], chunks ${chunks}`, python: "ndi.median(x, labels, [3])", run: run([3]) },
        { label: `label 5 holds a NaN, chunks ${chunks}`, python: "np.float64(ndi.median(x, labels, 5))", run: async () => Number((await run(5)()).item()) },
        { label: `labels only, chunks ${chunks}`, python: "np.float64(ndi.median(x, labels))", run: async () => Number((await run(undefined)()).item()) },
        { label: `no labels, chunks ${chunks}`, python: "np.float64(ndi.median(y))", run: async () => Number((await ta.ndimage.median(lazy(y)).compute()).item()) },
      );
    }
    report(await differences(cases, inputs), "median of one label", 0);
  });
});
