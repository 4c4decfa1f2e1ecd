// Seeded differential test of cumsum, cumprod, nancumsum and nancumprod against Dask 2022.12
// (values bit for bit, chunks) and NumPy 1.24 (dtype, shape; values bit for bit where the axis
// is one block, and for integer results always, since modular sums and products do not depend
// on where the blocks split). Dask restarts each block's float fold and adds the carry after, so
// for many blocks its floats (and tessera's) differ from NumPy's running fold by rounding only.
// With a dtype option Dask 2022.12 accumulates in the default dtype (the option is metadata
// only); tessera casts first as NumPy does: float targets are checked against Dask on the array
// cast first (the same arithmetic), integer targets against NumPy.
// The seed is printed with every failure; DIFFERENTIAL_SEED=n reruns one, DIFFERENTIAL_CASES=n sets
// the number of cases (300).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Client, LocalCluster } from "../../src/index.js";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { isIntegerDType } from "../../src/ndarray/dtype.js";
import { assertSameArray, evaluatePython } from "./python-eval.js";
import { integer, numberDtypes, pick, pyChunks, randomArray, randomChunks, rngOf, type Rng } from "./differential-inputs.js";

const seed = Number(process.env.DIFFERENTIAL_SEED ?? 20261205);
const count = Number(process.env.DIFFERENTIAL_CASES ?? 300);
const operations = ["cumsum", "cumprod", "nancumsum", "nancumprod"] as const;
type Operation = (typeof operations)[number];

interface Case {
  label: string;
  input: nd.NDArray;
  chunks: number[][];
  operation: Operation;
  options: ta.CumulativeOptions;
  /** Where Dask's values are the reference (else NumPy's). */
  daskValues: boolean;
  /** The axis (after flattening) is one block: NumPy's floats are exact too. */
  oneBlock: boolean;
}

function randomShape(rng: Rng): number[] {
  const ndim = integer(rng, 1, 3);
  const shape = Array.from({ length: ndim }, () => pick(rng, [0, 1, 2, 3, 5, 7, 9]));
  // Often one long axis cut into 20 or more blocks, so the carry runs a long chain.
  if (rng() < 0.6) shape[integer(rng, 0, ndim - 1)] = integer(rng, 40, 70);
  if (shape.includes(0) && rng() < 0.7) return randomShape(rng);
  return shape;
}

function drawCase(rng: Rng, index: number): Case {
  const operation = pick(rng, operations);
  const dtype = pick(rng, numberDtypes);
  const shape = randomShape(rng);
  const chunks = shape.map((n) => (n >= 40 && rng() < 0.5 ? Array.from({ length: Math.ceil(n / 2) }, (_, i) => Math.min(2, n - i * 2)) : randomChunks(rng, n)));
  const product = operation.endsWith("prod");
  const input = randomArray(rng, dtype, shape, { specials: rng() < 0.6, small: product ? rng() < 0.7 : undefined });
  const options: ta.CumulativeOptions = {};
  if (rng() < 0.75) options.axis = integer(rng, 0, shape.length - 1) - (rng() < 0.3 ? shape.length : 0);
  let daskValues = true;
  if (rng() < 0.25) {
    const integral = dtype !== "float32" && dtype !== "float64";
    options.dtype = pick(rng, integral ? ["float32", "float64", "int64", "int32", "uint8", "int8"] : ["float32", "float64"]);
    daskValues = !isIntegerDType(options.dtype as nd.DType);
  }
  const axisBlocks = options.axis === undefined
    ? Math.ceil(input.size / chunks.reduce((n, c) => n * c.length, 1))
    : chunks[(options.axis as number) < 0 ? (options.axis as number) + shape.length : (options.axis as number)].length;
  return { label: `c${index}_${operation}_${dtype}_${shape.join("x")}`, input, chunks, operation, options, daskValues, oneBlock: axisBlocks <= 1 };
}

