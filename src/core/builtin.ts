/**
 * Built-in functions travel between processes by a stable name instead of by code.
 * A module that offers a task function tags it with `defineBuiltin("ndimage.gaussianFilter", fn)`;
 * the graph layer sends the name, and a worker looks the name up in its catalog
 * (`graph/builtin-catalog.ts`). Renaming a builtin breaks running clusters: names are API.
 */
const builtinName = Symbol.for("tessera.builtin-name");

/** Any callable, as task functions are: their signatures are checked where they are called. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export type AnyFunction = Function;

export function defineBuiltin<F extends AnyFunction>(name: string, fn: F): F {
  Object.defineProperty(fn, builtinName, { value: name, enumerable: false });
  return fn;
}

export function builtinNameOf(fn: unknown): string | undefined {
  if (typeof fn !== "function") return undefined;
  return (fn as unknown as Record<symbol, string | undefined>)[builtinName];
}
