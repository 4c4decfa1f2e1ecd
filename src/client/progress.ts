/**
 * The terminal progress bar of compute, persist and toZarr, shown only when stdout is a
 * terminal (a pipe or a log file gets nothing). It counts the computation's own tasks as
 * they finish, per task prefix, by polling the scheduler's task stream a few times a
 * second, and redraws a few lines in place: overall bar, done / total, elapsed time and
 * rate, then one line per prefix. It appears only after `delayMs`, so quick computations
 * leave no trace, and its last state stays on screen when the computation ends.
 */
import { keySplit } from "../graph/keys.js";

export interface PrefixProgress {
  prefix: string;
  done: number;
  erred: number;
  total: number;
}

export interface ProgressState {
  label: string;
  elapsedSeconds: number;
  prefixes: PrefixProgress[];
}

/** Where progress is drawn: a terminal stream (process.stdout in practice). */
export interface ProgressOutput {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): boolean;
}

/** What the bar reads finished tasks from (the Client). */
export interface TaskStreamSource {
  getTaskStream(options: { since?: number }): Promise<unknown[]>;
}

const maxPrefixLines = 8;

function bar(fraction: number, width: number): string {
  const filled = Math.round(Math.max(0, Math.min(1, fraction)) * width);
  return `${"█".repeat(filled)}${"░".repeat(width - filled)}`;
}

function seconds(value: number): string {
  if (value < 60) return `${value.toFixed(1)} s`;
  const minutes = Math.floor(value / 60);
  return minutes < 60 ? `${minutes} min ${Math.floor(value % 60)} s` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** The lines for one state, each at most `columns` characters wide. */
export function renderProgress(state: ProgressState, columns = 80): string[] {
  const done = state.prefixes.reduce((n, p) => n + p.done, 0);
  const total = state.prefixes.reduce((n, p) => n + p.total, 0);
  const erred = state.prefixes.reduce((n, p) => n + p.erred, 0);
  const rate = state.elapsedSeconds > 0 ? done / state.elapsedSeconds : 0;
  const fraction = total > 0 ? done / total : 1;
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
  const tail = ` ${percent} ${done}/${total} tasks${erred ? ` (${erred} erred)` : ""} | ${seconds(state.elapsedSeconds)} | ${rate.toFixed(rate < 10 ? 1 : 0)} tasks/s${state.label ? ` | ${state.label}` : ""}`;
  const barWidth = Math.max(10, Math.min(40, columns - tail.length - 1));
  const lines = [`${bar(fraction, barWidth)}${tail}`];
  if (state.prefixes.length > 1) {
    const shown = [...state.prefixes].sort((a, b) => a.prefix.localeCompare(b.prefix)).slice(0, maxPrefixLines);
    const nameWidth = Math.min(Math.max(...shown.map((p) => p.prefix.length)), 24);
    for (const p of shown) {
      const counts = ` ${p.done}/${p.total}${p.erred ? ` (${p.erred} erred)` : ""}`;
      const width = Math.max(10, Math.min(30, columns - nameWidth - counts.length - 4));
      lines.push(`  ${p.prefix.slice(0, nameWidth).padEnd(nameWidth)} ${bar(p.total ? p.done / p.total : 1, width)}${counts}`);
    }
    if (state.prefixes.length > maxPrefixLines) lines.push(`  … and ${state.prefixes.length - maxPrefixLines} more task prefixes`);
  }
  return lines.map((line) => line.slice(0, Math.max(columns - 1, 20)));
}

export interface TerminalProgressOptions {
  label?: string;
  output?: ProgressOutput;
  /** Milliseconds between polls and redraws (default 200). */
  intervalMs?: number;
  /** Milliseconds before the bar first appears (default 500). */
  delayMs?: number;
}

export class TerminalProgress {
  private readonly remaining = new Map<string, string>();
  private readonly counts = new Map<string, PrefixProgress>();
  private readonly started = Date.now();
  private since: number;
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private drawnLines = 0;
  private stopped = false;

  private constructor(private readonly source: TaskStreamSource, keys: Iterable<string>, private readonly output: ProgressOutput, private readonly options: TerminalProgressOptions) {
    for (const key of keys) {
      const prefix = keySplit(key);
      this.remaining.set(key, prefix);
      const entry = this.counts.get(prefix) ?? { prefix, done: 0, erred: 0, total: 0 };
      entry.total++;
      this.counts.set(prefix, entry);
    }
    // Scheduler clocks can differ a little from ours: look back a minute at first.
    this.since = this.started / 1000 - 60;
  }

  /** Starts a bar for these task keys, or returns null when the output is not a terminal. */
  static start(source: TaskStreamSource, keys: Iterable<string>, options: TerminalProgressOptions = {}): TerminalProgress | null {
    const output = options.output ?? process.stdout;
    if (!output.isTTY || process.env.TESSERA_PROGRESS === "0") return null;
    const progress = new TerminalProgress(source, keys, output, options);
    if (progress.remaining.size === 0) return null;
    progress.schedule(options.delayMs ?? 500);
    return progress;
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(() => {
      this.polling = this.poll().then(() => {
        this.polling = null;
        if (!this.stopped) this.schedule(this.options.intervalMs ?? 200);
      });
    }, ms);
    this.timer.unref();
  }

  private async poll(): Promise<void> {
    try {
      const records = (await this.source.getTaskStream({ since: this.since })) as Array<{ key: string; status: string; startstops: Array<{ stop: number }> }>;
      let latest = 0;
      for (const record of records) {
        for (const part of record.startstops) latest = Math.max(latest, part.stop);
        const prefix = this.remaining.get(record.key);
        if (prefix === undefined) continue;
        this.remaining.delete(record.key);
        const entry = this.counts.get(prefix) as PrefixProgress;
        entry.done++;
        if (record.status === "error") entry.erred++;
      }
      if (latest > 0) this.since = Math.max(this.since, latest - 5);
    } catch {
      // The scheduler is gone or busy: the computation itself will say so.
    }
    if (!this.stopped) this.draw();
  }

  private draw(): void {
    const lines = renderProgress({ label: this.options.label ?? "", elapsedSeconds: (Date.now() - this.started) / 1000, prefixes: [...this.counts.values()] }, this.output.columns || 80);
    const up = this.drawnLines > 0 ? `\x1b[${this.drawnLines}F` : "";
    this.output.write(`${up}${lines.map((line) => `\x1b[2K${line}`).join("\n")}\n`);
    this.drawnLines = lines.length;
  }

  /** Stops polling; when the bar was shown, draws its final state (all done when `completed`). */
  async stop(completed: boolean): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.polling;
    if (this.drawnLines === 0) return;
    if (completed) {
      for (const entry of this.counts.values()) entry.done = Math.max(entry.done, entry.total - entry.erred);
      this.remaining.clear();
    }
    this.draw();
  }
}
