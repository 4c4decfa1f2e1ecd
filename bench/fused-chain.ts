/**
 * A long fused chain on a cluster against the local executor, in the same run (issue 10, "any
 * graph, any size"): `x = ones([side, side], chunks [side/2, side/2]); x = x.add(1)` `steps`
 * times, then `x.sum().compute()`. Lowering fuses each block's chain into one task of
 * `steps + 1` steps; the local executor runs those tasks in this thread (the anchor), the
 * cluster (LocalCluster, `workers` × 1 thread) on its compute threads, with the task meter.
 * Printed per step per block (µs), with the cluster's time split into the client's lowering
 * and fusion, the wire packing of the fused tasks, the workers' compute (task stream) and the
 * rest (submission, scheduling, hand-offs, result). Rounds alternate local and cluster.
 * usage: node dist/bench/fused-chain.js [--steps 10000] [--side 100] [--workers 1] [--rounds 3]
 */
import { loadavg } from "node:os";
import { Client, LocalCluster } from "../src/index.js";
import * as ta from "../src/array/index.js";
import type { GraphExecutor } from "../src/graph/executor.js";
import { LocalExecutor } from "../src/graph/local-executor.js";
import type { TaskGraph } from "../src/graph/task-graph.js";
import { toWireTasks } from "../src/client/task-builder.js";
import { fmt, median, printTable } from "./bench-support.js";

const known = ["--steps", "--side", "--workers", "--rounds"];
for (const arg of process.argv.slice(2)) {
  if (arg.startsWith("--") && !known.includes(arg)) throw new Error(`unknown option ${arg}; known: ${known.join(", ")}`);
}
const arg = (name: string, fallback: number) => (process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : fallback);
const steps = arg("--steps", 10_000);
const side = arg("--side", 100);
const nWorkers = arg("--workers", 1);
const rounds = arg("--rounds", 3);
if (!(side % 2 === 0 && side > 0 && steps > 0 && nWorkers > 0 && rounds > 0)) throw new Error("--side must be even; --steps, --workers and --rounds positive");
const blocks = 4;
const expected = side * side * (1 + steps);

function chain(): ReturnType<typeof ta.ones> {
  let x = ta.ones([side, side], { chunks: [side / 2, side / 2] });
  for (let i = 0; i < steps; i++) x = x.add(1);
  return x;
}

/** µs per step per block of a wall time in ms. */
const perStep = (ms: number) => (ms * 1000) / (steps * blocks);

/** The fused graph a compute submits (lowering and fusion only: this executor runs nothing). */
async function lowered(): Promise<{ graph: TaskGraph; ms: number }> {
  let graph: TaskGraph | undefined;
  const capture: GraphExecutor = {
    holds: () => false,
    compute: async (g, keys) => { graph = g; return keys.map(() => null); },
    persist: () => Promise.reject(new Error("not used")),
  };
  const started = performance.now();
  await chain().sum().compute({ executor: capture }).catch(() => undefined);
  const ms = performance.now() - started;
  if (!graph) throw new Error("the chain was not lowered");
  return { graph, ms };
}

async function timedSum(executor: GraphExecutor): Promise<number> {
  const x = chain();
  const started = performance.now();
  const total = (await x.sum().compute({ executor })).item() as number;
  const ms = performance.now() - started;
  if (total !== expected) throw new Error(`sum ${total}, expected ${expected}: a wrong value`);
  return ms;
}

interface TaskRun { startstops: Array<{ action: string; start: number; stop: number }> }

const cluster = await LocalCluster.start({ nWorkers, threadsPerWorker: 1, dashboardAddress: false });
const client = await Client.connect(cluster, { setAsDefault: false });
const local = new LocalExecutor();
const rows: Array<Record<string, number>> = [];
try {
  // A first small compute on each: modules loaded, kernels compiled.
  await ta.ones([side, side], { chunks: [side / 2, side / 2] }).add(1).sum().compute({ executor: local });
  await ta.ones([side, side], { chunks: [side / 2, side / 2] }).add(1).sum().compute({ executor: client });
  for (let r = 0; r < rounds; r++) {
    const { graph, ms: lowerMs } = await lowered();
    const packStarted = performance.now();
    toWireTasks(graph.tasks.values());
    const packMs = performance.now() - packStarted;
    const localMs = await timedSum(local);
    const since = Date.now() / 1000;
    const clusterMs = await timedSum(client);
    const stream = (await client.getTaskStream({ since })) as TaskRun[];
    const computeMs = stream.flatMap((t) => t.startstops).filter((s) => s.action === "compute").reduce((sum, s) => sum + (s.stop - s.start) * 1000, 0);
    rows.push({ localMs, clusterMs, lowerMs, packMs, computeMs });
    process.stdout.write(`round ${r}: local ${fmt(perStep(localMs))} µs/step/block, cluster ${fmt(perStep(clusterMs))} (lower+fuse ${fmt(lowerMs, 0)} ms, pack ${fmt(packMs, 0)} ms, worker compute ${fmt(perStep(computeMs))} µs/step/block)\n`);
  }
} finally {
  await client.close();
  await cluster.close();
}
const m = (field: string) => median(rows.map((row) => row[field]));
printTable(`Fused chain of ${steps} adds, ${blocks} blocks of ${side / 2}², ${nWorkers} worker(s) × 1 thread (median of ${rounds}, load ${loadavg()[0].toFixed(2)})`, [
  { figure: "local executor (anchor), µs/step/block", value: fmt(perStep(m("localMs"))) },
  { figure: "cluster, µs/step/block", value: fmt(perStep(m("clusterMs"))) },
  { figure: "cluster ÷ local", value: `${fmt(m("clusterMs") / m("localMs"), 2)}×` },
  { figure: "  client lowering + fusion, µs/step/block", value: fmt(perStep(m("lowerMs"))) },
  { figure: "  wire packing of the fused tasks, µs/step/block", value: fmt(perStep(m("packMs"))) },
  { figure: "  workers' compute (task stream, all tasks), µs/step/block", value: fmt(perStep(m("computeMs"))) },
]);
