/**
 * The worker's thread slots and the tasks waiting for one (part of the worker state machine,
 * worker-state.ts). Ready tasks run in priority order on at most `nthreads` slots (a few per
 * thread for tiny tasks), never while the worker is paused, and only while the abstract
 * resources they ask for are free: the others wait "constrained", best first, as in Dask. A
 * task that secedes (it waits on tasks it submitted) gives its slot back until it rejoins.
 */
import { Heap } from "../../core/heap.js";
import type { Resources } from "../../protocol/resources.js";
import type { WorkerCommand } from "./worker-events.js";
import { ResourcePool } from "./resource-pool.js";
import { WorkerTask, priorityLess } from "./worker-task.js";

/** Mean compute seconds under which a thread gets a few tasks queued behind the running one. */
export const TINY_TASK_SECONDS = 0.002;
/** Mean compute seconds under which a thread gets the next task queued behind the running one. */
export const SHORT_TASK_SECONDS = 0.05;

export class RunQueue {
  readonly ready = new Heap<WorkerTask>(priorityLess);
  /** Ready tasks whose resources are taken, best first. */
  readonly constrained = new Heap<WorkerTask>(priorityLess);
  readonly resources: ResourcePool;
  /** Seceded tasks waiting for a thread slot to rejoin, in the order they asked. */
  private readonly rejoining: WorkerTask[] = [];
  /**
   * Rejoined tasks still running. The thread pool keeps them out of their thread's queue (they
   * left it when they seceded), so a task queued on that thread would start beside one of them.
   */
  private readonly rejoined = new Set<WorkerTask>();
  /** Tasks running and holding a slot. */
  executing = 0;
  /** Tasks running but seceded: they hold no thread slot. */
  longRunning = 0;

  constructor(private readonly nthreads: number, resources: Resources | undefined) {
    this.resources = new ResourcePool(resources);
  }

  /** A task whose inputs are all here. */
  push(task: WorkerTask): void {
    this.ready.push(task);
  }

  /** A task that no longer waits for a slot (freed, stolen, failed, its inputs lost). */
  remove(task: WorkerTask): void {
    this.ready.remove(task);
    this.constrained.remove(task);
  }

  /**
   * How many tasks may be handed to the threads at once. Between two tasks a thread otherwise
   * idles for a round trip to the main thread (the result posted, stored and reported, the next
   * task's inputs pinned and posted): ~0.3–1 ms on a quiet machine, and on a loaded one as long
   * as the main thread and then the compute thread each wait for a core (5–40 ms per task
   * measured with 2 workers on 2 busy cores, bench/mean-breakdown.ts's gaps). So a thread gets
   * the next task queued behind the one it runs: a few for tiny tasks (mean compute under
   * TINY_TASK_SECONDS: the round trip costs more than the task), one for short ones (under
   * SHORT_TASK_SECONDS). A queued task counts as executing here (not in the heartbeat's
   * figure): it moves to whichever of this worker's threads frees first (thread-pool.ts), and a
   * steal takes it back from its thread while it has not started (worker-state.ts
   * stealRequest), but it runs even if the worker pauses meanwhile, and a better task arriving
   * waits behind it — each bounded by one short task per thread, which is why long tasks
   * (where the round trip is a small part) get none. Before any task has finished here, one
   * per thread. The mean is of all
   * kinds of task: in a mixed graph the short ones pull it under the bound while a long kind is
   * next, so only a task of a kind seen running short here (`shortPrefix`) is queued behind
   * another (compute-durations.ts).
   */
  slots(computeAverage: number): number {
    if (computeAverage < 0) return this.nthreads;
    if (computeAverage < TINY_TASK_SECONDS) return this.nthreads * 4;
    if (computeAverage < SHORT_TASK_SECONDS) return this.nthreads * 2;
    return this.nthreads;
  }

