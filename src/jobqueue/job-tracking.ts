/**
 * What a cluster knows about each job it submitted, updated from the batch system's answers.
 *
 * A job is active from submission until the batch system says it ended (finished, failed,
 * cancelled) or stops reporting it: a job the system listed once and no longer knows has
 * ended (SGE and HTCondor drop finished jobs; SLURM after MinJobAge); a job it never listed
 * is given `unknownGraceSeconds` to appear (some systems register submissions lazily) and
 * is then taken as lost, unless it was cancelled meanwhile: then it is simply gone. A job
 * that left the queue while its end record is still being written (`settling`) is asked
 * about again for up to `endRecordWaitSeconds`, so its end is reported with the batch
 * system's reason rather than as "it ended". Pure: the caller passes the clock.
 */
import { sameJobId, type JobState, type JobStatus } from "./job-state.js";

export interface TrackedJob {
  /** The job's worker name (`--name`), e.g. "SLURMCluster-3"; its workers are that or "<name>-<k>". */
  readonly name: string;
  /** The batch system's job id. */
  readonly id: string;
  /** Submission order within the cluster. */
  readonly order: number;
  /** Epoch seconds. */
  readonly submittedAt: number;
  status: JobStatus;
  /** The batch system reported the job at least once. */
  seen: boolean;
  /** At least one of its workers registered with the scheduler. */
  everConnected: boolean;
  /** The cluster is stopping it (scale-down or close): its end is wanted, not replaced. */
  stopping: boolean;
  /** The cancel command was run for it: once the batch system no longer lists it, it is gone. */
  cancelled: boolean;
  /** A replacement was submitted ahead of its workers' retirement: its end is expected. */
  superseded: boolean;
  /** Epoch seconds when it was found ended; null while active. */
  endedAt: number | null;
  /** Epoch seconds since when it has been missing from the queue without an end record; null otherwise. */
  missingSince: number | null;
}

/** A job as `cluster.jobs` shows it. */
export interface JobInfo {
  name: string;
  id: string;
  state: JobState;
  /** The batch system's explanation: "Priority", "Resources", "NonZeroExitCode", "TimeLimit"… */
  reason: string | null;
  /** The system's own state code ("PENDING", "R", "qw", "PEND"…). */
  rawState: string | null;
  submittedAt: number;
  endedAt: number | null;
  /** Names of the job's workers connected now. */
  workers: string[];
  /** The cluster is stopping it (scale-down, close). */
  stopping: boolean;
  /** When the first of its workers retires (its lifetime, before the walltime), epoch seconds; null if none. */
  retiresAt: number | null;
  /** A replacement was already submitted because its workers retire soon. */
  replaced: boolean;
}

export function newTrackedJob(name: string, id: string, order: number, now: number): TrackedJob {
  return {
    name, id, order, submittedAt: now,
    status: { id, state: "pending", reason: "submitted; not yet reported by the batch system", rawState: null },
    seen: false, everConnected: false, stopping: false, cancelled: false, superseded: false, endedAt: null, missingSince: null,
  };
}

export const isActive = (job: TrackedJob): boolean => job.endedAt === null;

/** A job as `cluster.jobs` shows it: `workers`, the names of its connected workers; `retiresAt`, see JobInfo. */
export function jobInfo(job: TrackedJob, workers: string[], retiresAt: number | null): JobInfo {
  const active = isActive(job);
  return {
    name: job.name, id: job.id, state: job.status.state, reason: job.status.reason, rawState: job.status.rawState,
    submittedAt: job.submittedAt, endedAt: job.endedAt, stopping: job.stopping,
    workers: active ? workers : [], retiresAt: active ? retiresAt : null, replaced: job.superseded,
  };
}

const endedStates: ReadonlySet<JobState> = new Set(["finished", "failed", "cancelled"]);

/** How long a job gone from the queue is asked about again while its end record is written (Grid Engine: 15 s by default). */
export const endRecordWaitSeconds = 30;

/** Applies polled statuses to the jobs; returns the jobs found ended by this update. */
export function applyJobStatuses(
  jobs: readonly TrackedJob[],
  statuses: readonly JobStatus[],
  now: number,
  unknownGraceSeconds: number,
): TrackedJob[] {
  const byId = new Map(statuses.map((status) => [status.id, status]));
  const ended: TrackedJob[] = [];
  for (const job of jobs) {
    const status = byId.get(job.id);
    if (!status || !isActive(job)) continue;
    if (status.state === "unknown") {
      if (status.settling && job.seen && !job.cancelled) {
        job.missingSince ??= now;
        if (now - job.missingSince < endRecordWaitSeconds) continue; // its end record may still come
      }
      if (job.seen || job.cancelled) {
        job.status = { ...status, reason: "no longer reported by the batch system: it ended" };
      } else if (now - job.submittedAt > unknownGraceSeconds) {
        job.status = { ...status, reason: `never reported by the batch system within ${unknownGraceSeconds} s of submission` };
      } else {
        continue; // not registered yet: keep "submitted"
      }
      job.endedAt = now;
      ended.push(job);
      continue;
    }
    job.seen = true;
    job.status = status;
    if (endedStates.has(status.state)) {
      job.endedAt = now;
      ended.push(job);
    }
  }
  return ended;
}

/** Does worker `workerName` (with batch job id `workerJobId`, if it reported one) belong to `job`? */
export function workerBelongsTo(job: Pick<TrackedJob, "id" | "name">, workerName: string, workerJobId: string | undefined): boolean {
  if (workerJobId !== undefined) return sameJobId(workerJobId, job.id);
  // No job id (HTCondor exports none): the name the job gave its workers.
  return workerName === job.name || workerName.startsWith(`${job.name}-`);
}

/** When the first of a job's workers retires by its lifetime (epoch seconds), or null. */
export function retirementOf(job: Pick<TrackedJob, "id" | "name">, workers: Iterable<{ identity: { name: string; jobId?: string; lifetimeEnd?: number } }>): number | null {
  let first: number | null = null;
  for (const { identity } of workers) {
    const end = identity.lifetimeEnd;
    if (end !== undefined && workerBelongsTo(job, identity.name, identity.jobId)) first = Math.min(first ?? end, end);
  }
  return first;
}
