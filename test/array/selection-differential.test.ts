// Seeded differential test of take, compress, insert, delete, append and block against NumPy 1.24
// (values bit for bit, dtype, shape, refusals) and Dask 2022.12 (chunks): every dtype, 1–3 axes,
// random chunkings with many blocks, negative indices and axes, positions out of range (refused as
// NumPy's IndexError). DIFFERENTIAL_SEED=n reruns another seed.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { describeOnCluster } from "./cluster-sample.js";
import { assertSameArray, evaluatePython } from "./python-eval.js";
import { checkAgainstNumpyAndDask } from "./numpy-dask-cases.js";
import { Inputs, integer, numberDtypes, pick, pyBool, randomArray, randomChunks, rngOf, type Rng } from "./differential-inputs.js";

const seed = Number(process.env.DIFFERENTIAL_SEED ?? 20261205);
const count = Number(process.env.DIFFERENTIAL_CASES ?? 400);

interface Case {
  label: string;
  numpy: string;
  /** Dask's spelling, or null where Dask 2022.12 has no equivalent call (no axis=None, no bounds check). */
  dask: string | null;
  ours: () => ta.Array;
  refusal?: RegExp;
  /** NumPy names positions it shifted (insert with a list) or axis 0 for any axis (delete with a list): only the kind of refusal is compared. */
  looseMessage?: boolean;
}

const outOfBounds = /index -?\d+ is out of bounds for axis \d+ with size \d+/;
const pyList = (values: readonly (number | boolean)[]): string => `[${values.map((v) => (typeof v === "boolean" ? pyBool(v) : String(v))).join(", ")}]`;

function randomShape(rng: Rng, ndim = integer(rng, 1, 3)): number[] {
  const shape = Array.from({ length: ndim }, () => pick(rng, [1, 2, 3, 5, 8]));
  if (rng() < 0.6) shape[integer(rng, 0, ndim - 1)] = integer(rng, 20, 45);
  return shape;
}

