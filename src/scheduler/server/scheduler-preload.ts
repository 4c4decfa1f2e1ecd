/**
 * `tessera scheduler --preload module.js` (Dask's scheduler preload, dask_setup(scheduler)):
 * each module is imported at start and its `tesseraSetup(scheduler)` run, where it may add
 * scheduler plugins (`scheduler.addPlugin({ addWorker(worker) { … } })`). Its
 * `tesseraTeardown(scheduler)` runs at close. A module that cannot be imported, exports
 * neither hook, or whose setup throws fails the start, naming the module.
 */
import { moduleSpecifier } from "../../graph/plugin-travel.js";
import type { SchedulerPluginContext } from "./plugin-registry.js";

type Hook = (scheduler: SchedulerPluginContext) => unknown;

/** Runs the preloads' setups in order; returns their teardowns (to run at close). */
export async function runSchedulerPreloads(modules: readonly string[], scheduler: SchedulerPluginContext): Promise<Array<() => Promise<void>>> {
  const teardowns: Array<() => Promise<void>> = [];
  for (const name of modules) {
    let module: Record<string, unknown>;
    try {
      module = await import(moduleSpecifier(name)) as Record<string, unknown>;
    } catch (error) {
      throw new Error(`cannot import preload module ${name}: ${(error as Error).message}`, { cause: error });
    }
    const setup = module.tesseraSetup as Hook | undefined;
    const teardown = module.tesseraTeardown as Hook | undefined;
    if (typeof setup !== "function" && typeof teardown !== "function") {
      throw new Error(`preload module ${name} exports neither tesseraSetup(scheduler) nor tesseraTeardown(scheduler)`);
    }
    try {
      await setup?.(scheduler);
    } catch (error) {
      throw new Error(`preload module ${name}: tesseraSetup failed: ${(error as Error).message}`, { cause: error });
    }
    if (typeof teardown === "function") {
      teardowns.push(async () => {
        try {
          await teardown(scheduler);
        } catch (error) {
          scheduler.log(`preload module ${name}: tesseraTeardown failed: ${(error as Error).message}`);
        }
      });
    }
  }
  return teardowns;
}
