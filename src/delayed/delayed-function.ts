/**
 * `delayed(fn, options)` and `delayed(value, options)` (Dask's dask.delayed).
 *
 * A function becomes a DelayedFunction: calling it makes a task instead of running it. The
 * function travels to workers exactly as client.submit's and mapBlocks' do (a built-in, a
 * registered module export, or self-contained source: graph/function-travel.ts), and one that
 * cannot travel (a closure over local variables) is refused here, when it is wrapped.
 *
 * Keys, as Dask makes them: impure calls (the default, pure: false) get a fresh random key
 * each; pure calls `<fn name>-<token of the function and the arguments>`, so equal calls
 * share one task. `name` names the function, not its calls (Dask's `delayed(f, name=)`: the
 * token of pure calls is made from it); a call's own key is given with
 * `callWith({ name })` (Dask's `dask_key_name=`). `nout` declares the number of outputs, so
 * the result unpacks: `const [a, b] = delayed(f, { nout: 2 })(x)` (or `.unpack()`).
 *
 * A value becomes a Delayed whose task returns it; Delayed inside it (arrays and plain
 * objects, at any depth, unless `traverse: false`) become dependencies, as in Dask.
 * A Delayed or a delayed function handed to delayed comes back as it is (Dask's identity);
 * options Dask would then drop are refused (a Delayed's name, nout) or applied to the
 * function anew (a delayed function's).
 */
import { builtinNameOf, type AnyFunction } from "../core/builtin.js";
import { InvalidOptionError } from "../core/errors.js";
import { randomHex, tokenize } from "../core/ids.js";
import { functionRefOf } from "../graph/function-travel.js";
import { makeTask } from "../graph/task-graph.js";
import { refuseUnknownKeys } from "../ndarray/option-keys.js";
import type { FunctionRef } from "../protocol/function-ref.js";
import { payloadToken } from "../protocol/payload-token.js";
import { TaskRef, checkSendable } from "../protocol/payload.js";
import { Delayed, asDelayedValue, unpackArguments } from "./delayed.js";

export interface DelayedOptions {
  /** Same function and arguments ⇒ same key ⇒ computed once (default false: every call its own task, as Dask). */
  pure?: boolean;
  /** A value's key; a function's name, from which its pure calls' tokens are made (Dask's `name=`). */
  name?: string;
  /** The number of outputs each call returns (an array of that length): the result then unpacks into that many Delayed. */
  nout?: number;
  /** Look for Delayed inside arrays and plain objects among the arguments (default true); false: at the top level only. */
  traverse?: boolean;
}

/** Options of one call (Dask's per-call `pure=`, `dask_key_name=`). */
export interface DelayedCallOptions {
  pure?: boolean;
  /** This call's key (Dask's `dask_key_name=`): two calls given one name are one task. */
  name?: string;
  nout?: number;
}

export interface DelayedFunction {
  (...args: unknown[]): Delayed;
  /** The same function with options for the calls made through the result. */
  callWith(options: DelayedCallOptions): (...args: unknown[]) => Delayed;
  /** The wrapped function's key prefix. */
  readonly functionName: string;
}

const optionKeys = ["pure", "name", "nout", "traverse"];

function checkOptions(options: DelayedOptions | DelayedCallOptions, allowed: readonly string[], what: string): void {
  if (options === null || typeof options !== "object" || Array.isArray(options)) throw new InvalidOptionError(`${what}: options must be an object, got ${JSON.stringify(options)}`);
  refuseUnknownKeys(options, allowed, what);
  const { pure, name, nout } = options;
  if (pure !== undefined && typeof pure !== "boolean") throw new InvalidOptionError(`${what}: pure must be true or false, got ${JSON.stringify(pure)}`);
  if (name !== undefined && (typeof name !== "string" || name.length === 0)) throw new InvalidOptionError(`${what}: name must be a non-empty string, got ${JSON.stringify(name)}`);
  if (nout !== undefined && (!Number.isSafeInteger(nout) || nout < 0)) throw new InvalidOptionError(`${what}: nout must be a non-negative integer, got ${JSON.stringify(nout)}`);
  const traverse = (options as DelayedOptions).traverse;
  if (traverse !== undefined && typeof traverse !== "boolean") throw new InvalidOptionError(`${what}: traverse must be true or false, got ${JSON.stringify(traverse)}`);
}

