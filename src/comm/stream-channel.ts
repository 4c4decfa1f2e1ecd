/**
 * A Channel over a byte stream (a TCP or TLS socket). Outgoing batches become one framed
 * message: frame 0 is msgpack of the message list, the rest are the binary frames written
 * from their own memory (the socket is corked so small messages leave in one write).
 * Incoming bytes go through the FrameDecoder with strict limits until the peer has
 * authenticated.
 */
import type { Socket } from "node:net";
import { Packr } from "msgpackr";
import { FrameDecoder, encodePrelude, handshakeLimits, sessionLimits } from "../protocol/framing.js";
import { type Batch, BatchInbox, type Channel } from "./channel.js";

// Standard msgpack (no records extension): every peer can read it, and maps stay maps.
const packr = new Packr({ useRecords: false, mapsAsObjects: true, variableMapSize: true });

export function encodeHeader(messages: unknown[]): Uint8Array {
  return packr.pack(messages);
}

function decodeHeader(bytes: Uint8Array): unknown {
  return packr.unpack(bytes);
}

export class StreamChannel implements Channel {
  private inbox = new BatchInbox();
  private closeListeners: Array<(error?: Error) => void> = [];
  private decoder: FrameDecoder;
  private closeError: Error | undefined;
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
    try {
      this.decoder.push(chunk);
    } catch (error) {
      this.fail(error as Error);
    }
  }

  setAuthenticated(): void {
    this.decoder.setLimits(sessionLimits);
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
    const header = encodeHeader(batch.messages);
    const frames = [header, ...batch.frames];
    this.socket.cork();
    this.socket.write(encodePrelude(frames));
    for (const frame of frames) {
      if (frame.byteLength > 0) this.socket.write(frame);
    }
    this.socket.uncork();
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

  close(): void {
    if (this.closed) return;
    // end() flushes what was written, then half-closes; destroy after a grace period so a
    // peer that never reads cannot keep the socket open.
    this.socket.end();
    const timer = setTimeout(() => this.socket.destroy(), 2000);
    timer.unref();
    this.finish();
  }
}
