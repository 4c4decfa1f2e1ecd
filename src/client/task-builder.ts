/**
 * Turning what the user submitted into wire tasks: Futures inside arguments become
 * references to their keys (dependencies), functions become FunctionRefs (refused here,
 * at submit time, when they cannot travel), and each task's binary arguments are packed
 * into frames of the submission message.
 */
import { tokenize, randomHex } from "../core/ids.js";
import { functionRefOf } from "../graph/function-travel.js";
import type { TaskSpec } from "../graph/task-graph.js";
import type { FunctionRef } from "../protocol/function-ref.js";
import type { WireTask } from "../protocol/messages.js";
import { TaskRef, packPayload } from "../protocol/payload.js";
import { checkResources, type Resources } from "../protocol/resources.js";
import { mapFutures } from "./future.js";
import { payloadToken } from "../protocol/payload-token.js";

/** Replaces Futures (at any depth in arrays and plain objects) by TaskRefs, collecting their keys. */
function futuresToRefs(value: unknown, keys: Set<string>): unknown {
  return mapFutures(value, (future) => {
    keys.add(future.key);
    return new TaskRef(future.key);
  });
}

export interface SubmitOptions {
  key?: string;
  /** Same function and arguments ⇒ same key ⇒ computed once (default true). */
  pure?: boolean;
  retries?: number;
  priority?: number;
  workers?: string[];
  allowOtherWorkers?: boolean;
  /**
   * Abstract resources the task holds while it runs (Dask's `resources=`, e.g. { GPU: 1 }):
   * it runs only on a worker offering them, and only while they are free there.
   */
  resources?: Resources;
}

/** A function ready to be submitted many times: its reference, key prefix and token. */
export interface PreparedFunction {
  ref: FunctionRef;
  name: string;
  token: string;
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export function prepareFunction(fn: Function): PreparedFunction {
  const ref = functionRefOf(fn);
  return { ref, name: (fn.name || "lambda").replace(/[^A-Za-z0-9_]/g, "_"), token: tokenize(ref) };
}

/** The task of `fn(...args)`; its key is `options.key`, else `prefix` (default: the function's name) and a token (random when not pure). */
export function makeSubmitTask(prepared: PreparedFunction, args: unknown[], options: SubmitOptions = {}, prefix = prepared.name): TaskSpec {
  const { ref, name } = prepared;
  const deps = new Set<string>();
  const taskArgs = futuresToRefs(args, deps) as unknown[];
  // Packing the arguments once here refuses what cannot travel before a key is made.
  const argsToken = payloadToken(taskArgs, `the arguments of ${name}`);
  const key = options.key ?? `${prefix}-${options.pure === false ? randomHex() : tokenize(prepared.token, argsToken)}`;
  return {
    key, fn: ref, args: taskArgs, deps: [...deps],
    ...(options.retries !== undefined ? { retries: options.retries } : {}),
    ...(options.priority !== undefined ? { priority: options.priority } : {}),
    ...(options.resources !== undefined ? { resources: checkResources(options.resources, `the resources of ${name}`) } : {}),
  };
}

const noFrames: readonly number[] = Object.freeze([]);

export function toWireTasks(specs: Iterable<TaskSpec>, extra: { workers?: string[]; allowOtherWorkers?: boolean } = {}): { tasks: WireTask[]; frames: Uint8Array[] } {
  const frames: Uint8Array[] = [];
  const tasks: WireTask[] = [];
  const own: Uint8Array[] = [];
  for (const spec of specs) {
    own.length = 0;
    const args = packPayload(spec.args, own, `the arguments of task ${spec.key}`);
    // Most tasks carry no binary part: they share one empty list (it is only encoded).
    const f = own.length === 0 ? (noFrames as number[]) : own.map((frame) => frames.push(frame) - 1);
    // Options set only where present (no spread of empty objects for each of a million tasks).
    const task: WireTask = { key: spec.key, fn: spec.fn, args, f, deps: spec.deps };
    if (spec.retries !== undefined) task.retries = spec.retries;
    if (spec.priority !== undefined) task.priority = spec.priority;
    if (spec.resources && Object.keys(spec.resources).length > 0) task.resources = spec.resources;
    if (extra.workers) {
      task.workers = extra.workers;
      task.allowOtherWorkers = extra.allowOtherWorkers ?? false;
    }
    tasks.push(task);
  }
  return { tasks, frames };
}
