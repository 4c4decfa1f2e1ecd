import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client, LocalCluster } from "../../src/index.js";
import * as ta from "../../src/array/index.js";
import * as ndimage from "../../src/ndimage/index.js";
import { NDArray } from "../../src/ndarray/ndarray.js";
import { lowerArrays } from "../../src/array/lower.js";
import { seededRandom } from "../ndimage/helpers.js";

const script = fileURLToPath(new URL("../../../test/fixtures/ndimage/label_volume.py", import.meta.url));
let dir: string;

/** scipy.ndimage.label of the whole volume (Debian's scipy, run now). */
function scipyLabel(volume: NDArray, connectivity: number): { labels: Int32Array; count: number } {
  const input = join(dir, "volume.bin");
  const output = join(dir, "labels.bin");
  writeFileSync(input, volume.toTypedArray() as Uint8Array);
  const count = Number(execFileSync("/usr/bin/python3", [script, input, volume.shape.join(","), String(connectivity), output], { encoding: "utf8" }).trim());
  const bytes = readFileSync(output);
  return { labels: new Int32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)), count };
}

/** A mask of smoothed noise: objects of many sizes that cross many blocks. */
function blobs(shape: number[], density: number, seed: number): NDArray {
  const random = seededRandom(seed);
  const noise = new NDArray(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random()), shape);
  const smooth = ndimage.uniformFilter(noise, { size: 3 }).data as Float32Array;
  const sorted = Float32Array.from(smooth).sort();
  const threshold = sorted[Math.floor(density * sorted.length)];
  return new NDArray(Uint8Array.from(smooth, (v) => (v < threshold ? 1 : 0)), shape, { dtype: "uint8" });
}