function lazyOf(c: Case): ta.Array {
  return (ta[c.operation] as (x: ta.Array, o: ta.CumulativeOptions) => ta.Array)(ta.fromArray(c.input, { chunks: c.chunks }), c.options);
}

function draw(first: number, n: number): { cases: Case[]; inputs: Record<string, nd.NDArray>; expressions: Record<string, string> } {
  const cases: Case[] = [];
  const inputs: Record<string, nd.NDArray> = {};
  const expressions: Record<string, string> = {};
  for (let i = first; i < first + n; i++) {
    const c = drawCase(rngOf(seed + i), i);
    cases.push(c);
    const name = `x${i}`;
    inputs[name] = c.input;
    const axis = c.options.axis === undefined ? "None" : String(c.options.axis);
    const dtype = c.options.dtype === undefined ? "" : `, dtype="${c.options.dtype}"`;
    const lazy = `da.from_array(${name}, chunks=${pyChunks(c.chunks)})`;
    expressions[`${c.label}_np`] = `np.${c.operation}(${name}, axis=${axis}${dtype})`;
    expressions[`${c.label}_da`] = c.options.dtype !== undefined && c.daskValues
      ? `da.${c.operation}(${lazy}.astype("${c.options.dtype}"), axis=${axis})`
      : `da.${c.operation}(${lazy}, axis=${axis}${dtype})`;
  }
  return { cases, inputs, expressions };
}

