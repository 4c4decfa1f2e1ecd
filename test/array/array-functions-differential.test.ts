// Seeded differential test of the dask.array functions ta.sum … ta.var, amax/amin (NumPy's names; Dask
// 2022.12 has only max/min), ptp, average,
// unravelIndex, ravelMultiIndex and searchsorted against NumPy 1.24 (values bit for bit, dtype,
// shape, refusals) and Dask 2022.12 (chunks, and its values where the float sums depend on the
// chunking): every dtype, 1–3 axes, ≥ 8 blocks along a long axis. DIFFERENTIAL_SEED=n reruns
// another seed.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { describeOnCluster } from "./cluster-sample.js";
import { assertSameArray, evaluatePython } from "./python-eval.js";
import { Inputs, integer, numberDtypes, pick, pyAxis, pyBool, pyTuple, randomArray, rngOf, type Rng } from "./differential-inputs.js";

const seed = Number(process.env.DIFFERENTIAL_SEED ?? 20261205);
const count = Number(process.env.DIFFERENTIAL_CASES ?? 300);

interface Case {
  label: string;
  numpy: string;
  /** Dask's spelling (its chunks are compared), or null. */
  dask: string | null;
  /** Compare values with Dask's rather than NumPy's (float sums follow the chunks). */
  daskValues?: boolean;
  ours: () => ta.Array;
  /** NumPy's refusal, matched by tessera's when building the array (or, with atCompute, computing it). */
  refusal?: RegExp;
  atCompute?: boolean;
}

const py = (value: number | readonly number[]): string => (typeof value === "number" ? String(value) : pyTuple(value));

/** A shape with one long axis cut into ≥ 8 blocks, and its chunks. */
function randomShapeAndChunks(rng: Rng, maxNdim = 3): { shape: number[]; chunks: number[][] } {
  const ndim = integer(rng, 1, maxNdim);
  const shape = Array.from({ length: ndim }, () => pick(rng, [1, 2, 3, 5]));
  const long = integer(rng, 0, ndim - 1);
  shape[long] = integer(rng, 24, 40);
  const chunks = shape.map((n, a) => {
    const sizes: number[] = [];
    for (let left = n; left > 0;) {
      const size = Math.min(left, a === long ? integer(rng, 1, 3) : integer(rng, 1, n));
      sizes.push(size);
      left -= size;
    }
    return sizes;
  });
  return { shape, chunks };
}

/** Sorted in NumPy's order (NaN last), as searchsorted's `a` must be. */
function sortedArray(values: nd.NDArray): nd.NDArray {
  const items = Array.from(values.toTypedArray() as ArrayLike<number | bigint>);
  items.sort((x, y) => (x !== x ? (y !== y ? 0 : 1) : y !== y ? -1 : x < y ? -1 : x > y ? 1 : 0));
  const Ctor = nd.dtypeInfo(values.dtype).array as unknown as { from(items: unknown[]): nd.TypedArray };
  return nd.fromTypedArray(Ctor.from(items), [...values.shape], { dtype: values.dtype });
}

