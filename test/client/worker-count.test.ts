/**
 * WorkerCount (Client.waitForWorkers): a wait ends when the count reaches n, a bad n or a spent timeout is refused with a clear error, and the
 * client's own state (closed, lost) ends the wait with its error.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ClosedError, InvalidOptionError, TimeoutError } from "../../src/core/errors.js";
import { WorkerCount } from "../../src/client/worker-count.js";

const open = () => {};

describe("WorkerCount", () => {
  it("a wait ends once the count reaches n and the waiters are woken", async () => {
    const count = new WorkerCount(1);
    let ended = false;
    const waiting = count.waitFor(3, {}, open).then(() => { ended = true; });
    count.value = 2;
    count.wake();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(ended, false, "2 of 3 workers must not end the wait");
    count.value = 3;
    count.wake();
    await waiting;
    assert.equal(ended, true);
  });

  it("returns at once when enough workers are there", async () => {
    await new WorkerCount(4).waitFor(4, {}, () => { throw new Error("not asked when enough workers are there"); });
  });

  it("refuses an n that is not a positive integer, naming waitForWorkers", async () => {
    for (const n of [0, -1, 1.5, Number.NaN]) {
      await assert.rejects(new WorkerCount(0).waitFor(n, {}, open), (error: Error) => error instanceof InvalidOptionError && /waitForWorkers: n must be a positive integer/.test(error.message));
    }
  });

  it("a spent timeout raises TimeoutError saying how many arrived", async () => {
    await assert.rejects(new WorkerCount(1).waitFor(2, { timeout: 0 }, open), (error: Error) => error instanceof TimeoutError && /only 1 of 2 workers arrived within 0 s/.test(error.message));
  });

  it("the client's state ends the wait with its error", async () => {
    const count = new WorkerCount(0);
    let closed = false;
    // The timeout only stops a broken wait from hanging the run: it would raise TimeoutError, not ClosedError.
    const waiting = count.waitFor(1, { timeout: 30 }, () => { if (closed) throw new ClosedError("this client is closed"); });
    closed = true;
    count.wake();
    await assert.rejects(waiting, ClosedError);
  });
});
