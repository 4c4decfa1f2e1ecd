/**
 * Nothing silently wrong: results spilled by real worker processes are damaged on disk (a bit
 * flipped, files cut short, a file deleted, as a failing disk or a careless clean-up would),
 * then used. Every damaged key is caught, dropped and recomputed from its recipe (a Zarr
 * volume written by zarr-python), and the sum is exactly NumPy's and the closed form.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ta from "../../../src/array/index.js";
import { TaskGraph } from "../../../src/graph/task-graph.js";
import type { NDArray } from "../../../src/ndarray/ndarray.js";
import { WatchedCluster, until, within } from "./watched-cluster.js";

const MiB = 2 ** 20;
const shape = [2048, 2048];
const chunks = [256, 512]; // 1 MiB of float64 per block, 32 blocks
const elements = shape[0] * shape[1];

/** x = arange(n) as a Zarr v2 array; prints NumPy's sum of 2x + 1. */
const writeVolume = `
import sys, numpy as np, zarr
path, rows, cols, crow, ccol = sys.argv[1], *map(int, sys.argv[2:6])
x = np.arange(rows * cols, dtype="float64").reshape(rows, cols)
z = zarr.open(path, mode="w", shape=x.shape, chunks=(crow, ccol), dtype="f8")
z[:] = x
print(repr(float((2 * x + 1).sum())))
`;

function spillFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.startsWith("tessera-worker-"))
    .flatMap((name) => readdirSync(join(dir, name, "storage")).map((file) => join(dir, name, "storage", file)))
    .sort();
}

/** Flips one bit at `fraction` of the file, unless the file was removed meanwhile (a dropped copy's). */
function flipBitUnlessGone(file: string, fraction: number): void {
  try {
    const bytes = readFileSync(file);
    bytes[Math.floor(bytes.byteLength * fraction)] ^= 0x01;
    writeFileSync(file, bytes, { flag: "r+" }); // r+: a file removed meanwhile is not created again
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}

describe("spill files damaged on disk under real workers (2 processes, every result spilled)", () => {
  let dir: string;
  let watched: WatchedCluster;
  let numpySum: number;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "tessera-spill-damage-"));
    numpySum = Number(execFileSync("/usr/bin/python3", ["-c", writeVolume, join(dir, "x.zarr"), ...shape.map(String), ...chunks.map(String)], { encoding: "utf8" }).trim());
    // A target far below one block: every result goes to disk at once and is only ever read from there.
    watched = await within(WatchedCluster.start({
      nWorkers: 2, memoryLimit: 256 * MiB, localDirectory: join(dir, "scratch"), memoryTargetFraction: 0.002, spillCompression: false,
    }), "starting the cluster");
  });
  after(async () => {
    try {
      await watched?.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("recomputes every damaged key and gives the exact sum", async () => {
    const { cluster, records } = watched;
    const x = await ta.fromZarr(join(dir, "x.zarr"));
    const y = await watched.step(x.mul(2).add(1).persist(), "persisting 2x + 1");
    const blocks = y.blockKeys().flat(Infinity) as string[];
    assert.equal(blocks.length, 32);
    const scratch = join(dir, "scratch");
    await until(() => spillFiles(scratch).length === blocks.length, "one spill file per persisted block", 60_000);
    const files = spillFiles(scratch);

    // 8 files with one flipped bit in the data, 8 cut in half, 1 deleted, 15 intact.
    const damaged = new Set<string>();
    files.forEach((file, i) => {
      if (i % 4 === 0) {
        const bytes = readFileSync(file);
        bytes[Math.floor(bytes.byteLength * 0.7)] ^= 0x08;
        writeFileSync(file, bytes);
      } else if (i % 4 === 1) {
        truncateSync(file, Math.floor(readFileSync(file).byteLength / 2));
      } else if (i === 2) {
        rmSync(file);
      } else return;
      damaged.add(file);
    });
    assert.equal(damaged.size, 17);

    const total = (await watched.step(y.sum().compute(), "the sum over the damaged files")).data[0];
    assert.equal(total, elements * elements, "the closed form: the sum of 2k + 1 for k < n is n²");
    assert.equal(total, numpySum, "NumPy's sum of the same volume");

    const lost = records.flatMap((r) => (r.kind === "task-lost" ? [r] : []));
    const lostKeys = new Set(lost.map((r) => r.key));
    assert.equal(lostKeys.size, damaged.size, "each damaged file lost exactly its key");
    assert.ok([...lostKeys].every((key) => blocks.includes(key)));
    assert.ok(lost.some((r) => /fails its checksum/.test(r.reason)), "a flipped bit is caught by the checksum");
    assert.ok(lost.some((r) => /truncated|ends early/.test(r.reason)));
    assert.ok(lost.some((r) => /ENOENT/.test(r.reason)));
    const runs = new Map<string, number>();
    for (const r of records) if (r.kind === "task" && r.status === "OK" && blocks.includes(r.key)) runs.set(r.key, (runs.get(r.key) ?? 0) + 1);
    for (const key of blocks) assert.equal(runs.get(key), lostKeys.has(key) ? 2 : 1, `${key} computed ${lostKeys.has(key) ? "again after its loss" : "once"}`);
    assert.ok(records.every((r) => r.kind !== "task" || r.status === "OK"), "no task failed");
    assert.deepEqual(cluster.nannies.map((nanny) => nanny.restarts.length), [0, 0], "no worker died");

    // The recomputed blocks are spilled afresh and read back intact.
    assert.equal((await watched.step(y.sum().compute(), "the sum over the recomputed blocks")).data[0], numpySum);
    assert.equal(records.filter((r) => r.kind === "task-lost").length, lost.length, "no new loss");

    // Gathered by the client itself, straight from the workers: every file damaged, every block comes back right.
    // Copies fetched by the sums' tasks are dropped (their files removed) in the background
    // after the sum: wait until only the blocks' own files are left. One that still goes
    // while being damaged is skipped (the count of losses below shows every block's was hit).
    await until(() => spillFiles(scratch).length === blocks.length, "the spill files of only the persisted blocks", 60_000);
    for (const file of spillFiles(scratch)) flipBitUnlessGone(file, 1 / 3);
    const values = (await watched.step(watched.client.compute(new TaskGraph(), blocks), "gathering the blocks, each lost and recomputed")) as NDArray[];
    const mismatches: string[] = [];
    values.forEach((block, b) => {
      const [row, column] = [Math.floor(b / 4) * chunks[0], (b % 4) * chunks[1]];
      const data = block.data as Float64Array;
      for (let k = 0; k < data.length; k++) {
        const expected = 2 * ((row + Math.floor(k / chunks[1])) * shape[1] + column + (k % chunks[1])) + 1;
        if (data[k] !== expected) {
          mismatches.push(`${blocks[b]}[${k}] = ${data[k]}, not ${expected}`);
          break;
        }
      }
    });
    assert.deepEqual(mismatches, []);
    assert.equal(records.filter((r) => r.kind === "task-lost").length, lost.length + blocks.length, "each block lost once more, and recomputed");
  });
});