describe(`cumulative operations against NumPy and Dask (seed ${seed})`, () => {
  it(`${count} random cases: Dask's values and chunks, NumPy's dtype and shape`, async () => {
    const { cases, inputs, expressions } = draw(0, count);
    const python = evaluatePython(inputs, expressions);
    let manyBlocks = 0;
    for (const c of cases) {
      const numpy = python[`${c.label}_np`];
      const dask = python[`${c.label}_da`];
      const where = `${c.label} (seed ${seed}, ${c.operation}(chunks ${JSON.stringify(c.chunks)}, ${JSON.stringify(c.options)}))`;
      assert.ok(numpy.array, `${where}: NumPy refused: ${numpy.error}`);
      const lazy = lazyOf(c);
      if (dask.error !== undefined && c.input.size === 0 && c.options.axis === undefined && c.input.ndim > 1) {
        // Dask 2022.12 cannot flatten an empty n-d array (IndexError in its reshape); NumPy's answer stands.
        assert.deepEqual(lazy.chunks, [[0]], `${where}: chunks`);
        assertSameArray(await lazy.compute(), numpy.array, `${where} vs NumPy`);
        continue;
      }
      assert.ok(dask.array, `${where}: Dask refused: ${dask.error}`);
      assert.deepEqual(lazy.chunks, dask.chunks, `${where}: chunks`);
      if (lazy.chunks[0].length >= 20 || lazy.chunks.some((sizes) => sizes.length >= 20)) manyBlocks++;
      const ours = await lazy.compute();
      assert.equal(ours.dtype, numpy.array.dtype, `${where}: dtype`);
      assert.deepEqual([...ours.shape], [...numpy.array.shape], `${where}: shape`);
      assertSameArray(ours, c.daskValues ? nd.astype(dask.array, numpy.array.dtype) : numpy.array, `${where} vs ${c.daskValues ? "Dask" : "NumPy"}`);
      if (c.daskValues) assert.equal(dask.array.dtype, numpy.array.dtype, `${where}: Dask's own dtype`);
      if (c.oneBlock || isIntegerDType(ours.dtype) || ours.dtype === "bool") assertSameArray(ours, numpy.array, `${where} vs NumPy`);
      // The eager function is NumPy's running fold exactly.
      const eager = (nd[c.operation] as (a: nd.NDArray, o: nd.CumulativeOptions) => nd.NDArray)(c.input, c.options);
      assertSameArray(eager, numpy.array, `${where}: eager vs NumPy`);
    }
    assert.ok(manyBlocks >= count / 10, `only ${manyBlocks} cases had 20 or more blocks along an axis`);
  });

  it("corners: -0 through the carry, integer products past 2^53, wrapping, inf − inf", async () => {
    const inputs = {
      zeros: nd.fromTypedArray(new Float64Array([-0, -0, -0, -0, -0, -0]), [6]),
      big: nd.fromTypedArray(new Int32Array([2 ** 31 - 1, 2 ** 31 - 3, -(2 ** 31) + 5, 2 ** 30 + 7, 2 ** 31 - 11, 3]), [6]),
      small: nd.fromTypedArray(new Int8Array([127, 127, 127, -128, -128, 5]), [6]),
      huge: nd.fromTypedArray(new BigUint64Array([2n ** 64n - 1n, 2n ** 63n, 3n, 2n ** 64n - 5n, 7n, 1n]), [6]),
      infs: nd.fromTypedArray(new Float32Array([Infinity, 1, -Infinity, 2, NaN, 3]), [6]),
    };
    const cases: Array<[string, string, () => ta.Array]> = [
      ["zeros", "da.cumsum(da.from_array(zeros, chunks=2), axis=0)", () => ta.cumsum(ta.fromArray(inputs.zeros, { chunks: 2 }), 0)],
      ["big", "np.cumprod(big, dtype='int32')", () => ta.cumprod(ta.fromArray(inputs.big, { chunks: 2 }), { axis: 0, dtype: "int32" })],
      ["bigU", "np.cumprod(big, dtype='uint32')", () => ta.cumprod(ta.fromArray(inputs.big, { chunks: 4 }), { dtype: "uint32" })],
      ["bigDefault", "da.cumprod(da.from_array(big, chunks=1), axis=0)", () => ta.cumprod(ta.fromArray(inputs.big, { chunks: 1 }), 0)],
      ["small", "da.cumsum(da.from_array(small, chunks=2), axis=0)", () => ta.cumsum(ta.fromArray(inputs.small, { chunks: 2 }), 0)],
      ["smallWrap", "np.cumsum(small, dtype='int8')", () => ta.cumsum(ta.fromArray(inputs.small, { chunks: 2 }), { axis: 0, dtype: "int8" })],
      ["huge", "da.cumsum(da.from_array(huge, chunks=2), axis=0)", () => ta.cumsum(ta.fromArray(inputs.huge, { chunks: 2 }), 0)],
      ["hugeProd", "da.cumprod(da.from_array(huge, chunks=3), axis=0)", () => ta.cumprod(ta.fromArray(inputs.huge, { chunks: 3 }), 0)],
      ["infs", "da.cumsum(da.from_array(infs, chunks=1), axis=0)", () => ta.cumsum(ta.fromArray(inputs.infs, { chunks: 1 }), 0)],
      ["infsNan", "da.nancumprod(da.from_array(infs, chunks=2), axis=0)", () => ta.nancumprod(ta.fromArray(inputs.infs, { chunks: 2 }), 0)],
    ];
    const python = evaluatePython(inputs, Object.fromEntries(cases.map(([label, expression]) => [label, expression])));
    for (const [label, , ours] of cases) {
      assert.ok(python[label].array, `${label}: Python refused: ${python[label].error}`);
      assertSameArray(await ours().compute(), python[label].array, label);
    }
  });

  it("refuses bad input by name", () => {
    const x = ta.fromArray(nd.reshape(nd.arange(12), [3, 4]), { chunks: 2 });
    assert.throws(() => ta.cumsum(x, { axis: 2 }), /cumsum: axis 2 is out of bounds for an array of dimension 2/);
    assert.throws(() => ta.cumprod(x, -3), /cumprod: axis -3 is out of bounds/);
    assert.throws(() => ta.nancumsum(x, { axis: 0, keepdims: true } as never), /nancumsum: unknown option "keepdims"/);
    assert.throws(() => ta.cumsum(x, { axis: [0, 1] } as never), /cumsum: axis must be one integer/);
    assert.throws(() => ta.cumsum(x, { axis: 0.5 }), /cumsum: axis 0.5 is out of bounds/);
    assert.throws(() => ta.nancumprod(x, { dtype: "complex128" }), /nancumprod dtype does not support complex input \(complex128\)/);
    assert.throws(() => nd.cumsum(nd.ones([2, 2]), { axis: 2 }), /cumsum: axis 2 is out of bounds/);
    assert.throws(() => nd.cumprod(nd.ones([2]), { method: "blelloch" } as never), /cumprod: unknown option "method"/);
  });
});

