/**
 * One timed DoG run on a fresh LocalCluster (bench/dog.ts and bench/dog-scaling.ts): from
 * opening the Zarr volume (building the lazy pipeline) to every output chunk written, with the
 * CPU, memory and task-stream figures each table prints. Read bench/dog.ts's header for what is
 * timed and why.
 */
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { Client, LocalCluster } from "../src/index.js";
import { dogArray } from "../src/cli/dog-pipeline.js";
import { cpuSince, processCpu } from "./process-cpu.js";

const clockTicks = 100; // USER_HZ on Linux

export interface TesseraVariant {
  name: string;
  label: string;
  workers: number;
  threads: number;
  boundary?: "nearest";
}

export interface Run {
  seconds: number;
  cpuSeconds: number;
  peakRss: number;
  tasks: number;
  /** Wall time outside the span of the task stream (opening, graph building, submission, tail). */
  outside: number;
  /** Of `outside`: until the first task started (open, graph build, submission), and after the last stopped (its report, the write's end). */
  beforeFirst: number;
  afterLast: number;
  /** Of `beforeFirst`: opening the Zarr volume and building the lazy pipeline (the rest: toZarr's planning, the target's creation, submission). */
  openAndBuild: number;
  /**
   * From the end of openAndBuild to the mtime of the new `.zarray`: toZarr's checks, lease,
   * grouping and lowering, then the target's creation (an overwrite's old keys deleted, the new
   * metadata written), which runs beside the graph's submission, its tasks waiting for it only
   * when they write (zarr/write-gate.ts). So it may end after the first task started.
   */
  toTarget: number;
  /** CPU seconds of each worker process before the timed span: its start, imports and thread warm-up. */
  startCpu: number[];
  /** Per worker, its first task's compute seconds, and the mean of its later ones (NaN when it ran one). */
  firstTask: number[];
  laterTask: number[];
  /** Tasks each worker ran (the split of the groups over the workers), most first. */
  tasksPerWorker: number[];
  /**
   * Per worker, seconds within the task stream's span it ran no task: before its first task
   * started, between its tasks (receive, hand-off, report, the next task's arrival), and after
   * its last one while another still ran (the tail).
   */
  workerIdle: Array<{ before: number; between: number; tail: number }>;
  /** CPU seconds of this process during the run: the client and, in a LocalCluster, the scheduler. */
  clientSchedulerCpu: number;
  /** CPU seconds of each worker process during the run. */
  workerCpu: number[];
  /** Of workerCpu, the seconds spent in the kernel (page faults, mostly, in a DoG run), per worker. */
  workerSystemCpu: number[];
  /** Minor page faults (first touches of fresh memory) of each worker process during the run. */
  workerMinorFaults: number[];
  /** Of workerCpu, per worker: its compute thread's seconds, and those of V8's and libuv's helper threads (GC, compiler, file system). */
  computeThreadCpu: number[];
  helperThreadsCpu: number[];
  /** Summed compute time of the tasks, by task prefix. */
  byPrefix: Map<string, { seconds: number; count: number }>;
}

function procStatus(pid: number, field: string): number {
  const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Number(match[1]) * 1024 : NaN;
}

/** The fields of /proc/PID/stat after the command name: utime is [11], stime [12]. */
function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

function processCpuSeconds(pid: number): number {
  const fields = statFields(pid);
  return (Number(fields[11]) + Number(fields[12])) / clockTicks;
}

function processSystemSeconds(pid: number): number {
  return Number(statFields(pid)[12]) / clockTicks;
}


function cpuNow(pids: number[]): number {
  const own = process.cpuUsage();
  return (own.user + own.system) / 1e6 + pids.reduce((sum, pid) => sum + processCpuSeconds(pid), 0);
}

interface StreamRecord {
  prefix: string;
  worker: string;
  startstops: Array<{ action: string; start: number; stop: number }>;
}

