/**
 * A Connection is an authenticated channel with three services on top:
 * - batching: messages sent in one event-loop turn leave together in one write (flushed on
 *   setImmediate, so an idle link adds no delay and a busy one coalesces);
 * - request/reply: `request()` tags a message with a reqId and resolves with the matching
 *   reply (or the remote error, re-raised with its stack);
 * - validation: every incoming message is checked against the protocol schema before its
 *   handler runs; a malformed message drops the connection with a logged error.
 */
import { ClosedError, TesseraError, TimeoutError } from "../core/errors.js";
import type { Logger } from "../core/log.js";
import { type Message, messageSchema } from "../protocol/messages.js";
import { fastValidate } from "../protocol/fast-validation.js";
import { fromWireError, toWireError } from "../protocol/payload.js";
import type { Batch, Channel } from "./channel.js";

export class ProtocolError extends TesseraError {
  override name = "ProtocolError";
}

export interface Reply {
  result: unknown;
  frames: Uint8Array[];
}

export type MessageHandler = (message: Message, frames: Uint8Array[], connection: Connection) => void;

type Outgoing = Record<string, unknown> & { op: string };
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A message as handed to send(): frame indices and request ids are filled in here. */
export type OutgoingMessage = DistributiveOmit<Message, "f" | "reqId"> & { f?: number[]; reqId?: number };

interface PendingRequest {
  resolve: (reply: Reply) => void;
  reject: (error: Error) => void;
  /** Stops the timeout and the abort listener; called once the request is settled. */
  dispose: () => void;
}

let nextConnectionId = 0;

export class Connection {
  readonly id = ++nextConnectionId;
  private outbox: Outgoing[] = [];
  private outFrames: Uint8Array[] = [];
  private flushScheduled = false;
  private nextRequestId = 0;
  private pending = new Map<number, PendingRequest>();
  private handler: MessageHandler | null = null;
  private closeListeners: Array<(error?: Error) => void> = [];
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
    if (this.channel.closed) listener();
    else this.closeListeners.push(listener);
  }

  send(message: OutgoingMessage, frames: readonly Uint8Array[] = []): void {
    if (this.channel.closed) return;
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

  /** Sends now instead of at the end of this turn (before closing, or for latency). */
  flush(): void {
    this.flushScheduled = false;
    if (this.outbox.length === 0) return;
    const batch: Batch = { messages: this.outbox, frames: this.outFrames };
    this.outbox = [];
    this.outFrames = [];
    this.channel.send(batch);
  }

  request(message: OutgoingMessage, frames: readonly Uint8Array[] = [], options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<Reply> {
    if (this.channel.closed) return Promise.reject(new ClosedError(`connection to ${this.peerAddress} is closed`));
    const { timeoutMs, signal } = options;
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

  reply(reqId: number, result: unknown, frames: readonly Uint8Array[] = []): void {
    this.send({ op: "reply", reqId, ok: true, result }, frames);
  }

  replyError(reqId: number, error: unknown): void {
    this.send({ op: "reply", reqId, ok: false, error: toWireError(error) });
  }

  close(): void {
    this.flush();
    this.channel.close();
  }

  private receive(batch: Batch): void {
    for (const raw of batch.messages) {
      if (this.channel.closed) return;
      const fast = fastValidate(raw);
      const parsed = fast ? { success: true as const, data: fast } : messageSchema.safeParse(raw);
      if (!parsed.success) {
        const op = raw && typeof raw === "object" ? String((raw as { op?: unknown }).op) : typeof raw;
        this.drop(new ProtocolError(`malformed "${op}" message from ${this.peerAddress}: ${parsed.error.issues[0]?.message ?? "invalid"} at ${parsed.error.issues[0]?.path.join(".") ?? ""}`));
        return;
      }
      const message = parsed.data;
      let frames: Uint8Array[] = [];
      if ("f" in message && message.f.length > 0) {
        frames = message.f.map((index) => batch.frames[index]);
        if (frames.some((frame) => frame === undefined)) {
          this.drop(new ProtocolError(`message "${message.op}" from ${this.peerAddress} refers to missing frames`));
          return;
        }
      }
      if (message.op === "reply") {
        this.settle(message.reqId, message.ok, message.result, message.error, frames);
        continue;
      }
      try {
        this.handler?.(message, frames, this);
      } catch (error) {
        this.drop(new ProtocolError(`handling "${message.op}" from ${this.peerAddress} failed: ${(error as Error).message}`, { cause: error }));
        return;
      }
    }
  }

  private settle(reqId: number, ok: boolean, result: unknown, error: unknown, frames: Uint8Array[]): void {
    const entry = this.pending.get(reqId);
    if (!entry) return;
    this.pending.delete(reqId);
    entry.dispose();
    if (ok) entry.resolve({ result, frames });
    else entry.reject(fromWireError(error));
  }

  /** Closes a connection whose peer misbehaved, logging why. */
  drop(error: Error): void {
    this.logger.error(`dropping connection ${this.peerAddress}`, error);
    this.channel.close();
  }

  private closed(error?: Error): void {
    const reason = new ClosedError(`connection to ${this.peerAddress} closed${error ? `: ${error.message}` : ""}`);
    for (const entry of this.pending.values()) {
      entry.dispose();
      entry.reject(reason);
    }
    this.pending.clear();
    for (const listener of this.closeListeners.splice(0)) listener(error);
  }
}
