import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { useLocalCluster2x1 } from "../deploy/cluster-2x1.js";

/** Spins for `ms` milliseconds, then returns x²: a task that takes real time on a thread. */
const slowSquare = (x: number, ms: number) => {
  const end = Date.now() + ms;
  while (Date.now() < end) { /* busy */ }
  return x * x;
};

describe("faults", () => {
  const { cluster, client } = useLocalCluster2x1();

  it("survives kill -9 of a worker in the middle of a computation", async () => {
    const inputs = Array.from({ length: 40 }, (_, i) => i);
    const squares = client().map(slowSquare, inputs, inputs.map(() => 40));
    const sums = [0, 1, 2, 3].map((g) => client().submit((...xs: number[]) => xs.reduce((a, b) => a + b, 0), ...squares.slice(g * 10, g * 10 + 10)));
    // In the middle of the computation: once a first square is in, 39 more are queued or running.
    await squares[0].result();
    const victim = cluster().workerProcesses[0];
    assert.ok(victim.alive);
    victim.kill("SIGKILL");
    const values = await client().gather(sums);
    const expected = [0, 1, 2, 3].map((g) => inputs.slice(g * 10, g * 10 + 10).reduce((a, x) => a + x * x, 0));
    assert.deepEqual(values, expected);
    assert.equal(victim.exitInfo?.signal, "SIGKILL", "the worker really died");
  });

  it("gives KilledWorker for a task that kills every worker that runs it, and keeps serving", async () => {
    const poison = client().submit({ fn: () => process.kill(process.pid, "SIGKILL"), pure: false });
    await assert.rejects(poison.result(), (error: Error & { taskKey?: string }) => {
      assert.equal(error.name, "KilledWorker");
      assert.match(error.message, new RegExp(`Attempted to run task '${poison.key}' on 4 different workers`));
      return true;
    });
    await client().waitForWorkers(2, { timeout: 30 });
    assert.equal(await client().submit((a: number) => a + 1, 41).result(), 42, "the cluster still serves");
  });
});
