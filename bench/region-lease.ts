/**
 * What a region write's lease costs beside the array's chunk count (write-lease.ts's lease
 * directory): a region lease taken and released, and a region write's whole start
 * (beginRegionWrite: the array opened from its cache, the lease, the abandoned temporary files'
 * cleanup), on arrays of `--chunks` chunk files: a flat v2 array ("i.j" names in one
 * directory), a nested v2 one ("i/j") and a v3 one ("c/i/j"). The chunk files are empty: a
 * lease never reads them, only a listing of their directory would.
 *
 * Other builds run in the same process, alternating with this one round by round: each
 * `--build name=<dist directory>` (e.g. the main branch's dist/) is loaded from
 * <dir>/src/zarr/. Figures are medians over `--rounds` rounds of wall time and of this
 * process's CPU time (user + system), in ms per lease.
 *
 *   node dist/bench/region-lease.js [--chunks 20000] [--rounds 40] [--build main=/path/to/dist]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import * as path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { fmt, median, printTable, checkFlags } from "./bench-support.js";

checkFlags(["--build", "--chunks", "--rounds"], []);
const arg = (name: string, fallback: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback);
const chunkCount = Number(arg("--chunks", "20000"));
const rounds = Number(arg("--rounds", "40"));
const builds = [["this", path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")]];
process.argv.forEach((value, i) => {
  if (value !== "--build") return;
  const [name, directory] = process.argv[i + 1].split("=");
  builds.push([name, path.resolve(directory)]);
});

interface Lease { release(): Promise<void> }
interface Build {
  name: string;
  acquireRegionLease(root: string, component: string, where: string, action: string): Promise<Lease>;
  beginRegionWrite(ref: string): Promise<{ lease: Lease }>;
}

async function load([name, directory]: string[]): Promise<Build> {
  const module = (file: string) => import(pathToFileURL(path.join(directory, "src", "zarr", file)).href);
  const [lease, create] = await Promise.all([module("write-lease.js"), module("create-array.js")]);
  return { name, acquireRegionLease: lease.acquireRegionLease, beginRegionWrite: create.beginRegionWrite };
}

/** An array of `chunkCount` empty chunk files (a grid of 100 columns) in the given layout. */
function makeArray(root: string, layout: "flat v2" | "nested v2" | "v3"): string {
  const store = path.join(root, layout.replace(" ", "-") + ".zarr");
  mkdirSync(store);
  const rows = Math.ceil(chunkCount / 100);
  const shape = [rows, 100];
  if (layout === "v3") {
    writeFileSync(path.join(store, "zarr.json"), JSON.stringify({
      zarr_format: 3, node_type: "array", shape, data_type: "uint8", fill_value: 0,
      chunk_grid: { name: "regular", configuration: { chunk_shape: [1, 1] } },
      chunk_key_encoding: { name: "default", configuration: { separator: "/" } },
      codecs: [{ name: "bytes" }], attributes: {},
    }));
  } else {
    writeFileSync(path.join(store, ".zarray"), JSON.stringify({
      zarr_format: 2, shape, chunks: [1, 1], dtype: "|u1", compressor: null, fill_value: 0, filters: null, order: "C",
      ...(layout === "nested v2" ? { dimension_separator: "/" } : {}),
    }));
  }
  for (let i = 0; i < rows; i++) {
    const directory = layout === "flat v2" ? store : path.join(store, ...(layout === "v3" ? ["c", String(i)] : [String(i)]));
    mkdirSync(directory, { recursive: true });
    for (let j = 0; j < 100 && i * 100 + j < chunkCount; j++) writeFileSync(path.join(directory, layout === "flat v2" ? `${i}.${j}` : String(j)), "");
  }
  return store;
}

/** Wall and CPU ms of one `run`. */
async function measure(run: () => Promise<void>): Promise<{ wall: number; cpu: number }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await run();
  const wall = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { wall, cpu: (used.user + used.system) / 1000 };
}

const root = mkdtempSync(path.join(tmpdir(), "tessera-region-lease-"));
try {
  const loaded = await Promise.all(builds.map(load));
  const load1 = loadavg()[0];
  for (const layout of ["flat v2", "nested v2", "v3"] as const) {
    const store = makeArray(root, layout);
    const figures = new Map(loaded.map((build) => [build.name, { lease: [] as { wall: number; cpu: number }[], start: [] as { wall: number; cpu: number }[] }]));
    // One untimed round each: the modules' code compiled, the array's metadata cached.
    for (const build of loaded) {
      await (await build.acquireRegionLease(store, "", store, "write into")).release();
      await (await build.beginRegionWrite(store)).lease.release();
    }
    for (let round = 0; round < rounds; round++) {
      for (const build of round % 2 === 0 ? loaded : [...loaded].reverse()) {
        const figure = figures.get(build.name)!;
        figure.lease.push(await measure(async () => (await build.acquireRegionLease(store, "", store, "write into")).release()));
        figure.start.push(await measure(async () => (await build.beginRegionWrite(store)).lease.release()));
      }
    }
    printTable(`${layout}, ${chunkCount} chunks: ms per region lease (median of ${rounds})`, loaded.map((build) => {
      const { lease, start } = figures.get(build.name)!;
      return {
        build: build.name,
        "lease wall": fmt(median(lease.map((f) => f.wall)), 2), "lease CPU": fmt(median(lease.map((f) => f.cpu)), 2),
        "write start wall": fmt(median(start.map((f) => f.wall)), 2), "write start CPU": fmt(median(start.map((f) => f.cpu)), 2),
      };
    }));
  }
  console.log(`load average ${fmt(load1, 2)} at the start, ${fmt(loadavg()[0], 2)} at the end`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
