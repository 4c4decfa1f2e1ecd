// Per-label measurements on chunked arrays (issue 12 item 3: center_of_mass, per-label
// sum/mean/max/min, find_objects after label) against scipy 1.10 run at test time on the whole
// volume: scipy's own labels of a blob mask, values of several dtypes, values and labels in
// different chunkings (regular, irregular, single chunk), an index with the background, absent
// and repeated labels; then on a cluster of 2 workers.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import * as ndimage from "../../src/ndimage/index.js";
import type { DType } from "../../src/ndarray/dtype.js";
import { unixSeconds } from "../../src/core/clock.js";
import { randomArray, seededRandom } from "../ndimage/helpers.js";
import { assertSameArray, evaluatePython } from "./python-eval.js";
import { useCluster2x1 } from "./cluster-sample.js";

const shape = [17, 20, 14];
const smooth = ndimage.uniformFilter(randomArray(shape, "float32", seededRandom(140)), { size: 3 });
const mask = nd.greater(smooth, 104);
const labels = evaluatePython({ mask }, { labels: "ndi.label(mask)[0]" }).labels.array as nd.NDArray;
const count = Number(nd.max(labels).item());

function valuesOf(dtype: DType, seed: number): nd.NDArray {
  const values = randomArray(shape, dtype, seededRandom(seed));
  if (dtype === "float32" || dtype === "float64") {
    const data = values.data as Float64Array;
    for (let i = 0; i < data.length; i += 97) data[i] = NaN;
  }
  return values;
}

const chunkings: Array<[string, ta.ChunkSpec, ta.ChunkSpec]> = [
  ["regular values, irregular labels", [5, 6, 4], [[3, 1, 9, 4], [20], [2, 7, 5]]],
  ["irregular values, regular labels", [[8, 1, 8], [4, 4, 12], [14]], [4, 4, 4]],
  ["single chunks", -1, -1],
];
const index = [0, 1, 2, count, 3, count + 5, 2, -1];
const python = JSON.stringify(index);

