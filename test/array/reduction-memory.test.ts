/**
 * Reductions over data larger than a worker's memory, on one real worker process with a
 * 600 MB limit: a 2 GB persisted random volume (it spills to disk) is reduced to its mean and
 * its maximum-intensity projection within the limit, measured by the operating system; and a
 * plan whose single task could never fit is refused before anything runs, with a chunking
 * that does fit, which then completes.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import * as ta from "../../src/array/index.js";
import { unixSeconds } from "../../src/core/clock.js";
import { useMemoryLimitedCluster } from "../worker/memory/memory-limited-cluster.js";

const memoryLimit = 600e6;
const side = 16_000;
const chunk = 1000;

describe(`a ${(side * side * 8 / 1e9).toFixed(2)} GB volume on one worker with a 600 MB memory limit`, () => {
  const setup = useMemoryLimitedCluster(memoryLimit, "reduction-memory", 1);

  it("refuses a mean whose one block could never fit, before running anything, and names a chunking that fits", async () => {
    const whole = ta.random([10_000, 10_000], { chunks: [10_000, 10_000], seed: 1 });
    const since = unixSeconds();
    await assert.rejects(whole.mean().compute(), (error: Error) => {
      assert.equal(error.name, "PlanMemoryError");
      assert.match(error.message, new RegExp(`^compute: a task reading array ${whole.name} \\(shape \\[10000, 10000\\], float64, chunks \\[10000, 10000\\], 762\\.94 MiB per block\\) needs about [\\d.]+ MiB at its peak, more than the smallest worker's memory limit \\(572\\.20 MiB\\)( leaves a task \\([\\d.]+ MiB: the 95% at which its nanny restarts it, less the [\\d.]+ MiB the worker itself takes\\))?; nothing was run\\. Rechunk it to chunks \\[\\d+, \\d+\\]`));
      return true;
    });
    // Records whose compute ended from `since` on (same host, same clock): the tasks of the
    // test before ended earlier, and no slack may let them in.
    assert.deepEqual(await setup.client().getTaskStream({ since }), [], "no task ran");
    assert.equal(setup.cluster().scheduler.state.tasks.size, 0, "no task reached the scheduler");
    // The chunking it names does fit, and runs.
    const message = await whole.mean().compute().catch((error: Error) => error.message);
    const suggested = (/chunks \[(\d+), (\d+)\] \(or create/.exec(message as string) as RegExpExecArray).slice(1).map(Number);
    const mean = (await ta.random([10_000, 10_000], { chunks: suggested, seed: 1 }).mean().compute()).item() as number;
    assert.ok(Math.abs(mean - 0.5) < 0.001, `mean ${mean}`);
  });

  it("refuses a persist and a toZarr that could never fit before anything runs; the toZarr then succeeds at the same path with a chunking that fits", async () => {
    const whole = ta.random([10_000, 10_000], { chunks: [10_000, 10_000], seed: 3 });
    const since = unixSeconds();
    await assert.rejects(whole.add(1).persist(), /^PlanMemoryError: persist: a task reading array .* nothing was run\. Rechunk it to chunks \[\d+, \d+\]/);
    const target = join(setup.directory(), "refused.zarr");
    await assert.rejects(whole.toZarr(target), /^PlanMemoryError: toZarr: a task reading array .* nothing was run/);
    // Records whose compute ended from `since` on (same host, same clock): the tasks of the
    // test before ended earlier, and no slack may let them in.
    assert.deepEqual(await setup.client().getTaskStream({ since }), [], "no task ran");
    assert.equal(setup.cluster().scheduler.state.tasks.size, 0, "no task reached the scheduler");
    const fits = ta.random([10_000, 10_000], { chunks: [2500, 2500], seed: 3 });
    await fits.toZarr(target);
    const back = await ta.fromZarr(target);
    assert.deepEqual(back.chunks.map((axis) => axis[0]), [2500, 2500]);
    const corner = { start: 9990, stop: 10_000 };
    assert.deepEqual((await back.get(corner, corner).compute()).data, (await fits.get(corner, corner).compute()).data);
  });

  it("computes the mean and the max over axis 0 of a persisted volume 3.5× its memory, spilling, under the limit", async (t) => {
    const volume = await ta.random([side, side], { chunks: [chunk, chunk], seed: 2 }).persist();
    const mean = (await volume.mean().compute()).item() as number;
    const projection = await volume.max({ axis: 0 }).compute();
    // 256 million uniform [0, 1) values: the mean is 0.5 within a few 1e-5, every column's max near 1.
    assert.ok(Math.abs(mean - 0.5) < 1e-4, `mean ${mean}`);
    assert.deepEqual(projection.shape, [side]);
    for (let i = 0; i < side; i++) assert.ok((projection.data[i] as number) > 0.999 && (projection.data[i] as number) < 1, `max of column ${i}`);
    const info = await setup.client().refreshSchedulerInfo();
    const spilled = Object.values(info.workers).reduce((sum, w) => sum + ((w.metrics as { spilledBytes?: number }).spilledBytes ?? 0), 0);
    assert.ok(spilled > 0, `${spilled} bytes spilled`);
    await setup.checkRun("mean and projection", t, null);
  });
});
