// A task queued on a compute thread behind the running one (run-queue.ts slots(), for a kind
// seen running short) has not started, so an idle worker may steal it, as Dask's would: the
// worker withdraws the call from its thread (thread-pool.ts withdraw) and accepts the steal.
// Here the running task waits for the queued one (as with an Event or a Queue between tasks):
// with the queued one bound to the only thread behind it, both would wait for ever.
// Real processes: one worker with one thread, then a second worker joins. The test waits on
// files and heartbeats, not on timers.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { heartbeatsAfter, oneThreadCluster, untilExists, untilQueuedBehindRunning } from "./heartbeat-views.js";

/**
 * Short (5 ms of compute: a task of well under a millisecond is never worth a steal's 100 ms
 * latency, stealing.ts worthStealing): notes in `ran-NAME` that it ran (once per run, with the
 * pid), returns `NAME@pid`.
 */
async function quick(dir: string, name: string): Promise<string> {
  const fs = await import("node:fs");
  for (const end = Date.now() + 5; Date.now() < end; );
  fs.appendFileSync(`${dir}/ran-${name}`, `${process.pid}\n`);
  return `${name}@${process.pid}`;
}

/** Waits (5 ms polls, inside the task) until `ran-AWAITED` exists; `started-NAME` says it began. */
async function waitForRun(dir: string, name: string, awaited: string): Promise<string> {
  const fs = await import("node:fs");
  fs.writeFileSync(`${dir}/started-${name}`, "");
  while (!fs.existsSync(`${dir}/ran-${awaited}`)) await new Promise((resolve) => setTimeout(resolve, 5));
  return `${name}@${process.pid}`;
}

/** `promise`, or a rejection naming `what` after `ms` (a hang fails the test instead of stalling it). */
async function settlesWithin<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe("a task queued behind the running one on a worker's only thread", { timeout: 240_000 }, () => {
  const on = oneThreadCluster("tessera-queued-steal-");

  it("is stolen by a worker that joins idle, and runs there once, while the running one waits for it", async () => {
    const { cluster, client, dir } = on;
    // `quick` seen running short here (a mean per kind, 0.8 of it kept per task: 15 runs bring
    // even a slow first one under 50 ms), so the worker queues one behind a running task.
    for (let i = 0; i < 15; i++) assert.match((await client.submit({ fn: quick, args: [dir, `warm${i}`], pure: false }).result()) as string, new RegExp(`^warm${i}@`));
    // The waiting one is of a kind the scheduler has not seen finish: it counts as 0.5 s
    // there (unknown-task-duration), which makes the worker worth stealing from. (A short kind's
    // task counts as short however long it has run: the scheduler would not steal behind it.)
    const first = client.submit({ fn: waitForRun, args: [dir, "first", "second"], pure: false });
    await untilExists(join(dir, "started-first"));
    const second = client.submit({ fn: quick, args: [dir, "second"], pure: false });
    // Both on the worker, the second queued on the thread (none ready there), as a heartbeat
    // sent after the scheduler had handed both over shows.
    const seen = await untilQueuedBehindRunning(client);
    assert.equal(seen.metrics.executing, 1, "one task runs, the second is queued behind it");
    assert.equal(existsSync(join(dir, "ran-second")), false);

    await cluster.scale(2);
    await client.waitForWorkers(2, { timeout: 60 });
    const [firstResult, secondResult] = await settlesWithin(Promise.all([first.result(), second.result()]) as Promise<string[]>, 60_000, "the running task and the one queued behind it");
    const pid = (result: string) => result.split("@")[1];
    assert.notEqual(pid(secondResult), pid(firstResult), "the queued task ran on the worker that joined");
    assert.equal(readFileSync(join(dir, "ran-second"), "utf8"), `${pid(secondResult)}\n`, "it ran once");
    // Nothing left counted as running or waiting on either worker (the withdrawn run's slot is free).
    const since = Math.max(...(await heartbeatsAfter(client, 0)).map((worker) => worker.lastSeen));
    const views = await heartbeatsAfter(client, since);
    assert.deepEqual(views.map((view) => [view.processing, view.metrics.executing, view.metrics.ready]), [[0, 0, 0], [0, 0, 0]]);
    // Both go on taking tasks: the first worker's thread skipped the withdrawn call.
    const later = await settlesWithin(Promise.all(Array.from({ length: 6 }, (_, i) => client.submit({ fn: quick, args: [dir, `later${i}`], pure: false }).result())), 60_000, "tasks after the steal");
    assert.equal(later.length, 6);
  });
});
