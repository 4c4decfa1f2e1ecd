// zoom, shift and affineTransform on lazy arrays, block by block, against the whole-volume
// result: scipy 1.10 itself (run at test time) and tessera's bit-identical kernels.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as ta from "../../src/array/index.js";
import { lowerArrays } from "../../src/array/lower.js";
import * as nd from "../../src/ndarray/index.js";
import { dtypeInfo, type DType } from "../../src/ndarray/dtype.js";
import * as ndimage from "../../src/ndimage/index.js";
import { LocalExecutor } from "../../src/graph/local-executor.js";
import { assertSameArray, evaluatePython } from "./python-eval.js";
import { useCluster2x1 } from "./cluster-sample.js";

type Mode = "constant" | "nearest" | "reflect" | "mirror" | "wrap" | "grid-constant" | "grid-mirror" | "grid-wrap";
const modes: Mode[] = ["constant", "nearest", "reflect", "mirror", "wrap", "grid-constant", "grid-mirror", "grid-wrap"];

const script = fileURLToPath(new URL("../../../test/fixtures/ndimage/scipy-transform.py", import.meta.url));
let directory: string;
before(() => {
  directory = mkdtempSync(path.join(tmpdir(), "tessera-lazy-interpolation-"));
});
after(() => rmSync(directory, { recursive: true, force: true }));

/** scipy's result for the whole volume (Debian's scipy 1.10 through /usr/bin/python3). */
function scipy(fn: string, input: nd.NDArray, options: Record<string, unknown>): nd.NDArray {
  const inputFile = path.join(directory, "input.bin");
  const outputFile = path.join(directory, "output.bin");
  const bytes = input.toTypedArray();
  writeFileSync(inputFile, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const spec = JSON.stringify({ fn, shape: input.shape, dtype: input.dtype, options });
  const out = JSON.parse(execFileSync("/usr/bin/python3", [script, spec, inputFile, outputFile], { encoding: "utf8" })) as { dtype: DType; shape: number[] };
  const raw = readFileSync(outputFile);
  const copy = new Uint8Array(raw.length);
  copy.set(raw);
  const info = dtypeInfo(out.dtype);
  return new nd.NDArray(new (info.array as Float64ArrayConstructor)(copy.buffer, 0, raw.length / info.itemsize), out.shape, { dtype: out.dtype });
}

function differing(actual: nd.NDArray, expected: nd.NDArray): number {
  assert.deepEqual([...actual.shape], [...expected.shape], "shape");
  assert.equal(actual.dtype, expected.dtype, "dtype");
  const a = actual.toTypedArray() as Float64Array;
  const e = expected.toTypedArray() as Float64Array;
  let count = 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], e[i])) count++;
  return count;
}

function worstGap(actual: nd.NDArray, expected: nd.NDArray): number {
  const a = actual.toTypedArray() as Float64Array;
  const e = expected.toTypedArray() as Float64Array;
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - e[i]));
  return worst;
}

const shape = [29, 37, 23];
const float32 = nd.astype(nd.multiply(nd.random(shape, { seed: 11 }), 1000), "float32");
const uint16 = nd.astype(nd.multiply(nd.random(shape, { seed: 12 }), 60000), "uint16");
const float64 = nd.multiply(nd.random(shape, { seed: 13 }), 1000);
/** Many chunks per axis, irregular sizes, including chunks of 1 and 2 cells. */
const irregular = [[5, 9, 1, 8, 6], [7, 7, 7, 2, 7, 7], [4, 6, 3, 5, 5]];

const matrix = [[0.9, 0.3, -0.1], [-0.25, 1.1, 0.2], [0.05, -0.15, 0.8]];
const transforms = (mode: Mode, order: number): Array<{ fn: "zoom" | "shift" | "affineTransform"; options: Record<string, unknown> }> => [
  { fn: "zoom", options: { zoom: [1.6, 0.7, 1.3], order, mode, cval: 4.5 } },
  { fn: "zoom", options: { zoom: [0.45, 2.2, 1], order, mode, gridMode: true } },
  { fn: "shift", options: { shift: [2.5, -3.25, 9.6], order, mode, cval: -1 } },
  { fn: "affineTransform", options: { matrix, offset: [1.5, -3.2, 2.1], outputShape: [33, 38, 25], order, mode } },
  { fn: "affineTransform", options: { matrix: [0.8, -1.25, 1.5], offset: [3, 40, -2], order, mode } },
];

