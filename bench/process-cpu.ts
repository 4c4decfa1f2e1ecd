/**
 * CPU seconds and page faults of a process, split into its main thread and its other threads
 * (a worker's compute threads, and V8's and libuv's helpers), read from /proc. A benchmark
 * reads them before and after a run to say where the run's CPU went, per process.
 */
import { readFileSync, readdirSync } from "node:fs";

export interface ProcessCpu {
  /** CPU seconds (user + system) of the main thread. */
  main: number;
  /** CPU seconds (user + system) of every other thread. */
  others: number;
  /** Minor page faults (first touches of fresh memory, mostly). */
  minorFaults: number;
  /** Times the threads other than the main one were descheduled while they could run (preempted). */
  preemptions: number;
  /** Times any thread went to sleep waiting for something (each costs a wake-up later). */
  sleeps: number;
  /** CPU seconds of each thread other than the main one, by thread id (cpuSince: the busiest's share is `busiest`). */
  threads: Map<string, number>;
  /**
   * After cpuSince: the CPU seconds of the thread other than the main one that used the most
   * between the readings. In a worker of one thread that is its compute thread (V8's compiler
   * and GC helpers and libuv's threads each use far less); `others - busiest` is the helpers'.
   */
  busiest: number;
  /** Seconds each thread waited on a run queue, ready to run but without a core (/proc schedstat), by thread id; "main" for the main thread. */
  runQueueWaits: Map<string, number>;
  /** After cpuSince: seconds the busiest thread (a worker's compute thread) waited ready to run but without a core. */
  busiestRunQueueWait: number;
  /** After cpuSince: the same for the main thread. */
  mainRunQueueWait: number;
}

/** Seconds a thread spent runnable but not running (the second field of its schedstat); 0 where the kernel does not keep it. */
function runQueueWaitOf(path: string): number {
  try {
    return Number(readFileSync(path, "utf8").split(" ")[1]) / 1e9;
  } catch {
    return 0;
  }
}

const ticksPerSecond = 100;

/** Fields of a /proc stat line after the command name (which may hold spaces). */
function statFields(path: string): string[] {
  const text = readFileSync(path, "utf8");
  return text.slice(text.lastIndexOf(")") + 2).split(" ");
}

/** User + system seconds of one stat line's fields (utime, stime are fields 14 and 15 of proc(5)). */
const cpuOf = (fields: string[]) => (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;

/** A thread's voluntary and involuntary context switches, from its status file. */
function switchesOf(path: string): { voluntary: number; involuntary: number } {
  const text = readFileSync(path, "utf8");
  return {
    voluntary: Number(/^voluntary_ctxt_switches:\s+(\d+)/m.exec(text)?.[1] ?? NaN),
    involuntary: Number(/^nonvoluntary_ctxt_switches:\s+(\d+)/m.exec(text)?.[1] ?? NaN),
  };
}

const unreadable: ProcessCpu = {
  main: NaN, others: NaN, minorFaults: NaN, preemptions: NaN, sleeps: NaN, threads: new Map(), busiest: NaN, runQueueWaits: new Map(), busiestRunQueueWait: NaN, mainRunQueueWait: NaN,
};

/** The process's CPU by thread and its minor faults now; NaNs when it cannot be read (gone, or no /proc). */
export function processCpu(pid: number | undefined): ProcessCpu {
  if (!pid) return unreadable;
  try {
    const whole = statFields(`/proc/${pid}/stat`);
    let main = 0;
    let others = 0;
    let preemptions = 0;
    let sleeps = 0;
    const threads = new Map<string, number>();
    const runQueueWaits = new Map<string, number>();
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      let seconds = 0;
      let switches = { voluntary: 0, involuntary: 0 };
      try {
        seconds = cpuOf(statFields(`/proc/${pid}/task/${tid}/stat`));
        switches = switchesOf(`/proc/${pid}/task/${tid}/status`);
      } catch {
        continue; // the thread ended between the listing and the read
      }
      sleeps += switches.voluntary;
      runQueueWaits.set(tid === String(pid) ? "main" : tid, runQueueWaitOf(`/proc/${pid}/task/${tid}/schedstat`));
      if (tid === String(pid)) main = seconds;
      else {
        others += seconds;
        threads.set(tid, seconds);
        preemptions += switches.involuntary;
      }
    }
    // Threads that already ended are counted in the process's total only: they were not the main one.
    others = Math.max(others, cpuOf(whole) - main);
    return { main, others, minorFaults: Number(whole[7]), preemptions, sleeps, threads, busiest: NaN, runQueueWaits, busiestRunQueueWait: NaN, mainRunQueueWait: NaN };
  } catch {
    return unreadable;
  }
}

/** What a process used between two readings. */
export function cpuSince(before: ProcessCpu, after: ProcessCpu): ProcessCpu {
  const threads = new Map<string, number>();
  for (const [tid, seconds] of after.threads) threads.set(tid, seconds - (before.threads.get(tid) ?? 0));
  const waited = (tid: string | undefined) => (tid === undefined ? NaN : (after.runQueueWaits.get(tid) ?? NaN) - (before.runQueueWaits.get(tid) ?? 0));
  const busiestTid = [...threads].sort((a, b) => b[1] - a[1])[0]?.[0];
  return {
    main: after.main - before.main, others: after.others - before.others, minorFaults: after.minorFaults - before.minorFaults,
    preemptions: after.preemptions - before.preemptions, sleeps: after.sleeps - before.sleeps,
    threads, busiest: busiestTid === undefined ? NaN : (threads.get(busiestTid) as number),
    runQueueWaits: new Map(), busiestRunQueueWait: waited(busiestTid), mainRunQueueWait: waited("main"),
  };
}
