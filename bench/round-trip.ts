/**
 * The round trip of small tasks (issue 10: the persisted mean is round-trip bound), traced
 * from inside the scheduler: a random 8000 × 8000 float64 array in 500² chunks is persisted on
 * 2 workers × 1 thread, then `.mean()` runs `--rounds` times. Per round it prints
 *
 * - the wall time and the tasks run;
 * - this process's CPU (scheduler + client: LocalCluster runs the scheduler here) per task,
 *   and the workers' CPU per task (/proc/<pid>/stat);
 * - the messages the scheduler received and sent per task, by op;
 * - the scheduler's latency from a task-finished to the next compute-task it sends that worker,
 *   and how long each worker sat idle between two task runs (gaps between the end of one
 *   compute and the start of the next on the same worker, from the task stream);
 * - the phases: graph received, first compute-task sent, last task-finished, client has the value.
 *
 *   node dist/bench/round-trip.js [--rounds 5] [--workers 2] [--side 8000] [--chunk 500]
 */
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { Client, LocalCluster } from "../src/index.js";
import * as ta from "../src/array/index.js";
import { fmt, median, printTable, checkFlags } from "./bench-support.js";

checkFlags(["--chunk", "--expr", "--rounds", "--side", "--workers"], []);
const arg = (name: string, fallback: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback);
const rounds = Number(arg("--rounds", "5"));
const nWorkers = Number(arg("--workers", "2"));
const side = Number(arg("--side", "8000"));
const chunk = Number(arg("--chunk", "500"));
/** mean: the persisted mean; xxt: the sum of x + x.T (root tasks queued on the scheduler). */
const expr = arg("--expr", "mean");

