import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { Worker } from "node:worker_threads";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { compileWat, watSourcePath } from "../../../src/ndimage/wasm/generate.js";
import { correlateWasmBase64 } from "../../../src/ndimage/wasm/correlate-binary.js";
import * as ndimage from "../../../src/ndimage/index.js";
import { NDArray } from "../../../src/ndarray/ndarray.js";
import { randomArray, sameBits, seededRandom } from "../helpers.js";

describe("the WebAssembly module", () => {
  it("committed bytes are what correlate.wat compiles to (regenerate with dist/src/ndimage/wasm/generate.js)", async () => {
    const bytes = await compileWat(readFileSync(watSourcePath(), "utf8"));
    assert.equal(Buffer.from(bytes).toString("base64"), correlateWasmBase64);
  });

  it("runs here (Node has WebAssembly SIMD)", () => {
    assert.equal(ndimage.isWasmSimdAvailable(), true);
  });

  it("gives way to the TypeScript loops where WebAssembly is missing, with identical results", () => {
    const index = pathToFileURL(path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../src/ndimage/index.js")).href;
    const ndarray = pathToFileURL(path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../src/ndarray/ndarray.js")).href;
    const script = `
      const ndimage = await import(${JSON.stringify(index)});
      const { NDArray } = await import(${JSON.stringify(ndarray)});
      const data = Float32Array.from({ length: 6 * 7 * 8 }, (_, i) => Math.sin(i) * 100);
      const result = ndimage.gaussianFilter(new NDArray(data, [6, 7, 8]), { sigma: 1.5, order: [0, 1, 0], mode: "mirror" });
      let wasmRefused = "";
      try { ndimage.gaussianFilter(new NDArray(data, [6, 7, 8]), { sigma: 1, backend: "wasm" }); } catch (e) { wasmRefused = e.name; }
      console.log(JSON.stringify({ available: ndimage.isWasmSimdAvailable(), wasmRefused, values: Array.from(result.data) }));`;
    const output = execFileSync(process.execPath, ["--no-expose-wasm", "--input-type=module", "-e", script], { encoding: "utf8" });
    const child = JSON.parse(output) as { available: boolean; wasmRefused: string; values: number[] };
    assert.equal(child.available, false);
    assert.equal(child.wasmRefused, "InvalidOptionError");
    const data = Float32Array.from({ length: 6 * 7 * 8 }, (_, i) => Math.sin(i) * 100);
    const here = ndimage.gaussianFilter(new NDArray(data, [6, 7, 8]), { sigma: 1.5, order: [0, 1, 0], mode: "mirror", backend: "wasm" });
    assert.deepEqual(child.values, Array.from(here.data as Float32Array));
  });

  it("runs on a worker thread with its own instance; the shared result reaches the main thread", async () => {
    const index = pathToFileURL(path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../src/ndimage/index.js")).href;
    const ndarray = pathToFileURL(path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../src/ndarray/ndarray.js")).href;
    const directory = mkdtempSync(path.join(tmpdir(), "tessera-ndimage-worker-"));
    const script = path.join(directory, "filter.mjs");
    writeFileSync(script, `
      import { parentPort, workerData } from "node:worker_threads";
      const ndimage = await import(${JSON.stringify(index)});
      const { NDArray } = await import(${JSON.stringify(ndarray)});
      const input = new NDArray(new Float32Array(workerData.buffer), workerData.shape);
      const result = ndimage.gaussianFilter(input, { sigma: 2, mode: "nearest", backend: "wasm" });
      parentPort.postMessage({ buffer: result.data.buffer, wasm: ndimage.isWasmSimdAvailable() });`);
    try {
      const shape = [10, 12, 14];
      const input = randomArray(shape, "float32", seededRandom(4));
      const shared = new Float32Array(new SharedArrayBuffer(input.nbytes));
      shared.set(input.data as Float32Array);
      const reply = await new Promise<{ buffer: SharedArrayBuffer; wasm: boolean }>((resolve, reject) => {
        const worker = new Worker(script, { workerData: { buffer: shared.buffer, shape } });
        worker.once("message", (message: { buffer: SharedArrayBuffer; wasm: boolean }) => {
          resolve(message);
          void worker.terminate();
        });
        worker.once("error", reject);
      });
      assert.equal(reply.wasm, true);
      assert.ok(reply.buffer instanceof SharedArrayBuffer);
      const here = ndimage.gaussianFilter(input, { sigma: 2, mode: "nearest" });
      assert.deepEqual(new Float32Array(reply.buffer), here.data);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it("WASM and TypeScript loops agree on long lines, wide tiles and every kernel kind", () => {
    const random = seededRandom(5);
    const input = randomArray([3, 70, 1100], "int16", random);
    const runs = [
      (backend: "wasm" | "js") => ndimage.gaussianFilter(input, { sigma: [0.5, 4, 9], order: [0, 1, 3], mode: "reflect", backend, output: "float32" }),
      (backend: "wasm" | "js") => ndimage.correlate1d(input, [1, -3, 0.5, 2, -1, 0.1], { axis: 1, mode: "wrap", backend }),
      (backend: "wasm" | "js") => ndimage.uniformFilter(input, { size: [2, 9, 31], mode: "mirror", backend, output: "float64" }),
    ];
    for (const run of runs) assert.ok(sameBits(run("wasm"), run("js")));
  });
});
