/**
 * A worker as a pure state machine (Dask's worker_state_machine): events in (messages from
 * the scheduler, finished executions and transfers), commands out (execute on a thread,
 * fetch from a peer, tell the scheduler, drop data). The server owns the data itself and
 * the threads and sockets; this class only decides.
 *
 * Policy: ready tasks wait for a thread slot in the run queue (run-queue.ts: priority order,
 * resources, secede/rejoin); dependencies are fetched from one randomly chosen holder, several
 * keys per request, with a bound on peers and bytes in flight; inputs fetched for local tasks
 * are dropped as soon as no local task needs them.
 */
import type { DepLocation, StartStop } from "../../protocol/messages.js";
import type { WireError } from "../../protocol/payload.js";
import type { Resources } from "../../protocol/resources.js";
import type { WorkerCommand, WorkerEvent } from "./worker-events.js";
import { type FetchLimits, takeFetchBatches } from "./fetch-batches.js";
import { LateFreeKeys } from "./late-free-keys.js";
import { ComputeDurations } from "./compute-durations.js";
import { RunQueue } from "./run-queue.js";
import { WorkerTask, type TransitionObserver, type WorkerTaskStatus } from "./worker-task.js";

export type { WorkerCommand, WorkerEvent } from "./worker-events.js";

/** A dependent in one of these still needs its inputs kept here. */
const STILL_TO_RUN: ReadonlySet<WorkerTaskStatus> = new Set(["waiting", "ready", "constrained", "executing"]);

export interface WorkerStateSettings extends FetchLimits {
  nthreads: number;
  /** Abstract resources this worker offers (`--resources`). */
  resources?: Resources;
}

export class WorkerState {
  readonly tasks = new Map<string, WorkerTask>();
  readonly runs: RunQueue;
  readonly fetchQueue = new Set<WorkerTask>();
  readonly inFlight = new Map<string, WorkerTask[]>();
  paused = false;
  /** Mean compute seconds of recent tasks here, over all and per kind (a kind seen short is queued behind a running task). */
  private readonly durations = new ComputeDurations();
  /** Set while memory is exhausted: the error new tasks fail with. */
  memoryExhausted: WireError | null = null;
  private commands: WorkerCommand[] = [];
  /** Free-keys that reach a key scattered here after they were sent: they mean an earlier copy. */
  private readonly lateFreeKeys = new LateFreeKeys();
  /** Told of every task status change (set by the server: stories and plugins). */
  onTransition: TransitionObserver | null = null;
  private readonly observe: TransitionObserver = (key, from, to) => this.onTransition?.(key, from, to);

  constructor(readonly settings: WorkerStateSettings) {
    this.runs = new RunQueue(settings.nthreads, settings.resources);
  }

  handle(event: WorkerEvent): WorkerCommand[] {
    switch (event.type) {
      case "compute-task": this.computeTask(event); break;
      case "free-keys": // a withdrawn call never starts: its task is ready again, and freed as a ready one is (Dask)
        for (const key of event.withdrawn ?? []) if (this.needsWithdrawal(key)) this.runs.takeBack(this.tasks.get(key) as WorkerTask);
        for (const key of this.lateFreeKeys.toFree(event.keys, event.seq)) this.freeKey(key);
        break;
      case "steal-request": this.stealRequest(event.key, event.withdrawn === true); break;
      case "acquire-replicas": this.acquireReplicas(event.deps); break;
      case "execute-success": this.executeDone(event.key, true, event); break;
      case "execute-failure": this.executeDone(event.key, false, event); break;
      case "fetch-success": this.fetchDone(event.peer, event.received); break;
      case "fetch-failure": this.fetchDone(event.peer, []); break;
      case "data-received":
        for (const { key, nbytes } of event.received) {
          const task = this.taskFor(key, "memory");
          task.status = "memory";
          task.nbytes = nbytes;
          task.replica = true;
          this.lateFreeKeys.scattered(key, event.afterFreeKeys);
        }
        break;
      case "data-lost": this.dataLost(event.keys, event.reason); break;
      case "inputs-lost": this.inputsLost(event); break;
      case "pause": this.paused = true; break;
      case "resume": this.paused = false; this.memoryExhausted = null; break;
      case "memory-exhausted": this.memoryExhausted = event.error; this.failWaiting(event.error); break;
      case "secede": this.runs.secede(this.tasks.get(event.key), this.commands); break;
      case "rejoin": this.runs.requestRejoin(event.key, this.tasks.get(event.key), this.commands); break;
    }
    this.ensureCommunicating();
    this.runs.start(this.commands, this.paused, this.durations.average, (prefix) => this.durations.isShort(prefix));
    const out = this.commands;
    this.commands = [];
    return out;
  }

