// The light-sheet lab's steps after the DoG, written as a Dask + dask-image user writes them,
// end to end on one synthetic uint16 volume, against scipy.ndimage 1.10 / NumPy 1.24 / Dask
// 2022.12 on the whole array (Debian's python3 through test/fixtures/array/evaluate.py):
// DoG → project (max / mean along an axis) → threshold (Otsu on a chunked histogram) →
// segment (label with a structure, opening, closing, fill holes, distance) → measure (per-label
// sum, mean, variance, centre of mass, area, extrema, median, histogram, a comprehension,
// findObjects) → downsample (coarsen, zoom of values and of labels, an affine map) → Zarr.
// The volume has 11 blocks along its first axis and uneven last chunks everywhere; its blobs
// cross many chunk borders and touch the volume's faces and corners. Labels are compared cell
// for cell: tessera promises scipy's numbering (raster order of each label's first cell), not
// a renumbering. The same chain then runs on a LocalCluster of 2 workers × 1 thread.
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import * as ndimage from "../../src/ndimage/index.js";
import { type DiffCase, differences, py, report } from "../ndimage/differential-harness.js";
import { seededRandom } from "../ndimage/helpers.js";
import { describeOnCluster } from "./cluster-sample.js";

const seed = 20261206;
const shape = [41, 37, 29];
// 11 blocks along axis 0, uneven last chunks on every axis.
const chunks = [[4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 1], [10, 10, 10, 7], [8, 8, 8, 5]];

/** Gaussian blobs on a noisy background; some centred on faces and corners of the volume. */
function syntheticVolume(): nd.NDArray {
  const rng = seededRandom(seed);
  const blobs = Array.from({ length: 16 }, () => [rng() * shape[0], rng() * shape[1], rng() * shape[2], 1.5 + rng() * 4, 1500 + rng() * 3000]);
  blobs.push([0, 18, 14, 5, 4000], [40, 36, 28, 4, 3500], [20, 0, 28, 3, 3000]);
  const data = new Uint16Array(shape[0] * shape[1] * shape[2]);
  for (let z = 0, i = 0; z < shape[0]; z++) {
    for (let y = 0; y < shape[1]; y++) {
      for (let x = 0; x < shape[2]; x++, i++) {
        let value = 100 + rng() * 200;
        for (const [bz, by, bx, r, a] of blobs) value += a * Math.exp(-((z - bz) ** 2 + (y - by) ** 2 + (x - bx) ** 2) / (2 * r * r));
        data[i] = Math.min(65535, Math.round(value));
      }
    }
  }
  return nd.fromTypedArray(data, shape, { dtype: "uint16" });
}

const volume = syntheticVolume();
const inputs = { vol: volume };
const vol = (): ta.Array => ta.fromArray(volume, { chunks });
const full = ndimage.generateBinaryStructure(3, 3);

// The DoG as the course computes it (two Gaussians through mapOverlap on float32), written to
// Zarr and read back, as the lab starts from it: every later step reads the stored DoG.
const dogChain = (): ta.Array => {
  const f = vol().astype("float32");
  const hi = f.mapOverlap(ndimage.gaussianFilter, { depth: 4 }, { sigma: 1, mode: "nearest" });
  const lo = f.mapOverlap(ndimage.gaussianFilter, { depth: 12 }, { sigma: 3, mode: "nearest" });
  return hi.sub(lo);
};
const workDir = mkdtempSync(join(tmpdir(), "tessera-lab-pipeline-"));
after(() => rmSync(workDir, { recursive: true, force: true }));
await dogChain().toZarr(join(workDir, "dog.zarr"));
const storedDog = await ta.fromZarr(join(workDir, "dog.zarr"));
const dog = (): ta.Array => storedDog;
const dogPy = "(ndi.gaussian_filter(vol.astype(np.float32), 1, mode='nearest') - ndi.gaussian_filter(vol.astype(np.float32), 3, mode='nearest'))";
const daVolPy = `da.from_array(vol, chunks=${py(chunks).replace(/\[/g, "(").replace(/\]/g, ",)")})`;

/** Otsu's threshold from histogram counts over equal bins [low, high]: the between-class variance's argmax. */
function otsu(counts: ArrayLike<bigint | number>, low: number, high: number): number {
  const n = counts.length;
  const width = (high - low) / n;
  const c = Array.from(counts, Number);
  const total = c.reduce((a, b) => a + b, 0);
  const moment = c.reduce((a, k, i) => a + k * (low + (i + 0.5) * width), 0);
  let best = -1;
  let threshold = low;
  for (let i = 0, w0 = 0, m0 = 0; i < n - 1; i++) {
    w0 += c[i];
    m0 += c[i] * (low + (i + 0.5) * width);
    if (w0 === 0 || w0 === total) continue;
    const between = w0 * (total - w0) * (m0 / w0 - (moment - m0) / (total - w0)) ** 2;
    if (between > best) [best, threshold] = [between, low + (i + 1) * width];
  }
  return threshold;
}

