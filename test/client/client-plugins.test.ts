/**
 * Worker plugins, scheduler plugins, --preload and uploadFile on a LocalCluster with process
 * workers: a worker plugin runs on every current worker and on every worker that joins later;
 * one that throws at setup keeps that worker out of the pool, named in the error; scheduler
 * plugins see workers join; preload modules run at start; an uploaded module is imported by
 * the workers from their copy (the client's file is gone by then), also on later workers.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Client, LocalCluster } from "../../src/index.js";
import { startSchedulerProcess, waitFor } from "../engine/cluster-processes.js";

const tesseraIndex = pathToFileURL(path.resolve("dist/src/index.js")).href;

describe("worker and scheduler plugins, uploads, preloads", { timeout: 180_000 }, () => {
  let cluster: LocalCluster;
  let client: Client;
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "tessera-plugins-"));
    const preload = path.join(dir, "worker_preload.mjs");
    await writeFile(preload, "export function tesseraSetup(worker) { worker.log(`preloaded on ${worker.name}`); }\n");
    cluster = await LocalCluster.start({ nWorkers: 2, threadsPerWorker: 1, dashboardAddress: false, workerExtraArgs: ["--preload", preload] });
    client = await Client.connect(cluster, { setAsDefault: false });
  });
  after(async () => {
    await client?.close();
    await cluster?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("runs --preload modules on every worker before it joins", async () => {
    const logs = await client.getWorkerLogs();
    const names = Object.fromEntries(Object.values((await client.refreshSchedulerInfo()).workers).map((w) => [w.address, w.name]));
    for (const [address, records] of Object.entries(logs)) {
      assert.ok(records.some((r) => r.message === `preloaded on ${names[address]}`), `no preload line on ${names[address]}`);
    }
  });

  it("runs a worker plugin on every worker, and on workers that join later; a scheduler plugin sees them join", async () => {
    const marks = path.join(dir, "marks");
    await registerMarkingPlugin(client, marks);
    assert.deepEqual(readdirSync(marks).sort(), ["setup-0", "setup-1"], "setup ran on both workers before register resolved");
    await client.registerSchedulerPlugin({
      start(scheduler: { logEvent(topic: string, msg: unknown): void }) { (this as unknown as { scheduler: unknown }).scheduler = scheduler; },
      addWorker(worker: { name: string }) { ((this as unknown as { scheduler: { logEvent(topic: string, msg: unknown): void } }).scheduler).logEvent("joined", worker.name); },
    }, { name: "join-watch" });

    await cluster.scale(3);
    await client.waitForWorkers(3, { timeout: 60 });
    await waitFor(() => existsSync(path.join(marks, "setup-2")), "the plugin's setup on the worker that joined later", 60_000);
    await waitFor(async () => (await client.getEvents("joined")).some((e) => e.msg === "2"), "the scheduler plugin's addWorker for worker 2", 60_000);
    // The new worker runs tasks (its plugin set up without error).
    const ran = await client.submit({ fn: () => process.pid, workers: ["2"], pure: false }).result();
    assert.equal(typeof ran, "number");
    await cluster.scale(2);
  });

  it("keeps a worker whose plugin fails at setup out of the pool, naming the plugin and the worker", async () => {
    await assert.rejects(client.registerWorkerPlugin({
      setup(worker: { name: string }) { if (worker.name === "1") throw new Error("no scratch space here"); },
    }, { name: "picky" }), (error: Error) => {
      assert.match(error.message, /picky/);
      assert.match(error.message, /no scratch space here/);
      assert.match(error.message, /\b1\b/);
      return true;
    });
    const statuses = Object.fromEntries(Object.values((await client.refreshSchedulerInfo()).workers).map((w) => [w.name, w.status]));
    assert.equal(statuses["1"], "setup-failed");
    // Tasks go to the healthy worker only.
    const pids = await client.gather(client.map(() => process.pid, Array.from({ length: 8 }, (_, i) => i), { pure: false }));
    const running = Object.entries(statuses).filter(([, status]) => status === "running").map(([name]) => name);
    assert.ok(running.length > 0 && !running.includes("1"));
    const healthy = await client.runWith<number>({ fn: () => process.pid, workers: running });
    assert.deepEqual([...new Set(pids)].sort(), Object.values(healthy).sort());
    await client.unregisterWorkerPlugin("picky");
  });

  it("uploads a module the workers import from their copy, also on a worker that joins later", async () => {
    const file = path.join(dir, "uploaded_kernels.mjs");
    await writeFile(file, `import { exportedFunctions } from ${JSON.stringify(tesseraIndex)};\n` +
      "export const { tripled } = exportedFunctions(import.meta.url, { tripled: (x) => ({ value: x * 3, from: import.meta.url }) });\n");
    const { tripled } = await import(pathToFileURL(file).href) as { tripled: (x: number) => { value: number; from: string } };
    await client.uploadFile(file);
    await rm(file); // from now on only the workers' copies exist
    const results = await client.gather(client.map(tripled, [1, 2, 3], { pure: false })) as Array<{ value: number; from: string }>;
    assert.deepEqual(results.map((r) => r.value), [3, 6, 9]);
    assert.ok(results.every((r) => r.from !== pathToFileURL(file).href), "the workers ran their uploaded copy");
    await cluster.scale(3);
    await client.waitForWorkers(3, { timeout: 60 });
    const late = await client.submit({ fn: tripled, args: [5], workers: [await newestWorker(client)], pure: false }).result() as { value: number };
    assert.equal(late.value, 15);
  });

  it("refuses an upload that is not a module file, naming it", async () => {
    await assert.rejects(client.uploadFile(path.join(dir, "missing.mjs")), /uploadFile: cannot read .*missing\.mjs/);
    await assert.rejects(client.uploadFile(dir), /is not a regular file/);
  });
});

describe("tessera scheduler --preload", { timeout: 120_000 }, () => {
  it("runs the module's tesseraSetup(scheduler), which may add scheduler plugins", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "tessera-preload-"));
    const preload = path.join(dir, "scheduler_preload.mjs");
    await writeFile(preload, "export async function tesseraSetup(scheduler) {\n" +
      "  scheduler.logEvent('preloaded', scheduler.address);\n" +
      "  await scheduler.addPlugin({ addWorker(worker) { scheduler.logEvent('joined', worker.name); } }, 'preload-watch');\n}\n");
    const processes = await startSchedulerProcess(["--preload", preload]);
    try {
      processes.startWorker(["--name", "w-late"]);
      const client = await Client.connect({ schedulerFile: processes.schedulerFile }, { setAsDefault: false });
      try {
        assert.deepEqual((await client.getEvents("preloaded")).map((e) => e.msg), [client.schedulerAddress]);
        await client.waitForWorkers(1, { timeout: 60 });
        await waitFor(async () => (await client.getEvents("joined")).some((e) => e.msg === "w-late"), "the preloaded plugin's addWorker", 60_000);
      } finally {
        await client.close();
      }
    } finally {
      await processes.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("fails the start when the module cannot be imported, naming it", async () => {
    await assert.rejects(startSchedulerProcess(["--preload", "/nonexistent/preload.mjs"]), /cannot import preload module \/nonexistent\/preload\.mjs/);
  });
});

/** A plugin whose setup leaves `setup-<worker name>` in `marks`. */
async function registerMarkingPlugin(client: Client, marks: string): Promise<void> {
  await client.registerWorkerPlugin({
    marks,
    async setup(worker: { name: string }) {
      const fs = await import("node:fs");
      const p = await import("node:path");
      const where = (this as unknown as { marks: string }).marks;
      fs.mkdirSync(where, { recursive: true });
      fs.writeFileSync(p.join(where, `setup-${worker.name}`), "");
    },
  }, { name: "marking" });
}

/** The address of the worker with the highest name (the one that joined last). */
async function newestWorker(client: Client): Promise<string> {
  const workers = Object.values((await client.refreshSchedulerInfo()).workers);
  return workers.sort((a, b) => Number(b.name) - Number(a.name))[0].address;
}