describe("lazy per-label measurements equal scipy's", () => {
  for (const dtype of ["uint16", "int16", "int32", "uint8", "float32", "float64"] as DType[]) {
    it(`sumLabels, mean, minimum, maximum and centerOfMass of ${dtype} values over ${count} labels, on three chunkings`, async () => {
      const values = valuesOf(dtype, 150);
      // Sums and centres of floats: scipy adds in one C-order pass, the fold adds block by block.
      const exact = dtype !== "float32" && dtype !== "float64";
      const finite = exact ? values : nd.where(nd.isnan(values), 0, values);
      const reference = evaluatePython({ values, finite, labels }, {
        sum: `ndi.sum_labels(finite, labels, ${python})`, mean: `ndi.mean(finite, labels, ${python})`,
        minimum: `ndi.minimum(values, labels, ${python})`, maximum: `ndi.maximum(values, labels, ${python})`,
        center: `np.array(ndi.center_of_mass(finite, labels, ${python}))`,
      });
      for (const [chunkLabel, valueChunks, labelChunks] of chunkings) {
        const lazyLabels = ta.fromArray(labels, { chunks: labelChunks });
        const x = ta.fromArray(values, { chunks: valueChunks });
        const xf = ta.fromArray(finite, { chunks: valueChunks });
        const ours = {
          sum: ta.ndimage.sumLabels(xf, lazyLabels, index, { splitEvery: 3 }), mean: ta.ndimage.mean(xf, lazyLabels, index),
          minimum: ta.ndimage.minimum(x, lazyLabels, index, { splitEvery: 2 }), maximum: ta.ndimage.maximum(x, lazyLabels, index),
          center: ta.ndimage.centerOfMass(xf, lazyLabels, index, { splitEvery: 4 }),
        };
        const results = await ta.compute(Object.values(ours));
        Object.keys(ours).forEach((name, i) => {
          const expected = reference[name].array as nd.NDArray;
          const label = `${name} of ${dtype}, ${chunkLabel}`;
          assert.equal(Object.values(ours)[i].dtype, expected.dtype, `${label}: lazy dtype`);
          if (exact || chunkLabel === "single chunks" || name === "minimum" || name === "maximum") return assertSameArray(results[i], expected, label);
          assert.deepEqual([...results[i].shape], [...expected.shape], `${label}: shape`);
          const got = results[i].data as Float64Array;
          (expected.data as Float64Array).forEach((want, j) => {
            if (Number.isNaN(want)) return assert.ok(Number.isNaN(got[j]), `${label}[${j}]: ${got[j]}, scipy gives NaN`);
            assert.ok(Math.abs(got[j] - want) <= 1e-12 * Math.max(1, Math.abs(want)), `${label}[${j}]: ${got[j]}, scipy gives ${want}`);
          });
        });
      }
    });
  }

  it("findObjects gives scipy's bounding boxes with and without maxLabel, on three chunkings", async () => {
    const reference = evaluatePython({ labels }, {
      all: "np.array([[[s.start, s.stop] for s in box] if box else [[-1, -1]] * 3 for box in ndi.find_objects(labels)])",
      some: `np.array([[[s.start, s.stop] for s in box] if box else [[-1, -1]] * 3 for box in ndi.find_objects(labels, max_label=${count + 3})])`,
    });
    const asArray = (objects: Array<ndimage.AxisRange[] | null>): nd.NDArray =>
      nd.array(objects.map((box) => (box ? box.map((range) => [range.start, range.stop]) : [[-1, -1], [-1, -1], [-1, -1]])), { dtype: "int64" });
    for (const [chunkLabel, , labelChunks] of chunkings) {
      const lazyLabels = ta.fromArray(labels, { chunks: labelChunks });
      assertSameArray(asArray(await ta.ndimage.findObjects(lazyLabels, { splitEvery: 3 })), reference.all.array as nd.NDArray, `all labels, ${chunkLabel}`);
      assertSameArray(asArray(await ta.ndimage.findObjects(lazyLabels, { maxLabel: count + 3 })), reference.some.array as nd.NDArray, `maxLabel ${count + 3}, ${chunkLabel}`);
    }
    assert.deepEqual(await ta.ndimage.findObjects(ta.zeros([4, 0], { dtype: "int32" })), [], "an empty array has no objects");
  });

  it("measures an index of 200 000 labels (a spread of that many into Math.max overflowed the stack)", async () => {
    const many = Array.from({ length: 200_000 }, (_, i) => i + 1);
    const values = valuesOf("uint16", 153);
    const reference = evaluatePython({ values, labels }, { sum: "ndi.sum_labels(values, labels, np.arange(1, 200001))" });
    const ours = ta.ndimage.sumLabels(ta.fromArray(values, { chunks: 8 }), ta.fromArray(labels, { chunks: 8 }), many);
    assertSameArray(await ours.compute(), reference.sum.array as nd.NDArray, "lazy sumLabels over 200 000 labels");
    assertSameArray(ndimage.sumLabels(values, labels, many) as nd.NDArray, reference.sum.array as nd.NDArray, "eager sumLabels over 200 000 labels");
  });

  it("refuses what it cannot measure, naming it", async () => {
    const x = ta.fromArray(valuesOf("uint16", 151), { chunks: 8 });
    const l = ta.fromArray(labels, { chunks: 8 });
    assert.throws(() => ta.ndimage.sumLabels(x, l, "2" as never), /sumLabels: index must be a label, a list of labels or a 1-d index array; got "2"/);
    assert.throws(() => ta.ndimage.mean(x, labels as never, [1]), /mean: labels must be a tessera array/);
    assert.throws(() => ta.ndimage.maximum(x, l.get({ stop: 5 }), [1]), /maximum: labels shape \[5, 20, 14\] differs from the input shape \[17, 20, 14\]/);
    assert.throws(() => ta.ndimage.minimum(x, x.astype("float32"), [1]), /minimum: labels must hold integers, got float32/);
    assert.throws(() => ta.ndimage.centerOfMass(x, l, [1.5]), /centerOfMass: index 1\.5 must hold integer labels/);
    assert.throws(() => ta.ndimage.sumLabels(x, l, [1], { split: 2 } as never), /sumLabels: unknown option "split"; sumLabels takes splitEvery/);
    await assert.rejects(ta.ndimage.findObjects(x.astype("float32")), /findObjects needs an integer label array, got float32/);
    await assert.rejects(ta.ndimage.findObjects(l, { maxLabel: 2.5 }), /maxLabel 2\.5 must be an integer/);
    // A huge label needs a huge table in every task whatever the block size: refused up front.
    await assert.rejects(ta.ndimage.findObjects(l, { maxLabel: 1e9 }),
      /findObjects: maxLabel 1000000000 needs a table of 44\.70 GiB .*relabel to consecutive labels 1…n first .*or pass a smaller maxLabel/);
    const sparse = new nd.NDArray(new Int32Array(17 * 20 * 14), shape, { dtype: "int32" });
    (sparse.data as Int32Array)[1234] = 1e9;
    await assert.rejects(ta.ndimage.findObjects(ta.fromArray(sparse, { chunks: 8 })), /findObjects: the largest label, 1000000000, needs a table of 44\.70 GiB/);
    assert.throws(() => ndimage.findObjects(sparse), /findObjects: the largest label, 1000000000, needs a table of 44\.70 GiB/);
    assert.throws(() => ndimage.findObjects(labels, { maxLabel: 2 ** 30 }), /findObjects: maxLabel 1073741824 needs a table of 48\.00 GiB/);
  });
});

