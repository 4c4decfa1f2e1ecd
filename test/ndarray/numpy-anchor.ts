/**
 * Runs test/fixtures/ndarray/numpy_anchor.py (Debian's NumPy) at test time into a temporary
 * directory and turns its cases into NDArrays, plus comparisons that report every mismatch.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as nd from "../../src/ndarray/index.js";
import { type DType, type NDArray, fromTypedArray, toDType } from "../../src/ndarray/index.js";
import { dtypeInfo } from "../../src/ndarray/dtype.js";

const script = fileURLToPath(new URL("../../../test/fixtures/ndarray/numpy_anchor.py", import.meta.url));

export interface ArraySpec {
  dtype: string;
  shape: number[];
  at: number;
  nbytes: number;
}

export interface AnchorSuite<Case> {
  numpy: string;
  cases: Case[];
  blob: Buffer;
}

const specialNumbers: Record<string, number> = { NaN, Infinity, "-Infinity": -Infinity };

type Step = [string, unknown];

/** Applies one step of a view chain written by the anchor script (the same ops NumPy ran). */
export function applyStep(a: nd.NDArray, [op, arg]: Step): nd.NDArray {
  switch (op) {
    case "slice": return nd.slice(a, ...(arg as nd.IndexItem[]));
    case "transpose": return nd.transpose(a, arg as number[] | null);
    case "squeeze": return nd.squeeze(a, arg as number | number[] | null);
    case "expandDims": return nd.expandDims(a, arg as number | number[]);
    case "reshape": return nd.reshape(a, arg as number[]);
    case "broadcastTo": return nd.broadcastTo(a, arg as number[]);
    default: throw new Error(`unknown step ${op}`);
  }
}

/** Runs one suite of the anchor script and reads its output. */
export function loadSuite<Case>(suite: string): AnchorSuite<Case> {
  const dir = mkdtempSync(join(tmpdir(), "tessera-ndarray-"));
  try {
    execFileSync("/usr/bin/python3", ["-B", "-W", "ignore", script, dir, suite], { stdio: ["ignore", "ignore", "pipe"] });
    const parsed = JSON.parse(readFileSync(join(dir, `${suite}.json`), "utf8"), (_key, value) =>
      typeof value === "string" && value in specialNumbers ? specialNumbers[value] : value,
    ) as { numpy: string; cases: Case[] };
    return { ...parsed, blob: readFileSync(join(dir, `${suite}.bin`)) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The NDArray an array spec describes (its own copy of the bytes). */
export function decode(spec: ArraySpec, blob: Buffer): NDArray {
  const dtype = toDType(spec.dtype);
  const info = dtypeInfo(dtype);
  const bytes = new Uint8Array(spec.nbytes);
  bytes.set(blob.subarray(spec.at, spec.at + spec.nbytes));
  const typed = new (info.array as Float64ArrayConstructor)(bytes.buffer, 0, spec.nbytes / info.itemsize);
  return fromTypedArray(typed as never, spec.shape, { dtype });
}

/** Distance in units in the last place between two finite floats of one dtype. */
function ulpDistance(a: number, b: number, dtype: DType): number {
  if (dtype === "float32") {
    const bits = new Int32Array(new Float32Array([a, b]).buffer);
    const ordered = [...bits].map((x) => (x < 0 ? -2147483648 - x : x));
    return Math.abs(ordered[0] - ordered[1]);
  }
  const bits = new BigInt64Array(new Float64Array([a, b]).buffer);
  const ordered = [...bits].map((x) => (x < 0n ? -(2n ** 63n) - x : x));
  const distance = ordered[0] - ordered[1];
  return Number(distance < 0n ? -distance : distance);
}

export interface CompareOptions {
  /** Allowed distance in units in the last place for float results (0: bit for bit). */
  ulps?: number;
  /** Compare -0 and +0 as equal. */
  ignoreZeroSign?: boolean;
}

function show(value: number | bigint): string {
  return Object.is(value, -0) ? "-0" : String(value);
}

/** Why `actual` differs from `expected` (dtype, shape, first differing elements), or undefined. */
export function difference(actual: NDArray, expected: NDArray, options: CompareOptions = {}): string | undefined {
  if (actual.dtype !== expected.dtype) return `dtype ${actual.dtype}, expected ${expected.dtype}`;
  if (actual.shape.join() !== expected.shape.join()) return `shape [${actual.shape}], expected [${expected.shape}]`;
  const got = actual.toTypedArray();
  const want = expected.toTypedArray();
  const isFloat = dtypeInfo(actual.dtype).kind === "f";
  const bad: string[] = [];
  for (let i = 0; i < want.length && bad.length < 4; i++) {
    const x = got[i];
    const y = want[i];
    let same = Object.is(x, y) || (isFloat && Number.isNaN(x) && Number.isNaN(y));
    if (!same && options.ignoreZeroSign && x === y) same = true;
    if (!same && isFloat && options.ulps && Number.isFinite(x) && Number.isFinite(y)) {
      same = ulpDistance(x as number, y as number, actual.dtype) <= options.ulps;
    }
    if (!same) bad.push(`[${i}] ${show(x)} vs ${show(y)}`);
  }
  return bad.length ? `values differ: ${bad.join(", ")}` : undefined;
}

/** Largest ULP distance between two float arrays of the same shape (for reporting). */
export function maxUlps(actual: NDArray, expected: NDArray): number {
  const got = actual.toTypedArray();
  const want = expected.toTypedArray();
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    const x = got[i] as number;
    const y = want[i] as number;
    if (Number.isFinite(x) && Number.isFinite(y)) worst = Math.max(worst, ulpDistance(x, y, actual.dtype));
  }
  return worst;
}

/** Collects failures of a table of cases so one test reports all of them. */
export class Mismatches {
  private readonly items: string[] = [];
  add(label: string, problem: string | undefined): void {
    if (problem !== undefined) this.items.push(`${label}: ${problem}`);
  }
  get count(): number {
    return this.items.length;
  }
  report(): string {
    return `${this.items.length} mismatches:\n${this.items.slice(0, 30).join("\n")}`;
  }
}
