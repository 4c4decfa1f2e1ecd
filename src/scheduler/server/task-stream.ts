/**
 * A bounded record of what happened (task runs with their start/stop times, workers
 * joining and leaving), for the client's getTaskStream, performance reports and the
 * dashboard. Old records fall off the front so a long-running scheduler stays small.
 */
import type { ObservedRecord } from "../state/commands.js";

export type TaskRecord = Extract<ObservedRecord, { kind: "task" }>;

export class TaskStreamLog {
  private records: ObservedRecord[] = [];

  constructor(private readonly capacity = 100_000) {}

  add(record: ObservedRecord): void {
    this.records.push(record);
    // Trimmed in batches, so the splice's cost is shared by many additions.
    if (this.records.length > this.capacity * 1.25) this.records.splice(0, this.records.length - this.capacity);
  }

  /** Task records whose compute ended at or after `since` (seconds since the epoch). */
  tasksSince(since = 0, count?: number): TaskRecord[] {
    const out: TaskRecord[] = [];
    for (const record of this.records) {
      if (record.kind !== "task") continue;
      const stop = record.startstops.reduce((max, s) => Math.max(max, s.stop), 0);
      if (stop >= since) out.push(record);
    }
    return count !== undefined ? out.slice(-count) : out;
  }

  all(): readonly ObservedRecord[] {
    return this.records;
  }
}
