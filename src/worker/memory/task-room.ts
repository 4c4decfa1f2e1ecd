/**
 * The room a worker leaves one task: the process memory at which its nanny restarts it
 * (`terminate` × limit; the whole limit with terminate off) less the memory the worker takes
 * by itself (Node, its compute threads, their loaded modules: measured once it has started,
 * before any task). The worker reports it in its heartbeat metrics; plans are checked against
 * it before they run (array/plan-memory.ts), since a task that fits the limit but not this
 * room certainly restarts the worker.
 */
import { formatBytes } from "../../core/units.js";
import { type MemoryPolicy, thresholdBytes } from "./memory-policy.js";

/** The heartbeat metrics that carry it. */
export interface TaskRoomMetrics {
  taskRoomBytes: number;
  /** The worker's own memory, counted out of the room. */
  ownBytes: number;
  /** The fraction of the limit the room is counted from (terminate, or 1). */
  lineFraction: number;
}

export function taskRoomMetrics(policy: MemoryPolicy, ownBytes: number): TaskRoomMetrics | undefined {
  if (!(policy.limitBytes > 0)) return undefined;
  const lineFraction = policy.terminate === false ? 1 : policy.terminate;
  const line = Math.min(policy.limitBytes, thresholdBytes(policy, "terminate"));
  return { taskRoomBytes: Math.max(0, line - ownBytes), ownBytes, lineFraction };
}

/** A worker's limit and the room it leaves a task; `reported` when the room came from its metrics. */
export interface TaskRoom {
  limit: number;
  room: number;
  reported?: { ownBytes: number; lineFraction: number };
}

/** The room of a worker with `limit` from its heartbeat `metrics` (its whole limit when they do not say). */
export function taskRoomOf(limit: number, metrics: Record<string, unknown> | undefined): TaskRoom {
  const { taskRoomBytes, ownBytes, lineFraction } = (metrics ?? {}) as Partial<TaskRoomMetrics>;
  if (typeof taskRoomBytes !== "number" || typeof ownBytes !== "number" || typeof lineFraction !== "number") return { limit, room: limit };
  return { limit, room: Math.min(limit, taskRoomBytes), reported: { ownBytes, lineFraction } };
}

/** How the room was made up, for the plan check's message ("" when it is the whole limit). */
export function describeRoom(fit: TaskRoom): string {
  if (!fit.reported) return "";
  return ` leaves a task (${formatBytes(fit.room)}: the ${Math.round(fit.reported.lineFraction * 100)}% at which its nanny restarts it, ` +
    `less the ${formatBytes(fit.reported.ownBytes)} the worker itself takes)`;
}
