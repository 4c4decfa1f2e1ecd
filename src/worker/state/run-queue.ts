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

export class RunQueue {
  readonly ready = new Heap<WorkerTask>(priorityLess);
  /** Ready tasks whose resources are taken, best first. */
  readonly constrained = new Heap<WorkerTask>(priorityLess);
  readonly resources: ResourcePool;
  /** Seceded tasks waiting for a thread slot to rejoin, in the order they asked. */
  private readonly rejoining: WorkerTask[] = [];
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
   * How many tasks may be handed to the threads at once: one per thread, or a few per thread
   * for tiny tasks (mean compute under 2 ms), so a thread always has the next one queued
   * instead of idling for the round trip to the main thread (which costs more than the task).
   */
  slots(computeAverage: number): number {
    const tiny = computeAverage >= 0 && computeAverage < 0.002;
    return this.nthreads * (tiny ? 4 : 1);
  }

  /**
   * Starts the best runnable tasks while slots are free, pushing their commands. Seceded
   * tasks asking to rejoin come first (they are half done). A ready task whose resources are
   * taken moves to `constrained`; the best constrained task runs as soon as its resources are
   * free, before any worse ready one (it is not overtaken for ever by tasks that need less).
   */
  start(commands: WorkerCommand[], paused: boolean, computeAverage: number): void {
    while (this.rejoining.length > 0 && this.executing < this.nthreads) {
      const task = this.rejoining.shift() as WorkerTask;
      if (!task.seceded) continue;
      task.seceded = false;
      this.longRunning--;
      this.executing++;
      commands.push({ type: "rejoined", key: task.key });
      // The scheduler counts it against this worker's slots again (it was told of the secede).
      if (task.status === "executing") commands.push({ type: "send", message: { op: "rejoined", key: task.key } });
    }
    const slots = this.slots(computeAverage);
    while (!paused && this.executing < slots) {
      const task = this.next();
      if (task === undefined) break;
      if (!task.compute) continue;
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
    if (task.seceded) {
      task.seceded = false;
      this.longRunning--;
    } else this.executing--;
    if (task.heldResources) {
      this.resources.give(task.heldResources);
      task.heldResources = null;
    }
  }

  /** The running task waits on other tasks (Dask's secede): its slot goes to the next task; it keeps its resources. */
  secede(task: WorkerTask): void {
    task.seceded = true;
    this.executing--;
    this.longRunning++;
  }

  /** A seceded task wants a thread slot again (Dask's rejoin): granted by `start` when one is free. */
  requestRejoin(task: WorkerTask): void {
    if (!this.rejoining.includes(task)) this.rejoining.push(task);
  }
}
