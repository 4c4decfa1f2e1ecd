// Seeded differential test of rot90, tril, triu, eye, diag, diagonal and trace — lazy (ta.*)
// and eager (nd.*) — against NumPy 1.24 (values bit for bit, dtype, shape, refusals) and Dask
// 2022.12 (chunks): every dtype, 1–4 axes, random chunkings with many blocks per axis, negative
// axes, k and offsets across and beyond the matrix. DIFFERENTIAL_SEED=n reruns another seed.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { describeOnCluster } from "./cluster-sample.js";
import { assertSameArray, evaluatePython } from "./python-eval.js";
import { checkAgainstNumpyAndDask } from "./numpy-dask-cases.js";
import { Inputs, integer, numberDtypes, pick, pyTuple, randomArray, randomChunks, rngOf, type Rng } from "./differential-inputs.js";

const seed = Number(process.env.DIFFERENTIAL_SEED ?? 20261205);
const count = Number(process.env.DIFFERENTIAL_CASES ?? 400);

interface Case {
  label: string;
  numpy: string;
  /** Dask's spelling, or null where Dask 2022.12 fails (eye with no rows). */
  dask: string | null;
  ours: () => ta.Array;
  /** Chunks expected where Dask is no reference for them (said where set). */
  chunks?: number[][];
  /** The eager twin (nd.*), on the whole array. */
  eager: () => nd.NDArray;
  /** Where NumPy may refuse, tessera must refuse too (lazily and eagerly), when building the array. */
  refusal?: RegExp;
}

function randomShape(rng: Rng, low: number, high: number): number[] {
  const ndim = integer(rng, low, high);
  const shape = Array.from({ length: ndim }, () => pick(rng, [1, 2, 3, 5, 8, 13]));
  if (rng() < 0.7) shape[integer(rng, 0, ndim - 1)] = integer(rng, 20, 45);
  if (ndim > 1 && rng() < 0.4) shape[integer(rng, 0, ndim - 1)] = integer(rng, 20, 45);
  if (rng() < 0.05) shape[integer(rng, 0, ndim - 1)] = 0;
  return shape;
}

/** An axis, negative with probability 0.3. */
const someAxis = (rng: Rng, ndim: number): number => {
  const axis = integer(rng, 0, ndim - 1);
  return rng() < 0.3 ? axis - ndim : axis;
};

/** An offset often on the matrix, sometimes past its edge. */
const someOffset = (rng: Rng, rows: number, cols: number): number => (rng() < 0.8 ? integer(rng, -rows, cols) : integer(rng, -rows - 5, cols + 5));

