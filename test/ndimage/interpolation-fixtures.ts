/**
 * Runs test/fixtures/ndimage/generate-interpolation-fixtures.py (Debian's scipy 1.10,
 * /usr/bin/python3) into a temporary directory and loads its cases and arrays.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type DType, dtypeInfo } from "../../src/ndarray/dtype.js";
import { NDArray } from "../../src/ndarray/ndarray.js";

export interface InterpolationCase {
  id: string;
  fn: string;
  input: string;
  coordinates?: string;
  options: Record<string, unknown>;
  expected: string;
}

export interface InterpolationFixtures {
  cases: InterpolationCase[];
  scipy: string;
  array(name: string): NDArray;
}

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const script = path.join(repositoryRoot, "test", "fixtures", "ndimage", "generate-interpolation-fixtures.py");

export function generateInterpolationFixtures(): InterpolationFixtures {
  const directory = mkdtempSync(path.join(tmpdir(), "tessera-interpolation-"));
  try {
    const run = spawnSync("/usr/bin/python3", [script, directory], { encoding: "utf8" });
    if (run.status !== 0) throw new Error(`fixture generator failed (${run.status}): ${run.stderr}`);
    const manifest = JSON.parse(readFileSync(path.join(directory, "manifest.json"), "utf8")) as {
      arrays: Record<string, { dtype: DType; shape: number[]; offset: number }>;
      cases: InterpolationCase[];
      scipy: string;
    };
    const blob = readFileSync(path.join(directory, "data.bin"));
    return {
      cases: manifest.cases,
      scipy: manifest.scipy,
      array(name: string): NDArray {
        const stored = manifest.arrays[name];
        if (!stored) throw new Error(`no fixture array ${name}`);
        const info = dtypeInfo(stored.dtype);
        const count = stored.shape.reduce((a, b) => a * b, 1);
        const bytes = new Uint8Array(count * info.itemsize);
        bytes.set(blob.subarray(stored.offset, stored.offset + bytes.length));
        const data = new (info.array as Float64ArrayConstructor)(bytes.buffer, 0, count);
        return new NDArray(data, stored.shape, { dtype: stored.dtype });
      },
    };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
