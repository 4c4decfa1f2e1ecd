// Lazy piecewise and fromfunction (user functions travelling by source) against NumPy 1.24
// (values, dtype, shape) and Dask 2022.12 (chunks), the eager forms against NumPy too; then a
// LocalCluster of 2 workers × 1 thread, where the user functions run on workers from their source.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { evaluatePython } from "./python-eval.js";
import { mismatch } from "./differential-compare.js";
import { Inputs, randomArray, randomChunks, rngOf } from "./differential-inputs.js";
import { useCluster2x1 } from "./cluster-sample.js";

interface Case {
  label: string;
  numpy: string;
  /** Dask's expression, for the chunks (none where Dask 2022.12 fails: see the other_condition cases). */
  dask?: string;
  eager: () => nd.NDArray;
  lazy: () => ta.Array;
}

function cases(inputs: Inputs): Case[] {
  const rng = rngOf(20261205);
  const out: Case[] = [];
  for (const [i, dtype] of (["float64", "float32", "int32", "int8", "uint16", "int64"] as const).entries()) {
    const shape = [17 + i, 5];
    const x = inputs.add(randomArray(rng, dtype, shape, { small: true, specials: dtype.startsWith("float") }), shape.map((n) => randomChunks(rng, n)));
    const other = inputs.add(randomArray(rng, "float64", shape, {}), shape.map((n) => randomChunks(rng, n)));
    const [lo, hi] = [-1, 2];
    // Two conditions on x, one on another array chunked otherwise (map_blocks unifies them), constants and functions.
    out.push({
      label: `piecewise_${dtype}_functions`,
      numpy: `np.piecewise(${x.name}, [${x.name} < ${lo}, ${x.name} > ${hi}], [lambda v: v * 3, lambda v: v - 1, 7])`,
      dask: `da.piecewise(${x.py}, [${x.py} < ${lo}, ${x.py} > ${hi}], [lambda v: v * 3, lambda v: v - 1, 7])`,
      eager: () => nd.piecewise(inputs.arrays[x.name], [nd.less(inputs.arrays[x.name], lo), nd.greater(inputs.arrays[x.name], hi)], [(v) => nd.multiply(v, 3), (v) => nd.subtract(v, 1), 7]),
      lazy: () => ta.piecewise(x.lazy(), [x.lazy().lt(lo), x.lazy().gt(hi)], [(v) => nd.multiply(v, 3), (v) => nd.subtract(v, 1), 7]),
    });
    out.push({
      label: `piecewise_${dtype}_other_condition`,
      numpy: `np.piecewise(${x.name}, [${other.name} > 0.5, ${other.name} > 0.8], [-2, lambda v: v * 0.5])`,
      // Dask 2022.12 fails here (IndexError or "Shapes do not align": its map_blocks passes blocks of
      // conditions chunked otherwise than x unaligned); tessera unifies the chunks, as for any blockwise call.
      eager: () => nd.piecewise(inputs.arrays[x.name], [nd.greater(inputs.arrays[other.name], 0.5), nd.greater(inputs.arrays[other.name], 0.8)], [-2, (v) => nd.multiply(v, 0.5)]),
      lazy: () => ta.piecewise(x.lazy(), [other.lazy().gt(0.5), other.lazy().gt(0.8)], [-2, (v) => nd.multiply(v, 0.5)]),
    });
  }
  for (const [shape, chunks, dtype] of [[[7, 9], [3, 4], "float64"], [[20, 3, 4], [6, 3, 2], "int64"], [[5], 2, "int32"], [[0, 4], 2, "float64"]] as const) {
    const pyDtype = `np.${dtype}`;
    const fn = shape.length === 3 ? (i: nd.NDArray, j: nd.NDArray, k: nd.NDArray) => nd.add(nd.multiply(i, 100), nd.add(nd.multiply(j, 10), k))
      : shape.length === 2 ? (i: nd.NDArray, j: nd.NDArray) => nd.subtract(nd.multiply(i, 10), j) : (i: nd.NDArray) => nd.multiply(i, i);
    const lambda = shape.length === 3 ? "lambda i, j, k: i * 100 + j * 10 + k" : shape.length === 2 ? "lambda i, j: i * 10 - j" : "lambda i: i * i";
    out.push({
      label: `fromfunction_${shape.join("x")}_${dtype}`,
      numpy: `np.fromfunction(${lambda}, (${shape.join(", ")},), dtype=${pyDtype})`,
      dask: `da.fromfunction(${lambda}, shape=(${shape.join(", ")},), chunks=${typeof chunks === "number" ? chunks : `(${chunks.join(", ")})`}, dtype=${pyDtype})`,
      eager: () => nd.fromfunction(fn as never, shape, { dtype }),
      lazy: () => ta.fromfunction(fn as never, shape, { dtype, chunks: chunks as never }),
    });
  }
  return out;
}

