/**
 * Contiguous runs of independent root tasks per worker: what Dask's co-assignment of root-ish
 * task groups did before root-task queuing (each worker took the next len(group) / threads
 * tasks in priority order). With queuing alone, queued roots go to whichever worker has a
 * free slot, so neighbouring blocks alternate between workers: a persisted array's 4 × 4
 * group of blocks, which the first level of a reduction combines, then lives on both, and the
 * reduction cannot run where its data lives (array/reduction.ts).
 *
 * When a worker with a free slot takes an independent root (one with no siblings: each of its
 * dependents reads nothing else, so the sibling rule of policy/placement.ts has nothing to
 * say) and the queue's head is in no run, the independent roots at the front of the queue
 * are cut, in priority order, into one contiguous run per running worker, sized by its
 * threads. A worker then takes the first task still queued in its own run; one whose run
 * is empty takes the last task of the longest other run (balance: no worker idles while
 * tasks are queued). Runs are only a preference: the tasks stay in the scheduler's queue, and
 * one that left it (cancelled, released) is skipped.
 */
import type { Heap } from "../../core/heap.js";
import type { TaskState, WorkerState } from "./entities.js";

/** A root task whose dependents read nothing but it (none at all for a persisted block). */
export function isIndependentRoot(task: TaskState): boolean {
  if (!task.rootish) return false;
  for (const dependent of task.dependents) if (dependent.dependencies.length !== 1) return false;
  return true;
}

interface Run {
  tasks: TaskState[];
  /** The first task not yet taken from the front. */
  head: number;
  /** One past the last task not yet taken from the back. */
  tail: number;
}

export class RootRuns {
  private runs = new Map<WorkerState, Run>();
  private members = new Set<TaskState>();

  /**
   * The queued task `worker` should take next from its run (or from the longest other run's
   * end), cutting new runs when the queue's head is in none; undefined when the head is not
   * an independent root (the caller then takes as before).
   */
  take(queue: Heap<TaskState>, workers: readonly WorkerState[], worker: WorkerState): TaskState | undefined {
    const head = queue.peek();
    if (!head || !isIndependentRoot(head)) return undefined;
    if (!this.members.has(head)) this.cut(queue, workers, head);
    const own = this.runs.get(worker);
    if (own) {
      while (own.head < own.tail && !queue.has(own.tasks[own.head])) own.head++;
      if (own.head < own.tail) return own.tasks[own.head++];
    }
    let longest: Run | undefined;
    for (const run of this.runs.values()) {
      while (run.tail > run.head && !queue.has(run.tasks[run.tail - 1])) run.tail--;
      if (run.tail > run.head && (!longest || run.tail - run.head > longest.tail - longest.head)) longest = run;
    }
    return longest ? longest.tasks[--longest.tail] : undefined;
  }

  /** Forgets every run (the cluster restarted, or the queue was emptied). */
  clear(): void {
    if (this.members.size === 0 && this.runs.size === 0) return;
    this.runs = new Map();
    this.members = new Set();
  }

  /**
   * Cuts the independent roots at the front of the queue (in priority order, up to the first
   * task that is not one or has another user priority) into one run per worker. A persist's
   * blocks are all such; among x + x.T's loads, whose off-diagonal blocks have siblings, a
   * diagonal block makes a run of one, so the sibling rule keeps the order it had.
   */
  private cut(queue: Heap<TaskState>, workers: readonly WorkerState[], head: TaskState): void {
    const tasks: TaskState[] = [];
    for (let next = queue.peek(); next && next.userPriority === head.userPriority && isIndependentRoot(next); next = queue.peek()) {
      tasks.push(queue.pop() as TaskState);
    }
    for (const task of tasks) queue.push(task);
    this.clear();
    this.members = new Set(tasks);
    const threads = workers.reduce((sum, w) => sum + w.nthreads, 0);
    if (threads === 0) return;
    let start = 0;
    let threadsBefore = 0;
    for (const w of workers) {
      threadsBefore += w.nthreads;
      const stop = Math.round((tasks.length * threadsBefore) / threads);
      this.runs.set(w, { tasks: tasks.slice(start, stop), head: 0, tail: stop - start });
      start = stop;
    }
  }
}
