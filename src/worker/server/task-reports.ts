/**
 * What a worker tells the scheduler about its tasks (started, finished), batched as Dask's
 * BatchedSend does: while the worker has more work ready or running, the scheduler is not
 * waiting on these reports to keep it busy, so they wait up to REPORT_BATCH_MS to share one
 * write (a finished task and the next one started go together: half the writes and wake-ups
 * on both sides). An idle worker's report goes at the end of the turn, so a chain of tasks
 * waits on no timer. Everything goes through the one scheduler connection's outbox, so the
 * order of messages is the order they were told.
 */
import type { Connection, OutgoingMessage } from "../../comm/connection.js";
import { unixSeconds } from "../../core/clock.js";

/** How long a busy worker's task reports may wait for company (Dask's batched-send interval). */
export const REPORT_BATCH_MS = 2;

export interface ReportSource {
  /** The scheduler connection, once there is one. */
  connection(): Connection | undefined;
  /** Tasks ready or running on this worker now. */
  pendingWork(): number;
  /** Whether the task is still running on a thread. */
  stillRunning(key: string): boolean;
}

export class TaskReports {
  private startedKeys: string[] = [];

  constructor(private readonly source: ReportSource, private readonly batchMs = REPORT_BATCH_MS) {}

  /**
   * Tells the scheduler which tasks are running (it blames only those if this worker dies).
   * Reported at the end of the turn, and only for tasks still running then: a tiny task that
   * already finished costs no message.
   */
  started(key: string): void {
    this.startedKeys.push(key);
    if (this.startedKeys.length > 1) return;
    setImmediate(() => {
      const running = this.startedKeys.filter((k) => this.source.stillRunning(k));
      this.startedKeys = [];
      if (running.length > 0) this.tell({ op: "task-started", keys: running, start: unixSeconds() });
    });
  }

  /** A task report (task-finished): batched while the worker is busy. */
  tell(message: OutgoingMessage): void {
    const scheduler = this.source.connection();
    if (!scheduler || scheduler.isClosed) return;
    if (this.source.pendingWork() > 0) scheduler.sendSoon(message, this.batchMs);
    else scheduler.send(message);
  }
}
