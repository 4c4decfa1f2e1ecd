/**
 * Timestamped log lines on stderr, one logger per component. The level comes from
 * TESSERA_LOG_LEVEL (error, warn, info, debug); tests and benchmarks keep it at "warn".
 *
 * Besides stderr, records go to the sinks registered in this process (a client forwarding
 * workers' logs adds none; tests watch with one) and to a logger's own ring of recent records
 * (`keepingRecent`: a worker's and a scheduler's recent log, which clients read with
 * getWorkerLogs/getSchedulerLogs). Rings and sinks keep info and above whatever the stderr
 * level: the recent log is for debugging a stuck job from the login node after the fact.
 */
export type LogLevel = "error" | "warn" | "info" | "debug";

const rank: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

function configuredLevel(): LogLevel {
  const value = process.env.TESSERA_LOG_LEVEL?.toLowerCase();
  return value && value in rank ? (value as LogLevel) : "warn";
}

let threshold = rank[configuredLevel()];

/** Change the level for this process (the CLI's --log-level). */
export function setLogLevel(level: LogLevel): void {
  threshold = rank[level];
}

/** Whether `level` is at least as severe as `floor` ("warn" passes a floor of "info"). */
export function levelAtLeast(level: LogLevel, floor: LogLevel): boolean {
  return rank[level] <= rank[floor];
}

export interface Logger {
  error(message: string, error?: unknown): void;
  warn(message: string): void;
  info(message: string): void;
  debug(message: string): void;
  enabled(level: LogLevel): boolean;
}

/** One log line as rings and sinks keep it (time in seconds since the epoch). */
export interface LogRecord {
  time: number;
  level: LogLevel;
  component: string;
  message: string;
}

const sinks = new Set<(record: LogRecord) => void>();

/** Every record logged in this process (info and above) also goes to `sink`; returns its removal. */
export function addLogSink(sink: (record: LogRecord) => void): () => void {
  sinks.add(sink);
  return () => sinks.delete(sink);
}

/** The most recent log records, at most `capacity` (Dask's distributed.admin.log-length: 10 000). */
export class LogRing {
  private readonly records: LogRecord[] = [];
  private next = 0;
  /** Called with each record added (log forwarding). */
  onRecord: ((record: LogRecord) => void) | null = null;

  constructor(readonly capacity = 10_000) {}

  add(record: LogRecord): void {
    if (this.records.length < this.capacity) this.records.push(record);
    else this.records[this.next] = record;
    this.next = (this.next + 1) % this.capacity;
    this.onRecord?.(record);
  }

  /** The last `n` records (all kept when omitted), oldest first. */
  last(n?: number): LogRecord[] {
    const ordered = this.records.length < this.capacity ? [...this.records] : [...this.records.slice(this.next), ...this.records.slice(0, this.next)];
    return n === undefined ? ordered : ordered.slice(Math.max(0, ordered.length - n));
  }
}

function record(level: LogLevel, component: string, message: string, error?: unknown): LogRecord {
  const detail = error instanceof Error ? `: ${error.stack ?? error.message}` : error ? `: ${String(error)}` : "";
  return { time: Date.now() / 1000, level, component, message: `${message}${detail}` };
}

export function createLogger(component: string): Logger {
  const write = (level: LogLevel, message: string, error?: unknown) => {
    const printed = rank[level] <= threshold;
    if (!printed && (level === "debug" || sinks.size === 0)) return;
    const entry = record(level, component, message, error);
    if (printed) process.stderr.write(`${new Date(entry.time * 1000).toISOString()} ${level.toUpperCase().padEnd(5)} ${component} ${entry.message}\n`);
    for (const sink of sinks) sink(entry);
  };
  return {
    error: (message, error) => write("error", message, error),
    warn: (message) => write("warn", message),
    info: (message) => write("info", message),
    debug: (message) => write("debug", message),
    enabled: (level) => rank[level] <= threshold,
  };
}

/** `logger`, also keeping what it logs (info and above, debug when enabled) in `ring` under `component`. */
export function keepingRecent(logger: Logger, component: string, ring: LogRing): Logger {
  const keep = (level: LogLevel, message: string, error?: unknown) => {
    if (level !== "debug" || logger.enabled("debug")) ring.add(record(level, component, message, error));
  };
  return {
    error: (message, error) => { logger.error(message, error); keep("error", message, error); },
    warn: (message) => { logger.warn(message); keep("warn", message); },
    info: (message) => { logger.info(message); keep("info", message); },
    debug: (message) => { logger.debug(message); keep("debug", message); },
    enabled: (level) => logger.enabled(level),
  };
}
