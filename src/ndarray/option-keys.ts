/** Refusing option names a function does not take (the eager unique, bincount and their lazy twins). */
import { InvalidOptionError } from "../core/errors.js";

export function refuseUnknownKeys(options: object, allowed: readonly string[], what: string): void {
  for (const key of Object.keys(options)) {
    if ((options as Record<string, unknown>)[key] === undefined) continue;
    if (!allowed.includes(key)) throw new InvalidOptionError(`${what}: unknown option "${key}"; ${what} takes ${allowed.join(", ")}`);
  }
}

/**
 * As refuseUnknownKeys, for an options argument that must be an object: a number or string in
 * its place (nd.take(x, [0], 1) for axis 1, as NumPy's positional axis) would read as no options.
 */
export function refuseUnknownObjectKeys(options: unknown, allowed: readonly string[], what: string): void {
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    const shown = typeof options === "string" ? JSON.stringify(options) : Array.isArray(options) ? `[${options.join(", ")}]` : String(options);
    throw new InvalidOptionError(`${what} takes an options object { ${allowed.join(", ")} }, got ${shown}`);
  }
  refuseUnknownKeys(options, allowed, what);
}
