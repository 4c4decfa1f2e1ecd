/**
 * Running one task once its dependencies are available: resolve the function, call it with
 * the arguments, await the result if it is a promise. A fused task (many blockwise steps
 * merged into one by the lazy layer) runs its steps in order inside the same call, each
 * step's result feeding later steps through StepRef markers, so intermediate blocks never
 * leave the thread.
 */
import type { FunctionRef } from "../protocol/function-ref.js";
import { NDArray } from "../ndarray/ndarray.js";
import { resolveFunction } from "./function-resolver.js";

export const fusedBuiltin = "graph.fused";

export interface FusedStep {
  fn: FunctionRef;
  args: unknown[];
}

/** Inside a fused task: the result of an earlier step. Packs as `{ $step: i }`. */
export function stepRef(index: number): { $step: number } {
  return { $step: index };
}

function substituteSteps(value: unknown, results: unknown[]): unknown {
  if (Array.isArray(value)) return value.map((item) => substituteSteps(item, results));
  if (value && typeof value === "object" && !(value instanceof NDArray) && !ArrayBuffer.isView(value)) {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    if (keys.length === 1 && keys[0] === "$step") return results[record.$step as number];
    const out: Record<string, unknown> = {};
    for (const key of keys) out[key] = substituteSteps(record[key], results);
    return out;
  }
  return value;
}

export async function runTask(fn: FunctionRef, args: unknown[]): Promise<unknown> {
  if ("builtin" in fn && fn.builtin === fusedBuiltin) {
    const { steps } = args[0] as { steps: FusedStep[] };
    const results: unknown[] = [];
    for (const step of steps) {
      const callable = await resolveFunction(step.fn);
      results.push(await callable(...(substituteSteps(step.args, results) as unknown[])));
    }
    return results[results.length - 1];
  }
  const callable = await resolveFunction(fn);
  return await callable(...args);
}
