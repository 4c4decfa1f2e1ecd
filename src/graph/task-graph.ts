/**
 * Task graphs as the lazy layers build them: each task is a key, a function reference,
 * positional arguments (plain values, NDArrays, and TaskRef markers for the results of other
 * tasks) and the keys it depends on. Graphs merge by key (the same key means the same
 * computation) and cull to what some output needs.
 */
import { InvalidOptionError } from "../core/errors.js";
import { NDArray } from "../ndarray/ndarray.js";
import type { FunctionRef } from "../protocol/function-ref.js";
import { TaskRef } from "../protocol/payload.js";
import type { Resources } from "../protocol/resources.js";
import { layerBlockCount, type BlockLayer } from "../protocol/block-layer.js";
import { expandLayer } from "./block-layer.js";

export interface TaskSpec {
  key: string;
  fn: FunctionRef;
  args: unknown[];
  deps: string[];
  retries?: number;
  /** User priority: higher runs earlier (Dask's `priority=`). */
  priority?: number;
  /** Abstract resources one run holds on its worker (Dask's `resources=`, e.g. { GPU: 1 }). */
  resources?: Resources;
}

/** The keys of every TaskRef inside a value (searching arrays and plain objects). */
export function referencedKeys(value: unknown, into: Set<string> = new Set()): Set<string> {
  if (value instanceof TaskRef) into.add(value.key);
  else if (Array.isArray(value)) for (const item of value) referencedKeys(item, into);
  else if (value && typeof value === "object" && !(value instanceof NDArray) && !ArrayBuffer.isView(value)) {
    for (const item of Object.values(value)) referencedKeys(item, into);
  }
  return into;
}

export function makeTask(key: string, fn: FunctionRef, args: unknown[], extra: Partial<TaskSpec> = {}): TaskSpec {
  return { key, fn, args, deps: [...referencedKeys(args)], ...extra };
}

export class TaskGraph {
  private readonly ownTasks = new Map<string, TaskSpec>();
  /**
   * Block layers (protocol/block-layer.ts): a task per block each, not yet expanded. A client
   * sends them as they are; whoever reads `tasks` gets them expanded (once, into the map), so
   * a consumer that knows nothing of layers sees exactly the per-task graph.
   */
  private blockLayers: BlockLayer[] = [];
  /**
   * Set by whoever built this graph already culled (fuse.ts): the outputs it was culled for,
   * and the dependencies outside it. cull() to the same outputs then returns the graph itself
   * instead of walking and copying a million tasks again.
   */
  culledFor: { outputs: ReadonlySet<string>; external: readonly string[] } | undefined;

  constructor(tasks: Iterable<TaskSpec> = []) {
    for (const task of tasks) this.add(task);
  }

  /** Every task, layers expanded (see blockLayers). */
  get tasks(): Map<string, TaskSpec> {
    if (this.blockLayers.length > 0) this.expandLayers();
    return this.ownTasks;
  }

  /** The block layers not expanded yet (empty once `tasks` was read). */
  get layers(): readonly BlockLayer[] {
    return this.blockLayers;
  }

  /** The tasks held one by one, without expanding the layers. */
  get taskList(): Map<string, TaskSpec> {
    return this.ownTasks;
  }

  /**
   * Adds layers whose tasks the graph needs: their keys are distinct from its tasks', they
   * depend on nothing, and what is already culled stays culled (the builder adds only what
   * its outputs need).
   */
  addLayers(layers: readonly BlockLayer[]): void {
    this.blockLayers.push(...layers);
  }

  private expandLayers(): void {
    const layers = this.blockLayers;
    this.blockLayers = [];
    for (const layer of layers) {
      expandLayer(layer, (task) => {
        this.ownTasks.set(task.key, { key: task.key, fn: { builtin: task.builtin }, args: task.args, deps: task.deps });
      });
    }
  }

  add(task: TaskSpec): void {
    this.tasks.set(task.key, task);
    this.culledFor = undefined; // a task added after culling may not be needed
  }

  merge(other: TaskGraph): this {
    this.culledFor = undefined;
    for (const task of other.tasks.values()) this.tasks.set(task.key, task);
    return this;
  }

  /** Tasks in the graph, those of layers included (none expanded for this). */
  get size(): number {
    let size = this.ownTasks.size;
    for (const layer of this.blockLayers) size += layerBlockCount(layer);
    return size;
  }

  /**
   * The tasks the outputs need, transitively. Dependencies missing from the graph are
   * allowed only when `external` holds them (results already on the cluster).
   */
  cull(outputs: readonly string[], external: ReadonlySet<string> = new Set()): TaskGraph {
    if (this.isCulledFor(outputs, external)) return this;
    const kept = new TaskGraph();
    const stack = [...outputs];
    while (stack.length > 0) {
      const key = stack.pop() as string;
      if (kept.tasks.has(key)) continue;
      const task = this.tasks.get(key);
      if (!task) {
        if (external.has(key)) continue;
        throw new InvalidOptionError(`the graph has no task "${key}" and no such result exists`);
      }
      kept.add(task);
      for (const dep of task.deps) if (!kept.tasks.has(dep)) stack.push(dep);
    }
    return kept;
  }

  /** Whether culling to `outputs` would keep every task (see culledFor) and find every outside dependency in `external`. */
  private isCulledFor(outputs: readonly string[], external: ReadonlySet<string>): boolean {
    const culled = this.culledFor;
    if (!culled || !culled.external.every((key) => external.has(key))) return false;
    const wanted = new Set(outputs);
    if (wanted.size !== culled.outputs.size) return false;
    for (const key of wanted) if (!culled.outputs.has(key)) return false;
    return true;
  }
}
