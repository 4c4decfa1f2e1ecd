import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ndimage from "../../src/ndimage/index.js";
import * as nd from "../../src/ndarray/index.js";
import { NDArray } from "../../src/ndarray/ndarray.js";
import { type Fixtures, generateFixtures } from "./scipy-fixtures.js";
import { type CaseRunner, compareArrays, decodeNumbers, failingCases } from "./fixture-cases.js";

let fixtures: Fixtures;
before(() => {
  fixtures = generateFixtures("generate-measure-fixtures.py");
});
after(() => fixtures?.close());

/** Runs the cases of `fn` whose result is a plain value (extra.value), comparing bit for bit. */
function valueFailures(fn: string, compute: (input: NDArray, labels: NDArray | undefined, index: unknown) => unknown): string[] {
  const failures: string[] = [];
  for (const c of fixtures.cases.filter((x) => x.fn === fn)) {
    const input = fixtures.load(fixtures.inputs[c.input]);
    const labelsName = c.options.labels as string | null;
    const labels = labelsName ? fixtures.load(fixtures.inputs[labelsName]) : undefined;
    const index = c.options.index ?? undefined;
    let actual: unknown;
    try {
      actual = compute(input, labels, index);
    } catch (error) {
      failures.push(`${c.id}: threw ${(error as Error).message}`);
      continue;
    }
    if (c.extra && "value" in c.extra) {
      const expected = decodeNumbers(c.extra.value);
      if (!sameValue(actual, expected)) failures.push(`${c.id}: got ${JSON.stringify(actual)} expected ${JSON.stringify(expected)}`);
    } else {
      const mismatch = actual instanceof NDArray ? compareArrays(actual, fixtures.load(c.expected)) : `got ${String(actual)}, not an array`;
      if (mismatch) failures.push(`${c.id}: ${mismatch}`);
    }
  }
  assert.ok(failures.length > 0 || fixtures.cases.some((x) => x.fn === fn), `no cases for ${fn}`);
  return failures;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  return Object.is(a, b);
}

describe("label is identical to scipy 1.10", () => {
  it("labels (int32, scipy's numbering) and the number of components, every structure", () => {
    const run: CaseRunner = (x, o, c) => {
      const [labels, count] = ndimage.label(x, o as ndimage.LabelOptions);
      if (count !== c.extra?.count) throw new Error(`count ${count}, expected ${String(c.extra?.count)}`);
      return labels;
    };
    const { failures, total } = failingCases(fixtures, "label", run);
    assert.deepEqual(failures.slice(0, 10), [], `${failures.length} of ${total} cases differ from scipy`);
  });
  it("refuses structures that are not 3×…×3, of another rank or not symmetric", () => {
    const x = new NDArray(new Uint8Array(12), [3, 4]);
    assert.throws(() => ndimage.label(x, { structure: [[1, 1], [1, 1]] }), /must be 3 along every axis/);
    assert.throws(() => ndimage.label(x, { connectivity: 1 } as never), /label: unknown option "connectivity" .*generateBinaryStructure\(2, 1\).*; label takes structure/);
    assert.throws(() => ndimage.label(x, { structur: [[1, 1, 1], [1, 1, 1], [1, 1, 1]] } as never), /label: unknown option "structur" \(did you mean structure\?\)/);
    assert.throws(() => ndimage.label(x, { structure: [1, 1, 1] }), /1 dimensions, the input 2/);
    assert.throws(() => ndimage.label(x, { structure: [[0, 1, 0], [1, 1, 1], [0, 1, 1]] }), /symmetric/);
  });
});

describe("findObjects is identical to scipy 1.10", () => {
  it("a bounding box per label (null where a label is absent), with maxLabel", () => {
    const failures: string[] = [];
    for (const c of fixtures.cases.filter((x) => x.fn === "findObjects")) {
      const objects = ndimage.findObjects(fixtures.load(fixtures.inputs[c.input]), { maxLabel: c.options.maxLabel as number });
      const actual = objects.map((o) => (o === null ? null : o.map((r) => [r.start, r.stop])));
      if (JSON.stringify(actual) !== JSON.stringify(c.extra?.objects)) failures.push(c.id);
    }
    assert.deepEqual(failures, []);
  });
});

describe("measurements are bit-identical to scipy 1.10", () => {
  type Measure = (input: NDArray, labels?: NDArray, index?: number | readonly number[]) => number | NDArray | number[] | number[][];
  const measures: Record<string, Measure> = {
    sumLabels: ndimage.sumLabels as Measure, mean: ndimage.mean as Measure, variance: ndimage.variance as Measure,
    standardDeviation: ndimage.standardDeviation as Measure, minimum: ndimage.minimum as Measure, maximum: ndimage.maximum as Measure,
    centerOfMass: ndimage.centerOfMass as Measure,
  };
  it("labeledComprehension: the maximum per label, -1 where a label is absent", () => {
    const max = (values: Float64Array): number => values.reduce((a, b) => Math.max(a, b), -Infinity);
    const failures = valueFailures("labeledComprehension", (x, labels, index) =>
      ndimage.labeledComprehension(x, labels, index as number | number[] | undefined, max, "float64", -1));
    assert.deepEqual(failures, []);
  });
  for (const [fn, measure] of Object.entries(measures)) {
    it(`${fn}: no labels, labels > 0, one label, label lists (absent, zero, negative labels)`, () => {
      const failures = valueFailures(fn, (x, labels, index) => measure(x, labels, index as number | number[] | undefined));
      assert.deepEqual(failures.slice(0, 10), [], `${failures.length} ${fn} cases differ from scipy`);
    });
  }
});

