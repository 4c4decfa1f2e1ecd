/**
 * Turning a FunctionRef back into a callable on a worker: built-ins from the catalog (a
 * module loaded when a task first calls one of its names), module exports by importing the
 * module (cached), self-contained functions by evaluating their source once (cached by text;
 * `nd` and `ndimage` loaded for the first). Only authenticated peers can send a FunctionRef.
 */
import { TesseraError } from "../core/errors.js";
import type { FunctionRef } from "../protocol/function-ref.js";
import { loadBuiltin, loadSourceScope, loadedBuiltin, loadedSourceScope, sourceScopeNames } from "./builtin-catalog.js";

export class FunctionResolutionError extends TesseraError {
  override name = "FunctionResolutionError";
}

export type TaskFunction = (...args: unknown[]) => unknown;

const fromSource = new Map<string, TaskFunction>();
const fromModule = new Map<string, Promise<TaskFunction>>();
/** Modules uploaded to this machine (client.uploadFile): the client's URL → the local copy. */
const moduleLocations = new Map<string, string>();

/**
 * Imports of `from` load `to` instead: a module a client uploaded (it has no shared
 * filesystem with this machine) is found under the client's own URL.
 */
export function redirectModule(from: string, to: string): void {
  moduleLocations.set(from, to);
  for (const key of [...fromModule.keys()]) if (key.startsWith(`${from}#`)) fromModule.delete(key);
}

/** Where a module URL is loaded from here (its uploaded copy, when there is one). */
export function resolveModuleUrl(url: string): string {
  return moduleLocations.get(url) ?? url;
}
// esbuild's keepNames (used by tsx) wraps named functions in __name(fn, "name").
const keepNamesShim = (fn: unknown) => fn;

export function resolveFunction(ref: FunctionRef): TaskFunction | Promise<TaskFunction> {
  if ("builtin" in ref) {
    const fn = loadedBuiltin(ref.builtin);
    if (fn) return fn as TaskFunction;
    return loadBuiltin(ref.builtin).then((loaded) => {
      if (!loaded) {
        throw new FunctionResolutionError(
          `built-in function "${ref.builtin}" is unknown on this worker; do all processes run the same tessera version?`,
        );
      }
      return loaded as TaskFunction;
    });
  }
  if ("module" in ref) {
    const cacheKey = `${ref.module}#${ref.export}`;
    let entry = fromModule.get(cacheKey);
    if (!entry) {
      entry = import(resolveModuleUrl(ref.module)).then(
        (namespace: Record<string, unknown>) => {
          const fn = namespace[ref.export];
          if (typeof fn !== "function") {
            throw new FunctionResolutionError(`module ${ref.module} has no exported function "${ref.export}"`);
          }
          return fn as TaskFunction;
        },
        (error: Error) => {
          throw new FunctionResolutionError(
            `cannot import ${ref.module} on this worker (is it on a filesystem the workers share?): ${error.message}`,
            { cause: error },
          );
        },
      );
      fromModule.set(cacheKey, entry);
    }
    return entry;
  }
  const cached = fromSource.get(ref.source);
  if (cached) return cached;
  const scope = loadedSourceScope();
  if (!scope) return loadSourceScope().then(() => resolveFunction(ref));
  let fn: TaskFunction;
  try {
    fn = new Function("__name", ...sourceScopeNames, `"use strict"; return (${ref.source});`)(keepNamesShim, ...sourceScopeNames.map((name) => scope[name])) as TaskFunction;
  } catch (error) {
    throw new FunctionResolutionError(`cannot evaluate the source of function ${ref.name}: ${(error as Error).message}`, { cause: error });
  }
  fromSource.set(ref.source, fn);
  return fn;
}