function drawCase(rng: Rng, index: number, inputs: Inputs): Case {
  const dtype = pick(rng, numberDtypes);
  const { shape, chunks } = randomShapeAndChunks(rng);
  const x = inputs.add(randomArray(rng, dtype, shape, { specials: true }), chunks);
  const ndim = shape.length;
  const label = (op: string): string => `c${index}_${op}_${dtype}_${shape.join("x")}`;
  const axis = rng() < 0.3 ? undefined : rng() < 0.5 ? integer(rng, -ndim, ndim - 1) : Array.from({ length: ndim }, (_, a) => a).filter(() => rng() < 0.6);
  const keepdims = rng() < 0.3;
  const kind = pick(rng, ["reduction", "reduction", "reduction", "ptp", "average", "average", "unravel", "ravel", "searchsorted"]);
  switch (kind) {
    case "reduction": {
      const op = pick(rng, ["sum", "prod", "mean", "max", "min", "amax", "amin", "std", "var"] as const);
      const splitEvery = integer(rng, 2, 6);
      const floatResult = ["mean", "std", "var"].includes(op);
      const dtypeOption = op === "max" || op === "min" || op === "amax" || op === "amin" || rng() < 0.6 ? undefined : floatResult ? pick(rng, ["float32", "float64"]) : pick(rng, numberDtypes.filter((d) => d !== "bool"));
      const ddof = (op === "std" || op === "var") && rng() < 0.5 ? 1 : undefined;
      const pyOptions = [`axis=${pyAxis(axis)}`, `keepdims=${pyBool(keepdims)}`, ...(dtypeOption ? [`dtype='${dtypeOption}'`] : []), ...(ddof !== undefined ? [`ddof=${ddof}`] : [])].join(", ");
      const options = { axis, keepdims, splitEvery, ...(dtypeOption ? { dtype: dtypeOption } : {}), ...(ddof !== undefined ? { ddof } : {}) };
      return {
        label: label(op), numpy: `np.${op}(${x.name}, ${pyOptions})`, dask: `da.${op.replace(/^a(max|min)$/, "$1")}(${x.py}, ${pyOptions}, split_every=${splitEvery})`, daskValues: true,
        ours: () => (ta[op] as (x: ta.Array, o: object) => ta.Array)(x.lazy(), options), refusal: /zero-size array/,
      };
    }
    case "ptp": {
      const single = typeof axis === "number" || axis === undefined ? axis : undefined;
      return {
        label: label("ptp"), numpy: `np.ptp(${x.name}, axis=${pyAxis(single)})`, dask: `da.ptp(${x.py}, axis=${pyAxis(single)})`,
        ours: () => ta.ptp(x.lazy(), { axis: single }), refusal: /boolean subtract|zero-size array/,
      };
    }
    case "average": {
      const along = integer(rng, -ndim, ndim - 1);
      const style = pick(rng, ["none", "same", "same", "oneD", "oneD", "mismatch"]);
      const returned = rng() < 0.4;
      const wDtype = pick(rng, numberDtypes.filter((d) => d !== "uint64"));
      const wShape = style === "same" ? shape : style === "oneD" ? [shape[along + (along < 0 ? ndim : 0)]] : [shape[along + (along < 0 ? ndim : 0)] + 1];
      const wChunks = style === "same" ? chunks : [chunks[along + (along < 0 ? ndim : 0)]];
      // Dask 2022.12 multiplies integers in their own dtype before its float64 sum (it drops
      // multiply's dtype), so large integer products wrap there and not in NumPy: integer
      // averages take small values, where the three agree bit for bit (a test below checks the wrap).
      const integral = (d: nd.DType): boolean => nd.dtypeInfo(d).kind !== "f";
      if (integral(dtype) && (style === "none" || integral(wDtype))) Object.assign(x, inputs.add(randomArray(rng, dtype, shape, { small: true }), chunks));
      const w = style === "none" ? null : inputs.add(randomArray(rng, wDtype, wShape, { small: true }), style === "mismatch" ? [wShape] : wChunks);
      const avgAxis = style === "oneD" || style === "mismatch" ? along : typeof axis === "number" ? axis : undefined;
      const lazyWeights = rng() < 0.5;
      const pyOptions = `axis=${pyAxis(avgAxis)}${w ? `, weights=${w.name}` : ""}${returned ? ", returned=True" : ""}, keepdims=${pyBool(keepdims)}`;
      const stackIfReturned = (call: string, lib: string): string => (returned ? `${lib}.stack(${call})` : call);
      return {
        label: label(`average_${style}`), numpy: stackIfReturned(`np.average(${x.name}, ${pyOptions})`, "np"),
        dask: stackIfReturned(`da.average(${x.py}, axis=${pyAxis(avgAxis)}${w ? `, weights=${w.py}` : ""}${returned ? ", returned=True" : ""}, keepdims=${pyBool(keepdims)})`, "da"), daskValues: true,
        ours: () => {
          const weights = w === null ? undefined : lazyWeights ? w.lazy() : inputs.arrays[w.name];
          const options = { axis: avgAxis, keepdims, ...(weights ? { weights } : {}), splitEvery: 4 };
          return returned ? ta.stack(ta.average(x.lazy(), { ...options, returned: true })) : ta.average(x.lazy(), options);
        },
        refusal: /Weights sum to zero|Length of weights|zero-size/, atCompute: true,
      };
    }
    case "unravel": {
      const target = Array.from({ length: integer(rng, 1, 3) }, () => integer(rng, 1, 7));
      const size = target.reduce((p, n) => p * n, 1);
      const intDtype = pick(rng, ["int8", "uint8", "int16", "int32", "uint32", "int64", "uint64"] as const);
      const outOfBounds = rng() < 0.15;
      const values = nd.astype(nd.floor(nd.multiply(nd.random(shape, { seed: integer(rng, 0, 1e6) }), Math.min(size + (outOfBounds ? 3 : 0), intDtype.endsWith("int8") ? 127 : 1e9))), intDtype);
      const i = inputs.add(values, chunks);
      if (rng() < 0.2) {
        return { label: label("unravel_argmax"), numpy: `np.stack(np.unravel_index(np.argmax(${x.name}), ${py(shape)}))`, dask: null, ours: () => ta.stack(ta.unravelIndex(ta.argmax(x.lazy()), shape)) };
      }
      return {
        label: label(`unravel_${intDtype}`), numpy: `np.stack(np.unravel_index(${i.name}, ${py(target)}))`, dask: `da.stack(da.unravel_index(${i.py}, ${py(target)}))`,
        ours: () => ta.stack(ta.unravelIndex(i.lazy(), target)), refusal: /out of bounds/, atCompute: true,
      };
    }
    case "ravel": {
      const dims = Array.from({ length: integer(rng, 1, 3) }, () => integer(rng, 1, 9));
      const coordinates = dims.map((n) => {
        const cDtype = pick(rng, ["int8", "int16", "int32", "int64"] as const);
        const cShape = rng() < 0.3 ? shape.map((s, a) => (a === 0 ? s : 1)) : shape;
        const data = nd.astype(nd.floor(nd.add(nd.multiply(nd.random(cShape, { seed: integer(rng, 0, 1e6) }), n + 4), -2)), cDtype);
        return inputs.add(data, cShape.map((s, a) => (s === shape[a] ? chunks[a] : [s])));
      });
      const modes = dims.map(() => pick(rng, ["raise", "wrap", "clip"] as const));
      const mode = rng() < 0.5 ? modes : modes[0];
      const pyMode = Array.isArray(mode) ? pyTuple(mode.map((m) => `'${m}'`)) : `'${mode}'`;
      return {
        label: label("ravel"), numpy: `np.ravel_multi_index(${pyTuple(coordinates.map((c) => c.name))}, ${py(dims)}, mode=${pyMode})`,
        dask: `da.ravel_multi_index(${pyTuple(coordinates.map((c) => c.py))}, ${py(dims)}, mode=${pyMode})`,
        ours: () => ta.ravelMultiIndex(coordinates.map((c) => c.lazy()), dims, { mode }), refusal: /invalid entry/, atCompute: true,
      };
    }
    default: {
      const n = integer(rng, 16, 40);
      const aDtype = pick(rng, numberDtypes.filter((d) => d !== "bool"));
      const a = inputs.add(sortedArray(randomArray(rng, aDtype, [n], { specials: true, small: rng() < 0.5 })), [chunksOf(rng, n)]);
      const side = pick(rng, ["left", "right"] as const);
      return {
        label: label(`searchsorted_${aDtype}_${side}`), numpy: `np.searchsorted(${a.name}, ${x.name}, side='${side}')`,
        dask: `da.searchsorted(${a.py}, ${x.py}, side='${side}')`, ours: () => ta.searchsorted(a.lazy(), x.lazy(), { side }),
      };
    }
  }
}

