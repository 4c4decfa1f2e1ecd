/**
 * A task as one worker sees it: either something it must compute (the scheduler sent
 * compute-task) or a dependency it must fetch from a peer, or both in turn.
 *
 *   fetch → flight → memory            (a dependency held elsewhere)
 *   fetch → missing                    (no holder answered; the scheduler re-plans)
 *   waiting → ready → executing → memory | error
 *   executing → cancelled              (released while running: the result is dropped)
 */
import type { FunctionRef } from "../../protocol/function-ref.js";

export type WorkerTaskStatus =
  | "fetch" | "flight" | "missing" | "waiting" | "ready" | "executing" | "memory" | "error" | "cancelled";

export class WorkerTask {
  status: WorkerTaskStatus;
  /** Set when the scheduler asked this worker to compute the task. */
  compute: { fn: FunctionRef; args: unknown; frames: Uint8Array[]; runId: number; prefix: string } | null = null;
  priority: number[] = [0, 0];
  readonly dependencies: WorkerTask[] = [];
  readonly dependents = new Set<WorkerTask>();
  /** Peers believed to hold the result (for dependencies to fetch). */
  whoHas: string[] = [];
  nbytes = 0;
  /** Dependencies not yet in memory here. */
  waitingFor = 0;
  /** Held because the scheduler asked for a replica (acquire-replicas), not just as an input. */
  replica = false;

  constructor(readonly key: string, status: WorkerTaskStatus) {
    this.status = status;
  }
}

export function priorityLess(a: WorkerTask, b: WorkerTask): boolean {
  for (let i = 0; i < Math.min(a.priority.length, b.priority.length); i++) {
    if (a.priority[i] !== b.priority[i]) return a.priority[i] < b.priority[i];
  }
  return a.key < b.key;
}
