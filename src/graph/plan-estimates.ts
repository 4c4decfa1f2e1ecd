/**
 * The peak memory estimates of the plans this process submitted, by task prefix, kept so
 * that a performance report can show them next to the peaks the workers measured. Kept
 * per process like the default executor; bounded (the most recent plans).
 */
import { unixSeconds } from "../core/clock.js";

export interface PlanEstimate {
  /** When the plan was checked (seconds since the epoch). */
  time: number;
  prefix: string;
  /** The largest estimated peak of the prefix's tasks, in bytes. */
  bytes: number;
}

const kept: PlanEstimate[] = [];
const maxKept = 10_000;

export function recordPlanEstimates(byPrefix: ReadonlyMap<string, number>): void {
  const time = unixSeconds();
  for (const [prefix, bytes] of byPrefix) kept.push({ time, prefix, bytes });
  if (kept.length > maxKept) kept.splice(0, kept.length - maxKept);
}

/** The largest estimate per prefix among plans checked since `since`. */
export function planEstimatesSince(since: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const entry of kept) {
    if (entry.time >= since && entry.bytes > (out.get(entry.prefix) ?? -1)) out.set(entry.prefix, entry.bytes);
  }
  return out;
}
