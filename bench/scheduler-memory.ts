/**
 * Scheduler memory per task: a graph of N tasks (chains of 10, the shape of a chunked
 * pipeline) submitted to a pure SchedulerState with no workers, heap measured after GC.
 * Run with --expose-gc; prints JSON { bytesPerTask, submitSeconds }.
 */
import { SchedulerState } from "../src/scheduler/state/scheduler-state.js";
import { handleSchedulerEvent } from "../src/scheduler/state/scheduler-machine.js";
import type { SubmittedTask } from "../src/scheduler/state/events.js";

const n = Number(process.argv[2] ?? 1_000_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with --expose-gc");
const state = new SchedulerState();
handleSchedulerEvent(state, { type: "client-added", clientId: "c", now: 0 });
gc();
const before = process.memoryUsage().heapUsed;
const started = performance.now();
const batch = 100_000;
for (let offset = 0; offset < n; offset += batch) {
  const tasks: SubmittedTask[] = [];
  const wanted: string[] = [];
  for (let i = offset; i < Math.min(n, offset + batch); i++) {
    const key = `('step-${i % 10}-0123abcd', ${Math.floor(i / 10)})`;
    const dep = i % 10 === 0 ? [] : [`('step-${(i % 10) - 1}-0123abcd', ${Math.floor(i / 10)})`];
    tasks.push({ key, fn: { builtin: "graph.identity" }, args: dep.length ? [{ $ref: dep[0] }] : [i], frames: [], deps: dep });
    if (i % 10 === 9) wanted.push(key);
  }
  handleSchedulerEvent(state, { type: "graph-submitted", clientId: "c", tasks, wanted, now: 1 });
}
const submitSeconds = (performance.now() - started) / 1000;
gc();
const after = process.memoryUsage().heapUsed;
if (state.tasks.size !== n) throw new Error(`expected ${n} tasks, the scheduler holds ${state.tasks.size}`);
process.stdout.write(`${JSON.stringify({ bytesPerTask: (after - before) / n, submitSeconds })}\n`);
