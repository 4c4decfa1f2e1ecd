/**
 * A Channel over a byte stream (a TCP or TLS socket). Outgoing batches become one framed
 * message: frame 0 is msgpack of the message list, the rest are the binary frames written
 * from their own memory (the socket is corked so small messages leave in one write).
 * Incoming bytes go through the FrameDecoder with strict limits until the peer has
 * authenticated.
 *
 * A message with streamed frames (frame-source.ts: a spilled value sent from its file) is
 * written piece by piece as the socket takes it; batches sent meanwhile wait behind it, in
 * order, so that no byte of theirs lands inside its frames.
 */
import type { Socket } from "node:net";
import { Packr } from "msgpackr";
import { type FrameLimits, FrameDecoder, encodePrelude, handshakeLimits, sessionLimits } from "../protocol/framing.js";
import { type Batch, BatchInbox, type Channel, UnsendableError } from "./channel.js";
import { type OutgoingFrame, writeFrames } from "./frame-source.js";

/** The part of a socket's libuv handle that says how many written bytes the kernel has not taken yet. */
type SocketWithHandle = Socket & { _handle?: { writeQueueSize?: number } | null };

// Standard msgpack (no records extension): every peer can read it, and maps stay maps.
const packr = new Packr({ useRecords: false, mapsAsObjects: true, variableMapSize: true });

export function encodeHeader(messages: unknown[]): Uint8Array {
  return packr.pack(messages);
}

export function decodeHeader(bytes: Uint8Array): unknown {
  return packr.unpack(bytes);
}

export class StreamChannel implements Channel {
  private inbox = new BatchInbox();
  private closeListeners: Array<(error?: Error) => void> = [];
  private decoder: FrameDecoder;
  /** What the peer's decoder accepts from us: handshake limits until we have authenticated. */
  private peerLimits: FrameLimits = handshakeLimits;
  private closeError: Error | undefined;
  private lastHeard = performance.now();
  private unsentSeen = 0;
  /** Messages waiting behind a streamed one; `done` marks a streamed one (told when written, or why not). */
  private backlog: Array<{ frames: OutgoingFrame[]; done?: (error?: Error) => void }> = [];
  private streaming = false;
  closed = false;

