// Calls that secede and rejoin on a compute thread (Dask's secede/rejoin): a call may secede
// again after it rejoined (a task that waits on other tasks twice), and a rejoined call runs
// on its thread outside the thread's queue, so a new call goes to a thread that runs nothing.
// The calls wait on shared memory the test releases: no timers decide anything.
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

/** Secedes, rejoins, secedes again and waits for the gate, then rejoins. */
const secedesTwice = functionRefOf(async function secedesTwice(gate: Int32Array) {
  const tessera = await import("tessera");
  tessera.secede();
  await tessera.rejoin();
  tessera.secede();
  // Node 20 has Atomics.waitAsync; the compile target's library does not declare it yet.
  const waiting = (Atomics as unknown as { waitAsync(array: Int32Array, index: number, value: number): { async: boolean; value: unknown } }).waitAsync(gate, 0, 0);
  if (waiting.async) await waiting.value;
  await tessera.rejoin();
  return "twice";
});

/** Secedes and rejoins, then holds its thread (synchronously) until the gate opens. */
const rejoinsThenBlocks = functionRefOf(async function rejoinsThenBlocks(gate: Int32Array) {
  const tessera = await import("tessera");
  tessera.secede();
  await tessera.rejoin();
  Atomics.wait(gate, 0, 0);
  return "blocked";
});

const quick = functionRefOf(function quick() {
  return "quick";
});

function gate(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4));
}

function open(word: Int32Array): void {
  Atomics.store(word, 0, 1);
  Atomics.notify(word, 0);
}

describe("calls that secede on a compute thread", { timeout: 120_000 }, () => {
  it("a call that secedes again after it rejoined is reported seceded again (the worker frees its slot again)", async () => {
    const pool = new ThreadPool(1);
    try {
      await settlesWithin(pool.ready(), 60_000, "the pool's ready()");
      let secedes = 0;
      let secededTwice = () => {};
      const twice = new Promise<void>((resolve) => (secededTwice = resolve));
      pool.onSecede = () => {
        if (++secedes === 2) secededTwice();
      };
      pool.onRejoin = (key) => pool.rejoined(key);
      const hold = gate();
      const call = pool.run("twice", secedesTwice, [hold]);
      await settlesWithin(twice, 30_000, "the second secede");
      assert.equal(pool.runningCount, 0, "seceded again: it holds no thread");
      open(hold);
      const result = await settlesWithin(call, 30_000, "the call");
      assert.equal(result.ok ? result.result : JSON.stringify(result), "twice");
      assert.equal(secedes, 2);
    } finally {
      await pool.close();
    }
  });

  it("a new call goes to a thread with nothing to run, not to the one a rejoined call holds", async () => {
    const pool = new ThreadPool(2);
    try {
      await settlesWithin(pool.ready(), 60_000, "the pool's ready()");
      let rejoinAsked = () => {};
      const asked = new Promise<void>((resolve) => (rejoinAsked = resolve));
      pool.onRejoin = (key) => {
        pool.rejoined(key);
        rejoinAsked();
      };
      const hold = gate();
      const held = pool.run("held", rejoinsThenBlocks, [hold]);
      await settlesWithin(asked, 30_000, "the rejoin");
      assert.equal(pool.runningCount, 1);
      const result = await settlesWithin(pool.run("quick", quick, []), 30_000, "a call posted while thread 0 is held by a rejoined call");
      assert.deepEqual({ ok: result.ok, thread: result.thread }, { ok: true, thread: 1 });
      open(hold);
      const heldResult = await settlesWithin(held, 30_000, "the held call");
      assert.deepEqual({ ok: heldResult.ok, thread: heldResult.thread }, { ok: true, thread: 0 });
    } finally {
      await pool.close();
    }
  });
});
