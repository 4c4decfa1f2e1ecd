/**
 * Issue 9 items 5 and 7 at the scheduler: a graph it cannot take fails that request alone
 * (the client stays connected and registered); a value returned by runOnScheduler that cannot
 * travel answers with an error instead of crashing the scheduler; and a CLI scheduler that
 * does crash leaves neither its scheduler file nor its credential file behind.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SchedulerServer } from "../../../src/scheduler/server/scheduler-server.js";
import { WorkerServer } from "../../../src/worker/server/worker-server.js";
import { Client } from "../../../src/client/client.js";
import { connect } from "../../../src/comm/connect.js";
import type { Connection } from "../../../src/comm/connection.js";
import type { Message } from "../../../src/protocol/messages.js";
import { createLogger } from "../../../src/core/log.js";
import { isAlive, startSchedulerProcess, startTessera, waitFor } from "../../engine/cluster-processes.js";

describe("requests the scheduler cannot serve", () => {
  let scheduler: SchedulerServer;
  let worker: WorkerServer;
  before(async () => {
    scheduler = await SchedulerServer.start({ address: "tcp://127.0.0.1:0" });
    worker = await WorkerServer.start({ schedulerAddress: scheduler.address, credential: scheduler.credential });
  });
  after(async () => {
    await worker?.close();
    await scheduler?.close();
  });

  it("refuses a graph it cannot take with an error reply, and the client stays connected", async () => {
    const connection: Connection = await connect(scheduler.address, { credential: scheduler.credential, logger: createLogger("test"), timeout: 5 });
    const arrived: Message[] = [];
    connection.start((message) => arrived.push(message));
    await connection.request({ op: "register-client" });
    const task = { key: "refused-1", fn: { source: "(x) => x", name: "identity" }, args: { $nd: ["float64", [1], 0] }, f: [] as number[], deps: [] };
    // The task's argument refers to frame 0, which this message does not carry.
    await assert.rejects(connection.request({ op: "update-graph", tasks: [{ ...task, f: [0] }], wanted: ["refused-1"] }), /refused: .*missing frame/);
    await assert.rejects(connection.request({ op: "update-graph", tasks: [{ ...task, key: "" }], wanted: [""] }), /refused/);
    assert.equal(connection.isClosed, false);
    const accepted = { key: "accepted-1", fn: { source: "(x) => x + 1", name: "increment" }, args: [41], f: [], deps: [] };
    await connection.request({ op: "update-graph", tasks: [accepted], wanted: ["accepted-1"] });
    await waitFor(() => arrived.some((m) => m.op === "key-in-memory" && m.key === "accepted-1"), "the accepted graph's result");
    connection.close();
  });

  it("answers runOnScheduler with an error for a value that cannot travel, and keeps serving", async () => {
    const client = await Client.connect(scheduler.address, { credential: scheduler.credential, setAsDefault: false });
    try {
      await assert.rejects(client.runOnScheduler(() => Symbol("on the scheduler")), /cannot send the value returned by the function run on the scheduler: it is a Symbol/);
      await assert.rejects(client.runOnScheduler(() => new (class Lock { held = true; })()), /instance of Lock/);
      assert.equal(await client.runOnScheduler(() => 2n ** 70n), 2n ** 70n);
      await assert.rejects(client.run(() => Symbol("on a worker")), /run on the worker: it is a Symbol/);
      assert.equal(await client.submit((x: number) => x * 2, 21).result(), 42);
    } finally {
      await client.close();
    }
  });
});

/** Makes the scheduler process throw outside any handler a moment after answering. */
const crashSoon = () => {
  setTimeout(() => { throw new Error("deliberate crash of the scheduler"); }, 50);
  return "armed";
};

describe("a CLI scheduler that crashes", { timeout: 120_000 }, () => {
  it("removes its scheduler file on the way out", async () => {
    const cluster = await startSchedulerProcess();
    try {
      const client = await Client.connect({ schedulerFile: cluster.schedulerFile }, { setAsDefault: false });
      assert.equal(await client.runOnScheduler(crashSoon), "armed");
      const exit = await cluster.exited;
      await client.close();
      assert.equal(exit.code, 1, "it did crash");
      assert.equal(existsSync(cluster.schedulerFile), false, "the scheduler file (with the credential) is gone");
    } finally {
      await cluster.stop();
    }
  });

  it("removes the credential file it created in the home directory on the way out", async () => {
    const home = mkdtempSync(join(tmpdir(), "tessera-home-"));
    const scheduler = startTessera(["scheduler", "--port", "0", "--no-dashboard"], { env: { HOME: home } });
    try {
      await waitFor(() => /credential file (\S+\.credential)/.test(scheduler.output()), "the credential file's name");
      const credentialFile = /credential file (\S+\.credential)/.exec(scheduler.output())?.[1] as string;
      const address = /Scheduler at (\S+)/.exec(scheduler.output())?.[1] as string;
      assert.ok(credentialFile.startsWith(home) && existsSync(credentialFile));
      const client = await Client.connect(address, { credentialFile, setAsDefault: false });
      assert.equal(await client.runOnScheduler(crashSoon), "armed");
      const exit = await scheduler.exited;
      await client.close();
      assert.equal(exit.code, 1);
      assert.equal(isAlive(scheduler.child.pid), false);
      assert.equal(existsSync(credentialFile), false, "the credential does not outlive its scheduler");
    } finally {
      scheduler.child.kill("SIGKILL");
      rmSync(home, { recursive: true, force: true });
    }
  });
});