const bins = 64;
const range: [number, number] = [-400, 1200];
const [dogCounts] = ta.histogram(dog(), { bins, range });
const threshold = otsu((await dogCounts.compute()).toTypedArray() as BigInt64Array, ...range);
const mask = (): ta.Array => dog().gt(threshold);
const maskPy = `(${dogPy} > ${threshold})`;
const labels = (): [ta.Array, ta.Array] => ta.ndimage.label(mask(), { structure: full });
const labelsPy = `ndi.label(${maskPy}, structure=np.ones((3, 3, 3)))`;
const labelCount = Number((await labels()[1].compute()).item());
const index = Array.from({ length: labelCount + 2 }, (_, i) => i); // 0 (background) and one absent label too
const filled = await ta.ndimage.binaryFillHoles(mask());
const uint8 = (): ta.Array => vol().astype("float64").div(16).astype("uint8");
const uint8Py = "(vol.astype(np.float64) / 16).astype(np.uint8)";
const maxOfLabel = (values: Float64Array): number => values.reduce((a, b) => Math.max(a, b), -Infinity);

const steps: Array<{ label: string; python: string; lazy: () => ta.Array; tolerance?: number }> = [];
const step = (label: string, python: string, lazy: () => ta.Array, tolerance?: number): void => {
  steps.push({ label, python, lazy, ...(tolerance === undefined ? {} : { tolerance }) });
};

// Project
step("DoG", dogPy, dogChain);
step("DoG read back from Zarr", dogPy, dog);
step("max projection of the DoG (float32)", `${dogPy}.max(axis=0)`, () => dog().max({ axis: 0 }));
step("max projection of the volume (uint16)", "vol.max(axis=1)", () => vol().max({ axis: 1 }));
step("mean projection of the volume (float64)", `${daVolPy}.mean(axis=2)`, () => vol().mean({ axis: 2 }));
// Threshold
step("histogram of the DoG", `np.histogram(${dogPy}, bins=${bins}, range=${py(range)})[0]`, () => dogCounts);
step("mask", maskPy, mask);
// Segment
step("labels (26-connected)", `${labelsPy}[0]`, () => labels()[0]);
step("number of labels", `np.int32(${labelsPy}[1])`, () => labels()[1]);
step("labels (faces only)", `ndi.label(${maskPy})[0]`, () => ta.ndimage.label(mask())[0]);
step("labels of a uint8 volume", `ndi.label(${uint8Py} > 60)[0]`, () => ta.ndimage.label(uint8().gt(60))[0]);
step("opening, 2 iterations", `ndi.binary_opening(${maskPy}, iterations=2)`, () => ta.ndimage.binaryOpening(mask(), { iterations: 2 }));
step("closing with a full structure", `ndi.binary_closing(${maskPy}, structure=np.ones((3, 3, 3)))`, () => ta.ndimage.binaryClosing(mask(), { structure: full }));
step("erosion with border value 1", `ndi.binary_erosion(${maskPy}, border_value=1)`, () => ta.ndimage.binaryErosion(mask(), { borderValue: 1 }));
step("fill holes", `ndi.binary_fill_holes(${maskPy})`, () => filled);
step("distance with sampling", `ndi.distance_transform_edt(${maskPy}, sampling=[2, 1, 1])`, () => ta.ndimage.distanceTransformEdt(mask(), { sampling: [2, 1, 1] }));
// Measure: uint16, uint8, float32 and bool values on the labels.
const lab = `${labelsPy}[0]`;
const idx = py(index);
step("sum (uint16)", `ndi.sum(vol, ${lab}, ${idx})`, () => ta.ndimage.sum(vol(), labels()[0], index));
step("sum (bool)", `ndi.sum(${maskPy}, ${lab}, ${idx})`, () => ta.ndimage.sum(mask(), labels()[0], index));
step("mean (uint8)", `ndi.mean(${uint8Py}, ${lab}, ${idx})`, () => ta.ndimage.mean(uint8(), labels()[0], index));
// Each block's deviations about its own mean, merged pairwise (ndimage-label-stats.ts): to rounding.
step("variance (uint16)", `ndi.variance(vol, ${lab}, ${idx})`, () => ta.ndimage.variance(vol(), labels()[0], index), 1e-13);
step("centre of mass (uint16)", `np.array(ndi.center_of_mass(vol, ${lab}, ${idx}))`, () => ta.ndimage.centerOfMass(vol(), labels()[0], index));
step("centre of mass (float32 DoG)", `np.array(ndi.center_of_mass(${dogPy}, ${lab}, ${idx}[1:-1]))`, () => ta.ndimage.centerOfMass(dog(), labels()[0], index.slice(1, -1)));
step("area", `np.bincount(${lab}.ravel(), minlength=${index.length})[:${index.length}].astype(np.int64)`, () => ta.ndimage.area(vol(), labels()[0], index));
const extremaNames = ["minimum", "maximum", "minimum position", "maximum position"];
extremaNames.forEach((name, i) => {
  step(`extrema: ${name} (float32 DoG)`, `np.array(ndi.extrema(${dogPy}, ${lab}, ${idx})[${i}])`, () => ta.ndimage.extrema(dog(), labels()[0], index)[i]);
});
step("median (uint16)", `ndi.median(vol, ${lab}, ${idx})`, () => ta.ndimage.median(vol(), labels()[0], index));
step("histogram per label (uint8)", `np.stack(ndi.histogram(${uint8Py}, 0, 255, 8, ${lab}, ${idx}[1:-1]))`, () => ta.ndimage.histogram(uint8(), 0, 255, 8, labels()[0], index.slice(1, -1)));
step("labeled comprehension (max)", `ndi.labeled_comprehension(vol, ${lab}, ${idx}, np.max, np.float64, -1)`,
  () => ta.ndimage.labeledComprehension(vol(), labels()[0], index, maxOfLabel, "float64", -1));
