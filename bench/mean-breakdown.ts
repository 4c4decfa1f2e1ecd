/**
 * Where one compute of the persisted mean (issue 10: 8000² float64, chunks 500², 256 blocks,
 * LocalCluster n × 1 thread) spends its wall time: a timeline of one run from the client's
 * call to the value in hand. The client and the scheduler share this process, so their
 * messages are seen by wrapping Connection (every batch written and read here, with its ops
 * and time); the workers' task runs come from the scheduler's task stream (the workers'
 * clocks: same machine, same clock). Printed per round:
 *   lower+plan     call → update-graph written (lowering, culling, plan check, packing)
 *   to first task  update-graph written → the first task starts on a worker
 *   tasks          first start → last stop, with each worker's busy time and task count
 *   result         last task stops → value in the client's hands (reports, key-in-memory,
 *                  who-has, get-data)
 * and, within the tasks' window: the gaps between one worker's tasks (a thread idle between
 * two of its tasks, summed over workers), how far apart the workers' last first-level tasks
 * stop (the imbalance), and the last first-level stop → the final combine's start; with
 * `--timeline`, the round's messages in order (op, direction, ms since the call).
 * `--profile FILE` instead writes V8 CPU profiles over the timed computes only: this process's
 * (client and scheduler) per round as FILE.R.cpuprofile, and each worker's main thread over all
 * rounds as FILE.worker-PID.cpuprofile (started and stopped there with client.run).
 * `--memory-limit BYTES` sets the workers' limit (0: none, which also turns off the compute
 * threads' collection after large tasks, thread-memory.ts).
 *   node dist/bench/mean-breakdown.js [--workers 2] [--rounds 5] [--warm 10] [--like-reductions] [--timeline] [--profile FILE] [--memory-limit BYTES]
 */
import { readFileSync, readdirSync } from "node:fs";
import { loadavg } from "node:os";
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { Client, LocalCluster } from "../src/index.js";
import * as ta from "../src/array/index.js";
import { Connection } from "../src/comm/connection.js";
import type { Batch } from "../src/comm/channel.js";
import { checkFlags, fmt, median } from "./bench-support.js";

checkFlags(["--memory-limit", "--profile", "--rounds", "--warm", "--workers"], ["--like-reductions", "--timeline"]);
const arg = (name: string, fallback: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback);
const nWorkers = Number(arg("--workers", "2"));
const rounds = Number(arg("--rounds", "5"));
const warm = Number(arg("--warm", "10"));
const showTimeline = process.argv.includes("--timeline");
/** The workers' memory limit in bytes (0: none; default: LocalCluster's). */
const memoryLimit = process.argv.includes("--memory-limit") ? Number(arg("--memory-limit", "0")) : undefined;
/** Writes a CPU profile of this process (client and scheduler) over the timed computes only, to this file. */
const profileFile = process.argv.includes("--profile") ? arg("--profile", "") : "";
/**
 * Each round as bench/reductions.ts runs it: a new random x, the sum of x + x.T, x persisted,
 * then the timed mean (fresh blocks, workers just back from other work); default: one x
 * persisted once and its mean timed again and again.
 */
const likeReductions = process.argv.includes("--like-reductions");

interface Event { at: number; direction: "out" | "in"; peer: string; ops: string[] }
const events: Event[] = [];
let recording = false;

/** Records every batch this process writes or reads (the wrapping stays for the whole run). */
function instrument(): void {
  const proto = Connection.prototype as unknown as { flush(): void; receive(batch: Batch): void; outbox: Array<{ op: string }> };
  const flush = proto.flush;
  proto.flush = function (this: { outbox: Array<{ op: string }>; peerAddress: string }) {
    if (recording && this.outbox.length > 0) events.push({ at: (performance.timeOrigin + performance.now()) / 1000, direction: "out", peer: this.peerAddress, ops: this.outbox.map((m) => m.op) });
    flush.call(this);
  };
  const receive = proto.receive;
  proto.receive = function (this: Connection, batch: Batch) {
    if (recording) events.push({ at: (performance.timeOrigin + performance.now()) / 1000, direction: "in", peer: this.peerAddress, ops: (batch.messages as Array<{ op: string }>).map((m) => m.op) });
    receive.call(this, batch);
  };
}

/**
 * CPU and run-queue wait seconds of a process's main thread and of its other threads, from
 * schedstat (ns precision), and how often its other threads went to sleep (voluntary context
 * switches: a compute thread that waits for its next task sleeps; a count, steadier than times
 * on a loaded machine).
 */
