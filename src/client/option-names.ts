/**
 * Refusing options a Client, Future, waiting or coordination call does not take. A misspelt
 * option (`retires`, `timout`, `error` for `errors`) would otherwise be ignored and the call
 * run with the default, a silent wrong answer. Each entry point lists the names it takes in a
 * table typed `OptionNames<ItsOptions>`, so the compiler keeps the table and the type equal:
 * a key added to the type and not to the table (or the reverse) does not compile.
 */
import { InvalidOptionError } from "../core/errors.js";
import { refuseUnknownKeys } from "../ndarray/option-keys.js";

/** Every option name of `T`, each listed once (a missing or extra name is a compile error). */
export type OptionNames<T> = Record<keyof T, true>;

/**
 * Raises, naming `what` and the key, when `options` holds a key `names` does not list (keys
 * whose value is undefined pass: `{ timeout: undefined }` is the default), or is not an
 * options object at all.
 */
export function checkOptionNames(options: unknown, names: Readonly<Record<string, true>>, what: string): void {
  if (options === undefined) return;
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new InvalidOptionError(`${what}: options must be an object, got ${Array.isArray(options) ? "an array" : String(options)}`);
  }
  refuseUnknownKeys(options, Object.keys(names), what);
}

/** The options of calls that take only a timeout (seconds or a duration string). */
export interface TimeoutOptions {
  timeout?: number | string;
}

export const timeoutOptionNames: OptionNames<TimeoutOptions> = { timeout: true };

/** The options of the coordination primitives' constructors (Variable, Queue's client, Lock, Event, Pub, Sub). */
export interface CoordinationHandleOptions {
  /** The client to use (default: the current client, or the task's client inside a task). */
  client?: unknown;
}

export const coordinationHandleOptionNames: OptionNames<CoordinationHandleOptions> = { client: true };