  /** Mean compute seconds of recent tasks here (EWMA), -1 before the first. */
  get computeAverage(): number {
    return this.durations.average;
  }

  /**
   * Whether giving `key` up (a steal, a free) needs its call withdrawn from its thread first:
   * it was handed to a thread and may wait there, queued behind the running call. The server
   * tries the withdrawal (thread-pool.ts withdraw) and tells the outcome with the event.
   */
  needsWithdrawal(key: string): boolean {
    const task = this.tasks.get(key);
    return task !== undefined && task.compute !== null && task.status === "executing" && !task.seceded;
  }

  get readyCount(): number {
    return this.runs.ready.size;
  }

  /** Tasks running on a thread slot now. */
  get executing(): number {
    return this.runs.executing;
  }

  get inFlightCount(): number {
    return [...this.inFlight.values()].reduce((n, tasks) => n + tasks.length, 0);
  }

  private taskFor(key: string, status: WorkerTask["status"]): WorkerTask {
    let task = this.tasks.get(key);
    if (!task) {
      task = new WorkerTask(key, status, this.observe);
      this.tasks.set(key, task);
    }
    return task;
  }

  private computeTask(event: Extract<WorkerEvent, { type: "compute-task" }>): void {
    const existing = this.tasks.get(event.key);
    if (existing?.status === "memory") {
      this.commands.push({ type: "send", message: { op: "task-finished", key: event.key, runId: event.runId, nbytes: existing.nbytes, type: "", startstops: [], thread: 0 } });
      return;
    }
    const running = existing?.status === "executing" || existing?.status === "cancelled";
    const cannot = this.runs.resources.neverFits(event.resources);
    if (!running && (this.memoryExhausted || cannot)) {
      const error = this.memoryExhausted ?? { name: "ResourceError", message: `${event.key} cannot run here: ${cannot}`, stack: "" };
      this.erred(event.key, event.runId, error);
      return;
    }
    const task = existing ?? this.taskFor(event.key, "waiting");
    task.compute = { fn: event.fn, args: event.args, frames: event.frames, runId: event.runId, prefix: event.prefix, ...(event.resources ? { resources: event.resources } : {}) };
    task.priority = event.priority;
    if (task.status === "cancelled") {
      task.status = "executing"; // the earlier run is still going; its result now counts
      return;
    }
    if (task.status === "executing") return;
    this.fetchQueue.delete(task);
    task.status = "waiting";
    task.waitingFor = 0;
    for (const dep of event.deps) {
      const depTask = this.taskFor(dep.key, "fetch");
      if (!task.dependencies.includes(depTask)) task.dependencies.push(depTask);
      depTask.dependents.add(task);
      if (depTask.status === "memory") continue;
      task.waitingFor++;
      this.fetchFrom(depTask, dep);
    }
    if (task.waitingFor === 0) {
      task.status = "ready";
      this.runs.push(task);
    }
  }

  private freeKey(key: string): void {
    const task = this.tasks.get(key);
    if (!task) return;
    task.compute = null;
    task.replica = false;
    if (task.status === "executing") {
      task.status = "cancelled";
      return;
    }
    this.runs.remove(task);
    this.releaseIfUnneeded(task);
  }

  /** Drops a task (and its data) once neither the scheduler nor a local task needs it. */
  private releaseIfUnneeded(task: WorkerTask): void {
    if (task.compute || task.replica || task.status === "executing" || task.status === "cancelled") return;
    if ([...task.dependents].some((dependent) => STILL_TO_RUN.has(dependent.status))) return;
    if (task.status === "flight") return; // dropped when the transfer lands
    this.fetchQueue.delete(task);
    this.runs.remove(task);
    this.tasks.delete(task.key);
    task.forgotten();
    if (task.status === "memory") this.commands.push({ type: "forget-data", keys: [task.key] });
    this.releaseDependencies(task);
  }

