// NumPy's NaN-ignoring reductions on one block, checked bit for bit against NumPy 1.24 run at
// test time on the same bytes: every dtype kind, NaN scattered, whole slices of NaN, an array
// of only NaN, axis forms (none, one, negative, several), keepdims, ddof, and strided views.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";
import { assertSameArray, evaluatePython } from "../array/python-eval.js";

/** Values in [-50, 50) with NaN at every 7th element, in slice [:, 2, :] and (for a second array) everywhere. */
function withNaN(dtype: "float32" | "float64", seed: number): nd.NDArray {
  const a = nd.astype(nd.subtract(nd.multiply(nd.random([6, 5, 4], { seed }), 100), 50), dtype);
  const data = a.data as Float64Array;
  for (let i = 0; i < data.length; i += 7) data[i] = NaN;
  for (let i = 0; i < 6; i++) for (let k = 0; k < 4; k++) data[i * 20 + 2 * 4 + k] = NaN;
  data[3] = 0;
  data[10] = -0;
  return a;
}

const inputs = {
  f32: withNaN("float32", 1),
  f64: withNaN("float64", 2),
  allnan: nd.full([3, 4], NaN, "float32"),
  // Ties of signed zeros: NumPy's fmin / fmax keep the first.
  zeros: nd.array([[0, -0], [-0, 0], [NaN, -0], [0, NaN]], { dtype: "float64" }),
  i16: nd.astype(nd.multiply(nd.random([6, 5, 4], { seed: 3 }), 1000), "int16"),
  b: nd.greater(nd.random([6, 5, 4], { seed: 4 }), 0.5),
};
const tensor = ["f32", "f64", "i16", "b"] as const;
const axes: Array<[string, number | number[] | null]> = [["None", null], ["0", 0], ["-1", -1], ["(0, 2)", [0, 2]], ["(1,)", [1]]];
const py = (name: string, view: boolean) => (view ? `${name}.transpose(2, 0, 1)` : name);
const js = (name: string, view: boolean) => (view ? nd.transpose(inputs[name as keyof typeof inputs], [2, 0, 1]) : inputs[name as keyof typeof inputs]);

interface Case { label: string; python: string; ours: () => nd.NDArray }

function compare(cases: Case[]): void {
  const expected = evaluatePython(inputs, Object.fromEntries(cases.map((c) => [c.label, c.python])));
  for (const c of cases) {
    const reference = expected[c.label];
    if (reference.error !== undefined) {
      assert.throws(c.ours, (error: Error) => error.name === "InvalidOptionError", `${c.label}: NumPy raised ${reference.error}`);
      continue;
    }
    assertSameArray(c.ours(), reference.array as nd.NDArray, c.label);
  }
}

