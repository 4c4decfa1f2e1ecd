/**
 * The catalog of built-in functions a worker can run by name: every function tagged with
 * defineBuiltin in the modules listed here. A name that is not in the catalog is an error
 * naming it (the peers run different tessera versions, or the name is misspelt).
 *
 * A worker loads a built-in's module the first time a task calls its name (builtin-modules.ts
 * says which module defines which name), not every module at start: each module a compute
 * thread loads stays in its heap, and most workloads use a few of them (a DoG worker: the
 * Zarr read and write, the Gaussian, the subtraction). The full list below is what a name the
 * table lacks falls back to, and the reference the tests check the table against.
 */
import { type AnyFunction, builtinNameOf } from "../core/builtin.js";
import { type BuiltinModuleLoader, builtinModuleOf } from "./builtin-modules.js";

/** The built-ins this process has loaded so far, by name: each module's, once a task called one of them. */
const loaded = new Map<string, AnyFunction>();

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
let sourceScopeLoading: Promise<SourceScope> | null = null;

/** Loads the modules behind sourceScopeNames: on the first function sent by source, not at start. */
export function loadSourceScope(): Promise<SourceScope> {
  sourceScopeLoading ??= Promise.all([import("../ndarray/index.js"), import("../ndimage/index.js")]).then(
    ([nd, ndimage]) => (sourceScope = { nd, ndimage }),
  );
  return sourceScopeLoading;
}

/** The modules behind sourceScopeNames, once loadSourceScope() has finished. */
export function loadedSourceScope(): SourceScope | null {
  return sourceScope;
}

let everything: Promise<Map<string, AnyFunction>> | null = null;

/**
 * Every built-in, from every module that defines some (block operations, filters, Zarr I/O):
 * what a worker loaded at start before it loaded them by name. A new built-in module is
 * listed here and in builtin-modules.ts.
 */
export function loadAllBuiltins(): Promise<ReadonlyMap<string, AnyFunction>> {
  everything ??= (async () => {
    const modules = await Promise.all([
      import("./graph-ops.js"),
      import("../ndarray/index.js"),
      // astypeStrict, which the index does not export (its nd.astype is NumPy's astype).
      import("../ndarray/copy.js"),
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
      import("../ndarray/vindex-blocks.js"),
      import("../ndarray/masked-moment-partials.js"),
      import("../ndarray/unravel-index.js"),
      import("../ndarray/searchsorted.js"),
      import("../ndarray/gradient.js"),
      import("../ndarray/contraction-partials.js"),
      import("../ndarray/tsqr-partials.js"),
      import("../ndarray/block-linalg-partials.js"),
      import("../ndarray/complex-real-embedding.js"),
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
      import("../hdf5/read-region.js"),
      import("../hdf5/staged-blocks.js"),
      import("./delayed-ops.js"),
    ]);
    const all = new Map<string, AnyFunction>();
    for (const namespace of modules) collectBuiltins(namespace, all, 1);
    return all;
  })();
  return everything;
}

/** The built-in of that name if its module is loaded already (the path every task after the first takes). */
export function loadedBuiltin(name: string): AnyFunction | undefined {
  return loaded.get(name);
}

/**
 * The built-in of that name, its module loaded first if no task has called into it yet;
 * undefined for a name no module defines. A name missing from builtin-modules.ts (a module
 * added without its line there: its test says so) is still found, by loading every module.
 * `moduleOf` is the table (a test passes another).
 */
export async function loadBuiltin(name: string, moduleOf: ReadonlyMap<string, BuiltinModuleLoader> = builtinModuleOf): Promise<AnyFunction | undefined> {
  const load = moduleOf.get(name);
  if (load) collectBuiltins(await load(), loaded, 1);
  if (!loaded.has(name)) {
    const fn = (await loadAllBuiltins()).get(name);
    if (fn) loaded.set(name, fn);
  }
  return loaded.get(name);
}

/** Loads the modules of these built-ins (a thread's warm-up: the first task that calls them finds them loaded). */
export async function loadBuiltins(names: readonly string[]): Promise<void> {
  await Promise.all(names.map((name) => loadBuiltin(name)));
}
