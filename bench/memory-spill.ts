/**
 * Memory benchmark, tessera against Dask (Debian's python3-distributed, run in the same run
 * through bench/anchors/dask-memory.py):
 *
 * 1. Spill throughput to local disk: 32 results of 8 MiB (smooth float64 numbers, and noise)
 *    written to the spill directory and read back, tessera's DataStore (compression off, auto,
 *    zlib) against distributed's SpillBuffer (lz4 when it pays), with the disk's own speed for
 *    plain 8 MiB file writes as the ceiling.
 * 2. The DoG pipeline (depth 8, sigma 1 and 2, chunks (64, 128, 128)) on a volume three times
 *    the memory limit of a one-worker, one-thread cluster, against the same run with enough
 *    memory (4 GiB): the slowdown that spilling and pausing cost, for both.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/memory-spill.js [--limit-mib 256] [--skip-dog]
 *
 * Uses $TMPDIR (default /tmp) for the volume (3 × limit) and the spill files.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { Client, LocalCluster } from "../src/index.js";
import { runDogPipeline } from "../src/cli/dog-pipeline.js";
import { createArray, writeChunk } from "../src/zarr/index.js";
import { NDArray, allocate } from "../src/ndarray/ndarray.js";
import { DataStore } from "../src/worker/memory/data-store.js";
import type { SpillCompression } from "../src/worker/memory/spill-compression.js";
import { readProcessMemory } from "../src/worker/memory/process-memory.js";

const MiB = 2 ** 20;
const argument = (name: string): string | undefined => {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
};
const limitMiB = Number(argument("--limit-mib") ?? 256);
const anchorScript = resolve(dirname(fileURLToPath(import.meta.url)), "../../bench/anchors/dask-memory.py");
const python = "/usr/bin/python3";
const scratch = mkdtempSync(join(process.env.TMPDIR ?? tmpdir(), "tessera-bench-memory-"));

function dask(...args: string[]): Record<string, unknown> {
  const output = execFileSync(python, [anchorScript, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], maxBuffer: 1 << 20 });
  return JSON.parse(output.trim().split("\n").at(-1) as string) as Record<string, unknown>;
}

/**
 * The Dask DoG run in its own process group, so that a run which hangs (a worker paused for
 * good) can be ended with every process it started.
 */
function daskDog(input: string, output: string, memoryLimit: number, timeoutSeconds: number): Promise<Record<string, unknown>> {
  return new Promise((resolveRun) => {
    const child = spawn(python, [anchorScript, "dog", input, output, String(memoryLimit), String(timeoutSeconds)], { detached: true, stdio: ["ignore", "pipe", "ignore"] });
    let stdout = "";
    child.stdout.on("data", (text: Buffer) => (stdout += text.toString()));
    const hardStop = setTimeout(() => child.pid && process.kill(-child.pid, "SIGKILL"), (timeoutSeconds + 60) * 1000);
    child.once("exit", () => {
      clearTimeout(hardStop);
      const last = stdout.trim().split("\n").at(-1);
      try {
        resolveRun(JSON.parse(last ?? "") as Record<string, unknown>);
      } catch {
        resolveRun({ ok: false, error: `the Dask run was stopped after ${timeoutSeconds + 60} s without a result`, seconds: NaN, peak_rss: NaN, restarted: null });
      }
    });
  });
}

// ---- 1. spill throughput ----

const count = 32;
const valueMiB = 8;

function values(kind: "smooth" | "noise"): NDArray[] {
  const elements = (valueMiB * MiB) / 8;
  return Array.from({ length: count }, (_, i) => {
    const data = allocate("float64", elements) as Float64Array;
    if (kind === "smooth") for (let k = 0; k < elements; k++) data[k] = Math.round(Math.sin((k + i) / 500) * 1000) + (k % 13);
    else for (let k = 0; k < elements; k++) data[k] = Math.random();
    return new NDArray(data, [elements], { dtype: "float64" });
  });
}

