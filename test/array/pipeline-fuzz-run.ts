/**
 * The pipeline fuzzer (pipeline-fuzz.test.ts): a seed draws a random input (1–4 axes of 0–30,
 * size-1 axes, regular and irregular chunks with size-1 blocks, six dtypes) and 2–6 operations
 * from the catalogue (pipeline-fuzz-elementwise/structure/reductions.ts), each applied both as a
 * tessera call and as a Dask 2022.12 expression; all pipelines' Dask expressions are evaluated
 * in one Python run, then each tessera result is compared with Dask's.
 *
 * The comparison: a refusal matches a refusal (tessera's when building or computing, Dask's at
 * any point); otherwise dtype, shape, and values — exact (bit for bit, NaN equal to NaN) for
 * integers, booleans and floats that no order-dependent step touched; floats after a float
 * reduction, cumulative op or contraction within a relative 1e-3 (float32) or 1e-9 (float64) of
 * the largest magnitude in Dask's result, because the summation order differs (Dask's
 * split_every and ours). Chunks are compared with Dask's separately (unknown sizes as null).
 */
import type * as ta from "../../src/array/index.js";
import type * as nd from "../../src/ndarray/index.js";
import { Inputs, integer, pick, randomArray, randomChunks, rngOf } from "./differential-inputs.js";
import { evaluatePython, type PythonResult } from "./python-eval.js";
import { elementwiseOperations } from "./pipeline-fuzz-elementwise.js";
import { reductionOperations } from "./pipeline-fuzz-reductions.js";
import { structureOperations } from "./pipeline-fuzz-structure.js";
import { knownShape, sizeOf, type Operation, type Stage } from "./pipeline-fuzz-stage.js";

export const catalogue: readonly Operation[] = [...elementwiseOperations, ...structureOperations, ...reductionOperations];
const dtypes = ["bool", "int16", "uint16", "int64", "float32", "float64"] as const;
/** Results past this many elements are not drawn (Python and the local executor stay quick). */
const maxElements = 20000;

export interface Pipeline {
  seed: number;
  /** The operations applied, in order (the last one refused, where tessera refused while building). */
  steps: string[];
  /** Some step had a 0-length axis: Dask 2022.12 is no reference for chunks or refusals there (see below). */
  empty: boolean;
  /** Each applied step's name, Dask expression and tessera chunks (to find where chunks first part). */
  history: Array<{ name: string; py: string; chunks: Array<Array<number | null>> }>;
  /** The Dask expression of the whole pipeline (up to and including a step tessera refused). */
  py: string;
  stage?: Stage;
  /** tessera refused to build the last step. */
  refusal?: Error;
}

function randomShape(rng: () => number): number[] {
  const shape = Array.from({ length: integer(rng, 1, 4) }, () => (rng() < 0.04 ? 0 : pick(rng, [1, 1, 2, 3, 5, integer(rng, 6, 30), integer(rng, 6, 30)])));
  while (sizeOf(shape) > maxElements / 4) shape[shape.indexOf(Math.max(...shape))] = integer(rng, 2, 9);
  return shape;
}

export function drawPipeline(seed: number, inputs: Inputs, operations: readonly Operation[] = catalogue): Pipeline {
  const rng = rngOf(seed);
  const dtype = pick(rng, dtypes);
  const shape = randomShape(rng);
  const small = rng() < 0.8;
  const specials = (dtype === "float32" || dtype === "float64") && rng() < 0.15;
  const x = inputs.add(randomArray(rng, dtype, shape, { small, specials }), shape.map((n) => randomChunks(rng, n)));
  let stage: Stage = { lazy: x.lazy(), py: x.py, inexact: false, plain: small && !specials };
  let empty = shape.includes(0);
  const history: Pipeline["history"] = [];
  const steps: string[] = [`${dtype} [${shape.join(", ")}] chunks ${JSON.stringify(stage.lazy.chunks)}`];
  const length = integer(rng, 2, 6);
  for (let step = 0, tries = 0; step < length && tries < 40; tries++) {
    const op = pick(rng, operations);
    if (!op.unknownOk && !knownShape(stage)) continue;
    const drawn = op.apply({ rng, inputs }, stage);
    if (drawn === null) continue;
    let lazy: ta.Array;
    try {
      lazy = drawn.build();
    } catch (error) {
      return { seed, steps: [...steps, op.name], empty, py: drawn.py, refusal: error as Error, history };
    }
    if (lazy.shape.every(Number.isFinite) && sizeOf(lazy.shape) > maxElements) continue;
    stage = { lazy, py: drawn.py, inexact: drawn.inexact, plain: drawn.plain, ownChunks: drawn.ownChunks };
    empty ||= lazy.shape.includes(0);
    history.push({ name: op.name, py: drawn.py, chunks: chunksOf(lazy) });
    steps.push(`${op.name} -> ${lazy.dtype} [${lazy.shape.join(", ")}] ${JSON.stringify(lazy.chunks)}`);
    step++;
    if (drawn.final) step = length;
  }
  return { seed, steps, empty, py: stage.py, stage, history };
}