function drawCase(rng: Rng, index: number, inputs: Inputs): Case {
  const dtype = pick(rng, numberDtypes);
  const kind = pick(rng, ["rot90", "rot90", "tril", "triu", "eye", "diag", "diag", "diagonal", "diagonal", "trace", "trace"]);
  const label = (shape: readonly number[]): string => `c${index}_${kind}_${dtype}_${shape.join("x")}`;
  if (kind === "eye") {
    const N = integer(rng, 0, 40);
    const M = rng() < 0.4 ? undefined : integer(rng, 0, 40);
    const k = someOffset(rng, N, M ?? N);
    const chunks = rng() < 0.3 ? "auto" : integer(rng, 1, 12);
    const pyM = M === undefined ? "None" : String(M);
    const pyChunk = typeof chunks === "string" ? `'${chunks}'` : String(chunks);
    return {
      label: label([N, M ?? N]), numpy: `np.eye(${N}, ${pyM}, ${k}, dtype='${dtype}')`,
      // Dask 2022.12 states these chunks but builds its blocks from the columns' own "auto"
      // chunks, so where those differ its graph lacks keys: its stated chunks are the reference.
      // With no rows it fails (divides by a zero chunk): NumPy alone is the reference.
      dask: N === 0 ? null : `da.zeros((${N}, ${M ?? N}), chunks=da.eye(${N}, chunks=${pyChunk}, M=${pyM}, k=${k}, dtype='${dtype}').chunks)`,
      ours: () => ta.eye(N, { M, k, dtype, chunks }), eager: () => nd.eye(N, { M, k, dtype }),
    };
  }
  const trace = kind === "trace";
  const shape = randomShape(rng, kind === "diag" ? 1 : kind === "rot90" ? 1 : 2, kind === "diag" ? 2 : 4);
  const chunks = shape.map((n) => randomChunks(rng, n));
  // Sums of small values are exact whatever the order, so trace compares bit for bit.
  const x = inputs.add(randomArray(rng, dtype, shape, trace ? { small: true } : { specials: true }), chunks);
  const ndim = shape.length;
  const data = inputs.arrays[x.name];
  switch (kind) {
    case "rot90": {
      const k = integer(rng, -9, 9);
      const axes = rng() < 0.9 ? [someAxis(rng, Math.max(ndim, 1)), someAxis(rng, Math.max(ndim, 1))] : [integer(rng, -ndim - 1, ndim), integer(rng, -ndim - 1, ndim)];
      return {
        label: label(shape), numpy: `np.rot90(${x.name}, ${k}, ${pyTuple(axes)})`, dask: `da.rot90(${x.py}, ${k}, ${pyTuple(axes)})`,
        ours: () => ta.rot90(x.lazy(), { k, axes }), eager: () => nd.rot90(data, { k, axes }),
        refusal: /Axes must be different|out of range for array of ndim/,
      };
    }
    case "tril":
    case "triu": {
      const k = someOffset(rng, shape.at(-2) ?? 1, shape.at(-1) ?? 1);
      // Dask 2022.12 builds its mask with the first chunk's size throughout (tri's
      // chunks[0][0]), so irregular chunks come back split at both sets of boundaries; later
      // Dask, and tessera, keep the array's chunks. Dask is the chunks' reference where the
      // last two axes are chunked regularly.
      const regular = chunks.slice(-2).every((sizes) => sizes[0] > 0 && sizes.slice(0, -1).every((size) => size === sizes[0]) && sizes[sizes.length - 1] <= sizes[0]);
      return {
        label: label(shape), numpy: `np.${kind}(${x.name}, ${k})`, dask: ndim < 2 || regular ? `da.${kind}(${x.py}, ${k})` : null, chunks,
        ours: () => ta[kind](x.lazy(), { k }), eager: () => nd[kind](data, { k }),
      };
    }
    case "diag": {
      const k = someOffset(rng, shape[0], shape.at(-1) ?? 1);
      const concrete = rng() < 0.15;
      return {
        // An empty vector padded for k ≠ 0: Dask's pad leaves 0-length pieces ((0, 0, 1), (1,)),
        // ta.pad does not (as in manipulation-differential): NumPy alone is the reference there.
        label: label(shape), numpy: `np.diag(${x.name}, ${k})`, dask: data.size === 0 && k !== 0 && !concrete ? null : `da.diag(${concrete ? x.name : x.py}, ${k})`,
        ours: () => ta.diag(concrete ? data : x.lazy(), { k }), eager: () => nd.diag(data, { k }),
      };
    }
    default: {
      const axis1 = someAxis(rng, ndim);
      const axis2 = rng() < 0.08 ? axis1 : someAxis(rng, ndim);
      const offset = someOffset(rng, shape[(axis1 + ndim) % ndim], shape[(axis2 + ndim) % ndim]);
      const options = { offset, axis1, axis2 };
      const accumulate = trace && rng() < 0.4 ? pick(rng, ["float64", "int64", "int32", "uint8", "float32"]) : undefined;
      const pyDtype = accumulate === undefined ? "None" : `'${accumulate}'`;
      return trace ? {
        label: label(shape), numpy: `np.trace(${x.name}, ${offset}, ${axis1}, ${axis2}, ${pyDtype})`, dask: `da.trace(${x.py}, ${offset}, ${axis1}, ${axis2}, ${pyDtype})`,
        ours: () => ta.trace(x.lazy(), { ...options, dtype: accumulate }), eager: () => nd.trace(data, { ...options, dtype: accumulate }),
        refusal: /axis1 and axis2 cannot be the same/,
      } : {
        label: label(shape), numpy: `np.diagonal(${x.name}, ${offset}, ${axis1}, ${axis2})`, dask: `da.diagonal(${x.py}, ${offset}, ${axis1}, ${axis2})`,
        ours: () => ta.diagonal(x.lazy(), options), eager: () => nd.diagonal(data, options),
        refusal: /axis1 and axis2 cannot be the same/,
      };
    }
  }
}

describe(`matrix shapes against NumPy and Dask (seed ${seed})`, () => {
  it(`${count} random cases: NumPy's values, dtype and shape (lazy and eager); Dask's chunks`, async () => {
    const inputs = new Inputs();
    const cases = Array.from({ length: count }, (_, i) => drawCase(rngOf(seed + i), i, inputs));
    const refused = await checkAgainstNumpyAndDask(cases, inputs.arrays, { seed });
    assert.ok(refused > 0 && refused < count / 4, `refusals drawn: ${refused}`);
  });
});

