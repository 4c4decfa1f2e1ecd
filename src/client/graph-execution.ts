/**
 * The Client as the executor of lazy collections (GraphExecutor: `array.compute()` on the
 * cluster): compute and persist submit what the cluster does not hold already of a graph,
 * with the computation's retries, priority and resources applied to its tasks, and show
 * their progress when stdout is a terminal.
 */
import { checkResources } from "../protocol/resources.js";
import type { ComputeOptions, PersistedKeys } from "../graph/executor.js";
import type { TaskGraph, TaskSpec } from "../graph/task-graph.js";
import { layerKeys } from "../graph/block-layer.js";
import type { BlockLayer } from "../protocol/block-layer.js";
import type { Future } from "./future.js";
import type { FutureRegistry } from "./future-registry.js";
import { waitForAll } from "./futures-api.js";
import { TerminalProgress, type TaskStreamSource } from "./progress.js";
import { checkOptionNames, type OptionNames } from "./option-names.js";

const computeOptionNames: OptionNames<ComputeOptions> = { retries: true, priority: true, resources: true, signal: true, label: true };

/** What these functions need of the Client. */
export interface GraphClient extends TaskStreamSource {
  holds(key: string): boolean;
  submitSpecs(specs: TaskSpec[], wanted: string[], extra?: Record<string, never>, layers?: readonly BlockLayer[]): void;
  /** The scheduler connection: a graph's submission is flushed at once. */
  readonly scheduler: { flush(): void };
}

/** A submitted graph: the futures of the keys asked for, and the progress bar (null when not shown). */
export interface SubmittedGraph {
  futures: Future[];
  progress: TerminalProgress | null;
}

/** Submits the tasks of `graph` that `keys` need and the cluster does not hold; the futures of `keys` come from `registry`. */
export function submitGraph(client: GraphClient, registry: FutureRegistry, graph: TaskGraph, keys: readonly string[], options: ComputeOptions, what: string): SubmittedGraph {
  checkOptionNames(options, computeOptionNames, `Client.${what}`);
  const held = new Set([...registry.states.keys()].filter((key) => client.holds(key)));
  const culled = graph.cull(keys, held);
  const resources = options.resources !== undefined ? checkResources(options.resources, `${what} resources`) : undefined;
  const annotated = options.retries !== undefined || options.priority !== undefined || resources !== undefined;
  // Block layers travel as they are, unless the computation's options change every task.
  const layers = annotated ? [] : culled.layers;
  const tasks = [...(annotated ? culled.tasks : culled.taskList).values()];
  // Copies only when the computation's options change the specs: a million-task graph is
  // not copied for nothing.
  const specs = !annotated ? tasks : tasks.map((spec) => ({
    ...spec,
    ...(options.retries !== undefined && spec.retries === undefined ? { retries: options.retries } : {}),
    ...(options.priority !== undefined ? { priority: options.priority } : {}),
    ...(resources ? { resources: { ...resources, ...spec.resources } } : {}),
  }));
  client.submitSpecs(specs, [...keys], {}, layers);
  // On its way now rather than at the end of this turn: what the caller does after submitting
  // (a toZarr's target creation, whose file callbacks may run before an end-of-turn flush)
  // does not delay the first tasks. (Client.submit in a loop still leaves as one batch.)
  client.scheduler.flush();
  const futures = keys.map((key) => registry.futureFor(key));
  const progress = TerminalProgress.start(client, keysOf(specs, layers), { label: options.label ?? what });
  return { futures, progress };
}

/** The keys of `specs`, listed only if iterated (the progress bar is not always shown). */
function* keysOf(specs: readonly TaskSpec[], layers: readonly BlockLayer[]): Iterable<string> {
  for (const layer of layers) yield* layerKeys(layer);
  for (const spec of specs) yield spec.key;
}

/** The values of a submitted graph's keys; their futures are released once they are fetched (or failed). */
export async function computeGraph(submitted: SubmittedGraph, gather: (futures: Future[]) => Promise<unknown[]>): Promise<unknown[]> {
  const { futures, progress } = submitted;
  let completed = false;
  try {
    const values = await gather(futures);
    completed = true;
    return values;
  } finally {
    await progress?.stop(completed);
    for (const future of futures) future.release();
  }
}

/**
 * Waits until a submitted graph's keys are in memory on the cluster; they stay there until
 * released. When a task fails the error is raised and the futures are released at once: the
 * caller gets no handle to release them with, and Dask forgets a failed persist's keys once
 * its futures are dropped.
 */
export async function persistGraph(submitted: SubmittedGraph, keys: readonly string[]): Promise<PersistedKeys> {
  const { futures, progress } = submitted;
  let completed = false;
  try {
    await waitForAll(futures);
    completed = true;
  } finally {
    await progress?.stop(completed);
    if (!completed) for (const future of futures) future.release();
  }
  return { keys, release: () => futures.forEach((f) => f.release()) };
}
