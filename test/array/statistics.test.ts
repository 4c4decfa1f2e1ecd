// percentile and histogram (issue 12 item 2) against Dask 2022.12 and NumPy 1.24, run at test
// time on the same bytes: every method of percentile on several dtypes (ties, int8 extremes,
// int64, NaN in one block) and chunkings (regular, irregular, single chunk, 50 blocks with
// several combining levels); histogram with a number of bins over a range, explicit edges,
// values on the edges, density, a degenerate range, 2-d data.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { lowerArrays } from "../../src/array/lower.js";
import { assertSameArray, evaluatePython } from "./python-eval.js";

const n = 1000;
const scaled = (seed: number, scale: number, offset: number, dtype: nd.DType) => nd.astype(nd.add(nd.multiply(nd.random([n], { seed }), scale), offset), dtype);
const withNaN = scaled(7, 100, -50, "float64");
(withNaN.data as Float64Array)[437] = NaN;
const inputs: Record<string, nd.NDArray> = {
  f64: scaled(1, 100, -50, "float64"),
  f32: scaled(2, 100, -50, "float32"),
  i16: scaled(3, 2000, -1000, "int16"),
  // Six values only: ties everywhere.
  u8: scaled(4, 6, 0, "uint8"),
  // The full int8 range: NumPy's interpolation subtracts in int8 and wraps.
  i8: scaled(5, 255.99, -128, "int8"),
  // Only −120 and 120: interpolating between them overflows int8 (NumPy wraps the difference).
  i8wide: nd.astype(nd.subtract(nd.multiply(nd.greater(nd.random([n], { seed: 10 }), 0.5), 240), 120), "int8"),
  i64: scaled(6, 1e12, -5e11, "int64"),
  fnan: withNaN,
  // 50 values, two −inf and one inf.
  finf: nd.concatenate([nd.fromTypedArray(new Float64Array([-Infinity, -Infinity, Infinity])), nd.slice(scaled(12, 10, -5, "float64"), { stop: 47 })]),
  // Integers on the explicit edges below, and 2-d data for histogram.
  ints: scaled(8, 12, -6, "int32"),
  grid: nd.reshape(scaled(9, 100, -50, "float32"), [40, 25]),
};
type Name = keyof typeof inputs;

const chunkings: Array<[string, number[] | number[][]]> = [
  ["regular", [100]],
  ["irregular", [[13, 187, 1, 299, 400, 100]]],
  ["single", [n]],
  ["50 blocks", [20]],
];

const python = (chunks: number[] | number[][]) => JSON.stringify(chunks).replace(/\[/g, "(").replace(/\]/g, ",)");
const daskArray = (name: Name, chunks: number[] | number[][]) => `da.from_array(${name}, chunks=${python(chunks)})`;

interface Case { label: string; python: string; ours: () => ta.Array }

async function check(cases: Case[]): Promise<void> {
  const expected = evaluatePython(inputs, Object.fromEntries(cases.map((c) => [c.label, c.python])));
  const actual = await ta.compute(cases.map((c) => c.ours()));
  cases.forEach((c, i) => {
    const reference = expected[c.label];
    assert.equal(reference.error, undefined, `${c.label}: Python raised ${reference.error}`);
    assertSameArray(actual[i], reference.array as nd.NDArray, c.label);
  });
}

