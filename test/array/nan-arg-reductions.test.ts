// Lazy argmin/argmax, any/all and the NaN-ignoring reductions (issue 12 item 2) against NumPy
// on the whole array and Dask's dtypes, run at test time on the same bytes: several dtypes,
// regular, irregular and single-chunk chunkings and 30 blocks along an axis (several
// combining levels), NaN scattered, a whole block of NaN and a whole column of NaN.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { lowerArrays } from "../../src/array/lower.js";
import { assertSameArray, evaluatePython } from "./python-eval.js";

const shape = [60, 45];

function floats(dtype: "float32" | "float64", seed: number): nd.NDArray {
  const a = nd.astype(nd.subtract(nd.multiply(nd.random(shape, { seed }), 100), 50), dtype);
  const data = a.data as Float64Array;
  for (let i = 0; i < data.length; i += 11) data[i] = NaN;
  for (let r = 0; r < 10; r++) for (let c = 9; c < 18; c++) data[r * 45 + c] = NaN; // block (0, 1) of the regular chunking: a first partial of only NaN
  for (let r = 0; r < 60; r++) data[r * 45 + 30] = NaN; // column 30: all NaN
  return a;
}

const inputs = {
  f64: floats("float64", 1),
  f32: floats("float32", 2),
  i16: nd.astype(nd.subtract(nd.multiply(nd.random(shape, { seed: 3 }), 2000), 1000), "int16"),
  // Four values only: ties everywhere, so "first occurrence" decides argmin/argmax.
  u8: nd.astype(nd.multiply(nd.random(shape, { seed: 4 }), 4), "uint8"),
  i64: nd.astype(nd.multiply(nd.random(shape, { seed: 5 }), 1e6), "int64"),
  b: nd.greater(nd.random(shape, { seed: 6 }), 0.97),
};
type Name = keyof typeof inputs;

const chunkings: Array<[string, number[] | number[][]]> = [
  ["regular", [10, 9]],
  ["irregular", [[7, 13, 20, 20], [5, 15, 25]]],
  ["single", [60, 45]],
  ["30 blocks", [2, 45]],
];

interface Case { label: string; python: string; ours: () => ta.Array; tolerance?: number; dask?: string }

async function check(cases: Case[]): Promise<void> {
  const expressions: Record<string, string> = {};
  for (const c of cases) {
    expressions[c.label] = c.python;
    if (c.dask) expressions[`${c.label}|dask`] = c.dask;
  }
  const expected = evaluatePython(inputs, expressions);
  for (const c of cases) {
    const reference = expected[c.label];
    if (reference.error !== undefined) {
      await assert.rejects(c.ours().compute(), (error: Error) => /All-NaN slice encountered/.test(error.message), `${c.label}: NumPy raised ${reference.error}`);
      continue;
    }
    const actual = await c.ours().compute();
    const want = reference.array as nd.NDArray;
    if (c.dask) {
      const dask = expected[`${c.label}|dask`].array as nd.NDArray;
      assert.equal(actual.dtype, dask.dtype, `${c.label}: Dask's dtype`);
    }
    if (c.tolerance === undefined) {
      assertSameArray(actual, want, c.label);
      continue;
    }
    assert.equal(actual.dtype, want.dtype, `${c.label}: dtype`);
    assert.deepEqual([...actual.shape], [...want.shape], `${c.label}: shape`);
    const got = actual.toTypedArray();
    const exp = want.toTypedArray();
    for (let i = 0; i < exp.length; i++) {
      const [x, y] = [Number(got[i]), Number(exp[i])];
      if (Number.isNaN(y)) assert.ok(Number.isNaN(x), `${c.label}: element ${i} is ${x}, NumPy gives NaN`);
      else assert.ok(Math.abs(x - y) <= c.tolerance * Math.max(1, Math.abs(y)), `${c.label}: element ${i} is ${x}, NumPy gives ${y}`);
    }
  }
}

