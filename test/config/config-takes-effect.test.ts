/**
 * Every `distributed.scheduler.*`, `distributed.comm.timeouts.*` and
 * `distributed.worker.lifetime.*` key takes effect (`distributed.scheduler.locks.*` and
 * `.active-memory-manager.*` included): each is set in a YAML file named by
 * TESSERA_CONFIG (as a site would), a real LocalCluster (scheduler in this process, worker
 * processes that read the same file) starts with it, and the test observes what a user
 * would see. Keys tessera does not support are refused by name.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client, Event, LocalCluster, Semaphore, Variable } from "../../src/index.js";
import { holdSemaphoreUntil } from "../client/coordination-tasks.js";
import { waitFor } from "../engine/cluster-processes.js";
import { config, ConfigError, ConfigStore } from "../../src/config/index.js";
import { unixSeconds } from "../../src/core/clock.js";

interface StreamRecord { key: string; worker: string }

/** Spins for `ms` milliseconds on a worker thread: a task that takes real time. */
const busy = (x: number, ms: number) => {
  const end = Date.now() + ms;
  while (Date.now() < end) { /* busy */ }
  return x;
};

/** `seed + j` after spinning `ms` milliseconds: a dependent task that takes real time. */
const busyPlus = (seed: number, j: number, ms: number) => {
  const end = Date.now() + ms;
  while (Date.now() < end) { /* busy */ }
  return seed + j;
};

/** Points TESSERA_CONFIG (this process and the workers it starts) at a file with `yaml`. */
function useConfigFile(yaml: string): () => void {
  const dir = mkdtempSync(join(tmpdir(), "tessera-config-effect-"));
  const file = join(dir, "site.yaml");
  writeFileSync(file, yaml);
  const previous = process.env.TESSERA_CONFIG;
  process.env.TESSERA_CONFIG = file;
  config.refresh();
  return () => {
    if (previous === undefined) delete process.env.TESSERA_CONFIG;
    else process.env.TESSERA_CONFIG = previous;
    config.refresh();
    rmSync(dir, { recursive: true, force: true });
  };
}

/** A LocalCluster (and a client of it) started under a config file with `lines`; close() undoes all. */
async function clusterUnderConfig(lines: string[], options: { nWorkers: number; threadsPerWorker: number }): Promise<{ cluster: LocalCluster; client: Client; close: () => Promise<void> }> {
  const restore = useConfigFile([...lines, ""].join("\n"));
  const cluster = await LocalCluster.start({ ...options, dashboardAddress: false });
  const client = await Client.connect(cluster, { setAsDefault: false });
  return {
    cluster, client,
    close: async () => {
      await client.close();
      await cluster.close();
      restore();
    },
  };
}

