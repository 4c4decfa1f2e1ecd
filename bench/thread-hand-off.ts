/**
 * Where a tiny task's CPU goes on a worker (issue 10: the persisted mean, ~275 tasks of a
 * ~0.2 ms kernel each per round). Three figures, CPU time read per thread from /proc:
 *
 * 1. The mean partial of one 500² float64 block (reducePartial, the persisted mean's leaf
 *    task) called directly in this thread: over 1 block (it stays in cache) and rotating over
 *    128 blocks (256 MB: each block comes from memory, as on a worker holding half of the 256
 *    persisted chunks). Anchor: NumPy's `block.sum(keepdims=True)` (Dask's mean_chunk) over
 *    the same number of blocks, in the same run.
 * 2. The same task through the worker's thread pool (thread-pool.ts, compute-thread.ts: the
 *    hand-off to the compute thread, the task runner, the reply), with a few calls in flight
 *    as the worker keeps them for tiny tasks: CPU per task on the compute thread, on this
 *    (the worker's main) thread, and on the process's other threads (V8's GC and compiler
 *    helpers, libuv).
 * 3. The same through the pool with 2 × 2 blocks: the hand-off's fixed cost per task,
 *    without a kernel worth the name.
 *
 *   node dist/bench/thread-hand-off.js [--tasks 3000] [--rounds 3]
 */
import { readFileSync, readdirSync } from "node:fs";
import { loadavg } from "node:os";
import { NDArray } from "../src/ndarray/ndarray.js";
import { reducePartial, type TreeOptions } from "../src/ndarray/tree-reduction.js";
import { functionRefOf } from "../src/graph/function-travel.js";
import { ThreadPool } from "../src/worker/executor/thread-pool.js";
import { fmt, median, printTable, runAnchor, checkFlags } from "./bench-support.js";

checkFlags(["--rounds", "--tasks"], []);
const arg = (name: string, fallback: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback);
const tasks = Number(arg("--tasks", "3000"));
const rounds = Number(arg("--rounds", "3"));
const side = 500;
const options: TreeOptions = { op: "mean", axes: [0, 1], keepdims: true, dtype: "float64" };
const reducePartialRef = functionRefOf(reducePartial);
/** Calls kept on the thread at once: what the worker's run queue allows for tiny tasks (run-queue.ts). */
const inFlight = 4;

/** CPU seconds (user + system) of each thread of this process, by thread id. */
function threadSeconds(): Map<number, number> {
  const seconds = new Map<number, number>();
  for (const tid of readdirSync(`/proc/${process.pid}/task`)) {
    try {
      const fields = readFileSync(`/proc/${process.pid}/task/${tid}/stat`, "utf8").split(") ")[1].split(" ");
      seconds.set(Number(tid), (Number(fields[11]) + Number(fields[12])) / 100);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return seconds;
}

function blocksOf(count: number, n: number): NDArray[] {
  return Array.from({ length: count }, (_, b) => {
    const data = new Float64Array(new SharedArrayBuffer(n * n * 8));
    for (let i = 0; i < data.length; i++) data[i] = ((i * 2654435761 + b) % 1000) / 1000;
    return new NDArray(data, [n, n]);
  });
}

/** µs of this thread's CPU per mean partial, cycling over `blocks`. */
function kernelMicros(blocks: NDArray[]): number {
  for (let i = 0; i < 200; i++) reducePartial(blocks[i % blocks.length], options);
  const before = process.cpuUsage();
  for (let i = 0; i < tasks; i++) reducePartial(blocks[i % blocks.length], options);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / tasks;
}

interface PoolFigures {
  computeThread: number;
  mainThread: number;
  otherThreads: number;
}

/** µs of CPU per task and thread, `tasks` mean partials through a one-thread pool. */
async function poolMicros(pool: ThreadPool, blocks: NDArray[]): Promise<PoolFigures> {
  const runAll = async (count: number) => {
    let next = 0;
    const lane = async () => {
      while (next < count) {
        const i = next++;
        const outcome = await pool.run(`mean_chunk-${i}`, reducePartialRef, [blocks[i % blocks.length], options]);
        if (!outcome.ok) throw new Error(`task failed: ${outcome.error.message}`);
      }
    };
    await Promise.all(Array.from({ length: inFlight }, lane));
  };
  await runAll(300);
  const before = threadSeconds();
  await runAll(tasks);
  const after = threadSeconds();
  const deltas = [...after].map(([tid, s]) => [tid, s - (before.get(tid) ?? 0)] as const);
  const main = deltas.find(([tid]) => tid === process.pid)?.[1] ?? 0;
  const others = deltas.filter(([tid]) => tid !== process.pid).sort((a, b) => b[1] - a[1]);
  // The compute thread is the busiest one besides this one.
  const compute = others[0]?.[1] ?? 0;
  const rest = others.slice(1).reduce((sum, [, s]) => sum + s, 0);
  return { computeThread: (compute / tasks) * 1e6, mainThread: (main / tasks) * 1e6, otherThreads: (rest / tasks) * 1e6 };
}

const load = () => loadavg()[0].toFixed(1);
const loadBefore = load();
const inCache = blocksOf(1, side);
const fromMemory = blocksOf(128, side);
const tinyBlocks = blocksOf(16, 2);

const kernel = { cached: [] as number[], memory: [] as number[] };
for (let r = 0; r < rounds; r++) {
  kernel.cached.push(kernelMicros(inCache));
  kernel.memory.push(kernelMicros(fromMemory));
}
const numpy = runAnchor("numpy-mean-chunk.py", [String(side), String(tasks), String(rounds)]);
printTable(`mean partial of a ${side}² float64 block in this thread, µs CPU per block (median of ${rounds}), load ${loadBefore} → ${load()}`, [
  { blocks: "1 (in cache)", tessera: fmt(median(kernel.cached), 0), "numpy (anchor)": fmt(numpy?.cachedMicros, 0), "tessera / numpy": fmt(numpy ? median(kernel.cached) / numpy.cachedMicros : null, 2) },
  { blocks: "128 (from memory)", tessera: fmt(median(kernel.memory), 0), "numpy (anchor)": fmt(numpy?.memoryMicros, 0), "tessera / numpy": fmt(numpy ? median(kernel.memory) / numpy.memoryMicros : null, 2) },
]);

const pool = new ThreadPool(1, [], { intervalMs: 10, cycleMs: 1000 });
try {
  await pool.ready();
  const rows = [];
  for (const [label, blocks] of [[`${side}² blocks, 128 rotating`, fromMemory], ["2² blocks (hand-off alone)", tinyBlocks]] as const) {
    const figures: PoolFigures[] = [];
    for (let r = 0; r < rounds; r++) figures.push(await poolMicros(pool, blocks));
    rows.push({
      tasks: label,
      "compute thread µs/task": fmt(median(figures.map((f) => f.computeThread)), 0),
      "main thread µs/task": fmt(median(figures.map((f) => f.mainThread)), 0),
      "other threads µs/task": fmt(median(figures.map((f) => f.otherThreads)), 0),
    });
  }
  printTable(`the same task through a 1-thread pool, ${inFlight} calls in flight, ${tasks} tasks, median of ${rounds}, load ${load()} (CPU ticks are 10 ms: use --tasks ≥ 3000)`, rows);
} finally {
  await pool.close();
}
