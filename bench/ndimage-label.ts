/**
 * Chunked label benchmark: `ta.ndimage.label` on a 256×512×512 binary volume stored as Zarr with
 * chunks (64, 128, 128) (64 blocks), on a LocalCluster of 2 workers × 1 thread, against
 * scipy.ndimage.label of the whole volume in memory (one thread, Debian's scipy, same run, same
 * bytes). Wall time, median of N; tessera's time includes reading the Zarr chunks.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/ndimage-label.js [--quick]
 *
 * Every timed run starts from its own copy of the store, so no run reuses blocks an earlier one
 * left on the workers (same keys would be reused):
 * "persist": labels computed and kept on the workers (timed until every block is done);
 * "compute": labels and count computed and the labels gathered into one array on the client
 * (what scipy returns);
 * "gather": compute() of labels already persisted: only the transfer to the client and the
 * assembly into one array, with its bandwidth; "work": the compute time of the label's tasks
 * summed over both workers (elapsed time inside the tasks), against scipy's wall time: what
 * the chunked algorithm costs in total, without the scheduling gaps between tasks; the workers'
 * CPU seconds during persist (/proc), against scipy's CPU seconds: the figure least moved by a
 * shared machine's load; and the compute seconds per part of the label (block labelling with
 * the Zarr read fused in, summaries, layers/faces, boundary/contacts, merge, relabel).
 * --quick: 128×256×256, chunks (32, 64, 64).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { Client, LocalCluster } from "../src/index.js";
import * as ta from "../src/array/index.js";
import { generateBinaryStructure } from "../src/ndimage/index.js";
import { NDArray, shapeSize } from "../src/ndarray/ndarray.js";
import { fmt, median, printTable, runAnchor } from "./bench-support.js";

const quick = process.argv.includes("--quick");
const shape = quick ? [128, 256, 256] : [256, 512, 512];
const chunks = quick ? [32, 64, 64] : [64, 128, 128];
const repeats = 3;
const connectivity = 1;

/** Interleaved tubes and sheets with noise: components of every size, most crossing blocks. */
function volume(): NDArray {
  let state = 12345;
  const noise = (): number => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 4294967296 - 0.5;
  };
  const [nz, ny, nx] = shape;
  const data = new Uint8Array(shapeSize(shape));
  let p = 0;
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      const zy = Math.sin(0.17 * y + 1.3) + Math.sin(0.11 * z + 0.4);
      for (let x = 0; x < nx; x++, p++) {
        const v = zy + Math.sin(0.21 * x + 0.7) + Math.sin(0.043 * (x + y + z)) + 1.6 * noise();
        data[p] = v > 0.9 ? 1 : 0;
      }
    }
  }
  return new NDArray(data, shape, { dtype: "uint8" });
}

