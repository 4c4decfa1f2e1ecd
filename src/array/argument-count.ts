/**
 * Functions and methods that refuse arguments beyond their own. JavaScript drops extra
 * arguments unseen, so a NumPy or Dask keyword written as an options object where a function
 * takes none (`ta.ravel(x, "F")`, `x.add(y, { dtype: "float32" })`,
 * `x.rechunk(chunks, { balance: true })`) ran with the defaults without a word. An `undefined`
 * past the end is taken as not given, as a default parameter takes it.
 */
import { InvalidOptionError } from "../core/errors.js";
import { LazyArray } from "./array.js";

/** The arguments past `count` that were given (a trailing undefined is not). */
function extraArguments(args: readonly unknown[], count: number): unknown[] {
  let end = args.length;
  while (end > count && args[end - 1] === undefined) end--;
  return args.slice(count, end);
}

function shown(value: unknown): string {
  if (value instanceof LazyArray) return `an array (${value.name})`;
  if (typeof value === "object" && value !== null && !Array.isArray(value)) return `an object with ${JSON.stringify(Object.keys(value))}`;
  return typeof value === "function" ? "a function" : JSON.stringify(value) ?? String(value);
}

/**
 * `fn`, refusing a call with more arguments than `params` names; `label` is how the user
 * calls it ("ta.ravel", "x.add"). An async `fn` rejects, as its other refusals do.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function withArgumentCount<F extends (...args: any[]) => any>(label: string, params: readonly string[], fn: F): F {
  const refuse = fn.constructor.name === "AsyncFunction" ? (error: Error) => Promise.reject(error) : (error: Error) => { throw error; };
  const checked = function (this: unknown, ...args: unknown[]): unknown {
    const extra = extraArguments(args, params.length);
    if (extra.length > 0) {
      return refuse(new InvalidOptionError(
        `${label}(${params.join(", ")}) takes ${params.length === 0 ? "no arguments" : `at most ${params.length} argument${params.length === 1 ? "" : "s"}`}; ` +
        `got also ${extra.map(shown).join(", ")}, which it would ignore (NumPy's and Dask's keyword options it does not have are refused)`,
      ));
    }
    return fn.apply(this, args) as unknown;
  };
  Object.defineProperty(checked, "name", { value: fn.name });
  return checked as F;
}
