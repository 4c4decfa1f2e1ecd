/**
 * Abstract resources (Dask's `--resources "GPU=2"` and `resources={"GPU": 1}`) on a real
 * LocalCluster with process workers started with `tessera worker --resources`: a resource is
 * never over-committed (seen from inside the tasks, through marker files in a shared
 * directory), a task only goes where its resources are offered, one that no worker can
 * satisfy waits and the scheduler says why, and an array's annotation survives fusion.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Client, LocalCluster } from "../../../src/index.js";
import * as ta from "../../../src/array/index.js";
import { httpGet } from "../../dashboard/http-client.js";

/**
 * A task that holds a slot: it leaves a marker file in `dir`, waits until `crowd` markers are
 * there at once (then it says so with a flag file, which lets the others of its `batch` go on
 * as well) or, at most, `patienceMs` (the resource keeps the others out), records the most
 * markers it saw, and removes its own. Returns the most it saw.
 */
async function holdSlot(dir: string, batch: string, crowd: number, patienceMs: number): Promise<{ most: number }> {
  const fs = await import("node:fs");
  const p = await import("node:path");
  const marker = p.join(dir, `running-${batch}-${Math.random()}`);
  const reached = p.join(dir, `reached-${batch}`);
  fs.writeFileSync(marker, "");
  let most = 0;
  const giveUp = Date.now() + patienceMs;
  for (;;) {
    const now = fs.readdirSync(dir).filter((name) => name.startsWith("running-")).length;
    most = Math.max(most, now);
    if (now >= crowd) fs.writeFileSync(reached, "");
    if (fs.existsSync(reached) || Date.now() > giveUp) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  fs.rmSync(marker);
  return { most };
}

describe("resources on a LocalCluster (tessera worker --resources)", () => {
  let cluster: LocalCluster;
  let client: Client;
  let dir: string;
  before(async () => {
    // Two plain workers with four threads each; a GPU worker joins below with --resources.
    cluster = await LocalCluster.start({ nWorkers: 1, threadsPerWorker: 4, dashboardAddress: ":0", workerExtraArgs: ["--resources", "GPU=2,MEM=64e9"] });
    client = await Client.connect(cluster);
    dir = await mkdtemp(path.join(tmpdir(), "tessera-resources-"));
  });
  after(async () => {
    await client?.close();
    await cluster?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("reports what each worker offers", async () => {
    const info = await client.refreshSchedulerInfo();
    const workers = Object.values(info.workers) as Array<{ resources?: Record<string, number> }>;
    assert.equal(workers.length, 1);
    assert.deepEqual(workers[0].resources, { GPU: 2, MEM: 64e9 });
  });

  it("runs at most two GPU=1 tasks at once on a worker with GPU=2 and four threads", async () => {
    const n = 6;
    const futures = client.map(holdSlot, Array(n).fill(dir), Array(n).fill("map"), Array(n).fill(3), Array(n).fill(1000), { resources: { GPU: 1 }, pure: false });
    const seen = await client.gather(futures) as Array<{ most: number }>;
    assert.equal(Math.max(...seen.map((s) => s.most)), 2, `markers seen at once: ${seen.map((s) => s.most).join(", ")}`);
  });

  it("lets tasks without resources share the threads (four at once)", async () => {
    const futures = client.map(holdSlot, Array(4).fill(dir), Array(4).fill("free"), Array(4).fill(4), Array(4).fill(60_000), { pure: false });
    const seen = await client.gather(futures) as Array<{ most: number }>;
    assert.equal(Math.max(...seen.map((s) => s.most)), 4);
  });

  it("holds the resources of a submit for the whole task, also through compute and persist", async () => {
    const one = client.submit({ fn: holdSlot, args: [dir, "submit", 2, 300], resources: { GPU: 2 }, pure: false });
    const other = client.submit({ fn: holdSlot, args: [dir, "submit", 2, 300], resources: { GPU: 2 }, pure: false });
    const [a, b] = await client.gather([one, other]) as Array<{ most: number }>;
    assert.equal(Math.max(a.most, b.most), 1, "two tasks needing GPU=2 ran together on a GPU=2 worker");
    // compute/persist: every task of the graph holds GPU=2, so its four blocks run one at a time.
    const blocks = ta.zeros([16], { chunks: 4 }).mapBlocks(blockHoldingSlot, { dtype: "float64" }, { dir, batch: "compute" });
    const computed = await blocks.compute({ resources: { GPU: 2 } }) as { data: Float64Array };
    assert.deepEqual([...new Set(computed.data)], [1], "blocks of a compute with resources GPU=2 ran together");
    const persisted = await blocks.persist({ resources: { GPU: 2 } });
    const fromPersist = await persisted.compute() as { data: Float64Array };
    assert.deepEqual([...new Set(fromPersist.data)], [1], "blocks of a persist with resources GPU=2 ran together");
  });

  it("keeps a task no worker can satisfy waiting, and says why", async () => {
    const tooBig = client.submit({ fn: (x: number) => x + 1, args: [1], resources: { GPU: 3 }, pure: false });
    const unknown = client.submit({ fn: (x: number) => x + 2, args: [1], resources: { FPGA: 1 }, pure: false });
    const groups = await pollUnrunnable(client, 2);
    const reasons = groups.map((g) => g.reason).join(" | ");
    assert.match(reasons, /needs GPU=3 but the most a running worker offers is GPU=2/);
    assert.match(reasons, /no running worker offers a resource named "FPGA"/);
    assert.ok(groups.some((g) => g.exampleKey === tooBig.key) && groups.some((g) => g.exampleKey === unknown.key));
    assert.equal(tooBig.status, "pending");
    // The dashboard says the same (/json/unrunnable, with the dashboard's token).
    const link = new URL(cluster.dashboardLink as string);
    const page = await httpGet(`${link.protocol}//${link.host}/json/unrunnable`, { Authorization: `Bearer ${link.searchParams.get("token")}` });
    assert.equal(page.status, 200);
    assert.deepEqual((JSON.parse(page.body) as Array<{ reason: string }>).map((g) => g.reason).sort(), groups.map((g) => g.reason).sort());
    await tooBig.cancel();
    await unknown.cancel();
  });

  it("refuses bad resource amounts on submit, naming the resource", () => {
    assert.throws(() => client.submit({ fn: (x: number) => x, resources: { GPU: -1 } }), /resource GPU: the amount must not be negative/);
    assert.throws(() => client.submit({ fn: (x: number) => x, resources: { GPU: Number.NaN } }), /resource GPU: the amount is NaN/);
    assert.throws(() => client.submit({ fn: (x: number) => x, resources: { "G PU": 1 } }), /resource name "G PU"/);
    assert.throws(() => client.map((x: number) => x, [1, 2], { resources: { GPU: Infinity } }), /resource GPU: the amount must be finite/);
    assert.throws(() => client.submit({ fn: (x: number) => x, resources: { GPU: 1 } }, 1), /takes the function's arguments in its `args` option/);
  });

  it("keeps an array's annotation through fusion: mapBlocks.annotate({GPU: 2}) runs its blocks one at a time", async () => {
    // Fused with the add(1) after it (blockwise steps fuse): the fused task keeps GPU=2.
    const y = ta.zeros([24], { chunks: 4 }).mapBlocks(blockHoldingSlot, { dtype: "float64" }, { dir, batch: "annotated" }).annotate({ resources: { GPU: 2 } });
    const result = await y.add(1).compute() as { data: Float64Array };
    assert.deepEqual([...new Set(result.data)], [2], "a block saw another annotated block running at the same time");
  });

  it("refuses an annotation it does not act on, naming it", () => {
    assert.throws(() => ta.zeros([4]).annotate({ retries: 2 } as never), /"retries" is not an annotation tessera acts on/);
    assert.throws(() => ta.zeros([4]).annotate({ resources: { GPU: -2 } }), /resource GPU: the amount must not be negative/);
  });
});

/** holdSlot for a block of an array: every element becomes the most markers the block saw. */
async function blockHoldingSlot(block: { data: Float64Array }, options: { dir: string; batch: string }) {
  const fs = await import("node:fs");
  const p = await import("node:path");
  const marker = p.join(options.dir, `running-${options.batch}-${Math.random()}`);
  fs.writeFileSync(marker, "");
  let most = 0;
  const giveUp = Date.now() + 150;
  for (;;) {
    most = Math.max(most, fs.readdirSync(options.dir).filter((name) => name.startsWith("running-")).length);
    if (most >= 2 || Date.now() > giveUp) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  fs.rmSync(marker);
  block.data.fill(most);
  return block;
}

/** The scheduler's unrunnable groups once `n` reasons are there (they appear as the tasks arrive). */
async function pollUnrunnable(client: Client, n: number): Promise<Array<{ reason: string; count: number; exampleKey: string }>> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const groups = await client.unrunnable();
    if (groups.length >= n || Date.now() > deadline) return groups;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
