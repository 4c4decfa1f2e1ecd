/**
 * The ndimage fuzzer's runner: a seed draws one function from the catalogue
 * (ndimage-fuzz-filters/morphology/measure.ts), an input of 1–3 axes of 1–40 cells in a dtype the
 * function takes (masks for the binary, distance and label functions), the function's options,
 * and — for the chunked form — a random regular or irregular chunking (size-1 blocks and blocks
 * smaller than the filter's reach included). Every case's scipy.ndimage 1.10 expression runs in
 * one Python process (differential-harness.ts compares: dtype, shape, values — bit for bit unless
 * the case states a tolerance — and a refusal where scipy raises).
 */
import * as ta from "../../src/array/index.js";
import * as nd from "../../src/ndarray/index.js";
import * as ndimage from "../../src/ndimage/index.js";
import { type Rng, integer, pick, rngOf } from "../array/differential-inputs.js";
import { type DiffCase, type Outcome } from "./differential-harness.js";
import { manyChunks, randomMask } from "./measure-cases.js";
import { Chunked, type FuzzCase, X, inputDtypes, randomInput, randomShape } from "./ndimage-fuzz-draws.js";
import { filterOperations } from "./ndimage-fuzz-filters.js";
import { interpolationOperations, measureOperations } from "./ndimage-fuzz-measure.js";
import { morphologyOperations } from "./ndimage-fuzz-morphology.js";

type Op = (d: { rng: Rng; x: nd.NDArray }) => FuzzCase | null;
type Library = Record<string, (...args: unknown[]) => unknown>;

const maskDtypes: readonly nd.DType[] = ["bool", "bool", "uint8", "int32", "float32", "float64"];

/** Every operation with the kind of input it reads. */
export const catalogue: ReadonlyArray<[string, Op, "mask" | "values"]> = [
  ...filterOperations.map(([name, op]) => [name, op, "values"] as [string, Op, "values"]),
  ...morphologyOperations.map(([name, op, kind]) => [name, op, kind === "bool" ? "mask" : "values"] as [string, Op, "mask" | "values"]),
  ...measureOperations.map(([name, op]) => [name, op, "values"] as [string, Op, "values"]),
  ...interpolationOperations.map(([name, op]) => [name, op, "values"] as [string, Op, "values"]),
];

export interface Drawn {
  seed: number;
  kase: FuzzCase;
  input: nd.NDArray;
  chunks: number[][];
}

/** Block sizes along an axis: one block, blocks of 1 or 2, regular k, or a random partition (manyChunks). */
export const randomBlockSizes = (rng: Rng, n: number): number[] => manyChunks(rng, n);

export function drawCase(seed: number, only?: readonly string[]): Drawn {
  const rng = rngOf(seed);
  const ops = only ? catalogue.filter(([name]) => only.includes(name)) : catalogue;
  for (;;) {
    const [, op, kind] = pick(rng, ops);
    const shape = randomShape(rng);
    const dtype = pick(rng, kind === "mask" ? maskDtypes : inputDtypes);
    const x = kind === "mask" ? randomMask(rng, shape, dtype, pick(rng, [0.3, 0.6, 0.85])) : randomInput(rng, dtype, shape);
    const kase = op({ rng, x });
    if (kase === null) continue;
    const input = kase.inputOverride ?? x;
    return { seed, kase, input, chunks: input.shape.map((n) => randomBlockSizes(rng, n)) };
  }
}

const eagerArg = (arg: unknown, input: nd.NDArray): unknown => (arg === X ? input : arg instanceof Chunked ? arg.array : fill(arg, (v) => eagerArg(v, input)));
const lazyArg = (arg: unknown, input: nd.NDArray, chunks: number[][]): unknown =>
  arg === X ? ta.fromArray(input, { chunks }) : arg instanceof Chunked ? ta.fromArray(arg.array, { chunks }) : fill(arg, (v) => lazyArg(v, input, chunks));
/** Options objects hold Chunked masks too: their values are mapped one level down. */
function fill(arg: unknown, map: (v: unknown) => unknown): unknown {
  if (arg === null || typeof arg !== "object" || Array.isArray(arg) || arg instanceof nd.NDArray) return arg;
  return Object.fromEntries(Object.entries(arg).map(([k, v]) => [k, v instanceof Chunked ? map(v) : v]));
}

/** Awaits promises and computes lazy arrays, inside tuples and lists too. */
async function settle(value: unknown): Promise<unknown> {
  const resolved = await value;
  if (resolved instanceof ta.Array) return resolved.compute();
  if (Array.isArray(resolved)) return Promise.all(resolved.map(settle));
  if (resolved !== null && typeof resolved === "object" && !(resolved instanceof nd.NDArray) && "distances" in resolved) return resolved;
  return resolved;
}

/** The chunked call's lazy result, where it is one lazy array (or a tuple led by one); null otherwise. */
export function lazyOf(d: Drawn): ta.Array | null {
  const out = (ta.ndimage as unknown as Library)[d.kase.fn](...d.kase.args.map((a) => lazyArg(a, d.input, d.chunks)));
  const first = Array.isArray(out) ? out[0] : out;
  return first instanceof ta.Array ? first : null;
}

export const pythonOf = (d: Drawn, name: string): string => `(lambda x: ${d.kase.python})(${name})`;

/** The cases as the differential harness runs them, with the inputs Python reads. */
export function harnessCases(drawn: readonly Drawn[], form: "eager" | "chunked"): { cases: DiffCase[]; inputs: Record<string, nd.NDArray> } {
  const inputs: Record<string, nd.NDArray> = {};
  const cases = drawn.map((d, i): DiffCase => {
    inputs[`x${i}`] = d.input;
    const { kase } = d;
    const run = form === "eager"
      ? () => {
        const out = (ndimage as unknown as Library)[kase.fn](...kase.args.map((a) => eagerArg(a, d.input)));
        return (kase.pick ? kase.pick(out) : out) as Outcome;
      }
      : async () => {
        const fn = (ta.ndimage as unknown as Library)[kase.fn];
        const out = await settle(fn(...kase.args.map((a) => lazyArg(a, d.input, d.chunks))));
        return (kase.pick ? kase.pick(out) : out) as Outcome;
      };
    return {
      label: `seed ${d.seed}: ${kase.label}${form === "chunked" ? ` chunks ${JSON.stringify(d.chunks)}` : ""}`,
      python: pythonOf(d, `x${i}`), run, tolerance: kase.tolerance, absolute: kase.absolute, errorNames: kase.errorNames, refusalAllowed: form === "chunked" ? kase.chunkedRefusal ?? kase.refusalAllowed : kase.refusalAllowed, scipyDefect: kase.scipyDefect,
    };
  });
  return { cases, inputs };
}

export const seedsFrom = (seed: number, count: number): number[] => Array.from({ length: count }, (_, i) => seed + i);
export { integer };