/** Fails unless `ours` maps one-to-one onto scipy's labels (0 onto 0) and uses exactly 1…count. */
function assertRelabelling(ours: Int32Array, theirs: Int32Array, count: number): void {
  const forward = new Map<number, number>();
  const backward = new Map<number, number>();
  for (let i = 0; i < ours.length; i++) {
    const a = ours[i];
    const b = theirs[i];
    if ((a === 0) !== (b === 0)) assert.fail(`cell ${i}: label ${a} where scipy has ${b}`);
    if (forward.has(a) && forward.get(a) !== b) assert.fail(`label ${a} covers scipy labels ${forward.get(a)} and ${b}`);
    if (backward.has(b) && backward.get(b) !== a) assert.fail(`scipy label ${b} is split into ${backward.get(b)} and ${a}`);
    forward.set(a, b);
    backward.set(b, a);
  }
  const used = [...forward.keys()].filter((l) => l !== 0).sort((x, y) => x - y);
  assert.equal(used.length, count, "one label per scipy component");
  assert.deepEqual(used, Array.from({ length: count }, (_, i) => i + 1), "labels are consecutive from 1");
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), "tessera-label-"));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe("label on chunked arrays equals scipy's label of the whole volume", () => {
  const cases: Array<{ what: string; shape: number[]; chunks: ta.ChunkSpec; density: number; connectivity: number }> = [
    { what: "4×4×4 blocks, faces", shape: [24, 28, 32], chunks: [6, 7, 8], density: 0.5, connectivity: 1 },
    { what: "4×4×4 blocks, full connectivity (edges and corners)", shape: [24, 28, 32], chunks: [6, 7, 8], density: 0.35, connectivity: 3 },
    { what: "4×4×4 blocks, connectivity 2", shape: [24, 28, 32], chunks: [6, 7, 8], density: 0.3, connectivity: 2 },
    { what: "irregular chunks", shape: [21, 30, 17], chunks: [[5, 1, 9, 6], [3, 12, 2, 13], [17]], density: 0.45, connectivity: 3 },
    { what: "one-cell chunks along an axis", shape: [9, 10, 11], chunks: [1, 5, 4], density: 0.5, connectivity: 1 },
    { what: "a single chunk", shape: [12, 13, 14], chunks: [12, 13, 14], density: 0.5, connectivity: 3 },
    { what: "2-D, many blocks", shape: [64, 70], chunks: [9, 8], density: 0.55, connectivity: 2 },
    { what: "1-D", shape: [200], chunks: [7], density: 0.5, connectivity: 1 },
    { what: "sparse, full connectivity", shape: [30, 30, 30], chunks: [8, 8, 8], density: 0.1, connectivity: 3 },
    { what: "many blocks per axis (8×9×11 blocks), faces", shape: [40, 36, 44], chunks: [5, 4, 4], density: 0.5, connectivity: 1 },
    { what: "many blocks per axis (8×9×11 blocks), full connectivity", shape: [40, 36, 44], chunks: [5, 4, 4], density: 0.3, connectivity: 3 },
    { what: "one-cell chunks along every axis", shape: [6, 7, 5], chunks: [1, 1, 1], density: 0.4, connectivity: 3 },
    { what: "empty chunks between others", shape: [20, 18], chunks: [[0, 7, 0, 13], [5, 0, 13, 0]], density: 0.5, connectivity: 2 },
    // Blocks whose faces exceed smallFaceBytes: a task per layer, rims for edges and corners.
    { what: "large blocks (a task per layer), faces", shape: [40, 72, 72], chunks: [20, 36, 36], density: 0.5, connectivity: 1 },
    { what: "large blocks (a task per layer), full connectivity", shape: [40, 72, 72], chunks: [20, 36, 36], density: 0.3, connectivity: 3 },
  ];
  for (const c of cases) {
    it(c.what, async () => {
      const volume = blobs(c.shape, c.density, c.shape.length * 31 + c.connectivity);
      const structure = ndimage.generateBinaryStructure(volume.ndim, c.connectivity);
      const [labels, count] = ta.ndimage.label(ta.fromArray(volume, { chunks: c.chunks }), { structure });
      assert.equal(labels.dtype, "int32");
      const [computed, n] = await ta.compute([labels, count]);
      const expected = scipyLabel(volume, c.connectivity);
      assert.equal(n.item(), expected.count, "number of components");
      assertRelabelling(computed.toTypedArray() as Int32Array, expected.labels, expected.count);
      assert.deepEqual(computed.toTypedArray(), expected.labels, "and the numbering is scipy's (components by first cell)");
    });
  }

  it("joins components that touch only at block corners and edges (diagonal lines through the corners)", async () => {
    // Cells (i, i, i) and (i, 11 − i, i): each a line of corner-touching cells that crosses the
    // corner shared by 8 blocks of 4³ and the edges between blocks.
    const volume = new NDArray(new Uint8Array(12 ** 3), [12, 12, 12], { dtype: "uint8" });
    const cells = volume.data as Uint8Array;
    for (let i = 0; i < 12; i++) {
      cells[i * 144 + i * 12 + i] = 1;
      cells[i * 144 + (11 - i) * 12 + i] = 1;
    }
    for (const connectivity of [1, 2, 3]) {
      const structure = ndimage.generateBinaryStructure(3, connectivity);
      const [labels, count] = ta.ndimage.label(ta.fromArray(volume, { chunks: 4 }), { structure });
      const [computed, n] = await ta.compute([labels, count]);
      const expected = scipyLabel(volume, connectivity);
      assert.equal(n.item(), expected.count, `connectivity ${connectivity}: number of components`);
      assert.deepEqual(computed.toTypedArray(), expected.labels, `connectivity ${connectivity}: scipy's labels`);
    }
  });

  it("labels a 0-d array and an empty array as scipy does", async () => {
    for (const value of [0, 7]) {
      const [labels, count] = ta.ndimage.label(ta.fromArray(new NDArray(Uint8Array.of(value), [], { dtype: "uint8" })));
      const [computed, n] = await ta.compute([labels, count]);
      assert.deepEqual([computed.shape, Array.from(computed.toTypedArray() as Int32Array), n.item()], [[], [value ? 1 : 0], value ? 1 : 0]);
    }
    const [labels, count] = ta.ndimage.label(ta.fromArray(new NDArray(new Uint8Array(0), [0, 5], { dtype: "uint8" })));
    const [computed, n] = await ta.compute([labels, count]);
    assert.deepEqual([computed.shape, n.item()], [[0, 5], 0]);
  });

  it("labels a bool array as its 0/1 cells", async () => {
    const volume = blobs([16, 18, 20], 0.45, 7);
    const mask = new NDArray(Uint8Array.from(volume.toTypedArray() as Uint8Array), volume.shape, { dtype: "bool" });
    const [labels, count] = ta.ndimage.label(ta.fromArray(mask, { chunks: [5, 6, 7] }));
    const [computed, n] = await ta.compute([labels, count]);
    const expected = scipyLabel(volume, 1);
    assert.equal(n.item(), expected.count);
    assert.deepEqual(computed.toTypedArray(), expected.labels);
  });

  /** Which tasks read each task, after fusion. */
  function readersOf(graph: ReturnType<typeof lowerArrays>["graph"]): Map<string, string[]> {
    const readers = new Map<string, string[]>();
    for (const task of graph.tasks.values()) for (const dep of task.deps) readers.set(dep, [...(readers.get(dep) ?? []), task.key]);
    return readers;
  }

  for (const { what, volume, chunks } of [
    { what: "large blocks (32³)", volume: new NDArray(new Uint8Array(128 ** 3), [128, 128, 128], { dtype: "uint8" }), chunks: 32 },
    { what: "small blocks (4³)", volume: blobs([16, 16, 16], 0.5, 3), chunks: 4 },
  ]) {
    it(`moves only summaries and facing layers: after fusion no task of another block reads a labelled block (${what})`, () => {
      const [labels, count] = ta.ndimage.label(ta.fromArray(volume, { chunks }), { structure: ndimage.generateBinaryStructure(3, 3) });
      const { graph } = lowerArrays([labels, count], () => false, (node) => (node as ta.Array).blockKeys());
      const readers = readersOf(graph);
      const locals = [...graph.tasks.keys()].filter((key) => key.includes("-local-"));
      assert.equal(locals.length, 64, "one labelled block per input block, each a task of its own");
      for (const local of locals) {
        const index = local.slice(local.indexOf("-local-") + "-local-".length);
        const users = readers.get(local) ?? [];
        const own = (key: string): boolean => key.endsWith(`-summary-${index}`) || key.includes(`-layer-${index}-`) || key.endsWith(`-rim-${index}`) || key.endsWith(`-faces-${index}`) || key === `('${labels.name}', ${index.split(".").join(", ")})`;
        assert.deepEqual(users.filter((key) => !own(key)), [], `${local} is read only by its own summary, layers or faces, and relabelling`);
        assert.ok(users.some((key) => key.includes("-summary-")), `${local}: its summary is a task of its own`);
      }
      for (const layer of [...graph.tasks.keys()].filter((key) => key.includes("-layer-"))) {
        const users = readers.get(layer) ?? [];
        assert.ok(users.length === 1 && users[0].includes("-boundary-"), `${layer} is read by one boundary task, got ${users.join(", ")}`);
      }
      for (const rim of [...graph.tasks.keys()].filter((key) => key.includes("-rim-"))) {
        const users = readers.get(rim) ?? [];
        assert.ok(users.length > 0 && users.every((key) => key.includes("-diagonal-")), `${rim} is read by diagonal tasks only, got ${users.join(", ")}`);
      }
      for (const faces of [...graph.tasks.keys()].filter((key) => key.includes("-faces-"))) {
        const users = readers.get(faces) ?? [];
        assert.ok(users.length > 0 && users.every((key) => key.includes("-contacts-")), `${faces} is read by contacts tasks only, got ${users.join(", ")}`);
      }
    });
  }

  it("gives small blocks 5 tasks each (label, summary, faces, contacts, relabel), not a task per layer", () => {
    // 8×9×11 blocks of 5×4×4, full connectivity: every face, edge and corner is a contact.
    const chunked = ta.fromArray(blobs([40, 36, 44], 0.3, 5), { chunks: [5, 4, 4] });
    const [labels, count] = ta.ndimage.label(chunked, { structure: ndimage.generateBinaryStructure(3, 3) });
    const { graph } = lowerArrays([labels, count], () => false, (node) => (node as ta.Array).blockKeys());
    const keys = [...graph.tasks.keys()];
    const blocks = 8 * 9 * 11;
    const kind = (part: string): number => keys.filter((key) => key.includes(`-${part}-`)).length;
    assert.deepEqual([kind("layer"), kind("boundary"), kind("rim"), kind("diagonal")], [0, 0, 0, 0], "no task per layer or contact");
    assert.equal(kind("faces"), blocks, "one faces task per block");
    // Every block but the last along every axis has a later neighbour across a face, edge or corner.
    assert.equal(kind("contacts"), blocks - 1, "one contacts task per block with a later neighbour");
    assert.ok(keys.length <= 5 * blocks + 3, `${keys.length} tasks for ${blocks} blocks`);
    const readers = readersOf(graph);
    const merge = `('${labels.name.replace("label-", "label-merge-")}',)`;
    for (const key of keys.filter((k) => k.includes("-contacts-"))) {
      const index = key.slice(key.indexOf("-contacts-") + "-contacts-".length).split(".").map(Number);
      const read = graph.tasks.get(key)!.deps.map((dep) => dep.slice(dep.indexOf("-faces-") + "-faces-".length).split(".").map(Number));
      assert.ok(read.every((other) => other.every((i, a) => i - index[a] >= -1 && i - index[a] <= 1)), `${key} reads the faces of its own block and its neighbours only`);
      assert.deepEqual(readers.get(key), [merge], `${key} is read by the merge only`);
    }
  });

  it("sends the merge label pairs, not faces: its inputs are the summaries, one task per face between blocks and one per block for its edges and corners", () => {
    // 4×4×4 blocks of 32³, full connectivity: 144 faces between blocks; every block but the 4
    // of the last row along the first two axes has a later neighbour across an edge or corner.
    const volume = new NDArray(new Uint8Array(128 ** 3), [128, 128, 128], { dtype: "uint8" });
    const [labels, count] = ta.ndimage.label(ta.fromArray(volume, { chunks: 32 }), { structure: ndimage.generateBinaryStructure(3, 3) });
    const { graph } = lowerArrays([labels, count], () => false, (node) => (node as ta.Array).blockKeys());
    const merge = graph.tasks.get(`('${labels.name.replace("label-", "label-merge-")}',)`);
    assert.ok(merge, "one merge task");
    const boundaries = merge.deps.filter((key) => key.includes("-boundary-"));
    const diagonals = merge.deps.filter((key) => key.includes("-diagonal-"));
    const summaries = merge.deps.filter((key) => key.includes("-summary-"));
    assert.deepEqual([summaries.length, boundaries.length, diagonals.length, merge.deps.length], [64, 144, 60, 64 + 144 + 60], "the merge reads summaries and pair tasks only");
    const outputBytes = (key: string): number => (graph.tasks.get(key) as unknown as { outputBytes: number }).outputBytes;
    const pairBytes = [...boundaries, ...diagonals].reduce((sum, key) => sum + outputBytes(key), 0);
    const faceBytes = 144 * 2 * 32 * 32 * 4;
    assert.ok(pairBytes * 3 < faceBytes, `the merge's pair inputs are estimated at ${pairBytes} bytes, the faces they replace are ${faceBytes}`);
    for (const key of boundaries) {
      const layers = graph.tasks.get(key)!.deps;
      assert.ok(layers.every((layer) => layer.includes("-layer-")), `${key} reads layers`);
      assert.equal(layers.reduce((sum, layer) => sum + outputBytes(layer) / 4, 0), 2 * 32 * 32, `${key} reads the facing layer of each block, no more`);
    }
    for (const key of diagonals) {
      const rims = graph.tasks.get(key)!.deps;
      assert.ok(rims.every((rim) => rim.includes("-rim-")) && rims.length <= 11, `${key} reads its own rim and its later neighbours' (${rims.length})`);
      // A rim holds lines and cells: at most 12 edges and 8 corners of a 32³ block.
      for (const rim of rims) assert.ok(outputBytes(rim) <= (12 * 32 + 8) * (4 + 64), `${rim}: ${outputBytes(rim)} bytes`);
    }
  });

  it("refuses a structure that is not symmetric or not 3 wide, before building the graph", () => {
    const chunked = ta.fromArray(blobs([8, 8], 0.5, 1), { chunks: 4 });
    assert.throws(() => ta.ndimage.label(chunked, { structure: [[0, 1, 0], [1, 1, 1], [0, 1, 1]] }), /symmetric/);
    assert.throws(() => ta.ndimage.label(chunked, { structure: [[1, 1], [1, 1]] }), /must be 3 along every axis/);
    assert.throws(() => ta.ndimage.label(chunked, { connectivity: 2 } as never),
      /label: unknown option "connectivity" \(skimage's name: pass a structure instead, e\.g\. \{ structure: generateBinaryStructure\(2, 2\) \}.*; label takes structure/);
    assert.throws(() => ta.ndimage.label(chunked, { output: "int32" } as never), /label: unknown option "output" \(scipy's output array/);
  });
});

describe("label on a cluster (2 workers)", () => {
  let cluster: LocalCluster;
  let client: Client;
  const volume = blobs([32, 40, 36], 0.4, 99);
  let path: string;
  before(async () => {
    // Written with the local executor, before a client becomes the default one.
    path = join(dir, "mask.zarr");
    await ta.fromArray(volume, { chunks: [8, 10, 9] }).toZarr(path);
    cluster = await LocalCluster.start({ nWorkers: 2, threadsPerWorker: 1, dashboardAddress: false });
    client = await Client.connect(cluster);
  });
  after(async () => {
    await client?.close();
    await cluster?.close();
  });

  it("gives scipy's labels with blocks spread over workers (Zarr input, 4×4×4 blocks)", async () => {
    const [labels, count] = ta.ndimage.label(await ta.fromZarr(path), { structure: ndimage.generateBinaryStructure(3, 3) });
    const [computed, n] = await ta.compute([labels, count], { executor: client });
    const expected = scipyLabel(volume, 3);
    assert.equal(n.item(), expected.count);
    assertRelabelling(computed.toTypedArray() as Int32Array, expected.labels, expected.count);
  });

  it("gives scipy's labels with large blocks (a task per layer and rims) spread over workers", async () => {
    const large = blobs([48, 60, 64], 0.45, 11);
    const [labels, count] = ta.ndimage.label(ta.fromArray(large, { chunks: [24, 30, 32] }), { structure: ndimage.generateBinaryStructure(3, 2) });
    const [computed, n] = await ta.compute([labels, count], { executor: client });
    const expected = scipyLabel(large, 2);
    assert.equal(n.item(), expected.count);
    assert.deepEqual(computed.toTypedArray(), expected.labels, "scipy's numbering");
  });

  it("gives scipy's labels for irregular chunks, many blocks per axis, persisted on the workers first", async () => {
    const chunked = ta.fromArray(volume, { chunks: [[3, 9, 1, 11, 8], [10, 4, 4, 12, 10], [5, 5, 5, 5, 5, 5, 6]] });
    const [labels, count] = ta.ndimage.label(chunked);
    const [kept] = await ta.persist([labels], { executor: client });
    const [computed, n] = await ta.compute([kept, count], { executor: client });
    const expected = scipyLabel(volume, 1);
    assert.equal(n.item(), expected.count);
    assert.deepEqual(computed.toTypedArray(), expected.labels, "scipy's numbering");
  });
});
