/**
 * A Channel moves batches of messages between two peers. A batch is a list of message
 * objects plus the binary frames they refer to. Stream channels (tcp, tls) encode batches
 * as msgpack + frames; the in-process channel hands the objects over as they are.
 */
import { TesseraError } from "../core/errors.js";
import type { OutgoingFrame } from "./frame-source.js";

/** A batch that cannot be encoded, or that the peer would refuse for its size; nothing of it was sent. */
export class UnsendableError extends TesseraError {
  override name = "UnsendableError";
}

export interface Batch {
  messages: unknown[];
  frames: Uint8Array[];
}

export interface Channel {
  readonly localAddress: string;
  readonly peerAddress: string;
  /**
   * Sends one batch, whole or not at all: a batch that cannot be encoded or is over the
   * peer's limits raises UnsendableError before a byte is written (the Connection then
   * sends its messages one by one, so only the culprit fails). On a closed channel it does
   * nothing: the Connection refuses to send there, and fails what waited on the peer.
   */
  send(batch: Batch): void;
  /**
   * Sends messages whose frames may be streamed (frame-source.ts), on transports that write
   * bytes (absent in-process: nothing is serialised there). Resolves once written; rejects
   * with UnsendableError before anything is written, or with the failure that dropped the
   * connection mid-message. Batches sent meanwhile follow it.
   */
  sendStreamed?(messages: unknown[], frames: readonly OutgoingFrame[]): Promise<void>;
  /**
   * When the peer last showed it is alive (performance.now() milliseconds): bytes arrived
   * from it, or bytes we queued were taken by the network (a peer that stopped reading
   * stops taking them once the kernel buffers fill). Sampled by the liveness check.
   */
  lastActivity(): number;
  /**
   * Registers the receiver; batches that arrived while none was registered are delivered at
   * once. `null` detaches it, so batches wait for the next receiver (the handshake hands over
   * to the session this way).
   */
  onBatch(receiver: ((batch: Batch) => void) | null): void;
  /** Called once when the channel closes for any reason, with the reason if it failed. */
  onClose(listener: (error?: Error) => void): void;
  /** Tighten or relax the size limits of incoming data (after authentication). */
  setAuthenticated(): void;
  /**
   * Closes the channel: what was sent is flushed, and a peer that does not take it within
   * `graceMs` (default 2 s) is cut off (unauthenticated peers get a short grace).
   */
  close(graceMs?: number): void;
  readonly closed: boolean;
}

/**
 * The receiving half of `Channel.onBatch`, shared by the transports: batches are handed to
 * the receiver, or kept in order until one is attached.
 */
export class BatchInbox {
  private receiver: ((batch: Batch) => void) | null = null;
  private pending: Batch[] = [];

  deliver(batch: Batch): void {
    if (this.receiver) this.receiver(batch);
    else this.pending.push(batch);
  }

  attach(receiver: ((batch: Batch) => void) | null): void {
    this.receiver = receiver;
    if (!receiver) return;
    const pending = this.pending;
    this.pending = [];
    for (const batch of pending) receiver(batch);
  }
}
