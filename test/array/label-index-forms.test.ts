// The label and index forms of the chunked measurements (src/array/label-index-forms.ts) against
// scipy.ndimage 1.10 on the whole array: no labels, labels without an index (labels > 0, negative
// labels left out), one label as a number or a 0-d index array (present and absent), on 6 × 7 × 5
// blocks. Values compared as float64 (sums to 1e-12 relative: per-block float64 sums); the shape
// is scipy's result's: a 0-d array for one value, [ndim] for a position or centre, [bins] for a
// histogram.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { integer } from "./differential-inputs.js";
import { evaluatePython } from "./python-eval.js";
import { seededRandom } from "../ndimage/helpers.js";

const shape = [18, 21, 15];
const chunks = [3, 3, 3];

function inputs(dtype: "uint16" | "float64"): { x: nd.NDArray; l: nd.NDArray } {
  const rng = seededRandom(dtype === "uint16" ? 7 : 11);
  const size = shape.reduce((a, b) => a * b, 1);
  const x = nd.astype(nd.fromTypedArray(Float64Array.from({ length: size }, () => (dtype === "uint16" ? integer(rng, 0, 4000) : (rng() - 0.3) * 1e3)), shape), dtype);
  // Boxes of 4 × 5 × 3 cells labelled −1, 0, 1…6: regions across many block borders.
  const l = nd.fromTypedArray(Int32Array.from({ length: size }, (_, p) => {
    const [z, y, x0] = [Math.floor(p / (shape[1] * shape[2])), Math.floor(p / shape[2]) % shape[1], p % shape[2]];
    return ((Math.floor(z / 4) * 7 + Math.floor(y / 5) * 3 + Math.floor(x0 / 3)) % 8) - 1;
  }), shape);
  return { x, l };
}

type Form = { name: string; py: string; labels: (l: ta.Array) => ta.Array | undefined; index: number | nd.NDArray | undefined };
const forms: Form[] = [
  { name: "no labels", py: "", labels: () => undefined, index: undefined },
  { name: "labels only", py: ", l", labels: (l) => l, index: undefined },
  { name: "one label", py: ", l, 3", labels: (l) => l, index: 3 },
  // scipy 1.10's sum fails on a 0-d index array; dask-image reads it as the label it holds.
  { name: "a 0-d index array", py: ", l, 5", labels: (l) => l, index: nd.fromTypedArray(Int32Array.of(5), []) },
  { name: "an absent label", py: ", l, 9", labels: (l) => l, index: 9 },
];

type Measure = { name: string; py: (args: string) => string; ours: (x: ta.Array, l: ta.Array | undefined, index: number | nd.NDArray | undefined) => ta.Array; skipAbsent?: boolean };
const measures: Measure[] = [
  { name: "sum", py: (a) => `ndi.sum(x${a})`, ours: (x, l, i) => ta.ndimage.sum(x, l, i) },
  { name: "mean", py: (a) => `ndi.mean(x${a})`, ours: (x, l, i) => ta.ndimage.mean(x, l, i) },
  { name: "minimum", py: (a) => `ndi.minimum(x${a})`, ours: (x, l, i) => ta.ndimage.minimum(x, l, i), skipAbsent: true },
  { name: "maximum", py: (a) => `ndi.maximum(x${a})`, ours: (x, l, i) => ta.ndimage.maximum(x, l, i), skipAbsent: true },
  { name: "variance", py: (a) => `ndi.variance(x${a})`, ours: (x, l, i) => ta.ndimage.variance(x, l, i) },
  { name: "standardDeviation", py: (a) => `ndi.standard_deviation(x${a})`, ours: (x, l, i) => ta.ndimage.standardDeviation(x, l, i) },
  { name: "centerOfMass", py: (a) => `ndi.center_of_mass(x${a})`, ours: (x, l, i) => ta.ndimage.centerOfMass(x, l, i) },
  { name: "minimumPosition", py: (a) => `ndi.minimum_position(x${a})`, ours: (x, l, i) => ta.ndimage.minimumPosition(x, l, i), skipAbsent: true },
  { name: "maximumPosition", py: (a) => `ndi.maximum_position(x${a})`, ours: (x, l, i) => ta.ndimage.maximumPosition(x, l, i), skipAbsent: true },
  { name: "median", py: (a) => `ndi.median(x${a})`, ours: (x, l, i) => ta.ndimage.median(x, l, i), skipAbsent: true },
  { name: "histogram", py: (a) => `ndi.histogram(x, 0, 3000, 7${a})`, ours: (x, l, i) => ta.ndimage.histogram(x, 0, 3000, 7, l, i), skipAbsent: true },
  { name: "area", py: (a) => (a === "" ? "np.array(x.size)" : a === ", l" ? "np.sum(l > 0)" : `np.sum(l == ${a.match(/\d+/)?.[0]})`), ours: (x, l, i) => ta.ndimage.area(x, l, i) },
];

describe("chunked measurements take scipy's label and index forms", () => {
  for (const dtype of ["uint16", "float64"] as const) {
    it(`${dtype}: no labels, labels only, one label (number or 0-d array, present or absent) equal scipy on the whole array`, async () => {
      const { x, l } = inputs(dtype);
      const expressions: Record<string, string> = {};
      const cases: Array<{ label: string; lazy: () => ta.Array }> = [];
      for (const measure of measures) {
        for (const form of forms) {
          if (form.name === "an absent label" && measure.skipAbsent) continue; // scipy gives None or fails there; the list form's test covers absent labels
          const label = `${measure.name} with ${form.name}`;
          expressions[label] = `np.asarray(${measure.py(form.py)}, dtype=np.float64)`;
          const lx = ta.fromArray(x, { chunks });
          const ll = ta.fromArray(l, { chunks: [4, 3, 5] });
          cases.push({ label, lazy: () => measure.ours(lx, form.labels(ll), form.index) });
        }
      }
      const python = evaluatePython({ x, l }, expressions);
      for (const { label, lazy } of cases) {
        const expected = python[label].array;
        assert.ok(expected, `${label}: scipy refused: ${python[label].error}`);
        const actual = nd.astype(await lazy().compute(), "float64");
        assert.deepEqual([...actual.shape], [...expected.shape], `${label}: shape`);
        const a = actual.data as Float64Array;
        const b = expected.data as Float64Array;
        for (let i = 0; i < b.length; i++) {
          const close = Object.is(a[i], b[i]) || (Number.isNaN(a[i]) && Number.isNaN(b[i])) || Math.abs(a[i] - b[i]) <= 1e-12 * Math.abs(b[i]);
          assert.ok(close, `${label}: element ${i} is ${a[i]}, scipy gives ${b[i]}`);
        }
      }
    });
  }

  it("refuses an index without labels, naming it", () => {
    const x = ta.fromArray(inputs("uint16").x, { chunks });
    assert.throws(() => ta.ndimage.sum(x, undefined, 3), /sumLabels: an index needs labels; give the label array, or leave both out/);
    assert.throws(() => ta.ndimage.maximumPosition(x, null, [1, 2]), /maximumPosition: an index needs labels/);
  });
});
