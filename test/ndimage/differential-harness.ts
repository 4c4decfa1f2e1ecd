/**
 * The differential tests of segmentation, measurement, distance and interpolation against
 * scipy.ndimage (Debian's python3-scipy through test/fixtures/array/evaluate.py): a case pairs a
 * tessera call with the Python expression of the same call; one Python process answers every
 * case of a test, and a failure lists every mismatch with the seed that reproduces it.
 *
 * A tessera result is an NDArray, a number (scipy's NumPy scalar: its dtype is not compared),
 * or nested number lists (compared as float64 values). Where scipy raises, tessera must throw an
 * error whose message matches the case's `errorNames` (the option or argument at fault).
 */
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";
import { evaluatePython } from "../array/python-eval.js";

export const fuzzSeed = Number(process.env.TESSERA_FUZZ_SEED ?? 20261205);

export type Outcome = nd.NDArray | number | boolean | null | readonly Outcome[];

export interface DiffCase {
  label: string;
  /** A Python expression over the inputs (np, ndi, da in scope) giving an array-like. */
  python: string;
  run: () => Outcome | Promise<Outcome>;
  /** Relative tolerance; 0 (default) means bit-identical. The case says why when it is not 0. */
  tolerance?: number;
  /** An absolute tolerance besides the relative one (0 by default); the case says why. */
  absolute?: number;
  /** What the error must name where scipy raises. */
  errorNames?: RegExp;
  /** A tessera refusal that is allowed (a documented difference) when scipy returns a result. */
  refusalAllowed?: RegExp;
  /** The lazy result's chunks, compared with Dask's where the Python expression gives a Dask array. */
  chunks?: () => number[][];
  /** A scipy error that is scipy's own defect: tessera's result is accepted where scipy raises this. */
  scipyDefect?: RegExp;
}

const toNDArray = (value: Outcome): { array: nd.NDArray; scalar: boolean } => {
  if (value instanceof nd.NDArray) return { array: value, scalar: false };
  if (typeof value === "number" || typeof value === "boolean") return { array: nd.fromTypedArray(Float64Array.of(Number(value)), []), scalar: true };
  const flat: number[] = [];
  const shape: number[] = [];
  const walk = (item: Outcome, depth: number): void => {
    if (Array.isArray(item)) {
      shape[depth] = item.length;
      for (const inner of item as Outcome[]) walk(inner, depth + 1);
    } else flat.push(item instanceof nd.NDArray ? Number(item.item()) : Number(item));
  };
  walk(value, 0);
  return { array: nd.fromTypedArray(Float64Array.from(flat), flat.length === 0 ? [0] : shape), scalar: true };
};

/** Equal shape and elements (dtype too, unless `scalar`), within a relative tolerance. */
export function mismatch(actual: nd.NDArray, expected: nd.NDArray, tolerance: number, scalar: boolean, absolute = 0): string | undefined {
  if (!scalar && actual.dtype !== expected.dtype) return `dtype ${actual.dtype}, scipy ${expected.dtype}`;
  if (actual.size !== expected.size || (!scalar && actual.shape.join() !== expected.shape.join())) {
    return `shape [${actual.shape.join(", ")}], scipy [${expected.shape.join(", ")}]`;
  }
  const a = nd.ascontiguousarray(actual).toTypedArray();
  const b = nd.ascontiguousarray(expected).toTypedArray();
  let worst: string | undefined;
  let count = 0;
  for (let i = 0; i < b.length; i++) {
    const x = Number(a[i]);
    const y = Number(b[i]);
    if (Object.is(x, y) || (Number.isNaN(x) && Number.isNaN(y)) || (scalar && x === y)) continue;
    if (Math.abs(x - y) <= Math.max(absolute, tolerance * Math.max(1, Math.abs(y)))) continue;
    count++;
    worst ??= `element ${i} is ${String(a[i])}, scipy ${String(b[i])}`;
  }
  return worst === undefined ? undefined : `${count} of ${b.length} differ; first: ${worst}`;
}

/** Runs the cases and their Python twins; one line per mismatch. */
export async function differences(cases: readonly DiffCase[], inputs: Record<string, nd.NDArray>): Promise<string[]> {
  const outcomes: Array<{ value?: Outcome; error?: Error; chunks?: number[][] }> = [];
  for (const kase of cases) {
    try {
      outcomes.push({ value: await kase.run(), chunks: kase.chunks?.() });
    } catch (error) {
      outcomes.push({ error: error as Error });
    }
  }
  const reference = evaluatePython(inputs, Object.fromEntries(cases.map((kase, i) => [`c${i}`, kase.python])));
  const problems: string[] = [];
  cases.forEach((kase, i) => {
    const { value, error, chunks } = outcomes[i];
    const expected = reference[`c${i}`];
    // Long literals (label arrays) are cut: the seed in the label reproduces the whole case.
    const python = kase.python.length > 600 ? `${kase.python.slice(0, 600)}…` : kase.python;
    const say = (what: string) => problems.push(`case ${i} ${kase.label}\n    scipy: ${python}\n    ${what}`);
    if (expected.error !== undefined) {
      if (!error && kase.scipyDefect?.test(expected.error)) return;
      if (!error) say(`scipy raises ${expected.error}; tessera returns a result`);
      else if (!(kase.errorNames ?? /./).test(error.message)) say(`scipy raises ${expected.error}; tessera's error does not name the argument: ${error.message}`);
      return;
    }
    if (error) {
      if (!kase.refusalAllowed?.test(error.message)) say(`tessera throws ${error.stack?.split("\n").slice(0, 3).join(" | ")}; scipy returns shape [${expected.array?.shape.join(", ")}]`);
      return;
    }
    const { array, scalar } = toNDArray(value as Outcome);
    const difference = mismatch(array, expected.array as nd.NDArray, kase.tolerance ?? 0, scalar, kase.absolute ?? 0);
    if (difference) return say(difference);
    if (chunks !== undefined && JSON.stringify(chunks) !== JSON.stringify(expected.chunks)) say(`chunks ${JSON.stringify(chunks)}, Dask ${JSON.stringify(expected.chunks)}`);
  });
  return problems;
}

export function report(problems: readonly string[], what: string, seed: number): void {
  assert.equal(problems.length, 0, `${what}, seed ${seed} (TESSERA_FUZZ_SEED=${seed} reruns it): ${problems.length} mismatches\n${problems.slice(0, 25).join("\n")}`);
}

/** Python's literal of a JS value (numbers, booleans, nested lists). */
export function py(value: unknown): string {
  if (value === undefined || value === null) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "float('nan')";
    if (!Number.isFinite(value)) return value > 0 ? "float('inf')" : "float('-inf')";
    return String(value);
  }
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(py).join(", ")}]`;
  if (typeof value === "bigint") return String(value);
  if (value instanceof nd.NDArray) return `np.array(${py(value.toArray())}, dtype=${JSON.stringify(value.dtype)})`;
  throw new Error(`no Python literal for ${String(value)}`);
}
