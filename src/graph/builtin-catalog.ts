/**
 * The catalog of built-in functions a worker can run by name: every function tagged with
 * defineBuiltin in the modules listed here. A name that is not in the catalog is an error
 * naming it (the peers run different tessera versions, or the name is misspelt).
 */
import { builtinNameOf } from "../core/builtin.js";
import * as graphOps from "./graph-ops.js";

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type AnyFunction = Function;

const namespaces: Array<Record<string, unknown>> = [graphOps];

let catalog: Map<string, AnyFunction> | null = null;

function collectBuiltins(value: unknown, into: Map<string, AnyFunction>, depth: number): void {
  if (typeof value === "function") {
    const name = builtinNameOf(value);
    if (name) into.set(name, value);
    return;
  }
  if (depth > 0 && value && typeof value === "object") {
    for (const item of Object.values(value)) collectBuiltins(item, into, depth - 1);
  }
}

/** Adds the tagged functions of a module namespace (the lazy layers register theirs). */
export function registerBuiltinModule(namespace: Record<string, unknown>): void {
  namespaces.push(namespace);
  if (catalog) collectBuiltins(namespace, catalog, 1);
}

export function builtinCatalog(): Map<string, AnyFunction> {
  if (!catalog) {
    catalog = new Map();
    for (const namespace of namespaces) collectBuiltins(namespace, catalog, 1);
  }
  return catalog;
}