// Found by measure-differential.test.ts; the expected values are scipy 1.10's (Debian's) for these arrays.
describe("64-bit integer values and index labels the labels' dtype cannot hold", () => {
  const values = new NDArray(BigInt64Array.of(2n ** 62n, 2n ** 62n, 3n, -5n, 2n ** 53n + 1n, 2n ** 53n), [6], { dtype: "int64" });
  const labels = new NDArray(Int32Array.of(1, 1, 1, 0, 2, 2), [6], { dtype: "int32" });

  it("minimum and maximum of an index list keep int64 values exactly (2⁵³ + 1 is not 2⁵³)", () => {
    const maxima = ndimage.maximum(values, labels, [1, 2, 3]);
    const minima = ndimage.minimum(values, labels, [1, 2, 3]);
    assert.equal(maxima.dtype, "int64");
    assert.deepEqual([...(maxima.toTypedArray() as BigInt64Array)], [2n ** 62n, 2n ** 53n + 1n, 0n]);
    assert.deepEqual([...(minima.toTypedArray() as BigInt64Array)], [3n, 2n ** 53n, 0n]);
    const unsigned = new NDArray(BigUint64Array.of(2n ** 64n - 1n, 2n ** 63n, 5n), [3], { dtype: "uint64" });
    const unsignedLabels = new NDArray(Uint8Array.of(1, 1, 2), [3], { dtype: "uint8" });
    assert.deepEqual([...(ndimage.maximum(unsigned, unsignedLabels, [1, 2]).toTypedArray() as BigUint64Array)], [2n ** 64n - 1n, 5n]);
  });

  it("one group's int64 sum wraps as NumPy's; its mean divides that sum; its variance takes np.mean's float64 sum", () => {
    assert.equal(ndimage.sum(values, labels, 1), -9223372036854775805);
    assert.equal(ndimage.mean(values, labels, 1), -3.0744573456182584e18);
    assert.equal(ndimage.variance(values, labels, 1), 4.7261439850130345e36);
    assert.equal(ndimage.variance(values, labels), 5.090962694969448e36);
    // 17 values: np.mean's pairwise float64 sum differs from a sum in C order here.
    const many = [394987062583828607n, 827524324260630020n, 1092095701990459726n, 836397452412306413n, 3695226246605848566n, 4008627844734552788n,
      2684748521072381064n, 181696234445001128n, 434091744742240919n, 1532009205041215280n, 1997445451286012069n, 2864907805523015671n,
      2209234172556142215n, 1221120124122494756n, 736665718487136080n, 3188597791473579047n, 3387639177481118380n];
    assert.equal(ndimage.variance(new NDArray(BigUint64Array.from(many), [17], { dtype: "uint64" })), 1.493257535325379e36);
  });

  it("labeledComprehension refuses an index label the labels' dtype cannot hold, as scipy does", () => {
    const mask = new NDArray(Uint8Array.of(1, 0, 1), [3], { dtype: "bool" });
    const small = new NDArray(Uint8Array.of(1, 2, 0), [3], { dtype: "uint8" });
    const three = new NDArray(Float64Array.of(1, 2, 3), [3]);
    const max = (v: Float64Array) => Math.max(...v);
    assert.throws(() => ndimage.labeledComprehension(three, mask, [1, 2], max, "float64", 0), /index 2 does not fit the labels' dtype bool/);
    assert.throws(() => ndimage.labeledComprehension(three, small, 1000, max, "float64", 0), /index 1000 .* uint8/);
    assert.throws(() => ndimage.labeledComprehension(three, small, [-1], max, "float64", 0), /index -1 .* uint8/);
    assert.deepEqual([...(ndimage.labeledComprehension(three, small, [2, 0, 7], max, "float64", -1) as NDArray).toTypedArray()], [2, 3, -1]);
  });
});

describe("an index that is neither a label, a list of labels nor an index array", () => {
  it("is refused by every per-label measurement, not read as an empty list", () => {
    const input = nd.reshape(nd.arange(0, 12), [3, 4]);
    const labels = nd.astype(nd.greater(input, 5), "int32");
    const measurements = { sumLabels: ndimage.sumLabels, mean: ndimage.mean, variance: ndimage.variance, maximum: ndimage.maximum, maximumPosition: ndimage.maximumPosition, median: ndimage.median };
    for (const [name, measure] of Object.entries(measurements)) {
      assert.throws(() => (measure as (...args: unknown[]) => unknown)(input, labels, { index: [1] }), new RegExp(`^InvalidOptionError: ${name}: index must be a label, a list of labels or a 1-d index array; got \\{"index":\\[1\\]\\}`), name);
    }
  });
});
