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
import { NDArray } from "../ndarray/ndarray.js";
import { TaskRef, packPayload } from "../protocol/payload.js";
import { mapFutures } from "./future.js";

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

export function makeSubmitTask(prepared: PreparedFunction, args: unknown[], options: SubmitOptions = {}): TaskSpec {
  const { ref, name } = prepared;
  const deps = new Set<string>();
  const taskArgs = futuresToRefs(args, deps) as unknown[];
  const key = options.key ?? `${name}-${options.pure === false ? randomHex() : tokenize(prepared.token, argsFingerprint(taskArgs))}`;
  return {
    key, fn: ref, args: taskArgs, deps: [...deps],
    ...(options.retries !== undefined ? { retries: options.retries } : {}),
    ...(options.priority !== undefined ? { priority: options.priority } : {}),
  };
}

/** What makes two argument lists the same for a pure key (TaskRefs by key). */
function argsFingerprint(value: unknown): unknown {
  if (value instanceof TaskRef) return { ref: value.key };
  if (value instanceof NDArray) return { nd: value.dtype, shape: value.shape, data: value.data };
  if (Array.isArray(value)) return value.map(argsFingerprint);
  if (value && typeof value === "object" && !ArrayBuffer.isView(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = argsFingerprint(item);
    return out;
  }
  return value;
}

export function toWireTasks(specs: Iterable<TaskSpec>, extra: { workers?: string[]; allowOtherWorkers?: boolean } = {}): { tasks: WireTask[]; frames: Uint8Array[] } {
  const frames: Uint8Array[] = [];
  const tasks: WireTask[] = [];
  for (const spec of specs) {
    const own: Uint8Array[] = [];
    const args = packPayload(spec.args, own);
    const f = own.map((frame) => frames.push(frame) - 1);
    tasks.push({
      key: spec.key, fn: spec.fn, args, f, deps: spec.deps,
      ...(spec.retries !== undefined ? { retries: spec.retries } : {}),
      ...(spec.priority !== undefined ? { priority: spec.priority } : {}),
      ...(extra.workers ? { workers: extra.workers, allowOtherWorkers: extra.allowOtherWorkers ?? false } : {}),
    });
  }
  return { tasks, frames };
}
