/**
 * Reductions (issue 10), each next to its anchor measured in the same run:
 *
 * 1. The sum of x + x.T and persist-then-mean over a random 8000 × 8000 float64 array in
 *    500² chunks: tessera on 1 and on 2 workers × 1 thread, Dask on 2 (LocalCluster of
 *    processes). Goals: ≥ 1.8× from the second worker, ≥ 2× faster than Dask.
 * 2. The mean of a 2 GB persisted volume (16000², chunks 1000²) on one worker with a 600 MB
 *    memory limit (it spills) against the same with 4 GiB: time and the worker's peak RSS.
 * 3. `ones([1000, 1000], { chunks: [1, 1] }).sum()` end to end (bench/million-block-sum.ts):
 *    the client's time and memory per task to build and submit, scheduler and worker peak
 *    RSS, total time; Dask's client time and total for the same expression as the anchor.
 *
 * 4. (`--only kernels`, not run by default) the per-block kernels of the x + x.T sum in this
 *    process, CPU ms per 500² float64 block: generating it (as a new block, and into a reused
 *    buffer: the generator alone, without the first-touch page faults of fresh memory that
 *    both sides pay for a new block), and the fused add of a transposed block + its sum
 *    partial; NumPy doing the same per block is the anchor. `--only kernels-pair` runs that
 *    section in two processes at once: what a second process on the same memory and caches
 *    costs per block, with no message, transfer or scheduling involved.
 *
 * The machine may be shared: figures are medians of `--rounds` runs, compared as ratios.
 * `--warm N` (section 1; default 0) first runs N untimed rounds of each reduction on each
 * cluster, Dask's too: a fresh worker process spends its first rounds compiling (V8's helper
 * threads, ~0.12–0.17 CPU s a round still in rounds 2–6, ~0.015 s after 25 rounds, measured
 * with perf: TurboFan), so the default figures are a fresh cluster's and `--warm 20` a warm one's.
 * Each round releases its persisted array once the mean is done (releasePersisted); the
 * workers' memory and spill before the timed rounds are printed with the table.
 *   node dist/bench/reductions.js [--rounds 3] [--warm 0] [--only xxt,spill,million,kernels,kernels-pair] [--million-n 1000] [--skip-dask]
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client, LocalCluster } from "../src/index.js";
import * as ta from "../src/array/index.js";
import * as nd from "../src/ndarray/index.js";
import { reduceElementwisePartial } from "../src/ndarray/tree-reduction.js";
import { seedState } from "../src/ndarray/random.js";
import { fillUniformWasm } from "../src/ndarray/xoshiro256-plus-wasm.js";
import { PersistedExpr } from "../src/array/sources.js";
import { fmt, median, printTable, runAnchor, checkFlags } from "./bench-support.js";
import { cpuSince, processCpu } from "./process-cpu.js";

checkFlags(["--million-n", "--only", "--rounds", "--warm"], ["--skip-dask"]);
const arg = (name: string, fallback: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback);
const rounds = Number(arg("--rounds", "3"));
const warm = Number(arg("--warm", "0"));
if (!Number.isInteger(warm) || warm < 0) throw new Error(`--warm must be a whole number of rounds (0 or more), got ${arg("--warm", "0")}`);
const only = arg("--only", "xxt,spill,million").split(",");
const millionN = Number(arg("--million-n", "1000"));
const skipDask = process.argv.includes("--skip-dask");
const MiB = 2 ** 20;

function peakRss(pid: number | undefined): number {
  if (!pid) return NaN;
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Number(match[1]) * 1024 : NaN;
}

async function withCluster<T>(options: { nWorkers: number; memoryLimit?: number; localDirectory?: string }, body: (cluster: LocalCluster) => Promise<T>): Promise<T> {
  const cluster = await LocalCluster.start({ threadsPerWorker: 1, dashboardAddress: false, ...options });
  const client = await Client.connect(cluster, { setAsDefault: true });
  try {
    return await body(cluster);
  } finally {
    await client.close();
    await cluster.close();
  }
}

/**
 * Gives a persisted array's blocks back now. Left to themselves they stay on the workers until
 * this process's garbage collector finalizes the array's futures, which a client that allocates
 * little does rarely (Dask's anchor frees each round's array when Python drops it): 15 warm
 * rounds of this section (each persists 512 MB) left 7.1 GB on one worker of 11.7 GB, its
 * target (0.6), and from then on every round spilled and the memory monitor collected garbage
 * in every thread several times a second (x + x.T: V8/libuv helper threads 0.02 → 0.3 CPU s a
 * round, page faults 2k → 10k, wall +30 %), while two workers held half each and did not
 * (measured 2026-12-06).
 */
