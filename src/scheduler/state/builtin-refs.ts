/**
 * One reference object per built-in function for all tasks: a million fused tasks share one
 * `{ builtin }` object instead of holding a copy each.
 */
import type { FunctionRef } from "../../protocol/function-ref.js";

const builtinRefs = new Map<string, FunctionRef>();

export function sharedBuiltin(fn: FunctionRef): FunctionRef {
  if (!("builtin" in fn) || Object.keys(fn).length !== 1) return fn;
  let shared = builtinRefs.get(fn.builtin);
  if (!shared) {
    if (builtinRefs.size >= 10_000) return fn; // names are the client's to choose: bounded
    shared = { builtin: fn.builtin };
    builtinRefs.set(fn.builtin, shared);
  }
  return shared;
}
