/**
 * A Connection is an authenticated channel with three services on top:
 * - batching: messages sent in one event-loop turn leave together in one write (flushed on
 *   setImmediate, so an idle link adds no delay and a busy one coalesces);
 * - request/reply: `request()` tags a message with a reqId and resolves with the matching
 *   reply (or the remote error, re-raised with its stack); every request still waiting when
 *   the connection closes fails with the reason;
 * - validation: every incoming message is checked against the protocol schema before its
 *   handler runs.
 *
 * What must stay true: a message fails alone. One that this side cannot accept (malformed,
 * not allowed, its handler threw) is answered with an error reply when it is a request and
 * logged otherwise; one that cannot be sent (unencodable, over the peer's limits) fails its
 * own request, or turns into an error reply when it was a reply. The connection of an
 * authenticated peer is never dropped for either. A send on a closed connection raises.
 */
import { ClosedError, TesseraError, TimeoutError } from "../core/errors.js";
import type { Logger } from "../core/log.js";
import type { Message } from "../protocol/messages.js";
import { parseMessage } from "../protocol/fast-validation.js";
import { fromWireError, packPayload, toWireError } from "../protocol/payload.js";
import { type Batch, type Channel, UnsendableError } from "./channel.js";
import type { OutgoingFrame } from "./frame-source.js";

export class ProtocolError extends TesseraError {
  override name = "ProtocolError";
}

export interface Reply {
  result: unknown;
  frames: Uint8Array[];
}

export type MessageHandler = (message: Message, frames: Uint8Array[], connection: Connection) => void;

type Outgoing = Record<string, unknown> & { op: string; f?: number[]; reqId?: number };
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A message as handed to send(): frame indices and request ids are filled in here. */
export type OutgoingMessage = DistributiveOmit<Message, "f" | "reqId"> & { f?: number[]; reqId?: number };

interface PendingRequest {
  resolve: (reply: Reply) => void;
  /** Runs as the reply is read, before the next message (see request's `onReply`). */
  onReply?: (reply: Reply) => void;
  reject: (error: Error) => void;
  /** Stops the timeout and the abort listener; called once the request is settled. */
  dispose: () => void;
}

let nextConnectionId = 0;

const isCount = (value: unknown): value is number => typeof value === "number" && Number.isInteger(value) && value >= 0;

/** The op of a raw message, for error messages (whatever the peer sent). */
function opOf(raw: unknown): string {
  if (raw === null || typeof raw !== "object") return typeof raw;
  const op = (raw as { op?: unknown }).op;
  return typeof op === "string" ? op.slice(0, 100) : String(op);
}

function requestIdOf(raw: unknown): number | undefined {
  const reqId = raw !== null && typeof raw === "object" ? (raw as { reqId?: unknown }).reqId : undefined;
  return isCount(reqId) ? reqId : undefined;
}

export class Connection {
  readonly id = ++nextConnectionId;
  private outbox: Outgoing[] = [];
  private outFrames: Uint8Array[] = [];
  private flushScheduled = false;
  /** The timer of messages queued with sendSoon while no end-of-turn flush is due. */
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private nextRequestId = 0;
  private pending = new Map<number, PendingRequest>();
  private handler: MessageHandler | null = null;
  private closeListeners: Array<(error?: Error) => void> = [];
  /** Why this side closed the connection, when it had a reason (e.g. the peer went silent). */
  private closeReason: Error | undefined;
  /** Free-form owner data (the server keeps the peer's identity here). */
  peerInfo: Record<string, unknown> = {};

  constructor(
    readonly channel: Channel,
    private readonly logger: Logger,
  ) {
    channel.onClose((error) => this.closed(error));
  }

  get peerAddress(): string {
    return this.channel.peerAddress;
  }

  get isClosed(): boolean {
    return this.channel.closed;
  }

  /** Starts delivering messages; those that arrived earlier are delivered now. */
  start(handler: MessageHandler): void {
    this.handler = handler;
    this.channel.onBatch((batch) => this.receive(batch));
  }

  onClose(listener: (error?: Error) => void): void {
    if (this.channel.closed) listener(this.closeReason);
    else this.closeListeners.push(listener);
  }

