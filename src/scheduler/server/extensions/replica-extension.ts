/**
 * Where results live and how many copies of them there are: has-what, replicate, rebalance,
 * and the Active Memory Manager's replica reduction (Dask's ReduceReplicas, run every
 * `interval` seconds, 2 s by default).
 *
 * Copies are made by asking a worker to acquire a replica from the current holders; the
 * worker reports it (add-keys) and the state records it. replicate() and rebalance() answer
 * once every copy they asked for has landed or cannot (its worker left, the fetch failed, the
 * result was released, or `copyTimeout` passed). A rebalance move drops the sender's copy once
 * the recipient's has landed. replicate({ n }) also records n as the copies wanted, so the
 * replica reduction keeps them (in Dask the two fight: replicate's copies are dropped again
 * 2 s later unless the manager is off).
 *
 * Owns the reduction's interval timer (close() stops it).
 */
import { unixSeconds } from "../../../core/clock.js";
import type { MessageOf } from "../../../protocol/messages.js";
import { planRebalance, type RebalanceSettings } from "../../policy/rebalance.js";
import { reduceReplicas, type ReplicaDrop, type ReplicatedResult } from "../../policy/replica-reduction.js";
import type { TaskState, WorkerState } from "../../state/entities.js";
import type { SchedulerEvent } from "../../state/events.js";
import { CoordinationError, answer, type ExtensionHost, type PeerRequest, type SchedulerExtension } from "./extension-host.js";

export interface ReplicaOptions {
  /** Run the replica reduction periodically (Dask: distributed.scheduler.active-memory-manager.start, true). */
  activeMemoryManager: boolean;
  /** Seconds between its runs (Dask: …active-memory-manager.interval, 2 s). */
  activeMemoryManagerInterval: number;
  rebalance: RebalanceSettings;
  /** Seconds replicate() and rebalance() wait for a copy before giving up on it. */
  copyTimeout: number;
}

interface Copy {
  key: string;
  to: string;
  started: number;
  /** Called once: true when the copy landed. */
  settle(landed: boolean): void;
}

type ReplicaOp = "has-what" | "replicate" | "rebalance";

export class ReplicaExtension implements SchedulerExtension<ReplicaOp> {
  /** Copies asked for by replicate({ n }), per key. */
  readonly desiredReplicas = new Map<string, number>();
  private copies: Copy[] = [];
  private readonly cycleListeners = new Set<(drops: ReplicaDrop[]) => void>();
  private readonly timer: NodeJS.Timeout | null;

  readonly handlers = {
    "has-what": (message: MessageOf<"has-what">, _frames: Uint8Array[], request: PeerRequest) => answer(request, message.reqId, () => {
      const workers = this.selectWorkers(message.workers, false);
      return Object.fromEntries(workers.map((w) => [w.address, [...w.hasWhat].map((task) => task.key)]));
    }),
    "replicate": (message: MessageOf<"replicate">, _frames: Uint8Array[], request: PeerRequest) => {
      let done: Promise<unknown>;
      try {
        done = this.replicate(message.keys, message.n, message.workers);
      } catch (error) {
        request.connection.replyError(message.reqId, error);
        return;
      }
      void done.then((result) => request.connection.reply(message.reqId, result));
    },
    "rebalance": (message: MessageOf<"rebalance">, _frames: Uint8Array[], request: PeerRequest) => {
      let done: Promise<unknown>;
      try {
        done = this.rebalance(message.keys, message.workers);
      } catch (error) {
        request.connection.replyError(message.reqId, error);
        return;
      }
      void done.then((result) => request.connection.reply(message.reqId, result));
    },
  };

  constructor(private readonly host: ExtensionHost, readonly options: ReplicaOptions) {
    this.timer = options.activeMemoryManager ? setInterval(() => this.reduceReplicasOnce(), options.activeMemoryManagerInterval * 1000) : null;
    this.timer?.unref();
  }

  /** Running workers among those named (by address or name); all running workers when none are. */
  private selectWorkers(names: readonly string[] | undefined, runningOnly: boolean): WorkerState[] {
    const all = [...this.host.state.workers.values()].filter((w) => !runningOnly || w.isRunning);
    if (!names) return all;
    const unknown = names.filter((name) => ![...this.host.state.workers.values()].some((w) => w.address === name || w.identity.name === name));
    if (unknown.length > 0) throw new CoordinationError(`no worker is called ${unknown.map((n) => JSON.stringify(n)).join(", ")}: name workers by address or by name`);
    return all.filter((w) => names.includes(w.address) || names.includes(w.identity.name));
  }

  private inMemory(keys: readonly string[], what: string): TaskState[] {
    return keys.map((key) => {
      const task = this.host.state.tasks.get(key);
      if (!task || task.status !== "memory") throw new CoordinationError(`${what}: ${key} is not in memory on the cluster (${task ? task.status : "unknown to the scheduler"}); wait for its future first`);
      return task;
    });
  }

  private replicate(keys: readonly string[], n: number | undefined, workerNames: readonly string[] | undefined): Promise<unknown> {
    const tasks = this.inMemory(keys, "replicate");
    const workers = this.selectWorkers(workerNames, true);
    if (workers.length === 0) throw new CoordinationError("replicate: no running worker to hold copies");
    const wanted = Math.min(n ?? workers.length, workers.length);
    const drops: ReplicaDrop[] = [];
    const copies: Array<Promise<boolean>> = [];
    for (const task of tasks) {
      const inside = task.whoHas.filter((w) => workers.includes(w));
      this.desiredReplicas.set(task.key, task.whoHas.length - inside.length + wanted);
      if (inside.length > wanted) {
        // Drop from the fullest first, keeping at least one copy overall.
        const surplus = [...inside].sort((a, b) => b.storedBytes - a.storedBytes).slice(0, inside.length - wanted);
        for (const worker of surplus) drops.push({ key: task.key, worker: worker.address });
      } else {
        const targets = workers.filter((w) => !task.whoHas.includes(w)).sort((a, b) => a.storedBytes - b.storedBytes).slice(0, wanted - inside.length);
        for (const target of targets) copies.push(this.copy(task, target));
      }
    }
    if (drops.length > 0) this.host.dispatch({ type: "replicas-dropped", drops, now: unixSeconds() });
    return Promise.all(copies).then(() => ({
      replicas: Object.fromEntries(tasks.map((task) => [task.key, task.whoHas.length])),
    }));
  }

