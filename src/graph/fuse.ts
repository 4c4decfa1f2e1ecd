/**
 * Task fusion: what Dask fuses (blockwise fusion, fuse_roots and linear fusion), done on the
 * task graph, and never more, save one thing (generated roots made again inside their few
 * readers, below). Walking from the outputs backwards, a task T joins the group
 * of its dependents when all of them are in one group and every one of them accepts it:
 *
 * - a dependent with T as its only dependency (a linear chain: filter → partial sum);
 * - a dependent that computes one block from that same block of its inputs (a blockwise
 *   step, marked by the lowering: `a - b` takes block i of a and block i of b, so the
 *   diamond region → two filters → subtract becomes one task);
 * - a dependent gathering at most `maxRootFanIn` inputs when T is a root (a load read by
 *   nothing else: the blocks of one halo or one merged chunk load inside the task);
 * - a dependent the lowering marked as gathering in place (`gathersInPlace`): the first
 *   combine of a tree reduction whose group of blocks one worker already holds, so the
 *   group's partials run inside it where the blocks are (array/reduction.ts states when).
 *
 * A generated root (a block of random, ones or full: no inputs, made faster than a task's
 * messages, let alone a 2 MB block's first-touch page faults) read by 2 to `maxRecomputeUsers`
 * dependents that each take it as one block (the x_ij that blocks (i, j) and (j, i) of
 * x + x.T both read) is made inside each of them instead (`isRecomputable`): the block is
 * never stored, never moves, and each reader holds it as it would hold it as an input. Dask's
 * graph keeps such a block a task of its own; regenerating it costs 0.3 ms per 500² float64
 * block into a recycled buffer (ndarray/block-recycling.ts), a task ~1 ms of messages.
 *
 * A dependent that gathers partials of many blocks (a level of a tree reduction) accepts
 * nothing: its inputs stay tasks of their own, spread over the workers, and every level of a
 * reduction stays a task. A fused task so holds one block's inputs plus its own steps, and
 * the runner drops each step's result once no later step needs it (task-runner.ts).
 *
 * The fused task runs its members as steps of one `graph.fused` call: a member's result
 * reaches later steps inside the thread, never crossing the scheduler or a socket.
 *
 * Fusion also culls: only what the outputs need is visited. A million-block graph passes
 * through here, so the walk indexes tasks by position and keeps its state in typed arrays.
 */
import { InvalidOptionError } from "../core/errors.js";
import { TaskRef } from "../protocol/payload.js";
import { NDArray } from "../ndarray/ndarray.js";
import { TaskGraph, type TaskSpec } from "./task-graph.js";
import { fusedBuiltin, stepRef, type FusedStep } from "./task-runner.js";
import { combineResourceNeeds } from "../protocol/resources.js";

/**
 * Roots (loads) fuse into a gathering consumer of at most this many inputs: a 3-D block's
 * halo reads its 3 × 3 × 3 neighbourhood. A wider gather keeps its loads parallel.
 */
export const maxRootFanIn = 27;

/**
 * A generated root is made inside at most this many readers: each one more costs one more
 * generation. Two is x + x.T; a few more still cost less than a stored block's messages.
 */
export const maxRecomputeUsers = 4;

/** The function of every fused task (shared: it never changes). */
const fusedRef = Object.freeze({ builtin: fusedBuiltin });

export interface FuseOptions {
  /**
   * Whether a task computes one block from the same block of each input (a blockwise step):
   * such a task accepts its inputs' steps even when it has several.
   */
  isBlockTask?: (task: TaskSpec) => boolean;
  /**
   * Whether a dependency that is not in the graph may be read from outside (a result the
   * cluster holds). Default: any may; otherwise a missing one is an error naming it.
   */
  isExternal?: (key: string) => boolean;
  /**
   * Whether a task takes every one of its dependencies inside it (the lowering vouches that
   * their inputs are results one worker holds and that they fit its memory together).
   */
  gathersInPlace?: (task: TaskSpec) => boolean;
  /**
   * Whether a task with no dependencies is cheap to make again (a generated block: random,
   * full): with several readers it runs inside each of them (see the module comment).
   */
  isRecomputable?: (task: TaskSpec) => boolean;
  /** Told each task of the result: its key, the original tasks it runs (in order), its inputs. */
  onTask?: (key: string, members: readonly TaskSpec[], external: readonly string[]) => void;
}

/** The culled graph in order: tasks, and each task's dependencies as positions (-1: outside). */
interface OrderedGraph {
  order: TaskSpec[];
  depStart: Int32Array;
  depAt: Int32Array;
  /** Dependencies found outside the graph (results the cluster holds). */
  external: string[];
}

/**
 * The tasks the outputs need, dependencies before dependents (an iterative depth-first walk,
 * so a chain of a million tasks does not overflow the stack), with every dependency resolved
 * once to a position.
 */
