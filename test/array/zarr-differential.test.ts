// Seeded differential test of fromZarr against zarr-python 2.13: random arrays (every dtype in
// both byte orders, 0-3 axes with partial edge chunks and zero-length axes, C and F order, "."
// and "/" keys, fill values NaN, ±inf, −0 and integer extremes, missing chunks, every
// compressor numcodecs has) written by test/fixtures/array/random_zarr_arrays.py, read back by
// tessera whole, rechunked and sliced. Values must equal what zarr-python reads bit for bit;
// codecs tessera has none for (lzma, adler32) must be refused naming the codec.
// A sample is read again on a LocalCluster of 2 workers × 1 thread (workers open the arrays
// themselves, fill values included): bit for bit the local result.
// TESSERA_FUZZ_SEED=n reruns another seed, TESSERA_FUZZ_CASES=n sets the number of arrays (60).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Client, LocalCluster } from "../../src/index.js";
import { readFile } from "node:fs/promises";
import * as path from "node:path";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { makeTempDirectory, runPython } from "../zarr/python-anchor.js";
import { integer, randomChunks, rngOf } from "./differential-inputs.js";

const seed = Number(process.env.TESSERA_FUZZ_SEED ?? 20261205);
const count = Number(process.env.TESSERA_FUZZ_CASES ?? 60);
// The codecs tessera reads (src/zarr/codec-registry.ts and zarrita's own zstd and lz4); the others must be refused by name.
const readable = new Set(["blosc", "zlib", "gzip", "bz2", "zstd", "lz4", "delta", "shuffle"]);

interface Entry {
  name: string;
  path: string;
  dtype: nd.DType;
  stored: string;
  shape: number[];
  chunks: number[];
  order: "C" | "F";
  missing: number;
  compressor: { id: string } | null;
  filters: string[];
}

async function expectedOf(dir: string, entry: Entry): Promise<nd.NDArray> {
  const bytes = await readFile(path.join(dir, `${entry.name}.raw`));
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  const Typed = nd.dtypeInfo(entry.dtype).array as unknown as new (buffer: ArrayBuffer) => nd.TypedArray;
  return nd.fromTypedArray(new Typed(copy.buffer), entry.shape, { dtype: entry.dtype });
}

function difference(actual: nd.NDArray, expected: nd.NDArray): string | null {
  if (actual.dtype !== expected.dtype) return `dtype ${actual.dtype}, zarr-python ${expected.dtype}`;
  if (actual.shape.join() !== expected.shape.join()) return `shape [${actual.shape.join(", ")}], zarr-python [${expected.shape.join(", ")}]`;
  const a = nd.ascontiguousarray(actual).toTypedArray();
  const b = nd.ascontiguousarray(expected).toTypedArray();
  for (let i = 0; i < b.length; i++) {
    if (!(Object.is(a[i], b[i]) || (Number.isNaN(a[i]) && Number.isNaN(b[i])))) return `element ${i}: ${String(a[i])}, zarr-python ${String(b[i])}`;
  }
  return null;
}

describe(`fromZarr against zarr-python's own reading of random arrays (seed ${seed})`, () => {
  let temp: { path: string; remove(): Promise<void> };
  let entries: Entry[] = [];
  before(async () => {
    temp = await makeTempDirectory("zarr-differential");
    await runPython("../array/random_zarr_arrays.py", [temp.path, String(seed), String(count)]);
    entries = JSON.parse(await readFile(path.join(temp.path, "manifest.json"), "utf8")) as Entry[];
  });
  after(() => temp?.remove());

  it("reads every array whole, rechunked and sliced with zarr-python's values, and refuses the codecs it lacks by name", async () => {
    const rng = rngOf(seed);
    const problems: string[] = [];
    let refused = 0;
    for (const entry of entries) {
      const what = `${entry.name} ${entry.stored} [${entry.shape.join(", ")}] chunks [${entry.chunks.join(", ")}] ${entry.order} ${[...entry.filters, entry.compressor?.id ?? "raw"].join(" + ")}, ${entry.missing} missing`;
      const expected = await expectedOf(temp.path, entry);
      const codec = [...entry.filters, entry.compressor?.id ?? "raw"].find((id) => id !== "raw" && !readable.has(id));
      const refusable = codec !== undefined;
      try {
        const stored = await ta.fromZarr(entry.path);
        if (stored.chunks.some((sizes, a) => sizes.some((n, i) => n !== Math.min(entry.chunks[a], entry.shape[a] - i * entry.chunks[a])))) {
          problems.push(`${what}: stored chunks read as ${JSON.stringify(stored.chunks)}`);
        }
        const whole = difference(await stored.compute(), expected);
        if (whole) problems.push(`${what}: whole: ${whole}`);
        const chunks = entry.shape.map((n) => randomChunks(rng, n));
        const rechunked = difference(await (await ta.fromZarr(entry.path, { chunks })).compute(), expected);
        if (rechunked) problems.push(`${what}: chunks ${JSON.stringify(chunks)}: ${rechunked}`);
        const region = entry.shape.map((n) => {
          const start = integer(rng, 0, n);
          return { start, stop: integer(rng, start, n) };
        });
        const sliced = difference(await stored.get(...region).compute(), nd.slice(expected, ...region));
        if (sliced) problems.push(`${what}: get ${JSON.stringify(region)}: ${sliced}`);
      } catch (error) {
        const message = (error as Error).message;
        if (refusable && message.toLowerCase().includes(codec as string)) refused++;
        else problems.push(`${what}: ${refusable ? "refused without naming the codec" : "raised"}: ${message}`);
      }
    }
    assert.ok(entries.length >= count && (count < 30 || refused > 0), `${entries.length} arrays written, ${refused} refused`);
    if (problems.length > 0) assert.fail(`${problems.length} of ${entries.length} arrays differ (seed ${seed}; TESSERA_FUZZ_SEED=${seed} reruns):\n${problems.join("\n")}`);
  });

  it("reads a sample of them on a LocalCluster of 2 workers × 1 thread as zarr-python does", async () => {
    // 64-bit integers and missing chunks first: fill values the workers read from the metadata themselves.
    const rank = (entry: Entry) => (entry.dtype.endsWith("int64") ? 0 : 100) - entry.missing;
    const sample = entries.filter((entry) => [...entry.filters, entry.compressor?.id ?? "blosc"].every((id) => readable.has(id))).sort((a, b) => rank(a) - rank(b)).slice(0, 20);
    const cluster = await LocalCluster.start({ nWorkers: 2, threadsPerWorker: 1, dashboardAddress: false });
    const client = await Client.connect(cluster);
    const problems: string[] = [];
    try {
      for (const entry of sample) {
        const chunks = entry.shape.map((n) => (n === 0 ? [0] : Array.from({ length: Math.ceil(n / 2) }, (_, i) => Math.min(2, n - 2 * i))));
        const read = difference(await (await ta.fromZarr(entry.path, { chunks: entry.shape.length ? chunks : undefined })).compute(), await expectedOf(temp.path, entry));
        if (read) problems.push(`${entry.name} ${entry.stored} [${entry.shape.join(", ")}]: ${read}`);
      }
    } finally {
      await client.close();
      await cluster.close();
    }
    assert.deepEqual(problems, [], `seed ${seed}`);
  });
});
