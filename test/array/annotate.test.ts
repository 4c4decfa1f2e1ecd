/**
 * Annotated arrays (src/array/annotate.ts) are the arrays they wrap, plus resources on their
 * own tasks: the graph of an annotated grouped DoG write over fromZarr is the un-annotated one
 * task for task (each group's halo still read directly from the source, RegionOptions.direct),
 * an annotated mapOverlap computes, and an annotated source is still a source that an
 * overwrite must not destroy.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import { gaussianFilter } from "../../src/ndimage/index.js";
import { InvalidOptionError } from "../../src/core/errors.js";
import { writeSyntheticVolume } from "../../src/cli/synthetic-volume.js";
import { lowerArrays } from "../../src/array/lower.js";
import { groupStoreWrite } from "../../src/array/overlap-groups.js";
import { StoreExpr } from "../../src/array/to-zarr.js";
import { fusedBuiltin } from "../../src/graph/task-runner.js";
import type { ArrayNode } from "../../src/array/expr.js";
import type { GraphExecutor } from "../../src/graph/executor.js";
import type { TaskSpec } from "../../src/graph/task-graph.js";

const shape: [number, number, number] = [48, 160, 224];
const chunks = [16, 32, 32];
const gpu = { resources: { GPU: 1 } };

/** Two workers of two threads and 4 GiB each, as the Client states them (only what grouping reads). */
const cluster = {
  holds: () => false,
  workerMemoryLimits: async () => [4 * 2 ** 30, 4 * 2 ** 30],
  schedulerInfo: () => ({ workers: { a: { nthreads: 2, memoryLimit: 4 * 2 ** 30 }, b: { nthreads: 2, memoryLimit: 4 * 2 ** 30 } } }),
} as unknown as GraphExecutor;

/** A task as the comparison sees it: what it reads and the functions of its steps (fused or not). */
function shapeOf(task: TaskSpec): { deps: string[]; steps: string[] } {
  const name = (fn: unknown): string => JSON.stringify(fn);
  const steps = "builtin" in task.fn && task.fn.builtin === fusedBuiltin
    ? (task.args[0] as { steps: Array<{ fn: unknown }> }).steps.map((step) => name(step.fn))
    : [name(task.fn)];
  return { deps: [...task.deps].sort(), steps };
}

describe("annotated arrays", () => {
  let dir: string;
  let input: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "tessera-annotate-"));
    input = join(dir, "in.zarr");
    await writeSyntheticVolume(input, { shape, seed: 3, chunks: [32, 64, 64] });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** The DoG of the input, annotated where `where` says. */
  async function dogOf(where: "none" | "source" | "filters" | "result"): Promise<ta.Array> {
    let source = await ta.fromZarr(input, { component: "0/0" });
    if (where === "source") source = source.annotate(gpu);
    const volume = source.squeeze().rechunk(chunks);
    let sharp = volume.mapOverlap(gaussianFilter, { depth: 8 }, { sigma: 1, mode: "nearest" });
    let blurred = volume.mapOverlap(gaussianFilter, { depth: 8 }, { sigma: 2, mode: "nearest" });
    if (where === "filters") [sharp, blurred] = [sharp.annotate(gpu), blurred.annotate(gpu)];
    const dog = ta.subtract(sharp, blurred);
    return where === "result" ? dog.annotate(gpu) : dog;
  }

  /** The lowered (fused) graph of a whole-array write of `array`, grouped as on `cluster`. */
  async function writeGraph(array: ta.Array): Promise<Map<string, TaskSpec>> {
    const layout = { ref: { path: join(dir, "out.zarr") }, targetShape: array.shape, storageChunks: chunks, offset: array.shape.map(() => 0) };
    const store: ArrayNode = { name: `store-${array.name}`, shape: array.shape, chunks: array.chunks, dtype: array.dtype, expr: new StoreExpr(array, layout) };
    const grouped = await groupStoreWrite(store, cluster);
    assert.ok(grouped, "the write is grouped");
    return lowerArrays([grouped.node], () => false, () => grouped.keys).graph.tasks;
  }

  it("lowers an annotated DoG write to the same grouped graph as the un-annotated one, each halo read straight from the source, its tasks holding the annotation", async () => {
    const plain = await writeGraph(await dogOf("none"));
    const reads = [...plain.values()].filter((task) => shapeOf(task).steps.some((fn) => fn.includes("readRegion")));
    assert.ok(reads.length > 0 && plain.size < 3 * 5 * 7, `grouped, the halos read directly (${plain.size} tasks)`);
    for (const where of ["source", "filters", "result"] as const) {
      const annotated = await writeGraph(await dogOf(where));
      // Annotating keeps every name, so the graphs compare key by key.
      assert.deepEqual([...annotated.keys()].sort(), [...plain.keys()].sort(), `annotated ${where}: the same tasks`);
      for (const [key, task] of plain) {
        const other = annotated.get(key) as TaskSpec;
        assert.deepEqual(shapeOf(other), shapeOf(task), `annotated ${where}: ${key} reads and runs the same`);
        assert.equal(task.resources, undefined);
        assert.deepEqual(other.resources, { GPU: 1 }, `annotated ${where}: ${key} holds the GPU`);
      }
    }
  });

  it("computes an annotated mapOverlap as the un-annotated one", async () => {
    const x = ta.fromArray(nd.arange(0, 64, 1, "float64"), { chunks: [8] });
    const smooth = (block: nd.NDArray) => nd.add(block, 1);
    const expected = await x.mapOverlap(smooth, { depth: 1 }).compute();
    const annotated = await x.mapOverlap(smooth, { depth: 1 }).annotate({}).compute();
    assert.deepEqual(Array.from(annotated.data as Float64Array), Array.from(expected.data as Float64Array));
  });

  it("refuses to overwrite the Zarr array an annotated source reads, and leaves it as it was", async () => {
    const target = join(dir, "self.zarr");
    const data = nd.arange(0, 64, 1, "float64");
    await ta.fromArray(data, { chunks: [8] }).toZarr(target);
    const source = (await ta.fromZarr(target)).annotate({});
    await assert.rejects(source.add(1).toZarr(target, { overwrite: true }),
      (error: Error) => error instanceof InvalidOptionError && /computed from the array at its root/.test(error.message));
    const back = await (await ta.fromZarr(target)).compute();
    assert.deepEqual(Array.from(back.data as Float64Array), Array.from(data.data as Float64Array));
  });
});
