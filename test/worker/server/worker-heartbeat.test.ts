// The heartbeat's `executing` figure (worker-server.ts) counts the tasks running on a thread,
// as Dask's does, not a short task queued behind the running one (run-queue.ts slots()): the
// scheduler's worker view and the dashboard show it. One worker, one thread: a kind seen
// running short, then two of it, the first held on a file the test writes; the second is
// queued behind it on the thread. The test waits on files and heartbeats, not on timers.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { oneThreadCluster, untilExists, untilQueuedBehindRunning } from "./heartbeat-views.js";

/** Runs short once `go-NAME` exists in `dir`; until then it waits (5 ms polls, inside the task). */
async function holdUntilGo(dir: string, name: string): Promise<string> {
  const fs = await import("node:fs");
  fs.writeFileSync(`${dir}/started-${name}`, "");
  while (!fs.existsSync(`${dir}/go-${name}`)) await new Promise((resolve) => setTimeout(resolve, 5));
  return name;
}

describe("the worker's heartbeat", { timeout: 120_000 }, () => {
  const on = oneThreadCluster("tessera-heartbeat-");

  it("counts a task queued behind the running one on its thread as not executing", async () => {
    const { client, dir } = on;
    // Seen running short here, so the worker queues the next of its kind behind a running one
    // (a mean per kind, 0.8 of it kept per task: 15 runs bring even a slow first one under 50 ms).
    for (let i = 0; i < 15; i++) {
      writeFileSync(join(dir, `go-warm${i}`), "");
      assert.equal(await client.submit({ fn: holdUntilGo, args: [dir, `warm${i}`], pure: false }).result(), `warm${i}`);
    }
    const first = client.submit({ fn: holdUntilGo, args: [dir, "first"], pure: false });
    const second = client.submit({ fn: holdUntilGo, args: [dir, "second"], pure: false });
    await untilExists(join(dir, "started-first"));
    // Both on the worker (none ready, none still with the scheduler), as seen by a heartbeat
    // sent after the scheduler had handed both over.
    const seen = await untilQueuedBehindRunning(client);
    assert.equal(existsSync(join(dir, "started-second")), false, "the second waits behind the first on the one thread");
    assert.equal(seen.metrics.executing, 1, "one task runs; the one queued behind it does not count");
    writeFileSync(join(dir, "go-first"), "");
    writeFileSync(join(dir, "go-second"), "");
    assert.deepEqual(await Promise.all([first.result(), second.result()]), ["first", "second"]);
  });
});
