/**
 * The priorities of a graph's new tasks, computed on the linked TaskStates themselves: the
 * same numbers graph/order.ts's computeOrder gives for the graph's specs (the graph is the
 * new tasks; dependencies on tasks already known are outside it), without its key maps.
 * computeOrder looks every task and every edge up by key in maps of the whole graph; on a
 * million-task graph that was the larger part of completing it (issue 10). Here a task's
 * `order` field is the only mark: unvisited (in this graph, not ordered yet), on the stack,
 * or its final number; a task outside the graph already has a number (≥ 0), so it is never
 * entered, as computeOrder skips keys its map does not hold.
 *
 * The one place the two could differ: computeOrder sorts a task's dependency keys as the
 * spec listed them, this sorts its linked dependencies, which are in the spec's order except
 * where a dependency arrived in a later part of the graph (graph-staging.ts links it then).
 * Both sorts use compareKeys, so the results differ only if two distinct keys compare equal,
 * which takes two digit runs of more than 15 digits with the same numeric value at the same
 * place in otherwise equal keys.
 */
import { compareKeys } from "../../graph/order.js";
import type { TaskState } from "./entities.js";

/** A task of the graph being ordered that has no number yet. */
const unvisited = -2;
/** A task on the depth-first stack. */
const onStack = -1;

/**
 * Gives each task of `created` (a graph's new tasks, linked to their dependencies) its
 * priority `base + position`, where positions are computeOrder's for the graph whose tasks are
 * `created` in this order. Its outputs are the keys of `wanted` that `isOutput` accepts (by
 * default: those that are tasks of `created`); `lookup` finds a task by key. The dependencies
 * of the tasks in `inKeyOrder` are known to be listed in key order (not checked again).
 */
export function orderNewTasks(
  created: readonly TaskState[], wanted: readonly string[], base: number, lookup: (key: string) => TaskState | undefined,
  isOutput?: (key: string) => boolean, inKeyOrder?: ReadonlySet<TaskState>,
): void {
  let anyDependencies = false;
  for (const task of created) {
    task.order = unvisited;
    if (task.dependencies.length > 0) anyDependencies = true;
  }
  const outputs = wanted.filter(isOutput ?? ((key) => lookup(key)?.order === unvisited));
  if (!anyDependencies) {
    orderIndependent(created, outputs, base);
    return;
  }
  let sinks: TaskState[] = [];
  if (outputs.length > 0) {
    // As computeOrder: an output that is not a new task of this graph is passed over (a known
    // task has its number already, so orderFrom skips it).
    for (const key of outputs) {
      const task = lookup(key);
      if (task) sinks.push(task);
    }
  } else {
    for (const task of created) if (!task.dependents.some((dependent) => dependent.order === unvisited)) sinks.push(task);
  }
  sinks = sinks.sort(byKey);
  const sorted = (task: TaskState) => (inKeyOrder?.has(task) ? task.dependencies : sortedDependencies(task));
  let next = orderFrom(sinks, base, sorted);
  if (next - base < created.length) {
    // Tasks no sink reaches come last, in key order (only those are sorted).
    const rest = created.filter((task) => task.order === unvisited).sort(byKey);
    next = orderFrom(rest, next, sorted);
  }
}

const byKey = (a: TaskState, b: TaskState) => compareKeys(a.key, b.key);

/**
 * Orders the unvisited dependencies of each root depth-first, then the root; returns the next
 * free number. The stack is parallel arrays, not an object per frame: this visits every task
 * of a million-task graph.
 */
function orderFrom(roots: readonly TaskState[], next: number, sortedDeps: (task: TaskState) => readonly TaskState[]): number {
  const stack: TaskState[] = [];
  const positions: number[] = [];
  const depsOf: Array<readonly TaskState[]> = [];
  for (const root of roots) {
    if (root.order !== unvisited) continue;
    stack.push(root);
    positions.push(0);
    depsOf.push(sortedDeps(root));
    root.order = onStack;
    while (stack.length > 0) {
      const top = stack.length - 1;
      const deps = depsOf[top];
      if (positions[top] < deps.length) {
        const dep = deps[positions[top]++];
        if (dep.order !== unvisited) continue;
        stack.push(dep);
        positions.push(0);
        depsOf.push(sortedDeps(dep));
        dep.order = onStack;
      } else {
        stack[top].order = next++;
        stack.pop();
        positions.pop();
        depsOf.pop();
      }
    }
  }
  return next;
}

function sortedDependencies(task: TaskState): readonly TaskState[] {
  const deps = task.dependencies;
  if (deps.length < 2) return deps;
  // A reduction's members come in key order already (a layer lists them so): no copy, no sort.
  for (let i = 1; i < deps.length; i++) if (compareKeys(deps[i - 1].key, deps[i].key) > 0) return [...deps].sort(byKey);
  return deps;
}

/**
 * A graph without dependencies (client.map): first come, first served. As computeOrder: the
 * outputs in the order given when there are as many as tasks, then the rest in order.
 */
function orderIndependent(created: readonly TaskState[], outputs: readonly string[], base: number): void {
  const position = new Map<string, number>();
  if (outputs.length === created.length) for (const key of outputs) position.set(key, position.size);
  for (const task of created) if (!position.has(task.key)) position.set(task.key, position.size);
  for (const task of created) task.order = base + (position.get(task.key) as number);
}
