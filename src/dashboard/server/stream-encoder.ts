/**
 * The task stream in the compact, columnar form the browser draws from (live dashboard and
 * performance reports alike): one rectangle per start/stop entry of a task and one per
 * transfer, in parallel arrays, times in seconds from a fixed origin, rows (worker threads)
 * and task prefixes as small integers whose names travel once. The encoder remembers the
 * rows and prefixes it has named, so each update carries only what is new.
 */
import type { ObservedRecord } from "../../scheduler/state/commands.js";
import { rectKinds, type RectKind } from "../web/stream-kinds.js";
import { prefixColour } from "./prefix-colour.js";

export { rectKinds };

export interface StreamRows {
  /** [row index, label, worker address] */
  rows: Array<[number, string, string]>;
  /** [prefix index, name, colour] */
  prefixes: Array<[number, string, string]>;
}

export interface StreamDelta extends StreamRows {
  origin: number;
  row: number[];
  start: number[];
  stop: number[];
  kind: number[];
  prefix: number[];
  key: string[];
  /** Bytes moved, for transfers (0 otherwise). */
  bytes: number[];
}

const round = (seconds: number) => Math.round(seconds * 1e4) / 1e4;

export class StreamEncoder {
  private readonly rowIndex = new Map<string, number>();
  private readonly prefixIndex = new Map<string, number>();
  private readonly rowNames: StreamRows["rows"] = [];
  private readonly prefixNames: StreamRows["prefixes"] = [];
  private newRows: StreamRows["rows"] = [];
  private newPrefixes: StreamRows["prefixes"] = [];

  /** `origin`: epoch seconds that times are counted from. */
  constructor(readonly origin: number, private readonly workerName: (address: string) => string = (a) => a) {}

  private row(worker: string, thread: number): number {
    const id = `${worker}#${thread}`;
    let index = this.rowIndex.get(id);
    if (index === undefined) {
      index = this.rowIndex.size;
      this.rowIndex.set(id, index);
      const entry: [number, string, string] = [index, `${this.workerName(worker)} · ${thread}`, worker];
      this.rowNames.push(entry);
      this.newRows.push(entry);
    }
    return index;
  }

  private prefix(name: string): number {
    let index = this.prefixIndex.get(name);
    if (index === undefined) {
      index = this.prefixIndex.size;
      this.prefixIndex.set(name, index);
      const entry: [number, string, string] = [index, name, prefixColour(name)];
      this.prefixNames.push(entry);
      this.newPrefixes.push(entry);
    }
    return index;
  }

  /** Every row and prefix named so far (for a browser that joins late). */
  tables(): StreamRows {
    return { rows: [...this.rowNames], prefixes: [...this.prefixNames] };
  }

  /** Encodes records; the result names only rows and prefixes not named by earlier calls. */
  encode(records: Iterable<ObservedRecord>): StreamDelta {
    const delta = this.rectangles(records);
    delta.rows = this.newRows;
    delta.prefixes = this.newPrefixes;
    this.newRows = [];
    this.newPrefixes = [];
    return delta;
  }

  /**
   * Encodes past records for a browser that joins late: the result names every row and
   * prefix, and those first named here are still announced to everyone by the next encode().
   */
  encodeHistory(records: Iterable<ObservedRecord>): StreamDelta {
    const delta = this.rectangles(records);
    const tables = this.tables();
    delta.rows = tables.rows;
    delta.prefixes = tables.prefixes;
    return delta;
  }

  private rectangles(records: Iterable<ObservedRecord>): StreamDelta {
    const delta: StreamDelta = { origin: this.origin, rows: [], prefixes: [], row: [], start: [], stop: [], kind: [], prefix: [], key: [], bytes: [] };
    const push = (row: number, start: number, stop: number, kind: RectKind, prefix: number, key: string, bytes: number) => {
      delta.row.push(row);
      delta.start.push(round(start - this.origin));
      delta.stop.push(round(stop - this.origin));
      delta.kind.push(rectKinds.indexOf(kind));
      delta.prefix.push(prefix);
      delta.key.push(key);
      delta.bytes.push(bytes);
    };
    for (const record of records) {
      if (record.kind === "task") {
        const row = this.row(record.worker, record.thread);
        const prefix = this.prefix(record.prefix);
        for (const part of record.startstops) {
          const kind: RectKind = part.action === "compute" ? (record.status === "error" ? "error" : "compute")
            : (rectKinds as readonly string[]).includes(part.action) ? (part.action as RectKind) : "compute";
          push(row, part.start, part.stop, kind, prefix, record.key, 0);
        }
      } else if (record.kind === "transfer") {
        // Transfers are not tied to a thread; they are drawn on the receiving worker's first row.
        const row = this.row(record.worker, 0);
        const label = record.keys.length === 1 ? record.keys[0] : `${record.keys.length} keys from ${this.workerName(record.from)}`;
        push(row, record.start, record.stop, "transfer", this.prefix("transfer"), label, record.bytes);
      }
    }
    return delta;
  }
}