const axisText = (axis: number | number[] | null | undefined) => (axis === null || axis === undefined ? "None" : Array.isArray(axis) ? `(${axis.join(", ")},)` : String(axis));
const daskArray = (name: Name, chunks: number[] | number[][]) => `da.from_array(${name}, chunks=${JSON.stringify(chunks).replace(/\[/g, "(").replace(/\]/g, ")")})`;

describe("lazy arg reductions, any/all and NaN-ignoring reductions against NumPy and Dask", () => {
  it("argmin, argmax, nanargmin, nanargmax: NumPy's indices (first occurrence, NaN rules) flattened and per axis, for every chunking", async () => {
    const cases: Case[] = [];
    for (const [chunkName, chunks] of chunkings) {
      for (const name of ["f64", "f32", "i16", "u8", "i64"] as const) {
        const x = ta.fromArray(inputs[name], { chunks });
        for (const op of ["argmin", "argmax", "nanargmin", "nanargmax"] as const) {
          for (const axis of [null, 0, 1, -1] as const) {
            for (const keepdims of axis === 1 ? [false, true] : [false]) {
              cases.push({
                label: `${op}-${name}-${chunkName}-${axisText(axis)}-${keepdims}`,
                python: `np.${op}(${name}, axis=${axisText(axis)}, keepdims=${keepdims ? "True" : "False"})`,
                ours: () => ta[op](x, { axis, keepdims, splitEvery: 4 }),
                ...(op.startsWith("nan") || axis === null ? {} : { dask: `da.${op}(${daskArray(name, chunks)}, axis=${axisText(axis)})` }),
              });
            }
          }
        }
      }
    }
    await check(cases);
  });

  it("argmax over several axes' blocks picks NumPy's first occurrence where Dask's block order would not", async () => {
    // The largest value sits at flat index 4 (block (0, 0)) and at flat index 2 (block (0, 1)).
    const data = nd.zeros([4, 4], "float64");
    (data.data as Float64Array)[4] = 5;
    (data.data as Float64Array)[2] = 5;
    const x = ta.fromArray(data, { chunks: [2, 2] });
    assert.equal((await x.argmax().compute()).item(), 2n);
    const volume = nd.zeros([8, 10, 12], "int32");
    (volume.data as Int32Array)[8 * 0 + 600] = 7;
    (volume.data as Int32Array)[599] = 7;
    assert.equal((await ta.fromArray(volume, { chunks: [3, 4, 5] }).argmax({ splitEvery: 3 }).compute()).item(), 599n);
  });

  it("any and all: NumPy's booleans (NaN counts as true) over axis forms and chunkings", async () => {
    const cases: Case[] = [];
    for (const [chunkName, chunks] of chunkings) {
      for (const name of ["b", "f32", "u8"] as const) {
        const x = ta.fromArray(inputs[name], { chunks });
        for (const op of ["any", "all"] as const) {
          for (const axis of [null, 0, [1], [0, 1]] as const) {
            cases.push({
              label: `${op}-${name}-${chunkName}-${axisText(axis as never)}`,
              python: `np.${op}(${name}, axis=${axisText(axis as never)})`,
              ours: () => x[op]({ axis: axis as never, splitEvery: 3 }),
              dask: `da.${op}(${daskArray(name, chunks)}, axis=${axisText(axis as never)})`,
            });
          }
        }
      }
    }
    cases.push({ label: "any-keepdims", python: "np.any(u8 > 2, axis=0, keepdims=True)", ours: () => ta.fromArray(inputs.u8, { chunks: [7, 9] }).gt(2).any({ axis: 0, keepdims: true }) });
    await check(cases);
  });

  it("nansum, nanprod, nanmin, nanmax, nanmean, nanvar, nanstd: NumPy's dtypes and values, NaN for all-NaN slices", async () => {
    const cases: Case[] = [];
    for (const [chunkName, chunks] of chunkings) {
      for (const name of ["f64", "f32", "i16"] as const) {
        const x = ta.fromArray(inputs[name], { chunks });
        const exact = name === "i16";
        for (const op of ["nansum", "nanmin", "nanmax", "nanmean", "nanvar", "nanstd"] as const) {
          for (const axis of [null, 0, 1] as const) {
            const tolerance = op === "nanmin" || op === "nanmax" || (exact && op === "nansum") ? undefined : name === "f32" ? 5e-4 : 1e-10; // float32: NumPy accumulates in float32, the tree in float64
            const ddof = op === "nanvar" || op === "nanstd" ? 1 : undefined;
            cases.push({
              label: `${op}-${name}-${chunkName}-${axisText(axis)}`,
              python: `np.${op}(${name}, axis=${axisText(axis)}${ddof ? ", ddof=1" : ""})`,
              ours: () => ta[op](x, { axis, splitEvery: 5, ...(ddof ? { ddof } : {}) }),
              tolerance,
              dask: `da.${op}(${daskArray(name, chunks)}, axis=${axisText(axis)}${ddof ? ", ddof=1" : ""})`,
            });
          }
        }
      }
    }
    const small = nd.add(nd.multiply(nd.random(shape, { seed: 8 }), 0.5), 0.75);
    Object.assign(inputs, { small });
    const y = ta.fromArray(small, { chunks: [10, 9] });
    cases.push(
      { label: "nanprod", python: "np.nanprod(small, axis=0)", ours: () => ta.nanprod(y, { axis: 0 }), tolerance: 1e-12 },
      { label: "nansum-dtype", python: "np.nansum(i16, axis=1, dtype=np.int16)", ours: () => ta.nansum(ta.fromArray(inputs.i16, { chunks: [9, 10] }), { axis: 1, dtype: "int16" }) },
      { label: "nanmean-f32-as-f64", python: "np.nanmean(f32, axis=0, dtype=np.float64)", ours: () => ta.nanmean(ta.fromArray(inputs.f32, { chunks: [9, 10] }), { axis: 0, dtype: "float64" }), tolerance: 1e-12 },
      { label: "nanvar-keepdims-ddof-dof0", python: "np.nanvar(f64[:, :3], axis=1, ddof=3, keepdims=True)", ours: () => ta.nanvar(ta.fromArray(inputs.f64, { chunks: [9, 2] }).get(":", { stop: 3 }), { axis: 1, ddof: 3, keepdims: true }), tolerance: 1e-12 },
    );
    await check(cases);
  });

  it("refuses options NumPy does not take, naming them", () => {
    const x = ta.fromArray(inputs.f64, { chunks: [10, 9] });
    assert.throws(() => x.argmax({ axis: [0, 1] }), /argmax: axis must be one axis or null/);
    assert.throws(() => ta.nanargmin(x, { dtype: "float32" }), /nanargmin: unknown option "dtype"/);
    assert.throws(() => x.any({ ddof: 1 }), /any: unknown option "ddof"; any takes axis, keepdims, splitEvery/);
    assert.throws(() => ta.nanmean(x, { dtype: "int16" }), /dtype must be float32 or float64/);
    assert.throws(() => ta.nanmin(x, { axis: 2 }), /nanmin: axis 2 is out of bounds/);
  });

  it("builds a tree: argmax over 30 blocks with splitEvery 4 takes three combining levels, each partial carrying its block's origin", () => {
    const x = ta.fromArray(inputs.f64, { chunks: [2, 45] });
    const { graph } = lowerArrays([x.argmax({ axis: 0, splitEvery: 4 })], () => false, (node) => (node as ta.Array).blockKeys());
    // 30 partials (the block loads fused into them) → 8 → 2 → 1, then the finish.
    assert.ok(graph.size >= 30 + 8 + 2 + 1, `${graph.size} tasks`);
  });
});
