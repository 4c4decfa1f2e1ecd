/**
 * `ta.ones([n, n], { chunks: [1, 1] }).sum()` end to end on a scheduler and 2 workers, each
 * its own process started with the `tessera` command (so every process's memory is its own):
 * the client's time and memory to build, lower, fuse and submit the graph (until the scheduler
 * acknowledges its last part), the total time, and the peak resident memory (VmHWM) of the
 * client, the scheduler and the workers. Anchor, same run: building a Map of one key string and
 * one small object per block (mapAnchor), timed 3 times before the workload and 2 times after
 * it, on a shared machine the median of the five (each run and the load average at both ends
 * are printed with it, so a load that changed during the run shows). Beside the wall times, the
 * CPU seconds the client and the scheduler spent until the graph was submitted (from /proc):
 * on a loaded machine they move far less than the wall times. `tasksSent` says how many tasks
 * travelled inside block layers (expanded by the scheduler) and how many one by one; the
 * submission ends when the scheduler has taken in (expanded, staged and ordered) the graph.
 * Run by bench/reductions.ts in a fresh process; prints one JSON line.
 *   node dist/bench/million-block-sum.js [n=1000]
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

const n = Number(process.argv[2] ?? 1000);
const cli = fileURLToPath(new URL("../../bin/tessera.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "tessera-bench-million-"));
const schedulerFile = join(dir, "scheduler.json");
const env = { ...process.env, TESSERA_LOG_LEVEL: "error" };
const children: ChildProcess[] = [];
const start = (args: string[]) => {
  const child = spawn(process.execPath, [cli, ...args], { stdio: "ignore", env });
  children.push(child);
  return child;
};

/**
 * The anchor, measured in the same run: a Map from `count` block-key strings to one small
 * object each, the least any per-task graph in JavaScript costs to build.
 */
function mapAnchor(count: number): number {
  const started = performance.now();
  const map = new Map<string, { key: string; deps: string[] }>();
  for (let i = 0; i < count; i++) {
    const key = `('ones-${i % 7}', ${Math.floor(i / 1000)}, ${i % 1000})`;
    map.set(key, { key, deps: [] });
  }
  if (map.size !== count) throw new Error("anchor map lost keys");
  return (performance.now() - started) / 1000;
}

/** The median of the anchor's runs. */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * CPU seconds (user + system) a process has used so far, from /proc: on a loaded machine the
 * CPU a phase takes varies far less than its wall time.
 */
function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return NaN;
  }
}

const peak = (pid: number | undefined | "self") => (pid === undefined ? NaN : readProcessMemory(pid)?.peakRss ?? NaN);

try {
  const scheduler = start(["scheduler", "--port", "0", "--scheduler-file", schedulerFile, "--no-dashboard"]);
  await waitForSchedulerFile(schedulerFile, 60);
  const workers = [0, 1].map((i) => start(["worker", "--scheduler-file", schedulerFile, "--name", `w${i}`, "--nthreads", "1", "--memory-limit", "4GiB", "--no-nanny"]));
  const client = await Client.connect({ schedulerFile });
  await client.waitForWorkers(2, { timeout: 60 });
  // The scheduler's acknowledgement of the whole graph (its last part) ends the submission.
  const connection = client.scheduler;
  const request = connection.request.bind(connection);
  let landedAt = NaN;
  let cpuAtLanding = { client: NaN, scheduler: NaN };
  // Tasks that travelled inside block layers (the scheduler expands them) and one by one.
  const sent = { inLayers: 0, perTask: 0 };
  connection.request = (message, frames, options) => {
    if (message.op === "update-graph") {
      const graph = message as { tasks: unknown[]; layers?: Array<{ start: number[]; stop: number[] }> };
      sent.perTask += graph.tasks.length;
      for (const layer of graph.layers ?? []) sent.inLayers += layer.start.reduce((count, s, axis) => count * (layer.stop[axis] - s), 1);
    }
    const reply = request(message, frames, options);
    const part = (message as { part?: { last: boolean } }).part;
    if (message.op === "update-graph" && (!part || part.last)) reply.then(() => {
      landedAt = performance.now();
      cpuAtLanding = { client: cpuSeconds(process.pid), scheduler: cpuSeconds(scheduler.pid) };
    }, () => {});
    return reply;
  };
  // Memory is measured from before the anchor's runs: their garbage may still be in the heap
  // while the workload runs, which can only raise the figures, never hide the workload's own.
  const baseline = readProcessMemory("self")?.rss ?? 0;
  const heapBefore = process.memoryUsage().heapUsed;
  const loadBefore = loadavg()[0];
  const anchorRuns = [mapAnchor(n * n), mapAnchor(n * n), mapAnchor(n * n)];

  const started = performance.now();
  const cpuAtStart = { client: cpuSeconds(process.pid), scheduler: cpuSeconds(scheduler.pid) };
  const total = ta.ones([n, n], { chunks: [1, 1] }).sum();
  // The same lowering compute() does, timed on its own.
  const lowered = lowerArrays([total], (key) => client.holds(key), (node) => (node as ta.Array).blockKeys());
  const lowerSeconds = (performance.now() - started) / 1000;
  const tasks = lowered.graph.size;
  const heapAfterLowering = process.memoryUsage().heapUsed;
  const lowerCpuSeconds = cpuSeconds(process.pid) - cpuAtStart.client;
  // compute() lowers again and submits; the submission is done when gather starts waiting.
  const submitStarted = performance.now();
  const result = client.compute(lowered.graph, lowered.keys.flat());
  const value = ((await result) as Array<{ item(): number }>)[0].item();
  const submitSeconds = (landedAt - submitStarted) / 1000;
  const clientPeakAfterSubmit = peak("self");
  const totalSeconds = (performance.now() - started) / 1000;
  if (value !== n * n) throw new Error(`the sum is ${value}, expected ${n * n}`);
  anchorRuns.push(mapAnchor(n * n), mapAnchor(n * n)); // after the measurements: their garbage must not count
  const anchorSeconds = median(anchorRuns);
  process.stdout.write(`${JSON.stringify({
    n, blocks: n * n, tasks, tasksSent: sent, lowerSeconds, submitSeconds, clientSeconds: lowerSeconds + submitSeconds, totalSeconds,
    clientCpuSeconds: { lowering: lowerCpuSeconds, buildAndSubmit: cpuAtLanding.client - cpuAtStart.client },
    schedulerCpuSecondsUntilSubmitted: cpuAtLanding.scheduler - cpuAtStart.scheduler,
    anchorSeconds, anchorRuns, clientOverAnchor: (lowerSeconds + submitSeconds) / anchorSeconds, loadAverage: [loadBefore, loadavg()[0]],
    clientHeapPerTask: (heapAfterLowering - heapBefore) / tasks,
    clientRssPerTask: (clientPeakAfterSubmit - baseline) / tasks,
    clientPeakRss: clientPeakAfterSubmit, schedulerPeakRss: peak(scheduler.pid), workerPeakRss: Math.max(...workers.map((w) => peak(w.pid))),
  })}\n`);
  await client.close();
} finally {
  for (const child of children) child.kill("SIGTERM");
  rmSync(dir, { recursive: true, force: true });
}
