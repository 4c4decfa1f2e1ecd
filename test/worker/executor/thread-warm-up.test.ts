/**
 * A compute thread's warm-up (src/worker/executor/thread-warm-up.ts): before its worker joins,
 * it runs the Blosc-LZ4 codec and the Gaussian kernel once, so the first real task does not
 * pay for instantiating them; a step that cannot run is left to the task that needs it.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { warmUpThread } from "../../../src/worker/executor/thread-warm-up.js";

describe("a compute thread's warm-up", () => {
  it("runs the Blosc-LZ4 codec and the Gaussian kernel once each", async () => {
    const report = await warmUpThread();
    assert.deepEqual(report.steps, ["blosc-lz4", "gaussian"]);
  });

  it("can run again in the same thread (a replaced thread's successor warms up too)", async () => {
    assert.deepEqual((await warmUpThread()).steps, ["blosc-lz4", "gaussian"]);
  });
});