describe("percentile and histogram against Dask and NumPy", () => {
  it("percentile: Dask's values and dtype for every method, dtype and chunking (NumPy's exact percentile for one chunk)", async () => {
    const q = [0, 5, 25, 50, 72.5, 99, 100];
    const cases: Case[] = [];
    for (const [chunkName, chunks] of chunkings) {
      for (const name of ["f64", "f32", "i16", "u8", "i8", "i8wide", "i64", "fnan"] as const) {
        const x = ta.fromArray(inputs[name], { chunks });
        for (const method of ["linear", "lower", "higher", "midpoint", "nearest"] as const) {
          cases.push({
            label: `${name}-${chunkName}-${method}`,
            // With NaN, Dask reads the other blocks as if the NaN were not there: NumPy's NaN is the answer.
            python: name === "fnan" ? `np.percentile(fnan, ${JSON.stringify(q)}, method="${method}")` : `da.percentile(${daskArray(name, chunks)}, ${JSON.stringify(q)}, method="${method}")`,
            ours: () => ta.percentile(x, q, { method, splitEvery: 4 }),
          });
        }
      }
    }
    for (const name of ["f64", "i8", "i8wide", "u8"] as const) {
      cases.push({ label: `${name}-numpy`, python: `np.percentile(${name}, ${JSON.stringify(q)})`, ours: () => ta.percentile(ta.fromArray(inputs[name], { chunks: n }), q) });
    }
    // Dask merges unsorted q with negative weights into wrong values: ours are the sorted q's, in the caller's order.
    cases.push({ label: "unsorted-q-one-chunk", python: "np.percentile(f64, [90, 10, 50])", ours: () => ta.percentile(ta.fromArray(inputs.f64, { chunks: n }), [90, 10, 50]) });
    cases.push({ label: "unsorted-q", python: `da.percentile(${daskArray("i16", [100])}, [10, 50, 90])[[2, 0, 1]]`, ours: () => ta.percentile(ta.fromArray(inputs.i16, { chunks: 100 }), [90, 10, 50]) });
    // ±inf (no NaN): NumPy interpolates −inf with −inf to NaN in a block's 0th percentile; that is
    // no NaN in the data, so the merge reads the finite percentiles off as Dask does.
    for (const [chunkName, chunks] of [["one", [50]], ["two", [20]]] as const) {
      for (const method of ["midpoint", "linear", "lower"] as const) {
        cases.push({
          label: `finf-${chunkName}-${method}`,
          python: `da.percentile(${daskArray("finf", [...chunks])}, [12.5, 25, 99.9, 100], method="${method}")`,
          ours: () => ta.percentile(ta.fromArray(inputs.finf, { chunks: [...chunks] }), [12.5, 25, 99.9, 100], { method }),
        });
      }
    }
    cases.push({ label: "scalar-q", python: `da.percentile(${daskArray("f32", [64])}, 37)`, ours: () => ta.percentile(ta.fromArray(inputs.f32, { chunks: 64 }), 37) });
    await check(cases);
  });

  it("histogram: NumPy's counts, edges and density, block by block as Dask's, for every dtype and chunking", async () => {
    const cases: Case[] = [];
    const edgeCases: Array<{ name: string; bins: string; ours: ta.HistogramCallOptions }> = [];
    const specs: Array<[string, ta.HistogramCallOptions, string]> = [
      ["10-bins", { bins: 10, range: [-40, 40] }, "bins=10, range=(-40, 40)"],
      ["7-bins-wide", { bins: 7, range: [-50.5, 50.25] }, "bins=7, range=(-50.5, 50.25)"],
      ["edges", { bins: [-50, -10, 0, 0.5, 3, 50] }, "bins=[-50, -10, 0, 0.5, 3, 50]"],
      ["density", { bins: 9, range: [-30, 45], density: true }, "bins=9, range=(-30, 45), density=True"],
      ["point-range", { bins: 3, range: [2, 2] }, "bins=3, range=(2, 2)"],
    ];
    for (const [chunkName, chunks] of chunkings) {
      for (const name of ["f64", "f32", "i16", "i64", "fnan", "ints"] as const) {
        const x = ta.fromArray(inputs[name], { chunks });
        for (const [specName, options, text] of specs) {
          cases.push({
            label: `${name}-${chunkName}-${specName}`,
            python: `da.histogram(${daskArray(name, chunks)}, ${text})[0]`,
            ours: () => ta.histogram(x, { ...options, splitEvery: 3 })[0],
          });
          edgeCases.push({ name, bins: `da.histogram(da.from_array(${name}), ${text})[1]`, ours: options });
        }
      }
    }
    // Integers exactly on the edges (each edge but the last opens a bin; the last closes one).
    cases.push({ label: "ints-on-edges", python: `da.histogram(${daskArray("ints", [77])}, bins=[-6, -3, 0, 1, 2, 5])[0]`, ours: () => ta.histogram(ta.fromArray(inputs.ints, { chunks: 77 }), { bins: [-6, -3, 0, 1, 2, 5] })[0] });
    cases.push({ label: "grid", python: `da.histogram(da.from_array(grid, chunks=(7, 6)), bins=12, range=(-45, 45))[0]`, ours: () => ta.histogram(ta.fromArray(inputs.grid, { chunks: [7, 6] }), { bins: 12, range: [-45, 45] })[0] });
    await check(cases);
    const edges = evaluatePython(inputs, Object.fromEntries(edgeCases.map((c, i) => [`edges${i}`, c.bins])));
    edgeCases.forEach((c, i) => assertSameArray(ta.histogram(ta.fromArray(inputs[c.name]), c.ours)[1], edges[`edges${i}`].array as nd.NDArray, `edges of ${c.bins}`));
  });

  it("refuses what Dask or NumPy refuse, and options it does not take, naming them", () => {
    const x = ta.fromArray(inputs.f64, { chunks: 100 });
    assert.throws(() => ta.histogram(x, { bins: 10 }), /a number of bins needs a range/);
    assert.throws(() => ta.histogram(x, { bins: 10, range: [1, 0] }), /max must be larger than min/);
    assert.throws(() => ta.histogram(x, { bins: 10, range: [0, Infinity] }), /is not finite/);
    assert.throws(() => ta.histogram(x, { bins: [0, 2, 1] }), /bins must increase monotonically/);
    assert.throws(() => ta.histogram(x, { bins: [0, 1], range: [0, 1] }), /range applies only to a number of bins/);
    assert.throws(() => ta.histogram(x, { bins: 4, range: [0, 1], weights: x } as never), /histogram: unknown option "weights"/);
    assert.throws(() => ta.histogram(x.gt(0), { bins: 2, range: [0, 1] }), /the data is bool/);
    assert.throws(() => ta.percentile(ta.fromArray(inputs.grid), 50), /only 1-d arrays/);
    assert.throws(() => ta.percentile(x, [50, 101]), /percentiles must be in the range \[0, 100\], got 101/);
    assert.throws(() => ta.percentile(x, 50, { method: "cubic" as never }), /method must be one of linear, lower, higher, midpoint, nearest/);
    assert.throws(() => ta.percentile(x, 50, { internalMethod: "tdigest" } as never), /percentile: unknown option "internalMethod"/);
  });

  it("folds 50 blocks in a tree: 50 partials, no task combining more than splitEvery of them", () => {
    const x = ta.fromArray(inputs.f64, { chunks: 20 });
    const { graph } = lowerArrays([ta.percentile(x, [50], { splitEvery: 4 })], () => false, (node) => (node as ta.Array).blockKeys());
    const tasks = [...graph.tasks.values()];
    const isPartial = (key: string) => /-partial-/.test(key);
    assert.equal(tasks.filter((task) => /-partial-0-/.test(task.key)).length, 50);
    const fanIn = tasks.map((task) => task.deps.filter(isPartial).length);
    assert.ok(Math.max(...fanIn) <= 4, `a task combines ${Math.max(...fanIn)} partials`);
    // 50 → 13 → 4 → 1 (a combine of a single partial may be fused into its neighbour).
    assert.ok(tasks.filter((task) => isPartial(task.key)).length >= 50 + 12 + 4, `${tasks.length} tasks`);
  });
});
