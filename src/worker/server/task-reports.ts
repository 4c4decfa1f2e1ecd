/**
 * What a worker tells the scheduler about its tasks (started, finished), batched as Dask's
 * BatchedSend does: while the worker has more work ready or running, the scheduler is not
 * waiting on these reports to keep it busy, so they wait up to REPORT_BATCH_MS to share one
 * write (a finished task and the next one started go together: half the writes and wake-ups
 * on both sides). An idle worker's report goes at the end of the turn, so a chain of tasks
 * waits on no timer. Task starts wait as long and go for the tasks still running then: most
 * tiny tasks end sooner, and cost no task-started message on either side. Everything goes
 * through the one scheduler connection's outbox, so the order of messages is the order they
 * were told.
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
  private startedTimer: ReturnType<typeof setTimeout> | null = null;
  /** When the first of `startedKeys` started (unix seconds). */
  private firstStart = 0;

  constructor(private readonly source: ReportSource, private readonly batchMs = REPORT_BATCH_MS) {}

  /**
   * Tells the scheduler which tasks are running (it blames only those if this worker dies).
   * Reported `batchMs` after the first of them started, and only for tasks still running
   * then: most tasks shorter than that cost no message. (They do not ride along with the
   * next task-finished: on a busy thread the next task has always just started then.)
   */
  started(key: string): void {
    if (this.startedKeys.length === 0) this.firstStart = unixSeconds();
    this.startedKeys.push(key);
    if (this.startedTimer === null) this.startedTimer = setTimeout(() => this.reportStarted(), this.batchMs);
  }

  /** A task report (task-finished): batched while the worker is busy. */
  tell(message: OutgoingMessage): void {
    this.send(message);
  }

  private reportStarted(): void {
    if (this.startedTimer !== null) clearTimeout(this.startedTimer);
    this.startedTimer = null;
    const running = this.startedKeys.filter((k) => this.source.stillRunning(k));
    this.startedKeys = [];
    if (running.length > 0) this.send({ op: "task-started", keys: running, start: this.firstStart });
  }

  private send(message: OutgoingMessage): void {
    const scheduler = this.source.connection();
    if (!scheduler || scheduler.isClosed) return;
    if (this.source.pendingWork() > 0) scheduler.sendSoon(message, this.batchMs);
    else scheduler.send(message);
  }
}