  /** Tells the task's inputs it no longer needs them; those nothing else needs are dropped. */
  private releaseDependencies(task: WorkerTask): void {
    for (const dep of task.dependencies) {
      dep.dependents.delete(task);
      this.releaseIfUnneeded(dep);
    }
  }

  /** After a run ends (or fails before starting): inputs fetched only for it and its arguments go. */
  private finishRun(task: WorkerTask): void {
    this.releaseDependencies(task);
    task.dependencies.length = 0;
    if (task.compute) {
      task.compute.args = null;
      task.compute.frames = [];
    }
  }

  /** Not started: given up as Dask's worker does, also if its call was taken back from its thread (`withdrawn`). */
  private stealRequest(key: string, withdrawn: boolean): void {
    const task = this.tasks.get(key);
    const queued = withdrawn && this.needsWithdrawal(key);
    const accepted = task !== undefined && task.compute !== null && (queued || task.status === "ready" || task.status === "constrained" || task.status === "waiting");
    this.commands.push({ type: "send", message: { op: "steal-response", key, accepted } });
    if (accepted && task) {
      if (queued) this.runs.endRun(task); // its slot and resources are free: the call never runs
      task.compute = null;
      task.status = "fetch";
      this.runs.remove(task);
      this.tasks.delete(task.key);
      task.forgotten();
      this.releaseDependencies(task);
    }
  }

  private acquireReplicas(deps: DepLocation[]): void {
    const have: Array<{ key: string; nbytes: number }> = [];
    for (const dep of deps) {
      const task = this.taskFor(dep.key, "fetch");
      task.replica = true;
      if (task.status === "memory") {
        have.push({ key: dep.key, nbytes: task.nbytes });
        continue;
      }
      this.fetchFrom(task, dep);
    }
    if (have.length > 0) this.commands.push({ type: "send", message: { op: "add-keys", keys: have } });
  }

  /** Queues a key held elsewhere for fetching from its holders (again, if an earlier try failed). */
  private fetchFrom(task: WorkerTask, location: DepLocation): void {
    task.whoHas = location.whoHas;
    task.nbytes = location.nbytes;
    if (task.status === "missing" || task.status === "error") task.status = "fetch";
    if (task.status === "fetch") this.fetchQueue.add(task);
  }

  private executeDone(key: string, ok: boolean, event: { nbytes?: number; dataType?: string; error?: WireError; startstops: StartStop[]; thread: number; peakBytes?: number }): void {
    const task = this.tasks.get(key);
    if (!task) return;
    this.runs.endRun(task);
    if (task.status === "cancelled" || !task.compute) {
      task.status = ok ? "memory" : "error";
      if (ok) task.nbytes = event.nbytes ?? 0;
      this.releaseIfUnneeded(task);
      return;
    }
    const runId = task.compute.runId;
    const compute = event.startstops.find((s) => s.action === "compute");
    if (compute) this.durations.record(task.compute.prefix, Math.max(0, compute.stop - compute.start));
    if (ok) {
      task.status = "memory";
      task.nbytes = event.nbytes ?? 0;
      this.commands.push({ type: "send", message: { op: "task-finished", key, runId, nbytes: task.nbytes, type: event.dataType ?? "", startstops: event.startstops, thread: event.thread, ...(event.peakBytes !== undefined ? { peakBytes: event.peakBytes } : {}) } });
      this.dependencyArrived(task);
    } else {
      task.status = "error";
      this.commands.push({ type: "send", message: { op: "task-erred", key, runId, error: event.error as WireError, startstops: event.startstops, thread: event.thread } });
    }
    this.finishRun(task);
  }

  /**
   * Keys held here are gone. Local tasks that needed them wait again (the scheduler reruns
   * them with fresh locations, or frees them); the scheduler hears of the loss.
   */
  private dataLost(keys: string[], reason: string): void {
    const lost: string[] = [];
    for (const key of keys) {
      const task = this.tasks.get(key);
      if (!task || task.status !== "memory") continue;
      task.status = "missing";
      task.compute = null;
      task.replica = false;
      lost.push(key);
      for (const dependent of task.dependents) {
        if (dependent.status === "ready" || dependent.status === "constrained") {
          this.runs.remove(dependent);
          dependent.status = "waiting";
        }
        if (dependent.status === "waiting") dependent.waitingFor++;
      }
      this.releaseIfUnneeded(task);
    }
    if (lost.length > 0) this.commands.push({ type: "send", message: { op: "data-lost", keys: lost, reason } });
  }

