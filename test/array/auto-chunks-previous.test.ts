/**
 * "auto" chunks next to an array's own chunks (src/array/auto-chunks-previous.ts) equal Dask
 * 2022.12's normalize_chunks with previous_chunks: what from_array of an HDF5/Zarr dataset and
 * rechunk("auto") give. Found: a (300, 200, 100) float64 dataset stored in (7, 50, 100) chunks
 * read with 256 KiB blocks gave (28, 31, 31) here and (6, 50, 100) in Dask.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";
import { normalizeChunks, type ChunkSpec } from "../../src/array/chunks.js";
import { dtypeInfo, type DType } from "../../src/ndarray/dtype.js";
import { evaluatePython } from "./python-eval.js";

interface Case { spec: ChunkSpec; shape: number[]; dtype: DType; limit: number; previous: number[][]; python: string }

const regular = (length: number, size: number): number[] => Array.from({ length: Math.ceil(length / size) }, (_, i) => Math.min(size, length - i * size));
const py = (values: unknown): string => JSON.stringify(values).replace(/\[/g, "(").replace(/\]/g, ",)").replace(/,,\)/g, ",)");

const cases: Case[] = [
  { spec: "auto", shape: [300, 200, 100], dtype: "float64", limit: 262144, previous: [regular(300, 7), regular(200, 50), [100]], python: "" },
  { spec: "auto", shape: [300, 200, 100], dtype: "uint16", limit: 262144, previous: [regular(300, 16), regular(200, 16), regular(100, 16)], python: "" },
  { spec: "auto", shape: [1000, 5000], dtype: "float64", limit: 128 * 2 ** 20, previous: [regular(1000, 10), regular(5000, 1000)], python: "" },
  { spec: ["auto", -1, 5], shape: [640, 30, 20], dtype: "float32", limit: 2 ** 20, previous: [regular(640, 64), regular(30, 30), regular(20, 5)], python: "" },
  { spec: "auto", shape: [10, 4000], dtype: "int32", limit: 65536, previous: [[3, 3, 3, 1], regular(4000, 333)], python: "" },
  { spec: "auto", shape: [64, 256, 256], dtype: "uint16", limit: 2 ** 20, previous: [regular(64, 64), regular(256, 256), regular(256, 256)], python: "" },
  { spec: "auto", shape: [2000, 3], dtype: "uint8", limit: 1000, previous: [[500, 700, 800], [1, 2]], python: "" },
  { spec: ["auto", "auto"], shape: [0, 50], dtype: "float64", limit: 4096, previous: [[0], regular(50, 10)], python: "" },
];

describe("auto chunks with the array's previous chunks", () => {
  const expressions = Object.fromEntries(cases.map((c, i) => {
    const spec = typeof c.spec === "string" ? JSON.stringify(c.spec) : py(c.spec);
    const prev = `(${c.previous.map((sizes) => py(sizes)).join(", ")},)`;
    const call = `da.core.normalize_chunks(${spec}, ${py(c.shape)}, limit=${c.limit}, dtype=np.dtype("${dtypeInfo(c.dtype).numpy}"), previous_chunks=${prev})`;
    return [`c${i}`, `np.array([len(c) for c in ${call}] + [x for c in ${call} for x in c], dtype=np.int64)`];
  }));
  const python = evaluatePython({ unused: nd.zeros([1]) }, expressions);

  for (const [i, c] of cases.entries()) {
    it(`${JSON.stringify(c.spec)} of shape [${c.shape.join(", ")}] ${c.dtype}, limit ${c.limit} B, previous chunks of sizes ${c.previous.map((s) => s[0]).join(" × ")}`, () => {
      const expected = python[`c${i}`];
      assert.equal(expected.error, undefined, `Dask raised ${expected.error}`);
      const flat = Array.from(expected.array!.toTypedArray() as BigInt64Array, Number);
      const counts = flat.slice(0, c.shape.length);
      let at = c.shape.length;
      const daskChunks = counts.map((n) => flat.slice(at, (at += n)));
      assert.deepEqual(normalizeChunks(typeof c.spec === "string" ? `${c.limit}B` : (c.spec as unknown[]).map((s) => (s === "auto" ? `${c.limit}B` : s)) as ChunkSpec, c.shape, dtypeInfo(c.dtype).itemsize, c.previous).map((sizes) => [...sizes]), daskChunks);
    });
  }
});
