/**
 * Nothing lost: a process writing a DoG result with toZarr is killed with SIGKILL halfway
 * (what a crash or a walltime does); rerun with `resume: true` it writes only the chunks that
 * have no completion marker, and the output is byte for byte the output of an uninterrupted
 * run (and zarr-python reads the two as equal).
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import * as ta from "../../src/array/index.js";
import { gaussianFilter } from "../../src/ndimage/index.js";
import { toZarrProgress } from "../../src/array/resume.js";
import { createArray, writeChunk } from "../../src/zarr/index.js";
import { NDArray, allocate } from "../../src/ndarray/ndarray.js";
import { compareZarr } from "./python.js";

const dist = (module: string) => JSON.stringify(fileURLToPath(new URL(`../../src/${module}`, import.meta.url)));
const shape = [128, 128, 128];
const chunks = [16, 32, 32];
const totalChunks = 8 * 4 * 4;

/** The job: DoG of the input, written with toZarr; `resume` and `sigma` from the command line. */
const jobScript = `
import { Client, LocalCluster } from ${dist("index.js")};
import * as ta from ${dist("array/index.js")};
import { gaussianFilter } from ${dist("ndimage/index.js")};
const [input, output, mode, sigma] = process.argv.slice(2);
// Workers in this process: killing it kills the whole computation at once, like a walltime.
const cluster = await LocalCluster.start({ nWorkers: 2, threadsPerWorker: 1, processes: false, dashboardAddress: false });
const client = await Client.connect(cluster);
const volume = (await ta.fromZarr(input)).rechunk(${JSON.stringify(chunks)});
const sharp = volume.mapOverlap(gaussianFilter, { depth: 8, boundary: "nearest" }, { sigma: 1, mode: "nearest" });
const blurred = volume.mapOverlap(gaussianFilter, { depth: 8, boundary: "nearest" }, { sigma: Number(sigma), mode: "nearest" });
await ta.subtract(sharp, blurred).toZarr(output, { resume: mode === "resume", overwrite: mode === "fresh" });
await client.close();
await cluster.close();
`;

interface Job {
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(): void;
  stderr(): string;
}

function startJob(script: string, input: string, output: string, mode: "fresh" | "resume", sigma = 2): Job {
  const child = spawn(process.execPath, [script, input, output, mode, String(sigma)], { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, TESSERA_LOG_LEVEL: "error" } });
  let stderr = "";
  child.stderr.on("data", (text: Buffer) => (stderr += text.toString()));
  return {
    exited: new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal }))),
    kill: () => child.kill("SIGKILL"),
    stderr: () => stderr,
  };
}

/** Markers of the one computation recorded at `output`. */
function markers(output: string): string[] {
  const root = join(output, ".tessera-done");
  if (!existsSync(root)) return [];
  const tokens = readdirSync(root).filter((name) => name !== "token" && !name.startsWith("."));
  return tokens.flatMap((token) => readdirSync(join(root, token)));
}

/** Every chunk file (path relative to the array → inode), markers and temporaries left out. */
function chunkFiles(output: string): Map<string, number> {
  const files = new Map<string, number>();
  for (const name of readdirSync(output)) {
    if (name.startsWith(".")) continue; // .zarray, .tessera-done, temporaries
    files.set(name, statSync(join(output, name)).ino);
  }
  return files;
}

function sameBytes(a: string, b: string): string[] {
  const differ: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.name === ".tessera-done" || entry.name.endsWith(".partial")) continue;
      if (entry.isDirectory()) walk(path);
      else if (!readFileSync(path).equals(readFileSync(join(b, relative(a, path))))) differ.push(relative(a, path));
    }
  };
  walk(a);
  return differ;
}

