/**
 * Workers pushed past the terminate threshold by memory they cannot spill (held inside a
 * running task): the nanny kills and restarts them, the scheduler reruns the task elsewhere
 * and counts the death toward allowedFailures.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client, LocalCluster } from "../../src/index.js";
import { SchedulerServer } from "../../src/scheduler/server/scheduler-server.js";
import { credentialEnvironmentVariable } from "../../src/comm/credential.js";
import { systemProcessTable } from "../../src/worker/memory/scratch-directory.js";
import { hogAlways, hogOnce } from "../worker/memory/memory-tasks.js";
import { until } from "../worker/memory/watched-cluster.js";

const MiB = 2 ** 20;

/** The nanny records a restart when it sees its child exit, which may be after the scheduler noticed. */
async function restartsOf(cluster: LocalCluster, atLeast: number): Promise<LocalCluster["nannies"][number]["restarts"]> {
  const deadline = Date.now() + 10_000;
  while (cluster.nannies.flatMap((nanny) => nanny.restarts).length < atLeast && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return cluster.nannies.flatMap((nanny) => nanny.restarts).sort((a, b) => a.time - b.time);
}
const memoryLimit = 256 * MiB;
const hogBytes = 250 * MiB; // with the runtime's own ~100 MiB, well past 95 % of 256 MiB

describe("a worker past its terminate threshold (LocalCluster as nanny)", () => {
  let dir: string;
  let cluster: LocalCluster;
  let client: Client;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "tessera-nanny-"));
    cluster = await LocalCluster.start({
      nWorkers: 2, threadsPerWorker: 1, dashboardAddress: false, memoryLimit, localDirectory: dir, schedulerOptions: { allowedFailures: 1 },
    });
    client = await Client.connect(cluster);
  });
  after(async () => {
    await client?.close();
    await cluster?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("is restarted, and the computation still completes correctly", async () => {
    const pidsBefore = cluster.workerProcesses.map((worker) => worker.pid);
    const processesBefore = [...cluster.workerProcesses];
    const result = await client.submit({ fn: hogOnce, args: [join(dir, "hogged-once"), hogBytes, 21], pure: false }).result();
    assert.equal(result, 42, "the task ran again on a healthy worker");
    const restarts = await restartsOf(cluster, 1);
    assert.equal(restarts.length, 1);
    assert.equal(restarts[0].cause, "memory");
    assert.match(restarts[0].reason, /exceeded 95% of its memory budget \(process memory .*, limit 256\.00 MiB\): terminated by its nanny/);
    assert.notDeepEqual(cluster.workerProcesses.map((worker) => worker.pid), pidsBefore, "a fresh process replaced the killed one");
    // The nanny removes the dead worker's directory before it records the restart.
    const killed = processesBefore.filter((worker) => !worker.alive);
    assert.equal(killed.length, 1);
    assert.match(killed[0].localDirectory ?? "", /tessera-worker-/, "it had said where its directory was");
    assert.ok(!existsSync(killed[0].localDirectory as string), "the killed worker's scratch directory was removed by its nanny");
    await client.waitForWorkers(2, { timeout: 30 });
    // The next test kills workers again: wait until the new one has linked to its nanny (it says why it dies only then).
    await until(() => cluster.workerProcesses.every((worker) => worker.registeredAddress !== null), "the new worker's link to its nanny");
    const scratch = readdirSync(dir).filter((name) => name.startsWith("tessera-worker-"));
    assert.equal(scratch.length, 2, "one scratch directory per live worker, nothing left over");
  });

  it("counts toward allowedFailures: a task that always blows memory ends as KilledWorker, not a restart loop", async () => {
    const before = (await restartsOf(cluster, 1)).length;
    const poison = client.submit({ fn: hogAlways, args: [hogBytes], pure: false });
    await assert.rejects(poison.result(), (error: Error) => {
      assert.equal(error.name, "KilledWorker");
      assert.match(error.message, new RegExp(`Attempted to run task '${poison.key}' on 2 different workers`));
      assert.match(error.message, /exceeded 95% of its memory budget/, "the message says why the workers died");
      return true;
    });
    // No third attempt can come: the scheduler holds the task as failed, on no worker.
    const poisoned = cluster.scheduler.state.tasks.get(poison.key);
    assert.equal(poisoned?.status, "erred");
    assert.equal(poisoned?.processingOn, null, "no worker was given it again");
    const restarts = (await restartsOf(cluster, before + 2)).slice(before);
    assert.equal(restarts.length, 2, "one kill per attempt, then no more");
    assert.ok(restarts.every((restart) => restart.cause === "memory"));
    await client.waitForWorkers(2, { timeout: 30 });
    assert.equal(await client.submit({ fn: (x: number) => x + 1, args: [1], pure: false }).result(), 2, "the cluster still serves");
    assert.equal(cluster.nannies.flatMap((nanny) => nanny.restarts).length, before + 2, "and no worker was killed since");
  });
});

