/**
 * The halos of the mapOverlaps this process lowered (cells read per cell written with a task
 * per chunk, and the chunks that would bring it under 2×), kept so that a performance report
 * can show them: the course's chunk-size advice, per mapOverlap of the run. Kept per process
 * like plan-estimates.ts; bounded (the most recent).
 */
import { unixSeconds } from "../core/clock.js";

export interface HaloRecord {
  /** When it was lowered (seconds since the epoch). */
  time: number;
  /** The mapOverlap's array name prefix (its function). */
  name: string;
  /** Its full array name: one record per mapOverlap however often it is lowered. */
  array: string;
  shape: number[];
  chunks: number[];
  depth: number[];
  overhead: number;
  suggestedChunks: number[] | null;
}

const kept: HaloRecord[] = [];
const maxKept = 1000;

export function recordHalo(record: Omit<HaloRecord, "time">): void {
  kept.push({ time: unixSeconds(), ...record });
  if (kept.length > maxKept) kept.splice(0, kept.length - maxKept);
}

/** The mapOverlaps lowered since `since`, one per distinct array (the latest). */
export function halosSince(since: number): HaloRecord[] {
  const byName = new Map<string, HaloRecord>();
  for (const record of kept) if (record.time >= since) byName.set(record.array, record);
  return [...byName.values()];
}
