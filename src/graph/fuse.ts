/**
 * Task fusion: merges tasks that only feed one consumer group into that group, so a chain
 * or diamond of blockwise steps on one block becomes one task (Dask's blockwise fusion plus
 * fuse_roots and linear fusion, done on the task graph). Walking from the outputs backwards,
 * a task joins the group of its dependents when all of them are in that same group; a task
 * read by several groups (a source chunk many halos need) stays a task of its own.
 *
 * The fused task runs its members as steps of one `graph.fused` call: a member's result
 * reaches later steps inside the thread, never crossing the scheduler or a socket.
 */
import { TaskRef } from "../protocol/payload.js";
import { NDArray } from "../ndarray/ndarray.js";
import { TaskGraph, type TaskSpec } from "./task-graph.js";
import { fusedBuiltin, stepRef, type FusedStep } from "./task-runner.js";

function topologicalOrder(graph: TaskGraph): TaskSpec[] {
  const order: TaskSpec[] = [];
  const state = new Map<string, number>(); // 1 visiting, 2 done
  for (const root of graph.tasks.values()) {
    if (state.get(root.key) === 2) continue;
    const stack: Array<{ task: TaskSpec; next: number }> = [{ task: root, next: 0 }];
    state.set(root.key, 1);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1];
      if (frame.next < frame.task.deps.length) {
        const dep = graph.tasks.get(frame.task.deps[frame.next++]);
        if (dep && !state.has(dep.key)) {
          state.set(dep.key, 1);
          stack.push({ task: dep, next: 0 });
        }
      } else {
        stack.pop();
        state.set(frame.task.key, 2);
        order.push(frame.task);
      }
    }
  }
  return order;
}

function replaceRefs(value: unknown, internal: Map<string, number>): unknown {
  if (value instanceof TaskRef) {
    const index = internal.get(value.key);
    return index === undefined ? value : stepRef(index);
  }
  if (Array.isArray(value)) return value.map((item) => replaceRefs(item, internal));
  if (value && typeof value === "object" && !(value instanceof NDArray) && !ArrayBuffer.isView(value) && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = replaceRefs(item, internal);
    return out;
  }
  return value;
}

export function fuseGraph(graph: TaskGraph, outputs: readonly string[]): TaskGraph {
  const order = topologicalOrder(graph);
  const dependents = new Map<string, string[]>();
  for (const task of order) {
    for (const dep of task.deps) {
      if (!graph.tasks.has(dep)) continue;
      const list = dependents.get(dep) ?? [];
      list.push(task.key);
      dependents.set(dep, list);
    }
  }
  const outputSet = new Set(outputs);
  const groupOf = new Map<string, string>();
  for (let i = order.length - 1; i >= 0; i--) {
    const task = order[i];
    const users = dependents.get(task.key) ?? [];
    if (outputSet.has(task.key) || users.length === 0) {
      groupOf.set(task.key, task.key);
      continue;
    }
    const group = groupOf.get(users[0]);
    groupOf.set(task.key, group !== undefined && users.every((user) => groupOf.get(user) === group) ? group : task.key);
  }
  const members = new Map<string, TaskSpec[]>();
  for (const task of order) {
    const group = groupOf.get(task.key) as string;
    const list = members.get(group) ?? [];
    list.push(task);
    members.set(group, list);
  }
  const fused = new TaskGraph();
  for (const [root, tasks] of members) {
    if (tasks.length === 1) {
      fused.add(tasks[0]);
      continue;
    }
    const internal = new Map<string, number>();
    const steps: FusedStep[] = [];
    const external = new Set<string>();
    for (const task of tasks) {
      steps.push({ fn: task.fn, args: replaceRefs(task.args, internal) as unknown[] });
      internal.set(task.key, steps.length - 1);
      // Inputs from outside the group (other groups, results already on the cluster) remain
      // dependencies of the fused task; members feed later steps directly.
      for (const dep of task.deps) if (groupOf.get(dep) !== root) external.add(dep);
    }
    const rootSpec = graph.tasks.get(root) as TaskSpec;
    fused.add({
      key: root, fn: { builtin: fusedBuiltin }, args: [{ steps }], deps: [...external],
      ...(rootSpec.retries !== undefined ? { retries: rootSpec.retries } : {}),
      ...(rootSpec.priority !== undefined ? { priority: rootSpec.priority } : {}),
    });
  }
  return fused;
}
