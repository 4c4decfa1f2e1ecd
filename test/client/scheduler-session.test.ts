/**
 * The client's picture of the workers (src/client/scheduler-session.ts): plans are checked
 * against the workers' memory limits before every compute, and the client asks the scheduler
 * for them again only when workers joined or left since it last asked ("workers-changed"),
 * not once per compute.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Client, LocalCluster } from "../../src/index.js";
import * as ta from "../../src/array/index.js";

describe("the client's worker information", () => {
  let cluster: LocalCluster;
  let client: Client;
  /** scheduler-info requests the scheduler received (a spy on its message intake). */
  let infoRequests = 0;
  /** While set, the spy holds scheduler-info requests back (until `release`) and tells `onInfoRequest`. */
  let holdInfo = false;
  let held: Array<() => void> = [];
  let onInfoRequest: (() => void) | null = null;
  const release = () => {
    holdInfo = false;
    for (const answer of held) answer();
    held = [];
  };
  before(async () => {
    cluster = await LocalCluster.start({ nWorkers: 1, threadsPerWorker: 1, dashboardAddress: false, memoryLimit: 2e9 });
    client = await Client.connect(cluster, { setAsDefault: false });
    const server = cluster.scheduler as unknown as { receive: (message: { op: string }, ...rest: unknown[]) => void };
    const receive = server.receive.bind(server);
    // The room a worker leaves a task (worker/memory/task-room.ts) comes with its first heartbeat
    // after joining, and a plan check asks the scheduler again until every worker has sent it:
    // what is tested is the computes after that, so the test waits for that heartbeat.
    const roomKnown = () => [...cluster.scheduler.state.workers.values()].every((worker) => typeof (worker.metrics as { taskRoomBytes?: unknown }).taskRoomBytes === "number");
    let heartbeatSeen: () => void = () => {};
    const roomReported = new Promise<void>((resolve) => (heartbeatSeen = resolve));
    server.receive = (message, ...rest) => {
      if (message.op === "heartbeat") {
        receive(message, ...rest);
        if (roomKnown()) heartbeatSeen();
        return;
      }
      if (message.op !== "scheduler-info") return receive(message, ...rest);
      infoRequests++;
      if (holdInfo) held.push(() => receive(message, ...rest));
      else receive(message, ...rest);
      onInfoRequest?.();
    };
    if (!roomKnown()) await roomReported;
  });
  after(async () => {
    await client?.close();
    await cluster?.close();
  });

  it("checks every compute's plan without asking the scheduler again while the workers stay the same", async () => {
    const x = ta.random([400, 400], { chunks: [100, 100], seed: 2 });
    const first = (await x.sum().compute({ executor: client })).item() as number;
    const asked = infoRequests;
    for (let i = 0; i < 3; i++) assert.equal((await x.sum().compute({ executor: client })).item(), first);
    assert.equal(infoRequests, asked, "no scheduler-info request for the later computes");
    assert.deepEqual(await client.workerMemoryLimits(), [2e9]);
  });

  it("asks again once a worker joined, even before its own refresh on the announcement came back", async () => {
    // The client refreshes its info when a worker joins (workers-changed); that request is held
    // at the scheduler, so a plan checked meanwhile must not take the old info for current.
    holdInfo = true;
    const announced = new Promise<void>((resolve) => (onInfoRequest = resolve));
    await cluster.scale(2);
    await announced;
    onInfoRequest = null;
    const limits = client.workerMemoryLimits();
    release();
    assert.deepEqual(await limits, [2e9, 2e9]);
    const asked = infoRequests;
    await client.workerMemoryLimits();
    assert.equal(infoRequests, asked, "then current again");
  });
});
