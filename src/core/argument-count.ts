/**
 * Functions that refuse arguments beyond their own. JavaScript drops extra arguments unseen,
 * so a NumPy, Dask or scipy keyword written as an options object where a function takes none
 * (`ta.ravel(x, "F")`, `ndimage.gaussianFilter(x, { sigma: 1 }, { mode: "nearest" })`) ran with
 * the defaults without a word. An `undefined` past the end is taken as not given, as a default
 * parameter takes it. The layers above say how their values read in the message (an array's
 * name, an NDArray's shape) and whose keywords the user may have meant.
 */
import { InvalidOptionError } from "./errors.js";

export interface ArgumentCountWording {
  /** How one extra argument reads in the refusal. */
  describe?: (value: unknown) => string;
  /** Whose keyword options a user may have written as an extra argument ("NumPy's and Dask's"). */
  keywordsOf: string;
}

/** The arguments past `count` that were given (a trailing undefined is not). */
export function extraArguments(args: readonly unknown[], count: number): unknown[] {
  let end = args.length;
  while (end > count && args[end - 1] === undefined) end--;
  return args.slice(count, end);
}

/** A value as a refusal names it: an object by its keys, an instance by its class, a function as such. */
export function describeArgument(value: unknown): string {
  if (typeof value === "function") return "a function";
  if (typeof value !== "object" || value === null || Array.isArray(value)) return JSON.stringify(value) ?? String(value);
  const prototype = Object.getPrototypeOf(value) as object | null;
  if (prototype === null || prototype === Object.prototype) return `an object with ${JSON.stringify(Object.keys(value))}`;
  const name = (prototype.constructor as { name?: string } | undefined)?.name || "value";
  return `${/^[AEIOU]/i.test(name) ? "an" : "a"} ${name}`;
}

/** The refusal of `extra` arguments past `params`, naming each. */
function argumentCountError(label: string, params: readonly string[], extra: readonly unknown[], describe: (value: unknown) => string, keywordsOf: string): InvalidOptionError {
  return new InvalidOptionError(
    `${label}(${params.join(", ")}) takes ${params.length === 0 ? "no arguments" : `at most ${params.length} argument${params.length === 1 ? "" : "s"}`}; ` +
    `got also ${extra.map(describe).join(", ")}, which it would ignore (${keywordsOf} keyword options it does not have are refused)`,
  );
}

/**
 * The slow half of a check a function makes itself: it calls this only when it got more
 * arguments than `params` (`if (arguments.length > 1) refuseExtraArguments(...)`, one
 * comparison on the usual call, where a wrapper would add a call), and this throws unless the
 * extra ones are all trailing undefineds.
 */
export function refuseExtraArguments(label: string, params: readonly string[], args: ArrayLike<unknown>, wording: ArgumentCountWording): void {
  const extra = extraArguments(Array.from(args), params.length);
  if (extra.length > 0) throw argumentCountError(label, params, extra, wording.describe ?? describeArgument, wording.keywordsOf);
}

/**
 * `fn`, refusing a call with more arguments than `params` names; `label` is how the user calls
 * it ("ta.ravel", "ndimage.zoom"). An async `fn` rejects, as its other refusals do. The result
 * is a new function: properties that tag `fn` are not carried over (a built-in checks inside
 * its tagged function instead, so that the one function a name resolves to is the checked one).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function withArgumentCount<F extends (...args: any[]) => any>(label: string, params: readonly string[], fn: F, wording: ArgumentCountWording): F {
  const describe = wording.describe ?? describeArgument;
  const refuse = fn.constructor.name === "AsyncFunction" ? (error: Error) => Promise.reject(error) : (error: Error) => { throw error; };
  const checked = function (this: unknown, ...args: unknown[]): unknown {
    // The usual call, within the count, costs one comparison: the eager nd functions run per block.
    if (args.length <= params.length) return fn.apply(this, args) as unknown;
    const extra = extraArguments(args, params.length);
    if (extra.length > 0) return refuse(argumentCountError(label, params, extra, describe, wording.keywordsOf));
    return fn.apply(this, args) as unknown;
  };
  Object.defineProperty(checked, "name", { value: fn.name });
  Object.defineProperty(checked, "length", { value: fn.length });
  return checked as F;
}

/**
 * Wraps each method of `prototype` named in `parameters` (its parameters, as its signature
 * names them) with the count check; `owner` is how a user names the receiver ("x", "client").
 * Methods taking any number of arguments are left out of the table.
 */
export function checkMethodArguments(prototype: object, owner: string, parameters: Readonly<Record<string, readonly string[]>>, wording: ArgumentCountWording): void {
  const methods = prototype as Record<string, (...args: unknown[]) => unknown>;
  for (const [name, params] of Object.entries(parameters)) {
    if (typeof methods[name] !== "function") throw new Error(`checkMethodArguments: ${owner} has no method ${name}`);
    Object.defineProperty(prototype, name, { value: withArgumentCount(`${owner}.${name}`, params, methods[name], wording), writable: true, configurable: true, enumerable: false });
  }
}
