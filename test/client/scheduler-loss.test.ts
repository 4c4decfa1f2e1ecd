/**
 * Issue 9 item 6: a client whose scheduler dies (kill -9) or stops (SIGSTOP) must not wait
 * for ever. Every pending future and call fails with an error naming the scheduler, every
 * later call raises at once, and the workers of a stopped scheduler give up too. The
 * scheduler and workers are real `tessera` processes.
 */
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Client } from "../../src/client/client.js";
import { ClosedError } from "../../src/core/errors.js";
import { TaskGraph, makeTask } from "../../src/graph/task-graph.js";
import { functionRefOf } from "../../src/graph/function-travel.js";
import { startSchedulerProcess, type SchedulerProcess } from "../engine/cluster-processes.js";

/** A task that runs for `ms` milliseconds on a worker thread. */
const spin = (ms: number) => {
  const end = Date.now() + ms;
  while (Date.now() < end) { /* busy */ }
  return ms;
};

describe("a client whose scheduler is gone", { timeout: 120_000 }, () => {
  const started: SchedulerProcess[] = [];
  after(async () => {
    for (const processes of started) await processes.stop();
  });

  it("kill -9 of the scheduler: pending futures and calls fail naming it, later calls raise, nothing hangs", async () => {
    const cluster = await startSchedulerProcess();
    started.push(cluster);
    cluster.startWorker();
    const client = await Client.connect({ schedulerFile: cluster.schedulerFile }, { setAsDefault: false });
    await client.waitForWorkers(1, { timeout: 60 });
    const address = client.schedulerAddress;
    const done = client.submit((x: number) => x + 1, 1);
    assert.equal(await done.result(), 2);
    const running = client.submit(spin, 600_000);
    const graph = new TaskGraph([makeTask("slow-graph-1", functionRefOf(spin), [600_000])]);
    const computing = client.compute(graph, ["slow-graph-1"]);
    const refreshing = client.waitForWorkers(5, { timeout: 600 });

    const named = (error: Error) => error.message.includes(address);
    // Each pending call's rejection is awaited from before the kill: one that fails while the
    // test still awaits another would otherwise count as an unhandled rejection.
    const runningFails = assert.rejects(running.result(), (error: Error) => named(error), "a running task's future fails naming the scheduler");
    const computeFails = assert.rejects(computing, (error: Error) => named(error), "compute() fails");
    const refreshFails = assert.rejects(refreshing, (error: Error) => named(error), "waitForWorkers() fails");

    cluster.child.kill("SIGKILL");

    await runningFails;
    await computeFails;
    await refreshFails;
    assert.throws(() => client.submit((x: number) => x, 2), (error: Error) => error instanceof ClosedError && named(error), "a later submit raises at once");
    await assert.rejects(client.compute(graph, ["slow-graph-1"]), ClosedError);
    await assert.rejects(done.result(), (error: Error) => named(error), "a finished result cannot be fetched any more either");
    await client.close();
  });

  it("SIGSTOP of the scheduler: pending calls fail after schedulerTimeout, and the workers give up after death-timeout", async () => {
    const cluster = await startSchedulerProcess();
    started.push(cluster);
    const worker = cluster.startWorker(["--death-timeout", "2s"], { TESSERA_LOG_LEVEL: "info" });
    const client = await Client.connect({ schedulerFile: cluster.schedulerFile }, { setAsDefault: false, schedulerTimeout: 2 });
    await client.waitForWorkers(1, { timeout: 60 });
    const running = client.submit(spin, 600_000);
    await running.state.wait(0.2).catch(() => {}); // the task reaches the worker first (or not: either way it is pending)

    cluster.child.kill("SIGSTOP");

    await assert.rejects(running.result(), (error: Error) => {
      assert.match(error.message, new RegExp(`scheduler at ${client.schedulerAddress.replace(/[.]/g, "\\.")} has not answered for 2 s`));
      return true;
    });
    assert.throws(() => client.submit((x: number) => x, 2), ClosedError);
    const exit = await worker.exited;
    assert.equal(exit.code, 1, "the worker exits with 'failed' once its scheduler stays silent");
    assert.match(worker.output(), /lost the scheduler connection.*has not answered for 2 s/);
    await client.close();
  });
});