describe("lazy and eager piecewise and fromfunction against NumPy and Dask", () => {
  it("NumPy's values, dtypes and shapes (eager and lazy), Dask's chunks", async () => {
    const inputs = new Inputs();
    const all = cases(inputs);
    const expressions: Record<string, string> = {};
    for (const c of all) Object.assign(expressions, { [`${c.label}_np`]: c.numpy }, c.dask ? { [`${c.label}_da`]: c.dask } : {});
    const reference = evaluatePython(inputs.arrays, expressions);
    const problems: string[] = [];
    for (const c of all) {
      const lazy = c.lazy();
      for (const [how, ours] of [["eager", c.eager()], ["lazy", await lazy.compute()]] as const) {
        const problem = mismatch({ ulps: 0 }, ours, reference[`${c.label}_np`]);
        if (problem) problems.push(`${c.label} (${how}): ${problem}\n    numpy: ${c.numpy}`);
      }
      if (c.dask && JSON.stringify(lazy.chunks) !== JSON.stringify(reference[`${c.label}_da`].chunks)) {
        problems.push(`${c.label}: chunks ${JSON.stringify(lazy.chunks)}, Dask ${JSON.stringify(reference[`${c.label}_da`].chunks)} ${reference[`${c.label}_da`].error ?? ""}`);
      }
    }
    assert.deepEqual(problems, [], `${problems.length} of ${all.length} differ:\n${problems.join("\n")}`);
  });

  it("refuses functions that capture variables, bad lists and results, naming them", () => {
    const x = ta.fromArray(nd.arange(10, "float64"), { chunks: 3 });
    const factor = 3;
    assert.throws(() => ta.piecewise(x, [x.lt(3)], [(v) => nd.multiply(v, factor)]), /uses "factor" from its surroundings/);
    assert.throws(() => ta.piecewise(x, [x.lt(3)], [1, 2, 3]), /piecewise: with 1 condition\(s\), either 1 or 2 functions are expected, got 3/);
    assert.throws(() => ta.piecewise(x, [ta.fromArray(nd.zeros([9]))], [1]), /piecewise: condlist\[0\] has shape \[9\], x \[10\]/);
    assert.throws(() => ta.piecewise(x, [x.lt(3)], ["a" as never]), /piecewise: funclist\[0\] must be a function or a number/);
    assert.throws(() => ta.piecewise(x, [x.lt(3)], [1], 5), /piecewise takes x, condlist and funclist only/);
    assert.throws(() => ta.fromfunction((i: nd.NDArray) => nd.multiply(i, factor), [4]), /uses "factor" from its surroundings/);
    assert.throws(() => ta.fromfunction(() => 1 as never, [4]), /fromfunction: the function must return an NDArray of its grids' shape \[1\], got 1/);
    assert.throws(() => ta.fromfunction((i: nd.NDArray) => i, [4], { chunk: 2 } as never), /fromfunction: unknown option "chunk"/);
    assert.throws(() => nd.piecewise(nd.zeros([3]), [nd.ones([3])], [() => nd.zeros([2])]), /piecewise: function 0 returned 2 values for the 3 elements/);
  });
});

describe("piecewise and fromfunction on a LocalCluster of 2 workers × 1 thread", () => {
  useCluster2x1();

  it("the user functions run on the workers from their source and give NumPy's values", async () => {
    const grid = ta.fromfunction((i: nd.NDArray, j: nd.NDArray) => nd.subtract(nd.multiply(i, 10), j), [12, 8], { chunks: [5, 3] });
    const pieces = ta.piecewise(grid, [grid.lt(20), grid.gt(90)], [(v) => nd.multiply(v, -1), 0.5, (v) => nd.sqrt(v)]);
    const [a, b] = await ta.compute(grid, pieces);
    const reference = evaluatePython({}, {
      a: "np.fromfunction(lambda i, j: i * 10 - j, (12, 8))",
      b: "(lambda g: np.piecewise(g, [g < 20, g > 90], [lambda v: -v, 0.5, np.sqrt]))(np.fromfunction(lambda i, j: i * 10 - j, (12, 8)))",
    });
    assert.equal(mismatch({ ulps: 0 }, a, reference.a), null);
    assert.equal(mismatch({ ulps: 0 }, b, reference.b), null);
  });
});
