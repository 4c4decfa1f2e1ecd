/**
 * Engine figures (issue 2), with Dask distributed measured in the same run:
 *   tiny-task throughput: client.map of 20,000 no-op tasks, LocalCluster 2 workers × 1 thread
 *   latency per task of a chain of 1,000 dependent tasks
 *   worker-to-worker transfer of a 256 MiB result
 *   scheduler memory per task for a graph of 1,000,000 tasks (a child process with --expose-gc)
 * usage: node dist/bench/engine.js [--rounds 3]
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Client, LocalCluster } from "../src/index.js";
import * as nd from "../src/ndarray/index.js";
import { fmt, median, printTable, runAnchor } from "./bench-support.js";

const rounds = Number(process.argv[process.argv.indexOf("--rounds") + 1] || 3) || 3;
const tasks = 20_000;
const chainLength = 1_000;
const transferMiB = 256;

async function measure(): Promise<{ throughput: number; chainMs: number; transferGBps: number }> {
  const cluster = await LocalCluster.start({ nWorkers: 2, threadsPerWorker: 1, dashboardAddress: false });
  const client = await Client.connect(cluster, { setAsDefault: false });
  try {
    await client.gather(client.map((x: number) => x, Array.from({ length: 2000 }, (_, i) => -i - 1)));
    const throughputs: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const started = performance.now();
      const futures = client.map((x: number) => x, Array.from({ length: tasks }, (_, i) => i + r * tasks));
      await client.gather(futures);
      throughputs.push(tasks / ((performance.now() - started) / 1000));
      for (const f of futures) f.release();
    }
    const chains: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const started = performance.now();
      let f = client.submit({ fn: (x: number) => x + 1, args: [r * 1e6], pure: false });
      for (let i = 1; i < chainLength; i++) f = client.submit({ fn: (x: number) => x + 1, args: [f], pure: false });
      await f.result();
      chains.push((performance.now() - started) / chainLength);
    }
    const [a, b] = Object.keys(client.schedulerInfo().workers);
    const transfers: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const produced = client.submit({ fn: (bytes: number) => nd.ones([bytes / 8], "float64"), args: [transferMiB * 2 ** 20], workers: [a], pure: false });
      await produced.exception();
      const started = performance.now();
      const consumed = client.submit({ fn: (x: nd.NDArray) => x.nbytes, args: [produced], workers: [b], pure: false });
      await consumed.result();
      transfers.push((transferMiB * 2 ** 20) / ((performance.now() - started) / 1000) / 1e9);
      produced.release();
      consumed.release();
    }
    return { throughput: median(throughputs), chainMs: median(chains), transferGBps: median(transfers) };
  } finally {
    await client.close();
    await cluster.close();
  }
}

function schedulerMemory(): { bytesPerTask: number; submitSeconds: number } {
  const script = fileURLToPath(new URL("./scheduler-memory.js", import.meta.url));
  const out = execFileSync(process.execPath, ["--expose-gc", "--max-old-space-size=8192", script, "1000000"], { encoding: "utf8" });
  return JSON.parse(out.trim().split("\n").pop() as string) as { bytesPerTask: number; submitSeconds: number };
}

const ours = await measure();
const dask = runAnchor("dask-engine.py", [String(tasks), String(chainLength), String(transferMiB)]);
const memory = schedulerMemory();
printTable(`Engine (tessera vs Dask ${dask ? "distributed, same run" : "— not available"}; median of ${rounds})`, [
  { figure: "tiny tasks/s (20,000 no-ops, 2×1)", tessera: fmt(ours.throughput, 0), dask: fmt(dask?.throughput, 0), ratio: dask ? `${fmt(ours.throughput / dask.throughput)}×` : "n/a", goal: "≥ 10,000/s" },
  { figure: "chain of 1,000: ms per task", tessera: fmt(ours.chainMs, 3), dask: fmt(dask?.chain_ms, 3), ratio: dask ? `${fmt(dask.chain_ms / ours.chainMs)}× faster` : "n/a", goal: "≤ 1 ms" },
  { figure: "worker→worker 256 MiB, GB/s", tessera: fmt(ours.transferGBps, 2), dask: fmt(dask?.transfer_gbps, 2), ratio: dask ? `${fmt(ours.transferGBps / dask.transfer_gbps)}×` : "n/a", goal: "≥ 1 GB/s" },
  { figure: "scheduler bytes per task (1,000,000 tasks)", tessera: fmt(memory.bytesPerTask, 0), dask: "~1 kB (docs)", ratio: "", goal: "≤ 1024" },
]);
process.stdout.write(`(1,000,000-task graph submitted to the scheduler state in ${fmt(memory.submitSeconds, 2)} s)\n`);
