// What tessera reports about a batch job, whatever the system calls it.

/**
 * pending: queued, held or suspended (no workers yet); running: started (its workers may be
 * connecting); finished: ended with exit status 0; failed: ended otherwise (non-zero exit,
 * time limit, node failure, out of memory); cancelled: removed by a user or admin;
 * unknown: the batch system no longer (or never) reported it.
 */
export type JobState = "pending" | "running" | "finished" | "failed" | "cancelled" | "unknown";

export interface JobStatus {
  id: string;
  state: JobState;
  /** The system's own explanation, e.g. SLURM's "Resources", "Priority", "TimeLimit"; null if none. */
  reason: string | null;
  /** The system's state code as printed ("PENDING", "Q", "qw", "PEND", "1"); null when unknown. */
  rawState: string | null;
  /** Failed, yet still held in the queue (Grid Engine's error state Eqw): it must be deleted to go. */
  stillQueued?: boolean;
  /**
   * "unknown" only because the end record is not written yet: gone from the queue, absent
   * from the accounting (Grid Engine flushes it every 15 s by default). Asked again for a while.
   */
  settling?: boolean;
}

export const unknownJob = (id: string, reason: string | null = null): JobStatus => ({ id, state: "unknown", reason, rawState: null });

/**
 * Whether two ids name the same job: PBS prints "1234.server" where the job sees "1234" on
 * some sites, and the reverse; "1234.a" and "1234.b" are jobs of different servers.
 */
export function sameJobId(a: string, b: string): boolean {
  if (a === b) return true;
  const [numberA, ...restA] = a.split(".");
  const [numberB, ...restB] = b.split(".");
  return numberA === numberB && (restA.length === 0 || restB.length === 0);
}