  /**
   * Starts the best runnable tasks while slots are free, pushing their commands. Seceded
   * tasks asking to rejoin come first (they are half done). A ready task whose resources are
   * taken moves to `constrained`; the best constrained task runs as soon as its resources are
   * free, before any worse ready one (it is not overtaken for ever by tasks that need less).
   */
  start(commands: WorkerCommand[], paused: boolean, computeAverage: number, shortPrefix: (prefix: string) => boolean = () => true): void {
    while (this.rejoining.length > 0 && this.executing < this.nthreads) {
      const task = this.rejoining.shift() as WorkerTask;
      if (!task.seceded) continue;
      task.seceded = false;
      this.longRunning--;
      this.executing++;
      this.rejoined.add(task);
      commands.push({ type: "rejoined", key: task.key });
      // The scheduler counts it against this worker's slots again (it was told of the secede).
      if (task.status === "executing") commands.push({ type: "send", message: { op: "rejoined", key: task.key } });
    }
    // A seceded task waiting to rejoin gets the next free slot (none is filled ahead of it),
    // and none is queued beside a rejoined one.
    const slots = this.rejoining.length > 0 || this.rejoined.size > 0 ? this.nthreads : this.slots(computeAverage);
    while (!paused && this.executing < slots) {
      const task = this.next();
      if (task === undefined) break;
      if (!task.compute) continue;
      if (this.executing >= this.nthreads && !shortPrefix(task.compute.prefix)) {
        // It waits for a free thread (still stealable), and so do the tasks after it (priority order).
        (task.status === "constrained" ? this.constrained : this.ready).push(task);
        break;
      }
      if (task.compute.resources) {
        this.resources.take(task.compute.resources);
        task.heldResources = task.compute.resources;
      }
      task.status = "executing";
      this.executing++;
      commands.push({ type: "execute", key: task.key, fn: task.compute.fn, args: task.compute.args, frames: task.compute.frames, prefix: task.compute.prefix });
    }
  }

  /** The best task that can start now (a task without compute is skipped by the caller), or undefined. */
  private next(): WorkerTask | undefined {
    for (;;) {
      const constrained = this.constrained.peek();
      const ready = this.ready.peek();
      const constrainedRuns = constrained !== undefined && this.resources.canTake(constrained.compute?.resources);
      if (constrainedRuns && (ready === undefined || priorityLess(constrained, ready))) return this.constrained.pop();
      if (ready === undefined) return undefined;
      const task = this.ready.pop() as WorkerTask;
      if (!task.compute || this.resources.canTake(task.compute.resources)) return task;
      task.status = "constrained";
      this.constrained.push(task);
    }
  }

  /** A run ended (finished, failed, lost its inputs): its slot and resources are free again. */
  endRun(task: WorkerTask): void {
    this.rejoined.delete(task);
    if (task.seceded) {
      task.seceded = false;
      this.longRunning--;
    } else this.executing--;
    if (task.heldResources) {
      this.resources.give(task.heldResources);
      task.heldResources = null;
    }
  }

  /** Its call was taken back from its thread before it started (thread-pool.ts withdraw): ready again, slot and resources free. */
  takeBack(task: WorkerTask): void {
    this.endRun(task);
    task.status = "ready";
    this.push(task);
  }

  /**
   * The running task waits on other tasks (Dask's secede): its slot goes to the next task; it
   * keeps its resources. The scheduler is told, so that it stops counting the task against
   * this worker's slots.
   */
  secede(task: WorkerTask | undefined, commands: WorkerCommand[]): void {
    if (!task || task.seceded || (task.status !== "executing" && task.status !== "cancelled")) return;
    task.seceded = true;
    this.rejoined.delete(task); // it may secede again after it rejoined
    this.executing--;
    this.longRunning++;
    if (task.status === "executing") commands.push({ type: "send", message: { op: "long-running", key: task.key } });
  }

  /** A seceded task wants a thread slot again (Dask's rejoin): granted by `start` when one is free. */
  requestRejoin(key: string, task: WorkerTask | undefined, commands: WorkerCommand[]): void {
    if (!task || !task.seceded) commands.push({ type: "rejoined", key });
    else if (!this.rejoining.includes(task)) this.rejoining.push(task);
  }
}
