// binaryFillHoles on chunked arrays (issue 12 item 3) against scipy 1.10's binary_fill_holes of
// the whole volume, run at test time: blob masks with many enclosed pockets and background that
// leaves through the faces, every structure the chunked version takes (including one that sees
// outside along one axis only), bool and uint8 input, regular, irregular and single chunks.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as ta from "../../src/array/index.js";
import { lowerArrays } from "../../src/array/lower.js";
import { packPayload } from "../../src/protocol/payload.js";
import * as nd from "../../src/ndarray/index.js";
import * as ndimage from "../../src/ndimage/index.js";
import { randomArray, seededRandom } from "../ndimage/helpers.js";
import { assertSameArray, evaluatePython } from "./python-eval.js";

/** Smoothed noise above a low threshold: mostly foreground, with background pockets and channels. */
function blobs(shape: number[], seed: number, threshold: number): nd.NDArray {
  return nd.greater(ndimage.uniformFilter(randomArray(shape, "float32", seededRandom(seed)), { size: 3 }), threshold);
}

const volume = blobs([15, 18, 13], 160, 88);
const plane = nd.astype(blobs([23, 19], 161, 85), "uint8");
const chunkings: ta.ChunkSpec[] = [[4, 5, 3], [[6, 1, 8], [2, 9, 7], [13]], -1];
const planeChunkings: ta.ChunkSpec[] = [[5, 4], [[1, 10, 12], [7, 1, 11]], -1];

const structures: Array<[string, nd.NDArray | number[][][] | undefined, string]> = [
  ["default (faces)", undefined, "None"],
  ["edges", ndimage.generateBinaryStructure(3, 2), "ndi.generate_binary_structure(3, 2)"],
  ["full box", ndimage.generateBinaryStructure(3, 3), "ndi.generate_binary_structure(3, 3)"],
];
const planeStructures: Array<[string, number[][] | undefined, string]> = [
  ["default (faces)", undefined, "None"],
  ["rows only (sees outside along axis 1 only)", [[0, 0, 0], [1, 1, 1], [0, 0, 0]], "np.array([[0, 0, 0], [1, 1, 1], [0, 0, 0]])"],
  ["diagonals and centre", [[1, 0, 1], [0, 1, 0], [1, 0, 1]], "np.array([[1, 0, 1], [0, 1, 0], [1, 0, 1]])"],
];