  /** Queues a message for this turn's batch; raises ClosedError when the connection is closed. */
  send(message: OutgoingMessage, frames: readonly Uint8Array[] = []): void {
    if (this.channel.closed) throw this.closedError();
    const outgoing = message as unknown as Outgoing;
    if (frames.length > 0) {
      const base = this.outFrames.length;
      this.outFrames.push(...frames);
      outgoing.f = frames.map((_, i) => base + i);
    }
    this.outbox.push(outgoing);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /**
   * Queues a message that may wait up to `maxDelayMs` for company (Dask's BatchedSend): it
   * leaves with the next batch, at the end of a turn in which something is sent with send(),
   * or when the delay ends. One outbox serves both, so messages keep their order. For
   * reports whose peer is not waiting on them to make progress (a busy worker's task-finished):
   * fewer, larger writes cost both sides less CPU than one write per turn.
   */
  sendSoon(message: OutgoingMessage, maxDelayMs: number): void {
    if (this.channel.closed) throw this.closedError();
    this.outbox.push(message as unknown as Outgoing);
    if (!this.flushScheduled && this.flushTimer === null) this.flushTimer = setTimeout(() => this.flush(), maxDelayMs);
  }

  /** Sends now instead of at the end of this turn (before closing, or for latency). */
  flush(): void {
    this.flushScheduled = false;
    if (this.flushTimer !== null) {
      clearTimeout(this.flushTimer);
      this.flushTimer = null;
    }
    if (this.outbox.length === 0) return;
    const batch: Batch = { messages: this.outbox, frames: this.outFrames };
    this.outbox = [];
    this.outFrames = [];
    // On a closed channel the batch goes nowhere: its requests fail as the connection closes.
    if (this.channel.closed) return;
    try {
      this.channel.send(batch);
    } catch {
      this.sendOneByOne(batch);
    }
  }

  /** The batch could not go as a whole: each message goes alone, and only those that cannot go fail. */
  private sendOneByOne(batch: Batch): void {
    for (const message of batch.messages as Outgoing[]) {
      const indices = message.f ?? [];
      const single = indices.length > 0 ? { ...message, f: indices.map((_, i) => i) } : message;
      try {
        this.channel.send({ messages: [single], frames: indices.map((index) => batch.frames[index]) });
      } catch (error) {
        this.unsendable(message, error as Error);
      }
    }
  }

  private unsendable(message: Outgoing, cause: Error): void {
    const error = new ProtocolError(`a "${message.op}" message could not be sent to ${this.peerAddress}: ${cause.message}`, { cause });
    if (message.op === "reply" && message.reqId !== undefined) {
      // The requester is waiting: it gets this error instead of the reply (small, so it goes).
      this.channel.send({ messages: [{ op: "reply", reqId: message.reqId, ok: false, error: toWireError(error) }], frames: [] });
      return;
    }
    const entry = message.reqId === undefined ? undefined : this.pending.get(message.reqId);
    if (entry && message.reqId !== undefined) {
      this.pending.delete(message.reqId);
      entry.dispose();
      entry.reject(error);
      return;
    }
    this.logger.error(error.message);
  }

  /**
   * Sends `message` and resolves with its reply. `onReply` runs synchronously as the reply is
   * read, before any later message from the peer is handled: a caller that must register
   * something the reply names (a future the scheduler just handed over) does it there, so a
   * message about it that arrived right behind the reply finds it (the promise's
   * continuation would run only after the rest of the batch). An error it throws rejects.
   */
  request(message: OutgoingMessage, frames: readonly Uint8Array[] = [], options: { timeoutMs?: number; signal?: AbortSignal; onReply?: (reply: Reply) => void } = {}): Promise<Reply> {
    if (this.channel.closed) return Promise.reject(this.closedError());
    const { timeoutMs, signal, onReply } = options;
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    const reqId = ++this.nextRequestId;
    return new Promise<Reply>((resolve, reject) => {
      const abandon = (error: Error) => {
        if (!this.pending.delete(reqId)) return;
        entry.dispose();
        reject(error);
      };
      const onAbort = () => abandon(signal?.reason as Error);
      const timer = timeoutMs === undefined
        ? undefined
        : setTimeout(() => abandon(new TimeoutError(`${message.op} to ${this.peerAddress} got no reply within ${timeoutMs} ms`)), timeoutMs);
      const entry: PendingRequest = {
        resolve,
        reject,
        onReply,
        dispose: () => {
          clearTimeout(timer);
          signal?.removeEventListener("abort", onAbort);
        },
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.pending.set(reqId, entry);
      this.send({ ...message, reqId }, frames);
    });
  }

  /**
   * Answers a request. A reply to a peer that has gone is dropped: nobody waits for it (the
   * peer's side failed the request when the connection closed).
   */
  reply(reqId: number, result: unknown, frames: readonly Uint8Array[] = []): void {
    if (this.channel.closed) return;
    this.send({ op: "reply", reqId, ok: true, result }, frames);
  }

  /**
   * Answers a request with a value packed as a payload (binary parts as frames). A value that
   * cannot travel answers with the error naming it (`what` says whose value it is) instead.
   */
  replyValue(reqId: number, value: unknown, what: string): void {
    const frames: Uint8Array[] = [];
    let tree: unknown;
    try {
      tree = packPayload(value, frames, what);
    } catch (error) {
      this.replyError(reqId, error);
      return;
    }
    this.reply(reqId, tree, frames);
  }

  /** Whether replyStreamed can stream here (a socket; in-process channels hand values over as they are). */
  get streamsFrames(): boolean {
    return this.channel.sendStreamed !== undefined;
  }

  /**
   * Answers a request with frames of which some are streamed (frame-source.ts); resolves once
   * the reply is written. One that cannot go (over the peer's limits) answers with the error
   * instead; one whose source fails drops the connection (the requester sees it lost) and
   * rejects with that failure.
   */
  async replyStreamed(reqId: number, result: unknown, frames: readonly OutgoingFrame[]): Promise<void> {
    if (this.channel.closed) return;
    if (!this.channel.sendStreamed) throw new Error(`the connection to ${this.peerAddress} cannot stream frames`);
    this.flush(); // what was queued before goes first
    try {
      await this.channel.sendStreamed([{ op: "reply", reqId, ok: true, result, f: frames.map((_, i) => i) }], frames);
    } catch (error) {
      if (!(error instanceof UnsendableError)) throw error;
      this.replyError(reqId, new ProtocolError(`a "reply" message could not be sent to ${this.peerAddress}: ${error.message}`, { cause: error }));
    }
  }

  replyError(reqId: number, error: unknown): void {
    if (this.channel.closed) return;
    this.send({ op: "reply", reqId, ok: false, error: toWireError(error) });
  }

  /** Closes the connection; `reason` (e.g. the peer went silent) is what waiting requests fail with. */
  close(reason?: Error): void {
    this.closeReason ??= reason;
    this.flush();
    this.channel.close();
  }

  private closedError(detail?: Error): ClosedError {
    const reason = this.closeReason ?? detail;
    return new ClosedError(`connection to ${this.peerAddress} closed${reason ? `: ${reason.message}` : ""}`, { cause: reason });
  }

  private receive(batch: Batch): void {
    for (const raw of batch.messages) {
      if (this.channel.closed) return;
      this.receiveOne(raw, batch.frames);
    }
  }

  private receiveOne(raw: unknown, batchFrames: Uint8Array[]): void {
    const parsed = parseMessage(raw);
    if ("problem" in parsed) {
      this.refuse(raw, parsed.problem);
      return;
    }
    const message = parsed.message;
    // Frames belong to the connection, whatever the op: `f` maps the message's frames into the batch.
    const indices = (raw as { f?: unknown }).f ?? [];
    if (!Array.isArray(indices) || !indices.every((index) => isCount(index) && index < batchFrames.length)) {
      this.refuse(raw, "it refers to frames the batch does not have");
      return;
    }
    const frames = indices.map((index: number) => batchFrames[index]);
    if (message.op === "reply") {
      this.settle(message.reqId, message.ok, message.result, message.error, frames);
      return;
    }
    if (message.op === "ping") {
      this.reply(message.reqId, null);
      return;
    }
    try {
      this.handler?.(message, frames, this);
    } catch (error) {
      this.refuse(raw, (error as Error).message ?? String(error), error);
    }
  }

  /** A message this side cannot accept fails alone (see the module comment). */
  private refuse(raw: unknown, problem: string, cause?: unknown): void {
    const op = opOf(raw);
    const error = new ProtocolError(`"${op}" from ${this.peerAddress} refused: ${problem}`, { cause });
    const reqId = requestIdOf(raw);
    if (op === "reply") {
      // A reply we cannot read fails the request it answers instead of leaving it waiting.
      const entry = reqId === undefined ? undefined : this.pending.get(reqId);
      if (entry && reqId !== undefined) {
        this.pending.delete(reqId);
        entry.dispose();
        entry.reject(error);
      }
    } else if (reqId !== undefined) {
      this.replyError(reqId, error);
    }
    this.logger.warn(error.message);
  }

  private settle(reqId: number, ok: boolean, result: unknown, error: unknown, frames: Uint8Array[]): void {
    const entry = this.pending.get(reqId);
    if (!entry) return;
    this.pending.delete(reqId);
    entry.dispose();
    if (!ok) {
      entry.reject(fromWireError(error));
      return;
    }
    const reply = { result, frames };
    try {
      entry.onReply?.(reply);
    } catch (failure) {
      entry.reject(failure as Error);
      return;
    }
    entry.resolve(reply);
  }

  private closed(error?: Error): void {
    const reason = this.closedError(error);
    for (const entry of this.pending.values()) {
      entry.dispose();
      entry.reject(reason);
    }
    this.pending.clear();
    for (const listener of this.closeListeners.splice(0)) listener(this.closeReason ?? error);
  }
}