describe("matrix shapes: refusals and corners", () => {
  it("refuses bad input by name, with NumPy's reasons", () => {
    const x = ta.fromArray(nd.reshape(nd.arange(12), [3, 4]), { chunks: 2 });
    const vector = ta.fromArray(nd.arange(5), { chunks: 2 });
    const cube = ta.zeros([2, 3, 4], { chunks: 2 });
    assert.throws(() => ta.rot90(x, { k: 1.5 }), /rot90: k must be an integer, got 1.5/);
    assert.throws(() => ta.rot90(x, { axes: [0, 1, 2] }), /rot90: len\(axes\) must be 2/);
    assert.throws(() => ta.rot90(x, { axes: [1, -1] }), /rot90: Axes must be different/);
    assert.throws(() => ta.rot90(x, { axes: [0, 3] }), /rot90: Axes=\(0, 3\) out of range for array of ndim=2/);
    assert.throws(() => ta.rot90(x, { axes: [0, 2] }), /rot90: Axes must be different, got \(0, 2\)/);
    assert.throws(() => ta.rot90(vector), /rot90: Axes must be different/);
    assert.throws(() => ta.rot90(x, { K: 2 } as never), /rot90: unknown option "K"; rot90 takes k, axes/);
    assert.throws(() => ta.rot90(nd.zeros([2, 2]) as never), /rot90: expected a lazy array/);
    assert.throws(() => ta.tril(vector), /tril: the array must have at least two axes, it has 1/);
    assert.throws(() => ta.triu(x, { k: 0.5 }), /triu: k must be an integer, got 0.5/);
    assert.throws(() => ta.triu(x, { offset: 1 } as never), /triu: unknown option "offset"; triu takes k/);
    assert.throws(() => ta.eye(-1), /eye: negative dimensions are not allowed/);
    assert.throws(() => ta.eye(3, { M: -2 }), /eye: negative dimensions are not allowed \(N 3, M -2\)/);
    assert.throws(() => ta.eye(3.5), /eye: N must be an integer, got 3.5/);
    assert.throws(() => ta.eye(3, { chunks: [2, 2] as never }), /eye: chunks must be a number or a string/);
    assert.throws(() => ta.eye(3, { dtype: "complex64" }), /complex64/);
    assert.throws(() => ta.eye(3, { n: 3 } as never), /eye: unknown option "n"/);
    assert.throws(() => ta.diag(cube), /diag: input must be 1- or 2-d, got 3 axes/);
    assert.throws(() => ta.diag(x, { offset: 1 } as never), /diag: unknown option "offset"; diag takes k/);
    assert.throws(() => ta.diagonal(vector), /diagonal: diag requires an array of at least two dimensions, got 1/);
    assert.throws(() => ta.diagonal(x, { axis1: 2 }), /diagonal axis1: axis 2 is out of bounds for an array of dimension 2/);
    assert.throws(() => ta.diagonal(cube, { axis1: 1, axis2: -2 }), /diagonal: axis1 and axis2 cannot be the same \(both are axis 1\)/);
    assert.throws(() => ta.diagonal(x, { offset: 0.5 }), /diagonal: offset must be an integer/);
    assert.throws(() => ta.trace(x, { axis: 0 } as never), /trace: unknown option "axis"; trace takes offset, axis1, axis2, dtype/);
    assert.throws(() => nd.tril(nd.arange(3)), /tril: the array must have at least two axes, it has 1/);
    assert.throws(() => nd.diag(nd.zeros([2, 2, 2])), /diag: input must be 1- or 2-d, got 3 axes/);
    assert.throws(() => nd.rot90(nd.zeros([2, 2]), { k: 1.5 }), /rot90: k must be an integer/);
    assert.throws(() => nd.eye(2, { k: 1, m: 3 } as never), /eye: unknown option "m"/);
    assert.throws(() => nd.trace(nd.zeros([2]), {}), /trace: diag requires an array of at least two dimensions|diagonal: diag requires/);
  });

  it("tril and triu pass the blocks the triangle covers whole untouched, and mask only those it cuts", async () => {
    const x = ta.fromArray(nd.reshape(nd.arange(36, { dtype: "int32" }), [6, 6]), { chunks: 2 });
    const expected = evaluatePython({ x: await x.compute() }, { lower: "np.tril(x, -1)", upper: "np.triu(x, 3)" });
    assertSameArray(await ta.tril(x, { k: -1 }).compute(), expected.lower.array as nd.NDArray, "tril k=-1");
    assertSameArray(await ta.triu(x, { k: 3 }).compute(), expected.upper.array as nd.NDArray, "triu k=3");
    // A triangle past the whole matrix is the array itself, block for block (no masking task).
    assertSameArray(await ta.tril(x, { k: 5 }).compute(), await x.compute(), "tril past the corner");
  });
});

describeOnCluster("matrix shapes", () => {
  const values = randomArray(rngOf(seed), "int64", [3, 37, 29], { specials: true });
  const x = ta.fromArray(values, { chunks: [2, 5, 4] });
  const vector = ta.fromArray(randomArray(rngOf(seed + 1), "float32", [23], { specials: true }), { chunks: 4 });
  return [
    ta.rot90(x, { k: 3, axes: [2, 1] }),
    ta.tril(x, { k: -3 }),
    ta.triu(ta.rot90(x, { k: -1, axes: [1, 2] }), { k: 7 }),
    ta.eye(31, { M: 17, k: -4, chunks: 5, dtype: "uint8" }),
    ta.diag(vector, { k: -6 }),
    ta.diagonal(x, { offset: 3, axis1: 2, axis2: 1 }),
    ta.trace(x, { offset: -2, axis1: 1, axis2: 2 }),
  ];
}, "gives the local executor's results (block offsets travel with the tasks)");