  private rebalance(keys: readonly string[] | undefined, workerNames: readonly string[] | undefined): Promise<unknown> {
    if (keys) this.inMemory(keys, "rebalance");
    const workers = this.selectWorkers(workerNames, true);
    const moves = planRebalance(workers.map((w) => {
      const held = [...w.hasWhat].filter((task) => task.status === "memory");
      const heldKeys = new Set(held.map((task) => task.key));
      return {
        address: w.address, managedBytes: w.storedBytes, memoryLimit: w.identity.memoryLimit,
        results: held.map((task) => ({ key: task.key, nbytes: Math.max(task.nbytes, 0) })),
        holds: (key: string) => heldKeys.has(key),
      };
    }), this.options.rebalance, keys ? new Set(keys) : undefined);
    const state = this.host.state;
    const moved = moves.map(async (move) => {
      const task = state.tasks.get(move.key);
      const to = state.workers.get(move.to);
      if (!task || !to) return false;
      const landed = await this.copy(task, to);
      if (landed) this.host.dispatch({ type: "replicas-dropped", drops: [{ key: move.key, worker: move.from }], now: unixSeconds() });
      return landed;
    });
    return Promise.all(moved).then((results) => ({ moved: results.filter(Boolean).length, planned: moves.length }));
  }

  /** Asks `to` for a copy of `task` from its holders; resolves when it landed (true) or cannot (false). */
  private copy(task: TaskState, to: WorkerState): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      let settled = false;
      const copy: Copy = {
        key: task.key, to: to.address, started: unixSeconds(),
        settle: (landed) => {
          if (settled) return;
          settled = true;
          this.copies = this.copies.filter((c) => c !== copy);
          resolve(landed);
        },
      };
      this.copies.push(copy);
      this.host.sendToWorker(to.address, {
        op: "acquire-replicas",
        deps: [{ key: task.key, whoHas: task.handOutHolders(), nbytes: Math.max(task.nbytes, 0) }],
      });
    });
  }

  afterEvent(event: SchedulerEvent): void {
    if (this.copies.length === 0) return;
    const state = this.host.state;
    for (const copy of [...this.copies]) {
      const task = state.tasks.get(copy.key);
      const worker = state.workers.get(copy.to);
      if (task && worker && task.whoHas.includes(worker)) copy.settle(true);
      else if (!task || task.status !== "memory" || !worker) copy.settle(false);
      else if (event.type === "data-missing" && event.address === copy.to && event.key === copy.key) copy.settle(false);
      else if (event.type === "tick" && event.now - copy.started > this.options.copyTimeout) {
        this.host.logger.warn(`a copy of ${copy.key} to ${copy.to} did not land within ${this.options.copyTimeout} s: given up`);
        copy.settle(false);
      }
    }
  }

  /** One run of the replica reduction; returns the copies it dropped. */
  reduceReplicasOnce(): ReplicaDrop[] {
    const state = this.host.state;
    for (const key of this.desiredReplicas.keys()) if (!state.tasks.has(key)) this.desiredReplicas.delete(key);
    let drops: ReplicaDrop[] = [];
    if (this.hasReplicas()) {
      const copying = new Set(this.copies.map((copy) => copy.key));
      drops = reduceReplicas(this.replicatedResults(copying));
      if (drops.length > 0) this.host.dispatch({ type: "replicas-dropped", drops, now: unixSeconds() });
    }
    for (const listener of this.cycleListeners) listener(drops);
    return drops;
  }

  /** Whether any result has more than one copy (cheap: replicas held versus results in memory). */
  private hasReplicas(): boolean {
    let copies = 0;
    for (const worker of this.host.state.workers.values()) copies += worker.hasWhat.size;
    let results = 0;
    for (const prefix of this.host.state.prefixes.values()) results += prefix.counts.get("memory") ?? 0;
    return copies > results;
  }

  private *replicatedResults(skip: ReadonlySet<string>): Iterable<ReplicatedResult> {
    for (const task of this.host.state.tasks.values()) {
      if (task.status !== "memory" || task.whoHas.length < 2 || skip.has(task.key)) continue;
      const waiters: Array<string | null> = [];
      for (const dependent of task.dependents) {
        if (dependent.status === "waiting" || dependent.status === "queued" || dependent.status === "no-worker") waiters.push(null);
        else if (dependent.status === "processing") waiters.push(dependent.processingOn?.address ?? null);
      }
      yield {
        key: task.key, nbytes: Math.max(task.nbytes, 0), waiters, hasLineage: task.fn !== null,
        desiredReplicas: this.desiredReplicas.get(task.key) ?? 1,
        holders: task.whoHas.map((w) => ({ address: w.address, running: w.isRunning, managedBytes: w.storedBytes })),
      };
    }
  }

  /** Calls `listener` after every run of the replica reduction (tests wait on it). */
  onReduction(listener: (drops: ReplicaDrop[]) => void): () => void {
    this.cycleListeners.add(listener);
    return () => this.cycleListeners.delete(listener);
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    for (const copy of [...this.copies]) copy.settle(false);
  }
}