export interface Discrepancy {
  seed: number;
  kind: "refusal" | "dask-refusal" | "dtype" | "shape" | "values" | "chunks";
  detail: string;
  steps: string[];
  py: string;
}

const chunksOf = (lazy: ta.Array): Array<Array<number | null>> => lazy.chunks.map((axis) => axis.map((c) => (Number.isNaN(c) ? null : c)));

function valueMismatch(ours: nd.NDArray, expected: nd.NDArray, inexact: boolean): string | null {
  const a = ours.toTypedArray();
  const b = expected.toTypedArray();
  const float = ours.dtype === "float32" || ours.dtype === "float64";
  let scale = 1;
  if (float && inexact) for (let i = 0; i < b.length; i++) if (Number.isFinite(b[i])) scale = Math.max(scale, Math.abs(b[i] as number));
  const tolerance = ours.dtype === "float32" ? 1e-3 : 1e-9;
  for (let i = 0; i < b.length; i++) {
    if (Object.is(a[i], b[i]) || (Number.isNaN(a[i]) && Number.isNaN(b[i]))) continue;
    if (float && inexact && Number.isFinite(a[i]) && Number.isFinite(b[i]) && Math.abs((a[i] as number) - (b[i] as number)) <= tolerance * scale) continue;
    return `element ${i}: tessera ${String(a[i])}, Dask ${String(b[i])}`;
  }
  return null;
}

/**
 * Differences that are Dask 2022.12's bugs or tessera's documented choices, not tessera's bugs:
 * - tessera reads a number as NumPy 2 does (NEP 50: a weak scalar takes the array's dtype, and
 *   one it cannot hold is refused), NumPy 1.24 by value (uint16 − 3 gives int32): refusals that
 *   name the out-of-bounds scalar are that choice.
 * - With a 0-length axis, Dask 2022.12 fails in map_overlap, tensordot (KeyError), reshape and
 *   more, keeps 0-length pieces in its chunks, pads an empty axis to a wrong length (pad (4, 4)
 *   then (2, 1) gives 12, NumPy 11), reduces min / max over it (NumPy refuses, as tessera does):
 *   only dtypes are compared there.
 * - Dask 2022.12's where infers a dtype from its metadata and refuses when NumPy 1.24's
 *   value-based casting of 0-d blocks gives another ("Inferred dtype ... can't be cast");
 *   reductions after a reshape of unknown sizes ("Arrays chunk sizes are unknown") where tessera's
 *   sizes are known again.
 */
