/**
 * dask.array's gufunc class and as_gufunc decorator (Dask 2022.12).
 * - `ta.gufunc(fn, signature, options)` binds fn, its signature and applyGufunc's options into
 *   a callable: `g(arrays, callOptions?, fnOptions?)` is
 *   `ta.applyGufunc(fn, signature, arrays, options, fnOptions)`, where the call may add
 *   `allowRechunk: true` (Dask's `__call__(*args, allow_rechunk=False, **kwargs)`: either one
 *   allows it). The callable carries Dask's attributes: pyfunc, signature, vectorize, axes,
 *   axis, keepdims, outputSizes, outputDtypes, allowRechunk.
 * - `ta.asGufunc(signature, options)` returns `(fn) => ta.gufunc(fn, signature, options)`:
 *   Python's `@da.as_gufunc("(i)->()")` decorator; TypeScript has no decorators on plain
 *   functions, so it is written `const stats = ta.asGufunc("(i)->(),()")(function stats(x) {…})`.
 * Options are checked when the gufunc is made (unknown names, the signature's grammar), as
 * as_gufunc refuses unsupported keywords; the rest is checked by applyGufunc at each call.
 */
import { InvalidOptionError } from "../core/errors.js";
import type { LazyArray } from "./array.js";
import { type ApplyGufuncOptions, type GufuncResult, applyGufunc, applyGufuncOptionKeys } from "./gufunc.js";
import { parseGufuncSignature } from "./gufunc-signature.js";
import { refuseUnknownOptions } from "./option-checks.js";

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type UserFunction = Function;

export interface GufuncCallOptions {
  allowRechunk?: boolean;
}

export interface Gufunc<S extends string = string> extends Readonly<ApplyGufuncOptions> {
  (arrays: LazyArray | readonly LazyArray[], callOptions?: GufuncCallOptions, fnOptions?: Record<string, unknown>): GufuncResult<S>;
  readonly pyfunc: UserFunction;
  readonly signature: S;
}

function checkOptions(what: string, options: ApplyGufuncOptions): void {
  if (options !== null && typeof options === "object" && "meta" in options) {
    throw new InvalidOptionError(`${what}: meta is not taken (tessera's blocks are always NDArrays); give the output dtypes as outputDtypes`);
  }
  refuseUnknownOptions(what, options, applyGufuncOptionKeys);
}

export function gufunc<S extends string>(fn: UserFunction, signature: S, options: ApplyGufuncOptions = {}): Gufunc<S> {
  const what = "gufunc";
  if (typeof fn !== "function") throw new InvalidOptionError(`${what}: the first argument must be a function, got ${fn === null ? "null" : typeof fn}`);
  parseGufuncSignature(signature, what);
  checkOptions(what, options);
  const bound = { ...options };
  const call = (arrays: LazyArray | readonly LazyArray[], callOptions: GufuncCallOptions = {}, fnOptions?: Record<string, unknown>) => {
    refuseUnknownOptions(`${what}(${fn.name || "anonymous"})`, callOptions, ["allowRechunk"]);
    const allowRechunk = (bound.allowRechunk ?? false) || (callOptions.allowRechunk ?? false);
    return applyGufunc(fn, signature, arrays, { ...bound, ...(allowRechunk ? { allowRechunk } : {}) }, fnOptions);
  };
  Object.defineProperty(call, "name", { value: fn.name || "gufunc" });
  return Object.freeze(Object.assign(call, {
    pyfunc: fn, signature, vectorize: bound.vectorize ?? false, axes: bound.axes, axis: bound.axis, keepdims: bound.keepdims ?? false,
    outputSizes: bound.outputSizes, outputDtypes: bound.outputDtypes, allowRechunk: bound.allowRechunk ?? false,
  }));
}

export function asGufunc<S extends string>(signature: S, options: ApplyGufuncOptions = {}): (fn: UserFunction) => Gufunc<S> {
  const what = "asGufunc";
  parseGufuncSignature(signature, what);
  checkOptions(what, options);
  return (fn) => gufunc(fn, signature, options);
}
