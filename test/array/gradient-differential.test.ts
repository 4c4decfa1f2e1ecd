// Seeded differential test of gradient against NumPy 1.24 (eager nd.gradient: values bit for
// bit, dtype, shape, one array or a list) and Dask 2022.12 (the lazy ta.gradient: chunks and
// values block by block): every dtype, 1–3 axes, both edge orders, spacings none / one scalar /
// one per axis (numbers, 0-d arrays, coordinates as float64/float32/int32 arrays and lists, even
// and uneven, with repeated coordinates), axis as none / a number / a list, chunkings with many
// blocks, and the cases both refuse. DIFFERENTIAL_SEED=n reruns another seed.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { describeOnCluster } from "./cluster-sample.js";
import { assertSameArray, evaluatePython } from "./python-eval.js";
import { Inputs, integer, numberDtypes, pick, pyScalar, pyTuple, randomArray, randomChunks, rngOf, type Rng } from "./differential-inputs.js";

const seed = Number(process.env.DIFFERENTIAL_SEED ?? 20261205);
const count = Number(process.env.DIFFERENTIAL_CASES ?? 160);

type Given = number | nd.NDArray | number[];
interface Case {
  label: string;
  numpy: string;
  dask: string;
  eager: () => nd.NDArray | nd.NDArray[];
  lazy: () => ta.Array | ta.Array[];
}

/** Chunks of at least `min` cells (Dask's requirement), or now and then any chunks. */
function gradientChunks(rng: Rng, n: number, min: number): number[] {
  if (rng() < 0.05 || n <= min) return randomChunks(rng, n);
  const sizes: number[] = [];
  for (let left = n; left > 0;) {
    let size = integer(rng, min, Math.max(min, pick(rng, [min, min + 1, 6, n])));
    if (left - size < min) size = left;
    sizes.push(size);
    left -= size;
  }
  return sizes;
}

/** Coordinates along an axis of length n: even, uneven, repeated; as an array of a dtype or a list. */
function coordinates(rng: Rng, n: number): number[] {
  const style = rng();
  const step = pick(rng, [1, 0.5, 0.1, 3]);
  if (style < 0.3) return Array.from({ length: n }, (_, i) => i * step);
  let at = integer(rng, -5, 5);
  return Array.from({ length: n }, () => (at += rng() < 0.1 ? 0 : integer(rng, 1, 9) * step));
}

function drawCase(rng: Rng, index: number, inputs: Inputs): Case {
  const dtype = pick(rng, numberDtypes);
  const ndim = integer(rng, 1, 3);
  const shape = Array.from({ length: ndim }, () => pick(rng, [1, 2, 3, 3, 4, 5, 7]));
  if (rng() < 0.7) shape[integer(rng, 0, ndim - 1)] = integer(rng, 12, 40);
  const edgeOrder = pick(rng, [1, 2] as const);
  const values = randomArray(rng, dtype, shape, { specials: rng() < 0.5 });
  const chunks = shape.map((n) => gradientChunks(rng, n, edgeOrder + 1));
  const x = inputs.add(values, chunks);
  const form = rng();
  const all = Array.from({ length: ndim }, (_, a) => a);
  const axis: number | number[] | undefined = form < 0.4 ? undefined : form < 0.7 ? integer(rng, -ndim, ndim - 1) : all.filter(() => rng() < 0.6).sort(() => rng() - 0.5);
  if (Array.isArray(axis) && axis.length === 0) axis.push(integer(rng, 0, ndim - 1));
  const axes = axis === undefined ? all : typeof axis === "number" ? [axis < 0 ? axis + ndim : axis] : axis;
  // Dask reads a 0-d array as coordinates (np.isscalar is false), so the lazy cases leave them out.
  let lazyToo = true;
  const spell = (given: Given): string => {
    if (typeof given === "number") return pyScalar(given);
    if (Array.isArray(given)) return `[${given.map(pyScalar).join(", ")}]`;
    const name = inputs.add(given, [given.shape.map((n) => n)]).name;
    return given.ndim === 0 ? `${name}[()]` : name;
  };
  const scalar = (): Given => {
    if (rng() < 0.3) {
      lazyToo = false;
      return nd.array(pick(rng, [0.5, 2, 3]), { dtype: pick(rng, ["float32", "float64", "int32"] as const) });
    }
    return pick(rng, [2, 0.5, 0.1, 1e-3, 3]);
  };
  const perAxis = (n: number): Given => {
    if (rng() < 0.3) return scalar();
    const coords = coordinates(rng, n);
    return rng() < 0.25 ? coords : nd.array(coords, { dtype: pick(rng, ["float64", "float32", "int32"] as const) });
  };
  const spacingForm = rng();
  const spacings: Given[] = spacingForm < 0.25 ? [] : spacingForm < 0.5 ? [scalar()] : axes.map((a) => perAxis(shape[a]));
  const pyArgs = [x.name, ...spacings.map(spell), `axis=${axis === undefined ? "None" : Array.isArray(axis) ? pyTuple(axis) : axis}`, `edge_order=${edgeOrder}`];
  const options = { axis, edgeOrder };
  return {
    label: `c${index}_${dtype}_${shape.join("x")}`,
    numpy: `np.gradient(${pyArgs.join(", ")})`,
    dask: lazyToo ? `da.gradient(${[x.py, ...pyArgs.slice(1)].join(", ")})` : "",
    eager: () => nd.gradient(values, ...spacings, options),
    lazy: () => ta.gradient(x.lazy(), ...spacings, options),
  };
}

