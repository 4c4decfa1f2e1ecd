/**
 * A graph taken in part by part (a client sends a large graph as several update-graph
 * parts: server/graph-assembly.ts). Each part's new tasks are registered and linked to their
 * dependencies as it arrives, so no single event does the work of the whole graph; they stay
 * inert (released, wanted by nobody, never scheduled) until the last part completes the
 * graph: then it is ordered and its outputs wanted, exactly as a graph sent whole.
 *
 * A dependency may arrive in a later part than its dependent: the link waits for it. A
 * submission that does not complete (abandoned by the client, a part refused, the client
 * gone, or a dependency that never came) is undone by forgetting its inert tasks through
 * the state machine's own forgotten transition, which also releases what they alone held.
 * A task another graph has since come to want or depend on is no longer inert, and stays.
 */
import { type TaskState, appendTo } from "./entities.js";
import type { SubmittedTask } from "./events.js";
import type { SchedulerState, StagedGraph } from "./scheduler-state.js";
import { createTaskFromSpec, refreshReleasedSpec } from "./task-from-spec.js";
import { orderNewTasks } from "./task-order.js";
import { linkLayer, registerLayer } from "./layer-staging.js";
import type { BlockLayer } from "../../protocol/block-layer.js";

export function newStagedGraph(): StagedGraph {
  return { created: [], unresolved: new Map(), grids: new Map(), inKeyOrder: new Set() };
}

/**
 * Registers the new tasks of one part (inert): its block layers' first (layer-staging.ts),
 * then those it lists; then links what can be linked, in the same order.
 */
export function stagePart(state: SchedulerState, staged: StagedGraph, submitted: readonly SubmittedTask[], layers: readonly BlockLayer[] = []): void {
  const arrived = (task: TaskState) => linkWaiting(staged, task);
  const stagedLayers = layers.map((layer) => registerLayer(state, staged, layer, arrived));
  const fresh: TaskState[] = [];
  const freshDeps: Array<readonly string[]> = [];
  for (const spec of submitted) {
    const existing = state.tasks.get(spec.key);
    if (existing) {
      refreshReleasedSpec(existing, spec);
      arrived(existing);
      continue;
    }
    const task = createTaskFromSpec(state, spec);
    staged.created.push(task);
    fresh.push(task);
    freshDeps.push(spec.deps);
    arrived(task);
  }
  // Linked once the whole part is registered: a part may list a dependent before its dependency.
  const missing = (task: TaskState, depKey: string) => {
    const waiting = staged.unresolved.get(depKey);
    if (waiting) waiting.push(task);
    else staged.unresolved.set(depKey, [task]);
  };
  for (const layer of stagedLayers) linkLayer(state, staged, layer, link, missing);
  for (let i = 0; i < fresh.length; i++) {
    const task = fresh[i];
    for (const depKey of freshDeps[i]) {
      const dep = state.tasks.get(depKey);
      if (dep) link(task, dep);
      else missing(task, depKey);
    }
  }
}

/**
 * The last part has been staged: a dependency still missing fails the graph (the error is
 * returned, the submission undone); else the graph is ordered and its outputs wanted by
 * `want` (intake.ts), as a graph sent whole.
 */
export function completeStaged(state: SchedulerState, staged: StagedGraph, wanted: readonly string[], want: (task: TaskState) => void): { key: string; dep: string } | undefined {
  for (const [dep, waiting] of staged.unresolved) {
    abandonStaged(state, staged);
    return { key: waiting[0].key, dep };
  }
  for (const task of staged.created) {
    // Restricted tasks are placed one by one (Dask: root-ish means unrestricted).
    task.rootish = task.dependencies.length === 0 && task.restrictWorkers === null && task.resources === null;
  }
  staged.grids.clear();
  orderNewTasks(staged.created, wanted, state.nextOrder, (key) => state.tasks.get(key), undefined, staged.inKeyOrder);
  staged.inKeyOrder.clear();
  state.nextOrder += staged.created.length;
  for (const key of wanted) {
    const task = state.tasks.get(key);
    if (task) want(task);
  }
  return undefined;
}

/** Undoes a submission that will not complete: its tasks that are still inert are forgotten. */
export function abandonStaged(state: SchedulerState, staged: StagedGraph): void {
  // Dependents first; the forgotten transition skips a task something still wants or needs.
  for (let i = staged.created.length - 1; i >= 0; i--) {
    const task = staged.created[i];
    if (task.status === "released") state.recommend(task, "forgotten");
  }
  staged.created = [];
  staged.unresolved.clear();
  staged.grids.clear();
  staged.inKeyOrder.clear();
}

function link(task: TaskState, dep: TaskState): void {
  task.dependencies = appendTo(task.dependencies, dep);
  dep.dependents = appendTo(dep.dependents, task);
  dep.pendingDependents++;
}

/** Links the tasks that were waiting for `dep` to arrive. */
function linkWaiting(staged: StagedGraph, dep: TaskState): void {
  if (staged.unresolved.size === 0) return;
  const waiting = staged.unresolved.get(dep.key);
  if (!waiting) return;
  staged.unresolved.delete(dep.key);
  for (const task of waiting) link(task, dep);
}
