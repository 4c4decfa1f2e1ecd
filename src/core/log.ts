/**
 * Timestamped log lines on stderr, one logger per component. The level comes from
 * TESSERA_LOG_LEVEL (error, warn, info, debug); tests and benchmarks keep it at "warn".
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

export interface Logger {
  error(message: string, error?: unknown): void;
  warn(message: string): void;
  info(message: string): void;
  debug(message: string): void;
  enabled(level: LogLevel): boolean;
}

export function createLogger(component: string): Logger {
  const write = (level: LogLevel, message: string, error?: unknown) => {
    if (rank[level] > threshold) return;
    const detail = error instanceof Error ? `: ${error.stack ?? error.message}` : error ? `: ${String(error)}` : "";
    process.stderr.write(`${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${component} ${message}${detail}\n`);
  };
  return {
    error: (message, error) => write("error", message, error),
    warn: (message) => write("warn", message),
    info: (message) => write("info", message),
    debug: (message) => write("debug", message),
    enabled: (level) => rank[level] <= threshold,
  };
}