  /** A run that could not read its inputs ends without a result and waits, like its peers in dataLost. */
  private inputsLost(event: Extract<WorkerEvent, { type: "inputs-lost" }>): void {
    const task = this.tasks.get(event.key);
    if (!task || (task.status !== "executing" && task.status !== "cancelled")) return;
    const dependencies = new Set(task.dependencies.map((dep) => dep.key));
    if (!event.keys.every((key) => dependencies.has(key))) {
      this.executeDone(event.key, false, event);
      return;
    }
    this.dataLost(event.keys, "it was no longer in this worker's store when a task needed it");
    this.runs.endRun(task);
    if (task.status === "cancelled" || !task.compute) {
      task.status = "error";
      this.releaseIfUnneeded(task);
      return;
    }
    task.waitingFor = task.dependencies.filter((dep) => dep.status !== "memory").length;
    task.status = task.waitingFor === 0 ? "ready" : "waiting";
    if (task.status === "ready") this.runs.push(task);
  }

  private dependencyArrived(task: WorkerTask): void {
    for (const dependent of task.dependents) {
      if (dependent.status !== "waiting") continue;
      dependent.waitingFor--;
      if (dependent.waitingFor === 0) {
        dependent.status = "ready";
        this.runs.push(dependent);
      }
    }
  }

  private fetchDone(peer: string, received: Array<{ key: string; nbytes: number }>): void {
    const requested = this.inFlight.get(peer) ?? [];
    this.inFlight.delete(peer);
    const arrived = new Set<string>();
    const replicas: Array<{ key: string; nbytes: number }> = [];
    for (const { key, nbytes } of received) {
      const task = this.tasks.get(key);
      arrived.add(key);
      if (!task || task.status !== "flight") {
        // Not wanted any more, unless it was computed here meanwhile: then the store holds
        // the key still (the copy replaced an identical value) and must keep it.
        if (task?.status !== "memory") this.commands.push({ type: "forget-data", keys: [key] });
        continue;
      }
      task.status = "memory";
      task.nbytes = nbytes;
      if (task.replica) replicas.push({ key, nbytes });
      this.dependencyArrived(task);
      this.releaseIfUnneeded(task);
    }
    if (replicas.length > 0) this.commands.push({ type: "send", message: { op: "add-keys", keys: replicas } });
    for (const task of requested) {
      // Anything asked for and not delivered is treated as missing from this peer.
      if (arrived.has(task.key) || task.status !== "flight") continue;
      task.whoHas = task.whoHas.filter((holder) => holder !== peer);
      if (task.whoHas.length > 0) {
        task.status = "fetch";
        this.fetchQueue.add(task);
      } else {
        task.status = "missing";
        this.commands.push({ type: "send", message: { op: "missing-data", key: task.key, worker: peer } });
        this.releaseIfUnneeded(task);
      }
    }
  }

  /** Asks peers for queued keys (fetch-batches.ts chooses which, from whom). */
  private ensureCommunicating(): void {
    // A paused worker takes in no more data (as Dask's): transfers under way still land.
    if (this.paused || this.fetchQueue.size === 0) return;
    const batches = takeFetchBatches(this.fetchQueue, this.inFlight, this.settings);
    for (const [peer, tasks] of batches) {
      this.inFlight.set(peer, tasks);
      this.commands.push({ type: "fetch", peer, keys: tasks.map((t) => t.key), nbytes: tasks.reduce((sum, t) => sum + t.nbytes, 0) });
    }
  }

  /** Fails every task that has not started: the worker cannot make room to run it. */
  private failWaiting(error: WireError): void {
    for (const task of [...this.tasks.values()]) {
      if (!task.compute || (task.status !== "ready" && task.status !== "constrained" && task.status !== "waiting")) continue;
      this.runs.remove(task);
      this.fetchQueue.delete(task);
      task.status = "error";
      this.erred(task.key, task.compute.runId, error);
      this.finishRun(task);
    }
  }

  /** Tells the scheduler a task failed here without running. */
  private erred(key: string, runId: number, error: WireError): void {
    this.commands.push({ type: "send", message: { op: "task-erred", key, runId, error: { ...error, taskKey: key }, startstops: [], thread: 0 } });
  }
}