describe("lazy binaryFillHoles equals scipy's binary_fill_holes of the whole array", () => {
  it("fills the pockets of a 3-d bool mask for every structure and chunking", async () => {
    const reference = evaluatePython({ volume }, Object.fromEntries(structures.map(([, , python], i) => [`s${i}`, `ndi.binary_fill_holes(volume, structure=${python})`])));
    for (const [i, [name, structure]] of structures.entries()) {
      const expected = reference[`s${i}`].array as nd.NDArray;
      const filled = Number(nd.sum(nd.notEqual(expected, volume)).item());
      assert.ok(filled > 0 && Number(nd.sum(expected).item()) < expected.size, `${name}: the mask has holes to fill and background that leaves`);
      for (const chunks of chunkings) {
        const lazy = await ta.ndimage.binaryFillHoles(ta.fromArray(volume, { chunks }), structure === undefined ? {} : { structure });
        assert.deepEqual(lazy.chunks, ta.fromArray(volume, { chunks }).chunks, "the mask's chunks");
        assertSameArray(await lazy.compute(), expected, `${name}, chunks ${JSON.stringify(chunks)}`);
      }
    }
  });

  it("fills a 2-d uint8 mask (nonzero is foreground) for structures that see outside along some axes only", async () => {
    const reference = evaluatePython({ plane }, Object.fromEntries(planeStructures.map(([, , python], i) => [`s${i}`, `ndi.binary_fill_holes(plane, structure=${python})`])));
    for (const [i, [name, structure]] of planeStructures.entries()) {
      const expected = reference[`s${i}`].array as nd.NDArray;
      assert.ok(Number(nd.sum(nd.notEqual(expected, nd.astype(plane, "bool"))).item()) > 0, `${name}: something is filled`);
      for (const chunks of planeChunkings) {
        const lazy = await ta.ndimage.binaryFillHoles(ta.fromArray(plane, { chunks }), structure === undefined ? {} : { structure });
        assertSameArray(await lazy.compute(), expected, `${name}, chunks ${JSON.stringify(chunks)}`);
      }
    }
  });

  it("fills a zero-size array and an array with no background as scipy does", async () => {
    const empty = nd.zeros([0, 4], "bool");
    const full = nd.ones([5, 6], "bool");
    const reference = evaluatePython({ empty, full }, { empty: "ndi.binary_fill_holes(empty)", full: "ndi.binary_fill_holes(full)" });
    assertSameArray(await (await ta.ndimage.binaryFillHoles(ta.fromArray(empty, { chunks: 2 }))).compute(), reference.empty.array as nd.NDArray, "empty");
    assertSameArray(await (await ta.ndimage.binaryFillHoles(ta.fromArray(full, { chunks: 2 }))).compute(), reference.full.array as nd.NDArray, "full");
  });

  it("refuses what the chunked version does not do, naming it", async () => {
    const x = ta.fromArray(volume, { chunks: 5 });
    await assert.rejects(ta.ndimage.binaryFillHoles(x, { origin: 1 } as never), /binaryFillHoles: origin is not supported on chunked arrays/);
    await assert.rejects(ta.ndimage.binaryFillHoles(x, { structure: [[[0, 0, 0], [0, 0, 0], [0, 0, 0]], [[0, 1, 0], [1, 0, 1], [0, 1, 0]], [[0, 0, 0], [0, 0, 0], [0, 0, 0]]] }), /a structure without its centre/);
    await assert.rejects(ta.ndimage.binaryFillHoles(x, { structure: [[[1, 1]]] }), /3 along every axis|symmetric/);
    await assert.rejects(ta.ndimage.binaryFillHoles(x, { iterations: 2 } as never), /binaryFillHoles: unknown option "iterations"/);
    await assert.rejects(ta.ndimage.binaryFillHoles(volume as never), /needs a tessera array; for an NDArray use ndimage.binaryFillHoles/);
  });
});

describe("binaryFillHoles with many face labels", () => {
  it("shares 2 048 seed labels as one task every block reads, and fills as scipy does", async () => {
    // Columns alternate foreground and background: 2 048 background stripes reach the top and
    // bottom faces (seeds), and each has a hole-free interior except where a bar closes one off.
    const rows = 64;
    const cols = 4096;
    const data = new Uint8Array(rows * cols);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) data[r * cols + c] = c % 2 === 0 || ((r === 10 || r === 20) && c % 64 === 33) ? 1 : 0;
    const mask = new nd.NDArray(data, [rows, cols], { dtype: "bool" });
    const expected = evaluatePython({ mask }, { filled: "ndi.binary_fill_holes(mask)" }).filled.array as nd.NDArray;
    const filled = await ta.ndimage.binaryFillHoles(ta.fromArray(mask, { chunks: [16, 256] }));
    const { graph } = lowerArrays([filled], () => false, (node) => (node as ta.Array).blockKeys(), Infinity);
    let fillBytes = 0;
    let fillTasks = 0;
    for (const task of graph.tasks.values()) {
      if (!String(task.key).startsWith(`('${filled.name}'`)) continue;
      fillTasks++;
      fillBytes += JSON.stringify(packPayload(task.args, [])).length;
    }
    assert.equal(fillTasks, 64, "one fill task per block");
    // 2 048 seeds are over 8 kB packed: a task holding them would pass 1 kB on its own.
    assert.ok(fillBytes < 64 * 1024, `the 64 fill tasks pack to ${fillBytes} bytes: the seeds must not be inside each`);
    assertSameArray(await filled.compute(), expected, "fill holes with 2 048 seeds over 64 blocks");
  });
});
