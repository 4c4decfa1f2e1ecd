/**
 * Tasks that submit tasks (Dask's get_client / worker_client / secede / rejoin) on a
 * LocalCluster with process workers. A task that waits on the subtasks it submitted gives its
 * thread slot back while it waits, so one worker with one thread does not deadlock, and
 * after rejoin it holds a slot again (seen from inside the tasks through marker files).
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Client, LocalCluster, getClient, rejoin, secede, workerClient } from "../../src/index.js";
import { waitFor } from "../engine/cluster-processes.js";

/** Sums the squares of 0..n-1, computed as n subtasks it submits and waits on (workerClient). */
async function sumOfSquares(n: number): Promise<number> {
  const { workerClient: withClient } = await import("tessera");
  return withClient(async (client) => {
    const squares = client.map((x: number) => x * x, Array.from({ length: n }, (_, i) => i));
    const values = await client.gather(squares) as number[];
    return values.reduce((s, v) => s + v, 0);
  });
}

/** The same with getClient, secede and rejoin spelled out, one level deeper (a task of tasks of tasks). */
async function nested(depth: number): Promise<number> {
  const tessera = await import("tessera");
  const client = await tessera.getClient();
  tessera.secede();
  const below = depth > 0
    ? await client.submit({ fn: nested, args: [depth - 1], pure: false }).result() as number
    : 0;
  await tessera.rejoin();
  return below + 1;
}

describe("tasks that submit tasks", { timeout: 120_000 }, () => {
  let cluster: LocalCluster;
  let client: Client;
  before(async () => {
    cluster = await LocalCluster.start({ nWorkers: 1, threadsPerWorker: 1, dashboardAddress: false });
    client = await Client.connect(cluster, { setAsDefault: false });
  });
  after(async () => {
    await client?.close();
    await cluster?.close();
  });

  it("runs subtasks of a waiting task on a 1-worker, 1-thread cluster (workerClient secedes)", { timeout: 60_000 }, async () => {
    assert.equal(await client.submit(sumOfSquares, 20).result(), Array.from({ length: 20 }, (_, i) => i * i).reduce((s, v) => s + v, 0));
  });

  it("nests getClient/secede/rejoin three levels deep on one thread", async () => {
    assert.equal(await client.submit({ fn: nested, args: [3], pure: false }).result(), 4);
  });

  it("holds a thread slot again after rejoin: a rejoined task never runs beside another task on a 1-thread worker", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "tessera-rejoin-"));
    try {
      const parents = client.map(async (where: string, id: number) => {
        const fs = await import("node:fs");
        const p = await import("node:path");
        const tessera = await import("tessera");
        const inner = await tessera.getClient();
        tessera.secede();
        await inner.submit({ fn: (x: number) => x, args: [id], pure: false }).result();
        await tessera.rejoin();
        // Back on the thread: alone there for a while (a leak of slots would let another in).
        const marker = p.join(where, `running-${id}`);
        fs.writeFileSync(marker, "");
        let most = 0;
        const giveUp = Date.now() + 200;
        while (Date.now() < giveUp) {
          most = Math.max(most, fs.readdirSync(where).filter((name) => name.startsWith("running-")).length);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        fs.rmSync(marker);
        return most;
      }, [dir, dir, dir, dir], [0, 1, 2, 3], { pure: false });
      assert.deepEqual(await client.gather(parents), [1, 1, 1, 1]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("tells the scheduler when a seceded task rejoins: it counts against the worker's slot again while it runs", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "tessera-rejoin-count-"));
    const worker = () => [...cluster.scheduler.state.workers.values()][0];
    const parent = () => cluster.scheduler.state.tasks.get(future.key);
    const future = client.submit(async (where: string) => {
      const fs = await import("node:fs");
      const p = await import("node:path");
      const tessera = await import("tessera");
      const waitForFile = async (name: string) => {
        while (!fs.existsSync(p.join(where, name))) await new Promise((resolve) => setTimeout(resolve, 20));
      };
      const inner = await tessera.getClient();
      tessera.secede();
      const child = await inner.submit({ fn: (x: number) => x + 1, args: [1], pure: false }).result() as number;
      fs.writeFileSync(p.join(where, "seceded"), "");
      await waitForFile("rejoin");
      await tessera.rejoin();
      fs.writeFileSync(p.join(where, "rejoined"), "");
      await waitForFile("release");
      return child;
    }, dir, { pure: false });
    try {
      await waitFor(() => existsSync(path.join(dir, "seceded")) && worker().longRunningCount === 1, "the scheduler to count the seceded task");
      assert.equal(parent()?.longRunning, true);
      await writeFile(path.join(dir, "rejoin"), "");
      await waitFor(() => existsSync(path.join(dir, "rejoined")) && worker().longRunningCount === 0, "the scheduler to hear of the rejoin");
      assert.equal(parent()?.status, "processing", "the rejoined task still runs");
      assert.equal(parent()?.longRunning, false);
      assert.equal(worker().processing.size - worker().longRunningCount, 1, "the rejoined task holds the worker's one slot");
      await writeFile(path.join(dir, "release"), "");
      assert.equal(await future.result(), 2);
    } finally {
      await writeFile(path.join(dir, "release"), "").catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("refuses secede/rejoin/workerClient outside a task, and getClient there gives the default client", async () => {
    assert.throws(() => secede(), /secede\(\) can only be called inside a task running on a worker/);
    await assert.rejects(rejoin(), /rejoin\(\) can only be called inside a task/);
    await assert.rejects(workerClient(async () => 1), /workerClient\(\) can only be called inside a task/);
    const fresh = await Client.connect(cluster);
    try {
      assert.equal(await getClient(), fresh);
    } finally {
      await fresh.close();
    }
  });
});
