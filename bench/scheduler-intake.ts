/**
 * The scheduler's intake of `ta.ones([n, n], { chunks: [1, 1] }).sum()` (issue 10's
 * million-block sum): the CPU seconds a scheduler process (started with the `tessera`
 * command, no workers) spends from the first update-graph part to its acknowledgement of the
 * last one (decoding, checking, expanding the block layers, staging, ordering, wanting), read
 * from /proc, and its peak resident memory. Each run starts a fresh scheduler; the median of
 * the runs is printed with every run and the load average at both ends. Anchor, same run: a
 * Map of one key string and one small object per block (bench/million-block-sum.ts's), the
 * least any per-task state in JavaScript costs to build.
 *   node dist/bench/scheduler-intake.js [n=1000] [runs=3] [--cpu-prof DIR]
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "../src/index.js";
import * as ta from "../src/array/index.js";
import { lowerArrays } from "../src/array/lower.js";
import { readProcessMemory } from "../src/worker/memory/process-memory.js";
import { waitForSchedulerFile } from "../src/comm/scheduler-file.js";
import { median } from "./bench-support.js";

const args = process.argv.slice(2);
const profileAt = args.indexOf("--cpu-prof");
const profileDir = profileAt >= 0 ? args.splice(profileAt, 2)[1] : undefined;
const n = Number(args[0] ?? 1000);
const runs = Number(args[1] ?? 3);
const cli = fileURLToPath(new URL("../../bin/tessera.js", import.meta.url));
const env = { ...process.env, TESSERA_LOG_LEVEL: "error" };

/** CPU seconds (user + system) a process has used so far, from /proc. */
function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function mapAnchor(count: number): number {
  const started = process.cpuUsage();
  const map = new Map<string, { key: string; deps: string[] }>();
  for (let i = 0; i < count; i++) {
    const key = `('ones-${i % 7}', ${Math.floor(i / 1000)}, ${i % 1000})`;
    map.set(key, { key, deps: [] });
  }
  if (map.size !== count) throw new Error("anchor map lost keys");
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1e6;
}

/** One fresh scheduler takes in the graph: its CPU seconds, wall seconds and peak RSS. */
async function intakeOnce(): Promise<{ cpu: number; wall: number; peakRss: number; tasks: number }> {
  const dir = mkdtempSync(join(tmpdir(), "tessera-bench-intake-"));
  const schedulerFile = join(dir, "scheduler.json");
  const nodeFlags = profileDir ? ["--cpu-prof", "--cpu-prof-dir", profileDir] : [];
  const scheduler: ChildProcess = spawn(process.execPath, [...nodeFlags, cli, "scheduler", "--port", "0", "--scheduler-file", schedulerFile, "--no-dashboard"], { stdio: "ignore", env });
  const exited = new Promise((resolve) => scheduler.once("exit", resolve));
  try {
    await waitForSchedulerFile(schedulerFile, 60);
    const client = await Client.connect({ schedulerFile });
    const connection = client.scheduler;
    const request = connection.request.bind(connection);
    let landed: (value: { cpu: number; at: number }) => void = () => {};
    const landing = new Promise<{ cpu: number; at: number }>((resolve) => { landed = resolve; });
    let firstSent: { cpu: number; at: number } | undefined;
    connection.request = (message, frames, options) => {
      if (message.op === "update-graph") firstSent ??= { cpu: cpuSeconds(scheduler.pid), at: performance.now() };
      const reply = request(message, frames, options);
      const part = (message as { part?: { last: boolean } }).part;
      if (message.op === "update-graph" && (!part || part.last)) reply.then(() => landed({ cpu: cpuSeconds(scheduler.pid), at: performance.now() }), () => {});
      return reply;
    };
    const total = ta.ones([n, n], { chunks: [1, 1] }).sum();
    const lowered = lowerArrays([total], (key) => client.holds(key), (node) => (node as ta.Array).blockKeys());
    const tasks = lowered.graph.size;
    const result = client.compute(lowered.graph, lowered.keys.flat());
    result.catch(() => {});
    const end = await landing;
    const start = firstSent as { cpu: number; at: number };
    const peakRss = readProcessMemory(scheduler.pid as number)?.peakRss ?? NaN;
    await client.close();
    return { cpu: end.cpu - start.cpu, wall: (end.at - start.at) / 1000, peakRss, tasks };
  } finally {
    scheduler.kill("SIGTERM");
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

const loadBefore = loadavg()[0];
const anchorRuns = [mapAnchor(n * n)];
const results = [];
for (let i = 0; i < runs; i++) results.push(await intakeOnce());
anchorRuns.push(mapAnchor(n * n), mapAnchor(n * n));
const cpu = median(results.map((r) => r.cpu));
const anchor = median(anchorRuns);
process.stdout.write(`${JSON.stringify({
  n, tasks: results[0].tasks, schedulerIntakeCpuSeconds: cpu, runs: results.map((r) => ({ cpu: r.cpu, wall: r.wall, peakRss: r.peakRss })),
  cpuMicrosecondsPerTask: (cpu / results[0].tasks) * 1e6, anchorCpuSeconds: anchor, anchorRuns, intakeOverAnchor: cpu / anchor,
  loadAverage: [loadBefore, loadavg()[0]],
})}\n`);
