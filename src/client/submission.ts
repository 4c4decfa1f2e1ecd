/**
 * What Client.submit and map send: task specs made from the user's call (the function
 * refused here when it cannot travel, an option never dropped in silence). graph-parts.ts
 * sends them.
 */
import { InvalidOptionError } from "../core/errors.js";
import type { TaskSpec } from "../graph/task-graph.js";
import { makeSubmitTask, prepareFunction, type SubmitOptions } from "./task-builder.js";

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
