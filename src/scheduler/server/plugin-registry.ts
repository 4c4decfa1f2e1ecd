/**
 * What the scheduler keeps for workers that join later, and its own user plugins:
 *
 * - worker plugins registered by clients (name → how the plugin travels) and modules
 *   uploaded by clients (client.uploadFile): a worker that joins (adaptive scale-up, a
 *   lifetime or nanny restart) gets all of them with its registration reply, uploads first;
 * - the log-forwarding level asked for by a client (forwardLogging), which joiners get too;
 * - scheduler plugins (Dask's SchedulerPlugin): registered by a client or by a `--preload`
 *   module's tesseraSetup(scheduler); their hooks are start, close, addWorker, removeWorker
 *   and transition. A hook that throws is logged (once per plugin and hook) and the
 *   scheduler goes on; only start's error reaches whoever registered the plugin.
 */
import type { LogLevel, Logger } from "../../core/log.js";
import type { PluginRef } from "../../graph/plugin-travel.js";
import type { ObservedRecord } from "../state/commands.js";
import type { TransitionEntry } from "../state/transition-log.js";
import type { WorkerInfo } from "./view.js";

/** What a scheduler plugin's hooks receive (Dask passes the Scheduler itself). */
export interface SchedulerPluginContext {
  readonly id: string;
  readonly address: string;
  workers(): WorkerInfo[];
  /** Adds a scheduler plugin (from a preload module's tesseraSetup). */
  addPlugin(plugin: object, name?: string): Promise<void>;
  /** Writes a line to the scheduler's log (kept in its recent log). */
  log(message: string): void;
  /** Logs an event under a topic (client.getEvents / subscribeTopic). */
  logEvent(topic: string, msg: unknown): void;
}

type Hook = (...args: unknown[]) => unknown;
type PluginObject = Record<string, unknown>;

/** Most bytes of uploads kept for joining workers (each upload also reaches every worker). */
export const maxUploadBytes = 256 * 1024 * 1024;

export class PluginRegistry {
  readonly workerPlugins = new Map<string, PluginRef>();
  readonly uploads = new Map<string, { url: string; bytes: Uint8Array }>();
  logForwarding: LogLevel | null = null;
  private readonly schedulerPlugins = new Map<string, PluginObject>();
  private readonly failedHooks = new Set<string>();

  constructor(private readonly logger: Logger) {}

  /** What a joining worker gets: plugins and uploads (bytes as the reply's frames). */
  joinExtras(): { extras: Record<string, unknown>; frames: Uint8Array[] } {
    const frames: Uint8Array[] = [];
    const uploads = [...this.uploads].map(([filename, { url, bytes }]) => ({ filename, url, frame: frames.push(bytes) - 1 }));
    const plugins = [...this.workerPlugins].map(([name, plugin]) => ({ name, plugin }));
    return { extras: { plugins, uploads, logForwarding: this.logForwarding }, frames };
  }

  /** Keeps an upload for joining workers (a new one under the same name replaces it). */
  keepUpload(filename: string, url: string, bytes: Uint8Array): void {
    this.uploads.delete(filename);
    let total = bytes.byteLength;
    for (const upload of this.uploads.values()) total += upload.bytes.byteLength;
    if (total > maxUploadBytes) {
      throw new Error(`uploads would hold ${total} bytes, more than the ${maxUploadBytes} the scheduler keeps for joining workers; put large files on a shared filesystem`);
    }
    this.uploads.set(filename, { url, bytes: bytes.slice() });
  }

  get hasSchedulerPlugins(): boolean {
    return this.schedulerPlugins.size > 0;
  }

  /** Adds (or replaces) a scheduler plugin and runs its start hook; rejects with start's error. */
  async addSchedulerPlugin(name: string, plugin: PluginObject, context: SchedulerPluginContext): Promise<void> {
    const old = this.schedulerPlugins.get(name);
    if (old) await this.call(name, old, "close", []);
    try {
      await (plugin.start as Hook | undefined)?.call(plugin, context);
    } catch (error) {
      throw new Error(`scheduler plugin "${name}" failed at start: ${(error as Error).message}`, { cause: error });
    }
    this.schedulerPlugins.set(name, plugin);
  }

  /** Worker joins and departures go to addWorker / removeWorker. */
  observe(record: ObservedRecord): void {
    if (this.schedulerPlugins.size === 0) return;
    if (record.kind === "worker-added") this.callAll("addWorker", [{ address: record.worker, name: record.name, time: record.time }]);
    else if (record.kind === "worker-removed") this.callAll("removeWorker", [{ address: record.worker, name: record.name, reason: record.reason, time: record.time }]);
  }

  /** Task transitions go to transition(key, start, finish, { worker, time, stimulus }). */
  transitions(entries: readonly TransitionEntry[]): void {
    for (const entry of entries) this.callAll("transition", [entry.key, entry.from, entry.to, { worker: entry.worker, time: entry.time, stimulus: entry.stimulus }]);
  }

  private callAll(hook: string, args: unknown[]): void {
    for (const [name, plugin] of this.schedulerPlugins) void this.call(name, plugin, hook, args);
  }

  private async call(name: string, plugin: PluginObject, hook: string, args: unknown[]): Promise<void> {
    const fn = plugin[hook] as Hook | undefined;
    if (typeof fn !== "function") return;
    try {
      await fn.apply(plugin, args);
    } catch (error) {
      const id = `${name}:${hook}`;
      if (this.failedHooks.has(id)) return;
      this.failedHooks.add(id);
      this.logger.error(`scheduler plugin "${name}" failed in ${hook} (further failures there are not logged)`, error);
    }
  }

  async close(): Promise<void> {
    for (const [name, plugin] of [...this.schedulerPlugins].reverse()) await this.call(name, plugin, "close", []);
    this.schedulerPlugins.clear();
  }
}
