/**
 * Soak (issue 9, Tests): 200 connect/submit/close cycles, then a 30-second flood of
 * unauthenticated connections (garbage, silence, half-finished handshakes), against a real
 * `tessera scheduler` process. Afterwards its open files (/proc/<pid>/fd) must be back to the
 * baseline (± 8), its JavaScript heap after a full garbage collection within 8 MiB of the
 * baseline; its log must stay small (the flood of the issue wrote 9.6 MB); and it must serve
 * a client during and after the flood.
 *
 * Resident memory: the first few thousand connections raise RSS by 20–45 MiB with the heap
 * flat, and then it stays there, moving by up to ±30 MiB (three 30 s rounds, 220,000
 * connections: +27, +19, +21 MiB over the baseline; eight 4 s rounds under load: 111–136
 * MiB; a full-suite run at load 15: +30 MiB over 56,000 connections after the warm-up):
 * the allocator keeps the pages it grew to and reuses them unevenly. So the flood runs in two
 * rounds, a 10 s warm-up and 20 s measured, and RSS may grow by at most 48 MiB over the
 * measured round, and 128 MiB over the baseline. That catches a native leak of a kilobyte
 * per connection once the machine makes 50,000 connections in the measured round (a quiet
 * one makes ~170,000, where half a kilobyte is caught too); a 512-byte leak planted per
 * connection, at load 14 with 21,000 connections, grew RSS by 20 MiB and was not.
 *
 * The allocator's rise does not always come in the warm-up: a full-suite run (2026-12-06,
 * quiet) grew 139.9 → 198.2 MiB over the measured round's 170,641 connections, where the same
 * file alone grew 152.9 → 156.1 MiB over as many. A leak grows RSS in every round, a one-off
 * rise once: so a measured round that grows past the 48 MiB is followed by one more, which
 * must not.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { connect as netConnect } from "node:net";
import { randomBytes } from "node:crypto";
import { Client } from "../../src/client/client.js";
import { parseAddress } from "../../src/comm/address.js";
import { readSchedulerFile } from "../../src/comm/scheduler-file.js";
import { startSchedulerProcess, waitFor, type SchedulerProcess } from "./cluster-processes.js";

const fdTolerance = 8;
const rssToleranceBytes = 128 * 2 ** 20;
const heapToleranceBytes = 8 * 2 ** 20;
const warmUpSeconds = 10;
const measuredSeconds = 20;
const measuredRssToleranceBytes = 48 * 2 ** 20;

function openFiles(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

function rssBytes(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8").split("\n").find((l) => l.startsWith("VmRSS:")) ?? "VmRSS: 0 kB";
  return Number(/(\d+)/.exec(line)?.[1] ?? 0) * 1024;
}

/**
 * One cycle of a well-behaved user. With `collect`, the scheduler also runs a full garbage
 * collection and reports its heap in use (bytes).
 */
async function cycle(schedulerFile: string, i: number, collect = false): Promise<number> {
  const client = await Client.connect({ schedulerFile }, { setAsDefault: false });
  try {
    assert.equal(await client.submit((x: number) => x + 1, i).result(), i + 1);
    if (!collect) return 0;
    return await client.runOnScheduler(() => {
      (globalThis as unknown as { gc: () => void }).gc();
      return process.memoryUsage().heapUsed;
    });
  } finally {
    await client.close();
  }
}

/** One unauthenticated peer: garbage, silence or a cut-off handshake, then gone. */
function hostileConnection(host: string, port: number, kind: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = netConnect({ host, port });
    const done = () => {
      socket.destroy();
      resolve();
    };
    socket.on("error", done);
    socket.on("close", done);
    socket.on("data", () => {});
    socket.once("connect", () => {
      if (kind % 3 === 0) socket.write(randomBytes(64));
      else if (kind % 3 === 1) socket.write(Buffer.from("TSR1"));
      // Leave after a short while, as a scanner would; the listener may close first.
      setTimeout(done, kind % 50);
    });
  });
}