function releasePersisted(array: ta.Array): void {
  if (!(array.expr instanceof PersistedExpr)) throw new Error(`releasePersisted: ${array.name} is not a persisted array`);
  array.expr.release();
}

/**
 * What the workers held at their last heartbeats, summed: managed bytes in memory and spilled
 * bytes (that warm rounds left nothing behind: the last round's release may not have reached them yet).
 */
async function workersHold(): Promise<{ memory: number; spilled: number }> {
  const info = await (Client.current() as Client).refreshSchedulerInfo();
  const metrics = Object.values(info.workers).map((w) => w.metrics as { managedBytes?: number; spilledBytes?: number });
  return { memory: metrics.reduce((sum, m) => sum + (m.managedBytes ?? 0), 0), spilled: metrics.reduce((sum, m) => sum + (m.spilledBytes ?? 0), 0) };
}

async function timed(body: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await body();
  return (performance.now() - started) / 1000;
}

/** Where one x + x.T run's CPU went, per process, and what moved between workers. */
interface XxtCost {
  /** CPU seconds of the workers' compute threads (each worker's busiest thread but its main one), summed over workers. */
  computeThreads: number;
  /**
   * CPU seconds of the workers' other threads, summed: V8's helpers (measured with perf: mostly
   * TurboFan compiling hot functions as a fresh process warms up, some concurrent GC) and libuv's.
   */
  helperThreads: number;
  /** CPU seconds of the workers' main threads (messages, data store, hand-offs), summed. */
  mainThreads: number;
  /** CPU seconds of this process: the client and, in a LocalCluster, the scheduler. */
  clientAndScheduler: number;
  /** The busiest worker's compute-thread CPU seconds (1 thread per worker: no run ends before it is done). */
  busiestWorker: number;
  minorFaults: number;
  /**
   * Seconds the workers' compute threads and main threads waited ready to run but without a core,
   * summed: a compute thread idle for want of a core (machine load, or the run's other threads)
   * rather than for want of work.
   */
  computeRunQueueWait: number;
  mainRunQueueWait: number;
  /** Times the workers' compute (and helper) threads were preempted, and times any worker thread slept. */
  preemptions: number;
  sleeps: number;
  /** Tasks each worker ran, most first. */
  tasksPerWorker: number[];
  transfers: number;
  bytesMoved: number;
  /** Compute seconds (task stream, wall) of each worker's first 10 tasks, summed over workers, and the median of its later tasks: a fresh thread's unoptimised code shows in the first. */
  firstTasks: number;
  laterTaskMedian: number;
}

/** Per field, the median over rounds (tasks per worker: the round with the median total transfer bytes). */
function medianCost(costs: XxtCost[]): XxtCost {
  const m = (field: keyof Omit<XxtCost, "tasksPerWorker">) => median(costs.map((c) => c[field]));
  const byBytes = [...costs].sort((a, b) => a.bytesMoved - b.bytesMoved)[Math.floor(costs.length / 2)];
  return {
    computeThreads: m("computeThreads"), helperThreads: m("helperThreads"), mainThreads: m("mainThreads"), clientAndScheduler: m("clientAndScheduler"), busiestWorker: m("busiestWorker"),
    computeRunQueueWait: m("computeRunQueueWait"), mainRunQueueWait: m("mainRunQueueWait"),
    minorFaults: m("minorFaults"), preemptions: m("preemptions"), sleeps: m("sleeps"), tasksPerWorker: byBytes.tasksPerWorker, transfers: m("transfers"), bytesMoved: m("bytesMoved"),
    firstTasks: m("firstTasks"), laterTaskMedian: m("laterTaskMedian"),
  };
}

/** Each worker's first 10 tasks' compute seconds (summed over workers) and the median compute seconds of the later ones. */
function taskComputeTimes(tasks: Array<{ worker: string; startstops: Array<{ action: string; start: number; stop: number }> }>): { first: number; later: number } {
  const byWorker = new Map<string, Array<{ start: number; stop: number }>>();
  for (const task of tasks) {
    const compute = task.startstops.find((span) => span.action === "compute");
    if (compute) byWorker.set(task.worker, [...(byWorker.get(task.worker) ?? []), compute]);
  }
  const spans = [...byWorker.values()].map((list) => list.sort((a, b) => a.start - b.start).map((span) => span.stop - span.start));
  return { first: spans.flatMap((list) => list.slice(0, 10)).reduce((a, b) => a + b, 0), later: median(spans.flatMap((list) => list.slice(10))) };
}

