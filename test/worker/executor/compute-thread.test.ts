// A compute thread keeps nothing of a task once it has ended (compute-thread.ts runningTask):
// in particular not through a module the task imported first, whose promises keep the task's
// AsyncLocalStorage store for as long as the thread lives.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ThreadPool } from "../../../src/worker/executor/thread-pool.js";
import { functionRefOf } from "../../../src/graph/function-travel.js";
import { collectGarbage } from "../../../src/worker/memory/process-memory.js";
import { arrayBuffersAfter } from "./released-block-probes.js";

const MiB = 2 ** 20;

/** Runs in a compute thread: imports a module no task has imported yet, then reads its input block. */
const importsThenReads = functionRefOf(async function importsThenReads(url: string, block: Float64Array) {
  await import(url);
  return block[0];
});

describe("a compute thread", () => {
  it("keeps no input block of a task that imported a module first, once the task ended and both threads collected", async () => {
    const pool = new ThreadPool(1);
    try {
      await pool.ready();
      // A block of this (main) thread's memory, shared with the compute thread as a stored result is.
      let block: Float64Array | undefined = new Float64Array(new SharedArrayBuffer(32 * MiB)).fill(2);
      // The query makes it a module of its own: imported by this task first, whatever ran before.
      const fresh = new URL(`./released-block-probes.js?imported-by-a-task-${process.pid}`, import.meta.url).href;
      const result = await pool.run("('imports', 0)", importsThenReads, [fresh, block]);
      assert.ok(result.ok, JSON.stringify(result));
      assert.equal(result.result, 2);
      const held = { arrayBuffers: process.memoryUsage().arrayBuffers };
      block = undefined;
      await pool.releaseRetained(); // the compute thread collects, and says so
      collectGarbage();
      // V8 frees a collected buffer's memory on a helper thread just after: wait for the drop, within 5 s.
      const { before, after } = await arrayBuffersAfter(held, 32 * MiB, 5000);
      assert.ok(before - after >= 32 * MiB, `the task's 32 MiB input is still held after it ended (array memory ${(before / MiB).toFixed(1)} → ${(after / MiB).toFixed(1)} MiB)`);
    } finally {
      await pool.close();
    }
  });
});