function cpuSeconds(pid: number | undefined): number {
  if (!pid) return NaN;
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Unix seconds now, at performance.now() precision. */
const nowSeconds = () => (performance.timeOrigin + performance.now()) / 1000;

interface Traced { time: number; op: string; peer: string }

async function main(): Promise<void> {
  const cluster = await LocalCluster.start({ nWorkers, threadsPerWorker: 1, dashboardAddress: false });
  const client = await Client.connect(cluster, { setAsDefault: true });
  const server = cluster.scheduler as unknown as {
    receive: (message: { op: string }, frames: unknown, connection: { peerInfo: Record<string, unknown> }) => void;
    execute: (command: { type: string; address?: string; message?: { op: string } }) => void;
  };
  const received: Traced[] = [];
  const sent: Traced[] = [];
  const receive = server.receive.bind(server);
  server.receive = (message, frames, connection) => {
    received.push({ time: nowSeconds(), op: message.op, peer: String(connection.peerInfo.address ?? connection.peerInfo.clientId ?? "?") });
    receive(message, frames, connection);
  };
  const execute = server.execute.bind(server);
  server.execute = (command) => {
    sent.push({ time: nowSeconds(), op: command.message?.op ?? command.type, peer: command.address ?? "client" });
    execute(command);
  };
  // Writes to the workers and batches from them (one socket write / read each).
  let writes = 0;
  let batchesIn = 0;
  for (const connection of cluster.scheduler.workerConnections.values()) {
    const channel = connection.channel as unknown as { send: (batch: unknown) => void; inbox: { deliver: (batch: unknown) => void } };
    const send = channel.send.bind(channel);
    channel.send = (batch) => { writes++; send(batch); };
    const deliver = channel.inbox.deliver.bind(channel.inbox);
    channel.inbox.deliver = (batch) => { batchesIn++; deliver(batch); };
  }
  const workersCpu = () => cluster.workerProcesses.reduce((sum, p) => sum + cpuSeconds(p.pid), 0);
  try {
    const random = ta.random([side, side], { chunks: [chunk, chunk], seed: 1 });
    const x = expr === "xxt" ? random : await random.persist();
    const rows: Array<Record<string, string>> = [];
    const perTask: Record<string, number[]> = { wall: [], ownCpu: [], workerCpu: [], msgsIn: [], msgsOut: [], finishToNext: [], idle: [] };
    for (let r = 0; r < rounds; r++) {
      received.length = 0;
      sent.length = 0;
      writes = 0;
      batchesIn = 0;
      const streamBefore = cluster.scheduler.taskStream.all().length;
      const own = process.cpuUsage();
      const workersBefore = workersCpu();
      const started = nowSeconds();
      const value = expr === "xxt"
        ? (await x.add(x.transpose()).mean().compute()).item() as number
        : (await x.mean().compute()).item() as number;
      const ended = nowSeconds();
      const ownUsed = process.cpuUsage(own);
      const workerUsed = workersCpu() - workersBefore;
      if (Math.abs(value - (expr === "xxt" ? 1 : 0.5)) > 1e-3) throw new Error(`mean ${value}`);
      const fresh = cluster.scheduler.taskStream.all().slice(streamBefore);
      const records = fresh.filter((rec) => rec.kind === "task");
      let movedBytes = 0;
      let movedKeys = 0;
      const movedPrefixes = new Map<string, number>();
      for (const rec of fresh) {
        if (rec.kind !== "transfer") continue;
        movedBytes += rec.bytes;
        movedKeys += rec.keys.length;
        for (const key of rec.keys) {
          const prefix = key.replace(/[-_][0-9a-f]{6,}.*$/, "").replace(/-[\d.]+$/, "");
          movedPrefixes.set(prefix, (movedPrefixes.get(prefix) ?? 0) + 1);
        }
      }
      if (r === rounds - 1) process.stdout.write(`moved keys by prefix: ${[...movedPrefixes].map(([p, n]) => `${p} ${n}`).join(", ")}\n`);
      const tasks = records.length;
      // Scheduler latency: a task-finished from a worker → the next compute-task to that worker.
      const latencies: number[] = [];
      for (const finished of received.filter((m) => m.op === "task-finished")) {
        const next = sent.find((m) => m.op === "compute-task" && m.peer === finished.peer && m.time >= finished.time);
        if (next) latencies.push(next.time - finished.time);
      }
      // Worker idle between runs: gaps between one compute's stop and the next compute's start.
      let idle = 0;
      const byWorker = new Map<string, Array<{ start: number; stop: number; prefix: string; fetch: number }>>();
      for (const rec of records) {
        if (rec.kind !== "task") continue;
        const compute = rec.startstops.find((s) => s.action === "compute");
        if (!compute) continue;
        const list = byWorker.get(rec.worker) ?? [];
        const fetch = rec.startstops.filter((s) => s.action === "transfer").reduce((sum, s) => sum + s.stop - s.start, 0);
        list.push({ start: compute.start, stop: compute.stop, prefix: rec.prefix, fetch });
        byWorker.set(rec.worker, list);
      }
      let computeSum = 0;
      const gapsBefore = new Map<string, { n: number; sum: number; big: number; fetch: number }>();
      for (const list of byWorker.values()) {
        list.sort((a, b) => a.start - b.start);
        for (let i = 0; i < list.length; i++) {
          computeSum += list[i].stop - list[i].start;
          if (i > 0) {
            const gap = Math.max(0, list[i].start - list[i - 1].stop);
            idle += gap;
            const entry = gapsBefore.get(list[i].prefix) ?? { n: 0, sum: 0, big: 0, fetch: 0 };
            entry.n++;
            entry.sum += gap;
            entry.fetch += list[i].fetch;
            if (gap > 0.002) entry.big++;
            gapsBefore.set(list[i].prefix, entry);
          }
        }
      }
      const graphAt = received.find((m) => m.op === "update-graph")?.time ?? NaN;
      const firstCompute = sent.find((m) => m.op === "compute-task")?.time ?? NaN;
      const lastFinished = received.filter((m) => m.op === "task-finished").pop()?.time ?? NaN;
      const firstStart = Math.min(...records.map((rec) => (rec.kind === "task" ? rec.startstops[0]?.start ?? Infinity : Infinity)));
      const countOps = (list: Traced[]) => {
        const counts = new Map<string, number>();
        for (const m of list) counts.set(m.op, (counts.get(m.op) ?? 0) + 1);
        return [...counts].sort((a, b) => b[1] - a[1]).map(([op, n]) => `${op} ${n}`).join(", ");
      };
      perTask.wall.push(ended - started);
      perTask.ownCpu.push((ownUsed.user + ownUsed.system) / 1e6 / tasks);
      perTask.workerCpu.push(workerUsed / tasks);
      perTask.msgsIn.push(received.length / tasks);
      perTask.msgsOut.push(sent.length / tasks);
      perTask.finishToNext.push(median(latencies));
      perTask.idle.push(idle);
      rows.push({
        round: String(r), "wall ms": fmt((ended - started) * 1e3, 1), tasks: String(tasks),
        "→graph ms": fmt((graphAt - started) * 1e3, 1), "→1st compute-task ms": fmt((firstCompute - started) * 1e3, 1),
        "→1st run ms": fmt((firstStart - started) * 1e3, 1), "→last finished ms": fmt((lastFinished - started) * 1e3, 1),
        "→client has it ms": fmt((ended - started) * 1e3, 1), "compute sum ms": fmt(computeSum * 1e3, 1),
        "worker idle between runs ms": fmt(idle * 1e3, 1),
        "moved between workers": `${movedKeys} keys, ${fmt(movedBytes / 2 ** 20, 1)} MiB`,
        "per worker: tasks/compute ms/first start→last stop ms": [...byWorker.values()].map((list) => `${list.length}/${fmt(list.reduce((s, t) => s + t.stop - t.start, 0) * 1e3, 0)}/${fmt((list[list.length - 1].stop - list[0].start) * 1e3, 0)}`).join(" "),
        "finish→next send µs (median)": fmt(median(latencies) * 1e6, 0),
      });
      if (r === rounds - 1) {
        for (const [prefix, g] of gapsBefore) process.stdout.write(`idle before ${prefix}: ${g.n} runs, ${fmt(g.sum * 1e3, 1)} ms in all, ${g.big} gaps over 2 ms, their transfers ${fmt(g.fetch * 1e3, 1)} ms\n`);
        const outbox = (cluster.scheduler as unknown as { workerOutbox?: { freeKeysMessages: number; releasedKeys: number } }).workerOutbox;
        process.stdout.write(`socket writes to workers ${writes}, batches from workers ${batchesIn}${outbox ? `; free-keys so far: ${outbox.releasedKeys} keys in ${outbox.freeKeysMessages} messages` : ""}\n`);
        process.stdout.write(`received: ${countOps(received)}\nsent: ${countOps(sent)}\n`);
      }
    }
    printTable(`${expr === "xxt" ? "mean of x + x.T over a random" : "mean of a persisted"} ${side}² float64 (chunks ${chunk}²), ${nWorkers} workers × 1 thread; load average ${loadavg()[0].toFixed(1)}`, rows);
    printTable("per task, median over rounds", [{
      "wall ms": fmt(median(perTask.wall) * 1e3, 1),
      "scheduler+client CPU µs/task": fmt(median(perTask.ownCpu) * 1e6, 0),
      "workers CPU µs/task": fmt(median(perTask.workerCpu) * 1e6, 0),
      "messages in/task": fmt(median(perTask.msgsIn), 2), "messages out/task": fmt(median(perTask.msgsOut), 2),
      "finish→next compute-task µs": fmt(median(perTask.finishToNext) * 1e6, 0),
      "worker idle ms": fmt(median(perTask.idle) * 1e3, 1),
    }]);
  } finally {
    await client.close();
    await cluster.close();
  }
}

await main();
