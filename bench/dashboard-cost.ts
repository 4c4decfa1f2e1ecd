/**
 * What the dashboard costs the scheduler. A `tessera scheduler` process (dashboard on) with
 * two `tessera worker` processes runs the same workload — the difference-of-Gaussians
 * pipeline on a synthetic volume plus a map of many small tasks — with no browser and then
 * with 10 Chromium pages on /status (the busiest page: status snapshot and task stream at
 * 4 Hz). The scheduler's CPU seconds come from /proc, so the client, the browsers and the
 * workers are not counted. Rounds alternate and the medians are compared.
 *
 * Also measured: how long the browser takes to draw a task stream of 100,000 rectangles on
 * 200 rows (100 workers × 2 threads), the size the issue asks to stay smooth; and what
 * sampling the compute threads every 10 ms costs a CPU-bound task (same work, sampling off).
 *
 * Run: node dist/bench/dashboard-cost.js [rounds=3]
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium, type BrowserContext } from "playwright-core";
import { Client } from "../src/client/client.js";
import * as ta from "../src/array/index.js";
import { gaussianFilter } from "../src/ndimage/index.js";
import { writeSyntheticVolume } from "../src/cli/synthetic-volume.js";
import { sleep } from "../src/core/clock.js";
import { buildPerformanceReport, type TaskRecord } from "../src/dashboard/report/report-builder.js";
import { writeReportHtml } from "../src/dashboard/report/report-html.js";
import { emptyProfile } from "../src/protocol/profile-tree.js";
import { ThreadPool } from "../src/worker/executor/thread-pool.js";
import { functionRefOf } from "../src/graph/function-travel.js";
import { fmt, median, printTable } from "./bench-support.js";

const rounds = Number(process.argv[2] ?? 3);
const tesseraBin = fileURLToPath(new URL("../../bin/tessera.js", import.meta.url));
const chromiumArgs = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** CPU seconds (user + system) a process has used, from /proc/<pid>/stat. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function start(args: string[]): ChildProcess {
  const child = spawn(process.execPath, [tesseraBin, ...args], { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, TESSERA_LOG_LEVEL: "error" } });
  child.stdout?.resume();
  return child;
}

async function workload(client: Client, input: string, output: string): Promise<void> {
  const volume = (await ta.fromZarr(input, { component: "0/0" })).squeeze().rechunk([16, 64, 64]);
  const sharp = volume.mapOverlap(gaussianFilter, { depth: 12, boundary: "nearest" }, { sigma: 2, order: 0, mode: "nearest" });
  const blurred = volume.mapOverlap(gaussianFilter, { depth: 12, boundary: "nearest" }, { sigma: 3, order: 0, mode: "nearest" });
  await ta.subtract(sharp, blurred).toZarr(output, { overwrite: true });
  const small = client.map(function smallTask(i: number) {
    const end = Date.now() + 2;
    while (Date.now() < end);
    return i;
  }, Array.from({ length: 2000 }, (_, i) => i), { pure: false });
  await client.gather(small);
}

async function openPages(context: BrowserContext, link: string, n: number): Promise<void> {
  const pages = await Promise.all(Array.from({ length: n }, () => context.newPage()));
  await Promise.all(pages.map(async (page) => {
    await page.goto(link);
    await page.waitForFunction(() => (globalThis as unknown as { document: { getElementById(id: string): { textContent: string } | null } }).document.getElementById("live-state")?.textContent === "live");
  }));
}

async function streamDrawMilliseconds(context: BrowserContext, directory: string): Promise<number[]> {
  const tasks: TaskRecord[] = [];
  for (let i = 0; i < 100_000; i++) {
    const worker = `tcp://10.0.${Math.floor(i % 100 / 10)}.${i % 10}:9000`;
    const start = 1000 + Math.floor(i / 200) * 0.05 + (i % 7) * 0.001;
    tasks.push({ kind: "task", key: `('block-${i % 5}', ${i})`, prefix: `block-${i % 5}`, worker, thread: Math.floor(i / 100) % 2, status: "OK", nbytes: 8, startstops: [{ action: "compute", start, stop: start + 0.04 }] });
  }
  const workers = Array.from({ length: 100 }, (_, w) => ({ name: `w${w}`, address: `tcp://10.0.${Math.floor(w / 10)}.${w % 10}:9000`, host: "h", nthreads: 2, memoryLimit: 0, jobId: null }));
  const data = buildPerformanceReport({
    title: "100,000 rectangles", start: 1000, stop: 1300, version: "bench", tasks, transfers: [],
    profile: { intervalMs: 10, since: 0, until: 0, tree: emptyProfile(), byWorker: {}, prefixes: {}, timeline: [] },
    scheduler: { address: "", id: "", dashboard: null }, workers, config: {}, source: { file: null, code: null, callback: "" },
  }, 0);
  const file = join(directory, "stream.html");
  await writeReportHtml(file, data);
  const page = await context.newPage();
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector("#task-stream canvas[data-draw-ms]");
  const times: number[] = [];
  await page.locator("#task-stream canvas").scrollIntoViewIfNeeded();
  const box = await page.locator("#task-stream canvas").boundingBox();
  if (!box) throw new Error("the task stream canvas is not on the page");
  await page.mouse.move(box.x + box.width / 2, box.y + Math.min(box.height / 2, 300));
  for (let i = 0; i < 12; i++) {
    await page.mouse.wheel(0, i % 2 ? 200 : -200);
    await page.waitForTimeout(150);
    times.push(Number(await page.getAttribute("#task-stream canvas", "data-draw-ms")));
  }
  await page.close();
  return times;
}

/** Seconds per task of a fixed amount of recursive work, on one compute thread. */
async function taskSeconds(profileIntervalMs: number): Promise<number[]> {
  const pool = new ThreadPool(1, [], { intervalMs: profileIntervalMs, cycleMs: 1000 });
  const work = functionRefOf(function fibonacciWork(n: number) {
    const fib = (k: number): number => (k < 2 ? k : fib(k - 1) + fib(k - 2));
    return fib(n);
  });
  const times: number[] = [];
  try {
    for (let i = 0; i < 25; i++) {
      const result = await pool.run(`('fibonacci-work', ${i})`, work, [31]);
      times.push(result.stop - result.start);
    }
  } finally {
    await pool.close();
  }
  return times.slice(5);
}

