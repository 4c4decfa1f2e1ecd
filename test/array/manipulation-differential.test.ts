// Seeded differential test of flip, flipud, fliplr, moveaxis, swapaxes, expandDims, squeeze,
// ravel, roll, pad, isin, countNonzero, atleast1d/2d/3d and vstack/hstack/dstack against NumPy 1.24 (values bit for bit, dtype, shape)
// and Dask 2022.12 (chunks, and its values where it computes them): every dtype, 1–3 axes,
// random chunkings with many blocks, negative axes, pads wider than the axis (where Dask 2022.12
// fails and NumPy reflects in rounds). DIFFERENTIAL_SEED=n reruns another seed.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { describeOnCluster } from "./cluster-sample.js";
import { assertSameArray, evaluatePython } from "./python-eval.js";
import { checkAgainstNumpyAndDask } from "./numpy-dask-cases.js";
import { Inputs, integer, numberDtypes, pick, pyBool, pyScalar, pyTuple, randomArray, randomChunks, rngOf, type Rng } from "./differential-inputs.js";

const seed = Number(process.env.DIFFERENTIAL_SEED ?? 20261205);
const count = Number(process.env.DIFFERENTIAL_CASES ?? 400);

interface Case {
  label: string;
  numpy: string;
  /** Dask's spelling, or null where Dask 2022.12 has no working equivalent (said in `why`). */
  dask: string | null;
  ours: () => ta.Array;
  /** Where NumPy may refuse (the same message), tessera must refuse too, when building the array. */
  refusal?: RegExp;
}

const py = (value: number | readonly number[]): string => (typeof value === "number" ? String(value) : pyTuple(value));

function randomShape(rng: Rng): number[] {
  const ndim = integer(rng, 1, 3);
  const shape = Array.from({ length: ndim }, () => pick(rng, [1, 1, 2, 3, 5, 8]));
  if (rng() < 0.6) shape[integer(rng, 0, ndim - 1)] = integer(rng, 20, 45);
  if (rng() < 0.05) shape[integer(rng, 0, ndim - 1)] = 0;
  return shape;
}

/** Distinct axes, some negative. */
function someAxes(rng: Rng, ndim: number, count: number): number[] {
  const all = Array.from({ length: ndim }, (_, a) => a).sort(() => rng() - 0.5).slice(0, count);
  return all.map((a) => (rng() < 0.3 ? a - ndim : a));
}

/**
 * With an empty input, Dask's chunks carry 0-length pieces wherever it joined one (a pad of
 * width 0 around an empty array, a roll of an empty axis) and some calls fail: those cases
 * compare with NumPy alone.
 */
function drawCase(rng: Rng, index: number, inputs: Inputs): Case {
  const drawn = drawAnyCase(rng, index, inputs);
  const input = inputs.arrays[Object.keys(inputs.arrays).at(-1) as string];
  return input.size === 0 ? { ...drawn, dask: null } : drawn;
}

