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
 * is empty (or that joined after the cut) takes the back half of the longest run as its own
 * (balance: no worker idles while tasks are queued, and its blocks are contiguous too). Runs
 * are only a preference: the tasks stay in the scheduler's queue; one that leaves it
 * (cancelled, released, taken) leaves the runs, and one put back (its worker died) goes out
 * before the runs' tasks. Runs are cut again only when none has a task queued, so an urgent
 * root arriving during a large persist costs one step, not a new cut of the whole queue.
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
  /** The tasks of the runs still queued and not yet taken: cut again only when none is left. */
  private members = new Set<TaskState>();
  /** Tasks taken from a run and put back in the queue (their worker died): handed out first. */
  private putBack = new Set<TaskState>();
  /** Tasks looked at by cuts so far (a measure of work: tests check it stays bounded). */
  cutWork = 0;

  /**
   * The queued task `worker` should take next from its run (or a run split off the longest
   * other one), cutting new runs when no run has a task queued; undefined when the head is
   * not an independent root, or is one outside the runs while runs still have tasks queued
   * (a more urgent root, or one put back after its worker died): the caller then takes the
   * head as before, so a task of lower priority never jumps ahead of it.
   */
  take(queue: Heap<TaskState>, workers: () => readonly WorkerState[], worker: WorkerState): TaskState | undefined {
    const head = queue.peek();
    if (!head || !isIndependentRoot(head)) return undefined;
    if (!this.members.has(head)) {
      if (this.members.size > 0) return undefined;
      this.cut(queue, workers(), head);
    }
    // Put back after they were handed out: they were due before anything still in a run.
    let due: TaskState | undefined;
    for (const task of this.putBack) {
      if (!queue.has(task)) this.putBack.delete(task);
      else if (!due || task.userPriority > due.userPriority || (task.userPriority === due.userPriority && task.order < due.order)) due = task;
    }
    if (due) {
      this.putBack.delete(due);
      return due;
    }
    let own = this.runs.get(worker);
    if (!own || !this.skipGone(own, queue)) {
      // An idle worker without a queued run (its run is done, or it joined after the cut)
      // takes the back half of the longest run as its own, so its blocks stay contiguous.
      let longest: Run | undefined;
      for (const run of this.runs.values()) {
        if (this.skipGone(run, queue) && (!longest || run.tail - run.head > longest.tail - longest.head)) longest = run;
      }
      if (!longest) return undefined;
      const middle = longest.tail - Math.ceil((longest.tail - longest.head) / 2);
      own = { tasks: longest.tasks, head: middle, tail: longest.tail };
      longest.tail = middle;
      this.runs.set(worker, own);
    }
    const task = own.tasks[own.head++];
    this.members.delete(task);
    return task;
  }

  /** How many tasks the runs still hold (queued, not yet taken). */
  get queuedInRuns(): number {
    return this.members.size;
  }

  /** `task` left the queue: it is no longer taken from a run. */
  forget(task: TaskState): void {
    this.members.delete(task);
    this.putBack.delete(task);
  }

  /**
   * `task` went back into the queue (its worker died): while runs are handed out, it goes
   * out before their tasks, in priority order, rather than wherever its run has got to.
   */
  requeued(task: TaskState): void {
    this.members.delete(task);
    if (this.members.size > 0 && isIndependentRoot(task)) this.putBack.add(task);
  }

  /** Forgets every run (the cluster restarted, or the queue was emptied). */
  clear(): void {
    if (this.members.size === 0 && this.runs.size === 0 && this.putBack.size === 0) return;
    this.runs = new Map();
    this.members = new Set();
    this.putBack = new Set();
  }

  /** Moves `run`'s ends past tasks no longer queued in it; whether it has one left. */
  private skipGone(run: Run, queue: Heap<TaskState>): boolean {
    const queuedMember = (task: TaskState): boolean => this.members.has(task) && queue.has(task);
    while (run.head < run.tail && !queuedMember(run.tasks[run.head])) this.members.delete(run.tasks[run.head++]);
    while (run.tail > run.head && !queuedMember(run.tasks[run.tail - 1])) this.members.delete(run.tasks[--run.tail]);
    return run.head < run.tail;
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
    this.cutWork += tasks.length;
    this.clear();
    this.members = new Set(tasks);
    const threads = workers.reduce((sum, w) => sum + w.nthreads, 0);
    if (threads === 0) return;
    let start = 0;
    let threadsBefore = 0;
    for (const w of workers) {
      threadsBefore += w.nthreads;
      const stop = Math.round((tasks.length * threadsBefore) / threads);
      this.runs.set(w, { tasks, head: start, tail: stop });
      start = stop;
    }
  }
}