async function main(): Promise<void> {
  const directory = await mkdtemp(join(tmpdir(), "tessera-dashboard-cost-"));
  const schedulerFile = join(directory, "scheduler.json");
  const input = join(directory, "volume.zarr");
  await writeSyntheticVolume(input, { shape: [96, 256, 256], seed: 3 });
  const scheduler = start(["scheduler", "--port", "0", "--dashboard-address", ":0", "--scheduler-file", schedulerFile]);
  const workers = [0, 1].map((i) => start(["worker", "--scheduler-file", schedulerFile, "--nthreads", "1", "--name", `w${i}`]));
  const profile = await mkdtemp(join(tmpdir(), "tessera-bench-chromium-"));
  const context = await chromium.launchPersistentContext(profile, { executablePath: "/usr/bin/chromium", headless: true, args: chromiumArgs });
  const client = await Client.connect({ schedulerFile }, { timeout: 60 });
  try {
    await client.waitForWorkers(2, { timeout: 60 });
    const link = client.dashboardLink;
    if (!link) throw new Error("the scheduler serves no dashboard");
    const pid = scheduler.pid as number;
    const measure = async (label: string) => {
      const cpu0 = cpuSeconds(pid);
      const t0 = performance.now();
      await workload(client, input, join(directory, `out-${label}.zarr`));
      return { cpu: cpuSeconds(pid) - cpu0, wall: (performance.now() - t0) / 1000 };
    };
    await measure("warm-up");
    const none: Array<{ cpu: number; wall: number }> = [];
    const ten: Array<{ cpu: number; wall: number }> = [];
    for (let round = 0; round < rounds; round++) {
      none.push(await measure(`none-${round}`));
      await openPages(context, link, 10);
      await sleep(500);
      ten.push(await measure(`ten-${round}`));
      for (const page of context.pages()) await page.close();
      await sleep(500);
    }
    const cpuNone = median(none.map((r) => r.cpu));
    const cpuTen = median(ten.map((r) => r.cpu));
    printTable("Scheduler CPU during the same workload (DoG 96×256×256 + 2000 small tasks), tessera scheduler process", [
      { browsers: 0, "scheduler CPU s (median)": fmt(cpuNone, 2), "wall s": fmt(median(none.map((r) => r.wall)), 2), rounds },
      { browsers: 10, "scheduler CPU s (median)": fmt(cpuTen, 2), "wall s": fmt(median(ten.map((r) => r.wall)), 2), rounds },
    ]);
    process.stdout.write(`ratio (10 browsers ÷ none): ${fmt(cpuTen / cpuNone, 2)}\n`);
    const draws = await streamDrawMilliseconds(context, directory);
    printTable("Task stream canvas, 100,000 rectangles on 200 rows (Chromium, headless, software rendering)", [
      { "redraws": draws.length, "median ms": fmt(median(draws), 1), "max ms": fmt(Math.max(...draws), 1) },
    ]);
    const off = median(await taskSeconds(0));
    const on = median(await taskSeconds(10));
    printTable("Compute-thread sampling cost (fib(31) per task, one thread, 20 tasks, median)", [
      { sampling: "off", "ms per task": fmt(off * 1000, 2), "ratio to off": "1.000" },
      { sampling: "every 10 ms", "ms per task": fmt(on * 1000, 2), "ratio to off": fmt(on / off, 3) },
    ]);
  } finally {
    await client.close();
    await context.close();
    for (const worker of workers) worker.kill("SIGTERM");
    scheduler.kill("SIGTERM");
    await rm(profile, { recursive: true, force: true });
    await rm(directory, { recursive: true, force: true });
  }
}

await main();