function drawAnyCase(rng: Rng, index: number, inputs: Inputs): Case {
  const dtype = pick(rng, numberDtypes);
  const shape = randomShape(rng);
  const chunks = shape.map((n) => randomChunks(rng, n));
  const x = inputs.add(randomArray(rng, dtype, shape, { specials: true }), chunks);
  const ndim = shape.length;
  const label = (op: string): string => `c${index}_${op}_${dtype}_${shape.join("x")}`;
  const kind = pick(rng, ["flip", "flip", "flipud", "fliplr", "moveaxis", "swapaxes", "expandDims", "squeeze", "ravel", "roll", "roll", "pad", "pad", "pad", "isin", "isin", "countNonzero", "atleast", "stack", "stack", "digitize", "digitize"]);
  switch (kind) {
    case "flip": {
      const axes = rng() < 0.3 ? undefined : someAxes(rng, ndim, integer(rng, 1, ndim));
      const pyAxes = axes === undefined ? "None" : py(axes);
      return { label: label("flip"), numpy: `np.flip(${x.name}, ${pyAxes})`, dask: `da.flip(${x.py}, ${pyAxes})`, ours: () => ta.flip(x.lazy(), axes) };
    }
    case "flipud":
      return { label: label("flipud"), numpy: `np.flipud(${x.name})`, dask: `da.flipud(${x.py})`, ours: () => ta.flipud(x.lazy()) };
    case "fliplr":
      if (ndim < 2) return drawCase(rng, index, inputs);
      return { label: label("fliplr"), numpy: `np.fliplr(${x.name})`, dask: `da.fliplr(${x.py})`, ours: () => ta.fliplr(x.lazy()) };
    case "moveaxis": {
      const k = integer(rng, 1, ndim);
      const source = someAxes(rng, ndim, k);
      const destination = someAxes(rng, ndim, k);
      return {
        label: label("moveaxis"), numpy: `np.moveaxis(${x.name}, ${py(source)}, ${py(destination)})`,
        dask: `da.moveaxis(${x.py}, ${py(source)}, ${py(destination)})`, ours: () => ta.moveaxis(x.lazy(), source, destination),
      };
    }
    case "swapaxes": {
      const [a, b] = [integer(rng, -ndim, ndim - 1), integer(rng, -ndim, ndim - 1)];
      return { label: label("swapaxes"), numpy: `np.swapaxes(${x.name}, ${a}, ${b})`, dask: `da.swapaxes(${x.py}, ${a}, ${b})`, ours: () => ta.swapaxes(x.lazy(), a, b) };
    }
    case "expandDims": {
      const out = ndim + integer(rng, 1, 2);
      const axes = someAxes(rng, out, out - ndim);
      const given = axes.length === 1 && rng() < 0.5 ? axes[0] : axes;
      return { label: label("expandDims"), numpy: `np.expand_dims(${x.name}, ${py(given)})`, dask: `da.expand_dims(${x.py}, ${py(given)})`, ours: () => ta.expandDims(x.lazy(), given) };
    }
    case "squeeze": {
      const ones = shape.map((n, a) => (n === 1 ? a : -1)).filter((a) => a >= 0);
      const axes = ones.length > 0 && rng() < 0.6 ? ones.slice(0, integer(rng, 1, ones.length)) : undefined;
      const pyAxes = axes === undefined ? "None" : py(axes);
      return { label: label("squeeze"), numpy: `np.squeeze(${x.name}, ${pyAxes})`, dask: `da.squeeze(${x.py}, ${pyAxes})`, ours: () => ta.squeeze(x.lazy(), axes) };
    }
    case "ravel":
      return { label: label("ravel"), numpy: `np.ravel(${x.name})`, dask: `da.ravel(${x.py})`, ours: () => ta.ravel(x.lazy()) };
    case "roll": {
      if (rng() < 0.3) {
        const shift = integer(rng, -60, 60);
        return { label: label("roll"), numpy: `np.roll(${x.name}, ${shift})`, dask: `da.roll(${x.py}, ${shift})`, ours: () => ta.roll(x.lazy(), shift) };
      }
      const axes = someAxes(rng, ndim, integer(rng, 1, ndim));
      const shifts = axes.map(() => integer(rng, -60, 60));
      return {
        label: label("roll"), numpy: `np.roll(${x.name}, ${py(shifts)}, ${py(axes)})`, dask: `da.roll(${x.py}, ${py(shifts)}, ${py(axes)})`,
        ours: () => ta.roll(x.lazy(), shifts, axes),
      };
    }
    case "pad": {
      const mode = pick(rng, ["constant", "constant", "edge", "reflect", "symmetric", "wrap"] as const);
      const wide = rng() < 0.25;
      const widths = shape.map((n) => [0, 1].map(() => (rng() < 0.3 ? 0 : integer(rng, 1, wide ? 2 * n + 3 : Math.max(1, Math.min(n - 1, 6))))) as [number, number]);
      const fits = widths.every(([b, a], axis) => Math.max(b, a) <= (mode === "reflect" ? shape[axis] - 1 : shape[axis]) || mode === "constant" || mode === "edge");
      const options: ta.PadOptions = { mode };
      let extra = "";
      if (mode === "constant" && rng() < 0.6) {
        // Values the dtype holds: NumPy 1.24 wraps the others with a DeprecationWarning, tessera refuses them (below).
        const value = pick(rng, dtype === "bool" ? [0, 7, 2.5] : dtype.startsWith("u") ? [0, 7, 2.5] : dtype === "int8" ? [0, 7, -3, 2.5] : [0, 7, -3, 2.5, 300]);
        options.constantValue = value;
        extra = `, constant_values=${pyScalar(value)}`;
      }
      const pyWidths = pyTuple(widths.map(([b, a]) => `(${b}, ${a})`));
      const noEmptyExtension = mode === "constant" || shape.every((n, axis) => n > 0 || widths[axis].every((w) => w === 0));
      if (!noEmptyExtension) return drawCase(rng, index, inputs);
      return {
        label: label(`pad_${mode}`), numpy: `np.pad(${x.name}, ${pyWidths}, mode='${mode}'${extra})`,
        // Dask 2022.12 cannot reflect or wrap further than the axis: NumPy alone is the reference there.
        dask: fits ? `da.pad(${x.py}, ${pyWidths}, mode='${mode}'${extra})` : null, ours: () => ta.pad(x.lazy(), widths, options),
      };
    }
    case "isin": {
      const source = inputs.arrays[x.name].toTypedArray();
      const picks = Array.from({ length: integer(rng, 0, 6) }, () => (source.length > 0 && rng() < 0.7 ? source[integer(rng, 0, source.length - 1)] : pick(rng, [0, 1, -1, 2.5, NaN, 300])));
      const test = picks.map((v) => (typeof v === "bigint" ? v : Number(v)));
      const invert = rng() < 0.3;
      const pyTest = `[${test.map((v) => pyScalar(v)).join(", ")}]`;
      // NumPy 1.24's default table method indexes with uint64 − int64 (float64) and raises for a
      // uint64 element against signed test values; its sort method is the same comparison, working.
      // Dask calls the failing method, so a uint64 element compares with NumPy alone.
      const kind = dtype === "uint64" ? ", kind='sort'" : "";
      return {
        label: label("isin"), numpy: `np.isin(${x.name}, ${pyTest}, invert=${pyBool(invert)}${kind})`,
        dask: dtype === "uint64" ? null : `da.isin(${x.py}, ${pyTest}, invert=${pyBool(invert)})`, ours: () => ta.isin(x.lazy(), test, { invert }),
      };
    }
    case "digitize": {
      const source = Array.from(inputs.arrays[x.name].toTypedArray() as ArrayLike<number | bigint>);
      const edges = Array.from({ length: integer(rng, 0, 6) }, () => (source.length > 0 && rng() < 0.6 ? source[integer(rng, 0, source.length - 1)] : pick(rng, [-1, 0, 0.5, 2, 300, NaN])))
        .map((v) => (typeof v === "bigint" ? v : Number(v)))
        .filter((v) => typeof v === "bigint" || !Number.isNaN(v) || rng() < 0.3);
      // Increasing, decreasing (NumPy's order, NaN last), or as drawn (often refused, by both).
      const order = rng();
      const sorted = order < 0.45 ? [...edges].sort((a, b) => (Number(a) < Number(b) || Number.isNaN(Number(b)) ? -1 : 1)) : order < 0.9 ? [...edges].sort((a, b) => (Number(a) < Number(b) || Number.isNaN(Number(b)) ? 1 : -1)) : edges;
      const right = rng() < 0.4;
      const pyEdges = `[${sorted.map((v) => pyScalar(v)).join(", ")}]`;
      return {
        label: label("digitize"), numpy: `np.digitize(${x.name}, ${pyEdges}, right=${pyBool(right)})`,
        dask: `da.digitize(${x.py}, np.asarray(${pyEdges}), right=${pyBool(right)})`, ours: () => ta.digitize(x.lazy(), sorted, { right }),
        refusal: /bins must be monotonically increasing or decreasing/,
      };
    }
    case "atleast": {
      const n = integer(rng, 1, 3) as 1 | 2 | 3;
      const fn = { 1: ta.atleast1d, 2: ta.atleast2d, 3: ta.atleast3d }[n];
      return { label: label(`atleast_${n}d`), numpy: `np.atleast_${n}d(${x.name})`, dask: `da.atleast_${n}d(${x.py})`, ours: () => fn(x.lazy()) };
    }
    case "stack": {
      const which = pick(rng, ["vstack", "hstack", "dstack"] as const);
      // The shape and chunks the join sees (atleast_2d/3d as NumPy places the new axes); the other array differs along the join axis only.
      const lifted = which === "vstack" && ndim === 1 ? [[1], shape] : which === "dstack" && ndim === 1 ? [[1], shape, [1]] : which === "dstack" && ndim === 2 ? [shape, [1]] : [shape];
      const liftedShape = lifted.flat();
      const liftedChunks = which === "vstack" && ndim === 1 ? [[1], chunks[0]] : which === "dstack" && ndim === 1 ? [[1], chunks[0], [1]] : which === "dstack" && ndim === 2 ? [...chunks, [1]] : chunks;
      const axis = which === "vstack" ? 0 : which === "dstack" ? 2 : ndim === 1 ? 0 : 1;
      const length = integer(rng, 1, 9);
      const otherShape = liftedShape.map((n, a) => (a === axis ? length : n));
      const other = inputs.add(randomArray(rng, pick(rng, numberDtypes), otherShape), otherShape.map((n, a) => (a === axis ? randomChunks(rng, n) : liftedChunks[a])));
      return {
        label: label(which), numpy: `np.${which}([${x.name}, ${other.name}])`, dask: `da.${which}([${x.py}, ${other.py}])`,
        ours: () => ta[which]([x.lazy(), other.lazy()]),
      };
    }
    default: {
      const axis = rng() < 0.4 ? undefined : someAxes(rng, ndim, integer(rng, 1, ndim));
      const pyAxis = axis === undefined ? "None" : py(axis);
      return {
        label: label("count_nonzero"), numpy: `np.asarray(np.count_nonzero(${x.name}, axis=${pyAxis}), dtype=np.int64)`,
        dask: `da.count_nonzero(${x.py}, axis=${pyAxis})`, ours: () => ta.countNonzero(x.lazy(), { axis }),
      };
    }
  }
}