function cullInOrder(graph: TaskGraph, outputs: readonly string[], isExternal?: (key: string) => boolean): OrderedGraph {
  const order: TaskSpec[] = [];
  const position = new Map<TaskSpec, number>(); // -1 while its dependencies are being visited
  const stack: TaskSpec[] = [];
  const next: number[] = [];
  // The dependencies of the tasks on the stack, resolved as they are visited, one list for
  // all (each task's from pendingFrom[its level] on): no list per task.
  const pending: Array<TaskSpec | undefined> = [];
  const pendingFrom: number[] = [];
  const depStart: number[] = [];
  const depAt: number[] = [];
  const external = new Set<string>();
  const enter = (key: string): TaskSpec | undefined => {
    const task = graph.tasks.get(key);
    if (!task) {
      if (isExternal && !isExternal(key)) throw new InvalidOptionError(`the graph has no task "${key}" and no such result exists`);
      external.add(key);
      return undefined;
    }
    if (!position.has(task)) {
      position.set(task, -1);
      stack.push(task);
      next.push(0);
      pendingFrom.push(pending.length);
    }
    return task;
  };
  for (const output of outputs) {
    enter(output);
    while (stack.length > 0) {
      const top = stack.length - 1;
      const task = stack[top];
      if (next[top] < task.deps.length) {
        // Entering may push a level: this task's list ends before the one it starts.
        const dep = task.deps[next[top]++];
        const at = pending.length;
        pending.push(undefined);
        pending[at] = enter(dep);
        continue;
      }
      const from = pendingFrom[top];
      stack.pop();
      next.pop();
      pendingFrom.pop();
      depStart.push(depAt.length);
      for (let d = from; d < pending.length; d++) {
        const dep = pending[d];
        depAt.push(dep === undefined ? -1 : (position.get(dep) as number));
      }
      pending.length = from;
      position.set(task, order.length);
      order.push(task);
    }
  }
  depStart.push(depAt.length);
  return { order, depStart: Int32Array.from(depStart), depAt: Int32Array.from(depAt), external: [...external] };
}

/**
 * `value` with references to group members replaced by step markers (unchanged parts shared).
 * Plain objects in `refFree` hold no reference at all (the options object every block's step
 * shares is searched once per graph, not once per task).
 */
function replaceRefs(value: unknown, internal: Map<string, number>, refFree: WeakSet<object>): unknown {
  if (value instanceof TaskRef) {
    const index = internal.get(value.key);
    return index === undefined ? value : stepRef(index);
  }
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item = replaceRefs(value[i], internal, refFree);
      if (item !== value[i]) (out ??= value.slice())[i] = item;
    }
    return out ?? value;
  }
  if (isPlainObject(value)) {
    if (refFree.has(value)) return value;
    if (!holdsRef(value, refFree)) return value;
    let out: Record<string, unknown> | undefined;
    for (const [key, item] of Object.entries(value)) {
      const replaced = replaceRefs(item, internal, refFree);
      if (replaced !== item) (out ??= { ...value })[key] = replaced;
    }
    return out ?? value;
  }
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !(value instanceof NDArray) && !ArrayBuffer.isView(value) && Object.getPrototypeOf(value) === Object.prototype;
}

/** Whether a value holds a TaskRef (where replaceRefs looks); plain objects holding none join `refFree`. */
function holdsRef(value: unknown, refFree: WeakSet<object>): boolean {
  if (value instanceof TaskRef) return true;
  if (Array.isArray(value)) {
    for (const item of value) if (holdsRef(item, refFree)) return true;
    return false;
  }
  if (!isPlainObject(value)) return false;
  if (refFree.has(value)) return false;
  for (const key in value) if (holdsRef(value[key], refFree)) return true;
  refFree.add(value);
  return false;
}

/** Whether `user` lets its dependency `task` run inside it (see the module comment). */
function accepts(user: TaskSpec, userTakesAll: boolean, task: TaskSpec): boolean {
  if (user.deps.length === 1 || userTakesAll) return true;
  return task.deps.length === 0 && user.deps.length <= maxRootFanIn;
}

/**
 * The groups of its readers that a root `i` is made inside, when it is a generated block read
 * by 2 to maxRecomputeUsers tasks that each take it as one block's input (a single input or a
 * blockwise step); undefined when it stays a task. Its readers' groups are final (the walk
 * goes from the outputs backwards), and a root has no dependencies whose groups could change.
 */
function recomputeGroups(i: number, order: readonly TaskSpec[], users: Int32Array, first: number, last: number, group: Int32Array, isBlock: Uint8Array, isRecomputable: (task: TaskSpec) => boolean): number[] | undefined {
  const task = order[i];
  if (task.deps.length > 0 || last - first < 2 || last - first > maxRecomputeUsers || !isRecomputable(task)) return undefined;
  const into: number[] = [];
  for (let u = first; u < last; u++) {
    const user = users[u];
    // A wide reader (more than maxRootFanIn inputs) would make all of them one after another
    // in one task: they stay tasks that spread over the workers, as accepts() keeps roots.
    if (order[user].deps.length > maxRootFanIn || (order[user].deps.length !== 1 && isBlock[user] !== 1)) return undefined;
    if (!into.includes(group[user])) into.push(group[user]);
  }
  return into;
}

