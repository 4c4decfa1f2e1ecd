/**
 * Running one task once its dependencies are available: resolve the function, call it with
 * the arguments, await the result if it is a promise. A fused task (many blockwise steps
 * merged into one by fuse.ts) runs its steps in order inside the same call, each step's
 * result feeding later steps through StepRef markers, so intermediate blocks never leave the
 * thread. A step's result is dropped as soon as the last step that reads it has run, so a
 * fused task holds its inputs, the results later steps still need, and the step running.
 *
 * Workers run tasks with a meter (task-meter.ts), sampled after each step.
 */
import type { FunctionRef } from "../protocol/function-ref.js";
import { resolveFunction } from "./function-resolver.js";
import { type TaskMeter, distinctBufferBytes } from "./task-meter.js";
import { NDArray } from "../ndarray/ndarray.js";
import { allocatedSince, sharedBytesAllocated } from "../ndarray/allocation-ledger.js";
import { isGeneratedBlock, recycleGenerated, takeEvictedBytes } from "../ndarray/block-recycling.js";
import { endOperandLoan, lendDyingOperands, mayWriteOverOperands } from "../ndarray/operand-reuse.js";

export { TaskMeter } from "./task-meter.js";

export const fusedBuiltin = "graph.fused";

export interface FusedStep {
  fn: FunctionRef;
  args: unknown[];
}

const stepRefs: Array<Readonly<{ $step: number }>> = [];

/**
 * Inside a fused task: the result of an earlier step. Packs as `{ $step: i }`. The markers
 * are immutable and shared (a million fused tasks need only a few of them).
 */
export function stepRef(index: number): Readonly<{ $step: number }> {
  return (stepRefs[index] ??= Object.freeze({ $step: index }));
}

/**
 * Whether a value is a container step markers may sit in: an array or a plain object (a Map,
 * a typed array, an NDArray or any other instance is an argument, passed as it is).
 */
