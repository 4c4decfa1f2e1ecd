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
}

const ticksPerSecond = 100;

/** Fields of a /proc stat line after the command name (which may hold spaces). */
function statFields(path: string): string[] {
  const text = readFileSync(path, "utf8");
  return text.slice(text.lastIndexOf(")") + 2).split(" ");
}

/** User + system seconds of one stat line's fields (utime, stime are fields 14 and 15 of proc(5)). */
const cpuOf = (fields: string[]) => (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;

/** The process's CPU by thread and its minor faults now; NaNs when it cannot be read (gone, or no /proc). */
export function processCpu(pid: number | undefined): ProcessCpu {
  if (!pid) return { main: NaN, others: NaN, minorFaults: NaN };
  try {
    const whole = statFields(`/proc/${pid}/stat`);
    let main = 0;
    let others = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      let seconds = 0;
      try {
        seconds = cpuOf(statFields(`/proc/${pid}/task/${tid}/stat`));
      } catch {
        continue; // the thread ended between the listing and the read
      }
      if (tid === String(pid)) main = seconds;
      else others += seconds;
    }
    // Threads that already ended are counted in the process's total only: they were not the main one.
    others = Math.max(others, cpuOf(whole) - main);
    return { main, others, minorFaults: Number(whole[7]) };
  } catch {
    return { main: NaN, others: NaN, minorFaults: NaN };
  }
}

/** What a process used between two readings. */
export function cpuSince(before: ProcessCpu, after: ProcessCpu): ProcessCpu {
  return { main: after.main - before.main, others: after.others - before.others, minorFaults: after.minorFaults - before.minorFaults };
}