/** The expressions for each output of a gradient call, and one for its form (-1: one array, else the list's length). */
function outputs(prefix: string, call: string): Record<string, string> {
  const expressions: Record<string, string> = { [`${prefix}_form`]: `np.array((lambda r: len(r) if isinstance(r, list) else -1)(${call}))` };
  for (let k = 0; k < 3; k++) expressions[`${prefix}_${k}`] = `(lambda r: r[${k}] if isinstance(r, list) else r)(${call})`;
  return expressions;
}

function asList<T>(result: T | T[]): { form: number; items: T[] } {
  return Array.isArray(result) ? { form: result.length, items: result } : { form: -1, items: [result] };
}

describe(`gradient against NumPy and Dask (seed ${seed})`, () => {
  it(`${count} random cases: eager equals NumPy; lazy has Dask's chunks and values; both refuse what they refuse`, async () => {
    const inputs = new Inputs();
    const cases = Array.from({ length: count }, (_, i) => drawCase(rngOf(seed + i), i, inputs));
    const expressions: Record<string, string> = {};
    for (const c of cases) {
      Object.assign(expressions, outputs(`${c.label}_np`, c.numpy));
      if (c.dask) Object.assign(expressions, outputs(`${c.label}_da`, c.dask));
    }
    const python = evaluatePython(inputs.arrays, expressions);
    let compared = 0;
    let refused = 0;
    for (const c of cases) {
      for (const [side, call] of [["np", c.numpy], ["da", c.dask]] as const) {
        if (!call) continue;
        const where = `${c.label} (seed ${seed}: ${call})`;
        const form = python[`${c.label}_${side}_form`];
        let result: { form: number; items: Array<nd.NDArray | ta.Array> };
        try {
          result = asList<nd.NDArray | ta.Array>(side === "np" ? c.eager() : c.lazy());
        } catch (error) {
          assert.ok(form.error, `${where}: tessera refused (${String(error)}), Python did not`);
          refused++;
          // The same reason: NumPy's or Dask's message, but for NumPy's IndexError on one coordinate.
          const reason = (form.error as string).replace(/^\w+: /, "").slice(0, 22);
          if (!form.error?.startsWith("IndexError")) assert.ok(String(error).includes(reason), `${where}: tessera refused (${String(error)}), Python for another reason (${form.error})`);
          continue;
        }
        if (side === "da" && form.error) {
          // Dask reads a wrong spacing inside a task; tessera refuses it on building the graph.
          assert.fail(`${where}: Python refused (${form.error}), tessera did not`);
        }
        assert.ok(form.array, `${where}: Python refused (${form.error}), tessera did not`);
        assert.equal(result.form, Number(form.array.item()), `${where}: one array or a list`);
        for (const [k, item] of result.items.entries()) {
          const expected = python[`${c.label}_${side}_${k}`];
          const actual = item instanceof nd.NDArray ? item : await item.compute();
          assertSameArray(actual, expected.array as nd.NDArray, `${where}: output ${k}`);
          if (!(item instanceof nd.NDArray)) assert.deepEqual(item.chunks, expected.chunks, `${where}: chunks of output ${k}`);
          compared++;
        }
      }
    }
    assert.ok(compared > count && refused < count * 0.6, `only ${compared} outputs compared, ${refused} refusals`);
  });
});

