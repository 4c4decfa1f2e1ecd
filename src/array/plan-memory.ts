/**
 * Plans that fit before they run (beyond Dask; Cubed's bounded-memory idea): the lowering
 * estimates every task's peak memory (lower.ts, graph/memory-plan.ts); before the graph is
 * submitted, the largest estimate is checked against the smallest worker's memory limit. A
 * task that cannot fit is refused here, naming the array, its chunks, the estimate, the limit
 * and a chunking that would fit, instead of killing workers one after another until the
 * scheduler gives up with KilledWorker.
 */
import { TesseraError } from "../core/errors.js";
import { largestOf } from "./chunks.js";
import { formatBytes } from "../core/units.js";
import type { GraphExecutor } from "../graph/executor.js";
import { recordPlanEstimates } from "../graph/plan-estimates.js";
import { dtypeInfo } from "../ndarray/dtype.js";
import type { ArrayNode } from "./expr.js";
import type { PlanMemory } from "./lower.js";
import { type TaskRoom, describeRoom, taskRoomOf } from "../worker/memory/task-room.js";

/** A plan with a task whose estimated peak memory exceeds the smallest worker's limit. */
export class PlanMemoryError extends TesseraError {
  override name = "PlanMemoryError";
}

/** Estimates are aimed at half the limit when suggesting chunks: room for the worker itself. */
const suggestionHeadroom = 0.5;

/**
 * Chunk sizes (one per axis) whose blocks are `shrink` times smaller than the array's largest,
 * halving the longest axis first; undefined when even one-element blocks would be too large.
 * Axes already split into blocks are halved before axes that are one chunk: an axis kept whole
 * may be one an operation needs whole (a median's lanes, a reshape's merged axes), and
 * splitting it would only be undone by the operation's own rechunk.
 */
export function smallerChunks(array: ArrayNode, shrink: number): number[] | undefined {
  const sizes = array.chunks.map((axis) => Math.max(largestOf(axis), 1));
  const split = array.chunks.map((axis) => axis.length > 1);
  const start = sizes.reduce((a, b) => a * b, 1);
  const target = start / shrink;
  const longestOf = (axes: number[]) => axes.reduce((best, axis) => (best < 0 || sizes[axis] > sizes[best] ? axis : best), -1);
  while (sizes.reduce((a, b) => a * b, 1) > target) {
    const all = sizes.map((_, axis) => axis).filter((axis) => sizes[axis] > 1);
    const preferred = all.filter((axis) => split[axis]);
    const longest = longestOf(preferred.length > 0 ? preferred : all);
    if (longest < 0) return undefined;
    sizes[longest] = Math.ceil(sizes[longest] / 2);
  }
  return sizes;
}

function describeChunks(array: ArrayNode): string {
  return `[${array.chunks.map((axis) => (axis.every((size) => size === axis[0]) ? String(axis[0]) : `${largestOf(axis)} (largest)`)).join(", ")}]`;
}

/** The workers' memory limits that bound anything (0 and Infinity: none); [] without workers. */
export async function usableMemoryLimits(executor: GraphExecutor): Promise<number[]> {
  if (!executor.workerMemoryLimits) return [];
  return (await executor.workerMemoryLimits()).filter((limit) => limit > 0 && Number.isFinite(limit));
}

/**
 * The room a task has on the workers that bound it: what each worker reports in its heartbeat
 * (worker/memory/task-room.ts: the line its nanny restarts it at, less the memory the worker
 * itself takes), else its whole limit (a worker not yet heard from). The smallest, with its
 * worker's limit and how the room was made up; undefined when no worker has a limit.
 */
export async function smallestTaskRoom(executor: GraphExecutor): Promise<TaskRoom | undefined> {
  const limits = await usableMemoryLimits(executor); // refreshes the workers' info when workers joined or left
  if (limits.length === 0) return undefined;
  type Reporting = { memoryLimit: number; metrics?: Record<string, unknown> };
  let workers = Object.values(executor.schedulerInfo?.().workers ?? {}) as Reporting[];
  // A worker's room comes with its heartbeats, after it joined: asked for until every worker has said it (then it stays).
  const refresh = (executor as { refreshSchedulerInfo?: () => Promise<{ workers: Record<string, Reporting> }> }).refreshSchedulerInfo?.bind(executor);
  if (refresh && workers.some((worker) => worker.memoryLimit > 0 && !taskRoomOf(worker.memoryLimit, worker.metrics).reported)) workers = Object.values((await refresh()).workers);
  let smallest: TaskRoom = { limit: Math.min(...limits), room: Math.min(...limits) };
  for (const worker of workers) {
    if (!(worker.memoryLimit > 0) || !Number.isFinite(worker.memoryLimit)) continue;
    const reported = taskRoomOf(worker.memoryLimit, worker.metrics);
    if (reported.room < smallest.room || (smallest.reported === undefined && reported.room <= smallest.room)) smallest = reported;
  }
  return smallest;
}

/**
 * Refuses the plan when its largest task cannot fit the room the smallest worker leaves a task
 * (its terminate line less its own memory, as it reports them; its whole limit before it has).
 * `what` names the operation (compute, persist, toZarr). Also records the per-prefix
 * estimates for performance reports.
 */
export async function refuseUnfitPlan(memory: PlanMemory, executor: GraphExecutor, what: string): Promise<void> {
  recordPlanEstimates(memory.byPrefix);
  const largest = memory.largest;
  if (!largest || !executor.workerMemoryLimits) return;
  const fit = await smallestTaskRoom(executor);
  if (!fit) return;
  const { limit, room } = fit;
  if (largest.bytes <= room) return;
  const array = largest.array;
  const named = array
    ? `array ${array.name} (shape [${array.shape.join(", ")}], ${array.dtype}, chunks ${describeChunks(array)}, ${formatBytes(array.chunks.reduce((n, axis) => n * Math.max(largestOf(axis), 1), dtypeInfo(array.dtype).itemsize))} per block)`
    : `task ${largest.key}`;
  const better = array ? smallerChunks(array, largest.bytes / Math.min(limit * suggestionHeadroom, room)) : undefined;
  const advice = better
    ? `rechunk it to chunks [${better.join(", ")}] (or create it with them), or give the workers more memory`
    : "no chunking of it fits: give the workers more memory";
  throw new PlanMemoryError(
    `${what}: a task reading ${named} needs about ${formatBytes(largest.bytes)} at its peak, more than the smallest worker's ` +
      `memory limit (${formatBytes(limit)})${describeRoom(fit)}; nothing was run. ${advice[0].toUpperCase()}${advice.slice(1)}.`,
  );
}
