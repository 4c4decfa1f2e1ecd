/**
 * The Graph page's data: the tasks the scheduler currently holds, coloured by state. A
 * graph of up to `taskLimit` tasks is sent task by task (the browser lays it out in layers);
 * a larger one is summarised by task prefix, with one node per prefix (its tasks counted
 * per state) and one edge per pair of prefixes that depend on each other, since drawing a
 * million nodes helps nobody (Dask turns its graph page off above 5000 tasks).
 */
import type { SchedulerView } from "../../scheduler/server/view.js";
import type { SchedulerState } from "../../scheduler/state/scheduler-state.js";
import { prefixColour } from "./prefix-colour.js";

export interface TaskGraphSnapshot {
  kind: "tasks";
  /** [key, prefix index, state] */
  nodes: Array<[string, number, string]>;
  /** [dependency index, dependent index] */
  edges: Array<[number, number]>;
  prefixes: Array<[string, string]>;
}

export interface PrefixGraphSnapshot {
  kind: "prefixes";
  taskCount: number;
  nodes: Array<{ prefix: string; colour: string; counts: Record<string, number> }>;
  /** [from prefix index, to prefix index, number of task dependencies] */
  edges: Array<[number, number, number]>;
}

export type GraphSnapshot = TaskGraphSnapshot | PrefixGraphSnapshot;

export function graphSnapshot(view: SchedulerView, state: SchedulerState, taskLimit = 5000): GraphSnapshot {
  if (view.taskCount() <= taskLimit) return taskGraph(view, taskLimit);
  return prefixGraph(state);
}

function taskGraph(view: SchedulerView, taskLimit: number): TaskGraphSnapshot {
  const tasks = view.tasks(taskLimit).filter((task) => task.status !== "forgotten");
  const index = new Map(tasks.map((task, i) => [task.key, i]));
  const prefixIndex = new Map<string, number>();
  const prefixes: Array<[string, string]> = [];
  const nodes: TaskGraphSnapshot["nodes"] = [];
  const edges: TaskGraphSnapshot["edges"] = [];
  tasks.forEach((task, i) => {
    let p = prefixIndex.get(task.prefix);
    if (p === undefined) {
      p = prefixes.length;
      prefixIndex.set(task.prefix, p);
      prefixes.push([task.prefix, prefixColour(task.prefix)]);
    }
    nodes.push([task.key, p, task.status]);
    for (const dep of task.deps) {
      const from = index.get(dep);
      if (from !== undefined) edges.push([from, i]);
    }
  });
  return { kind: "tasks", nodes, edges, prefixes };
}

/** Reads the state (never changes it): per-prefix counts and prefix-to-prefix edges. */
function prefixGraph(state: SchedulerState): PrefixGraphSnapshot {
  const prefixIndex = new Map<string, number>();
  const nodes: PrefixGraphSnapshot["nodes"] = [];
  const edgeCounts = new Map<string, number>();
  const indexOf = (name: string) => {
    let i = prefixIndex.get(name);
    if (i === undefined) {
      i = nodes.length;
      prefixIndex.set(name, i);
      nodes.push({ prefix: name, colour: prefixColour(name), counts: {} });
    }
    return i;
  };
  let taskCount = 0;
  for (const task of state.tasks.values()) {
    if (task.status === "forgotten") continue;
    taskCount++;
    const to = indexOf(task.prefix.name);
    const counts = nodes[to].counts;
    counts[task.status] = (counts[task.status] ?? 0) + 1;
    for (const dep of task.dependencies) {
      const from = indexOf(dep.prefix.name);
      if (from === to) continue;
      const id = `${from},${to}`;
      edgeCounts.set(id, (edgeCounts.get(id) ?? 0) + 1);
    }
  }
  const edges: PrefixGraphSnapshot["edges"] = [...edgeCounts].map(([id, count]) => {
    const [from, to] = id.split(",").map(Number);
    return [from, to, count];
  });
  return { kind: "prefixes", taskCount, nodes, edges };
}
