/**
 * How the nanny ends a worker and accounts for its exit. The memory kill runs against real
 * child processes that stand in for a worker (a fake worker: a few lines of Node that talk
 * the nanny's IPC protocol, no scheduler): a worker ordered to terminate gets time to say why
 * and exit by itself, even when it is slow to get a core (a loaded node), and one that
 * ignores the order is killed.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Nanny, describeExit, restartsAfter, terminateGraceMs, type WorkerExit } from "../../src/deploy/nanny.js";
import type { WorkerProcess } from "../../src/deploy/worker-process.js";
import { createLogger } from "../../src/core/log.js";

const MiB = 2 ** 20;
const memoryLimit = 128 * MiB;
const overLimitBytes = 160 * MiB;

/**
 * A fake worker process: says it registered, takes more memory than the limit, then on the nanny's "terminate" order waits
 * `answerAfterMs` (a process that gets no core for that long) and exits with code 1, as the
 * real worker does after its goodbye; with `answerAfterMs` null it ignores the order.
 */
function fakeWorkerProcess(answerAfterMs: number | null, localDirectory: string): { process: WorkerProcess; orders: string[] } {
  const script = `
    process.on("SIGTERM", () => {});
    process.on("message", (order) => {
      if (order.op !== "terminate") return;
      ${answerAfterMs === null ? "" : `setTimeout(() => process.exit(1), ${answerAfterMs});`}
    });
    process.send({ op: "registered", address: "tcp://fake:1", localDirectory: ${JSON.stringify(localDirectory)} });
    globalThis.held = Buffer.alloc(${overLimitBytes}, 1); // over the limit only now, with the handlers in place
    setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "ignore", "ignore", "ipc"] });
  const orders: string[] = [];
  let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, signal) => {
    exitInfo = { code, signal };
    resolve(exitInfo);
  }));
  const fake = {
    options: { localDirectory },
    registeredAddress: null as string | null,
    localDirectory: null as string | null,
    closeReason: null,
    exited,
    get pid() { return child.pid; },
    get alive() { return exitInfo === null; },
    recentLog: () => "",
    kill(signal: NodeJS.Signals = "SIGTERM") { if (exitInfo === null) child.kill(signal); },
    terminate(reason: string) {
      orders.push(reason);
      if (child.connected) child.send({ op: "terminate", reason });
      child.kill("SIGTERM");
    },
  };
  child.on("message", (report: { op: string; address?: string; localDirectory?: string }) => {
    if (report.op === "registered") {
      fake.registeredAddress = report.address ?? null;
      fake.localDirectory = report.localDirectory ?? null;
    }
  });
  return { process: fake as unknown as WorkerProcess, orders };
}

/** A nanny checking often and restarting nothing. */
async function killedForMemory(answerAfterMs: number | null): Promise<{ exit: WorkerExit; orders: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), "tessera-nanny-grace-"));
  let spawned: { process: WorkerProcess; orders: string[] } | undefined;
  try {
    const nanny = new Nanny({
      name: "fake", memoryLimit, terminateFraction: 0.95, monitorIntervalMs: 10, logger: createLogger("test-nanny"),
      spawn: () => (spawned = fakeWorkerProcess(answerAfterMs, join(dir, "scratch"))).process,
      restartAfter: () => false,
    });
    const exit = await nanny.finished;
    return { exit, orders: spawned?.orders ?? [] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("the nanny's memory kill", () => {
  it("lets a worker that is slow to act on the order exit by itself (it tells the scheduler why first)", async () => {
    // 300 ms without a core: thirty memory checks pass meanwhile.
    const { exit, orders } = await killedForMemory(300);
    assert.equal(orders.length, 1, "one order");
    assert.match(orders[0], /exceeded 95% of its memory budget/);
    assert.equal(exit.cause, "memory");
    assert.deepEqual({ code: exit.code, signal: exit.signal }, { code: 1, signal: null }, "it exited by itself, not by SIGKILL");
  });

  it(`kills a worker that ignores the order, after ${terminateGraceMs} ms`, { timeout: 60_000 }, async () => {
    const { exit } = await killedForMemory(null);
    assert.equal(exit.cause, "memory");
    assert.equal(exit.signal, "SIGKILL");
  });
});

describe("the nanny's account of an exit", () => {
  const facts = { memoryKill: null, stopping: false, closeReason: null, registered: true };
  it("names memory kills, crashes and clean closes, and restarts after the first two only", () => {
    const memory = describeExit({ code: 1, signal: null }, { ...facts, memoryKill: "exceeded 95% of its memory budget" });
    assert.equal(memory.cause, "memory");
    assert.ok(restartsAfter(memory));
    const oom = describeExit({ code: null, signal: "SIGKILL" }, facts);
    assert.equal(oom.cause, "crash");
    assert.match(oom.description, /killed by SIGKILL \(the kernel's out-of-memory killer/);
    assert.ok(restartsAfter(oom));
    assert.ok(!restartsAfter(describeExit({ code: 1, signal: null }, { ...facts, registered: false })), "a worker that never started is not restarted");
    const closed = describeExit({ code: 0, signal: null }, { ...facts, closeReason: "retired" });
    assert.equal(closed.description, "closed: retired");
    assert.ok(!restartsAfter(closed));
    assert.equal(describeExit({ code: 0, signal: null }, { ...facts, stopping: true }).cause, "stopped");
  });
});
