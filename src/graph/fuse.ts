/**
 * Task fusion: what Dask fuses (blockwise fusion, fuse_roots and linear fusion), done on the
 * task graph, and never more. Walking from the outputs backwards, a task T joins the group
 * of its dependents when all of them are in one group and every one of them accepts it:
 *
 * - a dependent with T as its only dependency (a linear chain: filter → partial sum);
 * - a dependent that computes one block from that same block of its inputs (a blockwise
 *   step, marked by the lowering: `a - b` takes block i of a and block i of b, so the
 *   diamond region → two filters → subtract becomes one task);
 * - a dependent gathering at most `maxRootFanIn` inputs when T is a root (a load read by
 *   nothing else: the blocks of one halo or one merged chunk load inside the task).
 *
 * A dependent that gathers partials of many blocks (a level of a tree reduction) accepts
 * nothing: its inputs stay tasks of their own, spread over the workers, and every level of a
 * reduction stays a task. A fused task so holds one block's inputs plus its own steps, and
 * the runner drops each step's result once no later step needs it (task-runner.ts).
 *
 * The fused task runs its members as steps of one `graph.fused` call: a member's result
 * reaches later steps inside the thread, never crossing the scheduler or a socket.
 */
import { TaskRef } from "../protocol/payload.js";
import { NDArray } from "../ndarray/ndarray.js";
import { TaskGraph, type TaskSpec } from "./task-graph.js";
import { fusedBuiltin, stepRef, type FusedStep } from "./task-runner.js";

/**
 * Roots (loads) fuse into a gathering consumer of at most this many inputs: a 3-D block's
 * halo reads its 3 × 3 × 3 neighbourhood. A wider gather keeps its loads parallel.
 */
export const maxRootFanIn = 27;

export interface FuseOptions {
  /**
   * Tasks that compute one block from the same block of each input (blockwise steps): they
   * accept their inputs' steps even when they have several.
   */
  blockTasks?: ReadonlySet<string>;
  /** Told each task of the result: its key, the original tasks it runs (in order), its inputs. */
  onTask?: (key: string, members: readonly TaskSpec[], external: readonly string[]) => void;
}

/** Tasks in an order where each comes after its dependencies (iterative depth-first). */
export function topologicalOrder(graph: TaskGraph): TaskSpec[] {
  const order: TaskSpec[] = [];
  const state = new Map<string, number>(); // 1 visiting, 2 done
  const stack: Array<{ task: TaskSpec; next: number }> = [];
  for (const root of graph.tasks.values()) {
    if (state.has(root.key)) continue;
    stack.push({ task: root, next: 0 });
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

/** Whether `user` lets its dependency `task` run inside it (see the module comment). */
function accepts(user: TaskSpec, task: TaskSpec, blockTasks: ReadonlySet<string>): boolean {
  if (user.deps.length === 1) return true;
  if (blockTasks.has(user.key)) return true;
  return task.deps.length === 0 && user.deps.length <= maxRootFanIn;
}

export function fuseGraph(graph: TaskGraph, outputs: readonly string[], options: FuseOptions = {}): TaskGraph {
  const blockTasks = options.blockTasks ?? new Set<string>();
  const order = topologicalOrder(graph);
  // Dependents inside the graph: one key, or a list when several.
  const dependents = new Map<string, string | string[]>();
  for (const task of order) {
    for (const dep of task.deps) {
      if (!graph.tasks.has(dep)) continue;
      const known = dependents.get(dep);
      if (known === undefined) dependents.set(dep, task.key);
      else if (typeof known === "string") { if (known !== task.key) dependents.set(dep, [known, task.key]); }
      else if (!known.includes(task.key)) known.push(task.key);
    }
  }
  const outputSet = new Set(outputs);
  const groupOf = new Map<string, string>();
  let fusedAny = false;
  for (let i = order.length - 1; i >= 0; i--) {
    const task = order[i];
    const users = dependents.get(task.key);
    let group = task.key;
    if (users !== undefined && !outputSet.has(task.key)) {
      const list = typeof users === "string" ? [users] : users;
      const candidate = groupOf.get(list[0]) as string;
      if (list.every((user) => groupOf.get(user) === candidate && accepts(graph.tasks.get(user) as TaskSpec, task, blockTasks))) group = candidate;
    }
    if (group !== task.key) fusedAny = true;
    groupOf.set(task.key, group);
  }
  if (!fusedAny) {
    if (options.onTask) for (const task of graph.tasks.values()) options.onTask(task.key, [task], task.deps);
    return graph;
  }
  const members = new Map<string, TaskSpec[]>();
  for (const task of order) {
    const group = groupOf.get(task.key) as string;
    const list = members.get(group);
    if (list) list.push(task);
    else members.set(group, [task]);
  }
  const fused = new TaskGraph();
  for (const [root, tasks] of members) {
    if (tasks.length === 1) {
      fused.add(tasks[0]);
      options.onTask?.(root, tasks, tasks[0].deps);
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
    const rootSpec = tasks[tasks.length - 1];
    const deps = [...external];
    options.onTask?.(root, tasks, deps);
    fused.add({
      key: root, fn: { builtin: fusedBuiltin }, args: [{ steps }], deps,
      ...(rootSpec.retries !== undefined ? { retries: rootSpec.retries } : {}),
      ...(rootSpec.priority !== undefined ? { priority: rootSpec.priority } : {}),
    });
  }
  return fused;
}