/** Runs the x + x.T sum once and reads what it cost each process (task stream and transfer log from the scheduler). */
async function xxtOnce(cluster: LocalCluster, x: ta.Array): Promise<{ seconds: number; cost: XxtCost }> {
  const pids = cluster.workerProcesses.map((p) => p.pid);
  const workersBefore = pids.map(processCpu);
  const clientBefore = process.cpuUsage();
  const since = Date.now() / 1000;
  const seconds = await timed(() => x.add(x.transpose()).sum().compute());
  const client = process.cpuUsage(clientBefore);
  const workers = pids.map((pid, i) => cpuSince(workersBefore[i], processCpu(pid)));
  const session = Client.current() as Client;
  const tasks = (await session.getTaskStream({ since })) as Array<{ worker: string; startstops: Array<{ action: string; start: number; stop: number }> }>;
  const transfers = (await session.getTransferLog({ since })) as Array<{ bytes: number }>;
  const perWorker = new Map<string, number>();
  for (const task of tasks) perWorker.set(task.worker, (perWorker.get(task.worker) ?? 0) + 1);
  const { first, later } = taskComputeTimes(tasks);
  return {
    seconds,
    cost: {
      computeThreads: workers.reduce((sum, w) => sum + w.busiest, 0), helperThreads: workers.reduce((sum, w) => sum + w.others - w.busiest, 0),
      mainThreads: workers.reduce((sum, w) => sum + w.main, 0),
      computeRunQueueWait: workers.reduce((sum, w) => sum + w.busiestRunQueueWait, 0), mainRunQueueWait: workers.reduce((sum, w) => sum + w.mainRunQueueWait, 0),
      clientAndScheduler: (client.user + client.system) / 1e6, busiestWorker: Math.max(...workers.map((w) => w.busiest)),
      minorFaults: workers.reduce((sum, w) => sum + w.minorFaults, 0), preemptions: workers.reduce((sum, w) => sum + w.preemptions, 0),
      sleeps: workers.reduce((sum, w) => sum + w.sleeps, 0), tasksPerWorker: [...perWorker.values()].sort((a, b) => b - a),
      transfers: transfers.length, bytesMoved: transfers.reduce((sum, t) => sum + t.bytes, 0), firstTasks: first, laterTaskMedian: later,
    },
  };
}

/**
 * Medians over rounds of the x + x.T sum and the persisted mean on `nWorkers`, and where the
 * x + x.T sum's CPU went (steadier than wall time on a loaded machine: what a second worker
 * adds in transfers, messages and contention shows there).
 */
async function tesseraTwoReductions(nWorkers: number): Promise<{ xxt: number; xxtCost: XxtCost; mean: number; persist: number; held: { memory: number; spilled: number } }> {
  return withCluster({ nWorkers }, async (cluster) => {
    const xxt: number[] = [];
    const costs: XxtCost[] = [];
    const mean: number[] = [];
    const persist: number[] = [];
    for (let r = 0; r < warm; r++) {
      const x = ta.random([8000, 8000], { chunks: [500, 500], seed: rounds + r });
      await x.add(x.transpose()).sum().compute();
      const persisted = await x.persist();
      await persisted.mean().compute();
      releasePersisted(persisted);
    }
    const held = await workersHold();
    for (let r = 0; r < rounds; r++) {
      const x = ta.random([8000, 8000], { chunks: [500, 500], seed: r });
      const run = await xxtOnce(cluster, x);
      xxt.push(run.seconds);
      costs.push(run.cost);
      let persisted: ta.Array | undefined;
      persist.push(await timed(async () => { persisted = await x.persist(); }));
      mean.push(await timed(() => (persisted as ta.Array).mean().compute()));
      releasePersisted(persisted as ta.Array);
    }
    return { xxt: median(xxt), xxtCost: medianCost(costs), mean: median(mean), persist: median(persist), held };
  });
}

/** The 1-minute load average (the machine may be shared: figures are only comparable at similar loads). */
const load = () => loadavg()[0].toFixed(1);

