/**
 * What Client.submit and map send: task specs made from the user's call (the function
 * refused here when it cannot travel, an option never dropped in silence). graph-parts.ts
 * sends them.
 *
 * map's keys follow Dask's Client.map: `key` a list gives each task its key; `key` a string
 * is the prefix in place of the function's name: `prefix-<token of function and arguments>`
 * when pure (the default), `prefix-<uuid>-<i>` (one uuid per call) when not.
 */
import { InvalidOptionError } from "../core/errors.js";
import { uuid } from "../core/ids.js";
import type { TaskSpec } from "../graph/task-graph.js";
import { checkOptionNames, type OptionNames } from "./option-names.js";
import { makeSubmitTask, prepareFunction, type SubmitOptions } from "./task-builder.js";

/** A function run as a task (or on the workers, or the scheduler): it must be able to travel (graph/function-travel.ts). */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export type TaskFunction = Function;

/** The object form of submit: the function, its arguments and the task's options. */
export type SubmitObject = SubmitOptions & { fn: TaskFunction; args?: unknown[] };

export type SubmitCall = TaskFunction | SubmitObject;

/** map's options: submit's, with `key` a list of keys (one per task) or a prefix in place of the function's name. */
export type MapOptions = Omit<SubmitOptions, "key"> & { key?: string | readonly string[] };

const submitOptionNames: OptionNames<SubmitOptions> = { key: true, pure: true, retries: true, priority: true, workers: true, allowOtherWorkers: true, resources: true };
const submitObjectNames: OptionNames<SubmitObject> = { fn: true, args: true, ...submitOptionNames };
const mapOptionNames: OptionNames<MapOptions> = submitOptionNames;

/** The task of `client.submit(fn, ...args)` or `client.submit({ fn, args, ...options })`, and its options. */
export function submitTask(fnOrOptions: SubmitCall, args: unknown[]): { spec: TaskSpec; options: SubmitOptions } {
  if (typeof fnOrOptions !== "function" && args.length > 0) {
    // Never dropped in silence: the options form takes its arguments in `args`.
    throw new InvalidOptionError("submit({ fn, ... }) takes the function's arguments in its `args` option, not after the options object");
  }
  if (typeof fnOrOptions !== "function") checkOptionNames(fnOrOptions, submitObjectNames, "Client.submit");
  const options = typeof fnOrOptions === "function" ? { fn: fnOrOptions, args } : fnOrOptions;
  return { spec: makeSubmitTask(prepareFunction(options.fn), options.args ?? [], options), options };
}

function isIterable(value: unknown): value is Iterable<unknown> {
  return typeof (value as Iterable<unknown> | null)?.[Symbol.iterator] === "function";
}

/** The tasks of `client.map(fn, ...iterables)` (one per element; several iterables zip like Dask's), and its options. */
export function mapTasks(fn: TaskFunction, iterables: Array<Iterable<unknown> | MapOptions>): { specs: TaskSpec[]; options: SubmitOptions } {
  const lists = iterables.filter(isIterable).map((it) => [...it]);
  const notIterable = iterables.filter((it) => !isIterable(it));
  if (notIterable.length > 1) throw new InvalidOptionError(`Client.map takes one options object beside its iterables, got ${notIterable.length}`);
  const { key, ...options } = (notIterable[0] ?? {}) as MapOptions;
  checkOptionNames(notIterable[0], mapOptionNames, "Client.map");
  if (lists.length === 0) throw new InvalidOptionError("map needs at least one iterable of arguments");
  const length = Math.min(...lists.map((l) => l.length));
  const prepared = prepareFunction(fn); // refuses a function that cannot travel, once
  const keys = mapKeys(key, length, options.pure ?? true, prepared.name);
  const specs: TaskSpec[] = [];
  for (let i = 0; i < length; i++) {
    const args = lists.map((l) => l[i]);
    specs.push(keys.list ? makeSubmitTask(prepared, args, { ...options, key: keys.list[i] }) : makeSubmitTask(prepared, args, options, keys.prefix));
  }
  return { specs, options };
}

/**
 * The keys of map's tasks: each given (a list), or each made from the prefix (the function's
 * name unless given): with the task's token when pure, else one uuid for the call and the
 * task's index, as Dask.
 * A list must give every task a distinct key: Dask zips it with the tasks, so a short list
 * drops tasks and a long one makes futures no task will ever finish.
 */
function mapKeys(key: MapOptions["key"], length: number, pure: boolean, functionName: string): { list?: readonly string[]; prefix: string } {
  if (Array.isArray(key)) {
    const list = key as readonly unknown[];
    if (list.length !== length) throw new InvalidOptionError(`Client.map: key lists ${list.length} keys for ${length} tasks; give one key per task (or a string: the prefix of every key)`);
    const bad = list.find((k) => typeof k !== "string" || k.length === 0);
    if (bad !== undefined) throw new InvalidOptionError(`Client.map: each key in the key list must be a non-empty string, got ${JSON.stringify(bad)}`);
    const repeated = list.find((k, i) => list.indexOf(k) !== i);
    if (repeated !== undefined) throw new InvalidOptionError(`Client.map: key ${JSON.stringify(repeated)} is listed twice; each task needs its own key`);
    return { list: list as string[], prefix: functionName };
  }
  if (key !== undefined && typeof key !== "string") throw new InvalidOptionError(`Client.map: key must be a list of keys (one per task) or a string prefix, got ${String(key)}`);
  // Dask's `key or funcname(func)`: an empty prefix is the function's name.
  const prefix = key || functionName;
  if (pure) return { prefix };
  const call = uuid();
  return { list: Array.from({ length }, (_, i) => `${prefix}-${call}-${i}`), prefix };
}