describe("soak", { timeout: 300_000 }, () => {
  let cluster: SchedulerProcess;
  let pid: number;
  before(async () => {
    cluster = await startSchedulerProcess([], { env: { TESSERA_LOG_LEVEL: "warn" }, nodeOptions: ["--expose-gc"] });
    cluster.startWorker();
    pid = cluster.child.pid as number;
  });
  after(async () => {
    await cluster?.stop();
  });

  it("comes back to its baseline of open files and memory after 200 client cycles and a 30 s flood", async (t) => {
    await cycle(cluster.schedulerFile, 0);
    const baselineHeap = await cycle(cluster.schedulerFile, 0, true);
    const baselineFiles = openFiles(pid);
    const baselineRss = rssBytes(pid);
    const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
    t.diagnostic(`baseline: ${baselineFiles} open files, heap ${mib(baselineHeap)}, RSS ${mib(baselineRss)}`);

    for (let i = 0; i < 200; i++) await cycle(cluster.schedulerFile, i);

    const { host, port } = parseAddress((readSchedulerFile(cluster.schedulerFile) as { address: string }).address);
    const logBefore = cluster.output().length;
    let attempted = 0;
    let peakFiles = 0;
    /** Floods for `seconds` with 150 hostile peers at a time; a real user is served in the middle of it. */
    const flood = async (seconds: number) => {
      const end = Date.now() + seconds * 1000;
      const flooders = Array.from({ length: 150 }, async () => {
        while (Date.now() < end) await hostileConnection(host, port, attempted++);
      });
      const sampler = setInterval(() => (peakFiles = Math.max(peakFiles, openFiles(pid))), 200);
      // Connecting may take a retry while the listener is full.
      await cycle(cluster.schedulerFile, 7);
      await Promise.all(flooders);
      clearInterval(sampler);
    };
    await flood(warmUpSeconds);
    await cycle(cluster.schedulerFile, 1, true);
    const [warmRss, warmConnections] = [rssBytes(pid), attempted];
    await flood(measuredSeconds);
    const logBytes = cluster.output().length - logBefore;
    t.diagnostic(`flood: ${attempted} connections in ${warmUpSeconds + measuredSeconds} s (${attempted - warmConnections} measured), at most ${peakFiles} open files, ${logBytes} bytes of log`);

    /** The heap after a client cycle and a full collection, and RSS once the scheduler has closed the flood's files. */
    const settled = async () => {
      const heap = await cycle(cluster.schedulerFile, 1, true);
      // Closing is asynchronous on the scheduler's side: wait for its files to go.
      await waitFor(() => openFiles(pid) <= baselineFiles + fdTolerance, `open files back to ${baselineFiles} ± ${fdTolerance} (now ${openFiles(pid)})`, 30_000);
      return { heap, rss: rssBytes(pid) };
    };
    let { heap, rss } = await settled();
    t.diagnostic(`after: ${openFiles(pid)} open files, heap ${mib(heap)}, RSS ${mib(rss)} (${mib(warmRss)} after the warm-up)`);
    let [roundStartRss, roundStartConnections] = [warmRss, warmConnections];
    if (rss > warmRss + measuredRssToleranceBytes) {
      // Once more (see the module comment): a leak grows again, the allocator's one-off rise does not.
      [roundStartRss, roundStartConnections] = [rss, attempted];
      await flood(measuredSeconds);
      ({ heap, rss } = await settled());
      t.diagnostic(`RSS rose past ${mib(measuredRssToleranceBytes)} over the measured round; after one more round of ${attempted - roundStartConnections} connections: heap ${mib(heap)}, RSS ${mib(rss)}`);
    }
    assert.ok(heap <= baselineHeap + heapToleranceBytes, `heap ${mib(heap)} against a baseline of ${mib(baselineHeap)}`);
    assert.ok(rss <= baselineRss + rssToleranceBytes, `RSS ${mib(rss)} against a baseline of ${mib(baselineRss)}`);
    const measured = attempted - roundStartConnections;
    assert.ok(rss <= roundStartRss + measuredRssToleranceBytes,
      `RSS grew from ${mib(roundStartRss)} to ${mib(rss)} over ${measured} connections: a leak of ${((rss - roundStartRss) / Math.max(1, measured)).toFixed(0)} B per connection`);
    assert.ok(attempted > 5000, `the flood made ${attempted} connections`);
    assert.ok(peakFiles < baselineFiles + 256 + 200, `open files stayed bounded by the handshake cap (peak ${peakFiles})`);
    assert.ok(logBytes < 64 * 1024, `the log stayed small: ${logBytes} bytes`);
  });
});
