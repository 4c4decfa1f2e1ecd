/**
 * The catalog of built-in functions a worker can run by name: every function tagged with
 * defineBuiltin in the modules listed here. A name that is not in the catalog is an error
 * naming it (the peers run different tessera versions, or the name is misspelt).
 */
import { type AnyFunction, builtinNameOf } from "../core/builtin.js";
import * as graphOps from "./graph-ops.js";

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

/**
 * Names a self-contained function may use without capturing them: `nd` (tessera/ndarray)
 * and `ndimage` (tessera/ndimage), bound on workers to the same modules.
 */
export const sourceScopeNames = ["nd", "ndimage"] as const;
type SourceScope = Record<(typeof sourceScopeNames)[number], unknown>;
let sourceScope: SourceScope | null = null;

let loading: Promise<void> | null = null;

/**
 * Loads the modules whose tagged functions form the catalog (block operations, filters,
 * Zarr I/O). Imported lazily so that processes that never run a task do not load them.
 */
export function loadBuiltinModules(): Promise<void> {
  loading ??= (async () => {
    const modules = await Promise.all([
      import("../ndarray/index.js"),
      import("../ndarray/region-assembly.js"),
      import("../ndarray/tree-reduction.js"),
      import("../ndimage/index.js"),
      import("../zarr/index.js"),
      import("../ndarray/percentile.js"),
      import("../ndarray/histogram.js"),
      import("../ndarray/histogramdd.js"),
      import("../ndarray/topk-partials.js"),
      import("../ndarray/average.js"),
      import("../ndarray/masked-kernels.js"),
      import("../ndarray/masked-partials.js"),
      import("../ndarray/unravel-index.js"),
      import("../ndarray/searchsorted.js"),
      import("../ndarray/gradient.js"),
      import("../ndarray/contraction-partials.js"),
      import("../ndarray/tsqr-partials.js"),
      import("../ndarray/block-linalg-partials.js"),
      import("../ndimage/measure-partials.js"),
      import("../ndimage/comprehension-partials.js"),
      import("../ndimage/fill-holes-block.js"),
      import("../ndimage/edt-blocks.js"),
      import("../ndimage/weights-blocks.js"),
      import("../ndimage/rotate.js"),
      import("../ndarray/unknown-size-blocks.js"),
      import("../ndarray/nested-concatenate.js"),
      import("../ndarray/npy-files.js"),
      import("../ndarray/fft.js"),
      import("./delayed-ops.js"),
    ]);
    for (const namespace of modules as unknown as Array<Record<string, unknown>>) {
      namespaces.push(namespace);
      if (catalog) collectBuiltins(namespace, catalog, 1);
    }
    sourceScope = { nd: modules[0], ndimage: modules[3] };
  })();
  return loading;
}

/** The modules behind sourceScopeNames, once loadBuiltinModules() has finished. */
export function loadedSourceScope(): SourceScope | null {
  return sourceScope;
}

export function builtinCatalog(): Map<string, AnyFunction> {
  if (!catalog) {
    catalog = new Map();
    for (const namespace of namespaces) collectBuiltins(namespace, catalog, 1);
  }
  return catalog;
}
