// Seeded differential test of histogramdd and histogram2d: eager nd.* against NumPy 1.24 and
// lazy ta.* against Dask 2022.12, bit for bit (counts, density, dtype, shape, and the edges),
// with Dask's chunks; samples as (N, D) arrays and as lists of columns, every number dtype,
// NaN and ±inf (outside every bin), numbers of bins and explicit edges (repeated edges too),
// empty ranges (NumPy widens them inside each block), weights of several dtypes (quarter values,
// so that their sums are exact in any order: Dask 2022.12 sums 4 partials per task, tessera 16),
// density. Then refusals, Dask's with them, and one run on a LocalCluster.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { describeOnCluster } from "./cluster-sample.js";
import { assertSameArray, evaluatePython } from "./python-eval.js";
import { Inputs, integer, numberDtypes, pick, pyBool, randomArray, randomChunks, rngOf, type Rng } from "./differential-inputs.js";

const seed = Number(process.env.DIFFERENTIAL_SEED ?? 20261205);
const count = Number(process.env.DIFFERENTIAL_CASES ?? 120);

interface Case {
  label: string;
  blocks: number;
  numpy: string;
  dask: string;
  eager: () => [nd.NDArray, nd.NDArray[]];
  lazy: () => [ta.Array, nd.NDArray[]];
}

const pyEdges = (edges: number[]) => `np.array([${edges.map((e) => `${e}`).join(", ")}], dtype=float)`;

function drawBins(rng: Rng, dimensions: number): { bins: number | Array<number | nd.NDArray>; py: string; ranges: Array<[number, number]> | undefined } {
  const style = rng();
  const ranges = Array.from({ length: dimensions }, (): [number, number] => {
    const low = integer(rng, -10, 2) / 2;
    return [low, low + (rng() < 0.1 ? 0 : integer(rng, 1, 14) / 2)];
  });
  if (style < 0.3) {
    const n = integer(rng, 1, 7);
    return { bins: n, py: String(n), ranges };
  }
  if (style < 0.6) {
    const ns = Array.from({ length: dimensions }, () => integer(rng, 1, 6));
    return { bins: ns, py: `[${ns.join(", ")}]`, ranges };
  }
  const edges = Array.from({ length: dimensions }, () => {
    const values = Array.from({ length: integer(rng, 2, 7) }, () => integer(rng, -36, 36) / 4).sort((a, b) => a - b);
    if (rng() < 0.2) values.splice(1, 0, values[1]);
    return values;
  });
  return { bins: edges.map((e) => nd.array(e)), py: `[${edges.map(pyEdges).join(", ")}]`, ranges: undefined };
}

