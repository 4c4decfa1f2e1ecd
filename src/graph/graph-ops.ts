/** Small built-ins the graph layer itself emits (aliases and picking parts of results). */
import { defineBuiltin } from "../core/builtin.js";

export const identity = defineBuiltin("graph.identity", (value: unknown) => value);

/** `pick(value, path)`: value[path[0]][path[1]]… (for tasks that return several results). */
export const pick = defineBuiltin("graph.pick", (value: unknown, path: Array<string | number>) => {
  let current = value as Record<string | number, unknown>;
  for (const step of path) current = current[step] as Record<string | number, unknown>;
  return current;
});

/** A list of the arguments (gathers several dependencies into one result). */
export const collect = defineBuiltin("graph.collect", (...values: unknown[]) => values);

/** A no-op task: returns nothing (benchmarks and tests of pure scheduling overhead). */
export const noop = defineBuiltin("graph.noop", () => null);
