/** Refusing option names a function does not take (the eager unique, bincount and their lazy twins). */
import { InvalidOptionError } from "../core/errors.js";

export function refuseUnknownKeys(options: object, allowed: readonly string[], what: string): void {
  for (const key of Object.keys(options)) {
    if ((options as Record<string, unknown>)[key] === undefined) continue;
    if (!allowed.includes(key)) throw new InvalidOptionError(`${what}: unknown option "${key}"; ${what} takes ${allowed.join(", ")}`);
  }
}