/** n cut into blocks of 1–4 (≥ 8 blocks for n ≥ 32). */
function chunksOf(rng: Rng, n: number): number[] {
  const sizes: number[] = [];
  for (let left = n; left > 0;) {
    const size = Math.min(left, integer(rng, 1, 4));
    sizes.push(size);
    left -= size;
  }
  return sizes;
}

describe("dask.array functions against NumPy and Dask", () => {
  it(`agree on ${count} seeded cases (seed ${seed})`, async () => {
    const rng = rngOf(seed);
    const inputs = new Inputs();
    const cases = Array.from({ length: count }, (_, i) => drawCase(rng, i, inputs));
    const expressions: Record<string, string> = {};
    for (const c of cases) {
      expressions[`${c.label}_np`] = c.numpy;
      if (c.dask) expressions[`${c.label}_da`] = c.dask;
    }
    const python = evaluatePython(inputs.arrays, expressions);
    const seen = new Set<string>();
    for (const c of cases) {
      const numpy = python[`${c.label}_np`];
      const where = `${c.label} (seed ${seed}: ${c.numpy})`;
      if (!numpy.array && c.refusal?.test(numpy.error ?? "")) {
        if (c.atCompute) await assert.rejects(async () => c.ours().compute(), (e: Error) => refusedAlike(e, numpy.error as string), `${where}: NumPy refused (${numpy.error}), so must tessera`);
        else assert.throws(() => c.ours(), (e: Error) => refusedAlike(e, numpy.error as string), `${where}: NumPy refused (${numpy.error}), so must tessera`);
        seen.add(`${c.label.split("_")[1]} refused`);
        continue;
      }
      assert.ok(numpy.array, `${where}: NumPy refused: ${numpy.error}`);
      const lazy = c.ours();
      const dask = c.dask ? python[`${c.label}_da`] : undefined;
      if (dask) assert.ok(dask.array, `${where}: Dask refused: ${dask.error} (${c.dask})`);
      const computed = await lazy.compute();
      assertSameArray(computed, c.daskValues && dask?.array ? dask.array : numpy.array, `${where} vs ${c.daskValues ? `Dask (NumPy: ${String(numpy.array.toArray())})` : "NumPy"}`);
      if (dask) assert.deepEqual(lazy.chunks, dask.chunks, `${where}: chunks vs Dask (${c.dask})`);
      seen.add(c.label.split("_")[1]);
    }
    // The draw must reach every function and its refusals, or a seed could test nothing.
    for (const name of ["sum", "prod", "mean", "max", "min", "amax", "amin", "std", "var", "ptp", "average", "unravel", "ravel", "searchsorted", "average refused", "ravel refused", "unravel refused"]) {
      assert.ok(seen.has(name), `no case of ${name} in seed ${seed}`);
    }
  });
});