export function fuseGraph(graph: TaskGraph, outputs: readonly string[], options: FuseOptions = {}): TaskGraph {
  const { order, depStart, depAt, external } = cullInOrder(graph, outputs, options.isExternal);
  const n = order.length;
  // Dependents of each task (positions), as compressed rows.
  const userStart = new Int32Array(n + 1);
  for (let e = 0; e < depAt.length; e++) if (depAt[e] >= 0) userStart[depAt[e] + 1]++;
  for (let i = 0; i < n; i++) userStart[i + 1] += userStart[i];
  const users = new Int32Array(userStart[n]);
  const filled = userStart.slice(0, n);
  for (let i = 0; i < n; i++) {
    for (let e = depStart[i]; e < depStart[i + 1]; e++) if (depAt[e] >= 0) users[filled[depAt[e]]++] = i;
  }
  const isBlock = new Uint8Array(n);
  if (options.isBlockTask) for (let i = 0; i < n; i++) isBlock[i] = options.isBlockTask(order[i]) ? 1 : 0;
  // A task gathering in place takes its dependencies as a blockwise step does.
  if (options.gathersInPlace) for (let i = 0; i < n; i++) if (options.gathersInPlace(order[i])) isBlock[i] = 1;
  const outputSet = new Set(outputs);
  // Groups, from the outputs backwards: a task joins its users' group when they all accept it.
  // A generated root made inside several readers' groups has group -1 and its groups here.
  const group = new Int32Array(n);
  const inlined = new Map<number, number[]>();
  const size = new Int32Array(n);
  for (let i = n - 1; i >= 0; i--) {
    group[i] = i;
    const first = userStart[i];
    const last = userStart[i + 1];
    if (first === last || outputSet.has(order[i].key)) continue;
    const candidate = group[users[first]];
    let joins = true;
    for (let u = first; u < last && joins; u++) {
      const user = users[u];
      joins = group[user] === candidate && accepts(order[user], isBlock[user] === 1, order[i]);
    }
    if (joins) group[i] = candidate;
    else if (options.isRecomputable) {
      const into = recomputeGroups(i, order, users, first, last, group, isBlock, options.isRecomputable);
      if (into) {
        group[i] = -1;
        inlined.set(i, into);
      }
    }
  }
  for (let i = 0; i < n; i++) {
    if (group[i] >= 0) size[group[i]]++;
    else for (const g of inlined.get(i) as number[]) size[g]++;
  }
  const members: Array<TaskSpec[] | undefined> = new Array(n);
  for (let i = 0; i < n; i++) {
    // In position order: a generated root comes before every reader in each group it joins.
    if (group[i] < 0) for (const g of inlined.get(i) as number[]) (members[g] ??= []).push(order[i]);
    else if (size[group[i]] >= 2) (members[group[i]] ??= []).push(order[i]);
  }
  const fused = new TaskGraph();
  // One map of members' step positions, cleared per group: a million groups allocate none.
  const internal = new Map<string, number>();
  // Plain objects of arguments found to hold no reference (nothing changes them during fusion).
  const refFree = new WeakSet<object>();
  for (let i = 0; i < n; i++) {
    if (group[i] !== i) continue;
    const root = order[i];
    const tasks = members[i];
    if (!tasks) {
      fused.add(root);
      options.onTask?.(root.key, [root], root.deps);
      continue;
    }
    internal.clear();
    const steps: FusedStep[] = [];
    const deps: string[] = [];
    for (const task of tasks) {
      steps.push({ fn: task.fn, args: replaceRefs(task.args, internal, refFree) as unknown[] });
      internal.set(task.key, steps.length - 1);
    }
    // Inputs from outside the group (other groups, results already on the cluster) remain
    // dependencies of the fused task; members feed later steps directly.
    for (const task of tasks) {
      for (const dep of task.deps) if (!internal.has(dep) && !deps.includes(dep)) deps.push(dep);
    }
    options.onTask?.(root.key, tasks, deps);
    // Resource annotations survive fusion: the fused task holds what its hungriest step needs.
    const resources = tasks.some((task) => task.resources !== undefined) ? combineResourceNeeds(tasks.map((task) => task.resources)) : undefined;
    // Options set only where present (no spread of empty objects for each of a million tasks).
    const fusedTask: TaskSpec = { key: root.key, fn: fusedRef, args: [{ steps }], deps };
    if (root.retries !== undefined) fusedTask.retries = root.retries;
    if (root.priority !== undefined) fusedTask.priority = root.priority;
    if (resources) fusedTask.resources = resources;
    fused.add(fusedTask);
  }
  fused.culledFor = { outputs: new Set(outputs), external };
  return fused;
}
