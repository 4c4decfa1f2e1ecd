// Calls queued behind a running one on a compute thread (the worker queues short tasks so a
// thread does not idle between them): a thread that frees takes a queued call that has not
// started, so a call never waits behind one that waits on it (thread-pool.ts, call-claim.ts),
// and the call then runs once only. The held calls wait on shared memory the test releases:
// no timers decide anything.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ThreadPool, type ThreadResult } from "../../../src/worker/executor/thread-pool.js";
import { functionRefOf } from "../../../src/graph/function-travel.js";

/** Rejects when `promise` has not settled after `ms` (a hang guard, not a timing assertion). */
function settlesWithin<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const guard = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms / 1000} s`)), ms)));
  return Promise.race([promise, guard]).finally(() => clearTimeout(timer));
}

/** Waits until the test sets the gate's word to non-zero, then returns its label. */
const held = functionRefOf(async function held(gate: Int32Array, label: string) {
  // Node 20 has Atomics.waitAsync; the compile target's library does not declare it yet.
  const waiting = (Atomics as unknown as { waitAsync(array: Int32Array, index: number, value: number): { async: boolean; value: unknown } }).waitAsync(gate, 0, 0);
  if (waiting.async) await waiting.value;
  return label;
});

/** Counts its runs in the counter's word (a call run on two threads counts 2). */
const counted = functionRefOf(function counted(counter: Int32Array) {
  return Atomics.add(counter, 0, 1) + 1;
});

function gate(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4));
}

function open(word: Int32Array): void {
  Atomics.store(word, 0, 1);
  Atomics.notify(word, 0);
}

describe("calls queued behind a running one", { timeout: 120_000 }, () => {
  it("a queued call moves to the thread that frees first and runs there, once, while the call ahead of it is still held", async () => {
    const pool = new ThreadPool(2);
    try {
      await settlesWithin(pool.ready(), 60_000, "the pool's ready()");
      const holdA = gate();
      const holdC = gate();
      const counter = gate();
      let aSettled = false;
      // A takes thread 0, C thread 1; B goes to the shorter queue, the first on a tie: behind A.
      const a = pool.run("a", held, [holdA, "a"]).then((result) => ((aSettled = true), result));
      const c = pool.run("c", held, [holdC, "c"]);
      const b = pool.run("b", counted, [counter]);
      assert.equal(pool.runningCount, 2, "B is queued, not running: the heartbeat's `executing` counts A and C only");
      assert.equal(pool.isRunning("b"), false);
      open(holdC);
      const cResult = await settlesWithin(c, 30_000, "C");
      assert.equal(cResult.thread, 1, JSON.stringify(cResult));
      const bResult = await settlesWithin(b, 30_000, "B, queued behind the held A while thread 1 was free");
      assert.deepEqual(pick(bResult), { ok: true, result: 1, thread: 1 });
      assert.equal(aSettled, false, "A is still held: B did not wait for it");
      assert.equal(pool.runningCount, 1);
      open(holdA);
      assert.deepEqual(pick(await settlesWithin(a, 30_000, "A")), { ok: true, result: "a", thread: 0 });
      // Thread 0 got B's first posting: a call on thread 0 now runs after it in that thread's order.
      const after = await settlesWithin(pool.run("after", counted, [gate()]), 30_000, "a call after A");
      assert.equal(after.thread, 0, "both threads were free: the first is chosen");
      assert.equal(Atomics.load(counter, 0), 1, "B ran once: thread 0 skipped the posting it lost");
      assert.equal(pool.runningCount, 0);
    } finally {
      await pool.close();
    }
  });

  it("several queued calls drain onto the free thread one by one, each once, while the first thread stays held", async () => {
    const pool = new ThreadPool(2);
    try {
      await settlesWithin(pool.ready(), 60_000, "the pool's ready()");
      const holdA = gate();
      const holdC = gate();
      const counters = [gate(), gate(), gate(), gate()];
      const a = pool.run("a", held, [holdA, "a"]);
      const c = pool.run("c", held, [holdC, "c"]);
      // Shortest queue first, the first on a tie: two behind A, two behind C.
      const queued = counters.map((counter, i) => pool.run(`q${i}`, counted, [counter]));
      assert.equal(pool.runningCount, 2);
      open(holdC);
      const results = await settlesWithin(Promise.all(queued), 30_000, "the calls queued behind the held A");
      assert.deepEqual(results.map(pick), counters.map(() => ({ ok: true, result: 1, thread: 1 })));
      open(holdA);
      await settlesWithin(Promise.all([a, c]), 30_000, "A and C");
      await settlesWithin(pool.run("after", counted, [gate()]), 30_000, "a call after A");
      assert.deepEqual(counters.map((counter) => Atomics.load(counter, 0)), [1, 1, 1, 1], "each queued call ran once");
    } finally {
      await pool.close();
    }
  });

  it("a queued call withdrawn before it starts resolves `withdrawn` and never runs; a running or unknown one is not withdrawn", async () => {
    const pool = new ThreadPool(1);
    try {
      await settlesWithin(pool.ready(), 60_000, "the pool's ready()");
      const holdA = gate();
      const counter = gate();
      const a = pool.run("a", held, [holdA, "a"]);
      const b = pool.run("b", counted, [counter]);
      assert.equal(pool.withdraw("a"), false, "A is first on its thread: it runs");
      assert.equal(pool.withdraw("unknown"), false);
      assert.equal(pool.withdraw("b"), true);
      assert.equal(pool.withdraw("b"), false, "withdrawn once");
      const bResult = await settlesWithin(b, 30_000, "B, withdrawn");
      assert.equal(!bResult.ok && bResult.withdrawn, true, JSON.stringify(bResult));
      assert.equal(pool.runningCount, 1);
      open(holdA);
      await settlesWithin(a, 30_000, "A");
      // Posted after B's message: once it ran, the thread has passed B's (and skipped it).
      assert.deepEqual(pick(await settlesWithin(pool.run("after", counted, [gate()]), 30_000, "a call after A")), { ok: true, result: 1, thread: 0 });
      assert.equal(Atomics.load(counter, 0), 0, "B never ran");
      assert.equal(pool.runningCount, 0);
    } finally {
      await pool.close();
    }
  });

  it("a call queued on a thread that dies runs on its successor, once; the one that was running fails naming the thread", async () => {
    const pool = new ThreadPool(1);
    try {
      await settlesWithin(pool.ready(), 60_000, "the pool's ready()");
      const dies = functionRefOf(function dies() {
        process.exit(3);
      });
      const counter = gate();
      const a = pool.run("a", dies, []);
      const b = pool.run("b", counted, [counter]);
      const aResult = await settlesWithin(a, 30_000, "A, whose thread exits");
      assert.equal(aResult.ok, false);
      assert.match(aResult.ok ? "" : aResult.error.message, /compute thread 0 stopped while running a: exit code 3/);
      assert.deepEqual(pick(await settlesWithin(b, 60_000, "B, queued behind A")), { ok: true, result: 1, thread: 0 });
      assert.equal(Atomics.load(counter, 0), 1);
    } finally {
      await pool.close();
    }
  });
});

function pick(result: ThreadResult): { ok: boolean; result?: unknown; thread: number } {
  return result.ok ? { ok: true, result: result.result, thread: result.thread } : { ok: false, result: result.error.message, thread: result.thread };
}
