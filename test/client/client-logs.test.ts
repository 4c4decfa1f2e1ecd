/**
 * Logs, events and stories from the client on a LocalCluster with process workers:
 * getWorkerLogs/getSchedulerLogs read the recent log of each process, logEvent/getEvents
 * and subscribeTopic carry events between clients (and from tasks), forwardLogging brings
 * worker log records into this process, and story(key) lists every transition of a key on
 * the scheduler and on each worker involved, with worker and time.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Client, LocalCluster } from "../../src/index.js";
import { addLogSink, type LogRecord } from "../../src/core/log.js";
import { httpGet } from "../dashboard/http-client.js";

describe("logs, events and stories", { timeout: 120_000 }, () => {
  let cluster: LocalCluster;
  let client: Client;
  let workers: Array<{ address: string; name: string }>;
  before(async () => {
    cluster = await LocalCluster.start({ nWorkers: 2, threadsPerWorker: 1, dashboardAddress: ":0" });
    client = await Client.connect(cluster, { setAsDefault: false });
    workers = Object.values((await client.refreshSchedulerInfo()).workers).sort((a, b) => a.name.localeCompare(b.name));
  });
  after(async () => {
    await client?.close();
    await cluster?.close();
  });

  it("reads each worker's recent log (the last n records) and the scheduler's", async () => {
    const logs = await client.getWorkerLogs();
    assert.deepEqual(Object.keys(logs).sort(), workers.map((w) => w.address).sort());
    for (const worker of workers) {
      assert.ok(logs[worker.address].some((r) => r.message.includes(`at ${worker.address}`)), `worker ${worker.name}'s start line is in its log`);
    }
    const one = await client.getWorkerLogs({ n: 1, workers: [workers[0].address] });
    assert.deepEqual(Object.keys(one), [workers[0].address]);
    assert.equal(one[workers[0].address].length, 1);
    const scheduler = await client.getSchedulerLogs();
    assert.ok(scheduler.some((r) => r.message.includes(`scheduler at ${client.schedulerAddress}`)));
    await assert.rejects(client.getWorkerLogs({ n: -1 }), /must be a non-negative integer/);
  });

  it("keeps events by topic, delivers them to subscribers of another client, and takes them from tasks", { timeout: 60_000 }, async () => {
    const other = await Client.connect(cluster, { setAsDefault: false });
    try {
      const received: unknown[] = [];
      const twoArrived = new Promise<void>((resolve) => {
        other.subscribeTopic("progress", (event) => {
          received.push(event.msg);
          if (received.length === 2) resolve();
        });
      });
      await other.getEvents("progress"); // the subscription reached the scheduler before this answer
      client.logEvent("progress", { step: 1 });
      // From inside a task, through the task's own client.
      await client.submit(async (step: number) => {
        const { getClient } = await import("tessera");
        (await getClient()).logEvent("progress", { step, from: "task" });
        return step;
      }, 2).result();
      await twoArrived;
      assert.deepEqual(received, [{ step: 1 }, { step: 2, from: "task" }]);
      const kept = await client.getEvents("progress");
      assert.deepEqual(kept.map((e) => e.msg), [{ step: 1 }, { step: 2, from: "task" }]);
      assert.ok(kept.every((e) => typeof e.time === "number" && e.time > 1.7e9));
      const all = await client.getEvents();
      assert.deepEqual(all.progress.map((e) => e.msg), kept.map((e) => e.msg));
      assert.throws(() => client.logEvent("", 1), /a topic must be a non-empty string/);
    } finally {
      await other.close();
    }
  });

  it("forwards worker log records into this process while asked to", async () => {
    const seen: LogRecord[] = [];
    const remove = addLogSink((record) => seen.push(record));
    const dir = await mkdtemp(path.join(tmpdir(), "tessera-forward-"));
    try {
      const stop = await client.forwardLogging();
      const file = path.join(dir, "forwarded_module.js");
      await writeFile(file, "export const answer = 42;\n");
      await client.uploadFile(file); // each worker logs that it stored the module
      const deadline = Date.now() + 30_000;
      const forwarded = () => seen.filter((r) => r.component.startsWith("worker ") && r.message.includes("stored uploaded module forwarded_module.js"));
      while (forwarded().length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.deepEqual(forwarded().map((r) => r.component).sort(), workers.map((w) => `worker ${w.name}`).sort());
      await stop();
    } finally {
      remove();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("tells the story of a key: scheduler and worker transitions, with worker and time, in order", async () => {
    const [first, second] = workers;
    const a = client.submit({ fn: (x: number) => x + 1, args: [1], workers: [first.address], pure: false });
    const b = client.submit({ fn: (x: number) => x * 2, args: [a], workers: [second.address], pure: false });
    assert.equal(await b.result(), 4);
    const story = await client.story(a);
    assert.ok(story.every((entry) => entry.key === a.key));
    const times = story.map((entry) => entry.time);
    assert.deepEqual(times, [...times].sort((x, y) => x - y), "entries come by time");
    const on = (where: string) => story.filter((entry) => entry.where === where).map((entry) => `${entry.from}>${entry.to}`);
    assert.deepEqual(on("scheduler").slice(0, 3), ["released>waiting", "waiting>processing", "processing>memory"]);
    assert.equal(story.find((entry) => entry.where === "scheduler" && entry.to === "processing")?.worker, first.address);
    assert.ok(on(first.address).includes("executing>memory"), `ran on ${first.name}: ${on(first.address).join(", ")}`);
    assert.ok(on(second.address).some((t) => t.endsWith(">memory")) && !on(second.address).includes("executing>memory"), `fetched by ${second.name}: ${on(second.address).join(", ")}`);
    const both = await client.story(a, b.key);
    assert.deepEqual([...new Set(both.map((entry) => entry.key))].sort(), [a.key, b.key].sort());
    await assert.rejects(client.story(""), /story:/);
  });

  it("shows a worker's log and a key's story on the dashboard's info pages", async () => {
    const link = new URL(cluster.dashboardLink as string);
    const get = (route: string) => httpGet(`${link.protocol}//${link.host}/${route}`, { Authorization: `Bearer ${link.searchParams.get("token")}` });
    const [first] = workers;
    const workerPage = await get(`info/worker?worker=${encodeURIComponent(first.name)}`);
    assert.equal(workerPage.status, 200);
    assert.ok(workerPage.body.includes(`worker ${first.name} at ${first.address}`), "the worker's start line is on its page");
    const byAddress = await get(`info/worker?worker=${encodeURIComponent(first.address)}`);
    assert.equal(byAddress.status, 200);
    const a = client.submit({ fn: (x: number) => x - 1, args: [10], workers: [first.address], pure: false });
    assert.equal(await a.result(), 9);
    const taskPage = await get(`info/task?key=${encodeURIComponent(a.key)}`);
    assert.equal(taskPage.status, 200);
    for (const line of ["released → waiting", "waiting → processing", "executing → memory", "processing → memory", first.address]) {
      assert.ok(taskPage.body.includes(line), `the story page shows ${line}`);
    }
    assert.equal((await get("info/task?key=never-submitted")).status, 404);
    const hostile = await get(`info/worker?worker=${encodeURIComponent("<script>alert(1)</script>")}`);
    assert.equal(hostile.status, 404);
    assert.ok(!hostile.body.includes("<script>alert(1)"), "the name is escaped");
    assert.equal((await httpGet(`${link.protocol}//${link.host}/info/task?key=${encodeURIComponent(a.key)}`)).status, 401, "the pages need the dashboard token");
  });
});
