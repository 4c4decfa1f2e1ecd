/**
 * The dependencies of a task's call: the TaskRefs anywhere in its arguments (lists and plain
 * objects searched), as lower.ts finds them for every block of every array.
 */
import { TaskRef } from "../protocol/payload.js";
import type { FunctionRef } from "../protocol/function-ref.js";
import type { TaskSpec } from "../graph/task-graph.js";

/** A task from a call whose arguments may hold TaskRefs (its dependencies). */
export function callTask(key: string, call: { fn: FunctionRef; args: unknown[] }): TaskSpec {
  return { key, fn: call.fn, args: call.args, deps: refsIn(call.args, []) };
}

/**
 * The keys of the TaskRefs in a value, each once (lists of references are short). Plain
 * objects in `refFree` are known to hold none (see holdsRef).
 */
export function refsIn(value: unknown, into: string[], refFree?: WeakSet<object>): string[] {
  if (value instanceof TaskRef) {
    if (!into.includes(value.key)) into.push(value.key);
  } else if (Array.isArray(value)) {
    for (const item of value) refsIn(item, into, refFree);
  } else if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    if (refFree && !holdsRef(value, refFree)) return into;
    for (const key in value) refsIn((value as Record<string, unknown>)[key], into, refFree);
  }
  return into;
}

/** Whether a value holds a TaskRef; plain objects found to hold none join `refFree`. */
function holdsRef(value: unknown, refFree: WeakSet<object>): boolean {
  if (value instanceof TaskRef) return true;
  if (Array.isArray(value)) {
    for (const item of value) if (holdsRef(item, refFree)) return true;
    return false;
  }
  if (!value || typeof value !== "object" || Object.getPrototypeOf(value) !== Object.prototype) return false;
  if (refFree.has(value)) return false;
  for (const key in value) if (holdsRef((value as Record<string, unknown>)[key], refFree)) return true;
  refFree.add(value);
  return false;
}