async function sectionXxt(): Promise<void> {
  const loadBefore = load();
  const one = await tesseraTwoReductions(1);
  const two = await tesseraTwoReductions(2);
  const daskXxt = skipDask ? null : runAnchor("dask-reductions.py", ["xxt", "8000", "500", "2", String(rounds), String(warm)]) as { seconds: number[] } | null;
  const daskMean = skipDask ? null : runAnchor("dask-reductions.py", ["persist-mean", "8000", "500", "2", String(rounds), String(warm)]) as { seconds: number[]; persist: number[] } | null;
  const row = (what: string, oneWorker: number, twoWorkers: number, dask: number | null) => ({
    reduction: what, "tessera 1 worker s": fmt(oneWorker, 2), "tessera 2 workers s": fmt(twoWorkers, 2),
    "2nd worker speed-up": `${fmt(oneWorker / twoWorkers, 2)}×`, "dask 2 workers s": fmt(dask, 2),
    "vs dask": dask ? `${fmt(dask / twoWorkers, 2)}× faster` : "n/a",
  });
  printTable(`8000 × 8000 float64, chunks 500² (256 blocks), LocalCluster n × 1 thread, median of ${rounds}${warm > 0 ? ` after ${warm} untimed rounds` : " from a fresh cluster"}, load average ${loadBefore} → ${load()}; goals: ≥ 1.8× from the 2nd worker, ≥ 2× faster than Dask`, [
    row("sum of x + x.T", one.xxt, two.xxt, daskXxt ? median(daskXxt.seconds) : null),
    row("mean of persisted x", one.mean, two.mean, daskMean ? median(daskMean.seconds) : null),
    row("(persist, for reference)", one.persist, two.persist, daskMean ? median(daskMean.persist) : null),
  ]);
  const held = (run: typeof one) => `${fmt(run.held.memory / MiB, 0)} MiB in memory, ${fmt(run.held.spilled / MiB, 0)} MiB spilled`;
  process.stdout.write(`the workers held before the timed rounds (last heartbeats): 1 worker ${held(one)}; 2 workers ${held(two)}\n`);
  printXxtCosts(one, two);
}

/**
 * Where the x + x.T sum's CPU went with 1 and 2 workers, and the speed-up those figures allow:
 * on C cores a run cannot take less than all its processes' CPU ÷ C (here the client and the
 * scheduler share the cores with the workers), nor less than its busiest worker's compute thread's CPU.
 */
function printXxtCosts(one: { xxt: number; xxtCost: XxtCost }, two: { xxt: number; xxtCost: XxtCost }): void {
  const cores = availableParallelism();
  const total = (c: XxtCost) => c.computeThreads + c.helperThreads + c.mainThreads + c.clientAndScheduler;
  const floor = (c: XxtCost) => Math.max(total(c) / cores, c.busiestWorker);
  const row = (what: string, run: { xxt: number; xxtCost: XxtCost }) => {
    const c = run.xxtCost;
    return {
      "x + x.T": what, "wall s": fmt(run.xxt, 2), "workers' compute threads CPU s": fmt(c.computeThreads, 2), "workers' V8/libuv helper threads CPU s": fmt(c.helperThreads, 2),
      "workers' main threads CPU s": fmt(c.mainThreads, 2),
      "compute / main threads waiting for a core s": `${fmt(c.computeRunQueueWait, 2)} / ${fmt(c.mainRunQueueWait, 2)}`,
      "client + scheduler CPU s": fmt(c.clientAndScheduler, 2), "all CPU s": fmt(total(c), 2), "page faults (k)": fmt(c.minorFaults / 1e3, 0),
      "first 10 tasks per worker s / later task ms": `${fmt(c.firstTasks, 3)} / ${fmt(c.laterTaskMedian * 1e3, 2)}`,
      "compute threads preempted": fmt(c.preemptions, 0), "worker threads' sleeps": fmt(c.sleeps, 0),
      "tasks per worker": c.tasksPerWorker.join(" / "), "moved between workers": `${fmt(c.transfers, 0)} transfers, ${fmt(c.bytesMoved / MiB, 1)} MiB`,
      [`wall floor on ${cores} cores s`]: fmt(floor(c), 2),
    };
  };
  printTable(`x + x.T, where each run's CPU went (medians of ${rounds}; the wall floor is max(all CPU ÷ cores, busiest compute thread's CPU): client and scheduler share the cores with the workers)`, [
    row("1 worker", one), row("2 workers", two),
  ]);
  const workerCpu = (c: XxtCost) => c.computeThreads + c.helperThreads + c.mainThreads;
  const extra = workerCpu(two.xxtCost) - workerCpu(one.xxtCost);
  const budget = (cores * one.xxt) / 1.8;
  process.stdout.write(`the second worker costs ${fmt(extra, 2)} CPU s more in the workers; these CPU figures allow a 2-worker run no faster than ${fmt(floor(two.xxtCost), 2)} s, `
    + `at most ${fmt(one.xxt / floor(two.xxtCost), 2)}× this run's 1-worker time (measured ${fmt(one.xxt / two.xxt, 2)}×); 1.8× would need all of the 2-worker run's CPU within `
    + `${cores} × ${fmt(one.xxt, 2)} s ÷ 1.8 = ${fmt(budget, 2)} s (it is ${fmt(total(two.xxtCost), 2)} s, of which the workers' compute threads ${fmt(two.xxtCost.computeThreads, 2)} s)\n`);
}