describe("tessera worker (its own nanny)", () => {
  const bin = fileURLToPath(new URL("../../../bin/tessera.js", import.meta.url));
  let scheduler: SchedulerServer;
  let client: Client;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "tessera-cli-nanny-"));
    scheduler = await SchedulerServer.start({ address: "tcp://127.0.0.1:0" });
    client = await Client.connect(scheduler.address, { credential: scheduler.credential, setAsDefault: false });
  });
  after(async () => {
    await client?.close();
    await scheduler?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("restarts its worker after a memory kill and says why in its log", async () => {
    const worker = spawn(process.execPath, [bin, "worker", scheduler.address, "--memory-limit", String(memoryLimit), "--name", "solo"], {
      env: { ...process.env, [credentialEnvironmentVariable]: scheduler.credential, TESSERA_LOG_LEVEL: "warn" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let log = "";
    worker.stderr?.on("data", (text: Buffer) => (log += text.toString()));
    const exited = new Promise<number | null>((resolve) => worker.once("exit", (code) => resolve(code)));
    try {
      await client.waitForWorkers(1, { timeout: 30 });
      const first = Object.values((await client.refreshSchedulerInfo()).workers)[0];
      const result = await client.submit({ fn: hogOnce, args: [join(dir, "cli-hog"), hogBytes, 5], pure: false }).result();
      assert.equal(result, 10);
      const second = Object.values((await client.refreshSchedulerInfo()).workers)[0];
      assert.notEqual(second.address, first.address, "a new worker process took over under the same name");
      assert.equal(second.name, "solo");
      assert.match(log, /Worker solo \(pid \d+\) exceeded 95% memory budget/);
      assert.match(log, /started by its nanny after the previous one exceeded 95% of its memory budget/);
    } finally {
      worker.kill("SIGTERM");
    }
    assert.equal(await exited, 0, "SIGTERM retires the worker and ends the nanny cleanly");
  });

  it("leaves nothing behind when the whole job is killed while memory climbs: the next worker on the node removes it", async () => {
    const local = join(dir, "node-local");
    mkdirSync(local);
    writeFileSync(join(local, "notes.txt"), "mine");
    mkdirSync(join(local, "tessera-worker-mine00")); // named like ours, but no marker: not ours
    const environment = { ...process.env, [credentialEnvironmentVariable]: scheduler.credential, TESSERA_LOG_LEVEL: "error" };
    const startWorker = (name: string) => spawn(process.execPath, [bin, "worker", scheduler.address, "--memory-limit", "4GiB", "--local-directory", local, "--name", name], {
      env: environment, stdio: "ignore", detached: true, // its own process group, as a batch job's processes are
    });
    const ours = () => readdirSync(local).filter((name) => name.startsWith("tessera-worker-") && name !== "tessera-worker-mine00");
    const job = startWorker("doomed");
    const jobGone = new Promise((resolve) => job.once("exit", resolve));
    await client.waitForWorkers(1, { timeout: 30 });
    const marker = join(dir, "job-hog");
    const hog = client.submit({ fn: hogOnce, args: [marker, 200 * MiB, 7], pure: false });
    // The task's own first step (its marker), not the scheduler's "executing": a worker can be
    // sent a task and killed before its thread starts it, and then the next worker's run would be the first.
    await until(() => existsSync(marker), "the task to start on the doomed worker");
    const doomed = [...scheduler.state.workers.values()].find((worker) => worker.identity.name === "doomed");
    assert.ok(doomed, "the doomed worker is registered");
    const workerPid = doomed.identity.pid;
    // Over its memory allowance, the batch system ends the job: nanny and worker at once.
    process.kill(-(job.pid as number), "SIGKILL");
    await jobGone;
    await until(() => systemProcessTable.processStart(workerPid) === undefined, "the worker process to end");
    const leftOver = ours();
    assert.equal(leftOver.length, 1, "the killed worker could not clean up, nor could its nanny");
    const next = startWorker("next");
    const nextGone = new Promise((resolve) => next.once("exit", resolve));
    try {
      assert.equal(await hog.result(), 14, "the task ran again on the next worker");
      assert.ok(!existsSync(join(local, leftOver[0])), "the next worker removed the dead one's directory");
      assert.equal(ours().length, 1, "only the live worker's own directory is there");
      assert.equal(readFileSync(join(local, "notes.txt"), "utf8"), "mine");
      assert.ok(existsSync(join(local, "tessera-worker-mine00")));
    } finally {
      next.kill("SIGTERM");
      await nextGone;
    }
  });
});