/** Dask's funcname: the function's name (a built-in's last part), "lambda" for an anonymous one; safe in a key. */
function functionNameOf(fn: AnyFunction): string {
  const builtin = builtinNameOf(fn);
  const name = builtin ? builtin.slice(builtin.lastIndexOf(".") + 1) : fn.name;
  return (name || "lambda").replace(/[^A-Za-z0-9_]/g, "_");
}

export function delayed(fn: AnyFunction, options?: DelayedOptions): DelayedFunction;
export function delayed(value: unknown, options?: DelayedOptions): Delayed;
export function delayed(target: unknown, options: DelayedOptions = {}): DelayedFunction | Delayed {
  checkOptions(options, optionKeys, "delayed");
  if (target instanceof Delayed) {
    // As Dask, wrapping a Delayed gives it back; Dask then drops a name or nout silently, and the key or the unpacking is not what was asked.
    const ignored = (["name", "nout"] as const).filter((key) => options[key] !== undefined);
    if (ignored.length > 0) throw new InvalidOptionError(`delayed: ${target.key} is already a Delayed, whose ${ignored.join(" and ")} cannot change; give ${ignored.join(" and ")} where it is made (delayed(fn, { nout }), callWith({ name }))`);
    return target;
  }
  const made = wrapped.get(target as DelayedFunction);
  // A function already wrapped: given back as Dask gives it, or with these options over its own (Dask would drop them).
  if (made) return Object.keys(options).length === 0 ? (target as DelayedFunction) : delayedFunction(made.fn, { ...made.options, ...options });
  // A lazy array stands for its whole value (Dask gives the collection back; a Delayed here keeps the types apart).
  if (target !== null && typeof target === "object" && asDelayedValue in target) return delayedValue(target, options);
  if (typeof target === "function") return delayedFunction(target as AnyFunction, options);
  return delayedValue(target, options);
}

function delayedValue(value: unknown, options: DelayedOptions): Delayed {
  if (options.nout !== undefined) throw new InvalidOptionError("delayed: nout is for functions (the number of outputs of each call); a value's parts are reached with get(i)");
  const { args, dependencies } = unpackArguments([value], options.traverse ?? true, "delayed value");
  // A value that stands for a Delayed (a lazy array) is that Delayed, not a task copying it.
  if (args[0] instanceof TaskRef && dependencies.length === 1 && options.name === undefined) return dependencies[0];
  const prefix = value === null ? "null" : Array.isArray(value) ? "list" : typeof value === "object" ? (Object.getPrototypeOf(value)?.constructor?.name ?? "object").toLowerCase() : typeof value;
  if (!options.pure) checkSendable(args, "the delayed value");
  const key = options.name ?? `${prefix}-${options.pure ? payloadToken(args, "the delayed value") : randomHex()}`;
  return new Delayed(key, makeTask(key, { builtin: "graph.identity" }, args), dependencies);
}

/** Each DelayedFunction's function and options, so that wrapping it again is not wrapping the wrapper (which cannot travel). */
const wrapped = new WeakMap<DelayedFunction, { fn: AnyFunction; options: DelayedOptions }>();

function delayedFunction(fn: AnyFunction, options: DelayedOptions): DelayedFunction {
  // Refused now if it cannot travel (a closure), with function-travel's message.
  const ref: FunctionRef = functionRefOf(fn);
  const functionName = functionNameOf(fn);
  const functionToken = options.name ?? tokenize(ref);
  const traverse = options.traverse ?? true;
  const callWith = (callOptions: DelayedCallOptions) => {
    checkOptions(callOptions, ["pure", "name", "nout"], "delayed callWith");
    const pure = callOptions.pure ?? options.pure ?? false;
    const nout = callOptions.nout ?? options.nout;
    return (...callArgs: unknown[]): Delayed => {
      const { args, dependencies } = unpackArguments(callArgs, traverse, `the arguments of ${functionName}`);
      const what = `the arguments of ${functionName}`;
      // Packing (for the token, or just checking) refuses what cannot travel now, not at compute.
      if (!pure) checkSendable(args, what);
      const token = pure ? tokenize(functionToken, payloadToken(args, what)) : randomHex();
      const key = callOptions.name ?? `${functionName}-${token}`;
      return new Delayed(key, makeTask(key, ref, args), dependencies, nout);
    };
  };
  const call = callWith({}) as DelayedFunction;
  Object.defineProperty(call, "callWith", { value: callWith });
  Object.defineProperty(call, "functionName", { value: functionName });
  wrapped.set(call, { fn, options });
  return call;
}