/** The part of chunked label a task belongs to, from its key (label.ts names them). */
function partOf(key: string, prefix: string): string {
  const part = /^label-merge-[0-9a-f]+-([a-z]+)/.exec(key)?.[1];
  if (part !== undefined) return part;
  if (/^\('label-[0-9a-f]+'/.test(key)) return "relabel";
  return `other: ${prefix}`;
}

/**
 * Compute seconds per part of the label (block labelling, summaries, layers, boundaries, rims,
 * diagonals, merge table, relabel; other tasks by prefix) since `since`, summed over the
 * workers; "label" sums the label's own parts.
 */
async function labelWork(client: Client, since: number): Promise<Map<string, number>> {
  const tasks = (await client.getTaskStream({ since })) as Array<{ key: string; prefix: string; startstops: Array<{ action: string; start: number; stop: number }> }>;
  const parts = new Map<string, number>([["label", 0]]);
  for (const task of tasks) {
    const part = partOf(task.key, task.prefix);
    for (const step of task.startstops) {
      if (step.action !== "compute") continue;
      parts.set(part, (parts.get(part) ?? 0) + step.stop - step.start);
      if (!part.startsWith("other")) parts.set("label", (parts.get("label") ?? 0) + step.stop - step.start);
    }
  }
  return parts;
}

const clockTicks = 100;

/** CPU seconds (user + system) the worker processes have used so far. */
function workersCpu(pids: number[]): number {
  return pids.reduce((sum, pid) => {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return sum + (Number(fields[11]) + Number(fields[12])) / clockTicks;
  }, 0);
}

const dir = mkdtempSync(path.join(tmpdir(), "tessera-bench-label-"));
let cluster: LocalCluster | undefined;
let client: Client | undefined;
try {
  console.log(`chunked label vs scipy.ndimage.label: ${shape.join("×")} uint8, chunks (${chunks.join(", ")}), connectivity ${connectivity} (Node ${process.versions.node})`);
  const mask = volume();
  const raw = path.join(dir, "volume.bin");
  writeFileSync(raw, mask.data as Uint8Array);
  const store = path.join(dir, "volume.zarr");
  await ta.fromArray(mask, { chunks }).toZarr(store);
  const anchor = runAnchor("scipy-label.py", [raw, shape.join(","), String(connectivity), String(repeats)], 3_600_000);
  cluster = await LocalCluster.start({ nWorkers: 2, threadsPerWorker: 1, dashboardAddress: false });
  client = await Client.connect(cluster);
  const structure = generateBinaryStructure(3, connectivity);
  const persistTimes: number[] = [];
  const computeTimes: number[] = [];
  const gatherTimes: number[] = [];
  const workParts: Array<Map<string, number>> = [];
  const persistCpu: number[] = [];
  const pids = cluster.workerProcesses.map((p) => p.pid).filter((pid): pid is number => pid !== undefined);
  let count = -1;
  let gatheredBytes = 0;
  // A fresh copy of the store per run: its chunks get keys no earlier run computed.
  let copies = 0;
  const freshInput = async () => {
    const copy = path.join(dir, `volume-${copies++}.zarr`);
    cpSync(store, copy, { recursive: true });
    return ta.fromZarr(copy);
  };
  for (let r = 0; r < repeats; r++) {
    const [labels] = ta.ndimage.label(await freshInput(), { structure });
    // persist returns once the graph is submitted; the max over the kept blocks waits for every
    // block and moves only one number per block.
    const since = Date.now() / 1e3;
    const cpuBefore = workersCpu(pids);
    let start = performance.now();
    const [kept] = await ta.persist([labels], { executor: client });
    await kept.max().compute({ executor: client });
    persistTimes.push((performance.now() - start) / 1e3);
    persistCpu.push(workersCpu(pids) - cpuBefore);
    workParts.push(await labelWork(client, since));
    // The persisted labels gathered: transfer and assembly only.
    start = performance.now();
    gatheredBytes = (await kept.compute({ executor: client })).data.byteLength;
    gatherTimes.push((performance.now() - start) / 1e3);
    const [freshLabels, n] = ta.ndimage.label(await freshInput(), { structure });
    start = performance.now();
    const [, computedCount] = await ta.compute([freshLabels, n], { executor: client });
    computeTimes.push((performance.now() - start) / 1e3);
    count = Number(computedCount.item());
  }
  const scipyWall = anchor?.wall ?? Number.NaN;
  const partSeconds = (part: string): number => median(workParts.map((parts) => parts.get(part) ?? 0));
  const workTime = partSeconds("label");
  printTable(`wall seconds, median of ${repeats} (× = scipy / tessera)`, [
    { run: "scipy.ndimage.label, whole volume, 1 thread", seconds: fmt(scipyWall, 2), "×": "1.00", components: anchor?.count ?? "n/a" },
    { run: "tessera label, 2 workers, persist", seconds: fmt(median(persistTimes), 2), "×": fmt(scipyWall / median(persistTimes), 2), components: count },
    { run: "tessera label, 2 workers, compute (gathered)", seconds: fmt(median(computeTimes), 2), "×": fmt(scipyWall / median(computeTimes), 2), components: count },
    { run: "(work: label tasks' compute time summed over both workers, vs scipy's wall time)", seconds: fmt(workTime, 2), "×": fmt(scipyWall / workTime, 2), components: "" },
    { run: "(workers' CPU seconds during persist, vs scipy's CPU seconds)", seconds: fmt(median(persistCpu), 2), "×": fmt((anchor?.cpu ?? Number.NaN) / median(persistCpu), 2), components: "" },
    { run: `(gather of the persisted labels, ${fmt(gatheredBytes / 2 ** 20, 0)} MiB at ${fmt(gatheredBytes / 2 ** 20 / median(gatherTimes), 0)} MiB/s)`, seconds: fmt(median(gatherTimes), 2), "×": "", components: "" },
  ]);
  const names = [...new Set(workParts.flatMap((parts) => [...parts.keys()]))].filter((part) => part !== "label").sort();
  printTable("compute seconds per part during persist, summed over both workers (median of the runs)", names.map((part) => ({ part, seconds: fmt(partSeconds(part), 3) })));
  console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(" ")}`);
  if (anchor && anchor.count !== count) console.log(`WARNING: component counts differ (scipy ${anchor.count}, tessera ${count})`);
} finally {
  await client?.close();
  await cluster?.close();
  rmSync(dir, { recursive: true, force: true });
}