function drawCase(rng: Rng, index: number, inputs: Inputs): Case {
  const dtype = pick(rng, numberDtypes);
  const shape = randomShape(rng);
  const chunks = shape.map((n) => randomChunks(rng, n));
  const x = inputs.add(randomArray(rng, dtype, shape, { specials: true }), chunks);
  const ndim = shape.length;
  const label = (op: string): string => `c${index}_${op}_${dtype}_${shape.join("x")}`;
  const flat = rng() < 0.2;
  const axis = flat ? undefined : integer(rng, -ndim, ndim - 1);
  const n = axis === undefined ? shape.reduce((a, b) => a * b, 1) : shape[axis < 0 ? axis + ndim : axis];
  const npAxis = axis === undefined ? "" : `, axis=${axis}`;
  // Dask's take/insert/delete have no axis=None: the flattened array, axis 0.
  const daX = axis === undefined ? `${x.py}.ravel()` : x.py;
  const daAxis = axis ?? 0;
  const kind = pick(rng, ["take", "take", "compress", "compress", "insert", "insert", "delete", "delete", "append", "block"]);
  switch (kind) {
    case "take": {
      const wild = rng() < 0.1;
      const sorted = rng() < 0.5;
      let idx = Array.from({ length: integer(rng, 0, 30) }, () => integer(rng, wild ? -n - 3 : -n, wild ? n + 2 : n - 1));
      if (n === 0) idx = wild ? [0] : [];
      if (sorted) idx.sort((a, b) => (a < 0 ? a + n : a) - (b < 0 ? b + n : b));
      const asArray = rng() < 0.3;
      return {
        label: label("take"), numpy: `np.take(${x.name}, ${pyList(idx)}${npAxis})`, dask: `da.take(${daX}, ${pyList(idx)}, axis=${daAxis})`,
        ours: () => ta.take(x.lazy(), asArray ? nd.array(idx, { dtype: "int64" }) : idx, { axis }), refusal: outOfBounds,
      };
    }
    case "compress": {
      const length = rng() < 0.1 ? n + integer(rng, 1, 2) : integer(rng, 0, n);
      const cond = Array.from({ length }, () => rng() < 0.5);
      const asArray = rng() < 0.3;
      return {
        label: label("compress"), numpy: `np.compress(${pyList(cond)}, ${x.name}${npAxis})`,
        // Dask refuses a condition longer than the axis even where its extra entries are False.
        dask: length > n ? null : `da.compress(${pyList(cond)}, ${x.py}${npAxis})`,
        ours: () => ta.compress(asArray ? nd.array(cond, { dtype: "bool" }) : cond, x.lazy(), { axis }), refusal: outOfBounds,
      };
    }
    case "delete": {
      const style = pick(rng, ["int", "list", "list", "slice"]);
      const wild = rng() < 0.1;
      const drawn = (): number => integer(rng, wild ? -n - 2 : -n, wild ? n + 1 : n - 1);
      if (n === 0 && style !== "slice") return drawCase(rng, index, inputs);
      if (style === "slice") {
        const bound = (): number | null => (rng() < 0.3 ? null : integer(rng, -n - 2, n + 2));
        const [start, stop, step] = [bound(), bound(), rng() < 0.3 ? null : pick(rng, [1, 2, 3, -1, -2])];
        const py = `slice(${[start, stop, step].map((v) => v ?? "None").join(", ")})`;
        const spec = { start, stop, step };
        return {
          label: label("delete"), numpy: `np.delete(${x.name}, ${py}${npAxis})`,
          // Dask 2022.12 splits at a negative step's positions in descending order (a wrong result).
          dask: step !== null && step < 0 ? null : `da.delete(${daX}, ${py}, ${daAxis})`, ours: () => ta.delete(x.lazy(), spec, { axis }),
        };
      }
      const obj = style === "int" ? drawn() : Array.from({ length: integer(rng, 0, 8) }, drawn);
      const py = typeof obj === "number" ? String(obj) : pyList(obj);
      return {
        label: label("delete"), numpy: `np.delete(${x.name}, ${py}${npAxis})`, dask: wild ? null : `da.delete(${daX}, ${py}, ${daAxis})`,
        ours: () => ta.delete(x.lazy(), obj, { axis }), refusal: outOfBounds, looseMessage: true,
      };
    }
    case "insert": {
      const wild = rng() < 0.1;
      const scalarObj = rng() < 0.4;
      // NumPy 1.24 wraps a list's positions below -n once more (a quirk, [-7, 1] on 5 inserts at 3 and 1); tessera refuses them, so lists draw only too-large ones.
      const drawn = (): number => integer(rng, wild && scalarObj ? -n - 2 : -n, wild ? n + 2 : n);
      const obj = scalarObj ? drawn() : Array.from({ length: integer(rng, 1, 6) }, drawn).sort((a, b) => (a < 0 ? a + n : a) - (b < 0 ? b + n : b));
      const py = typeof obj === "number" ? String(obj) : pyList(obj);
      const a = axis === undefined ? 0 : axis < 0 ? axis + ndim : axis;
      const baseShape = axis === undefined ? [n] : shape;
      const arrayValues = (scalarObj ? baseShape.length >= 2 : true) && rng() < 0.6;
      if (!arrayValues) {
        const v = integer(rng, 0, 9);
        return {
          label: label("insert"), numpy: `np.insert(${x.name}, ${py}, ${v}${npAxis})`, dask: wild ? null : `da.insert(${daX}, ${py}, ${v}, ${daAxis})`,
          ours: () => ta.insert(x.lazy(), obj, v, { axis }), refusal: outOfBounds, looseMessage: true,
        };
      }
      const valueShape = scalarObj ? baseShape.filter((_, i) => i !== a) : baseShape.map((s, i) => (i === a ? (obj as number[]).length : s));
      // Values in blocks of their own: Dask rechunks them to the array's blocks off the axis (not to the union of both).
      // An NDArray of values is one block, as Dask's from_array(chunks=-1).
      const asNd = rng() < 0.4;
      const values = inputs.add(randomArray(rng, dtype, valueShape), valueShape.map((s) => (asNd ? [s] : randomChunks(rng, s))));
      return {
        label: label("insert"), numpy: `np.insert(${x.name}, ${py}, ${values.name}${npAxis})`,
        dask: wild ? null : `da.insert(${daX}, ${py}, ${values.py}, ${daAxis})`,
        ours: () => ta.insert(x.lazy(), obj, asNd ? inputs.arrays[values.name] : values.lazy(), { axis }), refusal: outOfBounds, looseMessage: true,
      };
    }
    case "append": {
      const otherShape = axis === undefined ? randomShape(rng) : shape.map((s, i) => (i === (axis < 0 ? axis + ndim : axis) ? integer(rng, 0, 12) : s));
      const v = inputs.add(randomArray(rng, rng() < 0.7 ? dtype : pick(rng, numberDtypes), otherShape), otherShape.map((s) => randomChunks(rng, s)));
      return { label: label("append"), numpy: `np.append(${x.name}, ${v.name}${npAxis})`, dask: `da.append(${x.py}, ${v.py}${npAxis})`, ours: () => ta.append(x.lazy(), v.lazy(), { axis }) };
    }
    default: {
      // A grid of blocks: depth 1 joins along the last axis, depth 2 along the last two.
      const depth = integer(rng, 1, 2);
      const rank = integer(rng, depth, 3);
      const rows = depth === 2 ? integer(rng, 1, 3) : 1;
      const cols = integer(rng, 1, 3);
      const heights = Array.from({ length: rows }, () => integer(rng, 1, 12));
      const widths = Array.from({ length: cols }, () => integer(rng, 1, 12));
      const lead = Array.from({ length: rank - depth }, () => integer(rng, 1, 4));
      const blockDtype = (): nd.DType => (rng() < 0.8 ? dtype : pick(rng, numberDtypes));
      const grid = heights.map((h) => widths.map((w) => {
        const s = depth === 2 ? [...lead, h, w] : [...lead, w];
        // Sometimes a block with fewer axes: NumPy and Dask prepend axes of length 1.
        const sShape = rank > depth && lead.every((l) => l === 1) && rng() < 0.3 ? s.slice(1) : s;
        return inputs.add(randomArray(rng, blockDtype(), sShape), sShape.map((m) => randomChunks(rng, m)));
      }));
      const pyGrid = (f: (b: (typeof grid)[0][0]) => string): string => (depth === 2 ? `[${grid.map((r) => `[${r.map(f).join(", ")}]`).join(", ")}]` : `[${grid[0].map(f).join(", ")}]`);
      return {
        label: `c${index}_block_${depth}_${rank}`, numpy: `np.block(${pyGrid((b) => b.name)})`, dask: `da.block(${pyGrid((b) => b.py)})`,
        ours: () => ta.block(depth === 2 ? grid.map((r) => r.map((b) => b.lazy())) : grid[0].map((b) => b.lazy())),
      };
    }
  }
}

