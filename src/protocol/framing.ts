/**
 * Wire framing: a message is a list of frames; frame 0 is the msgpack header, the others
 * are raw buffers (chunk data) referenced from the header by index. On the wire:
 *
 *   "TSR1" | u32 LE frame count | u64 LE length per frame | frame bytes…
 *
 * The magic catches a peer that is not speaking our protocol (or a desynchronised stream)
 * at the first byte instead of after an absurd allocation. Decoding is a small state
 * machine fed with whatever the socket delivers; each frame is received straight into its
 * final buffer (binary frames into SharedArrayBuffer so worker threads can use them
 * without a copy). Limits are checked before anything is allocated.
 */
import { TesseraError } from "../core/errors.js";
import { newSharedBuffer } from "../ndarray/allocation-ledger.js";

const frameMagic = 0x31525354; // "TSR1" read as u32 LE

export class FramingError extends TesseraError {
  override name = "FramingError";
}

export interface FrameLimits {
  /** Most frames in one message. */
  maxFrames: number;
  /** Most bytes in frame 0 (the msgpack header). */
  maxHeaderBytes: number;
  /** Most bytes in any other frame. */
  maxFrameBytes: number;
}

/** Limits before a peer has authenticated: one small header frame, nothing else. */
export const handshakeLimits: FrameLimits = { maxFrames: 1, maxHeaderBytes: 4096, maxFrameBytes: 0 };

/** Limits for authenticated peers: large enough for million-task graphs and huge chunks. */
export const sessionLimits: FrameLimits = {
  maxFrames: 1 << 20,
  maxHeaderBytes: 2 ** 31 - 1,
  maxFrameBytes: 2 ** 40,
};

/** The prelude that precedes the frames of one message. */
export function encodePrelude(frames: readonly { readonly byteLength: number }[]): Buffer {
  const prelude = Buffer.allocUnsafe(8 + 8 * frames.length);
  prelude.writeUInt32LE(frameMagic, 0);
  prelude.writeUInt32LE(frames.length, 4);
  for (let i = 0; i < frames.length; i++) {
    const length = frames[i].byteLength;
    prelude.writeUInt32LE(length % 2 ** 32, 8 + 8 * i);
    prelude.writeUInt32LE(Math.floor(length / 2 ** 32), 12 + 8 * i);
  }
  return prelude;
}

type Phase = "magic" | "lengths" | "frames";

/**
 * Incremental decoder. `push` consumes socket data and calls `onMessage` once per complete
 * message; it throws FramingError on anything malformed, after which the stream is unusable
 * (the caller drops the connection).
 */
export class FrameDecoder {
  private limits: FrameLimits;
  private phase: Phase = "magic";
  private prelude = Buffer.alloc(8);
  private preludeFilled = 0;
  private lengths: number[] = [];
  private lengthBytes: Buffer = Buffer.alloc(0);
  private lengthFilled = 0;
  private frames: Uint8Array[] = [];
  private current: Uint8Array | null = null;
  private currentFilled = 0;

  constructor(limits: FrameLimits, private readonly onMessage: (frames: Uint8Array[]) => void) {
    this.limits = limits;
  }

  /** Applies new limits from the next message on (after the handshake). */
  setLimits(limits: FrameLimits): void {
    this.limits = limits;
  }

  push(chunk: Uint8Array): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.phase === "magic") offset = this.readPrelude(chunk, offset);
      else if (this.phase === "lengths") offset = this.readLengths(chunk, offset);
      else offset = this.readFrame(chunk, offset);
    }
  }

  private readPrelude(chunk: Uint8Array, offset: number): number {
    const take = Math.min(8 - this.preludeFilled, chunk.length - offset);
    this.prelude.set(chunk.subarray(offset, offset + take), this.preludeFilled);
    this.preludeFilled += take;
    if (this.preludeFilled < 8) return offset + take;
    if (this.prelude.readUInt32LE(0) !== frameMagic) {
      throw new FramingError("peer is not speaking the tessera protocol (bad magic)");
    }
    const count = this.prelude.readUInt32LE(4);
    if (count < 1 || count > this.limits.maxFrames) {
      throw new FramingError(`message announces ${count} frames; the limit is 1..${this.limits.maxFrames}`);
    }
    this.lengthBytes = Buffer.alloc(8 * count);
    this.lengthFilled = 0;
    this.phase = "lengths";
    return offset + take;
  }

  private readLengths(chunk: Uint8Array, offset: number): number {
    const take = Math.min(this.lengthBytes.length - this.lengthFilled, chunk.length - offset);
    this.lengthBytes.set(chunk.subarray(offset, offset + take), this.lengthFilled);
    this.lengthFilled += take;
    if (this.lengthFilled < this.lengthBytes.length) return offset + take;
    this.lengths = [];
    for (let i = 0; i < this.lengthBytes.length / 8; i++) {
      const length = this.lengthBytes.readUInt32LE(8 * i) + this.lengthBytes.readUInt32LE(8 * i + 4) * 2 ** 32;
      const limit = i === 0 ? this.limits.maxHeaderBytes : this.limits.maxFrameBytes;
      if (length > limit) {
        throw new FramingError(`frame ${i} announces ${length} bytes; the limit is ${limit}`);
      }
      this.lengths.push(length);
    }
    this.frames = [];
    this.phase = "frames";
    this.startFrame();
    return offset + take;
  }

  private startFrame(): void {
    // Completing zero-length frames here keeps `push` from spinning on an empty remainder.
    while (this.frames.length < this.lengths.length && this.lengths[this.frames.length] === 0) {
      this.frames.push(new Uint8Array(0));
    }
    if (this.frames.length === this.lengths.length) {
      this.finishMessage();
      return;
    }
    const index = this.frames.length;
    const length = this.lengths[index];
    this.current = index === 0 ? Buffer.allocUnsafe(length) : new Uint8Array(newSharedBuffer(length));
    this.currentFilled = 0;
  }

  private readFrame(chunk: Uint8Array, offset: number): number {
    const target = this.current as Uint8Array;
    const take = Math.min(target.length - this.currentFilled, chunk.length - offset);
    target.set(chunk.subarray(offset, offset + take), this.currentFilled);
    this.currentFilled += take;
    if (this.currentFilled === target.length) {
      this.frames.push(target);
      this.current = null;
      this.startFrame();
    }
    return offset + take;
  }

  private finishMessage(): void {
    const frames = this.frames;
    this.frames = [];
    this.phase = "magic";
    this.preludeFilled = 0;
    this.onMessage(frames);
  }
}
