// A task queued on a compute thread behind the running one (run-queue.ts slots(), for a kind
// seen running short) has not started: when the client cancels it, the worker takes its call
// back from the thread (thread-pool.ts withdraw) and drops it as Dask's worker drops a freed
// ready task. It never runs, even after the running one ends.
// Real processes: one worker with one thread. The test waits on files, heartbeats and
// ordered messages (client.run reaches the worker after the free-keys it flushes), not on timers.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { heartbeatAfter, oneThreadCluster, untilExists, untilQueuedBehindRunning } from "./heartbeat-views.js";

/** Notes in `ran-NAME` that it ran (the marker a cancelled task must never leave). */
async function mark(dir: string, name: string): Promise<string> {
  const fs = await import("node:fs");
  fs.appendFileSync(`${dir}/ran-${name}`, `${process.pid}\n`);
  return name;
}

/** Says it began (`started-NAME`), then waits (5 ms polls, inside the task) until `go` exists. */
async function holdUntilGo(dir: string, name: string): Promise<string> {
  const fs = await import("node:fs");
  fs.writeFileSync(`${dir}/started-${name}`, "");
  while (!fs.existsSync(`${dir}/go`)) await new Promise((resolve) => setTimeout(resolve, 5));
  return name;
}

describe("a task cancelled while queued behind the running one on a worker's only thread", { timeout: 240_000 }, () => {
  const on = oneThreadCluster("tessera-queued-free-");

  it("never runs, and the thread goes on with later tasks", async () => {
    const { client, dir } = on;
    // `mark` seen running short here (15 runs bring even a slow first one under 50 ms), so the
    // worker queues one behind a running task.
    for (let i = 0; i < 15; i++) assert.equal(await client.submit({ fn: mark, args: [dir, `warm${i}`], pure: false }).result(), `warm${i}`);
    const first = client.submit({ fn: holdUntilGo, args: [dir, "first"], pure: false });
    await untilExists(join(dir, "started-first"));
    const second = client.submit({ fn: mark, args: [dir, "second"], pure: false });
    // Both on the worker, the second queued on the thread (none ready there).
    let seen = await untilQueuedBehindRunning(client);
    assert.equal(seen.metrics.executing, 1, "one task runs, the second is queued behind it");

    await second.cancel();
    // The scheduler sends the free-keys before the function it runs on the worker, on one link.
    await client.run(() => null);
    writeFileSync(join(dir, "go"), "");
    assert.equal(await first.result(), "first");
    // A later task of the kind, posted to the thread after the cancelled one was, has run:
    // the cancelled one would have run before it.
    assert.equal(await client.submit({ fn: mark, args: [dir, "third"], pure: false }).result(), "third");
    assert.equal(existsSync(join(dir, "ran-second")), false, "the cancelled task ran");
    // Nothing left counted as running or waiting on the worker (the withdrawn run's slot is free).
    seen = await heartbeatAfter(client, (await heartbeatAfter(client, 0)).lastSeen);
    assert.deepEqual([seen.processing, seen.metrics.executing, seen.metrics.ready], [0, 0, 0]);
  });
});
