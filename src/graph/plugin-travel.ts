/**
 * How a plugin (Dask's WorkerPlugin / SchedulerPlugin) travels to the processes that run it,
 * the way functions do (function-travel.ts):
 * 1. a module export registered with `exportedPlugins(import.meta.url, { myPlugin })`
 *    travels as module URL + export name; the worker (or scheduler) imports the module;
 * 2. otherwise the plugin object must be self-contained: each of its methods travels as its
 *    source (refused now, naming it, when it reads variables from its surroundings) and its
 *    other properties as plain data (`{ greeting: "hi", setup(worker) { … this.greeting … } }`).
 *
 * A plugin is an object with any of the hooks its host calls (worker: setup, teardown,
 * transition; scheduler: start, close, addWorker, removeWorker, transition); hooks may be
 * async. Plugins run only on peers that proved they hold the cluster credential (as every
 * function a task or `run` sends).
 */
import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { TesseraError } from "../core/errors.js";
import type { FunctionRef } from "../protocol/function-ref.js";
import { packPayload, unpackPayload } from "../protocol/payload.js";
import { functionRefOf } from "./function-travel.js";
import { resolveFunction, resolveModuleUrl } from "./function-resolver.js";

export class PluginTravelError extends TesseraError {
  override name = "PluginTravelError";
}

export type PluginRef =
  | { module: string; export: string }
  | { methods: Record<string, FunctionRef>; data: Record<string, unknown> };

/** What a worker plugin's hooks receive: the worker they run in. */
export interface WorkerPluginContext {
  readonly address: string;
  readonly name: string;
  readonly nthreads: number;
  readonly localDirectory: string;
  readonly resources: Readonly<Record<string, number>>;
  readonly schedulerAddress: string;
  /** Writes a line to the worker's log (kept in its recent log, see getWorkerLogs). */
  log(message: string): void;
}

/** Dask's WorkerPlugin: every hook optional. */
export interface WorkerPlugin {
  name?: string;
  setup?(worker: WorkerPluginContext): unknown;
  teardown?(worker: WorkerPluginContext): unknown;
  /** A task changed status on this worker (fetch, waiting, ready, executing, memory, …). */
  transition?(key: string, start: string, finish: string): void;
}

const pluginModuleRef = Symbol.for("tessera.plugin-module-ref");

/** A module path (relative to the current directory) or URL, as `import()` takes it (`--preload`). */
export function moduleSpecifier(pathOrUrl: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(pathOrUrl)) return pathOrUrl;
  return pathToFileURL(isAbsolute(pathOrUrl) ? pathOrUrl : resolve(pathOrUrl)).href;
}

/**
 * Registers plugins exported from a module so they travel by reference:
 * `export const setupScratch = { setup(worker) { … } }; exportedPlugins(import.meta.url, { setupScratch });`
 */
export function exportedPlugins<T extends Record<string, object>>(moduleUrl: string, plugins: T): T {
  for (const [exportName, plugin] of Object.entries(plugins)) {
    Object.defineProperty(plugin, pluginModuleRef, { value: { module: moduleUrl, export: exportName }, enumerable: false, configurable: true });
  }
  return plugins;
}

/** Own and inherited (class) methods of an object, with its own data properties. */
function membersOf(plugin: object): { methods: Map<string, (...args: unknown[]) => unknown>; data: Record<string, unknown> } {
  const methods = new Map<string, (...args: unknown[]) => unknown>();
  const data: Record<string, unknown> = {};
  for (let level: object | null = plugin; level && level !== Object.prototype; level = Object.getPrototypeOf(level) as object | null) {
    for (const name of Object.getOwnPropertyNames(level)) {
      if (name === "constructor" || methods.has(name) || name in data) continue;
      const descriptor = Object.getOwnPropertyDescriptor(level, name);
      if (!descriptor || descriptor.get || descriptor.set) {
        if (descriptor) throw new PluginTravelError(`plugin property "${name}" is a getter or setter; it cannot travel: make it a plain value or a method`);
        continue;
      }
      const value: unknown = descriptor.value;
      if (typeof value === "function") methods.set(name, value as (...args: unknown[]) => unknown);
      else if (level === plugin && descriptor.enumerable) data[name] = value;
    }
  }
  return { methods, data };
}

/** The travelling form of `plugin` (see the module comment); raises PluginTravelError naming what cannot travel. */
export function pluginRefOf(plugin: unknown, what = "plugin"): PluginRef {
  if (plugin === null || typeof plugin !== "object") {
    throw new PluginTravelError(`${what} must be an object with hooks (e.g. { setup(worker) { … } }), got ${plugin === null ? "null" : typeof plugin}`);
  }
  const registered = (plugin as Record<symbol, { module: string; export: string } | undefined>)[pluginModuleRef];
  if (registered) return { module: registered.module, export: registered.export };
  const { methods, data } = membersOf(plugin);
  if (methods.size === 0) throw new PluginTravelError(`${what} has no methods: give it hooks such as setup(worker), teardown(worker) or transition(key, start, finish)`);
  const refs: Record<string, FunctionRef> = {};
  for (const [name, method] of methods) {
    try {
      refs[name] = functionRefOf(method);
    } catch (error) {
      throw new PluginTravelError(`${what} cannot travel: its method ${name}: ${(error as Error).message}. ` +
        "Or export the plugin from a module and register it with exportedPlugins(import.meta.url, { plugin })", { cause: error });
    }
  }
  const frames: Uint8Array[] = [];
  const packed = packPayload(data, frames, `the data of ${what}`) as Record<string, unknown>;
  if (frames.length > 0) throw new PluginTravelError(`${what} holds binary data in its properties; load such data in setup() instead`);
  return { methods: refs, data: packed };
}

/** The plugin object a ref describes (its module imported, or its methods evaluated). */
export async function resolvePlugin(ref: PluginRef): Promise<Record<string, unknown>> {
  if ("module" in ref) {
    let namespace: Record<string, unknown>;
    try {
      namespace = await import(resolveModuleUrl(ref.module)) as Record<string, unknown>;
    } catch (error) {
      throw new PluginTravelError(`cannot import plugin module ${ref.module} here (is it on a filesystem this machine shares, or uploaded with client.uploadFile?): ${(error as Error).message}`, { cause: error });
    }
    const plugin = namespace[ref.export];
    if (plugin === null || typeof plugin !== "object") throw new PluginTravelError(`module ${ref.module} has no exported plugin object "${ref.export}"`);
    return plugin as Record<string, unknown>;
  }
  const plugin = unpackPayload(ref.data, []) as Record<string, unknown>;
  for (const [name, fnRef] of Object.entries(ref.methods)) plugin[name] = await resolveFunction(fnRef);
  return plugin;
}