export async function runTessera(input: string, output: string, variant: TesseraVariant): Promise<Run> {
  const cluster = await LocalCluster.start({ nWorkers: variant.workers, threadsPerWorker: variant.threads, dashboardAddress: false });
  const client = await Client.connect(cluster, { setAsDefault: true });
  try {
    const pids = cluster.workerProcesses.map((p) => p.pid).filter((pid): pid is number => pid !== undefined);
    const cpu = cpuNow(pids);
    const ownBefore = process.cpuUsage();
    const workerCpuBefore = pids.map(processCpuSeconds);
    const systemBefore = pids.map(processSystemSeconds);
    const threadsBefore = pids.map(processCpu);
    const since = Date.now() / 1000;
    const wallStart = since;
    const started = performance.now();
    // What runDogPipeline runs, in two timed parts: opening the volume and building the lazy pipeline, then the write.
    const dog = await dogArray({ input, ...(variant.boundary ? { boundary: variant.boundary } : {}) });
    const opened = performance.now();
    await dog.toZarr(output, { overwrite: true });
    const seconds = (performance.now() - started) / 1000;
    const wallStop = Date.now() / 1000;
    const cpuSeconds = cpuNow(pids) - cpu;
    const own = process.cpuUsage(ownBefore);
    const metadataWritten = statSync(join(output, ".zarray")).mtimeMs / 1000;
    const workerCpu = pids.map((pid, i) => processCpuSeconds(pid) - workerCpuBefore[i]);
    const workerSystemCpu = pids.map((pid, i) => processSystemSeconds(pid) - systemBefore[i]);
    const threads = pids.map((pid, i) => cpuSince(threadsBefore[i], processCpu(pid)));
    const workerMinorFaults = threads.map((cpu) => cpu.minorFaults);
    const computeThreadCpu = threads.map((cpu) => cpu.busiest);
    const helperThreadsCpu = threads.map((cpu) => cpu.others - cpu.busiest);
    const records = (await client.getTaskStream({ since })) as StreamRecord[];
    let first = Infinity;
    let last = -Infinity;
    const byPrefix = new Map<string, { seconds: number; count: number }>();
    const byWorker = new Map<string, Array<{ start: number; seconds: number }>>();
    for (const record of records) {
      for (const span of record.startstops) {
        if (span.action !== "compute") continue;
        const tasks = byWorker.get(record.worker) ?? [];
        tasks.push({ start: span.start, seconds: span.stop - span.start });
        byWorker.set(record.worker, tasks);
        first = Math.min(first, span.start);
        last = Math.max(last, span.stop);
        const entry = byPrefix.get(record.prefix) ?? { seconds: 0, count: 0 };
        entry.seconds += span.stop - span.start;
        entry.count++;
        byPrefix.set(record.prefix, entry);
      }
    }
    const span = records.length > 0 ? last - first : 0;
    const peakRss = Math.max(...pids.map((pid) => procStatus(pid, "VmHWM")));
    const ordered = [...byWorker.values()].map((tasks) => tasks.sort((a, b) => a.start - b.start));
    const firstTask = ordered.map((tasks) => tasks[0].seconds);
    const laterTask = ordered.map((tasks) => (tasks.length > 1 ? tasks.slice(1).reduce((sum, t) => sum + t.seconds, 0) / (tasks.length - 1) : NaN));
    const tasksPerWorker = ordered.map((tasks) => tasks.length).sort((a, b) => b - a);
    const workerIdle = ordered.map((tasks) => {
      const lastStop = Math.max(...tasks.map((t) => t.start + t.seconds));
      const busy = tasks.reduce((sum, t) => sum + t.seconds, 0);
      const before = tasks[0].start - first;
      const tail = last - lastStop;
      return { before, between: Math.max(0, span - before - tail - busy), tail };
    });
    return {
      seconds, cpuSeconds, peakRss, tasks: records.length, outside: seconds - span, workerCpu, workerSystemCpu, workerMinorFaults, computeThreadCpu, helperThreadsCpu, byPrefix,
      beforeFirst: records.length > 0 ? first - wallStart : NaN, afterLast: records.length > 0 ? wallStop - last : NaN, openAndBuild: (opened - started) / 1000,
      toTarget: metadataWritten - wallStart - (opened - started) / 1000,
      startCpu: workerCpuBefore, firstTask, laterTask, tasksPerWorker, workerIdle, clientSchedulerCpu: (own.user + own.system) / 1e6,
    };
  } finally {
    await client.close();
    await cluster.close();
  }
}
