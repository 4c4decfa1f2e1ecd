/**
 * The log of refused connections, bounded. Anyone on a shared cluster can open connections
 * to our ports; logging each refusal lets a flood fill the disk (21,000 connections in 30 s
 * made 9.6 MB of log). The first few refusals of each interval are logged one by one, the
 * rest are counted and summed up in one line at the end of the interval.
 */
import type { Logger } from "../core/log.js";

export interface RefusalLogOptions {
  /** Length of one interval (default 10 s). */
  intervalMs?: number;
  /** Refusals logged one by one per interval (default 5). */
  individually?: number;
}

export class RefusalLog {
  private readonly intervalMs: number;
  private readonly individually: number;
  private inInterval = 0;
  private suppressed = 0;
  private latest = "";
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly logger: Logger, options: RefusalLogOptions = {}) {
    this.intervalMs = options.intervalMs ?? 10_000;
    this.individually = options.individually ?? 5;
  }

  note(peer: string, reason: string): void {
    if (!this.timer) {
      this.timer = setTimeout(() => this.endInterval(), this.intervalMs);
      this.timer.unref();
    }
    this.inInterval++;
    if (this.inInterval <= this.individually) {
      this.logger.warn(`refused connection from ${peer}: ${reason}`);
      return;
    }
    this.suppressed++;
    this.latest = `${peer}: ${reason}`;
  }

  private endInterval(): void {
    this.timer = null;
    if (this.suppressed > 0) {
      this.logger.warn(`refused ${this.suppressed} more connection(s) in the last ${this.intervalMs / 1000} s (latest from ${this.latest})`);
    }
    this.inInterval = 0;
    this.suppressed = 0;
  }

  /** Writes the summary of the interval in progress and stops the timer. */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.endInterval();
  }
}