function drawCase(rng: Rng, index: number, inputs: Inputs): Case {
  const dtype = pick(rng, numberDtypes.filter((d) => d !== "bool"));
  const n = integer(rng, 1, 160);
  // Half the cases with 8 blocks or more along the samples (Dask's tree then has levels).
  const size = integer(rng, 1, Math.max(1, Math.floor(n / 8)));
  const rowChunks = rng() < 0.5 && n >= 8 ? Array.from({ length: Math.ceil(n / size) }, (_, i) => Math.min(size, n - i * size)) : randomChunks(rng, n);
  const pair = rng() < 0.3;
  const dimensions = pair ? 2 : integer(rng, 1, 3);
  const rectangular = !pair && rng() < 0.5;
  const { bins, py: pyBins, ranges } = drawBins(rng, dimensions);
  const density = rng() < 0.3;
  const weighted = rng() < 0.35;
  const weightsDtype = pick(rng, ["float64", "float32", "int32", "int64", "uint8"] as nd.DType[]);
  const weightValues = weighted ? nd.astype(nd.divide(randomArray(rng, "int8", [n], { small: true }), weightsDtype.startsWith("float") ? 4 : 1), weightsDtype) : null;
  const weightsInput = weightValues ? inputs.add(weightValues, [rowChunks]) : null;
  const options = `bins=${pyBins}${ranges ? `, range=[${ranges.map(([a, b]) => `(${a}, ${b})`).join(", ")}]` : ""}, density=${pyBool(density)}`;
  const eagerOptions = { bins, ...(ranges ? { range: ranges } : {}), density, ...(weightValues ? { weights: weightValues } : {}) };
  const lazyOptions = () => ({ bins, ...(ranges ? { range: ranges } : {}), density, ...(weightsInput ? { weights: weightsInput.lazy() } : {}) });
  const withWeights = (which: "np" | "da") => (weightsInput ? `, weights=${which === "np" ? weightsInput.name : weightsInput.py}` : "");
  const label = `c${index}_${pair ? "2d" : rectangular ? "rect" : "cols"}${dimensions}_${dtype}_${n}`;
  if (rectangular) {
    const values = randomArray(rng, dtype, [n, dimensions], { specials: rng() < 0.5, small: rng() < 0.8 });
    const x = inputs.add(values, [rowChunks, [dimensions]]);
    const np = `np.histogramdd(${x.name}, ${options}${withWeights("np")})`;
    const da = `da.histogramdd(${x.py}, ${options}${withWeights("da")})`;
    return { label, blocks: rowChunks.length, numpy: np, dask: da, eager: () => nd.histogramdd(values, eagerOptions as never), lazy: () => ta.histogramdd(x.lazy(), lazyOptions() as never) };
  }
  const columns = Array.from({ length: dimensions }, () => randomArray(rng, dtype, [n], { specials: rng() < 0.5, small: rng() < 0.8 }));
  const added = columns.map((c) => inputs.add(c, [rowChunks]));
  if (pair) {
    const np = `np.histogram2d(${added[0].name}, ${added[1].name}, ${options}${withWeights("np")})`;
    const da = `da.histogram2d(${added[0].py}, ${added[1].py}, ${options}${withWeights("da")})`;
    return {
      label, blocks: rowChunks.length, numpy: np, dask: da,
      eager: () => {
        const [h, ex, ey] = nd.histogram2d(columns[0], columns[1], eagerOptions as never);
        return [h, [ex, ey]];
      },
      lazy: () => {
        const [h, ex, ey] = ta.histogram2d(added[0].lazy(), added[1].lazy(), lazyOptions() as never);
        return [h, [ex, ey]];
      },
    };
  }
  const np = `np.histogramdd((${added.map((a) => a.name).join(", ")},), ${options}${withWeights("np")})`;
  const da = `da.histogramdd((${added.map((a) => a.py).join(", ")},), ${options}${withWeights("da")})`;
  return { label, blocks: rowChunks.length, numpy: np, dask: da, eager: () => nd.histogramdd(columns, eagerOptions as never), lazy: () => ta.histogramdd(added.map((a) => a.lazy()), lazyOptions() as never) };
}

const joinedEdges = (edges: nd.NDArray[]) => nd.concatenate(edges);