function lazy(fn: string, array: ta.Array, options: Record<string, unknown>): ta.Array {
  if (fn === "zoom") return ta.zoom(array, options as unknown as ndimage.ZoomOptions);
  if (fn === "shift") return ta.shift(array, options as unknown as ndimage.ShiftOptions);
  return ta.affineTransform(array, options as unknown as ndimage.AffineTransformOptions);
}

function eager(fn: string, input: nd.NDArray, options: Record<string, unknown>): nd.NDArray {
  if (fn === "zoom") return ndimage.zoom(input, options as unknown as ndimage.ZoomOptions);
  if (fn === "shift") return ndimage.shift(input, options as unknown as ndimage.ShiftOptions);
  return ndimage.affineTransform(input, options as unknown as ndimage.AffineTransformOptions);
}

describe("lazy zoom, shift and affineTransform", () => {
  it("order 0 and 1 equal scipy's whole-volume result bit for bit (irregular chunks)", async () => {
    const chunked = ta.fromArray(uint16, { chunks: irregular });
    const cases = [
      { fn: "zoom", options: { zoom: [1.6, 0.7, 1.3], order: 1, mode: "nearest" } },
      { fn: "shift", options: { shift: [2.5, -3.25, 9.6], order: 0, mode: "grid-wrap" } },
      { fn: "affineTransform", options: { matrix, offset: [1.5, -3.2, 2.1], outputShape: [33, 38, 25], order: 1, mode: "constant", cval: 7 } },
    ];
    for (const { fn, options } of cases) {
      assert.equal(differing(await lazy(fn, chunked, options).compute(), scipy(fn, uint16, options)), 0, `${fn} ${JSON.stringify(options)}`);
    }
  });

  for (const order of [0, 1]) {
    it(`order ${order}, every mode, many irregular chunks: equal to the whole-volume kernel bit for bit`, async () => {
      const chunked = ta.fromArray(float32, { chunks: irregular });
      const failures: string[] = [];
      for (const mode of modes) {
        for (const { fn, options } of transforms(mode, order)) {
          const count = differing(await lazy(fn, chunked, options).compute(), eager(fn, float32, options));
          if (count > 0) failures.push(`${fn} ${mode}: ${count} cells differ`);
        }
      }
      assert.deepEqual(failures, []);
    });
  }

  it("orders 2–5 with prefilter: false are exact too (only the taps' reach is read)", async () => {
    const chunked = ta.fromArray(float64, { chunks: [6, 8, 5] });
    for (const order of [2, 3, 4, 5]) {
      for (const mode of ["reflect", "grid-constant", "grid-wrap"] as Mode[]) {
        for (const { fn, options } of transforms(mode, order)) {
          const o = { ...options, prefilter: false };
          assert.equal(differing(await lazy(fn, chunked, o).compute(), eager(fn, float64, o)), 0, `${fn} order ${order} ${mode}`);
        }
      }
    }
  });

  it("orders 2–5 with the prefilter: within 1e-8 of the data's range of scipy (float64), one unit (uint16)", async () => {
    // Each block's window is prefiltered on its own, widened by dask-image's depth: the stated
    // approximation (module comment of src/array/ndimage-interpolation.ts).
    const range = 1000;
    const worst: Record<string, number> = {};
    const chunked = ta.fromArray(float64, { chunks: [10, 13, 8] });
    for (const order of [2, 3, 4, 5]) {
      // Each transform in two modes per order, all eight modes over the orders (all 160
      // combinations take minutes on this machine).
      for (const [m, mode] of modes.entries()) {
        for (const [t, { fn, options }] of transforms(mode, order).entries()) {
          if ((m + t + order) % 4 !== 0) continue;
          worst[`${fn} order ${order} ${mode}`] = worstGap(await lazy(fn, chunked, options).compute(), eager(fn, float64, options)) / range;
        }
      }
    }
    assert.equal(Object.keys(worst).length, 40);
    for (const [key, gap] of Object.entries(worst)) assert.ok(gap <= 1e-8, `${key}: worst gap ${gap} of the range`);
    const options = { zoom: [1.6, 0.7, 1.3], order: 3, mode: "mirror" as const };
    const integer = await ta.zoom(ta.fromArray(uint16, { chunks: irregular }), options).compute();
    assert.ok(worstGap(integer, scipy("zoom", uint16, options)) <= 1, "uint16 within one unit of scipy");
  });

  it("a deeper prefilter window is closer, one chunk is exact, and scipy agrees with the whole-volume kernel", async () => {
    const options = { matrix, offset: [1.5, -3.2, 2.1], order: 3, mode: "nearest" as const };
    const expected = scipy("affineTransform", float64, options);
    const chunked = ta.fromArray(float64, { chunks: [6, 8, 5] });
    const shallow = worstGap(await ta.affineTransform(chunked, { ...options, prefilterDepth: 4 }).compute(), expected);
    const deep = worstGap(await ta.affineTransform(chunked, { ...options, prefilterDepth: 30 }).compute(), expected);
    assert.ok(deep < shallow / 100, `depth 30 (${deep}) should be far closer than depth 4 (${shallow})`);
    assert.equal(differing(await ta.affineTransform(ta.fromArray(float64, { chunks: -1 }), options).compute(), expected), 0);
  });

  it("keeps the input's chunk size by default and honours outputChunks", () => {
    const chunked = ta.fromArray(float32, { chunks: [8, 10, 6] });
    const zoomed = ta.zoom(chunked, { zoom: 2, order: 1 });
    assert.deepEqual(zoomed.shape, [58, 74, 46]);
    assert.deepEqual(zoomed.chunksize, [8, 10, 6]);
    assert.deepEqual(ta.zoom(chunked, { zoom: 2, order: 1, outputChunks: [20, 40, 46] }).chunks, [[20, 20, 18], [40, 34], [46]]);
    assert.equal(ta.shift(chunked, { shift: 1 }).dtype, "float32");
    assert.equal(ta.zoom(chunked, { zoom: 2, output: "uint8" }).dtype, "uint8");
    // A 2-D plane through the volume: rows are input axes, columns output axes.
    assert.deepEqual(ta.affineTransform(chunked, { matrix: [[1, 0], [0, 1], [0.5, 0.5]], outputShape: [9, 9] }).shape, [9, 9]);
  });

  it("each output block reads only the input blocks under its window", () => {
    const chunked = ta.fromArray(float32, { chunks: [4, 4, 4] });
    const zoomed = ta.zoom(chunked, { zoom: 2, order: 1, outputChunks: [8, 8, 8] });
    const { graph } = lowerArrays([zoomed], () => false, (node) => (node as ta.Array).blockKeys());
    const inputBlocks = new Set<string>();
    let widest = 0;
    for (const task of graph.tasks.values()) {
      const reads = task.deps.filter((dep) => dep.includes("array-"));
      for (const dep of reads) inputBlocks.add(dep);
      widest = Math.max(widest, reads.length);
    }
    assert.ok(inputBlocks.size > 100, "the input has many blocks");
    // 8 output cells of a 2× zoom span about 4 input cells plus a tap: at most 3 blocks of 4 per axis.
    assert.ok(widest > 0 && widest <= 27, `a task read ${widest} input blocks; a 2× zoom block needs at most 3 per axis`);
  });

  it("transforms zero-size arrays as scipy does (an empty axis stays one empty chunk)", async () => {
    const empty = nd.zeros([0, 5], "float32");
    const x = ta.fromArray(empty, { chunks: [2, 2] });
    const cases: Array<[string, ta.Array, string]> = [
      ["zoom", ta.zoom(x, { zoom: 2, order: 1 }), "ndi.zoom(empty, 2, order=1)"],
      ["shift", ta.shift(x, { shift: 1.5 }), "ndi.shift(empty, 1.5)"],
      ["affineTransform", ta.affineTransform(x, { matrix: [1, 2] }), "ndi.affine_transform(empty, [1, 2])"],
      ["affineTransform into a non-empty output", ta.affineTransform(x, { matrix: [1, 1], outputShape: [2, 3] }), "ndi.affine_transform(empty, [1, 1], output_shape=(2, 3))"],
      ["zoom of a (3, 0, 4) uint16", ta.zoom(ta.fromArray(nd.zeros([3, 0, 4], "uint16"), { chunks: 2 }), { zoom: [2, 3, 0.5] }), "ndi.zoom(np.zeros((3, 0, 4), 'u2'), [2, 3, 0.5])"],
    ];
    const reference = evaluatePython({ empty }, Object.fromEntries(cases.map(([label, , python]) => [label, python])));
    for (const [label, lazy] of cases) assertSameArray(await lazy.compute(), reference[label].array as nd.NDArray, label);
  });

  it("refuses options that belong to the blocks, misplaced prefilterDepth, and bad options before running", () => {
    const chunked = ta.fromArray(float32, { chunks: 8 });
    const refuses = (run: () => unknown, pattern: RegExp): void => {
      assert.throws(run, (error: Error) => error.name === "InvalidOptionError" && pattern.test(error.message), String(pattern));
    };
    refuses(() => ta.zoom(chunked, { zoom: 2, outputRegion: { start: [0, 0, 0], stop: [1, 1, 1] } }), /takes no outputRegion/);
    refuses(() => ta.shift(chunked, { shift: 1, inputWindow: { origin: [0, 0, 0], arrayShape: shape } }), /takes no inputWindow/);
    refuses(() => ta.zoom(chunked, { zoom: 2, order: 1, prefilterDepth: 5 }), /prefilterDepth applies only with the prefilter .* order 1/);
    refuses(() => ta.zoom(chunked, { zoom: 2, prefilter: false, prefilterDepth: 5 }), /prefilterDepth applies only .* prefilter false/);
    refuses(() => ta.zoom(chunked, { zoom: 2, prefilterDepth: -1 }), /prefilterDepth -1/);
    refuses(() => ta.zoom(chunked, { zoom: 0 }), /zoom 0 must be > 0/);
    refuses(() => ta.affineTransform(chunked, { matrix: [[1, 0], [0, 1]] }), /matrix \[2, 2\]/);
    refuses(() => ta.shift(chunked, { shift: 1, mode: "edge" as Mode }), /mode "edge"/);
    refuses(() => ta.zoom(chunked, { zoom: 2, output: "float16" as never }), /output dtype "float16"/);
    refuses(() => ta.zoom(float32 as unknown as ta.Array, { zoom: 2 }), /needs a tessera Array; for an NDArray use ndimage.zoom/);
    // A misspelt key used to be ignored: prefliter: false prefiltered anyway.
    const typo = { prefliter: false } as Record<string, unknown>;
    refuses(() => ta.zoom(chunked, { zoom: 2, order: 3, ...typo }), /zoom: unknown option "prefliter" \(did you mean prefilter\?\); zoom takes zoom, gridMode, order, mode, cval, prefilter/);
    refuses(() => ta.shift(chunked, { shift: 1, ...typo }), /shift: unknown option "prefliter"/);
    refuses(() => ta.affineTransform(chunked, { matrix: [1, 1, 1], ...typo }), /affineTransform: unknown option "prefliter"/);
    refuses(() => ta.mapCoordinates(chunked, nd.zeros([3, 2]), { order: 3, ...typo }), /mapCoordinates: unknown option "prefliter"/);
  });
});

describe("lazy interpolation on a LocalCluster", () => {
  const client = useCluster2x1();

  it("zoom and affineTransform on two workers equal scipy's whole-volume result", async () => {
    const store = path.join(directory, "volume.zarr");
    await ta.fromArray(uint16, { chunks: [8, 8, 8] }).toZarr(store, { executor: new LocalExecutor() });
    const chunked = (await ta.fromZarr(store)).rechunk(irregular);
    const zoomOptions = { zoom: [1.6, 0.7, 1.3], order: 1, mode: "reflect" as const };
    const affineOptions = { matrix, offset: [1.5, -3.2, 2.1], order: 0, mode: "grid-wrap" as const };
    const [zoomed, transformed] = await ta.compute([ta.zoom(chunked, zoomOptions), ta.affineTransform(chunked, affineOptions)], { executor: client() });
    assert.equal(differing(zoomed, scipy("zoom", uint16, zoomOptions)), 0);
    assert.equal(differing(transformed, scipy("affineTransform", uint16, affineOptions)), 0);
  });
});