function threadTimes(pid: number | undefined): { main: number; others: number; wait: number; otherSleeps: number; byThread: Map<string, { cpu: number; sleeps: number }> } {
  const out = { main: 0, others: 0, wait: 0, otherSleeps: 0, byThread: new Map<string, { cpu: number; sleeps: number }>() };
  if (!pid) return out;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const [cpu, wait] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ").map(Number);
      if (tid === String(pid)) out.main += cpu / 1e9;
      else out.others += cpu / 1e9;
      out.wait += wait / 1e9;
      if (tid !== String(pid)) {
        const sleeps = Number(/voluntary_ctxt_switches:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/task/${tid}/status`, "utf8"))?.[1] ?? 0);
        out.otherSleeps += sleeps;
        out.byThread.set(tid, { cpu, sleeps });
      }
    } catch {
      // a thread that ended between the listing and the read
    }
  }
  return out;
}

interface TaskRun { key: string; worker: string; startstops: Array<{ action: string; start: number; stop: number }> }

async function main(): Promise<void> {
  instrument();
  const cluster = await LocalCluster.start({ nWorkers, threadsPerWorker: 1, dashboardAddress: false, ...(memoryLimit !== undefined ? { memoryLimit } : {}) });
  const client = await Client.connect(cluster, { setAsDefault: true });
  const rows: Array<Record<string, number>> = [];
  try {
    let x = await ta.random([8000, 8000], { chunks: [500, 500], seed: 1 }).persist();
    for (let r = 0; r < warm; r++) await x.mean().compute();
    const session = profileFile ? new Session() : null;
    if (session) {
      session.connect();
      await session.post("Profiler.enable");
      await session.post("Profiler.setSamplingInterval", { interval: 100 });
    }
    if (session) {
      // The workers' main threads too, over the same computes (client.run runs there).
      await client.run(async (interval: number) => {
        const { Session: WorkerSession } = await import("node:inspector/promises");
        const own = new WorkerSession();
        own.connect();
        await own.post("Profiler.enable");
        await own.post("Profiler.setSamplingInterval", { interval });
        await own.post("Profiler.start");
        (globalThis as Record<string, unknown>).meanBreakdownSession = own;
      }, 100);
    }
    for (let r = 0; r < rounds; r++) {
      if (likeReductions) {
        const fresh = ta.random([8000, 8000], { chunks: [500, 500], seed: 100 + r });
        await fresh.add(fresh.transpose()).sum().compute();
        x = await fresh.persist();
      }
      if (session) {
        // Only the computes: what the bench reads afterwards (task stream, logs) is not the mean's.
        await session.post("Profiler.start");
        await x.mean().compute();
        const { profile } = await session.post("Profiler.stop");
        writeFileSync(`${profileFile}.${r}.cpuprofile`, JSON.stringify(profile));
        continue;
      }
      events.length = 0;
      recording = true;
      const pids = cluster.workerProcesses.map((p) => p.pid);
      const workersBefore = pids.map(threadTimes);
      const clientBefore = process.cpuUsage();
      const called = (performance.timeOrigin + performance.now()) / 1000;
      await x.mean().compute();
      const done = (performance.timeOrigin + performance.now()) / 1000;
      const clientCpu = process.cpuUsage(clientBefore);
      const workersAfter = pids.map(threadTimes);
      recording = false;
      const workerDelta = (field: "main" | "others" | "wait" | "otherSleeps") => workersAfter.reduce((sum, w, i) => sum + w[field] - workersBefore[i][field], 0) * 1000;
      const stream = (await client.getTaskStream({ since: called })) as TaskRun[];
      const transfers = (await client.getTransferLog({ since: called })) as Array<{ worker: string; from: string; keys: string[]; bytes: number; start: number; stop: number }>;
      const computes = stream.flatMap((t) => t.startstops.filter((s) => s.action === "compute").map((s) => ({ ...s, worker: t.worker, key: t.key })));
      const firstStart = Math.min(...computes.map((c) => c.start));
      const lastStop = Math.max(...computes.map((c) => c.stop));
      const graphOut = events.find((e) => e.direction === "out" && e.ops.includes("update-graph"))?.at ?? NaN;
      const busy = new Map<string, { ms: number; tasks: number }>();
      for (const c of computes) {
        const entry = busy.get(c.worker) ?? { ms: 0, tasks: 0 };
        entry.ms += (c.stop - c.start) * 1000;
        entry.tasks++;
        busy.set(c.worker, entry);
      }
      const ms = (s: number) => s * 1000;
      // The last task to start is the final combine: what comes before it is the first levels.
      const final = computes.reduce((a, b) => (b.start > a.start ? b : a));
      const before = computes.filter((c) => c !== final);
      const lastPartial = Math.max(...before.map((c) => c.stop));
      // Per worker, idle time between one of its tasks stopping and its next starting, over the first levels.
      let gaps = 0;
      for (const worker of busy.keys()) {
        const own = before.filter((c) => c.worker === worker).sort((a, b) => a.start - b.start);
        for (let i = 1; i < own.length; i++) gaps += Math.max(0, own[i].start - own[i - 1].stop);
      }
      const row = {
        total: ms(done - called), lower: ms(graphOut - called), toFirstTask: ms(firstStart - graphOut), tasks: ms(lastStop - firstStart),
        result: ms(done - lastStop), gaps: ms(gaps), toFinal: ms(final.start - lastPartial), finalRun: ms(final.stop - final.start),
        firstLevelsSpread: ms(lastPartial - Math.min(...[...busy.keys()].map((w) => Math.max(...before.filter((c) => c.worker === w).map((c) => c.stop))))), taskCount: computes.length, busiest: Math.max(...[...busy.values()].map((b) => b.ms)),
        batchesOut: events.filter((e) => e.direction === "out").length, batchesIn: events.filter((e) => e.direction === "in").length,
        clientCpu: (clientCpu.user + clientCpu.system) / 1000, workerMainCpu: workerDelta("main"), workerOtherCpu: workerDelta("others"), workerWait: workerDelta("wait"),
        otherSleeps: workerDelta("otherSleeps") / 1000,
        // Each worker's compute thread: its busiest thread but the main one (1 thread per worker).
        computeSleeps: workersAfter.reduce((sum, w, i) => {
          const deltas = [...w.byThread].map(([tid, t]) => ({ cpu: t.cpu - (workersBefore[i].byThread.get(tid)?.cpu ?? 0), sleeps: t.sleeps - (workersBefore[i].byThread.get(tid)?.sleeps ?? 0) }));
          return sum + (deltas.sort((a, b) => b.cpu - a.cpu)[0]?.sleeps ?? 0);
        }, 0),
      };
      rows.push(row);
      process.stdout.write(`round ${r}: total ${fmt(row.total, 1)} ms = lower+plan ${fmt(row.lower, 1)} + to first task ${fmt(row.toFirstTask, 1)} + tasks ${fmt(row.tasks, 1)} + result ${fmt(row.result, 1)}; `
        + `gaps between a worker's tasks ${fmt(row.gaps, 1)} ms (summed), workers' last first-level stops ${fmt(row.firstLevelsSpread, 1)} ms apart, last first-level stop → final start ${fmt(row.toFinal, 1)} ms, final ${fmt(row.finalRun, 1)} ms; `
        + `${row.taskCount} tasks; per worker ${[...busy.values()].map((b) => `${b.tasks} tasks ${fmt(b.ms, 1)} ms busy`).join(", ")}; batches out ${row.batchesOut} in ${row.batchesIn}; `
        + `CPU ms: client+scheduler ${fmt(row.clientCpu, 1)}, workers' main threads ${fmt(row.workerMainCpu, 1)}, other threads ${fmt(row.workerOtherCpu, 1)}; workers' threads waited for a core ${fmt(row.workerWait, 1)} ms\n`);
      if (showTimeline) {
        const lines = [
          ...events.map((e) => ({ at: e.at, text: `${e.direction === "out" ? "→" : "←"} ${e.peer} ${e.ops.join(",")}` })),
          ...computes.map((c) => ({ at: c.start, text: `  [${c.worker}] start ${c.key.slice(0, 60)} (${fmt((c.stop - c.start) * 1000, 2)} ms)` })),
          ...computes.map((c) => ({ at: c.stop, text: `  [${c.worker}] stop  ${c.key.slice(0, 60)}` })),
          ...transfers.map((t) => ({ at: t.start, text: `  [${t.worker}] fetch ${t.keys.length} key(s), ${t.bytes} B from ${t.from} (${fmt((t.stop - t.start) * 1000, 2)} ms)` })),
        ].sort((a, b) => a.at - b.at);
        for (const line of lines) process.stdout.write(`  ${fmt((line.at - called) * 1000, 2).padStart(8)} ms ${line.text}\n`);
      }
    }
    if (session) {
      await client.run(async (file: string) => {
        const { writeFileSync: write } = await import("node:fs");
        const own = (globalThis as Record<string, unknown>).meanBreakdownSession as import("node:inspector/promises").Session;
        const { profile } = await own.post("Profiler.stop");
        write(`${file}.worker-${process.pid}.cpuprofile`, JSON.stringify(profile));
      }, profileFile);
    }
  } finally {
    await client.close();
    await cluster.close();
  }
  if (rows.length === 0) {
    process.stdout.write(`CPU profiles written to ${profileFile}.*.cpuprofile\n`);
    return;
  }
  const m = (field: string) => fmt(median(rows.map((row) => row[field])), 1);
  process.stdout.write(`median of ${rounds} after ${warm} warm rounds, ${nWorkers} worker(s), load ${loadavg()[0].toFixed(2)}: total ${m("total")} ms = lower+plan ${m("lower")} + to first task ${m("toFirstTask")} `
    + `+ tasks ${m("tasks")} (busiest worker ${m("busiest")}) + result ${m("result")}; gaps ${m("gaps")}, workers' ends apart ${m("firstLevelsSpread")}, to final ${m("toFinal")}, final ${m("finalRun")}; ${m("taskCount")} tasks, ${m("batchesOut")} batches out, ${m("batchesIn")} in; `
    + `CPU ms: client+scheduler ${m("clientCpu")}, workers' main threads ${m("workerMainCpu")}, other threads ${m("workerOtherCpu")}; waited for a core ${m("workerWait")} ms; workers' other threads slept ${m("otherSleeps")} times, of which their compute threads ${m("computeSleeps")}\n`);
}

await main();
