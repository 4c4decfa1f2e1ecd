/**
 * The harness of the filter differential tests (test/ndimage/*-differential.test.ts,
 * test/array/filter-chunked-differential.test.ts): a case is a tessera call and the scipy 1.10
 * expression that should give the same array; one Python process (test/fixtures/array/evaluate.py,
 * Debian's python3-scipy) answers every case of a test. Results must be bit-identical (dtype, shape,
 * every element; NaN equals NaN, +0 and −0 differ): tessera claims bit-identity with scipy for its
 * filters (test/ndimage/scipy-exactness.test.ts). Where scipy raises, tessera must throw an error
 * that names the option.
 */
import assert from "node:assert/strict";
import * as nd from "../../src/ndarray/index.js";
import { evaluatePython } from "../array/python-eval.js";
import type { DType } from "../../src/ndarray/dtype.js";
import { randomArray } from "../array/differential-inputs.js";
import { seededRandom } from "./helpers.js";

export const fuzzSeed = Number(process.env.TESSERA_FUZZ_SEED ?? 20261205);

export type Rng = () => number;
export const rngOf = (seed: number): Rng => seededRandom(seed);
export const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)];
export const integer = (rng: Rng, low: number, high: number): number => low + Math.floor(rng() * (high - low + 1));

export const filterDtypes: readonly DType[] = ["uint8", "uint16", "int16", "int32", "float32", "float64", "int8", "uint32"];
export const allModes = ["reflect", "constant", "nearest", "mirror", "wrap", "grid-mirror", "grid-constant", "grid-wrap"] as const;

export function randomShape(rng: Rng): number[] {
  const ndim = integer(rng, 1, 3);
  return Array.from({ length: ndim }, () => pick(rng, [1, 2, 3, 4, 5, 7, 9, 12]));
}

/** An input registered under a fresh name: random dtype, values with NaN/±inf/−0 now and then. */
export function drawInput(rng: Rng, inputs: Record<string, nd.NDArray>, dtypes: readonly DType[] = filterDtypes): [string, nd.NDArray] {
  const name = `x${Object.keys(inputs).length}`;
  const dtype = pick(rng, dtypes);
  inputs[name] = randomArray(rng, dtype, randomShape(rng), { specials: rng() < 0.3 });
  return [name, inputs[name]];
}

export const oneOrPerAxis = <T>(rng: Rng, ndim: number, draw: () => T): T | T[] => (rng() < 0.5 ? draw() : Array.from({ length: ndim }, draw));
export const maybe = <T>(rng: Rng, p: number, value: () => T): T | undefined => (rng() < p ? value() : undefined);
export const drawCval = (rng: Rng): number => pick(rng, [0, 2.5, -3, 7, 1e3, NaN, 300, -0.75]);
export const drawOutput = (rng: Rng): DType | undefined => maybe(rng, 0.3, () => pick(rng, filterDtypes));

/** An origin for a window of `size`, inside scipy's range −⌊n/2⌋…⌊(n−1)/2⌋, now and then just outside it. */
export function drawOrigin(rng: Rng, size: number, outside = 0.06): number {
  if (rng() < outside) return rng() < 0.5 ? -Math.floor(size / 2) - 1 : Math.floor((size - 1) / 2) + 1;
  return integer(rng, -Math.floor(size / 2), Math.floor((size - 1) / 2));
}

/** A random on/off grid of `ndim` axes, each 1–4 long (sometimes all on, sometimes all off). */
export function drawFootprint(rng: Rng, ndim: number): boolean[] | unknown[] {
  const shape = Array.from({ length: ndim }, () => integer(rng, 1, 4));
  const density = pick(rng, [0.3, 0.6, 1, 1, 0]);
  const build = (axis: number): unknown[] => Array.from({ length: shape[axis] }, () => (axis === ndim - 1 ? rng() < density : build(axis + 1)));
  return build(0);
}

/**
 * scipy 1.10's binary morphology with iterations ≠ 1 and an origin off zero gives another result
 * from its default coordinate-list algorithm than from its own brute_force=True (repeated erosion,
 * what `iterations` documents): e.g. binary_erosion([[0, 1], [1, 0]], iterations=0, border_value=1,
 * origin=[0, 1]) is all 0, where repeating the erosion settles at [[0, 0], [1, 0]]. tessera
 * computes the repeated erosion (a documented difference), so those cases compare with brute_force=True.
 */
export function bruteForce(options: Record<string, unknown>): string {
  const origin = options.origin;
  const shifted = Array.isArray(origin) ? origin.some((o) => o !== 0) : typeof origin === "number" && origin !== 0;
  return shifted && (options.iterations ?? 1) !== 1 ? "brute_force=True" : "";
}

export interface FilterCase {
  label: string;
  /** The tessera call (eager, or a lazy array's compute). */
  run: () => nd.NDArray | Promise<nd.NDArray>;
  /** The scipy expression over the inputs. */
  python: string;
  /** What a refusal must name (default: any option-like word). */
  names?: RegExp;
  /** An allowed tessera refusal where scipy computes (a documented difference). */
  refusalAllowed?: RegExp;
  /** How results are compared when not bit for bit (a tolerance the case justifies). */
  compare?: (actual: nd.NDArray, expected: nd.NDArray) => string | undefined;
}

