/**
 * The reduction part of a compute thread's start-up warm-up (thread-warm-up.ts): the fused
 * tasks a typical reduction graph sends, run through the same task runner on small blocks, so
 * that the first real ones do not run unoptimised code.
 *
 * Measured on `random((8000, 8000), chunks 500²)`: the sum of x + x.T sends fused tasks of
 * [random, random, transpose, add-and-sum partial] (and [random, transpose, partial] on the
 * diagonal), combined 16 partials at a time; the persisted mean sends random blocks, then
 * [mean partial × 16, combine], and a last [combine, finish]. A fresh thread's first such task
 * took ~28 CPU ms and its first ten ~60 (~40 more than ten later ones, V8's compiler threads
 * included): the xoshiro fill, the strided add of a transposed operand, the sum, the fused
 * runner's bookkeeping and the block recycler all ran unoptimised at first. Each worker pays
 * that once, so a second worker pays it twice for the same graph.
 *
 * The chain below runs those steps on 128² float64 blocks, enough times for V8 to optimise
 * them (a few calls and loop iterations each; one call of a big block optimises only its inner
 * loop). Nothing of it stays: the blocks are garbage when it returns, the recycler's pool and
 * the scratch buffers are dropped before the worker joins (compute-thread.ts releaseRetained),
 * and no task, story entry or profile sample is made: it calls the runner directly, outside
 * any task (no task context, no profiler, no message to the worker).
 */
import { TaskMeter, fusedBuiltin, runTask, stepRef, type FusedStep } from "../../graph/task-runner.js";
import type { FunctionRef } from "../../protocol/function-ref.js";
import { builtinNameOf } from "../../core/builtin.js";
import { random } from "../../ndarray/random.js";
import { transpose } from "../../ndarray/views.js";
import { add } from "../../ndarray/arithmetic.js";
import { combinePartials, finishReduction, reduceElementwisePartial, reducePartial } from "../../ndarray/tree-reduction.js";

/** The side of the warm-up's blocks: large enough for the kernels' loops to be optimised, small enough to cost little. */
const side = 128;
/** Off-diagonal x + x.T tasks run (each generates two blocks): V8 optimises after several calls, not one. */
const pairTasks = 8;
/** Partials one combine takes here (the 8000² graph's take 16: the same code, fewer blocks to make). */
const fanIn = 4;

/** The builtins the chain calls: loaded before the warm-up (builtin-catalog.ts), as thread-warm-up.ts's are. */
export const reductionWarmUpBuiltins = [random, transpose, add, reducePartial, reduceElementwisePartial, combinePartials, finishReduction] as const;

const ref = (fn: (...args: never[]) => unknown): FunctionRef => ({ builtin: builtinNameOf(fn) ?? fn.name });
const fused: FunctionRef = { builtin: fusedBuiltin };
const reduction = (op: "sum" | "mean") => ({ op, axes: [0, 1], keepdims: false, ddof: 0, dtype: "float64" });

/** A block of x + x.T's sum: x's block and the transposed block across the diagonal (one on the diagonal: the same block). */
function addTransposedSteps(seed: number, onDiagonal: boolean): FusedStep[] {
  const block = (row: number, column: number): FusedStep => ({ fn: ref(random), args: [[side, side], { seed: [seed, row, column], dtype: "float64" }] });
  const steps = onDiagonal ? [block(0, 0)] : [block(0, 1), block(1, 0)];
  const mirrored = steps.length - 1;
  steps.push({ fn: ref(transpose), args: [stepRef(mirrored), { axes: [1, 0] }] });
  steps.push({ fn: ref(reduceElementwisePartial), args: [builtinNameOf(add), [stepRef(0), stepRef(steps.length - 1)], reduction("sum")] });
  return steps;
}

/** A mean over persisted blocks: partials of each, combined in one task, then finished. */
function meanSteps(blocks: unknown[]): FusedStep[] {
  const steps: FusedStep[] = blocks.map((block) => ({ fn: ref(reducePartial), args: [block, reduction("mean")] }));
  steps.push({ fn: ref(combinePartials), args: [steps.map((_, i) => stepRef(i)), reduction("mean"), [fanIn / 2, 2], false] });
  steps.push({ fn: ref(finishReduction), args: [stepRef(steps.length - 1), reduction("mean")] });
  return steps;
}

/** How the warm-up runs a task: the worker's task runner (a test passes one that also records the calls). */
export type RunTask = (fn: FunctionRef, args: unknown[], meter?: TaskMeter) => Promise<unknown>;

/** Runs the chain; resolves the sum of x + x.T and the mean it computed (for tests: the chain really ran). */
export async function warmUpReductions(run: RunTask = runTask): Promise<{ sum: unknown; mean: unknown }> {
  const runFused = (steps: FusedStep[]) => run(fused, [{ steps }], new TaskMeter(0));
  const partials: unknown[] = [];
  for (let task = 0; task < pairTasks; task++) partials.push(await runFused(addTransposedSteps(task, task % fanIn === 0)));
  // The tree's levels: fanIn partials into one, then the last ones with the finish fused, as the graph's root is.
  const level: unknown[] = [];
  for (let at = 0; at < partials.length; at += fanIn) level.push(await run(ref(combinePartials), [partials.slice(at, at + fanIn), reduction("sum"), [fanIn / 2, 2], false]));
  const sum = await runFused([
    { fn: ref(combinePartials), args: [level, reduction("sum"), [level.length, 1], false] },
    { fn: ref(finishReduction), args: [stepRef(0), reduction("sum")] },
  ]);
  // Persisted blocks: generated alone (a task of its own each), then read by the mean's partials.
  const persisted: unknown[] = [];
  for (let block = 0; block < fanIn; block++) persisted.push(await run(ref(random), [[side, side], { seed: [pairTasks, block, 0], dtype: "float64" }]));
  const mean = await runFused(meanSteps(persisted));
  return { sum, mean };
}
