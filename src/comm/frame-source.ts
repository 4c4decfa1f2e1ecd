/**
 * A frame sent from somewhere other than memory (a spill file): its length is known when the
 * message starts, its bytes come piece by piece as the socket takes them. A worker serving a
 * spilled 16 MB value to a peer then holds a piece or two, not the value (on a 192 MiB worker
 * the read-back of a whole value for a peer, just after a merge, was what passed the nanny's
 * 95%).
 *
 * On the wire nothing changes: the prelude announces every frame's length as usual and the
 * bytes follow in order, so the receiver reads the message as any other. What cannot be done
 * the usual way is failing: once the prelude is out, a source that fails (a spill file that
 * fails its checksum) cannot be taken back, so the connection is dropped before the frame's
 * last byte, and the receiver sees a connection lost mid-message (never a complete message
 * with wrong bytes), which it treats as a failed fetch.
 */
import type { Socket } from "node:net";

export interface FrameSource {
  readonly byteLength: number;
  /**
   * The frame's bytes in order, in pieces whose total is byteLength. A piece may be reused by
   * the source once the next one is asked for: the writer asks only when a piece is written.
   * Throws when the bytes cannot be given intact (then before yielding the last piece).
   */
  pieces(): AsyncIterable<Uint8Array>;
}

export type OutgoingFrame = Uint8Array | FrameSource;

export const isFrameSource = (frame: OutgoingFrame): frame is FrameSource => !(frame instanceof Uint8Array);

/** Writes `frames` in order: buffers at once, sources piece by piece, each piece once the socket has taken the one before. */
export async function writeFrames(socket: Socket, frames: readonly OutgoingFrame[]): Promise<void> {
  // A write pending when the socket is destroyed may never call back: the close ends the wait.
  let onClose = () => {};
  const closed = new Promise<never>((_, reject) => (onClose = () => reject(new Error("the connection closed while a frame was being sent"))));
  closed.catch(() => {});
  socket.once("close", onClose);
  try {
    await writeInOrder(socket, frames, closed);
  } finally {
    socket.off("close", onClose);
  }
}

async function writeInOrder(socket: Socket, frames: readonly OutgoingFrame[], closed: Promise<never>): Promise<void> {
  for (const frame of frames) {
    if (!isFrameSource(frame)) {
      if (frame.byteLength > 0) socket.write(frame);
      continue;
    }
    let written = 0;
    for await (const piece of frame.pieces()) {
      written += piece.byteLength;
      if (written > frame.byteLength) throw new Error(`a streamed frame gave more than the ${frame.byteLength} bytes it announced`);
      await Promise.race([closed, new Promise<void>((resolve, reject) => socket.write(piece, (error) => (error ? reject(error) : resolve())))]);
    }
    if (written !== frame.byteLength) throw new Error(`a streamed frame gave ${written} of the ${frame.byteLength} bytes it announced`);
  }
}
