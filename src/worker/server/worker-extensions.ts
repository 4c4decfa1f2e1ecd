/**
 * What a worker does besides running tasks, for its users (issue 13): plugins and preload
 * modules, uploaded modules, its recent log (read by getWorkerLogs, and forwarded to clients
 * while one asked for forwardLogging), the story of its tasks, and restarting on the
 * scheduler's order (client.restart(): the worker closes and its nanny starts a fresh one).
 *
 * A plugin that throws at setup, whether handed over when the worker joined or registered
 * later, puts the worker out of the pool: it tells the scheduler (which then sends it no
 * tasks and names it in the error the client sees) and drops tasks sent before the
 * scheduler heard. It keeps serving data and answering; a restart brings it back.
 */
import type { Connection, OutgoingMessage } from "../../comm/connection.js";
import { levelAtLeast, type LogLevel, type LogRecord, type LogRing, type Logger } from "../../core/log.js";
import type { WorkerPluginContext, PluginRef } from "../../graph/plugin-travel.js";
import type { Message, MessageOf, WireLogRecord } from "../../protocol/messages.js";
import { toWireError } from "../../protocol/payload.js";
import { WorkerPluginHost } from "./worker-plugins.js";
import { WorkerStory } from "./worker-story.js";
import { storeUpload } from "./worker-uploads.js";

/** What the worker server offers its extensions. */
export interface ExtensionHost {
  readonly logger: Logger;
  readonly localDirectory: string;
  tell(message: OutgoingMessage): void;
  /** The compute threads load uploaded modules from here too. */
  setModuleLocation(from: string, to: string): void;
  /** Closes the worker so that its nanny starts a fresh one. */
  restart(reason: string): void;
}

/** What the scheduler hands a worker that joins: plugins, uploads (bytes in the reply's frames), log forwarding. */
export interface JoinExtras {
  plugins?: Array<{ name: string; plugin: PluginRef }>;
  uploads?: Array<{ filename: string; url: string; frame: number }>;
  logForwarding?: LogLevel | null;
}

export class WorkerExtensions {
  readonly story = new WorkerStory();
  readonly plugins: WorkerPluginHost;
  /** Set once a plugin failed at setup: tasks are no longer taken. */
  outOfPool: string | null = null;
  private forwardLevel: LogLevel | null = null;
  private forwardBuffer: WireLogRecord[] = [];
  private forwardTimer: NodeJS.Timeout | null = null;
  private uploadVersion = 0;

  constructor(private readonly host: ExtensionHost, readonly logRing: LogRing, context: WorkerPluginContext) {
    this.plugins = new WorkerPluginHost(context, host.logger);
    logRing.onRecord = (record) => this.forward(record);
  }

  /** Records a task's status change and tells the plugins. */
  transition(key: string, from: string, to: string, stimulus: string, time: number): void {
    this.story.record({ key, from, to, time, stimulus });
    this.plugins.transition(key, from, to);
  }

  /** Uploads, then plugins (which may come from the uploads), then log forwarding. */
  async joined(extras: JoinExtras, frames: Uint8Array[]): Promise<void> {
    for (const upload of extras.uploads ?? []) {
      const bytes = frames[upload.frame];
      if (bytes) await this.storeUpload(upload.filename, upload.url, bytes);
    }
    this.setForwarding(extras.logForwarding ?? null);
    for (const { name, plugin } of extras.plugins ?? []) {
      try {
        await this.plugins.add(name, plugin);
      } catch (error) {
        this.setupFailed(name, error);
        return;
      }
    }
  }

  private setupFailed(name: string, error: unknown): void {
    this.outOfPool = (error as Error).message;
    this.host.logger.error(`${(error as Error).message}; this worker takes no tasks until it restarts`, error instanceof Error ? error.cause : undefined);
    this.host.tell({ op: "worker-setup-failed", plugin: name, error: toWireError(error) });
  }

  private async storeUpload(filename: string, url: string, bytes: Uint8Array): Promise<void> {
    await storeUpload(this.host.localDirectory, filename, url, bytes, ++this.uploadVersion, (from, to) => this.host.setModuleLocation(from, to));
    this.host.logger.info(`stored uploaded module ${filename} (for ${url})`);
  }

  /** Handles the scheduler's extension messages; false for any other op. */
  handle(message: Message, frames: Uint8Array[], scheduler: Connection): boolean {
    switch (message.op) {
      case "plugin-add":
        this.plugins.add(message.name, message.plugin).then(
          () => scheduler.reply(message.reqId, { ok: true }),
          (error: unknown) => {
            this.setupFailed(message.name, error);
            scheduler.replyError(message.reqId, error);
          },
        );
        return true;
      case "plugin-remove":
        this.plugins.remove(message.name).then(() => scheduler.reply(message.reqId, { ok: true }), (error: unknown) => scheduler.replyError(message.reqId, error));
        return true;
      case "store-upload":
        this.storeUploadMessage(message, frames).then(() => scheduler.reply(message.reqId, { ok: true }), (error: unknown) => scheduler.replyError(message.reqId, error));
        return true;
      case "get-logs":
        scheduler.reply(message.reqId, this.logRing.last(message.n));
        return true;
      case "get-worker-story":
        scheduler.reply(message.reqId, this.story.story(new Set(message.keys)));
        return true;
      case "set-log-forwarding":
        this.setForwarding(message.level);
        return true;
      case "restart-worker":
        this.host.restart(message.reason);
        return true;
      default:
        return false;
    }
  }

  private async storeUploadMessage(message: MessageOf<"store-upload">, frames: Uint8Array[]): Promise<void> {
    const bytes = frames[0];
    if (!bytes) throw new Error(`upload ${message.filename} arrived without its content`);
    await this.storeUpload(message.filename, message.url, bytes);
  }

  private setForwarding(level: LogLevel | null): void {
    this.forwardLevel = level;
    if (level === null) this.forwardBuffer = [];
  }

  /** Records at or above the forwarding level go to the scheduler, batched every 100 ms. */
  private forward(record: LogRecord): void {
    if (this.forwardLevel === null || !levelAtLeast(record.level, this.forwardLevel)) return;
    this.forwardBuffer.push({ ...record, message: record.message.slice(0, 20_000) });
    if (this.forwardBuffer.length > 1000) this.forwardBuffer.splice(0, this.forwardBuffer.length - 1000);
    this.forwardTimer ??= setTimeout(() => this.flushForwarded(), 100);
  }

  private flushForwarded(): void {
    this.forwardTimer = null;
    const records = this.forwardBuffer;
    this.forwardBuffer = [];
    if (records.length > 0) this.host.tell({ op: "log-records", records });
  }

  async close(): Promise<void> {
    if (this.forwardTimer) clearTimeout(this.forwardTimer);
    this.flushForwarded();
    this.logRing.onRecord = null;
    await this.plugins.close();
  }
}