/** tessera's refusal says what NumPy's does (NumPy's words, or the thing it names). */
function refusedAlike(error: Error, numpy: string): boolean {
  const pairs: Array<[RegExp, RegExp]> = [
    [/Weights sum to zero/, /weights sum to zero, can't be normalized/], [/Length of weights/, /length of weights .* not compatible/],
    [/out of bounds/, /is out of bounds for array with size/], [/invalid entry/, /invalid entry in coordinates array/],
    [/boolean subtract/, /ptp: bool arrays/], [/zero-size array/, /zero-size array to reduction operation/],
  ];
  return pairs.some(([theirs, ours]) => theirs.test(numpy) && ours.test(error.message));
}

describe("dask.array functions: the cases the draw does not reach", () => {
  it("amax / amin are max / min, and the functions are the methods", async () => {
    assert.equal(ta.amax, ta.max);
    assert.equal(ta.amin, ta.min);
    const x = ta.fromArray(nd.reshape(nd.arange(24, { dtype: "int16" }), [4, 6]), { chunks: [1, 2] });
    assert.equal(ta.sum(x, { axis: 0, dtype: "int8" }).name, x.sum({ axis: 0, dtype: "int8" }).name);
    assert.equal(ta.var(x, { ddof: 1, splitEvery: 3 }).name, x.var({ ddof: 1, splitEvery: 3 }).name);
  });

  it("average of large unsigned integers matches NumPy where Dask 2022.12 wraps the products", async () => {
    const x = nd.fromTypedArray(Uint32Array.from([4e9, 3e9, 2e9, 1e9]));
    const w = nd.fromTypedArray(Uint16Array.from([3, 1, 2, 5]));
    const python = evaluatePython({ x, w }, { np: "np.average(x, weights=w)", da: "da.average(da.from_array(x, chunks=1), weights=da.from_array(w, chunks=1))" });
    const ours = await ta.average(ta.fromArray(x, { chunks: 1 }), { weights: ta.fromArray(w, { chunks: 1 }) }).compute();
    assertSameArray(ours, python.np.array as nd.NDArray, "uint32 × uint16 vs NumPy");
    assert.notEqual((python.da.array as nd.NDArray).item(), ours.item(), "Dask 2022.12 still wraps: this test's premise");
  });

  it("refuses a zero weight sum when computing, where Dask gives NaN silently", async () => {
    const x = ta.fromArray(nd.ones([3, 4]), { chunks: 1 });
    const weights = ta.fromArray(nd.array([1, -1, 2, -2]), { chunks: 1 });
    const lazy = ta.average(x, { axis: 1, weights });
    await assert.rejects(lazy.compute(), /average: weights sum to zero, can't be normalized \(NumPy's ZeroDivisionError\)/);
  });

  it("finds the brightest voxel lazily: unravelIndex of a 0-d argmax", async () => {
    const volume = nd.random([9, 7, 11], { seed: 5 });
    const x = ta.fromArray(volume, { chunks: [2, 3, 4] });
    const where = ta.unravelIndex(ta.argmax(x), x.shape);
    assert.deepEqual(where.map((w) => w.shape), [[], [], []]);
    const expected = nd.unravelIndex(nd.argmax(volume), volume.shape).map((w) => w.item());
    assert.deepEqual(await Promise.all(where.map(async (w) => (await w.compute()).item())), expected);
    assert.equal(nd.max(volume).item(), volume.get(...expected.map(Number)));
  });

  it("refuses bad input by name", () => {
    const x = ta.fromArray(nd.reshape(nd.arange(12), [3, 4]), { chunks: 2 });
    const i = ta.fromArray(nd.arange(4, { dtype: "int32" }), { chunks: 2 });
    assert.throws(() => ta.sum(x, { axis: 2 }), /sum: axis 2 is out of bounds for an array of 2 axes/);
    assert.throws(() => ta.max(x, { dtype: "float32" }), /max: unknown option "dtype"/);
    assert.throws(() => ta.std(x, { ddof: 1, split_every: 4 } as never), /std: unknown option "split_every" \(spelled splitEvery here\)/);
    assert.throws(() => ta.mean(nd.ones([2]) as never), /mean: expected a lazy array \(ta.fromArray makes one\), got NDArray/);
    assert.throws(() => ta.ptp(x, { axis: 0, keepdims: true } as never), /ptp: unknown option "keepdims"; ptp takes axis/);
    assert.throws(() => ta.ptp(x.gt(3)), /ptp: bool arrays have no peak-to-peak/);
    assert.throws(() => ta.ptp(x, { axis: -3 }), /max: axis -3 is out of bounds/);
    assert.throws(() => ta.average(x, { weights: nd.ones([4]) }), /average: axis must be specified when shapes of a \[3, 4\] and weights \[4\] differ/);
    assert.throws(() => ta.average(x, { axis: 1, weights: nd.ones([2, 2]) }), /average: 1-d weights expected when shapes/);
    assert.throws(() => ta.average(x, { axis: 0, weights: nd.ones([4]) }), /average: length of weights \(4\) not compatible with specified axis 0 \(length 3\)/);
    assert.throws(() => ta.average(x, { axis: [0, 1], weights: nd.ones([4]) }), /average: 1-d weights need one axis/);
    assert.throws(() => ta.average(x, { axis: 2 }), /average: axis 2 is out of bounds/);
    assert.throws(() => ta.average(x, { weight: nd.ones([3, 4]) } as never), /average: unknown option "weight"/);
    assert.throws(() => ta.average(x, { returned: 1 } as never), /average: returned must be true or false/);
    assert.throws(() => ta.unravelIndex(x, [3, 4]), /unravelIndex: only int indices permitted, indices has dtype float64/);
    assert.throws(() => ta.unravelIndex(i, [3, -4]), /unravelIndex: dims must be non-negative integers, got \[3,-4\]/);
    assert.throws(() => ta.ravelMultiIndex([i], [3, 4]), /ravelMultiIndex: parameter multi_index must be a sequence of length 2/);
    assert.throws(() => ta.ravelMultiIndex([i, x], [3, 4]), /ravelMultiIndex: only int indices permitted, multiIndex item 1 has dtype float64/);
    assert.throws(() => ta.ravelMultiIndex([i, i.astype("uint8")], [3, 4]), /only int indices permitted, multiIndex item 1 has dtype uint8/);
    assert.throws(() => ta.ravelMultiIndex([i, i], [3, 4], { mode: "bad" as never }), /ravelMultiIndex: clipmode must be one of 'clip', 'raise', or 'wrap' \(got "bad"\)/);
    assert.throws(() => ta.ravelMultiIndex([i, i], [3, 4], { mode: ["clip"] }), /list of clipmodes has wrong length \(1 instead of 2\)/);
    assert.throws(() => ta.ravelMultiIndex([i, i], [3, 0]), /cannot unravel if shape has zero entries/);
    assert.throws(() => ta.ravelMultiIndex([i, i], [3, 4], { order: "F" } as never), /ravelMultiIndex: unknown option "order"/);
    assert.throws(() => ta.searchsorted(x, i), /searchsorted: input array a must be one dimensional, got shape \[3, 4\]/);
    assert.throws(() => ta.searchsorted(i, i, { side: "middle" as never }), /searchsorted: side must be "left" or "right", got "middle"/);
    assert.throws(() => ta.searchsorted(i, i, { sorter: i } as never), /searchsorted: unknown option "sorter"/);
    assert.throws(() => ta.searchsorted(i, nd.ones([2]) as never), /searchsorted: a and v must be lazy arrays/);
  });
});

describeOnCluster("dask.array functions", () => {
  const values = randomArray(rngOf(seed), "float64", [37, 9], { specials: false });
  const x = ta.fromArray(values, { chunks: [4, 2] });
  const sorted = ta.fromArray(sortedArray(randomArray(rngOf(seed + 1), "int32", [41], { small: false })), { chunks: 4 });
  const weights = ta.fromArray(nd.add(nd.random([9], { seed: 2 }), 0.5), { chunks: 2 });
  return [
    ta.std(x, { axis: 0, ddof: 1, splitEvery: 3 }),
    ta.ptp(x, { axis: 1 }),
    ta.stack(ta.average(x, { axis: 1, weights, returned: true })),
    ta.stack(ta.unravelIndex(ta.argmax(x), x.shape)),
    ta.ravelMultiIndex([ta.argmax(x, { axis: 1 }), ta.argmin(x, { axis: 1 })], [9, 9], { mode: "wrap" }),
    ta.searchsorted(sorted, ta.fromArray(nd.astype(nd.floor(nd.multiply(values, 1e7)), "int32"), { chunks: [5, 3] }), { side: "right" }),
  ];
}, "gives the local executor's results (block tasks found by name on the workers)");
