/**
 * A worker's per-task overhead outside its compute threads (issue 10, issue 11): the CPU its
 * main thread spends per task (receiving compute-task messages, the state machine, the hand-off
 * to the compute thread and back, storing results, reporting to the scheduler, serving peers),
 * read per thread from /proc/<pid>/task/<pid>/stat, next to the whole worker process's CPU per
 * task. Two workloads on 2 workers × 1 thread: the mean of a persisted random 8000² float64
 * array in 500² chunks (tiny tasks: overhead-bound) and the sum of x + x.T (2 MB blocks).
 * The anchor is Dask's worker, measured the same way in the same run (its main thread runs
 * the event loop; tasks run on its executor thread).
 *
 * CPU time is steadier than wall time on a shared machine, but not immune: quote the load.
 *   node dist/bench/worker-main-thread.js [--rounds 20] [--only mean,xxt] [--skip-dask]
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { Client, LocalCluster } from "../src/index.js";
import * as ta from "../src/array/index.js";
import { fmt, median, printTable, runAnchor, checkFlags } from "./bench-support.js";

checkFlags(["--only", "--rounds"], ["--skip-dask"]);
const arg = (name: string, fallback: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback);
const rounds = Number(arg("--rounds", "20"));
const only = arg("--only", "mean,xxt").split(",");
const skipDask = process.argv.includes("--skip-dask");
const side = 8000;
const chunk = 500;

/** The kernel's clock ticks per second, the unit of utime and stime in /proc stat files. */
const clockTicks = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
if (!Number.isInteger(clockTicks) || clockTicks <= 0) throw new Error(`getconf CLK_TCK gave no tick rate (${clockTicks})`);

/** CPU seconds (user + system) from a /proc stat file. */
function cpuSeconds(path: string): number {
  const stat = readFileSync(path, "utf8");
  // The command name (field 2, in parentheses) may itself hold ") ": split after the last one.
  const fields = stat.slice(stat.lastIndexOf(") ") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / clockTicks;
}

interface Figures {
  tasks: number;
  mainSeconds: number;
  processSeconds: number;
  seconds: number[];
}

async function tessera(mode: "persist-mean" | "xxt"): Promise<Figures> {
  const cluster = await LocalCluster.start({ nWorkers: 2, threadsPerWorker: 1, dashboardAddress: false });
  const client = await Client.connect(cluster, { setAsDefault: true });
  try {
    const pids = cluster.workerProcesses.map((p) => p.pid as number);
    const cpu = () => ({
      main: pids.reduce((sum, pid) => sum + cpuSeconds(`/proc/${pid}/task/${pid}/stat`), 0),
      process: pids.reduce((sum, pid) => sum + cpuSeconds(`/proc/${pid}/stat`), 0),
    });
    let x = ta.random([side, side], { chunks: [chunk, chunk], seed: 0 });
    if (mode === "persist-mean") x = await x.persist();
    const run = () => (mode === "persist-mean" ? x.mean() : x.add(x.transpose()).sum()).compute();
    await run(); // warm-up
    const streamBefore = (await client.getTaskStream()).length;
    const before = cpu();
    const seconds: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const started = performance.now();
      await run();
      seconds.push((performance.now() - started) / 1000);
    }
    const after = cpu();
    const tasks = (await client.getTaskStream()).length - streamBefore;
    return { tasks, mainSeconds: after.main - before.main, processSeconds: after.process - before.process, seconds };
  } finally {
    await client.close();
    await cluster.close();
  }
}

const load = () => loadavg()[0].toFixed(1);

async function section(mode: "persist-mean" | "xxt", title: string): Promise<void> {
  const loadBefore = load();
  const ours = await tessera(mode);
  const dask = skipDask ? null : runAnchor("dask-worker-threads.py", [mode, String(side), String(chunk), "2", String(rounds)]) as Figures | null;
  const row = (who: string, f: Figures | null) => ({
    worker: who, "tasks": f ? f.tasks : "n/a",
    "main thread µs/task": fmt(f ? (f.mainSeconds / f.tasks) * 1e6 : null, 0),
    "whole process µs/task": fmt(f ? (f.processSeconds / f.tasks) * 1e6 : null, 0),
    "median s/round": fmt(f ? median(f.seconds) : null, 3),
  });
  const ratio = dask ? `; main thread per task: Dask's is ${fmt((dask.mainSeconds / dask.tasks) / (ours.mainSeconds / ours.tasks), 2)}× tessera's` : "";
  printTable(`${title}, 2 workers × 1 thread, ${rounds} rounds, load average ${loadBefore} → ${load()}${ratio}`, [row("tessera", ours), row("dask (anchor)", dask)]);
}

if (only.includes("mean")) await section("persist-mean", `mean of a persisted ${side}² float64 array, chunks ${chunk}²`);
if (only.includes("xxt")) await section("xxt", `sum of x + x.T, ${side}² float64, chunks ${chunk}²`);
