/**
 * Scaling decisions of a job-queue cluster, as pure functions.
 *
 * Jobs are the unit: one job runs `processes` workers, so every request is turned into a
 * number of jobs. `scale(n)` asks for n workers ⇒ ⌈n / processes⌉ jobs; `{ jobs }` is taken
 * as is; `{ cores }` and `{ memory }` ask for at least that much ⇒ ⌈cores / cores per job⌉
 * and ⌈bytes / memory per job⌉ jobs. Several keys together: the largest number wins.
 *
 * Scaling down stops whole jobs, never single workers of a job (dask-jobqueue cancelled a
 * whole job when one of its workers was chosen, killing its siblings, jobqueue#498). The
 * jobs to stop are those that cost least to lose: first jobs that have not started (newest
 * first), then started jobs none of whose workers connected, then the ones whose workers
 * hold the least data (newest first among equals).
 *
 * Replacing ahead of retirement: a job whose workers retire at the end of their lifetime
 * (before the walltime) is replaced `lead` seconds before the first of them retires, so the
 * replacement's workers are there to receive the results the retiring ones hand over. When
 * workers retire with nobody to take their results (all the job's workers started together
 * and retire together), those results are lost and recomputed. The lead is a tenth of the
 * lifetime, at least a minute, at most half of it (1 h walltime: 54 min lifetime, 5.4 min).
 */
import { InvalidOptionError } from "../core/errors.js";
import { parseBytes } from "../core/units.js";
import type { JobState } from "./job-state.js";

export type ScaleRequest = number | { workers?: number; jobs?: number; cores?: number; memory?: string | number };

export interface JobShape {
  processes: number;
  cores: number;
  memoryBytes: number;
}

/** The number of jobs a scale request asks for. */
export function jobsForRequest(request: ScaleRequest, shape: JobShape): number {
  const parts = typeof request === "number" ? { workers: request } : request;
  if (parts === null || typeof parts !== "object") {
    throw new InvalidOptionError(`scale: ${JSON.stringify(request)} is not a number of workers or { jobs | cores | memory }`);
  }
  const known = ["workers", "jobs", "cores", "memory"];
  const unknown = Object.keys(parts).filter((key) => !known.includes(key));
  if (unknown.length > 0) {
    throw new InvalidOptionError(`scale: unknown key ${JSON.stringify(unknown[0])}; give a number of workers, or { jobs }, { cores } or { memory }`);
  }
  const counts: number[] = [];
  const whole = (value: unknown, what: string): number => {
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
      throw new InvalidOptionError(`scale: ${what} ${JSON.stringify(value)} is not a whole number ≥ 0`);
    }
    return value;
  };
  if (parts.workers !== undefined) counts.push(Math.ceil(whole(parts.workers, "workers") / shape.processes));
  if (parts.jobs !== undefined) counts.push(whole(parts.jobs, "jobs"));
  if (parts.cores !== undefined) {
    const cores = parts.cores;
    if (typeof cores !== "number" || !Number.isFinite(cores) || cores < 0) {
      throw new InvalidOptionError(`scale: cores ${JSON.stringify(cores)} is not a number ≥ 0`);
    }
    counts.push(Math.ceil(cores / shape.cores));
  }
  if (parts.memory !== undefined) counts.push(Math.ceil(parseBytes(parts.memory, "scale: memory") / shape.memoryBytes));
  if (counts.length === 0) {
    throw new InvalidOptionError("scale: give a number of workers, or { jobs }, { cores } or { memory }");
  }
  return Math.max(...counts);
}

export interface AdaptBounds {
  minimum?: number;
  maximum?: number;
  minimumJobs?: number;
  maximumJobs?: number;
}

/** Adaptive bounds in workers: job bounds are whole jobs of `processes` workers. */
export function adaptBoundsInWorkers(bounds: AdaptBounds, processes: number): { minimum: number; maximum: number } {
  for (const key of ["minimum", "maximum", "minimumJobs", "maximumJobs"] as const) {
    const value = bounds[key];
    if (value !== undefined && (typeof value !== "number" || value < 0 || (!Number.isInteger(value) && value !== Infinity))) {
      throw new InvalidOptionError(`adapt: ${key} ${JSON.stringify(value)} is not a whole number ≥ 0`);
    }
  }
  const minimum = Math.max(bounds.minimum ?? 0, (bounds.minimumJobs ?? 0) * processes);
  const maximum = Math.min(bounds.maximum ?? Infinity, (bounds.maximumJobs ?? Infinity) * processes);
  if (maximum < minimum) {
    throw new InvalidOptionError(`adapt: the minimum (${minimum} workers) is above the maximum (${maximum} workers)`);
  }
  return { minimum, maximum };
}

export interface StopCandidate {
  name: string;
  state: JobState;
  /** Submission order: higher is newer. */
  order: number;
  connectedWorkers: number;
  storedBytes: number;
}

/** The `count` jobs to stop, cheapest to lose first (see the module comment). */
export function chooseJobsToStop<C extends StopCandidate>(candidates: readonly C[], count: number): C[] {
  const rank = (job: C): number => (job.state !== "running" ? 0 : job.connectedWorkers === 0 ? 1 : 2);
  return [...candidates]
    .sort((a, b) => rank(a) - rank(b) || (rank(a) === 2 ? a.storedBytes - b.storedBytes : 0) || b.order - a.order)
    .slice(0, Math.max(0, count));
}

/** Seconds before its workers retire at which a job's replacement is submitted (see above). */
export function replacementLeadSeconds(lifetimeSeconds: number): number {
  return Math.min(lifetimeSeconds / 2, Math.max(60, 0.1 * lifetimeSeconds));
}

/** Lead in seconds from the `replacementLead` option and the workers' lifetime; null: replace only once ended. */
export function replacementLeadFor(lead: number | "auto" | false, lifetimeSeconds: number | undefined): number | null {
  if (lead === false) return null;
  if (lead !== "auto") return lead;
  return lifetimeSeconds ? replacementLeadSeconds(lifetimeSeconds) : null;
}

/** Whether a job whose first worker retires at `retiresAt` (epoch seconds) is due for its replacement. */
export function dueForReplacement(retiresAt: number | null, now: number, leadSeconds: number): boolean {
  return retiresAt !== null && now >= retiresAt - leadSeconds;
}
