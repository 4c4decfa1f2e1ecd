/**
 * Option reading shared by the matrix-shape functions (eye, tril/triu, diag, diagonal, trace,
 * rot90): an options object whose unknown keys are refused by name, and integer arguments
 * (NumPy takes no fractional offsets, and a silently truncated one would give another diagonal).
 */
import { InvalidOptionError } from "../core/errors.js";

export function readOptions<T extends object>(what: string, options: T | undefined, allowed: readonly string[]): T {
  if (options === undefined) return {} as T;
  if (options === null || typeof options !== "object" || Array.isArray(options)) throw new InvalidOptionError(`${what}: options must be an object, got ${JSON.stringify(options)}`);
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) throw new InvalidOptionError(`${what}: unknown option "${key}"; ${what} takes ${allowed.join(", ")}`);
  }
  return options;
}

/** `value` if an integer (the default when undefined), else a refusal naming `name`. */
export function integerOption(what: string, name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isSafeInteger(value)) throw new InvalidOptionError(`${what}: ${name} must be an integer, got ${JSON.stringify(value)}`);
  return value;
}
