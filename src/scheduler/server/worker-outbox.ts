/**
 * What the scheduler sends each worker, with `free-keys` batched as Dask's scheduler batches
 * its worker streams (BatchedSend, 5 ms): a worker never waits on a free-keys to make
 * progress, so the keys released for one worker wait up to FREE_KEYS_DELAY_MS and leave as
 * ONE free-keys message, riding on the next message that worker gets anyway (a compute-task,
 * most often) or on their own when the delay ends. A tree reduction releases its inputs one
 * finished task at a time: without this, every released input was a message of its own and
 * about a third of the scheduler's socket writes (and of the workers' wake-ups) carried
 * nothing else.
 *
 * Order per worker is kept: a worker's pending keys go out before any other message to that
 * worker, so a "free K" followed by "compute K" (a task rerun where its old result was
 * dropped) arrives in that order.
 *
 * Each free-keys carries its number on the worker's link (`seq`, from 1). A client's scatter
 * sends update-data to the worker on a connection of its own, which no order on this link
 * reaches: a free-keys for a key's previous copy, sent before the client asked where to
 * scatter, may reach the worker after the new copy. The client's update-data names how many
 * free-keys that worker had been sent when it asked (sentTo, in scheduler-info), and the
 * worker lets none of those drop what it carries (worker/state/late-free-keys.ts).
 */
import type { OutgoingMessage } from "../../comm/connection.js";

/** How long released keys may wait for company (Dask's scheduler→worker BatchedSend interval). */
export const FREE_KEYS_DELAY_MS = 5;

/** The part of a worker connection this needs. */
export interface WorkerLink {
  readonly isClosed: boolean;
  send(message: OutgoingMessage, frames?: readonly Uint8Array[]): void;
  /** Queues a message that may wait up to `maxDelayMs` to share a write (comm/connection.ts). */
  sendSoon(message: OutgoingMessage, maxDelayMs: number): void;
}

/** setTimeout/clearTimeout behind an interface (tests pass a fake they fire by hand). */
export interface DelayTimers {
  set(ms: number, fire: () => void): unknown;
  clear(handle: unknown): void;
}

const realTimers: DelayTimers = {
  set: (ms, fire) => {
    const timer = setTimeout(fire, ms);
    timer.unref();
    return timer;
  },
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class WorkerOutbox {
  /** Released keys per worker address, not yet sent. */
  private pending = new Map<string, string[]>();
  private timer: unknown = null;
  /** Free-keys messages sent per worker address: the last one's `seq`. */
  private sent = new Map<string, number>();
  /** Keys released (handed to freeKeys), and the free-keys messages sent for them: batching shows in the ratio. */
  releasedKeys = 0;
  freeKeysMessages = 0;
  /** Messages sent with a delay allowed (they share a write with the worker's next message). */
  soonMessages = 0;

  constructor(
    private readonly link: (address: string) => WorkerLink | undefined,
    private readonly delayMs = FREE_KEYS_DELAY_MS,
    private readonly timers: DelayTimers = realTimers,
  ) {}

  /** Queues keys for the worker to drop; they leave with its next message or when the delay ends. */
  freeKeys(address: string, keys: readonly string[]): void {
    if (keys.length === 0) return;
    this.releasedKeys += keys.length;
    const list = this.pending.get(address);
    if (list) for (const key of keys) list.push(key);
    else this.pending.set(address, [...keys]);
    this.timer ??= this.timers.set(this.delayMs, () => {
      this.timer = null;
      this.flushAll();
    });
  }

  /**
   * Sends a message at the end of this turn, after the worker's pending free-keys; with
   * `soonMs`, it may wait that long to share a write with the worker's next message (a
   * message with frames never waits: the delayed path carries none).
   */
  send(address: string, message: OutgoingMessage, frames?: readonly Uint8Array[], soonMs?: number): void {
    const link = this.link(address);
    if (!link || link.isClosed) return;
    if (soonMs !== undefined && (!frames || frames.length === 0)) {
      this.flushTo(address, link, soonMs);
      link.sendSoon(message, soonMs);
      this.soonMessages++;
      return;
    }
    this.flushTo(address, link);
    link.send(message, frames);
  }

  /** Sends the worker's pending free-keys now. */
  flush(address: string): void {
    const link = this.link(address);
    if (link && !link.isClosed) this.flushTo(address, link);
    else this.pending.delete(address);
  }

  /**
   * Forgets pending keys the worker holds again through a path that bypasses this outbox (a
   * client's scatter sends update-data straight to the worker): the old free-keys, sent after
   * the new value arrived, would drop it while the scheduler counts it in memory there.
   */
  cancel(address: string, keys: readonly string[]): void {
    const list = this.pending.get(address);
    if (!list) return;
    const again = new Set(keys);
    const kept = list.filter((key) => !again.has(key));
    if (kept.length > 0) this.pending.set(address, kept);
    else this.pending.delete(address);
    this.stopTimerIfIdle();
  }

  flushAll(): void {
    for (const address of [...this.pending.keys()]) this.flush(address);
    this.stopTimerIfIdle();
  }

  /**
   * Free-keys messages sent to the worker so far (what it waits for is sent first): a
   * scatter's update-data names it, and none of those drops the data it carries.
   */
  sentTo(address: string): number {
    this.flush(address);
    return this.sent.get(address) ?? 0;
  }

  /**
   * The worker left: what it was to drop went with it. Its count stays: a client may still
   * scatter to a new worker at that address with the old count, which that worker must see
   * passed by the next free-keys (numbering anew from 1 would let the stale count shield keys
   * the scheduler frees there, which the worker would then keep for ever).
   */
  drop(address: string): void {
    this.pending.delete(address);
    this.stopTimerIfIdle();
  }

  close(): void {
    this.pending.clear();
    this.sent.clear();
    this.stopTimerIfIdle();
  }

  /** Keys waiting for a worker (tests and diagnostics). */
  pendingFor(address: string): readonly string[] {
    return this.pending.get(address) ?? [];
  }

  private flushTo(address: string, link: WorkerLink, soonMs?: number): void {
    const keys = this.pending.get(address);
    if (!keys) return;
    this.pending.delete(address);
    this.freeKeysMessages++;
    const seq = (this.sent.get(address) ?? 0) + 1;
    this.sent.set(address, seq);
    if (soonMs !== undefined) link.sendSoon({ op: "free-keys", keys, seq }, soonMs);
    else link.send({ op: "free-keys", keys, seq });
    this.stopTimerIfIdle();
  }

  private stopTimerIfIdle(): void {
    if (this.pending.size === 0 && this.timer !== null) {
      this.timers.clear(this.timer);
      this.timer = null;
    }
  }
}
