/**
 * Why a gather's attempts failed, kept so that giving up says so: which worker, what went
 * wrong (it was gone, it died during the transfer, it no longer held the keys, it answered
 * with an error, nobody held them) and for how many keys, attempt by attempt, followed by
 * what to do. A bare list of keys would leave the user guessing.
 */
import { ClosedError, TesseraError, TimeoutError } from "../core/errors.js";

export class GatherError extends TesseraError {
  override name = "GatherError";
  constructor(message: string, readonly attempts: ReadonlyArray<readonly string[]>) {
    super(message);
  }
}

/** One worker's failure, in words (the connection could not be made: `connecting`). */
export function describeTransferFailure(worker: string, error: unknown, connecting: boolean): string {
  const message = error instanceof Error ? error.message : String(error);
  if (connecting) return `could not connect to ${worker} (${message}): the worker is gone`;
  if (error instanceof ClosedError) return `${worker} closed the connection during the transfer: the worker died or was restarted (${message})`;
  if (error instanceof TimeoutError) return `${worker} did not answer in time (${message})`;
  return `${worker} answered with an error: ${message}`;
}

export class GatherFailures {
  /** Per attempt: reason → number of keys. */
  private readonly byAttempt: Array<Map<string, number>> = [];

  note(attempt: number, reason: string, keys: number): void {
    while (this.byAttempt.length <= attempt) this.byAttempt.push(new Map());
    const reasons = this.byAttempt[attempt];
    reasons.set(reason, (reasons.get(reason) ?? 0) + keys);
  }

  /** The error to give up with: the keys left, each attempt's reasons (equal runs of attempts merged) and what to do. */
  error(keys: readonly string[], attempts: number): GatherError {
    const lines = this.byAttempt.map((reasons) => [...reasons].map(([reason, count]) => `${reason} [${count} key(s)]`));
    const runs: string[] = [];
    for (let i = 0; i < lines.length;) {
      let j = i;
      while (j + 1 < lines.length && lines[j + 1].join("; ") === lines[i].join("; ")) j++;
      const text = lines[i].length > 0 ? lines[i].join("; ") : "no failure recorded";
      runs.push(`${i === j ? `attempt ${i + 1}` : `attempts ${i + 1}-${j + 1}`}: ${text}`);
      i = j + 1;
    }
    const shown = keys.slice(0, 3).join(", ") + (keys.length > 3 ? ` and ${keys.length - 3} more` : "");
    return new GatherError(
      `could not gather ${keys.length} key(s) (${shown}) after ${attempts} attempts. Why each attempt failed: ${runs.join(" | ")}. ` +
      "Workers that died or were restarted during transfers were likely killed by their nanny for passing 95% of their memory limit: " +
      "see the worker logs (client.getWorkerLogs()) and cluster.nannies[i].restarts; give the workers more memory, or gather fewer results at once " +
      "(compute a reduction, or write the array to storage with toZarr). Keys lost again and again are recomputed each time: an error in their task shows in their future.",
      lines,
    );
  }
}
