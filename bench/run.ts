/**
 * `npm run bench -- [name…]`: runs the named benchmarks (default: all), each printing its
 * figures next to the anchor measured in the same run. Names: engine, dog, kernel,
 * memory-spill, spill-checksum, jobqueue-scaling, dashboard-cost, kube-scaling, ndimage-interpolation,
 * ndimage-kernels, ndimage-label, ndimage-correlate, ndimage-label-stats, matmul, linalg-eager, reductions, fused-chain,
 * zarr-codec.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const all = ["engine", "dog", "kernel", "memory-spill", "spill-checksum", "jobqueue-scaling", "dashboard-cost", "kube-scaling", "ndimage-interpolation", "ndimage-kernels", "ndimage-label", "ndimage-correlate", "ndimage-label-stats", "matmul", "linalg-eager", "reductions", "fused-chain", "zarr-codec"];
const flags = process.argv.slice(2).filter((a) => a.startsWith("-"));
if (flags.length > 0) {
  // Each bench takes its own flags: run it directly rather than have them dropped here.
  process.stderr.write(`npm run bench takes benchmark names only (got ${flags.join(" ")}); for flags run node dist/bench/<name>.js <flags>\n`);
  process.exit(2);
}
const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !all.includes(name));
if (unknown.length > 0) {
  process.stderr.write(`unknown benchmark ${unknown.join(", ")}; choose from ${all.join(", ")}\n`);
  process.exit(2);
}
let failed = 0;
for (const name of requested.length > 0 ? requested : all) {
  process.stdout.write(`\n=== ${name} ===\n`);
  const script = fileURLToPath(new URL(`./${name}.js`, import.meta.url));
  const result = spawnSync(process.execPath, [script], { stdio: "inherit" });
  if (result.status !== 0) failed++;
}
process.exit(failed > 0 ? 1 : 0);