describe(`selection functions against NumPy and Dask (seed ${seed})`, () => {
  it(`${count} random cases: NumPy's values, dtype, shape and refusals; Dask's chunks`, async () => {
    const inputs = new Inputs();
    const cases = Array.from({ length: count }, (_, i) => drawCase(rngOf(seed + i), i, inputs));
    // tessera's refusal carries NumPy's message, or (looseMessage) the same kind of refusal.
    await checkAgainstNumpyAndDask(cases, inputs.arrays, {
      seed,
      refusedAs: (c, numpyError) => (e: Error) => (c.looseMessage ? outOfBounds.test(e.message) : e.message.includes(numpyError.replace(/^\w+: /, ""))),
    });
  });

  it("reads NumPy's other spellings: a boolean mask for delete, an NDArray of positions, a 0-d position, a value cast to the dtype", async () => {
    const x = nd.reshape(nd.arange(12, { dtype: "int16" }), [3, 4]);
    const lazy = ta.fromArray(x, { chunks: [2, 3] });
    const python = evaluatePython({ x }, {
      mask: "np.delete(x, [True, False, True, False], axis=1)", arr: "np.take(x, np.array([2, -1, 0]), axis=0)",
      zero: "np.insert(x, np.array(2), 7.9, axis=1)", col: "np.insert(x, 1, [10, 20, 30], axis=1)", flat: "np.append(x, x)",
    });
    assertSameArray(await ta.delete(lazy, [true, false, true, false], { axis: 1 }).compute(), python.mask.array as nd.NDArray, "delete mask");
    assertSameArray(await ta.take(lazy, nd.array([2, -1, 0], { dtype: "int64" }), { axis: 0 }).compute(), python.arr.array as nd.NDArray, "take NDArray");
    assertSameArray(await ta.insert(lazy, nd.array(2, { dtype: "int64" }), 7.9, { axis: 1 }).compute(), python.zero.array as nd.NDArray, "insert 0-d");
    assertSameArray(await ta.insert(lazy, 1, nd.array([10, 20, 30], { dtype: "int16" }), { axis: 1 }).compute(), python.col.array as nd.NDArray, "insert column");
    assertSameArray(await ta.append(lazy, x).compute(), python.flat.array as nd.NDArray, "append flat");
  });

  it("refuses bad input by name", () => {
    const x = ta.fromArray(nd.reshape(nd.arange(12), [3, 4]), { chunks: 2 });
    assert.throws(() => ta.take(x, [0], { axis: 2 }), /take.*axis 2/);
    assert.throws(() => ta.take(x, [1.5], { axis: 0 }), /take: indices hold 1.5/);
    assert.throws(() => ta.take(x, [0], { axes: 0 } as never), /take.*axes/);
    assert.throws(() => ta.take(nd.arange(3) as never, [0]), /take: expected a lazy array/);
    assert.throws(() => ta.take(x, 3 as never), /take: indices must be a list or a 1-D NDArray/);
    assert.throws(() => ta.compress(nd.zeros([2, 2], { dtype: "bool" }), x), /compress: condition must be one-dimensional/);
    assert.throws(() => ta.compress([false, true, true, false, true], x, { axis: 1 }), /compress: index 4 is out of bounds for axis 1 with size 4/);
    assert.throws(() => ta.take(x, [0, -5], { axis: 1 }), /take: index -5 is out of bounds for axis 1 with size 4/);
    assert.throws(() => ta.compress(["yes"] as never, x), /compress: condition holds yes/);
    assert.throws(() => ta.insert(x, [3, 1], 0, { axis: 1 }), /insert: positions \[3, 1\] are not monotonic/);
    assert.throws(() => ta.insert(x, 1, nd.zeros([2, 2]), { axis: 0 }), /insert: values of shape \[2, 2\] cannot broadcast/);
    assert.throws(() => ta.insert(x, 0, nd.zeros([1, 1, 1, 1]), { axis: 0 }), /insert: values of shape \[1, 1, 1, 1\] have more axes/);
    assert.throws(() => ta.delete(x, [true, false], { axis: 0 }), /delete: boolean mask of length 2 does not match the axis length 3/);
    assert.throws(() => ta.delete(x, { start: 0, step: 0 }, { axis: 0 }), /delete: slice step 0/);
    assert.throws(() => ta.delete(x, "1" as never, { axis: 0 }), /delete: positions must be/);
    assert.throws(() => ta.append(x, 3 as never), /append values: expected a lazy array/);
    assert.throws(() => ta.block([[x], x] as never), /block: list depths are mismatched/);
    assert.throws(() => ta.block([]), /block: arrays is an empty list/);
    assert.throws(() => ta.block([x, 3] as never), /block: arrays\[1\] is not a lazy array/);
  });
});

describeOnCluster("selection", () => {
  const values = randomArray(rngOf(seed), "int64", [37, 9], { specials: true });
  const x = ta.fromArray(values, { chunks: [4, 2] });
  return [
    ta.take(x, [30, -1, 2, 2, 5, 36, 0], { axis: 0 }),
    ta.compress([true, false, true, true, false, true, true], x, { axis: 1 }),
    ta.insert(x, [0, 5, 5, 37], 7, { axis: 0 }),
    ta.delete(x, { start: 1, step: 3 }, { axis: 1 }),
    ta.block([[x, x.get(":", { stop: 3 })], [x.get({ stop: 2 }), x.get({ stop: 2 }, { stop: 3 })]]),
  ];
}, "gives the local executor's results (positions travel with the tasks)");
