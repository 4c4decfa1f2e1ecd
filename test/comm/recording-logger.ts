/**
 * A logger that keeps what a server reports instead of printing it, and the count of
 * refused connections a RefusalLog reported (its individual lines plus its summaries).
 */
import type { Logger } from "../../src/core/log.js";

export function recordingLogger(): Logger & { lines: string[] } {
  const logger = {
    lines: [] as string[],
    error: (message: string) => { logger.lines.push(message); },
    warn: (message: string) => { logger.lines.push(message); },
    info: () => {},
    debug: () => {},
    enabled: () => false,
  };
  return logger;
}

export function refusalsLogged(lines: string[]): number {
  let count = 0;
  for (const line of lines) {
    if (line.startsWith("refused connection from")) count++;
    const summary = /^refused (\d+) more connection/.exec(line);
    if (summary) count += Number(summary[1]);
  }
  return count;
}