describe(`array manipulation against NumPy and Dask (seed ${seed})`, () => {
  it(`${count} random cases: NumPy's values, dtype and shape; Dask's chunks and values`, async () => {
    const inputs = new Inputs();
    const cases = Array.from({ length: count }, (_, i) => drawCase(rngOf(seed + i), i, inputs));
    await checkAgainstNumpyAndDask(cases, inputs.arrays, { seed });
  });

  it("pads wider than the axis as NumPy does, on a cluster-sized chunking", async () => {
    const x = nd.reshape(nd.arange(12, { dtype: "int32" }), [3, 4]);
    const lazy = ta.fromArray(x, { chunks: [1, 3] });
    for (const mode of ["reflect", "symmetric", "wrap"] as const) {
      const python = evaluatePython({ x }, { r: `np.pad(x, ((7, 2), (1, 9)), mode='${mode}')` });
      assertSameArray(await ta.pad(lazy, [[7, 2], [1, 9]], { mode }).compute(), python.r.array as nd.NDArray, mode);
    }
  });

  it("roll adds the shifts given for one axis, and broadcasts one shift over several axes", async () => {
    const x = nd.reshape(nd.arange(24, { dtype: "int16" }), [4, 6]);
    const python = evaluatePython({ x }, { repeated: "np.roll(x, (1, 2, -7), (0, 0, 1))", broadcast: "np.roll(x, 5, (0, 1))" });
    const lazy = ta.fromArray(x, { chunks: [3, 2] });
    assertSameArray(await ta.roll(lazy, [1, 2, -7], [0, 0, 1]).compute(), python.repeated.array as nd.NDArray, "repeated axis");
    assertSameArray(await ta.roll(lazy, 5, [0, 1]).compute(), python.broadcast.array as nd.NDArray, "one shift, two axes");
  });

  it("isin matches NaN to nothing and −0 to 0, exactly for int64 past 2^53", async () => {
    const x = ta.fromArray(nd.array([NaN, 1, -0, 2.5]), { chunks: 2 });
    assert.deepEqual((await ta.isin(x, [NaN, 0, 2.5]).compute()).toArray(), [false, false, true, true]);
    assert.deepEqual((await ta.isin(x, [NaN, 0], { invert: true }).compute()).toArray(), [true, true, false, true]);
    const big = ta.fromArray(nd.fromTypedArray(BigInt64Array.from([2n ** 53n, 2n ** 53n + 1n])), { chunks: 1 });
    assert.deepEqual((await ta.isin(big, [2n ** 53n + 1n]).compute()).toArray(), [false, true]);
    // Below 0 and past 2^63 − 1 together: compared exactly, as NumPy compares Python integers.
    assert.deepEqual((await ta.isin(big, [-1, 2n ** 64n - 1n, 2n ** 53n]).compute()).toArray(), [true, false]);
  });

  it("refuses bad input by name", () => {
    const x = ta.fromArray(nd.reshape(nd.arange(12), [3, 4]), { chunks: 2 });
    assert.throws(() => ta.flip(x, 2), /flip: axis 2 is out of bounds for an array of dimension 2/);
    assert.throws(() => ta.flip(x, [0, -2]), /flip: axes \[0, -2\] repeat an axis/);
    assert.throws(() => ta.fliplr(ta.fromArray(nd.arange(3))), /fliplr: the array must have at least two axes, it has 1/);
    assert.throws(() => ta.moveaxis(x, [0, 1], [1]), /moveaxis: source and destination must name as many axes/);
    assert.throws(() => ta.expandDims(x, [0, 0]), /expandDims: axes \[0, 0\] repeat an axis/);
    assert.throws(() => ta.expandDims(x, 3), /expandDims: axis 3 is out of bounds for an array of dimension 3/);
    assert.throws(() => ta.squeeze(x, 0), /cannot squeeze axis 0 with size 3/);
    assert.throws(() => ta.roll(x, 1.5, 0), /roll: shift 1.5 must be integers/);
    assert.throws(() => ta.roll(x, [1, 2, 3], [0, 1]), /roll: 3 shifts and 2 axes do not broadcast/);
    assert.throws(() => ta.roll(x, [1, 2]), /roll: without an axis, shift must be one integer/);
    assert.throws(() => ta.pad(x, 1, { mode: "mean" as never }), /pad: mode "mean" is not one of constant, edge, symmetric, reflect, wrap \(Dask's mode is not supported by tessera\)/);
    assert.throws(() => ta.pad(x, 1, { mode: "edge", constantValue: 3 }), /pad: constantValue applies to mode "constant" only/);
    assert.throws(() => ta.pad(ta.fromArray(nd.zeros([2], { dtype: "uint8" })), 1, { constantValue: -3 }), /pad: constantValue -3 cannot be stored as uint8: .*out of bounds/);
    assert.throws(() => ta.pad(x, 1, { constant_values: 3 } as never), /pad: unknown option "constant_values"/);
    assert.throws(() => ta.pad(x, [[1, 2], [3]] as never), /pad: padWidth .* item 1 must be a number or a \[before, after\] pair/);
    assert.throws(() => ta.pad(x, -1), /pad: padWidth -1 must hold non-negative integers/);
    assert.throws(() => ta.pad(ta.zeros([0, 2]), 1, { mode: "wrap" }), /pad: can't extend empty axis 0 using modes other than "constant"/);
    assert.throws(() => ta.isin(x, [1, 2], { invert: 1 } as never), /isin: invert must be true or false/);
    assert.throws(() => ta.isin(x, [1, 2], { assume_unique: true } as never), /isin: unknown option "assume_unique"/);
    assert.throws(() => ta.isin(x, x), /isin: lazy test elements are not supported; compute them first/);
    assert.throws(() => ta.isin(x, ["a"] as never), /isin: test elements must be numbers, bigints or booleans, got "a"/);
    assert.throws(() => ta.countNonzero(x, { ddof: 1 } as never), /countNonzero: unknown option "ddof"/);
    assert.throws(() => ta.digitize(x, [1, 3, 2]), /digitize: bins must be monotonically increasing or decreasing/);
    assert.throws(() => ta.digitize(x, nd.ones([2, 2])), /digitize: bins must be 1-d, got shape \[2, 2\]/);
    assert.throws(() => ta.digitize(x, [1], { side: "left" } as never), /digitize: unknown option "side"/);
    assert.throws(() => ta.digitize(x, x), /digitize: lazy bins are not supported/);
    assert.throws(() => (ta.atleast2d as (...a: unknown[]) => unknown)(x, x), /atleast2d takes one array; for several, map it/);
    assert.throws(() => ta.vstack(x as never), /vstack expects a list of arrays as its argument/);
    assert.throws(() => ta.hstack([]), /hstack: need at least one array to join/);
    assert.throws(() => ta.dstack([x, 3 as never]), /dstack: item 1 is not a lazy array/);
  });
});

describeOnCluster("manipulation", () => {
  const values = randomArray(rngOf(seed), "int64", [37, 9], { specials: true });
  const picked = [values.toTypedArray()[3] as bigint, values.toTypedArray()[40] as bigint, 5n];
  const x = ta.fromArray(values, { chunks: [4, 2] });
  return [
    ta.pad(x, [[3, 40], [2, 1]], { mode: "reflect" }),
    ta.pad(x, 2, { mode: "constant", constantValue: -9 }),
    ta.isin(x, picked, { invert: true }),
    ta.roll(ta.flip(x, 0), [-5, 3], [0, 1]),
    ta.countNonzero(ta.moveaxis(x, 0, 1), { axis: 1 }),
  ];
}, "gives the local executor's results (test elements travel with the tasks)");