describe("cumulative sums and products of unknown chunk sizes (a lazy boolean mask's), found by pipeline-fuzz", () => {
  it("accumulate along an axis block by block, a block the mask emptied passing the carry on; without an axis they are refused", async () => {
    // Rows 3–5 (the second block of rows) and 10–11 are masked out: blocks empty along the axis between full ones.
    const values = nd.reshape(nd.arange(60, { dtype: "int64" }), [12, 5]);
    const keep = [true, true, true, false, false, false, true, true, true, true, false, false];
    const x = ta.fromArray(values, { chunks: [3, 2] });
    const rows = ta.fromArray(nd.array(keep), { chunks: 3 });
    const masked = x.get(rows, ":");
    const flat = x.get(x.gt(25));
    // NumPy is the reference: Dask 2022.12 fails on all three (a carry from an empty block's empty
    // last slice does not broadcast; along a known axis its carries get NaN shapes).
    const python = evaluatePython({ v: values, k: nd.array(keep) }, {
      rows: "np.cumsum(v[k], axis=0)",
      cols: "np.cumprod(v[k], axis=1)",
      flat: "np.cumsum(v[v > 25], axis=0)",
    });
    assertSameArray(await ta.cumsum(masked, 0).compute(), python.rows.array as nd.NDArray, "cumsum along the masked axis");
    assertSameArray(await ta.cumprod(masked, { axis: 1 }).compute(), python.cols.array as nd.NDArray, "cumprod along a known axis");
    assertSameArray(await ta.cumsum(flat, 0).compute(), python.flat.array as nd.NDArray, "cumsum of a 1-d mask selection");
    assert.ok(Number.isNaN(ta.cumsum(masked, 0).shape[0]));
    assert.throws(() => ta.cumsum(flat), /cumsum without an axis \(it flattens the array\): the array .* has unknown chunk sizes/);
  });
});

describe("cumsum over many blocks on a LocalCluster of 2 workers × 1 thread", () => {
  let cluster: LocalCluster;
  let client: Client;
  const values = randomArray(rngOf(seed), "float64", [61, 7], { specials: true });
  let local: nd.NDArray[];
  const arrays = (): ta.Array[] => [
    ta.cumsum(ta.fromArray(values, { chunks: [3, 4] }), 0),
    ta.nancumprod(ta.fromArray(values, { chunks: [2, 3] }), { axis: 1 }),
    ta.cumsum(ta.fromArray(values, { chunks: [5, 2] })),
  ];
  before(async () => {
    local = await Promise.all(arrays().map((a) => a.compute()));
    cluster = await LocalCluster.start({ nWorkers: 2, threadsPerWorker: 1, dashboardAddress: false });
    client = await Client.connect(cluster);
  });
  after(async () => {
    await client?.close();
    await cluster?.close();
  });

  it("gives the local executor's bits and Dask's", async () => {
    const remote = await Promise.all(arrays().map((a) => a.compute()));
    const python = evaluatePython({ v: values }, { a: "da.cumsum(da.from_array(v, chunks=(3, 4)), axis=0)" });
    remote.forEach((r, i) => assertSameArray(r, local[i], `array ${i} on the cluster vs local`));
    assertSameArray(remote[0], python.a.array as nd.NDArray, "cumsum over 21 blocks on the cluster vs Dask");
  });
});