describe("toZarr killed halfway, then resumed", () => {
  let dir: string;
  let input: string;
  let script: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "tessera-resume-"));
    script = join(dir, "job.mjs");
    writeFileSync(script, jobScript);
    input = join(dir, "input.zarr");
    await createArray(input, { shape, chunks: [64, 128, 128], dtype: "uint16" });
    for (let z = 0; z < 2; z++) {
      const data = allocate("uint16", 64 * 128 * 128) as Uint16Array;
      for (let i = 0; i < data.length; i++) data[i] = ((i + z * 7919) * 2654435761) >>> 22;
      await writeChunk({ path: input }, [z, 0, 0], new NDArray(data, [64, 128, 128], { dtype: "uint16" }));
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("writes only the missing chunks and ends identical to an uninterrupted run", async (t) => {
    const reference = join(dir, "uninterrupted.zarr");
    const whole = startJob(script, input, reference, "fresh");
    assert.deepEqual(await whole.exited, { code: 0, signal: null }, whole.stderr());
    assert.equal(markers(reference).length, totalChunks);

    const output = join(dir, "killed.zarr");
    const killed = startJob(script, input, output, "fresh");
    const deadline = Date.now() + 60_000;
    while (markers(output).length < totalChunks / 4 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    killed.kill();
    assert.equal((await killed.exited).signal, "SIGKILL");
    const marked = new Set(markers(output));
    assert.ok(marked.size > 0 && marked.size < totalChunks, `killed with ${marked.size} of ${totalChunks} chunks marked complete`);
    assert.deepEqual(await toZarrProgress(output), { token: (await toZarrProgress(reference)).token, complete: marked.size, total: totalChunks });
    const before = chunkFiles(output);

    const resumed = startJob(script, input, output, "resume");
    assert.deepEqual(await resumed.exited, { code: 0, signal: null }, resumed.stderr());
    const after = chunkFiles(output);
    const written = [...after].filter(([name, inode]) => before.get(name) !== inode).map(([name]) => name).sort();
    const missing = [...after.keys()].filter((name) => !marked.has(name)).sort();
    assert.equal(after.size, totalChunks);
    assert.deepEqual(written, missing, `the resumed run wrote exactly the ${totalChunks - marked.size} chunks without a marker`);
    t.diagnostic(`killed with ${marked.size}/${totalChunks} chunks complete; the resumed run wrote ${written.length}`);

    assert.deepEqual(sameBytes(reference, output), [], "every chunk and the metadata are byte-identical to the uninterrupted run");
    const python = compareZarr(output, reference);
    assert.ok(python.equal && python.mismatches === 0, "zarr-python reads the same array from both");
  });

  it("writes nothing when resumed after it completed", async () => {
    const output = join(dir, "uninterrupted.zarr");
    const before = chunkFiles(output);
    const again = startJob(script, input, output, "resume");
    assert.deepEqual(await again.exited, { code: 0, signal: null }, again.stderr());
    assert.deepEqual(chunkFiles(output), before);
  });

  it("refuses to resume a different computation into the same path, and an array without markers", async () => {
    const output = join(dir, "uninterrupted.zarr");
    const volume = (await ta.fromZarr(input)).rechunk(chunks);
    const other = ta.subtract(
      volume.mapOverlap(gaussianFilter, { depth: 8, boundary: "nearest" }, { sigma: 1, mode: "nearest" }),
      volume.mapOverlap(gaussianFilter, { depth: 8, boundary: "nearest" }, { sigma: 3, mode: "nearest" }),
    );
    await assert.rejects(other.toZarr(output, { resume: true }), (error: Error) => {
      assert.equal(error.name, "InvalidOptionError");
      assert.match(error.message, /cannot resume writing .*uninterrupted\.zarr: it holds the output of a different computation .*pass overwrite: true to start again/);
      return true;
    });
    assert.equal(markers(output).length, totalChunks, "nothing was touched");

    const plain = join(dir, "plain.zarr");
    await createArray(plain, { shape, chunks, dtype: "uint16" });
    await assert.rejects(other.toZarr(plain, { resume: true }), /it was not written by a resumable toZarr \(it has no completion markers\)/);
  });
});