function isPlainContainer(value: unknown): value is Record<string, unknown> {
  if (!value || typeof value !== "object") return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

function substituteSteps(value: unknown, results: unknown[]): unknown {
  if (Array.isArray(value)) return value.map((item) => substituteSteps(item, results));
  if (isPlainContainer(value)) {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    if (keys.length === 1 && keys[0] === "$step") return results[record.$step as number];
    const out: Record<string, unknown> = {};
    for (const key of keys) out[key] = substituteSteps(record[key], results);
    return out;
  }
  return value;
}

function collectStepRefs(value: unknown, into: number[]): void {
  if (Array.isArray(value)) for (const item of value) collectStepRefs(item, into);
  else if (isPlainContainer(value)) {
    const record = value;
    const keys = Object.keys(record);
    if (keys.length === 1 && keys[0] === "$step") into.push(record.$step as number);
    else for (const key of keys) collectStepRefs(record[key], into);
  }
}

/** For each step of a fused task, the steps whose results it reads. */
export function stepInputs(steps: readonly FusedStep[]): number[][] {
  return steps.map((step) => {
    const refs: number[] = [];
    collectStepRefs(step.args, refs);
    return refs;
  });
}

/**
 * For each step, the earlier steps whose results nothing after it reads (free them once it
 * has run). The last step's result is the task's and is never listed.
 */
export function releasesAfter(steps: readonly FusedStep[]): number[][] {
  const lastUse = steps.map((_, i) => i);
  stepInputs(steps).forEach((refs, user) => {
    for (const ref of refs) lastUse[ref] = Math.max(lastUse[ref], user);
  });
  const releases: number[][] = steps.map(() => []);
  lastUse.forEach((last, step) => {
    if (step < steps.length - 1) releases[last].push(step);
  });
  return releases;
}

/**
 * Bytes of the blocks (NDArrays, typed arrays) inside a task's arguments: each distinct buffer
 * once, whole (an input two fused steps read is one block; a view keeps its buffer alive), as
 * the task meter counts results.
 */
export function blockBytesIn(value: unknown): number {
  return distinctBufferBytes(value);
}

/** Called with the bytes of the blocks a fused task has just stopped using; none by default. */
let releasedBlocks: ((bytes: number) => void) | null = null;

/**
 * Lets a compute thread free the blocks a fused task no longer uses before its next steps
 * allocate theirs (worker/executor/thread-memory.ts). Dropping the last reference frees
 * nothing until V8 collects, and warm, optimised kernels allocate so little on the heap that
 * no collection comes before the task ends: the halo and the filter results of a grouped DoG
 * task (~12 MiB at 64×256×256) then stayed resident through its chunk writes.
 */
export function onReleasedBlocks(callback: ((bytes: number) => void) | null): void {
  releasedBlocks = callback;
}

/**
 * The results of the steps in `live` (those no step has released yet), in step order: what the
 * task still holds, which the meter and the recycler walk after each step. Walking every slot
 * of `results` instead made each step cost as much as the steps before it: a 10,000-step chain
 * spent ~0.4 ms a step in the meter's walk on a worker, 10× the step itself.
 */
function heldResults(results: readonly unknown[], live: ReadonlySet<number>): unknown[] {
  const held: unknown[] = [];
  for (const step of live) held.push(results[step]);
  return held;
}

/**
 * Drops the results a step was the last to read (from `results` and from `live`); returns the
 * bytes of their blocks. A function of its own, as runStep is: a value passed in the caller's
 * frame can stay reachable from it (the argument register of the last call) until that
 * register is reused.
 */
function release(results: unknown[], live: Set<number>, done: readonly number[], recycleSince: number | undefined): number {
  let bytes = 0;
  let generated: NDArray[] | undefined;
  for (const step of done) {
    const value = results[step];
    results[step] = undefined;
    live.delete(step);
    // A block generated in this task may go back to the generators (block-recycling.ts), not to V8.
    if (recycleSince !== undefined && isGeneratedBlock(value) && allocatedSince(value.storage.buffer, recycleSince)) (generated ??= []).push(value);
    else bytes += blockBytesIn(value);
  }
  // Now, not at the task's end: a block the pool does not take is garbage at once (and counted
  // as released), and one it takes serves this task's next generator. A step result still
  // live may be a view of it: then it stays.
  if (generated) {
    for (const block of recycleGenerated(generated, heldResults(results, live))) bytes += blockBytesIn(block);
    bytes += takeEvictedBytes(); // the kept buffers that made room: garbage too
  }
  return bytes;
}

/**
 * Before an elementwise step of a fused task that recycles (operand-reuse.ts): lends it the
 * blocks made in this task that it is the last to read, unless another result still held
 * reaches them. Returns whether anything was lent.
 */
function lendDying(step: FusedStep, results: unknown[], live: ReadonlySet<number>, done: readonly number[], running: number, recycleSince: number): boolean {
  if (!("builtin" in step.fn) || !mayWriteOverOperands(step.fn.builtin)) return false;
  const dying = done.filter((at) => at !== running);
  if (dying.length === 0) return false;
  // Only the results still held (not every slot: a long chain would make this quadratic).
  const others = [...live].filter((at) => !dying.includes(at)).map((at) => results[at]);
  return lendDyingOperands(dying.map((at) => results[at]), others, (block) => allocatedSince(block.storage.buffer, recycleSince));
}

/**
 * Whether a fused task's generated blocks may be recycled: every step is one of tessera's own
 * functions, none handed a user's function. A user's function may keep its input block (module
 * state), and recycling would overwrite what it kept.
 */
function onlyOwnFunctions(steps: readonly FusedStep[]): boolean {
  return steps.every((step) => "builtin" in step.fn && !holdsFunctionRef(step.args, 0));
}

function holdsFunctionRef(value: unknown, depth: number): boolean {
  if (value === null || typeof value !== "object" || depth > 8) return false;
  if (Array.isArray(value)) return value.some((item) => holdsFunctionRef(item, depth + 1));
  if (!isPlainContainer(value)) return false;
  const record = value;
  if (("module" in record && "export" in record) || ("source" in record && "name" in record)) return true;
  for (const key in record) if (holdsFunctionRef(record[key], depth + 1)) return true;
  return false;
}

/**
 * One step of a fused task, in a frame of its own: the step's arguments are then unreachable
 * once it returns (a frame that outlives the call can keep its last argument list), so the
 * blocks runTask stops using can be collected at once.
 */
async function runStep(step: FusedStep, results: unknown[]): Promise<unknown> {
  const callable = await resolveFunction(step.fn);
  return callable(...(substituteSteps(step.args, results) as unknown[]));
}

export async function runTask(fn: FunctionRef, args: unknown[], meter?: TaskMeter): Promise<unknown> {
  if ("builtin" in fn && fn.builtin === fusedBuiltin) {
    const { steps } = args[0] as { steps: FusedStep[] };
    const releases = releasesAfter(steps);
    const results: unknown[] = new Array(steps.length);
    // The steps whose results are held: a chain holds one or two however long it is.
    const live = new Set<number>();
    const recycleSince = onlyOwnFunctions(steps) ? sharedBytesAllocated() : undefined;
    for (let i = 0; i < steps.length; i++) {
      const lent = recycleSince !== undefined && lendDying(steps[i], results, live, releases[i], i, recycleSince);
      try {
        results[i] = await runStep(steps[i], results);
      } finally {
        if (lent) endOperandLoan();
      }
      live.add(i);
      meter?.sample();
      const released = release(results, live, releases[i], recycleSince);
      if (meter) meter.stepDone(heldResults(results, live));
      if (released > 0) releasedBlocks?.(released);
    }
    meter?.resultDone(results[steps.length - 1], args);
    return results[steps.length - 1];
  }
  const callable = await resolveFunction(fn);
  const result = await callable(...args);
  meter?.sample();
  meter?.resultDone(result, args);
  return result;
}
