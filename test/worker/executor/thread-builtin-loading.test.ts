// Which modules a compute thread loads: the array tasks' built-ins before it is ready (the
// warm-up: the first task finds them), any other built-in's module only when a task calls
// it, and tessera/ndarray + tessera/ndimage (the `nd` and `ndimage` of functions sent by
// source) only for the first such function. Observed through module loader hooks in the
// thread (module-log-hooks.ts), not through timing.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ThreadPool } from "../../../src/worker/executor/thread-pool.js";
import { warmUpBuiltinNames } from "../../../src/worker/executor/thread-warm-up.js";
import { builtinModuleOf } from "../../../src/graph/builtin-modules.js";
import { functionRefOf } from "../../../src/graph/function-travel.js";
import { arange } from "../../../src/ndarray/creation.js";
import { reshape } from "../../../src/ndarray/views.js";
import { NDArray } from "../../../src/ndarray/ndarray.js";

declare const nd: typeof import("../../../src/ndarray/index.js");

const register = fileURLToPath(new URL("./module-log-register.js", import.meta.url));

/** Modules of tessera's own (src/…) the thread has loaded so far, as paths under src/. */
function loadedModules(logFile: string): Set<string> {
  const lines = readFileSync(logFile, "utf8").split("\n");
  return new Set(lines.map((url) => /\/src\/(.+)\.js$/.exec(url)?.[1]).filter((path): path is string => path !== undefined));
}

/** Modules a DoG task (Zarr read, Gaussian, subtraction, Zarr write) never needs. */
const notForDoG = /^(ndarray\/(fft|masked-|tsqr|block-linalg|contraction|linalg|index$)|ndimage\/(fourier|label|index$)|graph\/delayed-ops$)/;

describe("built-in modules a compute thread loads", () => {
  let dir: string;
  let logFile: string;
  let pool: ThreadPool;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "tessera-thread-modules-"));
    logFile = join(dir, "modules.log");
    process.env.TESSERA_TEST_MODULE_LOG = logFile;
    pool = new ThreadPool(1, ["--import", register]);
    await pool.ready();
  });
  after(async () => {
    await pool.close();
    delete process.env.TESSERA_TEST_MODULE_LOG;
    rmSync(dir, { recursive: true, force: true });
  });

  it("loads the array tasks' built-ins before it is ready, and no FFT, masked, linalg or label module", () => {
    const loaded = loadedModules(logFile);
    for (const path of ["ndimage/gaussian", "ndarray/arithmetic", "zarr/read-region", "zarr/chunk-group-write", "graph/graph-ops"]) {
      assert.ok(loaded.has(path), `${path} loaded by the warm-up`);
    }
    assert.deepEqual([...loaded].filter((path) => notForDoG.test(path)), []);
  });

  it("runs a DoG's built-ins without loading any other module of the catalog", async () => {
    const block = reshape(arange(0, 6 * 8 * 8, 1, { dtype: "float64" }), [6, 8, 8]);
    const [sharp, blurred] = await Promise.all([1, 2].map((sigma, i) => pool.run(`('gaussian', ${i})`, { builtin: "ndimage.gaussianFilter" }, [block, { sigma, mode: "nearest" }])));
    assert.ok(sharp.ok && blurred.ok);
    const difference = await pool.run("('subtract', 0)", { builtin: "ndarray.subtract" }, [sharp.result, blurred.result]);
    assert.ok(difference.ok && difference.result instanceof NDArray);
    assert.deepEqual([...loadedModules(logFile)].filter((path) => notForDoG.test(path)), []);
  });

  it("loads a built-in's module when a task first calls it", async () => {
    assert.ok(!loadedModules(logFile).has("ndarray/fft"));
    const outcome = await pool.run("('fft', 0)", { builtin: "ndarray.fft.fft" }, [arange(0, 8, 1, { dtype: "float64" })]);
    assert.ok(outcome.ok, JSON.stringify(outcome));
    assert.ok(loadedModules(logFile).has("ndarray/fft"));
  });

  it("binds nd and ndimage for a function sent by source, loading them then", async () => {
    assert.ok(!loadedModules(logFile).has("ndarray/index"));
    const addOne = functionRefOf((a: unknown) => nd.add(a as NDArray, 1));
    assert.ok("source" in addOne);
    const outcome = await pool.run("('add-one', 0)", addOne, [arange(0, 4, 1, { dtype: "float64" })]);
    assert.ok(outcome.ok, JSON.stringify(outcome));
    assert.deepEqual((outcome.result as NDArray).toArray(), [1, 2, 3, 4]);
    const loaded = loadedModules(logFile);
    assert.ok(loaded.has("ndarray/index") && loaded.has("ndimage/index"));
  });

  it("warms up built-ins the table lists", () => {
    assert.deepEqual(warmUpBuiltinNames.filter((name) => !builtinModuleOf.has(name)), []);
    assert.ok(warmUpBuiltinNames.includes("ndimage.gaussianFilter"));
  });
});