async function tesseraSpill(kind: "smooth" | "noise", compression: SpillCompression): Promise<{ write: number; read: number; ratio: number }> {
  const spillDirectory = mkdtempSync(join(scratch, "spill-"));
  const store = new DataStore({ spillDirectory, compression });
  values(kind).forEach((value, i) => store.set(`k${i}`, value));
  let started = performance.now();
  while ((await store.evictOne()) > 0) { /* all of them, least recently used first */ }
  const written = (performance.now() - started) / 1000;
  const ratio = store.diskBytes / (count * valueMiB * MiB);
  started = performance.now();
  for (let i = 0; i < count; i++) {
    await store.get(`k${i}`);
    store.delete(`k${i}`); // keep memory flat, as the anchor does
  }
  const read = (performance.now() - started) / 1000;
  rmSync(spillDirectory, { recursive: true, force: true });
  const megabytes = (count * valueMiB * MiB) / 1e6;
  return { write: megabytes / written, read: megabytes / read, ratio };
}

function plainDiskWrite(): number {
  const directory = mkdtempSync(join(scratch, "plain-"));
  const buffer = Buffer.alloc(valueMiB * MiB, 7);
  const started = performance.now();
  for (let i = 0; i < count; i++) writeFileSync(join(directory, `${i}`), buffer);
  const seconds = (performance.now() - started) / 1000;
  rmSync(directory, { recursive: true, force: true });
  return (count * valueMiB * MiB) / 1e6 / seconds;
}

const f0 = (n: number) => n.toFixed(0);
console.log(`tessera memory benchmark (Node ${process.versions.node}); anchor: Dask via ${python}, same run`);
console.log(`\n1. spill throughput: ${count} results of ${valueMiB} MiB to ${scratch}, then read back (MB/s)`);
console.log(`   plain 8 MiB file writes on this disk: ${f0(plainDiskWrite())} MB/s`);
console.log(`   ${"data".padEnd(8)}${"tessera mode".padEnd(14)}${"write".padEnd(8)}${"read".padEnd(8)}${"on disk".padEnd(9)}${"Dask write".padEnd(12)}${"Dask read".padEnd(11)}${"Dask on disk".padEnd(14)}write ×Dask`);
for (const kind of ["smooth", "noise"] as const) {
  const anchor = dask("spill", join(scratch, `dask-${kind}`), String(count), String(valueMiB), kind) as { write_mb_s: number; read_mb_s: number; disk_bytes: number };
  const anchorRatio = anchor.disk_bytes / (count * valueMiB * MiB);
  for (const mode of [false, "auto", "zlib"] as SpillCompression[]) {
    const ours = await tesseraSpill(kind, mode);
    console.log(
      `   ${kind.padEnd(8)}${String(mode).padEnd(14)}${f0(ours.write).padEnd(8)}${f0(ours.read).padEnd(8)}${`${(ours.ratio * 100).toFixed(0)}%`.padEnd(9)}` +
        `${f0(anchor.write_mb_s).padEnd(12)}${f0(anchor.read_mb_s).padEnd(11)}${`${(anchorRatio * 100).toFixed(0)}%`.padEnd(14)}${(ours.write / anchor.write_mb_s).toFixed(2)}×`,
    );
  }
}

// ---- 2. DoG with a third of the memory ----

async function writeVolume(path: string, shape: number[]): Promise<void> {
  const chunks = [64, 128, 128];
  const ref = { path, component: "0/0" };
  await createArray(ref, { shape: [1, 1, ...shape], chunks: [1, 1, ...chunks], dtype: "uint16" });
  for (let z = 0; z < shape[0]; z += chunks[0]) {
    for (let y = 0; y < shape[1]; y += chunks[1]) {
      for (let x = 0; x < shape[2]; x += chunks[2]) {
        const data = allocate("uint16", chunks[0] * chunks[1] * chunks[2]) as Uint16Array;
        for (let i = 0; i < data.length; i++) {
          const gz = z + Math.floor(i / (chunks[1] * chunks[2])), gy = y + (Math.floor(i / chunks[2]) % chunks[1]), gx = x + (i % chunks[2]);
          data[i] = 1000 + ((gz * 3 + gy * 5 + gx * 7) & 511) + ((((gz * 73856093) ^ (gy * 19349663) ^ (gx * 83492791)) >>> 0) % 97);
        }
        await writeChunk(ref, [0, 0, z / chunks[0], y / chunks[1], x / chunks[2]], new NDArray(data, [1, 1, ...chunks], { dtype: "uint16" }));
      }
    }
  }
}