describe("gradient's refusals and forms", () => {
  const f = nd.reshape(nd.arange(12, { dtype: "float64" }), [3, 4]);
  const x = ta.fromArray(f, { chunks: 2 });
  it("refuses bad input by name, eager and lazy", () => {
    assert.throws(() => nd.gradient(f, { edgeOrder: 3 }), /gradient: 'edge_order' greater than 2 not supported/);
    assert.throws(() => ta.gradient(x, { edgeOrder: 3 }), /gradient: 'edge_order' greater than 2 not supported/);
    assert.throws(() => nd.gradient(f, { edgeOrder: 0 }), /gradient: edgeOrder must be 1 or 2, got 0/);
    assert.throws(() => nd.gradient(f, { order: 1 } as never), /gradient: unknown option "order"; use axis, edgeOrder/);
    assert.throws(() => ta.gradient(x, { axes: 1 } as never), /gradient: unknown option "axes"/);
    assert.throws(() => nd.gradient(f, 1, 2, 3), /gradient: invalid number of arguments: 3 spacings for 2 axes/);
    assert.throws(() => ta.gradient(x, 1, 2, 3), /gradient: Spacing must either be a single scalar, or a scalar \/ 1d-array per axis/);
    assert.throws(() => nd.gradient(f, [0, 1, 2]), /gradient: invalid number of arguments: 1 spacings for 2 axes/);
    assert.throws(() => nd.gradient(f, f, 1), /gradient \(axis 0\): distances must be either scalars or 1d/);
    assert.throws(() => nd.gradient(f, 1, [0, 1, 2]), /gradient \(axis 1\): when 1d, distances must match the length of the corresponding dimension \(3 coordinates for an axis of 4\)/);
    assert.throws(() => ta.gradient(x, 1, [0, 1, 2]), /when 1d, distances must match the length/);
    assert.throws(() => nd.gradient(f, nd.array([true, false, true]), 1), /gradient \(axis 0\): coordinates must be numbers, not bool/);
    assert.throws(() => nd.gradient(f, "1" as never), /gradient: spacing 0 must be a number, an NDArray or a list of numbers, got string/);
    assert.throws(() => nd.gradient(f, { axis: [1, 1] }), /gradient: axes \[1, 1\] repeat an axis/);
    assert.throws(() => ta.gradient(x, { axis: [1, -1] }), /gradient: duplicate axes not allowed/);
    assert.throws(() => nd.gradient(f, { axis: 2 }), /gradient: axis 2 is out of bounds for an array of dimension 2/);
    assert.throws(() => ta.gradient(x, ta.fromArray(nd.arange(3)), 1), /gradient: dask array coordinated is not supported/);
    assert.throws(() => ta.gradient(ta.fromArray(f, { chunks: [3, 1] })), /gradient: Chunk size must be larger than edge_order \+ 1. Minimum chunk for axis 1 is 1/);
    assert.throws(() => nd.gradient(nd.array([1, 2]), { edgeOrder: 2 }), /gradient: Shape of array too small to calculate a numerical gradient.*axis 0 has 2, edgeOrder 2/);
    assert.throws(() => nd.gradient(nd.array([true, false, true])), /gradient: numpy boolean subtract is not supported \(axis 0/);
    assert.throws(() => nd.gradient(f.toArray() as never), /gradient: f must be an NDArray/);
    assert.throws(() => ta.gradient(f as never), /gradient: x must be a tessera array/);
  });
  it("returns one array for one axis and a list otherwise, as NumPy (eager) and Dask (lazy)", () => {
    assert.ok(nd.gradient(nd.arange(4)) instanceof nd.NDArray);
    assert.deepEqual(nd.gradient(nd.array(5)), []);
    assert.equal((ta.gradient(ta.fromArray(nd.arange(4), { chunks: 2 })) as ta.Array[]).length, 1);
    assert.ok(!Array.isArray(ta.gradient(x, { axis: -1 })));
    assert.equal((ta.gradient(x, { axis: [1] }) as ta.Array[]).length, 1);
  });
});

describe("gradient's corners against NumPy and Dask", () => {
  it("coefficients past float32's range compute in float64 (value-based casting); one coordinate array serves every axis in Dask; a 0-d spacing keeps its dtype", async () => {
    const rng = rngOf(seed);
    const square = randomArray(rng, "float32", [7, 7], { small: false });
    const line = randomArray(rng, "float32", [9], { small: false });
    const coords = nd.array(coordinates(rng, 7), { dtype: "float32" });
    const step = nd.array(0.1, { dtype: "float32" });
    const ends = nd.array([-1, -2, -1.5, 0.25, 1.75, 0.75], { dtype: "float32" });
    const uneven = nd.array([13, 22, 28, 32, 41, 42]);
    const wide = nd.array(2 ** 24 + 1, { dtype: "int32" });
    const python = evaluatePython({ square, line, coords, step, ends, uneven, wide }, {
      wide: "np.gradient(ends, wide[()])",
      ends2: "np.gradient(ends, uneven, edge_order=2)", ends1: "np.gradient(ends, 0.1)",
      tiny: "np.gradient(square, 1e-39, edge_order=2)[1]", tinyLine: "np.gradient(line, 1e-39, edge_order=2)",
      shared: "da.gradient(da.from_array(square, chunks=((3, 4), (4, 3))), coords)[0]", step: "np.gradient(square, step[()], axis=0)",
    });
    assertSameArray((nd.gradient(square, 1e-39, { edgeOrder: 2 }) as nd.NDArray[])[1], python.tiny.array as nd.NDArray, "tiny spacing, 2-d");
    assertSameArray(nd.gradient(line, 1e-39, { edgeOrder: 2 }) as nd.NDArray, python.tinyLine.array as nd.NDArray, "tiny spacing, 1-d");
    // The ends of a 1-d array are NumPy scalars: float32 with a float64 weight computes in float64.
    assertSameArray(nd.gradient(ends, uneven, { edgeOrder: 2 }) as nd.NDArray, python.ends2.array as nd.NDArray, "1-d ends, uneven, edge order 2");
    assertSameArray(nd.gradient(ends, 0.1) as nd.NDArray, python.ends1.array as nd.NDArray, "1-d ends, edge order 1");
    // float32 with an int32 scalar promotes to float64: 2^24 + 1 is not a float32.
    assertSameArray(nd.gradient(ends, wide) as nd.NDArray, python.wide.array as nd.NDArray, "1-d ends over an int32 0-d spacing");
    const shared = (ta.gradient(ta.fromArray(square, { chunks: [[3, 4], [4, 3]] }), coords) as ta.Array[])[0];
    assertSameArray(await shared.compute(), python.shared.array as nd.NDArray, "one coordinate array for both axes (Dask)");
    assertSameArray(nd.gradient(square, step, { axis: 0 }) as nd.NDArray, python.step.array as nd.NDArray, "a float32 0-d spacing");
    assertSameArray(await (ta.gradient(ta.fromArray(square, { chunks: [[3, 4], [4, 3]] }), step, { axis: 0 }) as ta.Array).compute(), python.step.array as nd.NDArray, "a float32 0-d spacing, lazy");
  });
});

describeOnCluster("gradient", () => {
  const values = randomArray(rngOf(seed), "float32", [9, 31, 6], { specials: true });
  const x = ta.fromArray(values, { chunks: [3, 4, 3] });
  const coords = nd.array(coordinates(rngOf(seed + 1), 31), { dtype: "float32" });
  return [...(ta.gradient(x, 2, coords, 0.5, { edgeOrder: 2 }) as ta.Array[]), ta.gradient(x, nd.array(3, { dtype: "int32" }), { axis: 0 }) as ta.Array];
});
