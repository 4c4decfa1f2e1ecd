// The compute threads' readiness: the worker joins its scheduler only once every thread has
// loaded the array tasks' kernels and codecs (worker-server.ts awaits ThreadPool.ready()), so
// the first task of a fresh cluster does not pay for the imports inside its run.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ThreadPool } from "../../../src/worker/executor/thread-pool.js";
import { functionRefOf } from "../../../src/graph/function-travel.js";

/** Rejects when `promise` has not settled after `ms` (a hang guard, not a timing assertion). */
function settlesWithin<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const guard = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms / 1000} s`)), ms)));
  return Promise.race([promise, guard]).finally(() => clearTimeout(timer));
}

describe("compute thread readiness", () => {
  it("ready() resolves once every thread has loaded the array tasks' built-ins, and tasks then run on each thread", async () => {
    const pool = new ThreadPool(3);
    try {
      await settlesWithin(pool.ready(), 60_000, "the pool's ready()");
      const whoAmI = functionRefOf(async function threadIdOf() {
        const { threadId } = await import("node:worker_threads");
        return threadId;
      });
      const results = await Promise.all([0, 1, 2].map((i) => pool.run(`('who', ${i})`, whoAmI, [])));
      assert.ok(results.every((r) => r.ok), JSON.stringify(results));
      assert.equal(new Set(results.map((r) => r.thread)).size, 3, "one call per thread, on three threads");
    } finally {
      await pool.close();
    }
  });
});