describe("distributed.scheduler.* from a config file", () => {
  let cluster: LocalCluster;
  let client: Client;
  let close: (() => Promise<void>) | undefined;
  before(async () => {
    ({ cluster, client, close } = await clusterUnderConfig([
      "distributed:",
      "  scheduler:",
      "    allowed-failures: 5",
      "    worker-saturation: 2.5",
      "    work-stealing: false",
      "    worker-ttl: 1 hour",
      "    unknown-task-duration: 2s",
      "    bandwidth: 1MB",
    ], { nWorkers: 2, threadsPerWorker: 1 }));
  });
  after(async () => close?.());

  it("runs the scheduler with every key of the file", () => {
    const settings = cluster.scheduler.state.settings;
    assert.equal(settings.allowedFailures, 5);
    assert.equal(settings.workerSaturation, 2.5);
    assert.equal(settings.workStealing, false);
    assert.equal(settings.workerTtl, 3600);
    assert.equal(settings.unknownTaskDuration, 2);
    assert.equal(settings.bandwidth, 1e6);
  });

  it("allowed-failures: 5 lets a task kill six workers before KilledWorker", async () => {
    const poison = client.submit({ fn: () => process.kill(process.pid, "SIGKILL"), pure: false });
    await assert.rejects(poison.result(), (error: Error) => {
      assert.equal(error.name, "KilledWorker");
      assert.match(error.message, new RegExp(`Attempted to run task '${poison.key}' on 6 different workers`));
      return true;
    });
    await client.waitForWorkers(2, { timeout: 60 });
  });

  it("worker-saturation: 2.5 hands each 1-thread worker 3 root tasks at a time", async () => {
    const futures = Array.from({ length: 24 }, (_, i) => client.submit({ fn: busy, args: [i, 100], pure: false }));
    const state = cluster.scheduler.state;
    await waitFor(() => state.queued.size > 0, "root tasks queued on the scheduler", 120_000);
    const held = [...state.workers.values()].map((worker) => worker.processing.size);
    await Promise.all(futures.map((f) => f.result()));
    // Dask's rule: ceil(saturation × nthreads) root tasks per worker; 1.1 would give 2.
    assert.deepEqual(held, [3, 3], `root tasks held per worker while others wait: ${held.join(", ")}`);
  });

  it("work-stealing: false keeps every dependent on the worker holding its input", async () => {
    const since = unixSeconds();
    const seed = client.submit({ fn: busy, args: [1, 1], pure: false });
    const dependents = Array.from({ length: 8 }, (_, i) => client.submit({ fn: busyPlus, args: [seed, i, 200], pure: false }));
    await Promise.all(dependents.map((f) => f.result()));
    const stream = (await client.getTaskStream({ since: since - 1 })) as StreamRecord[];
    const seedWorker = stream.find((r) => r.key === seed.key)?.worker;
    const keys = new Set(dependents.map((f) => f.key));
    const workers = new Set(stream.filter((r) => keys.has(r.key)).map((r) => r.worker));
    // With stealing on, the idle worker takes some of the 200 ms tasks (1.6 s queued on one).
    assert.deepEqual([...workers], [seedWorker], "all eight ran where the seed was");
  });
});

describe("distributed.scheduler.work-stealing: true (the default) on the same workload", () => {
  it("moves some dependents to the idle worker", async () => {
    const cluster = await LocalCluster.start({ nWorkers: 2, threadsPerWorker: 1, dashboardAddress: false });
    const client = await Client.connect(cluster);
    try {
      const since = unixSeconds();
      const seed = client.submit({ fn: busy, args: [1, 1], pure: false });
      const dependents = Array.from({ length: 8 }, (_, i) => client.submit({ fn: busyPlus, args: [seed, i, 200], pure: false }));
      await Promise.all(dependents.map((f) => f.result()));
      const stream = (await client.getTaskStream({ since: since - 1 })) as StreamRecord[];
      const keys = new Set(dependents.map((f) => f.key));
      const workers = new Set(stream.filter((r) => keys.has(r.key)).map((r) => r.worker));
      assert.equal(workers.size, 2, "the idle worker stole some of the queued tasks");
    } finally {
      await client.close();
      await cluster.close();
    }
  });
});

describe("distributed.scheduler idle-timeout and worker-ttl from a config file", () => {
  it("idle-timeout: 1s closes a scheduler that has nothing to do", async () => {
    const restore = useConfigFile("distributed:\n  scheduler:\n    idle-timeout: 1s\n");
    const cluster = await LocalCluster.start({ nWorkers: 0, dashboardAddress: false });
    try {
      // With the default (null: never) it stays open past this hang guard.
      let closed = false;
      void cluster.scheduler.finished.then(() => (closed = true));
      await waitFor(() => closed, "the idle scheduler to close itself", 60_000);
    } finally {
      await cluster.close();
      restore();
    }
  });

  it("worker-ttl: 1s removes a worker that stopped answering (after 10 heartbeats at the least, as Dask)", async () => {
    const restore = useConfigFile("distributed:\n  scheduler:\n    worker-ttl: 1s\n");
    const cluster = await LocalCluster.start({ nWorkers: 2, threadsPerWorker: 1, dashboardAddress: false });
    const [stopped] = cluster.workerProcesses;
    try {
      const state = cluster.scheduler.state;
      const address = [...state.workers.values()].find((w) => w.identity.pid === stopped.pid)?.address;
      assert.ok(address, "the stopped worker is registered");
      process.kill(stopped.pid as number, "SIGSTOP");
      // The default worker-ttl (5 minutes) would keep it past this hang guard.
      await waitFor(() => !state.workers.has(address), "the silent worker's removal", 90_000);
    } finally {
      process.kill(stopped.pid as number, "SIGCONT");
      await cluster.close();
      restore();
    }
  });
});