  constructor(
    private readonly socket: Socket,
    readonly localAddress: string,
    readonly peerAddress: string,
  ) {
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 10_000);
    this.decoder = new FrameDecoder(handshakeLimits, (frames) => this.deliver(frames));
    // Sockets created with an `onread` buffer (see connect.ts) deliver through receive()
    // instead of 'data' events; the listener is harmless for them.
    socket.on("data", (chunk: Buffer) => this.receive(chunk));
    socket.on("error", (error) => this.fail(error));
    socket.on("close", () => this.finish());
  }

  /** Bytes from the socket (from 'data' events or an onread callback; copied out at once). */
  receive(chunk: Uint8Array): void {
    if (this.closed) return;
    this.lastHeard = performance.now();
    try {
      this.decoder.push(chunk);
    } catch (error) {
      this.fail(error as Error);
    }
  }

  setAuthenticated(): void {
    this.decoder.setLimits(sessionLimits);
    this.peerLimits = sessionLimits;
  }

  lastActivity(): number {
    // Bytes not yet taken by the kernel: Node's buffer plus libuv's queue (the handle's
    // writeQueueSize, which shrinks while one large write drains; Node's own count does not).
    const socket = this.socket as SocketWithHandle;
    const unsent = socket.writableLength + (socket._handle?.writeQueueSize ?? 0);
    if (unsent < this.unsentSeen) this.lastHeard = performance.now();
    this.unsentSeen = unsent;
    return this.lastHeard;
  }

  private deliver(frames: Uint8Array[]): void {
    let messages: unknown;
    try {
      messages = decodeHeader(frames[0]);
    } catch (error) {
      throw new Error(`undecodable message header from ${this.peerAddress}`, { cause: error });
    }
    if (!Array.isArray(messages)) throw new Error(`message header from ${this.peerAddress} is not a list`);
    this.inbox.deliver({ messages, frames: frames.slice(1) });
  }

  send(batch: Batch): void {
    if (this.closed || this.socket.destroyed) return;
    const frames = this.withinLimits(batch.messages, batch.frames);
    if (this.streaming) this.backlog.push({ frames });
    else this.writeAtOnce(frames);
  }

  /** Sends messages whose frames may be streamed; resolves once all is written (rejects, and drops the connection, when a source fails). */
  sendStreamed(messages: unknown[], outgoing: readonly OutgoingFrame[]): Promise<void> {
    if (this.closed || this.socket.destroyed) return Promise.reject(new Error(`the connection to ${this.peerAddress} is closed`));
    let frames: OutgoingFrame[];
    try {
      frames = this.withinLimits(messages, outgoing);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    return new Promise<void>((resolve, reject) => {
      this.backlog.push({ frames, done: (error) => (error ? reject(error) : resolve()) });
      if (!this.streaming) void this.writeBacklog();
    });
  }

  /** The header frame followed by `frames`, once checked against the peer's limits (UnsendableError before anything is written). */
  private withinLimits(messages: unknown[], outgoing: readonly OutgoingFrame[]): OutgoingFrame[] {
    const frames = [this.encodeWithinLimits(messages), ...outgoing];
    if (frames.length > this.peerLimits.maxFrames) {
      throw new UnsendableError(`${frames.length} frames in one message; ${this.peerAddress} accepts at most ${this.peerLimits.maxFrames}`);
    }
    const oversized = outgoing.find((frame) => frame.byteLength > this.peerLimits.maxFrameBytes);
    if (oversized) throw new UnsendableError(`a frame of ${oversized.byteLength} bytes; ${this.peerAddress} accepts at most ${this.peerLimits.maxFrameBytes}`);
    return frames;
  }

  private writeAtOnce(frames: OutgoingFrame[]): void {
    this.socket.cork();
    this.socket.write(encodePrelude(frames));
    for (const frame of frames as Uint8Array[]) {
      if (frame.byteLength > 0) this.socket.write(frame);
    }
    this.socket.uncork();
  }

  private async writeBacklog(): Promise<void> {
    this.streaming = true;
    while (this.backlog.length > 0 && !this.closed) {
      const item = this.backlog.shift() as (typeof this.backlog)[number];
      if (!item.done) {
        this.writeAtOnce(item.frames);
        continue;
      }
      try {
        this.socket.write(encodePrelude(item.frames));
        await writeFrames(this.socket, item.frames);
        item.done();
      } catch (error) {
        item.done(error as Error);
        this.fail(error as Error); // part of the message is out: the stream cannot go on
      }
    }
    for (const item of this.backlog.splice(0)) item.done?.(new Error(`the connection to ${this.peerAddress} closed before the message was sent`));
    this.streaming = false;
  }

  /** msgpack of the messages, checked against the peer's limit before anything is written. */
  private encodeWithinLimits(messages: unknown[]): Uint8Array {
    let header: Uint8Array;
    try {
      header = encodeHeader(messages);
    } catch (error) {
      throw new UnsendableError(`cannot encode the message: ${(error as Error).message}`, { cause: error });
    }
    if (header.byteLength > this.peerLimits.maxHeaderBytes) {
      throw new UnsendableError(`the message header is ${header.byteLength} bytes; ${this.peerAddress} accepts at most ${this.peerLimits.maxHeaderBytes}`);
    }
    return header;
  }

  onBatch(receiver: ((batch: Batch) => void) | null): void {
    this.inbox.attach(receiver);
  }

  onClose(listener: (error?: Error) => void): void {
    if (this.closed) listener(this.closeError);
    else this.closeListeners.push(listener);
  }

  private fail(error: Error): void {
    if (this.closed) return;
    this.closeError = error;
    this.socket.destroy();
    this.finish();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    const listeners = this.closeListeners;
    this.closeListeners = [];
    for (const listener of listeners) listener(this.closeError);
  }

  close(graceMs = 2000): void {
    if (this.closed) return;
    // end() flushes what was written, then half-closes; destroy after a grace period so a
    // peer that never reads cannot keep the socket open.
    this.socket.end();
    const timer = setTimeout(() => this.socket.destroy(), graceMs);
    timer.unref();
    this.finish();
  }
}