function excused(p: Pipeline, kind: Discrepancy["kind"], detail: string): boolean {
  if (kind === "refusal" && /scalar -?\d+(\.\d+)? is out of bounds for/.test(detail)) return true;
  // Dask keeps a 0-length block where a strided slice's range ends inside a block it selects
  // nothing from (x[:-3:3] over chunks (1, 15, 3, 1) gives (1, 5, 0)); tessera drops it.
  if (kind === "chunks" && p.stage && JSON.stringify(chunksOf(p.stage.lazy)) === JSON.stringify(JSON.parse(detail.replace(/^.*Dask /, "")).map((axis: Array<number | null>) => (axis.length > 1 ? axis.filter((c) => c !== 0) : axis)))) return true;
  if (kind === "chunks" && p.stage?.ownChunks) return true;
  if (kind === "dask-refusal" && /Inferred dtype from function|Arrays chunk sizes are unknown/.test(detail)) return true;
  // Dask's NaN sizes leak into integer arithmetic after an arg-reduction along an axis of unknown size.
  if (kind === "dask-refusal" && /'float' object cannot be interpreted as an integer/.test(detail)) return true;
  // Dask's chunk_min fails on a block emptied along a kept axis, and computes min along an axis a
  // mask emptied; NumPy (and tessera) give an empty result there, and refuse here.
  if (kind === "dask-refusal" && /zero-size array to reduction/.test(detail) && p.stage?.lazy.shape.some((n) => !(n > 0))) return true;
  if (kind === "refusal" && /zero-size array to reduction operation .* \(every block is empty\)/.test(detail)) return true;
  // Dask's max over several axes concatenates an empty block's partial (0 long along the unknown
  // axis) with full ones and fails; tessera leaves it out and gives NumPy's value (seed 20262110).
  // Dask fails on the 0-length blocks it keeps after a strided slice (pad: "cannot broadcast chunks ((1, 0),)").
  if (kind === "dask-refusal" && /cannot broadcast chunks \(\([^)]*\b0\b/.test(detail)) return true;
  if (kind === "dask-refusal" && /all the input array dimensions except for the concatenation axis must match exactly/.test(detail)) return true;
  return p.empty && kind !== "dtype";
}

/** Compares every pipeline with Dask; the Dask expressions run in one Python process. */
export async function runPipelines(pipelines: readonly Pipeline[], inputs: Inputs): Promise<Discrepancy[]> {
  const expressions: Record<string, string> = {};
  pipelines.forEach((p, i) => { expressions[`p${i}`] = p.py; });
  const python = evaluatePython(inputs.arrays, expressions);
  const found: Discrepancy[] = [];
  for (const [i, p] of pipelines.entries()) {
    const dask: PythonResult = python[`p${i}`];
    const report = (kind: Discrepancy["kind"], detail: string): void => {
      if (!excused(p, kind, detail)) found.push({ seed: p.seed, kind, detail, steps: p.steps, py: p.py });
    };
    if (p.refusal) {
      if (dask.error === undefined) report("refusal", `tessera refused while building: ${p.refusal.message}`);
      continue;
    }
    const stage = p.stage as Stage;
    let ours: nd.NDArray;
    try {
      ours = await stage.lazy.compute();
    } catch (error) {
      if (dask.error === undefined) report("refusal", `tessera refused when computing: ${(error as Error).message}`);
      continue;
    }
    if (dask.error !== undefined) {
      report("dask-refusal", `Dask raises ${dask.error}; tessera gives ${ours.dtype} [${ours.shape.join(", ")}]`);
      continue;
    }
    const expected = dask.array as nd.NDArray;
    if (ours.dtype !== expected.dtype) report("dtype", `tessera ${ours.dtype}, Dask ${expected.dtype}`);
    else if (ours.shape.join() !== expected.shape.join()) report("shape", `tessera [${ours.shape.join(", ")}], Dask [${expected.shape.join(", ")}]`);
    else {
      const mismatch = valueMismatch(ours, expected, stage.inexact);
      if (mismatch) report("values", mismatch);
    }
    const chunks = chunksOf(stage.lazy);
    if (JSON.stringify(chunks) !== JSON.stringify(dask.chunks)) report("chunks", `tessera ${JSON.stringify(chunks)}, Dask ${JSON.stringify(dask.chunks)}`);
  }
  return found;
}

export function drawPipelines(seeds: readonly number[]): { pipelines: Pipeline[]; inputs: Inputs } {
  const inputs = new Inputs();
  return { pipelines: seeds.map((seed) => drawPipeline(seed, inputs)), inputs };
}

/** For exploring: the first step of each pipeline whose chunks differ from Dask's (one more Python run). */
export function firstChunkDivergence(pipelines: readonly Pipeline[], inputs: Inputs): string[] {
  const expressions: Record<string, string> = {};
  pipelines.forEach((p, i) => p.history.forEach((h, j) => { expressions[`p${i}_${j}`] = h.py; }));
  const python = evaluatePython(inputs.arrays, expressions);
  const out: string[] = [];
  pipelines.forEach((p, i) => {
    const j = p.history.findIndex((h, k) => python[`p${i}_${k}`].error === undefined && JSON.stringify(h.chunks) !== JSON.stringify(python[`p${i}_${k}`].chunks));
    if (j < 0) return;
    const before = j === 0 ? p.steps[0] : JSON.stringify(p.history[j - 1].chunks);
    out.push(`seed ${p.seed} ${p.history[j].name}: from ${before}: tessera ${JSON.stringify(p.history[j].chunks)}, Dask ${JSON.stringify(python[`p${i}_${j}`].chunks)}\n    ${p.history[j].py}`);
  });
  return out;
}