describe(`histogramdd and histogram2d against NumPy and Dask (seed ${seed})`, () => {
  it(`${count} random cases: eager equals NumPy, lazy equals Dask (values, chunks, edges)`, async () => {
    const inputs = new Inputs();
    const cases = Array.from({ length: count }, (_, i) => drawCase(rngOf(seed + i), i, inputs));
    const expressions: Record<string, string> = {};
    const edges = (expression: string) => `np.concatenate([np.asarray(e).ravel() for e in (lambda r: r[1] if len(r) == 2 else r[1:])(${expression})])`;
    for (const c of cases) {
      expressions[`${c.label}_np`] = `${c.numpy}[0]`;
      expressions[`${c.label}_npe`] = edges(c.numpy);
      expressions[`${c.label}_da`] = `${c.dask}[0]`;
      expressions[`${c.label}_dae`] = edges(c.dask);
    }
    const python = evaluatePython(inputs.arrays, expressions);
    let multiBlock = 0;
    for (const c of cases) {
      const where = `${c.label} (seed ${seed}: ${c.dask})`;
      const [numpy, numpyEdges, dask, daskEdges] = ["np", "npe", "da", "dae"].map((suffix) => python[`${c.label}_${suffix}`]);
      assert.ok(numpy.array && numpyEdges.array, `${where}: NumPy refused: ${numpy.error ?? numpyEdges.error}`);
      assert.ok(dask.array && daskEdges.array, `${where}: Dask refused: ${dask.error ?? daskEdges.error}`);
      const [counts, eagerEdges] = c.eager();
      assertSameArray(counts, numpy.array, `${where}: eager vs NumPy`);
      assertSameArray(joinedEdges(eagerEdges), numpyEdges.array, `${where}: eager edges vs NumPy`);
      const [lazy, lazyEdges] = c.lazy();
      assertSameArray(await lazy.compute(), dask.array, `${where}: lazy vs Dask`);
      assert.deepEqual(lazy.chunks, dask.chunks, `${where}: chunks vs Dask`);
      assertSameArray(joinedEdges(lazyEdges), daskEdges.array, `${where}: lazy edges vs Dask`);
      if (c.blocks >= 8) multiBlock++;
    }
    assert.ok(multiBlock >= count / 5, `only ${multiBlock} cases have 8 blocks or more`);
  });

  it("refuses what Dask refuses, by name", () => {
    const column = ta.fromArray(nd.arange(20), { chunks: 5 });
    const sample = ta.fromArray(nd.ones([20, 2]), { chunks: [5, 2] });
    const cases: Array<[() => unknown, RegExp, string]> = [
      [() => ta.histogramdd(sample, { bins: 3 }), /histogramdd: a number of bins needs range/, "da.histogramdd(s, bins=3)"],
      [() => ta.histogramdd(sample, { bins: [3, 4, 5], range: [[0, 1], [0, 1]] }), /the dimension of bins \(3\) must be equal to the dimension of the sample \(2\)/, "da.histogramdd(s, bins=[3, 4, 5], range=[(0, 1), (0, 1)])"],
      [() => ta.histogramdd(sample, { bins: 3, range: [[0, 1]] }), /range argument requires one entry/, "da.histogramdd(s, bins=3, range=[(0, 1)])"],
      [() => ta.histogramdd(ta.fromArray(nd.ones([20, 2]), { chunks: [5, 1] }), { bins: 3, range: [[0, 1], [0, 1]] }), /can only be chunked along its first axis/, "da.histogramdd(da.ones((20, 2), chunks=(5, 1)), bins=3, range=[(0, 1), (0, 1)])"],
      [() => ta.histogramdd([column, ta.fromArray(nd.arange(20), { chunks: 4 })], { bins: 3, range: [[0, 1], [0, 1]] }), /chunked identically/, "da.histogramdd((c, da.arange(20, chunks=4)), bins=3, range=[(0, 1), (0, 1)])"],
      [() => ta.histogramdd(sample, { bins: 3, range: [[0, 1], [0, 1]], weights: ta.fromArray(nd.ones([20]), { chunks: 4 }) }), /same shape and chunk structure/, "da.histogramdd(s, bins=3, range=[(0, 1), (0, 1)], weights=da.ones(20, chunks=4))"],
      [() => ta.histogram2d(column, column, { bins: [nd.array([0, 2, 1]), nd.array([0, 1])] }), /bins\[0\] must be monotonically increasing/, "da.histogram2d(c, c, bins=[np.array([0, 2, 1]), np.array([0, 1])])"],
      [() => ta.histogram2d(column, column, { bins: 0, range: [[0, 1], [0, 1]] }), /bins\[0\] must be positive/, "da.histogram2d(c, c, bins=0, range=[(0, 1), (0, 1)])"],
      [() => ta.histogram2d(column, column, { bins: 2, range: [[1, 0], [0, 1]] }), /max must be larger than min/, "da.histogram2d(c, c, bins=2, range=[(1, 0), (0, 1)])"],
    ];
    const python = evaluatePython({}, Object.fromEntries(cases.map(([, , py], i) => [`r${i}`, `(lambda s, c: ${py}[0])(da.ones((20, 2), chunks=(5, 2)), da.arange(20, chunks=5))`])));
    cases.forEach(([call, message, py], i) => {
      assert.throws(call, message, py);
      assert.ok(python[`r${i}`].error, `Dask accepts ${py}`);
    });
    assert.throws(() => ta.histogramdd(sample, { bins: 3, range: [[0, 1], [0, 1]], normed: true } as never), /histogramdd: unknown option "normed"/);
    assert.throws(() => ta.histogram2d(column, column, { bins: nd.array([0, 1, 2]) } as never), /histogram2d: bins must be a number, \[nx, ny\] or \[xEdges, yEdges\]/);
    assert.throws(() => ta.histogramdd(sample, { bins: [3, nd.array([0, 1])], range: [[0, 1], [0, 1]] }), /all numbers of bins or all edges/);
    assert.throws(() => nd.histogramdd(nd.array([[0, NaN]]), { bins: 2 }), /autodetected range of \[NaN, NaN\] is not finite/);
    assert.throws(() => nd.histogramdd(nd.ones([4, 2]), { bins: 2, weights: nd.ones([3]) }), /weights must be a 1-d array of one weight per sample \(4\)/);
  });
});

describeOnCluster("histogram2d of 2 × 24 blocks with weights", () => {
  const x = ta.fromArray(nd.random([480], { seed: 3 }), { chunks: 20 });
  const y = ta.fromArray(nd.random([480], { seed: 4 }), { chunks: 20 });
  const w = ta.fromArray(nd.random([480], { seed: 5 }), { chunks: 20 });
  return [ta.histogram2d(x, y, { bins: [5, 7], range: [[0, 1], [0, 1]], weights: w, splitEvery: 3 })[0], ta.histogram2d(x, y, { bins: 4, range: [[0.25, 0.75], [0, 1]], density: true })[0]];
});
