/**
 * A task as one worker sees it: either something it must compute (the scheduler sent
 * compute-task) or a dependency it must fetch from a peer, or both in turn.
 *
 *   fetch → flight → memory            (a dependency held elsewhere)
 *   fetch → missing                    (no holder answered; the scheduler re-plans)
 *   waiting → ready → executing → memory | error
 *   ready → constrained → executing    (its resources are taken: it waits for them)
 *   executing → cancelled              (released while running: the result is dropped)
 *   executing → ready                  (its call taken back from its thread, not started: then freed)
 */
import type { FunctionRef } from "../../protocol/function-ref.js";
import type { Resources } from "../../protocol/resources.js";

export type WorkerTaskStatus =
  | "fetch" | "flight" | "missing" | "waiting" | "ready" | "constrained" | "executing" | "memory" | "error" | "cancelled";

/** Told of every status change of a task (stories, worker plugins' transition hook). */
export type TransitionObserver = (key: string, from: WorkerTaskStatus | "released" | "forgotten", to: WorkerTaskStatus | "forgotten") => void;

export class WorkerTask {
  private current: WorkerTaskStatus;
  /** Set when the scheduler asked this worker to compute the task. */
  compute: { fn: FunctionRef; args: unknown; frames: Uint8Array[]; runId: number; prefix: string; resources?: Resources } | null = null;
  /** Running but seceded (waiting on tasks it submitted): it holds no thread slot. */
  seceded = false;
  /** The resources its current run holds (given back exactly when the run ends). */
  heldResources: Resources | null = null;
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

  constructor(readonly key: string, status: WorkerTaskStatus, private readonly observer: TransitionObserver | null = null) {
    this.current = status;
    observer?.(key, "released", status);
  }

  get status(): WorkerTaskStatus {
    return this.current;
  }

  set status(to: WorkerTaskStatus) {
    const from = this.current;
    if (from === to) return;
    this.current = to;
    this.observer?.(this.key, from, to);
  }

  /** The task leaves this worker's books. */
  forgotten(): void {
    this.observer?.(this.key, this.current, "forgotten");
  }
}

export function priorityLess(a: WorkerTask, b: WorkerTask): boolean {
  for (let i = 0; i < Math.min(a.priority.length, b.priority.length); i++) {
    if (a.priority[i] !== b.priority[i]) return a.priority[i] < b.priority[i];
  }
  return a.key < b.key;
}
