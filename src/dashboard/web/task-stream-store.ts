/**
 * The task-stream rectangles a page holds, in parallel typed arrays used as a ring: the
 * newest `capacity` rectangles stay (1000 on the Status page, 100,000 on the Task stream
 * page), older ones fall off. Rows (worker threads) and prefixes keep the small integer
 * ids the server gave them; `rowOrder` sorts rows by worker name, then thread.
 */
import type { StreamDelta } from "../server/stream-encoder.js";

export interface StreamRow {
  label: string;
  worker: string;
}

export interface StreamPrefix {
  name: string;
  colour: string;
}

export class TaskStreamStore {
  readonly row: Int32Array;
  readonly start: Float64Array;
  readonly stop: Float64Array;
  readonly kind: Uint8Array;
  readonly prefix: Int32Array;
  readonly bytes: Float64Array;
  readonly key: string[];
  readonly rows = new Map<number, StreamRow>();
  readonly prefixes = new Map<number, StreamPrefix>();
  /** Display position of each row id (sorted by worker name, then thread). */
  rowOrder = new Map<number, number>();
  origin = 0;
  count = 0;
  private head = 0;
  /** Increases with every change, so charts know when to redraw. */
  version = 0;

  constructor(readonly capacity: number, private readonly clearAfterGapSeconds = Infinity) {
    this.row = new Int32Array(capacity);
    this.start = new Float64Array(capacity);
    this.stop = new Float64Array(capacity);
    this.kind = new Uint8Array(capacity);
    this.prefix = new Int32Array(capacity);
    this.bytes = new Float64Array(capacity);
    this.key = new Array<string>(capacity).fill("");
  }

  /** Storage index of the n-th oldest rectangle held. */
  index(n: number): number {
    return (this.head + n) % this.capacity;
  }

  clear(): void {
    this.count = 0;
    this.head = 0;
    this.version++;
  }

  add(delta: StreamDelta, reset = false): void {
    if (reset) this.clear();
    this.origin = delta.origin;
    let rowsChanged = false;
    for (const [id, label, worker] of delta.rows) {
      if (!this.rows.has(id)) rowsChanged = true;
      this.rows.set(id, { label, worker });
    }
    for (const [id, name, colour] of delta.prefixes) this.prefixes.set(id, { name, colour });
    if (rowsChanged) this.sortRows();
    if (delta.start.length > 0 && this.count > 0 && Math.min(...delta.start.slice(0, 64)) > this.timeRange()[1] + this.clearAfterGapSeconds) {
      this.clear();
    }
    for (let i = 0; i < delta.start.length; i++) {
      let slot: number;
      if (this.count < this.capacity) {
        slot = this.index(this.count);
        this.count++;
      } else {
        slot = this.head;
        this.head = (this.head + 1) % this.capacity;
      }
      this.row[slot] = delta.row[i];
      this.start[slot] = delta.start[i];
      this.stop[slot] = delta.stop[i];
      this.kind[slot] = delta.kind[i];
      this.prefix[slot] = delta.prefix[i];
      this.bytes[slot] = delta.bytes[i] ?? 0;
      this.key[slot] = delta.key[i] ?? "";
    }
    this.version++;
  }

  private sortRows(): void {
    const ids = [...this.rows.keys()];
    const collator = new Intl.Collator("en", { numeric: true });
    ids.sort((a, b) => collator.compare((this.rows.get(a) as StreamRow).label, (this.rows.get(b) as StreamRow).label));
    this.rowOrder = new Map(ids.map((id, position) => [id, position]));
  }

  /** Earliest start and latest stop held, in seconds from `origin`. */
  timeRange(): [number, number] {
    let low = Infinity;
    let high = -Infinity;
    for (let n = 0; n < this.count; n++) {
      const i = this.index(n);
      if (this.start[i] < low) low = this.start[i];
      if (this.stop[i] > high) high = this.stop[i];
    }
    return this.count > 0 ? [low, high] : [0, 1];
  }
}