async function sectionSpill(): Promise<void> {
  const run = async (memoryLimit: number) => {
    const dir = mkdtempSync(join(tmpdir(), "tessera-bench-spill-"));
    try {
      return await withCluster({ nWorkers: 1, memoryLimit, localDirectory: dir }, async (cluster) => {
        const volume = await ta.random([16000, 16000], { chunks: [1000, 1000], seed: 1 }).persist();
        const seconds = await timed(async () => {
          const mean = (await volume.mean().compute()).item() as number;
          if (Math.abs(mean - 0.5) > 1e-3) throw new Error(`mean ${mean}`);
        });
        const info = await Client.current()?.refreshSchedulerInfo();
        const spilled = Object.values(info?.workers ?? {}).reduce((sum, w) => sum + ((w.metrics as { spilledBytes?: number }).spilledBytes ?? 0), 0);
        return { seconds, peak: Math.max(...cluster.workerProcesses.map((p) => peakRss(p.pid))), spilled };
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const tight: Array<{ seconds: number; peak: number; spilled: number }> = [];
  const roomy: Array<{ seconds: number; peak: number; spilled: number }> = [];
  for (let r = 0; r < rounds; r++) {
    tight.push(await run(600e6));
    roomy.push(await run(4 * 2 ** 30));
  }
  const row = (what: string, runs: typeof tight) => ({
    "memory limit": what, "mean s": fmt(median(runs.map((r) => r.seconds)), 2), "worker peak RSS MiB": fmt(Math.max(...runs.map((r) => r.peak)) / MiB, 0),
    "spilled MiB": fmt(median(runs.map((r) => r.spilled)) / MiB, 0),
  });
  const slowdown = median(tight.map((r) => r.seconds)) / median(roomy.map((r) => r.seconds));
  printTable(`mean of a persisted 2.05 GB volume (16000², chunks 1000²), 1 worker × 1 thread, median of ${rounds}; 600 MB costs ${fmt(slowdown, 2)}× the time with 4 GiB`, [
    row("600 MB", tight), row("4 GiB (anchor)", roomy),
  ]);
}

function sectionMillion(): void {
  const script = fileURLToPath(new URL("./million-block-sum.js", import.meta.url));
  const runs: Array<Record<string, number>> = [];
  for (let r = 0; r < Math.min(rounds, 2); r++) {
    const result = spawnSync(process.execPath, [script, String(millionN)], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], timeout: 3_600_000 });
    if (result.status !== 0) {
      process.stderr.write(`the million-block sum did not complete (exit ${result.status}, ${result.signal ?? "no signal"})\n`);
      return;
    }
    runs.push(JSON.parse(result.stdout.trim().split("\n").pop() as string) as Record<string, number>);
  }
  const m = (field: string) => median(runs.map((r) => r[field]));
  const dask = skipDask ? null : runAnchor("dask-reductions.py", ["million", String(millionN)], 3_600_000);
  printTable(`ones([${millionN}, ${millionN}], { chunks: [1, 1] }).sum(): ${fmt(m("tasks"), 0)} tasks, 2 workers × 1 thread, median of ${runs.length}; goals: completes, client ≤ 10 s and ≤ 1 KiB per task`, [
    {
      system: "tessera", "client s (build+submit)": fmt(m("clientSeconds"), 1), "of which lowering s": fmt(m("lowerSeconds"), 1),
      "client heap B/task": fmt(m("clientHeapPerTask"), 0), "client RSS B/task": fmt(m("clientRssPerTask"), 0),
      "scheduler peak MiB": fmt(m("schedulerPeakRss") / MiB, 0), "worker peak MiB": fmt(m("workerPeakRss") / MiB, 0), "total s": fmt(m("totalSeconds"), 1),
    },
    {
      system: "dask (anchor)", "client s (build+submit)": fmt(dask?.clientSeconds, 1), "of which lowering s": "n/a",
      "client heap B/task": "n/a", "client RSS B/task": "n/a",
      "scheduler peak MiB": dask ? `${fmt(dask.clientAndSchedulerPeakRss / MiB, 0)} (with client)` : "n/a", "worker peak MiB": fmt(dask ? dask.workerPeakRss / MiB : null, 0), "total s": fmt(dask?.totalSeconds, 1),
    },
  ]);
}

/** CPU milliseconds per block of `run(block)` over `blocks` blocks. */
function cpuMsPerBlock(blocks: number, run: (block: number) => void): number {
  const started = process.cpuUsage();
  for (let b = 0; b < blocks; b++) run(b);
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1e3 / blocks;
}

/** The worker's per-block work of the x + x.T sum, in this process, against NumPy per block. */
function sectionKernels(): void {
  const side = 500;
  const blocks = 64; // 128 MiB of blocks: more than the caches, as on a worker
  const generate: number[] = [];
  const generateInto: number[] = [];
  const fused: number[] = [];
  const reused = new Float64Array(side * side);
  for (let r = 0; r < Math.max(rounds, 5); r++) {
    const made: nd.NDArray[] = [];
    generate.push(cpuMsPerBlock(blocks, (b) => { made.push(nd.random([side, side], { seed: [r, b] })); }));
    generateInto.push(cpuMsPerBlock(blocks, (b) => { fillUniformWasm(reused, seedState([r, b]), false); }));
    fused.push(cpuMsPerBlock(blocks, (b) => { reduceElementwisePartial("ndarray.add", [made[b], nd.transpose(made[(b + 1) % blocks])], { op: "sum", axes: [0, 1] }); }));
  }
  const numpy = runAnchor("numpy-block-kernels.py", [String(side), String(blocks), String(Math.max(rounds, 5))]);
  const row = (what: string, ours: number, theirs: number | undefined) => ({
    "per 500² float64 block": what, "tessera CPU ms": fmt(ours, 2), "NumPy CPU ms": fmt(theirs, 2), "NumPy / tessera": theirs ? `${fmt(theirs / ours, 2)}×` : "n/a",
  });
  printTable(`the x + x.T sum's per-block kernels in one thread, median of ${Math.max(rounds, 5)} rounds of ${blocks} blocks, load average ${load()}`, [
    row("random (uniform [0, 1)), a new block", median(generate), numpy?.randomMs),
    row("random into a reused buffer (no page faults)", median(generateInto), numpy?.randomIntoMs),
    row("a + b.T, summed", median(fused), numpy?.addTransposedSumMs),
  ]);
}

/**
 * The kernels section in two processes at once, as two workers run on two cores: the CPU per
 * block each pays when the other shares the memory and the caches (NumPy's anchors run at
 * the same time too). Compared with `--only kernels` alone, the difference is what a second
 * process costs per task without any message, transfer or scheduling.
 */
async function sectionKernelsPair(): Promise<void> {
  const script = fileURLToPath(import.meta.url);
  const runs = [0, 1].map(() => new Promise<string>((resolve) => {
    const child = spawn(process.execPath, [script, "--only", "kernels", "--rounds", String(rounds)], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (text: string) => { out += text; });
    child.on("close", () => resolve(out));
  }));
  const outputs = await Promise.all(runs);
  process.stdout.write(`\nthe kernels section in two processes at once (compare with --only kernels alone):${outputs.map((out, i) => `\n-- process ${i + 1}${out.trimEnd()}`).join("")}\n`);
}

if (only.includes("kernels")) sectionKernels();
if (only.includes("kernels-pair")) await sectionKernelsPair();
if (only.includes("xxt")) await sectionXxt();
if (only.includes("spill")) await sectionSpill();
if (only.includes("million")) sectionMillion();
