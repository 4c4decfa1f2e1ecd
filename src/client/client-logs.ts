/**
 * Logs, events and stories from the client (Dask's get_worker_logs, get_scheduler_logs,
 * forward_logging, log_event, get_events, subscribe_topic, story):
 *
 * - each worker and the scheduler keep their recent log lines (a bounded ring); these read them;
 * - forwardLogging makes workers send their log records, and this process logs them (under
 *   "worker <name>"), until the returned stop function is called;
 * - events are anything logged under a topic, kept on the scheduler and pushed to subscribers;
 * - a key's story is every transition of it, on the scheduler and on every worker, by time.
 */
import type { Connection } from "../comm/connection.js";
import { InvalidOptionError } from "../core/errors.js";
import { createLogger, type LogLevel, type LogRecord, type Logger } from "../core/log.js";
import { keyProblem } from "../protocol/messages.js";
import type { StoryEntry } from "../protocol/story.js";
import { checkOptionNames, type OptionNames } from "./option-names.js";

export type { StoryEntry };

export interface TopicEvent {
  time: number;
  msg: unknown;
}

export type TopicHandler = (event: TopicEvent) => void;

/** What these functions need of the client. */
export interface LogsClient {
  readonly scheduler: Connection;
  readonly logger: Logger;
  readonly topics: TopicSubscriptions;
}

const levels: readonly LogLevel[] = ["error", "warn", "info", "debug"];

function checkTopic(topic: unknown): string {
  if (typeof topic !== "string" || topic.length === 0 || topic.length > 200) {
    throw new InvalidOptionError(`a topic must be a non-empty string of at most 200 characters, got ${JSON.stringify(topic)}`);
  }
  return topic;
}

function checkCount(n: number | undefined, what: string): void {
  if (n !== undefined && (!Number.isInteger(n) || n < 0)) throw new InvalidOptionError(`${what} must be a non-negative integer, got ${n}`);
}

/** The handlers of the topics this client subscribed to, fed by the scheduler's topic-event messages. */
export class TopicSubscriptions {
  private readonly handlers = new Map<string, Set<TopicHandler>>();
  private readonly logger = createLogger("client");

  get topics(): string[] {
    return [...this.handlers.keys()];
  }

  add(topic: string, handler: TopicHandler): boolean {
    let set = this.handlers.get(topic);
    const first = !set;
    if (!set) {
      set = new Set();
      this.handlers.set(topic, set);
    }
    set.add(handler);
    return first;
  }

  /** Removes a handler (all of the topic's when omitted); true when the topic has none left. */
  remove(topic: string, handler?: TopicHandler): boolean {
    const set = this.handlers.get(topic);
    if (!set) return false;
    if (handler) set.delete(handler);
    else set.clear();
    if (set.size > 0) return false;
    this.handlers.delete(topic);
    return true;
  }

  deliver(topic: string, event: TopicEvent): void {
    for (const handler of this.handlers.get(topic) ?? []) {
      try {
        handler(event);
      } catch (error) {
        this.logger.error(`a handler of topic "${topic}" failed`, error);
      }
    }
  }
}

const workerLogsOptionNames: OptionNames<{ n?: number; workers?: string[] }> = { n: true, workers: true };
const schedulerLogsOptionNames: OptionNames<{ n?: number }> = { n: true };
const forwardLoggingOptionNames: OptionNames<{ level?: LogLevel }> = { level: true };

/** The last `n` log records of every worker (or those named), by address. */
export async function getWorkerLogs(client: LogsClient, options: { n?: number; workers?: string[] } = {}): Promise<Record<string, LogRecord[]>> {
  checkOptionNames(options, workerLogsOptionNames, "Client.getWorkerLogs");
  checkCount(options.n, "getWorkerLogs n");
  const reply = await client.scheduler.request({ op: "get-worker-logs", ...(options.n !== undefined ? { n: options.n } : {}), ...(options.workers ? { workers: options.workers } : {}) });
  return reply.result as Record<string, LogRecord[]>;
}

export async function getSchedulerLogs(client: LogsClient, options: { n?: number } = {}): Promise<LogRecord[]> {
  checkOptionNames(options, schedulerLogsOptionNames, "Client.getSchedulerLogs");
  checkCount(options.n, "getSchedulerLogs n");
  const reply = await client.scheduler.request({ op: "get-scheduler-logs", ...(options.n !== undefined ? { n: options.n } : {}) });
  return reply.result as LogRecord[];
}

export function logEvent(client: LogsClient, topic: string, msg: unknown): void {
  client.scheduler.send({ op: "log-event", topic: checkTopic(topic), msg });
}

export async function getEvents(client: LogsClient, topic?: string): Promise<TopicEvent[] | Record<string, TopicEvent[]>> {
  const reply = await client.scheduler.request({ op: "get-events", ...(topic !== undefined ? { topic: checkTopic(topic) } : {}) });
  return reply.result as TopicEvent[] | Record<string, TopicEvent[]>;
}

/** Calls `handler` with every event logged under `topic` from now on; returns the unsubscription. */
export function subscribeTopic(client: LogsClient, topic: string, handler: TopicHandler): () => void {
  checkTopic(topic);
  if (typeof handler !== "function") throw new InvalidOptionError(`subscribeTopic("${topic}") needs a handler function`);
  if (client.topics.add(topic, handler)) client.scheduler.send({ op: "subscribe-topic", topic });
  return () => {
    if (client.topics.remove(topic, handler) && !client.scheduler.isClosed) client.scheduler.send({ op: "unsubscribe-topic", topic });
  };
}

/**
 * Workers send their log records at `level` and above; this process logs each under
 * "worker <name>" (so they show in its own log, and reach its log sinks). Resolves with a
 * function that stops the forwarding.
 */
export async function forwardLogging(client: LogsClient, options: { level?: LogLevel } = {}): Promise<() => Promise<void>> {
  checkOptionNames(options, forwardLoggingOptionNames, "Client.forwardLogging");
  const level = options.level ?? "info";
  if (!levels.includes(level)) throw new InvalidOptionError(`forwardLogging level must be one of ${levels.join(", ")}, got ${JSON.stringify(level)}`);
  const loggers = new Map<string, Logger>();
  const unsubscribe = subscribeTopic(client, "forwarded-logging", ({ msg }) => {
    const record = msg as LogRecord & { name: string; worker: string };
    let logger = loggers.get(record.name);
    if (!logger) {
      logger = createLogger(`worker ${record.name}`);
      loggers.set(record.name, logger);
    }
    if (record.level === "error") logger.error(record.message);
    else logger[record.level](record.message);
  });
  await client.scheduler.request({ op: "forward-logging", level });
  return async () => {
    unsubscribe();
    if (!client.scheduler.isClosed) await client.scheduler.request({ op: "forward-logging", level: null });
  };
}

/** Every recorded transition of `keys` (keys or futures), on the scheduler and every worker, by time. */
export async function story(client: LogsClient, keys: string[]): Promise<StoryEntry[]> {
  for (const key of keys) {
    const problem = keyProblem(key);
    if (problem) throw new InvalidOptionError(`story: ${problem}`);
  }
  const reply = await client.scheduler.request({ op: "get-story", keys });
  return reply.result as StoryEntry[];
}

/** Subscribes `handler` to a topic only this client raises (no scheduler subscription); returns the unsubscription. */
export function subscribeLocal(topics: TopicSubscriptions, topic: string, handler: TopicHandler): () => void {
  topics.add(topic, handler);
  return () => topics.remove(topic, handler);
}
