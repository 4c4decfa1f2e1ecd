/**
 * What the spill files' CRC-32 checksums cost: one 64 MiB result (smooth float64 numbers,
 * uncompressed) written to the spill directory and read back, seven times. The anchors,
 * measured in the same run, are a plain fs.writeFile and fs.readFile of the same bytes (the
 * disk's own speed, here mostly the page cache): the spill write and read, checksums
 * included, are compared with them, and so is the time of the checksums themselves. Each
 * step is timed twice: wall clock, and this process's CPU time (user + system, all threads),
 * which a machine shared with other jobs distorts much less.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/spill-checksum.js
 *
 * Uses $TMPDIR (default /tmp).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NDArray, allocate } from "../src/ndarray/ndarray.js";
import { CompressionPolicy } from "../src/worker/memory/spill-compression.js";
import { checksumOf, readSpillFile, writeSpillFile } from "../src/worker/memory/spill-file.js";
import { fmt, median, printTable } from "./bench-support.js";

const MiB = 2 ** 20;
const bytes = 64 * MiB;
const rounds = 7;
const scratch = mkdtempSync(join(process.env.TMPDIR ?? tmpdir(), "tessera-bench-checksum-"));

const data = allocate("float64", bytes / 8) as Float64Array;
for (let k = 0; k < data.length; k++) data[k] = Math.round(Math.sin(k / 500) * 1000) + (k % 13);
const value = new NDArray(data, [data.length], { dtype: "float64" });
const raw = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

interface Timed {
  wall: number[];
  cpu: number[];
}
const timed = (): Timed => ({ wall: [], cpu: [] });
const steps = { plainWrite: timed(), spillWrite: timed(), plainRead: timed(), spillRead: timed(), checksum: timed() };

/** Runs `step`, adding its wall-clock and CPU seconds to `into`. */
async function time<T>(into: Timed, step: () => T | Promise<T>): Promise<T> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const result = await step();
  into.wall.push((performance.now() - start) / 1000);
  const used = process.cpuUsage(cpu);
  into.cpu.push((used.user + used.system) / 1e6);
  return result;
}

try {
  for (let round = 0; round < rounds; round++) {
    const plain = join(scratch, `${round}.plain`);
    await time(steps.plainWrite, () => writeFileSync(plain, raw));
    await time(steps.plainRead, () => readFileSync(plain));
    rmSync(plain);
    const path = join(scratch, `${round}.spill`);
    await time(steps.spillWrite, () => writeSpillFile(path, value, new CompressionPolicy(false, false)));
    await time(steps.spillRead, () => readSpillFile(path));
    await time(steps.checksum, () => checksumOf(raw));
    rmSync(path);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

const ms = (value: number) => fmt(value * 1000, 1);
const row = (step: string, measured: Timed, anchor: Timed) => ({
  step, "wall ms": ms(median(measured.wall)), "× anchor (wall)": fmt(median(measured.wall) / median(anchor.wall), 2),
  "CPU ms": ms(median(measured.cpu)), "× anchor (CPU)": fmt(median(measured.cpu) / median(anchor.cpu), 2),
});
printTable(`one 64 MiB result, median of ${rounds}, in ${process.env.TMPDIR ?? tmpdir()}`, [
  row("plain fs.writeFile (write anchor)", steps.plainWrite, steps.plainWrite),
  row("CRC-32 of the 64 MiB", steps.checksum, steps.plainWrite),
  row("writeSpillFile, checksums included", steps.spillWrite, steps.plainWrite),
  row("plain fs.readFile (read anchor)", steps.plainRead, steps.plainRead),
  row("readSpillFile, checksums checked", steps.spillRead, steps.plainRead),
]);
const ratio = (a: Timed, b: Timed, kind: keyof Timed) => fmt(median(a[kind]) / median(b[kind]), 2);
process.stdout.write(
  `\nchecksum of 64 MiB: ${ratio(steps.checksum, steps.plainWrite, "cpu")}× the CPU time and ${ratio(steps.checksum, steps.plainWrite, "wall")}× the wall time of writing the plain file; ` +
    `spill write ${ratio(steps.spillWrite, steps.plainWrite, "wall")}×, spill read ${ratio(steps.spillRead, steps.plainRead, "wall")}× the plain file's wall time\n`,
);
