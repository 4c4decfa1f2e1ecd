/**
 * Runs a generator in test/fixtures/ndimage (default generate-fixtures.py; Debian's scipy,
 * /usr/bin/python3) into a temporary directory and loads its manifest and arrays.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type DType, dtypeInfo } from "../../src/ndarray/dtype.js";
import { NDArray } from "../../src/ndarray/ndarray.js";

export interface StoredArray {
  dtype: DType;
  shape: number[];
  file: string;
}

export interface FixtureCase {
  id: string;
  fn: string;
  input: string;
  options: Record<string, unknown>;
  weights?: number[];
  expected: StoredArray;
  /** Further arrays a case returns (indices, masks, …), by name. */
  outputs?: Record<string, StoredArray>;
  /** Further plain values a case returns or takes (feature counts, slices, scalars). */
  extra?: Record<string, unknown>;
}

export interface FixtureKernel extends StoredArray {
  sigma: number;
  order: number;
  radius: number;
}

export interface Fixtures {
  inputs: Record<string, StoredArray>;
  cases: FixtureCase[];
  kernels: FixtureKernel[];
  numpy: { numpy: string; scipy: string; avx512: boolean };
  load(stored: StoredArray): NDArray;
  close(): void;
}

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const fixtureDirectory = path.join(repositoryRoot, "test", "fixtures", "ndimage");

export function generateFixtures(generator = "generate-fixtures.py"): Fixtures {
  const script = path.join(fixtureDirectory, generator);
  const directory = mkdtempSync(path.join(tmpdir(), "tessera-ndimage-"));
  const run = spawnSync("/usr/bin/python3", [script, directory], { encoding: "utf8" });
  if (run.status !== 0) {
    rmSync(directory, { recursive: true, force: true });
    throw new Error(`fixture generator failed (${run.status}): ${run.stderr}`);
  }
  const manifest = JSON.parse(readFileSync(path.join(directory, "manifest.json"), "utf8")) as Omit<Fixtures, "load" | "close">;
  const cache = new Map<string, NDArray>();
  return {
    ...manifest,
    load(stored: StoredArray): NDArray {
      const cached = cache.get(stored.file);
      if (cached) return cached;
      const bytes = readFileSync(path.join(directory, stored.file));
      const copy = new Uint8Array(bytes.length);
      copy.set(bytes);
      const info = dtypeInfo(stored.dtype);
      const data = new (info.array as Float64ArrayConstructor)(copy.buffer, 0, bytes.length / info.itemsize);
      const array = new NDArray(data, stored.shape, { dtype: stored.dtype });
      cache.set(stored.file, array);
      return array;
    },
    close(): void {
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** Indices where two arrays differ (NaN equals NaN; +0 and −0 differ), at most `limit`. */
export function differences(actual: NDArray, expected: NDArray, limit = 5): number[] {
  const found: number[] = [];
  const a = actual.data as Float64Array;
  const e = expected.data as Float64Array;
  if (a.length !== e.length) return [-1];
  for (let i = 0; i < a.length && found.length < limit; i++) if (!Object.is(a[i], e[i])) found.push(i);
  return found;
}

/** The largest difference in units of the last place of the expected value's dtype (float32 or float64). */
export function maxUlpDifference(actual: NDArray, expected: NDArray): number {
  const a = actual.data as Float64Array;
  const e = expected.data as Float64Array;
  const epsilon = expected.dtype === "float32" ? 2 ** -23 : 2 ** -52;
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    if (Object.is(a[i], e[i])) continue;
    const scale = Math.max(Math.abs(e[i]), Number.MIN_VALUE);
    const ulp = 2 ** Math.floor(Math.log2(scale)) * epsilon;
    worst = Math.max(worst, Math.abs(a[i] - e[i]) / ulp);
  }
  return worst;
}
