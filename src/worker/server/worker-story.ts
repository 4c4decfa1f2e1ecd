/**
 * A worker's record of task transitions (Dask's worker story): every status change of every
 * task here, with the time and what caused it (the event being handled), for client.story().
 * Bounded like the scheduler's: the oldest entries fall off.
 */
export interface WorkerStoryEntry {
  key: string;
  from: string;
  to: string;
  /** Seconds since the epoch. */
  time: number;
  /** The event that caused it (compute-task, execute-success, fetch-success, …). */
  stimulus: string;
}

export class WorkerStory {
  private readonly entries: WorkerStoryEntry[] = [];
  private next = 0;

  constructor(readonly capacity = 100_000) {}

  record(entry: WorkerStoryEntry): void {
    if (this.entries.length < this.capacity) this.entries.push(entry);
    else this.entries[this.next] = entry;
    this.next = (this.next + 1) % this.capacity;
  }

  /** Every kept transition of these keys, oldest first. */
  story(keys: ReadonlySet<string>): WorkerStoryEntry[] {
    const ordered = this.entries.length < this.capacity ? this.entries : [...this.entries.slice(this.next), ...this.entries.slice(0, this.next)];
    return ordered.filter((entry) => keys.has(entry.key));
  }
}
