/**
 * Runs a task graph in this thread, in priority order, awaiting asynchronous tasks one at a
 * time (Dask's synchronous scheduler). Used when no cluster is connected and by tests of the
 * lazy layers. Intermediate results are dropped as soon as no remaining task needs them, and
 * the buffers its fused tasks left for recycling (block-recycling.ts) when the run ends: this
 * thread is the client's, which must not hold up to a compute thread's cap once the work is over.
 */
import { releaseRecycled } from "../ndarray/block-recycling.js";
import { unpackPayload, packPayload } from "../protocol/payload.js";
import type { ComputeOptions, GraphExecutor, PersistedKeys } from "./executor.js";
import { computeOrder } from "./order.js";
import type { TaskGraph } from "./task-graph.js";
import { runTask } from "./task-runner.js";

function substituteRefs(value: unknown, results: Map<string, unknown>): unknown {
  // Packing and unpacking with a resolver gives exactly what a worker sees: TaskRefs replaced
  // by values, plain data unchanged (binary data is shared, not copied).
  const frames: Uint8Array[] = [];
  const tree = packPayload(value, frames);
  return unpackPayload(tree, frames, (key) => results.get(key));
}

export class LocalExecutor implements GraphExecutor {
  private held = new Map<string, unknown>();

  holds(key: string): boolean {
    return this.held.has(key);
  }

  async compute(graph: TaskGraph, keys: readonly string[], options: ComputeOptions = {}): Promise<unknown[]> {
    const results = await this.run(graph, keys, options);
    return keys.map((key) => results.get(key));
  }

  async persist(graph: TaskGraph, keys: readonly string[], options: ComputeOptions = {}): Promise<PersistedKeys> {
    const results = await this.run(graph, keys, options);
    for (const key of keys) this.held.set(key, results.get(key));
    return { keys, release: () => keys.forEach((key) => this.held.delete(key)) };
  }

  private async run(graph: TaskGraph, keys: readonly string[], options: ComputeOptions): Promise<Map<string, unknown>> {
    try {
      return await runTasks(graph, keys, options, this.held);
    } finally {
      releaseRecycled();
    }
  }
}

let shared: LocalExecutor | null = null;

/**
 * The one local executor every lazy collection falls back to without a Client: results one
 * collection persisted there (a Delayed, an array) are the inputs another collection reads.
 */
export function sharedLocalExecutor(): LocalExecutor {
  return (shared ??= new LocalExecutor());
}

/** Runs the tasks `keys` need that `held` does not hold; returns every result still needed. */
async function runTasks(graph: TaskGraph, keys: readonly string[], options: ComputeOptions, held: ReadonlyMap<string, unknown>): Promise<Map<string, unknown>> {
  const culled = graph.cull(keys, new Set(held.keys()));
  const order = computeOrder(culled.tasks, keys);
  const remainingUses = new Map<string, number>();
  for (const task of culled.tasks.values()) {
    for (const dep of task.deps) remainingUses.set(dep, (remainingUses.get(dep) ?? 0) + 1);
  }
  const results = new Map<string, unknown>(held);
  const wanted = new Set(keys);
  const sorted = [...culled.tasks.values()].sort((a, b) => (order.get(a.key) ?? 0) - (order.get(b.key) ?? 0));
  for (const task of sorted) {
    options.signal?.throwIfAborted();
    const args = substituteRefs(task.args, results) as unknown[];
    let attempts = task.retries ?? options.retries ?? 0;
    while (true) {
      try {
        results.set(task.key, await runTask(task.fn, args));
        break;
      } catch (error) {
        if (attempts-- > 0) continue;
        if (error instanceof Error) (error as Error & { taskKey?: string }).taskKey ??= task.key;
        throw error;
      }
    }
    for (const dep of task.deps) {
      const left = (remainingUses.get(dep) ?? 1) - 1;
      remainingUses.set(dep, left);
      if (left === 0 && !wanted.has(dep) && !held.has(dep)) results.delete(dep);
    }
  }
  return results;
}