async function tesseraDog(input: string, output: string, memoryLimit: number): Promise<{ seconds: number; peak: number; restarts: number; error: string | null }> {
  const cluster = await LocalCluster.start({ nWorkers: 1, threadsPerWorker: 1, dashboardAddress: false, memoryLimit, localDirectory: scratch });
  const client = await Client.connect(cluster);
  let peak = 0;
  const sampler = setInterval(() => {
    for (const worker of cluster.workerProcesses) peak = Math.max(peak, readProcessMemory(worker.pid ?? 0)?.peakRss ?? 0);
  }, 20);
  const started = performance.now();
  let error: string | null = null;
  try {
    await runDogPipeline({ input, output, chunks: [64, 128, 128], depth: 8, sigmas: [1, 2], executor: client });
  } catch (failure) {
    error = `${(failure as Error).name}: ${(failure as Error).message.slice(0, 200)}`;
  }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  for (const worker of cluster.workerProcesses) peak = Math.max(peak, readProcessMemory(worker.pid ?? 0)?.peakRss ?? 0);
  const restarts = cluster.nannies.reduce((sum, nanny) => sum + nanny.restarts.length, 0);
  await client.close();
  await cluster.close();
  return { seconds, peak, restarts, error };
}

if (!process.argv.includes("--skip-dog")) {
  const limit = limitMiB * MiB;
  const shape = [Math.round((3 * limit) / (2 * 512 * 1024)), 512, 1024];
  const input = join(scratch, "volume.zarr");
  await writeVolume(input, shape);
  console.log(`\n2. DoG (depth 8, σ 1 and 2) on a ${shape.join("×")} uint16 volume (${(3 * limitMiB).toFixed(0)} MiB), one worker with one thread`);
  console.log(`   ${"memory limit".padEnd(22)}${"tessera s".padEnd(11)}${"peak RSS".padEnd(11)}${"restarts".padEnd(10)}${"Dask s".padEnd(9)}${"peak RSS".padEnd(11)}${"restarted".padEnd(11)}tessera ×Dask`);
  const rows: Array<{ label: string; ours: Awaited<ReturnType<typeof tesseraDog>>; anchor: Record<string, unknown> }> = [];
  for (const [label, bytes] of [[`${limitMiB} MiB (1/3 of data)`, limit], ["4 GiB (enough)", 4 * 2 ** 30]] as const) {
    const ours = await tesseraDog(input, join(scratch, "dog-tessera.zarr"), bytes);
    // Dask gets four times tessera's time (at least 3 minutes) before its run counts as hung.
    const anchor = await daskDog(input, join(scratch, "dog-dask.zarr"), bytes, Math.max(180, 4 * ours.seconds));
    rows.push({ label, ours, anchor });
    const anchorSeconds = anchor.seconds as number;
    console.log(
      `   ${label.padEnd(22)}${ours.seconds.toFixed(1).padEnd(11)}${`${f0(ours.peak / MiB)} MiB`.padEnd(11)}${String(ours.restarts).padEnd(10)}` +
        `${anchorSeconds.toFixed(1).padEnd(9)}${`${f0((anchor.peak_rss as number) / MiB)} MiB`.padEnd(11)}${String(anchor.restarted).padEnd(11)}` +
        `${(ours.seconds / anchorSeconds).toFixed(2)}×${ours.error ? `  tessera failed: ${ours.error}` : ""}${anchor.ok ? "" : `  Dask failed: ${String(anchor.error)}`}`,
    );
  }
  const [limited, enough] = rows;
  console.log(
    `   slowdown with a third of the memory: tessera ${(limited.ours.seconds / enough.ours.seconds).toFixed(2)}×, ` +
      `Dask ${((limited.anchor.seconds as number) / (enough.anchor.seconds as number)).toFixed(2)}× (${JSON.stringify(limited.anchor.versions)})`,
  );
}

rmSync(scratch, { recursive: true, force: true });
