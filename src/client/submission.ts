/**
 * What Client.submit, map and submitSpecs send: task specs made from the user's call (the
 * function refused here when it cannot travel, an option never dropped in silence), and the
 * update-graph message, checked as the scheduler will check it so that what it would refuse
 * raises at the call and nothing is sent.
 */
import type { Connection } from "../comm/connection.js";
import { InvalidOptionError } from "../core/errors.js";
import type { TaskSpec } from "../graph/task-graph.js";
import { parseMessage } from "../protocol/fast-validation.js";
import { keyProblem, type WireTask } from "../protocol/messages.js";
import type { FutureState } from "./future.js";
import { makeSubmitTask, prepareFunction, toWireTasks, type SubmitOptions } from "./task-builder.js";

/** A function run as a task (or on the workers, or the scheduler): it must be able to travel (graph/function-travel.ts). */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export type TaskFunction = Function;

export type SubmitCall = TaskFunction | (SubmitOptions & { fn: TaskFunction; args?: unknown[] });

/** The task of `client.submit(fn, ...args)` or `client.submit({ fn, args, ...options })`, and its options. */
export function submitTask(fnOrOptions: SubmitCall, args: unknown[]): { spec: TaskSpec; options: SubmitOptions } {
  if (typeof fnOrOptions !== "function" && args.length > 0) {
    // Never dropped in silence: the options form takes its arguments in `args`.
    throw new InvalidOptionError("submit({ fn, ... }) takes the function's arguments in its `args` option, not after the options object");
  }
  const options = typeof fnOrOptions === "function" ? { fn: fnOrOptions, args } : fnOrOptions;
  return { spec: makeSubmitTask(prepareFunction(options.fn), options.args ?? [], options), options };
}

/** The tasks of `client.map(fn, ...iterables)` (one per element; several iterables zip like Dask's), and its options. */
export function mapTasks(fn: TaskFunction, iterables: Array<Iterable<unknown> | SubmitOptions>): { specs: TaskSpec[]; options: SubmitOptions } {
  const lists = iterables.filter((it): it is Iterable<unknown> => typeof (it as Iterable<unknown>)?.[Symbol.iterator] === "function").map((it) => [...it]);
  const options = (iterables.find((it) => typeof (it as Iterable<unknown>)?.[Symbol.iterator] !== "function") ?? {}) as SubmitOptions;
  if (lists.length === 0) throw new InvalidOptionError("map needs at least one iterable of arguments");
  const length = Math.min(...lists.map((l) => l.length));
  const prepared = prepareFunction(fn); // refuses a function that cannot travel, once
  const specs: TaskSpec[] = [];
  for (let i = 0; i < length; i++) {
    specs.push(makeSubmitTask(prepared, lists.map((l) => l[i]), { ...options, key: undefined }));
  }
  return { specs, options };
}

/**
 * Sends specs (their dependencies must be in the list or on the cluster). What the scheduler
 * would refuse raises here, and nothing is sent; should the scheduler refuse the graph all
 * the same, the futures of this graph fail with its reason, and only they.
 */
export function sendGraph(scheduler: Connection, futures: ReadonlyMap<string, FutureState>, specs: TaskSpec[], wanted: string[], extra: { workers?: string[]; allowOtherWorkers?: boolean }): void {
  const { message, frames } = updateGraphMessage(specs, wanted, extra);
  scheduler.request(message, frames).catch((error: Error) => {
    for (const key of new Set([...wanted, ...specs.map((spec) => spec.key)])) {
      const state = futures.get(key);
      if (state && !state.done) state.failWith(error);
    }
  });
}

/** The update-graph message of `specs`; raises what the scheduler would refuse. */
function updateGraphMessage(specs: TaskSpec[], wanted: string[], extra: { workers?: string[]; allowOtherWorkers?: boolean }): { message: { op: "update-graph"; tasks: WireTask[]; wanted: string[] }; frames: Uint8Array[] } {
  for (const spec of specs) {
    assertKey(spec.key, "task key");
    for (const dep of spec.deps) assertKey(dep, `dependency of task ${spec.key}`);
  }
  for (const key of wanted) assertKey(key, "key");
  const { tasks, frames } = toWireTasks(specs, extra);
  const message = { op: "update-graph" as const, tasks, wanted };
  const checked = parseMessage({ ...message, reqId: 0 }); // as it will travel: request() adds the id
  if ("problem" in checked) throw new InvalidOptionError(`the scheduler would refuse this graph: ${checked.problem}`);
  return { message, frames };
}

/** Raises a clear error for a key the protocol would refuse (the scheduler would drop the whole graph). */
function assertKey(key: unknown, what: string): void {
  const problem = keyProblem(key);
  if (!problem) return;
  const shown = typeof key === "string" ? JSON.stringify(key.length > 60 ? `${key.slice(0, 60)}…` : key) : String(key);
  throw new InvalidOptionError(`${what} ${shown} cannot be used: ${problem}`);
}