describe("NaN-ignoring reductions against NumPy", () => {
  it("nansum, nanprod, nanmin and nanmax: NumPy's dtypes and values bit for bit, ±0 and all-NaN slices included", () => {
    const cases: Case[] = [];
    for (const op of ["nansum", "nanprod", "nanmin", "nanmax"] as const) {
      for (const name of tensor) {
        for (const view of [false, true]) {
          for (const [axisText, axis] of axes) {
            for (const keepdims of [false, true]) {
              cases.push({
                label: `${op}-${name}-${view ? "T" : "C"}-${axisText}-${keepdims}`,
                python: `np.${op}(${py(name, view)}, axis=${axisText}, keepdims=${keepdims ? "True" : "False"})`,
                ours: () => (nd[op] as (a: nd.NDArray, o: unknown) => nd.NDArray)(js(name, view), { axis, keepdims }),
              });
            }
          }
        }
      }
      cases.push({ label: `${op}-allnan`, python: `np.${op}(allnan, axis=1)`, ours: () => (nd[op] as (a: nd.NDArray, o: unknown) => nd.NDArray)(inputs.allnan, { axis: 1 }) });
      for (const axis of [0, 1]) cases.push({ label: `${op}-zeros-${axis}`, python: `np.${op}(zeros, axis=${axis})`, ours: () => (nd[op] as (a: nd.NDArray, o: unknown) => nd.NDArray)(inputs.zeros, { axis }) });
    }
    cases.push({ label: "nansum-dtype", python: "np.nansum(f32, axis=0, dtype=np.float64)", ours: () => nd.nansum(inputs.f32, { axis: 0, dtype: "float64" }) });
    cases.push({ label: "nansum-i16-dtype", python: "np.nansum(i16, dtype=np.int16)", ours: () => nd.nansum(inputs.i16, { dtype: "int16" }) });
    compare(cases);
  });

  it("nanmean, nanvar and nanstd: NumPy's values bit for bit, NaN where a slice is all NaN or count − ddof ≤ 0", () => {
    const cases: Case[] = [];
    for (const op of ["nanmean", "nanvar", "nanstd"] as const) {
      for (const name of tensor) {
        for (const view of [false, true]) {
          for (const [axisText, axis] of axes) {
            for (const ddof of op === "nanmean" ? [0] : [0, 1, 6]) {
              cases.push({
                label: `${op}-${name}-${view ? "T" : "C"}-${axisText}-${ddof}`,
                python: `np.${op}(${py(name, view)}, axis=${axisText}${op === "nanmean" ? "" : `, ddof=${ddof}`})`,
                ours: () => (nd[op] as (a: nd.NDArray, o: unknown) => nd.NDArray)(js(name, view), op === "nanmean" ? { axis } : { axis, ddof }),
              });
            }
          }
        }
      }
      cases.push({ label: `${op}-allnan`, python: `np.${op}(allnan, axis=0)`, ours: () => (nd[op] as (a: nd.NDArray, o: unknown) => nd.NDArray)(inputs.allnan, { axis: 0 }) });
      cases.push({ label: `${op}-keepdims`, python: `np.${op}(f32, axis=(0, 1), keepdims=True)`, ours: () => (nd[op] as (a: nd.NDArray, o: unknown) => nd.NDArray)(inputs.f32, { axis: [0, 1], keepdims: true }) });
      cases.push({ label: `${op}-f64dtype`, python: `np.${op}(f32, axis=2, dtype=np.float64)`, ours: () => (nd[op] as (a: nd.NDArray, o: unknown) => nd.NDArray)(inputs.f32, { axis: 2, dtype: "float64" }) });
    }
    compare(cases);
    assert.throws(() => nd.nanmean(inputs.f32, { dtype: "int32" }), /dtype must be float32 or float64/);
    assert.throws(() => nd.nanvar(inputs.f32, { ddof: 1, out: null } as never), /nanvar: unknown option "out"/);
  });

  it("nanargmin and nanargmax: NaN read as ±inf, flattened and per-axis indices, and NumPy's error for an all-NaN slice", () => {
    const cases: Case[] = [];
    for (const op of ["nanargmin", "nanargmax"] as const) {
      for (const name of tensor) {
        for (const view of [false, true]) {
          for (const [axisText, axis] of [["None", null], ["0", 0], ["-1", -1], ["1", 1]] as Array<[string, number | null]>) {
            for (const keepdims of [false, true]) {
              cases.push({
                label: `${op}-${name}-${view ? "T" : "C"}-${axisText}-${keepdims}`,
                python: `np.${op}(${py(name, view)}, axis=${axisText}, keepdims=${keepdims ? "True" : "False"})`,
                ours: () => nd[op](js(name, view), { axis, keepdims }),
              });
            }
          }
        }
      }
      cases.push({ label: `${op}-allnan`, python: `np.${op}(allnan)`, ours: () => nd[op](inputs.allnan) });
    }
    const edge = { edge: nd.array([NaN, Infinity, -Infinity, NaN], { dtype: "float64" }) };
    const expected = evaluatePython(edge, { min: "np.nanargmin(edge)", max: "np.nanargmax(edge)", minp: "np.nanargmin(edge[:2])" });
    assertSameArray(nd.nanargmin(edge.edge), expected.min.array as nd.NDArray, "nanargmin of [nan, inf, -inf, nan]");
    assertSameArray(nd.nanargmax(edge.edge), expected.max.array as nd.NDArray, "nanargmax of [nan, inf, -inf, nan]");
    assertSameArray(nd.nanargmin(nd.slice(edge.edge, { stop: 2 })), expected.minp.array as nd.NDArray, "nanargmin of [nan, inf] is the NaN's index, as NumPy's");
    compare(cases);
    assert.throws(() => nd.nanargmax(inputs.allnan, { axis: 1 }), /nanargmax: All-NaN slice encountered/);
  });

  it("nanmin / nanmax keep NumPy's zero of two equal ones: the first along the inner (smallest-stride) axis when reduced, else the last", () => {
    const signs = (a: nd.NDArray) => [...a.toTypedArray()].map((v) => (Object.is(v, -0) ? "-0" : String(v))).join(" ");
    const y = nd.fromTypedArray(new Float64Array([0, -0, -0, 0, -0, 0, 0, -0]), [2, 2, 2]);
    // Each expected string is NumPy 1.24's np.nanmax / np.nanmin of the same array and axes.
    assert.equal(signs(nd.nanmax(y, { axis: [0, 1] })), "0 -0");
    assert.equal(signs(nd.nanmax(y, { axis: [0, 2] })), "0 -0");
    assert.equal(signs(nd.nanmax(y, { axis: 0 })), "-0 0 0 -0");
    assert.equal(signs(nd.nanmax(y, { axis: 1 })), "-0 0 0 -0");
    assert.equal(signs(nd.nanmax(nd.transpose(y, [2, 1, 0]), { axis: 0 })), "0 -0 -0 0");
    assert.equal(signs(nd.nanmax(nd.transpose(y, [2, 1, 0]), { axis: 2 })), "-0 0 0 -0");
    assert.equal(signs(nd.nanmax(nd.fromTypedArray(new Float64Array([0, -0]), [2, 1]), { axis: 0 })), "0");
    assert.equal(signs(nd.nanmin(nd.fromTypedArray(new Float64Array([-0, 0, 0, -0]), [2, 2]), { axis: 0 })), "0 -0");
    assert.equal(signs(nd.nanmin(nd.fromTypedArray(new Float64Array([-0, 0])))), "-0");
  });
});