describe("lazy per-label measurements on a cluster (2 workers)", () => {
  const client = useCluster2x1();

  it("labels a chunked mask with ta.ndimage.label and measures it on both workers as scipy does on the whole volume", async () => {
    const values = valuesOf("uint16", 152);
    const x = ta.fromArray(values, { chunks: [5, 6, 4] });
    const [lazyLabels] = ta.ndimage.label(ta.fromArray(mask, { chunks: [[6, 6, 5], [7, 7, 6], [5, 9]] }));
    // The lazy labels equal scipy's up to a relabelling (test/array/label.test.ts): measure ours
    // and map scipy's results through the same relabelling.
    const ours = await lazyLabels.compute();
    const relabel = new Map<number, number>();
    (ours.data as Int32Array).forEach((label, i) => relabel.set(label, Number(labels.data[i])));
    const mine = Array.from({ length: count }, (_, i) => i + 1);
    const theirs = JSON.stringify(mine.map((label) => relabel.get(label)));
    const reference = evaluatePython({ values, labels }, {
      sum: `ndi.sum_labels(values, labels, ${theirs})`, maximum: `ndi.maximum(values, labels, ${theirs})`,
      center: `np.array(ndi.center_of_mass(values, labels, ${theirs}))`,
    });
    const since = unixSeconds();
    const results = await ta.compute([
      ta.ndimage.sumLabels(x, lazyLabels, mine, { splitEvery: 4 }), ta.ndimage.maximum(x, lazyLabels, mine), ta.ndimage.centerOfMass(x, lazyLabels, mine),
    ]);
    assertSameArray(results[0], reference.sum.array as nd.NDArray, "sum");
    assertSameArray(results[1], reference.maximum.array as nd.NDArray, "maximum");
    assertSameArray(results[2], reference.center.array as nd.NDArray, "centre of mass");
    const stream = (await client().getTaskStream({ since: since - 1 })) as Array<{ key: string; worker: string }>;
    assert.equal(new Set(stream.filter((record) => /-partial-0-/.test(record.key)).map((record) => record.worker)).size, 2, "block partials ran on both workers");
    const boxes = await ta.ndimage.findObjects(lazyLabels);
    const scipyBoxes = evaluatePython({ labels }, { boxes: `np.array([[[s.start, s.stop] for s in box] for box in ndi.find_objects(labels)])[[l - 1 for l in ${theirs}]]` });
    assertSameArray(nd.array(boxes.map((box) => box!.map((range) => [range.start, range.stop])), { dtype: "int64" }), scipyBoxes.boxes.array as nd.NDArray, "findObjects");
  });
});

// Found by the ndimage fuzzer (ndimage-fuzz.test.ts, seed 1119): one group's minimum is NumPy's
// min of the group, NaN when any value is NaN; an index list's minimum skips NaN (scipy 1.10:
// minimum([nan, 1], [1, 1], 1) is nan, minimum([nan, 1], [1, 1], [1]) is [1.]).
describe("minimum and maximum of one group with NaN, against scipy", () => {
  it("are NaN when any value of the group is, over blocks of 1, 2 and 6", async () => {
    const x = nd.fromTypedArray(Float64Array.of(NaN, 2, -Infinity, 4, 5, NaN, 3, 1), [8]);
    const labels = nd.fromTypedArray(Int32Array.of(1, 1, 1, 1, 2, 2, 3, 0), [8]);
    const forms: Array<[string, number | number[] | undefined, boolean]> = [["1", 1, true], ["3", 3, true], ["None", undefined, true], ["[1, 2, 3]", [1, 2, 3], true], ["", undefined, false]];
    const expressions: Record<string, string> = {};
    const ours: Record<string, nd.NDArray> = {};
    for (const chunks of [[1, 1, 1, 1, 1, 1, 1, 1], [2, 2, 2, 2], [6, 2]]) {
      const lazy = (a: nd.NDArray) => ta.fromArray(a, { chunks: [chunks] });
      for (const fn of ["minimum", "maximum"] as const) {
        for (const [py, index, withLabels] of forms) {
          const key = `${fn}_${chunks.length}_${Object.keys(expressions).length}`;
          expressions[key] = withLabels ? `np.asarray(ndi.${fn}(x, labels, ${py}), dtype=float)` : `np.asarray(ndi.${fn}(x), dtype=float)`;
          ours[key] = await ta.ndimage[fn](lazy(x), withLabels ? lazy(labels) : undefined, index).compute();
        }
      }
    }
    const scipy = evaluatePython({ x, labels }, expressions);
    for (const [key, value] of Object.entries(ours)) assertSameArray(value, scipy[key].array as nd.NDArray, `${key}: ${expressions[key]}`);
  });
});
