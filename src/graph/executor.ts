/**
 * What lazy collections need from whoever runs their graphs: compute some keys and return
 * the values, or persist them (results stay where they were computed, held until released).
 * The Client implements this for a cluster; LocalExecutor runs graphs in this thread. The
 * array layer never imports the client: `compute()` uses the executor passed to it, else the
 * default one (the most recently connected Client, as Dask's default client), else a local one.
 */
import type { TaskGraph } from "./task-graph.js";

export interface ComputeOptions {
  /** Retries for tasks that raise (Dask's `retries=`). */
  retries?: number;
  /** User priority for the whole graph (higher first). */
  priority?: number;
  /**
   * Abstract resources each task of the graph holds while it runs (Dask's `resources=` on
   * compute/persist); a task's own annotation (array.annotate) wins for the names it gives.
   */
  resources?: Record<string, number>;
  signal?: AbortSignal;
  /** Shown by progress bars (e.g. "toZarr"). */
  label?: string;
}

/**
 * The ComputeOptions of a call's options, as an executor takes them: a collection's compute
 * options less `executor`, a toZarr's less its own (the Client refuses any other key).
 */
export function computeOptionsOf(options: ComputeOptions): ComputeOptions {
  const { retries, priority, resources, signal, label } = options;
  return { retries, priority, resources, signal, label };
}

/** The keys of ComputeOptions plus `executor`, as compute and persist of every collection take them. */
export const executeOptionKeys = ["executor", "retries", "priority", "resources", "signal", "label"] as const;

export interface PersistedKeys {
  readonly keys: readonly string[];
  /** Lets the cluster forget the results. */
  release(): void;
}

export interface GraphExecutor {
  compute(graph: TaskGraph, keys: readonly string[], options?: ComputeOptions): Promise<unknown[]>;
  persist(graph: TaskGraph, keys: readonly string[], options?: ComputeOptions): Promise<PersistedKeys>;
  /** Keys this executor already holds results for (persisted earlier). */
  holds(key: string): boolean;
  /**
   * The workers holding a result this executor holds, as last reported (may be stale: a
   * result moved since is only slower to reach, never wrong). Lowering runs the first level of
   * a reduction where a whole group of blocks lives (array/reduction.ts); an executor without
   * workers leaves this out.
   */
  holders?(key: string): readonly string[];
  /**
   * The memory limit of each worker that would run a graph, in bytes (0: no limit). Plans
   * are checked against the smallest before they are submitted; an executor without limits
   * (the local one) leaves this out.
   */
  workerMemoryLimits?(): Promise<number[]>;
  /**
   * The workers' threads and memory limits as last refreshed (workerMemoryLimits() refreshes
   * them): the lazy layer sizes the work of one task by them (array/overlap-groups.ts). The
   * Client's schedulerInfo() is this; an executor without workers leaves it out.
   */
  schedulerInfo?(): { workers: Record<string, { nthreads: number; memoryLimit: number }> };
}

let defaultExecutor: GraphExecutor | null = null;

export function setDefaultExecutor(executor: GraphExecutor | null): void {
  defaultExecutor = executor;
}

export function getDefaultExecutor(): GraphExecutor | null {
  return defaultExecutor;
}
