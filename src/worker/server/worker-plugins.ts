/**
 * Worker plugins (Dask's WorkerPlugin) and preload modules (`--preload`, Dask's dask_setup),
 * on the worker's main thread. A plugin's setup runs when it is added (registered from a
 * client, or handed to this worker when it joined); a plugin added under a name already in
 * use replaces the old one, whose teardown runs first. Every task status change here goes to
 * each plugin's transition hook. At close, teardowns run in reverse order. A hook that throws
 * is reported: at setup the error propagates (the worker then stays out of the pool); in
 * transition and teardown it is logged, once per plugin, and the worker goes on.
 *
 * A preload module exports `tesseraSetup(worker)` and optionally `tesseraTeardown(worker)`.
 */
import type { Logger } from "../../core/log.js";
import { moduleSpecifier, resolvePlugin, type PluginRef, type WorkerPluginContext } from "../../graph/plugin-travel.js";

type Hook = (...args: unknown[]) => unknown;
type PluginObject = Record<string, unknown>;

export class WorkerPluginHost {
  private readonly plugins = new Map<string, PluginObject>();
  private readonly preloads: Array<{ name: string; module: PluginObject }> = [];
  private readonly failedTransition = new Set<string>();

  constructor(private readonly context: WorkerPluginContext, private readonly logger: Logger) {}

  get names(): string[] {
    return [...this.plugins.keys()];
  }

  /** Imports each preload module and runs its tesseraSetup (an error names the module). */
  async preload(modules: readonly string[]): Promise<void> {
    for (const name of modules) {
      let module: PluginObject;
      try {
        module = await import(moduleSpecifier(name)) as PluginObject;
      } catch (error) {
        throw new Error(`cannot import preload module ${name}: ${(error as Error).message}`, { cause: error });
      }
      if (typeof module.tesseraSetup !== "function" && typeof module.tesseraTeardown !== "function") {
        throw new Error(`preload module ${name} exports neither tesseraSetup(worker) nor tesseraTeardown(worker)`);
      }
      try {
        await (module.tesseraSetup as Hook | undefined)?.(this.context);
      } catch (error) {
        throw new Error(`preload module ${name}: tesseraSetup failed: ${(error as Error).message}`, { cause: error });
      }
      this.preloads.push({ name, module });
    }
  }

  /** Adds (or replaces) a plugin and runs its setup; rejects with setup's error. */
  async add(name: string, ref: PluginRef): Promise<void> {
    const plugin = await resolvePlugin(ref);
    await this.remove(name);
    try {
      await (plugin.setup as Hook | undefined)?.call(plugin, this.context);
    } catch (error) {
      throw new Error(`worker plugin "${name}" failed at setup on ${this.context.name}: ${(error as Error).message}`, { cause: error });
    }
    this.plugins.set(name, plugin);
    this.failedTransition.delete(name);
  }

  /** Removes a plugin (its teardown runs); unknown names are ignored. */
  async remove(name: string): Promise<void> {
    const plugin = this.plugins.get(name);
    if (!plugin) return;
    this.plugins.delete(name);
    await this.teardown(name, plugin);
  }

  transition(key: string, from: string, to: string): void {
    for (const [name, plugin] of this.plugins) {
      const hook = plugin.transition as Hook | undefined;
      if (!hook) continue;
      try {
        hook.call(plugin, key, from, to);
      } catch (error) {
        if (this.failedTransition.has(name)) continue;
        this.failedTransition.add(name);
        this.logger.error(`worker plugin "${name}" failed in transition (further failures are not logged)`, error);
      }
    }
  }

  private async teardown(name: string, plugin: PluginObject): Promise<void> {
    try {
      await (plugin.teardown as Hook | undefined)?.call(plugin, this.context);
    } catch (error) {
      this.logger.error(`worker plugin "${name}" failed at teardown`, error);
    }
  }

  /** Teardowns of every plugin, then of the preloads, newest first. */
  async close(): Promise<void> {
    for (const [name, plugin] of [...this.plugins].reverse()) await this.teardown(name, plugin);
    this.plugins.clear();
    for (const { name, module } of [...this.preloads].reverse()) {
      try {
        await (module.tesseraTeardown as Hook | undefined)?.(this.context);
      } catch (error) {
        this.logger.error(`preload module ${name}: tesseraTeardown failed`, error);
      }
    }
  }
}