describe("distributed.scheduler.locks.* and .active-memory-manager.* from a config file", () => {
  let cluster: LocalCluster;
  let client: Client;
  let close: (() => Promise<void>) | undefined;
  before(async () => {
    ({ cluster, client, close } = await clusterUnderConfig([
      "distributed:",
      "  scheduler:",
      "    locks:",
      "      lease-validation-interval: 500ms",
      "      lease-timeout: 2s",
      "    active-memory-manager:",
      "      start: false",
      "      interval: 5s",
    ], { nWorkers: 1, threadsPerWorker: 2 }));
  });
  after(async () => close?.());

  it("runs the scheduler's extensions with the file's values", () => {
    const { leases, replicas } = cluster.scheduler.extensions;
    assert.equal(leases.options.leaseValidationInterval, 0.5);
    assert.equal(leases.options.leaseTimeout, 2);
    assert.equal(replicas.options.activeMemoryManager, false);
    assert.equal(replicas.options.activeMemoryManagerInterval, 5);
  });

  it("lease-timeout: 2s gives a killed holder's lease to a waiter well before Dask's default 30 s", async () => {
    const holder = client.submit({ fn: holdSemaphoreUntil, args: ["one-writer", "writer-pid", "writer-let-go"], pure: false });
    const holderPid = await new Variable<number>("writer-pid", { client }).get({ timeout: 60 });
    const semaphore = new Semaphore({ name: "one-writer", maxLeases: 1, client });
    assert.equal(await semaphore.acquire({ timeout: 0 }), false, "held while its holder lives");
    process.kill(holderPid, "SIGKILL");
    // The 20 s bound only tells 2 s from the default 30 s; the lease comes back after ~2.5 s.
    assert.equal(await semaphore.acquire({ timeout: 20 }), true, "the dead holder's lease expired after the configured timeout");
    await semaphore.release();
    await new Event("writer-let-go", { client }).set();
    await holder.result(60);
  });
});

describe("distributed.worker.lifetime.* and distributed.comm.timeouts.* from a config file", () => {
  it("lifetime duration 2s, stagger 1s: each worker retires within 1 s of 2 s after it started", async () => {
    const restore = useConfigFile("distributed:\n  worker:\n    lifetime:\n      duration: 2s\n      stagger: 1s\n");
    const started = unixSeconds();
    const cluster = await LocalCluster.start({ nWorkers: 1, threadsPerWorker: 1, dashboardAddress: false });
    try {
      const [worker] = [...cluster.scheduler.state.workers.values()];
      const end = worker.identity.lifetimeEnd as number;
      assert.ok(end !== undefined, "the worker announced its lifetime");
      assert.ok(end >= started + 1 && end <= unixSeconds() + 3, `lifetime ends ${(end - started).toFixed(2)} s after the start`);
      const [nanny] = cluster.nannies;
      // The LocalCluster starts a new worker in its place, and says why.
      await waitFor(() => nanny.restarts.length > 0, "the worker's retirement", 120_000);
      assert.match(nanny.restarts[0].reason, /retired/);
    } finally {
      await cluster.close();
      restore();
    }
  });

  it("comm.timeouts.connect: 1s gives up on a scheduler that does not answer after 1 s", async () => {
    // A port that accepts TCP connections but never speaks: the handshake cannot complete.
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as { port: number }).port;
    const restore = useConfigFile("distributed:\n  comm:\n    timeouts:\n      connect: 1s\n      tcp: 2s\n");
    try {
      await assert.rejects(
        Client.connect(`tcp://127.0.0.1:${port}`, { setAsDefault: false, credential: "x".repeat(64) }),
        (error: Error) => /1 s/.test(error.message),
      );
    } finally {
      restore();
      silent.close();
    }
  });

  it("refuses the keys tessera does not support, by name", () => {
    const dir = mkdtempSync(join(tmpdir(), "tessera-config-refused-"));
    try {
      writeFileSync(join(dir, "site.yaml"), "distributed:\n  worker:\n    lifetime:\n      restart: true\n");
      const store = new ConfigStore({ env: { TESSERA_CONFIG: join(dir, "site.yaml") }, homeDirectory: dir, systemDirectory: dir });
      assert.throws(() => store.get("distributed.worker.lifetime"), (error: Error) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, /distributed\.worker\.lifetime\.restart/);
        return true;
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
