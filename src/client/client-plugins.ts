/**
 * Plugins and uploads from the client (Dask's register_plugin / register_worker_plugin,
 * unregister_worker_plugin, upload_file):
 *
 * - a worker plugin runs on every current worker and on every worker that joins later
 *   (adaptive scale-up, lifetime and nanny restarts); one that throws at setup leaves that
 *   worker out of the pool, and the returned promise rejects naming the plugin and the workers;
 * - a scheduler plugin runs on the scheduler (hooks start, close, addWorker, removeWorker,
 *   transition);
 * - uploadFile sends a module to every worker (and later ones) for sites whose workers share
 *   no filesystem with the client; its exported functions can then be used as task functions
 *   (registered with exportedFunctions(import.meta.url, …) as usual).
 *
 * Plugins travel like functions (plugin-travel.ts): module exports by reference, anything
 * else as self-contained source, refused here when it cannot travel.
 */
import { readFile, stat } from "node:fs/promises";
import { basename, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Connection } from "../comm/connection.js";
import { InvalidOptionError } from "../core/errors.js";
import { tokenize } from "../core/ids.js";
import { pluginRefOf, type PluginRef } from "../graph/plugin-travel.js";
import { checkOptionNames, type OptionNames } from "./option-names.js";

interface PluginsClient {
  readonly scheduler: Connection;
}

/** The plugin's name: given, else its `name` property, else its export name, else one made from its code. */
function pluginName(plugin: object, ref: PluginRef, given: string | undefined): string {
  const name = given ?? (typeof (plugin as { name?: unknown }).name === "string" ? (plugin as { name: string }).name : undefined) ?? ("export" in ref ? ref.export : `plugin-${tokenize(ref)}`);
  if (typeof name !== "string" || name.length === 0 || name.length > 200) throw new InvalidOptionError(`a plugin name must be a non-empty string of at most 200 characters, got ${JSON.stringify(name)}`);
  return name;
}

const pluginOptionNames: OptionNames<{ name?: string }> = { name: true };

export async function registerWorkerPlugin(client: PluginsClient, plugin: object, options: { name?: string } = {}): Promise<string> {
  checkOptionNames(options, pluginOptionNames, "Client.registerWorkerPlugin");
  const ref = pluginRefOf(plugin, "the worker plugin");
  const name = pluginName(plugin, ref, options.name);
  await client.scheduler.request({ op: "register-worker-plugin", name, plugin: ref });
  return name;
}

export async function unregisterWorkerPlugin(client: PluginsClient, name: string): Promise<void> {
  await client.scheduler.request({ op: "unregister-worker-plugin", name });
}

export async function registerSchedulerPlugin(client: PluginsClient, plugin: object, options: { name?: string } = {}): Promise<string> {
  checkOptionNames(options, pluginOptionNames, "Client.registerSchedulerPlugin");
  const ref = pluginRefOf(plugin, "the scheduler plugin");
  const name = pluginName(plugin, ref, options.name);
  await client.scheduler.request({ op: "register-scheduler-plugin", name, plugin: ref });
  return name;
}

/** Most bytes one upload may have (a module, not data: data belongs in Zarr on storage the workers read). */
export const maxUploadFileBytes = 64 * 1024 * 1024;

/**
 * Sends the module at `path` to every worker, now and later. Imports of its URL on this
 * machine (what `import.meta.url` is inside it) load the uploaded copy there.
 */
export async function uploadFile(client: PluginsClient, path: string): Promise<void> {
  const absolute = resolve(path);
  const info = await stat(absolute).catch((error: Error) => {
    throw new InvalidOptionError(`uploadFile: cannot read ${path}: ${error.message}`, { cause: error });
  });
  if (!info.isFile()) throw new InvalidOptionError(`uploadFile: ${path} is not a regular file`);
  if (info.size > maxUploadFileBytes) throw new InvalidOptionError(`uploadFile: ${path} has ${info.size} bytes, more than ${maxUploadFileBytes}; put large files on storage the workers read`);
  const filename = basename(absolute);
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(filename)) throw new InvalidOptionError(`uploadFile: the file name ${JSON.stringify(filename)} may hold only letters, digits, _ . - (rename the file)`);
  const bytes = new Uint8Array(await readFile(absolute));
  await client.scheduler.request({ op: "upload-file", filename, url: pathToFileURL(absolute).href }, [bytes], { timeoutMs: 600_000 });
}