// Downsample
step("coarsen 2×2×2 mean (uint16)", `da.coarsen(np.mean, ${daVolPy}, {0: 2, 1: 2, 2: 2}, trim_excess=True)`,
  () => ta.coarsen(nd.mean, vol(), { 0: 2, 1: 2, 2: 2 }, { trimExcess: true }));
step("zoom ½ of the DoG, order 1", `ndi.zoom(${dogPy}, 0.5, order=1)`, () => ta.ndimage.zoom(dog(), { zoom: 0.5, order: 1 }));
step("zoom ½ of the labels, order 0", `ndi.zoom(${lab}, 0.5, order=0)`, () => ta.ndimage.zoom(labels()[0], { zoom: 0.5, order: 0 }));
step("zoom of the volume, order 1 to uint8, grid mode", `ndi.zoom(vol, [0.5, 0.7, 1.3], order=1, grid_mode=True, mode='grid-constant', cval=7, output=np.uint8)`,
  () => ta.ndimage.zoom(vol(), { zoom: [0.5, 0.7, 1.3], order: 1, gridMode: true, mode: "grid-constant", cval: 7, output: "uint8" }));
step("affine map, order 1", `ndi.affine_transform(vol.astype(np.float32), [[1, 0.1, 0], [0, 1, 0], [0, 0, 0.5]], offset=[1, -2, 3], order=1, output_shape=(30, 30, 40), mode='reflect')`,
  () => ta.ndimage.affineTransform(vol().astype("float32"), { matrix: [[1, 0.1, 0], [0, 1, 0], [0, 0, 0.5]], offset: [1, -2, 3], order: 1, outputShape: [30, 30, 40], mode: "reflect" }));

describe("the lab's pipeline after the DoG, against scipy.ndimage on the whole volume", () => {
  it("finds several objects, some across many blocks (the test means something)", () => {
    assert.ok(labelCount >= 5, `only ${labelCount} labels at threshold ${threshold}`);
  });

  it("gives scipy's, NumPy's and Dask's results at every step", async () => {
    const cases: DiffCase[] = steps.map(({ label, python, lazy, tolerance }) => ({ label, python, run: () => lazy().compute(), ...(tolerance === undefined ? {} : { tolerance }) }));
    cases.push({
      label: "findObjects",
      python: `np.array([[[s.start, s.stop] for s in o] for o in ndi.find_objects(${lab})], dtype=float)`,
      run: async () => (await ta.ndimage.findObjects(labels()[0])).map((box) => (box ?? []).map(({ start, stop }) => [start, stop])),
    });
    report(await differences(cases, inputs), "lab pipeline", seed);
  });

  it("writes the labels and the zoomed DoG to Zarr as scipy's (read back by Python's zarr)", async () => {
    await labels()[0].toZarr(join(workDir, "labels.zarr"));
    await ta.ndimage.zoom(dog(), { zoom: 0.5, order: 1 }).toZarr(join(workDir, "dog-half.zarr"));
    // True where Python's zarr reads back scipy's array, dtype included.
    const same = (name: string, expected: string): string => `(lambda z, e: bool(z.dtype == e.dtype and np.array_equal(z, e)))(__import__('zarr').open(${py(join(workDir, name))}, mode='r')[...], ${expected})`;
    report(await differences([
      { label: "labels from Zarr", python: same("labels.zarr", lab), run: () => true },
      { label: "zoomed DoG from Zarr", python: same("dog-half.zarr", `ndi.zoom(${dogPy}, 0.5, order=1)`), run: () => true },
    ], inputs), "lab pipeline to Zarr", seed);
  });
});

describeOnCluster("the lab's pipeline", () => [
  labels()[0], labels()[1], filled, ta.ndimage.binaryOpening(mask(), { iterations: 2 }),
  ta.ndimage.sum(vol(), labels()[0], index), ta.ndimage.centerOfMass(dog(), labels()[0], index.slice(1, -1)),
  ta.ndimage.median(vol(), labels()[0], index), ta.ndimage.histogram(uint8(), 0, 255, 8, labels()[0], index),
  ta.ndimage.labeledComprehension(vol(), labels()[0], index, maxOfLabel, "float64", -1),
  ...ta.ndimage.extrema(dog(), labels()[0], index),
  ta.ndimage.zoom(labels()[0], { zoom: 0.5, order: 0 }), ta.coarsen(nd.mean, vol(), { 0: 2, 1: 2, 2: 2 }, { trimExcess: true }),
]);