/** The Python literal of a JS value: NaN and infinities as floats, booleans as True/False, lists as lists. */
export function py(value: unknown): string {
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "float('nan')";
    if (!Number.isFinite(value)) return value > 0 ? "float('inf')" : "float('-inf')";
    return Object.is(value, -0) ? "-0.0" : String(value);
  }
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "string") return `'${value}'`;
  if (Array.isArray(value)) return `[${value.map(py).join(", ")}]`;
  if (nd.isNDArray(value)) return `np.array(${py(value.toArray())}, dtype='${value.dtype}')`;
  throw new Error(`no Python spelling for ${String(value)}`);
}

const pythonNames: Record<string, string> = { borderValue: "border_value" };
const dtypeOptions = new Set(["output"]);

/** tessera's options as scipy keyword arguments (output as np.dtype; footprints as bool arrays). */
export function kwargs(options: Record<string, unknown>): string {
  return Object.entries(options).filter(([, v]) => v !== undefined).map(([key, value]) => {
    let text = py(value);
    if (dtypeOptions.has(key)) text = `np.${value === "bool" ? "bool_" : String(value)}`;
    else if (key === "footprint" && Array.isArray(value)) text = `np.array(${text}, dtype=bool)`;
    else if (key === "structure" && Array.isArray(value)) text = `np.array(${text})`;
    return `${pythonNames[key] ?? key}=${text}`;
  }).join(", ");
}

/** Why two arrays differ (dtype, shape, first differing element), or undefined. */
export function mismatch(actual: nd.NDArray, expected: nd.NDArray): string | undefined {
  if (actual.dtype !== expected.dtype) return `dtype ${actual.dtype}, scipy ${expected.dtype}`;
  if (actual.shape.join() !== expected.shape.join()) return `shape [${actual.shape.join(", ")}], scipy [${expected.shape.join(", ")}]`;
  const a = nd.ascontiguousarray(actual).toTypedArray();
  const b = expected.toTypedArray();
  let count = 0;
  let first = -1;
  for (let i = 0; i < b.length; i++) {
    if (Object.is(a[i], b[i]) || (Number.isNaN(a[i]) && Number.isNaN(b[i]))) continue;
    if (first < 0) first = i;
    count++;
  }
  return first < 0 ? undefined : `${count} of ${b.length} elements differ; first: element ${first} is ${String(a[first])}, scipy ${String(b[first])}`;
}

const optionWords = /sigma|order|mode|cval|truncate|radius|axis|axes|size|footprint|structure|origin|output|dtype|rank|percentile|weights|iterations|border|mask|depth|boundary|option|shape|dimension|filter/i;

/** Runs every case and its scipy twin; one line per mismatch. */
export async function differences(cases: readonly FilterCase[], inputs: Record<string, nd.NDArray>): Promise<string[]> {
  const reference = evaluatePython(inputs, Object.fromEntries(cases.map((c, i) => [`c${i}`, c.python])));
  const problems: string[] = [];
  for (const [i, c] of cases.entries()) {
    let result: nd.NDArray | undefined;
    let error: Error | undefined;
    try {
      result = await c.run();
    } catch (e) {
      error = e as Error;
    }
    const expected = reference[`c${i}`];
    const say = (what: string) => problems.push(`case ${i} ${c.label}\n    scipy: ${c.python}\n    ${what}`);
    if (expected.error !== undefined) {
      if (!error) say(`scipy raises ${expected.error}; tessera returns ${result?.dtype}[${result?.shape.join(", ")}]`);
      else if (!(c.names ?? optionWords).test(error.message)) say(`error does not name the option: ${error.message} (scipy: ${expected.error})`);
      continue;
    }
    if (error) {
      if (!c.refusalAllowed?.test(error.message)) say(`tessera throws ${error.message}`);
      continue;
    }
    const why = (c.compare ?? mismatch)(result as nd.NDArray, expected.array as nd.NDArray);
    if (why) say(why);
  }
  // TESSERA_FUZZ_STATS=1 prints how many cases scipy refused (and why): a check that the draws still compute mostly.
  if (process.env.TESSERA_FUZZ_STATS) {
    const errs = cases.filter((_, i) => reference[`c${i}`].error !== undefined).length;
    console.log(`STATS ${cases.length} cases, scipy raised on ${errs}: ${[...new Set(cases.map((_, i) => reference[`c${i}`].error).filter(Boolean))].slice(0, 8).join(" | ")}`);
  }
  return problems;
}

export function report(problems: readonly string[], what: string, seed: number): void {
  assert.equal(problems.length, 0, `${what}, seed ${seed} (TESSERA_FUZZ_SEED=${seed} reruns it): ${problems.length} mismatches\n${problems.slice(0, 25).join("\n")}`);
}
