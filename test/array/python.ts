// Runs the Python anchors (Debian's python3-dask, -scipy, -zarr) for the array tests.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const fixtures = fileURLToPath(new URL("../../../test/fixtures/array/", import.meta.url));

export function python(script: string, ...args: string[]): string {
  return execFileSync("/usr/bin/python3", [`${fixtures}${script}`, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

export function compareZarr(a: string, b: string): { shape: number[]; dtype: string; chunks: number[]; equal: boolean; mismatches: number; other_dtype: string } {
  return JSON.parse(python("compare_zarr.py", a, b));
}
