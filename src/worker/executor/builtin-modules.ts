/**
 * The modules whose built-in functions a worker can run by name, loaded once per thread.
 * Listed here (not in the graph layer) so the catalog stays free of heavy imports until a
 * worker actually needs them.
 */
import { registerBuiltinModule } from "../../graph/builtin-catalog.js";

let loaded: Promise<void> | null = null;

export function loadBuiltinModules(): Promise<void> {
  loaded ??= (async () => {
    const modules = await Promise.all([
      import("../../ndarray/index.js"),
    ]);
    for (const namespace of modules) registerBuiltinModule(namespace as unknown as Record<string, unknown>);
  })();
  return loaded;
}
