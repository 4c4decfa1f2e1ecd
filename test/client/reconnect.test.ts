/**
 * A client whose scheduler process is killed and started again (the same scheduler file)
 * reconnects within reconnectTimeout, names the futures that were lost with the old
 * scheduler (FuturesLostError, and the "client-reconnected" topic), and goes on working.
 * Scheduler and workers are real `tessera` processes.
 */
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { Client } from "../../src/client/client.js";
import { startSchedulerProcess, startTessera, waitFor, type SchedulerProcess, type TesseraProcess } from "../engine/cluster-processes.js";

describe("reconnection after the scheduler comes back", { timeout: 180_000 }, () => {
  const started: Array<SchedulerProcess | TesseraProcess> = [];
  after(async () => {
    for (const processes of started) {
      if ("stop" in processes) await processes.stop();
      else if (processes.child.exitCode === null && processes.child.signalCode === null) {
        processes.child.kill("SIGKILL");
        await processes.exited;
      }
    }
  });

  it("kill -9 and restart of the scheduler: the client reconnects and names the lost futures", async () => {
    const cluster = await startSchedulerProcess();
    started.push(cluster);
    cluster.startWorker(["--death-timeout", "120s"]);
    const client = await Client.connect({ schedulerFile: cluster.schedulerFile }, { setAsDefault: false, reconnectTimeout: 90 });
    await client.waitForWorkers(1, { timeout: 60 });
    const finished = client.submit((x: number) => x + 1, 1);
    assert.equal(await finished.result(), 2);
    // Waits for a worker offering FPGA: pending when the scheduler goes away.
    const waiting = client.submit({ fn: (x: number) => x * 2, args: [21], resources: { FPGA: 1 } });
    const reconnected = new Promise<{ scheduler: string; lostKeys: string[] }>((resolve) => {
      client.subscribeTopic("client-reconnected", (event) => resolve(event.msg as { scheduler: string; lostKeys: string[] }));
    });

    cluster.child.kill("SIGKILL");
    await cluster.exited;
    rmSync(cluster.schedulerFile, { force: true });
    // While it is away, new calls say the client is reconnecting (those sent before it
    // noticed went to the dead scheduler: they are lost as well).
    // The probes' futures are kept: a future the program dropped may be collected and released
    // before the reconnection, and then it is rightly not reported (this test failed ~1 in 8
    // runs when it kept only the keys).
    const probes: Array<ReturnType<Client["submit"]>> = [];
    await waitFor(() => {
      try {
        probes.push(client.submit((x: number) => x, 0));
        return false;
      } catch (error) {
        return /reconnecting/.test((error as Error).message);
      }
    }, "the client to notice the lost scheduler");

    const again = startTessera(["scheduler", "--port", "0", "--scheduler-file", cluster.schedulerFile, "--no-dashboard"]);
    started.push(again);
    const event = await reconnected;
    assert.deepEqual(event.lostKeys.sort(), [...new Set([finished.key, waiting.key, ...probes.map((probe) => probe.key)])].sort());
    await assert.rejects(waiting.result(), (error: Error) => {
      assert.equal(error.name, "FuturesLostError");
      assert.match(error.message, new RegExp(`${waiting.key} was lost`));
      return true;
    });
    await assert.rejects(finished.result(), /was lost/);
    assert.equal(client.isClosed, false);
    const worker = startTessera(["worker", "--scheduler-file", cluster.schedulerFile, "--nthreads", "1"]);
    started.push(worker);
    await client.waitForWorkers(1, { timeout: 60 });
    assert.equal(await client.submit((x: number) => x + 1, 41).result(), 42);
    await client.close();
  });
});
